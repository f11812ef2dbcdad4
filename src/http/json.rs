//! `JsonBody<T>`: a JSON request body whose shape errors name the field.
//!
//! actix's `Json` checks the content type and the size limit (see
//! `error::extractors::json_config`); deserialising through
//! `serde_path_to_error` then tells the client which field is wrong
//! (`role`, `items[2].name`) instead of a line and column.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::ApiError;

pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let web::Json(value) = json.await?;
            serde_path_to_error::deserialize(value)
                .map(JsonBody)
                .map_err(|error| {
                    let path = error.path().to_string();
                    let field = if path == "." { "body".to_owned() } else { path };
                    ApiError::validation(field, error.into_inner().to_string()).into()
                })
        })
    }
}

/// For `#[serde(default, deserialize_with = …)]` on an `Option<Option<T>>`:
/// a member sent as null is `Some(None)` (clear it), one left out is `None`
/// (leave it).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}
