-- Conclusions become `other` again, then the CHECK loses the kind.
UPDATE documents SET kind = 'other' WHERE kind = 'conclusion';

PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE documents_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- Canonical: 5359/QĐ-UBND, 30/2020/NĐ-CP, 1234/UBND-KT, 19-NQ/TW.
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN (
        'decision', 'plan', 'directive', 'resolution', 'scheme', 'report', 'notice',
        'official_letter', 'decree', 'circular', 'law', 'regulation', 'guide', 'programme',
        'project', 'minutes', 'submission', 'contract', 'telegram', 'invitation', 'other')),
    type_code TEXT,
    issuer_code TEXT NOT NULL,
    -- The year of issue (or the number's year when the date is not known), for filtering.
    year INTEGER,
    issuing_body TEXT NOT NULL,
    issued_on DATE,
    effective_on DATE,
    expires_on DATE,
    signer TEXT NOT NULL DEFAULT '',
    -- The trích yếu.
    title TEXT NOT NULL,
    -- A draft is not issued yet; it may be open for public consultation.
    is_draft BOOLEAN NOT NULL DEFAULT 0,
    consultation_from TIMESTAMP,
    consultation_to TIMESTAMP,
    view_count BIGINT NOT NULL DEFAULT 0,
    download_count BIGINT NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO documents_new SELECT * FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;

CREATE INDEX documents_by_issue ON documents (issued_on, id);
CREATE INDEX documents_by_issuer ON documents (issuer_code, year);

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_search (rowid, number, title, issuing_body, signer) VALUES (
        new.id,
        replace(replace(new.number, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.issuing_body, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.signer, 'đ', 'd'), 'Đ', 'D'));
END;

CREATE TRIGGER documents_search_update
AFTER UPDATE OF number, title, issuing_body, signer ON documents BEGIN
    DELETE FROM documents_search WHERE rowid = old.id;
    INSERT INTO documents_search (rowid, number, title, issuing_body, signer) VALUES (
        new.id,
        replace(replace(new.number, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.issuing_body, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.signer, 'đ', 'd'), 'Đ', 'D'));
END;

CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
    DELETE FROM documents_search WHERE rowid = old.id;
END;

COMMIT;
PRAGMA foreign_keys = ON;
