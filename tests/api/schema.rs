//! The two engines' migrations kept in step: each engine's tables and
//! columns (name, type, nullability) are those `src/db/schema.rs` declares,
//! which is what every query is written against. `cargo test` checks
//! SQLite's; with `BULLETIN_TEST_POSTGRES` set, PostgreSQL's too.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::helpers::spawn_app;

/// Table → column → (diesel type, nullable), as a schema declares them.
type Columns = BTreeMap<String, BTreeMap<String, (String, bool)>>;

/// What `src/db/schema.rs` declares: its `table!` blocks, read as text.
fn declared() -> Columns {
    let text = include_str!("../../src/db/schema.rs");
    let mut tables = Columns::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some((name, _)) = line.split_once(" (").filter(|_| line.ends_with('{')) {
            current = Some(name.to_owned());
        } else if line == "}" {
            current = None;
        } else if let (Some(table), Some((column, kind))) = (&current, line.split_once(" -> ")) {
            let kind = kind.trim_end_matches(',');
            let (kind, nullable) = match kind.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>'), true),
                None => (kind, false),
            };
            tables
                .entry(table.clone())
                .or_default()
                .insert(column.to_owned(), (kind.to_owned(), nullable));
        }
    }
    tables
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    declared_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

/// The columns of the engine's own tables (not its full-text machinery, its
/// migration bookkeeping, or PostgreSQL's shared secrets and counters,
/// which no query names through `schema.rs`), with types named as diesel names them.
fn stored(rows: Vec<ColumnRow>) -> Columns {
    let mut tables = Columns::new();
    for row in rows {
        let engine_own = row.table_name.starts_with("articles_search")
            || row.table_name.starts_with("documents_search")
            || row.table_name.starts_with("__diesel")
            || row.table_name.starts_with("sqlite_")
            || ["service_secrets", "rate_limits", "login_throttle"].contains(&row.table_name.as_str())
            // PostgreSQL's generated full-text columns.
            || row.column_name == "search";
        if engine_own {
            continue;
        }
        let kind = match row.declared_type.to_lowercase().as_str() {
            "integer" => "Integer",
            "bigint" => "BigInt",
            "text" => "Text",
            "boolean" => "Bool",
            "blob" | "bytea" => "Binary",
            "date" => "Date",
            "timestamp" | "timestamp without time zone" => "Timestamp",
            other => panic!(
                "{}.{} has the unexpected type {other}",
                row.table_name, row.column_name
            ),
        };
        tables
            .entry(row.table_name)
            .or_default()
            .insert(row.column_name, (kind.to_owned(), row.nullable));
    }
    tables
}

#[actix_web::test]
async fn the_migrated_schema_is_the_one_queries_are_written_against() {
    let app = spawn_app().await;
    let (rows, on_sqlite) = app
        .database()
        .read(|conn| {
            let on_sqlite = matches!(conn, bulletin_api::db::DbConnection::Sqlite(_));
            let sql = match conn {
                // `pk` columns are NOT NULL whatever their declaration says.
                bulletin_api::db::DbConnection::Sqlite(_) => {
                    "SELECT m.name AS table_name, c.name AS column_name, c.type AS declared_type, \
                     (c.\"notnull\" = 0 AND c.pk = 0) AS nullable \
                     FROM sqlite_schema m JOIN pragma_table_info(m.name) c \
                     WHERE m.type = 'table'"
                }
                bulletin_api::db::DbConnection::Postgres(_) => {
                    "SELECT table_name::text, column_name::text, data_type::text AS declared_type, \
                     is_nullable = 'YES' AS nullable \
                     FROM information_schema.columns WHERE table_schema = 'public'"
                }
            };
            Ok((diesel::sql_query(sql).load::<ColumnRow>(conn)?, on_sqlite))
        })
        .await
        .unwrap();
    let (mut stored, mut declared) = (stored(rows), declared());
    if on_sqlite {
        // SQLite stores every integer in up to 8 bytes, whether a column
        // says INTEGER or BIGINT: there, the two are one type.
        for columns in stored.values_mut().chain(declared.values_mut()) {
            for (kind, _) in columns.values_mut() {
                if kind == "BigInt" {
                    *kind = "Integer".into();
                }
            }
        }
    }
    assert_eq!(
        stored.keys().collect::<Vec<_>>(),
        declared.keys().collect::<Vec<_>>(),
        "the tables"
    );
    for (table, columns) in &declared {
        assert_eq!(&stored[table], columns, "the columns of {table}");
    }
}
