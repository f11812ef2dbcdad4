//! Accounts: staff and registered readers.

mod email;
mod password;
pub mod queries;
mod role;

pub use email::{Email, EmailError};
pub use password::{HashError, Password, PasswordError};
pub use role::Role;

use chrono::Utc;

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
    // Argon2 is deliberately slow: hash off the async executor, outside the write lock.
    let hash = actix_web::web::block(move || password.hash())
        .await
        .map_err(StoreError::from)??;
    let inserted = db
        .write(move |conn| {
            let now = Utc::now().naive_utc();
            queries::insert(
                conn,
                &queries::NewUser {
                    email: email.as_str(),
                    password_hash: &hash,
                    role: Role::Admin,
                    display_name: "Administrator",
                    created_at: now,
                    updated_at: now,
                },
            )
            .map_err(|e| match StoreError::from(e) {
                StoreError::UniqueViolation(_) => CreateAdminError::EmailTaken(email),
                other => other.into(),
            })
        })
        .await?;
    Ok(inserted)
}

/// Creates the admin from `BULLETIN_ADMIN_*` when the database has no admin yet.
pub async fn ensure_admin(
    db: &Database,
    email: Email,
    password: Password,
) -> Result<AdminBootstrapOutcome, CreateAdminError> {
    let has_admin = db
        .read(|conn| queries::any_with_role(conn, Role::Admin))
        .await?;
    if has_admin {
        return Ok(AdminBootstrapOutcome::AlreadyHadAdmin);
    }
    create_admin(db, email, password)
        .await
        .map(AdminBootstrapOutcome::Created)
}
