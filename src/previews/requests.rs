//! What a request for a preview link sends, and how long the link lives.

use chrono::Duration;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::ApiError;

const DEFAULT_HOURS: u32 = 48;
const MAX_HOURS: u32 = 720;

/// What a request for a preview link may say.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePreviewLinkRequest {
    /// How long the link works, in hours: 1 to 720 (30 days); 48 when left out.
    #[schema(example = 48, minimum = 1, maximum = 720)]
    pub expires_in_hours: Option<u32>,
}

/// How long the link asked for works: 1 hour to 30 days.
pub(super) fn lifetime(request: &CreatePreviewLinkRequest) -> Result<Duration, ApiError> {
    match request.expires_in_hours.unwrap_or(DEFAULT_HOURS) {
        hours @ 1..=MAX_HOURS => Ok(Duration::hours(i64::from(hours))),
        _ => Err(ApiError::validation(
            "expires_in_hours",
            format!("must be 1 to {MAX_HOURS} hours"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_lives_one_hour_to_thirty_days() {
        let asking = |hours| CreatePreviewLinkRequest {
            expires_in_hours: hours,
        };
        assert_eq!(lifetime(&asking(None)).unwrap(), Duration::hours(48));
        assert_eq!(lifetime(&asking(Some(1))).unwrap(), Duration::hours(1));
        assert_eq!(lifetime(&asking(Some(720))).unwrap(), Duration::hours(720));
        assert!(lifetime(&asking(Some(0))).is_err());
        assert!(lifetime(&asking(Some(721))).is_err());
    }
}
