//! What clients receive for accounts.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::queries::UserRow;
use crate::identity::Role;
use crate::support::timestamps::SiteOffset;

/// An account (its password never leaves the database, not even hashed).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    #[schema(example = 2)]
    pub id: i32,
    #[schema(example = "bientap@sonoivu.binhdinh.gov.vn")]
    pub email: String,
    #[schema(example = "Nguyễn Thị Lan")]
    pub display_name: String,
    pub role: Role,
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-11-24T10:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
    /// Increases with every change; the `ETag` is built from it.
    #[schema(example = 1)]
    pub version: i32,
}

impl UserResponse {
    pub fn new(row: UserRow, offset: SiteOffset) -> Self {
        Self {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role: row.role,
            created_at: offset.show(row.created_at),
            updated_at: offset.show(row.updated_at),
            version: row.version,
        }
    }
}
