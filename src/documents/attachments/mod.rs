//! Files attached to documents (the signed PDF, its annexes): type told
//! from the bytes, stored once by their SHA-256 (on disk or in the
//! database: `store`), downloaded with ranges.

pub mod queries;
mod routes;
mod store;
mod writes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::attachments;
pub use routes::{AttachmentLimit, configure, never_run, stored_file};
pub use store::{AttachmentStore, ContentError, FileStore, Incoming};

/// The kinds of file a document may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Docx,
    Xlsx,
    Png,
    Jpeg,
}

impl FileType {
    /// What the bytes are, whatever the client says they are.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if infer::archive::is_pdf(bytes) {
            Some(FileType::Pdf)
        } else if infer::doc::is_docx(bytes) {
            Some(FileType::Docx)
        } else if infer::doc::is_xlsx(bytes) {
            Some(FileType::Xlsx)
        } else if infer::image::is_png(bytes) {
            Some(FileType::Png)
        } else if infer::image::is_jpeg(bytes) {
            Some(FileType::Jpeg)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }
}

/// A file name as kept: its last path component (browsers may send a whole
/// path), trimmed, 1 to 255 characters, no control characters, not `.` or
/// `..`, and no bidirectional controls, which make `gpj.exe` read as
/// `exe.jpg` (U+202E) in a file manager.
pub fn parse_filename(raw: &str) -> Result<String, String> {
    let name = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name = crate::text::bounded_line(name, 1, 255)?;
    if name == "." || name == ".." {
        return Err("must name a file, not `.` or `..`".into());
    }
    if name.chars().any(is_bidi_control) {
        return Err(
            "must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)"
                .into(),
        );
    }
    Ok(name)
}

/// The characters that reorder how text around them is displayed.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct AttachmentRow {
    pub id: i32,
    pub document_id: i32,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment<'a> {
    pub document_id: i32,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub created_at: NaiveDateTime,
}

/// A file attached to a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentResponse {
    #[schema(example = 1)]
    pub id: i32,
    /// As uploaded.
    #[schema(example = "Quyết định 5359.pdf")]
    pub filename: String,
    /// Detected from the bytes.
    #[schema(example = "application/pdf")]
    pub content_type: String,
    /// In bytes.
    #[schema(example = 183204)]
    pub size: i64,
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    /// Downloads it (with `Range` support).
    #[schema(example = "/api/v1/documents/1/attachments/1")]
    pub url: String,
}

impl From<AttachmentRow> for AttachmentResponse {
    fn from(row: AttachmentRow) -> Self {
        Self {
            url: format!(
                "/api/v1/documents/{}/attachments/{}",
                row.document_id, row.id
            ),
            id: row.id,
            filename: row.filename,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP archive of empty stored entries: enough for the OOXML signatures.
    fn zip(names: &[&str]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for name in names {
            bytes.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
            bytes.extend_from_slice(&[0; 12]);
            bytes.extend_from_slice(&(name.len() as u16).to_le_bytes());
            bytes.extend_from_slice(&[0, 0]);
            bytes.extend_from_slice(name.as_bytes());
        }
        bytes
    }

    #[test]
    fn types_are_told_from_the_bytes() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(
            FileType::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileType::Png)
        );
        assert_eq!(
            FileType::sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::sniff(&zip(&[
                "[Content_Types].xml",
                "_rels/.rels",
                "word/_rels/document.xml.rels",
                "word/document.xml"
            ])),
            Some(FileType::Docx)
        );
        assert_eq!(
            FileType::sniff(&zip(&[
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/_rels/workbook.xml.rels",
                "xl/workbook.xml"
            ])),
            Some(FileType::Xlsx)
        );
        assert_eq!(FileType::sniff(&zip(&["payload.exe"])), None, "a plain zip");
        assert_eq!(FileType::sniff(b"<html><script>"), None);
        assert_eq!(FileType::sniff(b"MZ\x90\0"), None);
        assert_eq!(FileType::sniff(b""), None);
    }

    #[test]
    fn file_names_lose_their_directories_and_keep_their_letters() {
        assert_eq!(
            parse_filename("C:\\Users\\Văn thư\\Quyết định 5359.pdf").unwrap(),
            "Quyết định 5359.pdf"
        );
        assert_eq!(parse_filename("../../etc/passwd").unwrap(), "passwd");
        assert!(parse_filename("dir/").is_err());
        assert!(parse_filename("a\nb.pdf").is_err());
        for refused in [
            ".",
            "..",
            "uploads/..",
            "C:\\..",
            "h\u{202E}fdp.exe",
            "a\u{2067}b.pdf",
        ] {
            assert!(parse_filename(refused).is_err(), "{refused:?}");
        }
    }
}
