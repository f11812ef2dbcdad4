-- The document registry: every field of an official document, relations
-- between documents, areas, and citations kept by number.

-- Citations by number: what an article's text cites, registered or not. A
-- document registered later is linked by its number, with nothing to redo.
CREATE TABLE article_references (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- The canonical number (documents::number::DocumentNumber).
    number TEXT NOT NULL,
    -- The date the text gives for it, if any.
    issued_on DATE,
    -- Where it first appears in the article's text, in characters.
    position INTEGER NOT NULL,
    PRIMARY KEY (article_id, number)
);
CREATE INDEX article_references_by_number ON article_references (number, article_id);

INSERT INTO article_references (article_id, number, issued_on, position)
    SELECT cited.article_id, documents.number, documents.issued_on, documents.id
    FROM article_documents cited JOIN documents ON documents.id = cited.document_id;
DROP TABLE article_documents;

-- Rebuilt for the new kinds (a CHECK cannot be altered in place).
CREATE TABLE documents_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- Canonical: 5359/QĐ-UBND, 30/2020/NĐ-CP, 1234/UBND-KT.
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
INSERT INTO documents_new (id, number, kind, type_code, issuer_code, year, issuing_body, issued_on,
        title, created_at, updated_at)
    SELECT id, number, kind,
        -- The demo's numbers are all TYPE-ISSUER; the service rewrites codes on the next write.
        CASE WHEN instr(substr(number, instr(number, '/') + 1), '-') > 0
            THEN substr(number, instr(number, '/') + 1,
                instr(substr(number, instr(number, '/') + 1), '-') - 1) END,
        substr(number, instr(number, '-') + 1),
        CAST(strftime('%Y', issued_on) AS INTEGER),
        issuing_body, issued_on, title, created_at, updated_at
    FROM documents;
DROP TABLE documents;
ALTER TABLE documents_new RENAME TO documents;
CREATE INDEX documents_by_issue ON documents (issued_on, id);
CREATE INDEX documents_by_issuer ON documents (issuer_code, year);

-- One row per pair, read both ways: "A supersedes B" is also "B is replaced
-- by A", so the relation cannot be half-written.
CREATE TABLE document_relations (
    source_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('implements', 'amends', 'supersedes')),
    target_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, kind, target_id),
    CHECK (source_id <> target_id)
);
CREATE INDEX document_relations_by_target ON document_relations (target_id, kind);

-- Fields ("Cải cách hành chính"), a tree.
CREATE TABLE areas (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    parent_id INTEGER REFERENCES areas (id) ON DELETE RESTRICT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE document_areas (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    area_id INTEGER NOT NULL REFERENCES areas (id) ON DELETE RESTRICT,
    PRIMARY KEY (document_id, area_id)
);
CREATE INDEX document_areas_by_area ON document_areas (area_id, document_id);

-- Full-text search, folded as for articles (đ→d, then unicode61 folds the
-- marks). The number is indexed too: `5359` and `5359/QĐ-UBND` find it.
CREATE VIRTUAL TABLE documents_search USING fts5(
    number, title, issuing_body, signer,
    tokenize = 'unicode61 remove_diacritics 2'
);

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

INSERT INTO documents_search (rowid, number, title, issuing_body, signer)
    SELECT id,
        replace(replace(number, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(issuing_body, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(signer, 'đ', 'd'), 'Đ', 'D')
    FROM documents;
