//! What staff receive for images, and what articles embed of them.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use utoipa::ToSchema;

use super::{StoredImage, VariantRow, file_url};
use crate::support::timestamps::SiteOffset;

/// An image of the library, with the narrower variants made of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImageResponse {
    #[schema(example = 12)]
    pub id: i32,
    /// The image itself, as kept: re-encoded, upright, without metadata
    /// (EXIF, GPS). Cached for a year: its bytes never change.
    #[schema(
        example = "/api/v1/media/files/677ee6203b31e15e3e7f45fd64a84cf2a2eeddebbe119a66c9d931395af821cb.jpg"
    )]
    pub url: String,
    /// Told from the bytes sent: `image/jpeg`, `image/png` or `image/webp`.
    #[schema(example = "image/jpeg")]
    pub content_type: String,
    /// In pixels, upright (after its EXIF orientation was applied).
    #[schema(example = 1920)]
    pub width: i32,
    #[schema(example = 1080)]
    pub height: i32,
    /// Of the file at `url`, in bytes.
    #[schema(example = 412360)]
    pub byte_size: i64,
    /// What the image shows, for screen readers and when it does not load;
    /// null for none.
    #[schema(example = "Đại biểu dự hội nghị cải cách hành chính")]
    pub alt: Option<String>,
    /// Shown under the image; null for none.
    #[schema(example = "Toàn cảnh hội nghị sáng 5/3/2024")]
    pub caption: Option<String>,
    /// Who took or owns it; null for none.
    #[schema(example = "Ảnh: Văn phòng Sở")]
    pub credit: Option<String>,
    /// Narrower copies for `srcset`, narrowest first: at 320, 640, 1024 and
    /// 1600 pixels wide where the image is wider, each in its own type and
    /// in WebP (lossless, so a photo's WebP may be larger than its JPEG:
    /// compare `byte_size`). None for an image 320 pixels wide or less.
    pub variants: Vec<VariantResponse>,
    /// Increases with every change; the `ETag` is built from it.
    #[schema(example = 1)]
    pub version: i32,
    #[schema(example = "2026-12-02T09:00:00+07:00")]
    pub created_at: DateTime<FixedOffset>,
    #[schema(example = "2026-12-02T09:00:00+07:00")]
    pub updated_at: DateTime<FixedOffset>,
}

/// A narrower copy of an image.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantResponse {
    #[schema(example = 640)]
    pub width: i32,
    #[schema(example = 360)]
    pub height: i32,
    #[schema(example = "image/webp")]
    pub content_type: String,
    #[schema(example = 48210)]
    pub byte_size: i64,
    /// Cached for a year: its bytes never change.
    #[schema(
        example = "/api/v1/media/files/7da769d4900f1ad498cef0812bc7a8b1957735b3ae695a3791f73f24866437eb.webp"
    )]
    pub url: String,
}

impl ImageResponse {
    pub fn new(image: StoredImage, offset: SiteOffset) -> Self {
        let StoredImage { row, variants } = image;
        Self {
            url: file_url(&row.sha256, &row.content_type),
            id: row.id,
            content_type: row.content_type,
            width: row.width,
            height: row.height,
            byte_size: row.byte_size,
            alt: crate::text::non_empty(row.alt),
            caption: crate::text::non_empty(row.caption),
            credit: crate::text::non_empty(row.credit),
            variants: variants.into_iter().map(VariantResponse::from).collect(),
            version: row.version,
            created_at: offset.show(row.created_at),
            updated_at: offset.show(row.updated_at),
        }
    }
}

impl From<VariantRow> for VariantResponse {
    fn from(row: VariantRow) -> Self {
        Self {
            url: file_url(&row.sha256, &row.content_type),
            width: row.width,
            height: row.height,
            content_type: row.content_type,
            byte_size: row.byte_size,
        }
    }
}
