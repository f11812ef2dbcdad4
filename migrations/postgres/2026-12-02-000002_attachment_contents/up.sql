-- Attachment bytes kept in the database itself, one row per content (by
-- its SHA-256), so every node reads the same files without a shared disk:
-- the default on PostgreSQL (BULLETIN_ATTACHMENTS_DIR keeps them as files).
-- Stored out of line and not compressed: PDFs, DOCX and images already are.
CREATE TABLE attachment_contents (
    sha256 text PRIMARY KEY,
    bytes bytea NOT NULL
);
ALTER TABLE attachment_contents ALTER COLUMN bytes SET STORAGE EXTERNAL;
