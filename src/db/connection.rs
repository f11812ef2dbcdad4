//! The project's connection type: the one every module outside `db` names.
//!
//! An enum over the engines the service runs on, made by diesel's
//! `MultiConnection` derive: queries written with diesel's DSL run on any
//! of them, and what only one engine understands is reached through the
//! functions of `db`, which match on the variant. Kept in a module of its
//! own because the derive's generated code imports its surroundings.

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
}

/// The backend of [`DbConnection`]: what boxed queries and row types name.
pub type Backend = MultiBackend;
