//! `JsonBody<T>`: a JSON request body whose shape errors name the field.
//!
//! actix's `Json` checks the content type and the size limit (see
//! `http::extractors::json_config`); deserialising through
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
            let web::Json(mut value) = json.await?;
            integral_floats_as_integers(&mut value);
            serde_path_to_error::deserialize(value)
                .map(JsonBody)
                .map_err(|error| {
                    let path = error.path().to_string();
                    let field = if path == "." { "body".to_owned() } else { path };
                    let message = super::wording::readable(&error.into_inner().to_string());
                    ApiError::validation(field, message).into()
                })
        })
    }
}

/// JSON has one number type: `2.0` is the integer 2 to JSON Schema, and so
/// to us (serde would refuse it for an `i32`). Other numbers stay as sent.
fn integral_floats_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(number) => {
            let integral = number
                .as_f64()
                .filter(|n| number.is_f64() && n.fract() == 0.0 && n.abs() < 9.0e15);
            if let Some(n) = integral {
                *value = Value::from(n as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(members) => members.values_mut().for_each(integral_floats_as_integers),
        _ => {}
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integral_floats_become_integers_and_the_rest_stays_as_sent() {
        let mut value = json!({"stars": 2.0, "ids": [-220866.0, 1.5], "name": "2.0", "n": 7});
        integral_floats_as_integers(&mut value);
        assert_eq!(
            value,
            json!({"stars": 2, "ids": [-220866, 1.5], "name": "2.0", "n": 7})
        );
    }
}
