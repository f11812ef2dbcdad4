//! An upload's multipart form, read as it streams in: the image in `file`,
//! its texts in `alt`, `caption` and `credit`; any other field, or one sent
//! twice, is refused (as a JSON body's unknown members are). The file may
//! come with any name, or none: its name is not kept.

use actix_multipart::{Field, Multipart, MultipartError};
use futures_util::StreamExt;

use super::{SentTexts, TextField};
use crate::error::ApiError;

/// What an upload sent, before any of it is checked.
pub struct Upload {
    pub file: Vec<u8>,
    pub texts: SentTexts,
}

/// The form's fields, the file up to `limit` bytes.
pub async fn read(mut form: Multipart, limit: usize) -> Result<Upload, ApiError> {
    let mut file = None;
    let mut texts = SentTexts::default();
    while let Some(field) = form.next().await {
        let mut field = field.map_err(malformed)?;
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            if file.is_some() {
                return Err(twice(name));
            }
            file = Some(read_file(&mut field, limit).await?);
        } else if let Some(text) = TextField::named(&name) {
            if texts.slot(text).is_some() {
                return Err(twice(name));
            }
            let sent = read_text(&mut field, text).await?;
            *texts.slot(text) = Some(sent);
        } else {
            let message = format!(
                "{name} is not a field of this request, which takes file, alt, caption, credit"
            );
            return Err(ApiError::validation(name, message));
        }
    }
    let file =
        file.ok_or_else(|| ApiError::validation("file", "send a file in the form field `file`"))?;
    Ok(Upload { file, texts })
}

fn malformed(error: MultipartError) -> ApiError {
    match error {
        MultipartError::Payload(error) => crate::http::extractors::payload_error(error),
        other => ApiError::BadRequest(format!("the multipart body is malformed: {other}")),
    }
}

fn twice(name: String) -> ApiError {
    let message = format!("duplicate field `{name}`");
    ApiError::validation(name, message)
}

/// The file's bytes; 413 past `limit`, before the rest is read.
async fn read_file(field: &mut Field, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(format!(
                "images are at most {limit} bytes"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A text field as sent, unchecked but for being UTF-8 and short enough to
/// check: a character takes at most four bytes, so past four bytes a
/// character of its limit it breaks its rule whatever it holds.
async fn read_text(field: &mut Field, text: TextField) -> Result<String, ApiError> {
    let most = 4 * text.max_chars();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        if bytes.len() + chunk.len() > most {
            return Err(ApiError::validation(text.name(), text.rule()));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| ApiError::validation(text.name(), "must be UTF-8 text"))
}
