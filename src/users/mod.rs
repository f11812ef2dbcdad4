//! Accounts: staff and registered readers.

pub mod queries;
mod requests;
mod responses;
mod routes;
pub mod writes;

pub use requests::{
    AccountChanges, CreateUserRequest, NewAccount, RegisterRequest, UpdateUserRequest,
};
pub use responses::UserResponse;
pub use routes::{RegistrationOpen, configure};

use crate::db::DbConnection;
use crate::identity::{Email, Password, Role};
use writes::{HashFailure, hash_off_executor};

use crate::audit::{self, Actor, ActorKind, AuditEvent};
use crate::db::{Database, StoreError};

/// Why an admin could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("an account with the email {0} already exists")]
    EmailTaken(Email),
    #[error(transparent)]
    Hash(#[from] HashFailure),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What [`ensure_admin`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminBootstrapOutcome {
    Created(i32),
    AlreadyHadAdmin,
}

/// The name a bootstrapped admin starts with; they can change it.
const ADMIN_NAME: &str = "Administrator";

/// Creates an admin account (the `create-admin` command).
pub async fn create_admin(
    db: &Database,
    email: Email,
    password: Password,
) -> Result<i32, CreateAdminError> {
    let hash = hash_off_executor(password).await?;
    db.write(move |conn| insert_admin(conn, email.clone(), &hash, "bulletin-api create-admin"))
        .await
}

/// Creates the admin from `BULLETIN_ADMIN_*` when the database has no admin
/// yet. Safe when several processes start at once: the check is repeated in
/// the write transaction that inserts.
pub async fn ensure_admin(
    db: &Database,
    email: Email,
    password: Password,
) -> Result<AdminBootstrapOutcome, CreateAdminError> {
    let has_admin = |conn: &mut DbConnection| queries::any_with_role(conn, Role::Admin);
    if db.read(has_admin).await? {
        return Ok(AdminBootstrapOutcome::AlreadyHadAdmin);
    }
    let hash = hash_off_executor(password).await?;
    db.write(move |conn| {
        if has_admin(conn).map_err(StoreError::from)? {
            return Ok(AdminBootstrapOutcome::AlreadyHadAdmin);
        }
        insert_admin(conn, email.clone(), &hash, "BULLETIN_ADMIN_EMAIL")
            .map(AdminBootstrapOutcome::Created)
    })
    .await
}

/// Inserts an admin, recording in the audit log that `origin` (the command
/// line, the environment) created it: the most privileged account of all.
fn insert_admin(
    conn: &mut DbConnection,
    email: Email,
    password_hash: &str,
    origin: &str,
) -> Result<i32, CreateAdminError> {
    let user = match writes::insert(conn, &email, password_hash, Role::Admin, ADMIN_NAME) {
        Ok(user) => user,
        Err(StoreError::UniqueViolation(_)) => return Err(CreateAdminError::EmailTaken(email)),
        Err(other) => return Err(other.into()),
    };
    let system = Actor {
        kind: ActorKind::System,
        id: None,
        label: origin.to_owned(),
        request_id: None,
    };
    let event = AuditEvent {
        action: "user.create",
        target_type: "user",
        target_id: Some(user.id.to_string()),
        details: serde_json::json!({"email": user.email, "role": user.role}),
    };
    audit::record(conn, &system, event, user.created_at).map_err(StoreError::from)?;
    Ok(user.id)
}
