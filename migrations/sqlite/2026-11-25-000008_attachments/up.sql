-- Files attached to documents. The bytes live on disk beside the database,
-- named by their SHA-256 (content-addressed: one copy however often attached).
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    -- As uploaded (Vietnamese names kept), without any directory part.
    filename TEXT NOT NULL,
    -- Detected from the bytes, never taken from the client.
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_by_document ON attachments (document_id, id);
CREATE INDEX attachments_by_content ON attachments (sha256);
