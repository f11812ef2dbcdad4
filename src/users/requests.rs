//! What clients send to create and change accounts, and its parsing.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, FieldErrors};
use crate::identity::{DisplayName, Email, Password, Role};

// No Debug: it carries a secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(value_type = Email)]
    pub email: String,
    /// At least 10 characters, at least 4 different ones.
    #[schema(value_type = Password)]
    pub password: String,
    pub role: Role,
    #[schema(value_type = DisplayName)]
    pub display_name: String,
}

/// A reader creating their own (member) account.
// No Debug: it carries a secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(value_type = Email)]
    pub email: String,
    #[schema(value_type = Password)]
    pub password: String,
    #[schema(value_type = DisplayName)]
    pub display_name: String,
}

/// Only the fields sent change.
// No Debug: it carries a secret.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[schema(value_type = Option<Email>)]
    pub email: Option<String>,
    /// A new password ends every session of the account.
    #[schema(value_type = Option<Password>)]
    pub password: Option<String>,
    pub role: Option<Role>,
    #[schema(value_type = Option<DisplayName>)]
    pub display_name: Option<String>,
}

/// A valid new account.
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub role: Role,
    pub display_name: DisplayName,
}

/// Valid changes to an account.
pub struct AccountChanges {
    pub email: Option<Email>,
    pub password: Option<Password>,
    pub role: Option<Role>,
    pub display_name: Option<DisplayName>,
}

impl AccountChanges {
    /// A request that sends no field (or only nulls) changes nothing: it is
    /// answered with the account as it stands.
    pub fn is_empty(&self) -> bool {
        self.email.is_none()
            && self.password.is_none()
            && self.role.is_none()
            && self.display_name.is_none()
    }
}

impl NewAccount {
    fn parse(
        email: &str,
        password: String,
        role: Role,
        display_name: &str,
    ) -> Result<Self, ApiError> {
        let mut errors = FieldErrors::default();
        let email = errors.check("email", Email::parse(email));
        let password = errors.check("password", Password::parse(password));
        let display_name = errors.check("display_name", DisplayName::parse(display_name));
        match (email, password, display_name) {
            (Some(email), Some(password), Some(display_name)) => Ok(Self {
                email,
                password,
                role,
                display_name,
            }),
            _ => Err(errors.into_error()),
        }
    }
}

impl TryFrom<CreateUserRequest> for NewAccount {
    type Error = ApiError;

    fn try_from(request: CreateUserRequest) -> Result<Self, ApiError> {
        Self::parse(
            &request.email,
            request.password,
            request.role,
            &request.display_name,
        )
    }
}

impl TryFrom<RegisterRequest> for NewAccount {
    type Error = ApiError;

    fn try_from(request: RegisterRequest) -> Result<Self, ApiError> {
        Self::parse(
            &request.email,
            request.password,
            Role::Member,
            &request.display_name,
        )
    }
}

impl TryFrom<UpdateUserRequest> for AccountChanges {
    type Error = ApiError;

    fn try_from(request: UpdateUserRequest) -> Result<Self, ApiError> {
        // `check` answers None for an invalid field, Some(None) for one not sent.
        let mut errors = FieldErrors::default();
        let email = errors.check(
            "email",
            request.email.as_deref().map(Email::parse).transpose(),
        );
        let password = errors.check(
            "password",
            request.password.map(Password::parse).transpose(),
        );
        let display_name = errors.check(
            "display_name",
            request
                .display_name
                .as_deref()
                .map(DisplayName::parse)
                .transpose(),
        );
        let changes = match (email, password, display_name) {
            (Some(email), Some(password), Some(display_name)) => Self {
                email,
                password,
                role: request.role,
                display_name,
            },
            _ => return Err(errors.into_error()),
        };
        Ok(changes)
    }
}
