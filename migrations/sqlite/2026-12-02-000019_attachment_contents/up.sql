-- Attachment bytes kept in the database itself, one row per content (by
-- its SHA-256), for nodes that share no disk: the default on PostgreSQL.
-- A SQLite node keeps its files beside the database and leaves this empty
-- unless told otherwise; the table is here so both engines have one schema
-- (and `copy` carries it like every other table).
CREATE TABLE attachment_contents (
    sha256 TEXT PRIMARY KEY NOT NULL,
    bytes BLOB NOT NULL
);
