//! Accounts: staff and registered readers.

mod email;
mod password;
pub mod queries;
mod role;

pub use email::{Email, EmailError};
pub use password::{HashError, Password, PasswordError};
pub use role::Role;

use chrono::Utc;
use diesel::SqliteConnection;

use crate::db::{Database, StoreError};

/// Why an admin could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("an account with the email {0} already exists")]
    EmailTaken(Email),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What [`ensure_admin`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminBootstrapOutcome {
    Created(i32),
    AlreadyHadAdmin,
}

/// Creates an admin account (the `create-admin` command).
pub async fn create_admin(
    db: &Database,
    email: Email,
    password: Password,
) -> Result<i32, CreateAdminError> {
    let hash = hash_off_executor(password).await?;
    db.write(move |conn| insert_admin(conn, email, &hash)).await
}

/// Creates the admin from `BULLETIN_ADMIN_*` when the database has no admin
/// yet. Safe when several processes start at once: the check is repeated in
/// the write transaction that inserts.
pub async fn ensure_admin(
    db: &Database,
    email: Email,
    password: Password,
) -> Result<AdminBootstrapOutcome, CreateAdminError> {
    let has_admin = |conn: &mut SqliteConnection| queries::any_with_role(conn, Role::Admin);
    if db.read(has_admin).await? {
        return Ok(AdminBootstrapOutcome::AlreadyHadAdmin);
    }
    let hash = hash_off_executor(password).await?;
    db.write(move |conn| {
        if has_admin(conn).map_err(StoreError::from)? {
            return Ok(AdminBootstrapOutcome::AlreadyHadAdmin);
        }
        insert_admin(conn, email, &hash).map(AdminBootstrapOutcome::Created)
    })
    .await
}

/// Argon2 is deliberately slow: hash on the blocking pool, outside any lock.
async fn hash_off_executor(password: Password) -> Result<String, CreateAdminError> {
    let hash = actix_web::web::block(move || password.hash())
        .await
        .map_err(StoreError::from)??;
    Ok(hash)
}

fn insert_admin(
    conn: &mut SqliteConnection,
    email: Email,
    password_hash: &str,
) -> Result<i32, CreateAdminError> {
    let now = Utc::now().naive_utc();
    let user = queries::NewUser {
        email: email.as_str(),
        password_hash,
        role: Role::Admin,
        display_name: "Administrator",
        created_at: now,
        updated_at: now,
    };
    queries::insert(conn, &user).map_err(|e| match StoreError::from(e) {
        StoreError::UniqueViolation(_) => CreateAdminError::EmailTaken(email),
        other => other.into(),
    })
}
