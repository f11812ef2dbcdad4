//! The media library: images editors and authors upload for articles (a
//! cover, a photo in a body). Each is kept re-encoded, never as sent, so
//! its metadata (a phone photo's EXIF, its GPS position among it) never
//! reaches the public; it is turned upright by its EXIF orientation first.
//! Narrower variants are made at fixed widths, in its own type and in WebP.
//! Their bytes go to the attachments' store (`documents::attachments`:
//! files beside a SQLite database, rows of the database on PostgreSQL)
//! under their SHA-256, and are served as immutable: an image's bytes never
//! change under its URLs, only its alt text, caption and credit do.

mod form;
mod images;
pub mod queries;
mod requests;
mod responses;
mod routes;
mod writes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{media, media_variants};
pub use images::{ImageType, MAX_DECODED_BYTES, MAX_SIDE};
pub use requests::{
    ImageAlt, ImageCaption, ImageCredit, SentTexts, TextChanges, TextField, Texts,
    UpdateImageRequest,
};
pub use responses::{ImageResponse, VariantResponse};
pub use routes::configure;

/// The widths variants are made at, narrowest first: those narrower than
/// the image (none is ever wider than what was sent).
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct ImageRow {
    pub id: i32,
    /// Of the stored (re-encoded) image.
    pub sha256: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

crate::http::versioned!(ImageRow, "image");

#[derive(Insertable)]
#[diesel(table_name = media)]
pub struct NewImage<'a> {
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    pub alt: &'a str,
    pub caption: &'a str,
    pub credit: &'a str,
    /// Who uploaded it, as the audit log names them (never shown publicly:
    /// it is an email).
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = media_variants)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct VariantRow {
    pub media_id: i32,
    pub width: i32,
    pub height: i32,
    pub content_type: String,
    pub sha256: String,
    pub byte_size: i64,
}

#[derive(Insertable)]
#[diesel(table_name = media_variants)]
pub struct NewVariant<'a> {
    pub media_id: i32,
    pub width: i32,
    pub height: i32,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub byte_size: i64,
}

/// An image as stored: its row and its variants, narrowest first (each
/// width in the image's own type, then in WebP).
#[derive(Debug, Clone)]
pub struct StoredImage {
    pub row: ImageRow,
    pub variants: Vec<VariantRow>,
}

impl StoredImage {
    /// The digests of every file it has, each once.
    pub fn digests(&self) -> Vec<String> {
        let mut digests = vec![self.row.sha256.clone()];
        for variant in &self.variants {
            if !digests.contains(&variant.sha256) {
                digests.push(variant.sha256.clone());
            }
        }
        digests
    }
}

/// Where bytes of the library are served, in `content_type`: named by their
/// digest, so only who was shown the image knows the URL, and what it names
/// never changes.
pub fn file_url(sha256: &str, content_type: &str) -> String {
    let extension = ImageType::from_content_type(content_type).map_or("bin", ImageType::extension);
    format!("{FILES}{sha256}.{extension}")
}

const FILES: &str = "/api/v1/media/files/";

/// Whether `path` serves an image's bytes (its file or a variant): large,
/// immutable, cached downstream by their own headers, so the response
/// cache keeps none of them in memory.
pub fn is_file_path(path: &str) -> bool {
    path.starts_with(FILES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_images_files_are_file_paths() {
        let digest = "7da769d4900f1ad498cef0812bc7a8b1957735b3ae695a3791f73f24866437eb";
        assert_eq!(
            file_url(digest, "image/webp"),
            format!("/api/v1/media/files/{digest}.webp")
        );
        assert!(is_file_path(&file_url(digest, "image/jpeg")));
        assert!(!is_file_path("/api/v1/media/3"));
        assert!(!is_file_path("/api/v1/media"));
        assert!(!is_file_path("/api/v1/documents/1/attachments/1"));
    }
}
