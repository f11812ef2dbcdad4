//! Creating, changing and deleting accounts: the rules that hold whoever asks.

use crate::db::DbConnection;
use serde_json::json;

use super::queries::{self, UserChanges, UserRow};
use super::requests::{AccountChanges, NewAccount};
use crate::audit::{self, Actor, AuditEvent};
use crate::auth;
use crate::db::{Database, StoreError};
use crate::error::ApiError;
use crate::http::Precondition;
use crate::identity::{Email, HashError, Password, Role};

/// Hashing could not run, or failed.
#[derive(Debug, thiserror::Error)]
pub enum HashFailure {
    #[error(transparent)]
    Blocking(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

impl From<HashFailure> for ApiError {
    fn from(failure: HashFailure) -> Self {
        ApiError::Internal(failure.to_string())
    }
}

/// Argon2 is deliberately slow: hash on the blocking pool, outside any lock.
pub(super) async fn hash_off_executor(password: Password) -> Result<String, HashFailure> {
    Ok(crate::identity::run_argon2(move || password.hash())
        .await
        .map_err(StoreError::from)??)
}

/// Inserts an account; a taken email is the caller's to report.
pub(super) fn insert(
    conn: &mut DbConnection,
    email: &Email,
    password_hash: &str,
    role: Role,
    display_name: &str,
) -> Result<UserRow, StoreError> {
    let now = crate::support::timestamps::now();
    let user = queries::NewUser {
        email: email.as_str(),
        password_hash,
        role,
        display_name,
        created_at: now,
        updated_at: now,
    };
    queries::insert(conn, &user).map_err(StoreError::from)
}

fn email_taken(email: &Email) -> ApiError {
    ApiError::Conflict(format!("an account with the email {email} already exists"))
}

/// Creates an account; `actor` is who the audit log names (none for readers
/// registering themselves, which is not a staff write).
pub async fn create(
    db: &Database,
    account: NewAccount,
    actor: Option<Actor>,
) -> Result<UserRow, ApiError> {
    let hash = hash_off_executor(account.password).await?;
    db.write(move |conn| {
        let user = insert(
            conn,
            &account.email,
            &hash,
            account.role,
            account.display_name.as_str(),
        )
        .map_err(|e| match e {
            StoreError::UniqueViolation(_) => email_taken(&account.email),
            other => other.into(),
        })?;
        if let Some(actor) = &actor {
            let event = AuditEvent {
                action: "user.create",
                target_type: "user",
                target_id: Some(user.id.to_string()),
                details: json!({"email": user.email, "role": user.role}),
            };
            audit::record(conn, actor, event, user.created_at)?;
        }
        Ok(user)
    })
    .await
}

/// Refuses to leave the service without an admin.
fn keep_an_admin(conn: &mut DbConnection, current: &UserRow) -> Result<(), ApiError> {
    if current.role == Role::Admin && queries::count_with_role(conn, Role::Admin)? <= 1 {
        return Err(ApiError::Conflict(
            "this is the only admin: make another admin first".into(),
        ));
    }
    Ok(())
}

pub async fn update(
    db: &Database,
    id: i32,
    changes: AccountChanges,
    precondition: Precondition,
    actor: Actor,
) -> Result<UserRow, ApiError> {
    let nothing = changes.is_empty();
    let hash = match changes.password {
        Some(password) => Some(hash_off_executor(password).await?),
        None => None,
    };
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        if nothing {
            return Ok(current);
        }
        if changes.role.is_some_and(|role| role != Role::Admin) {
            keep_an_admin(conn, &current)?;
        }
        let now = crate::support::timestamps::now();
        let email = changes.email.as_ref();
        let updated = queries::update(
            conn,
            id,
            &UserChanges {
                email: email.map(Email::as_str),
                password_hash: hash.as_deref(),
                role: changes.role,
                display_name: changes.display_name.as_ref().map(|d| d.as_str()),
                updated_at: now,
                version: current.version + 1,
            },
        )
        .map_err(|e| match (StoreError::from(e), email) {
            (StoreError::UniqueViolation(_), Some(email)) => email_taken(email),
            (other, _) => other.into(),
        })?;
        if hash.is_some() {
            auth::queries::revoke_all_of_user(conn, id, now, "password changed")?;
        }
        let changed: Vec<&str> = [
            ("email", changes.email.is_some()),
            ("password", hash.is_some()),
            ("role", changes.role.is_some()),
            ("display_name", changes.display_name.is_some()),
        ]
        .into_iter()
        .filter_map(|(field, sent)| sent.then_some(field))
        .collect();
        let event = AuditEvent {
            action: "user.update",
            target_type: "user",
            target_id: Some(id.to_string()),
            details: json!({"changed": changed, "role": {"from": current.role, "to": updated.role}}),
        };
        audit::record(conn, &actor, event, now)?;
        Ok(updated)
    })
    .await
}

pub async fn delete(
    db: &Database,
    id: i32,
    precondition: Precondition,
    actor: Actor,
) -> Result<(), ApiError> {
    db.write(move |conn| {
        let current = precondition.admit(queries::find(conn, id)?, id)?;
        keep_an_admin(conn, &current)?;
        // Sessions and their refresh tokens go with the account (ON DELETE CASCADE).
        queries::delete(conn, id)?;
        let event = AuditEvent {
            action: "user.delete",
            target_type: "user",
            target_id: Some(id.to_string()),
            details: json!({"email": current.email, "role": current.role}),
        };
        audit::record(conn, &actor, event, crate::support::timestamps::now())?;
        Ok(())
    })
    .await
}
