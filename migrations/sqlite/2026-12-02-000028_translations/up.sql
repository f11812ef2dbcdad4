-- Content in more than one language (a provincial portal publishes vi and
-- en): articles, categories and documents say what language they are in,
-- an article may be the translation of another, and a slug names an article
-- or a category within its language. Rows written before are in `vi`.
--
-- The slugs' UNIQUE constraints are part of their tables, so articles and
-- categories are rebuilt the way SQLite's ALTER TABLE documentation says
-- (new table, copy, drop, rename), with the view, indexes and triggers that
-- go with them, and every foreign key checked before the commit.
PRAGMA foreign_keys = OFF;
BEGIN;

DROP VIEW articles_search_rows;

CREATE TABLE articles_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_html TEXT NOT NULL,
    cover_image_url TEXT,
    byline TEXT NOT NULL,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL
        CHECK (status IN ('draft', 'pending_review', 'scheduled', 'published', 'archived')),
    published_at TIMESTAMP,
    view_count BIGINT NOT NULL DEFAULT 0 CHECK (view_count >= 0),
    comment_count BIGINT NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    -- The rating aggregate: sum of stars and number of votes.
    rating_total BIGINT NOT NULL DEFAULT 0 CHECK (rating_total >= 0),
    rating_count BIGINT NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    body_text TEXT NOT NULL DEFAULT '',
    deleted_at TIMESTAMP,
    rated_1 BIGINT NOT NULL DEFAULT 0 CHECK (rated_1 >= 0),
    rated_2 BIGINT NOT NULL DEFAULT 0 CHECK (rated_2 >= 0),
    rated_3 BIGINT NOT NULL DEFAULT 0 CHECK (rated_3 >= 0),
    rated_4 BIGINT NOT NULL DEFAULT 0 CHECK (rated_4 >= 0),
    rated_5 BIGINT NOT NULL DEFAULT 0 CHECK (rated_5 >= 0),
    was_public BOOLEAN NOT NULL DEFAULT 0,
    word_count INTEGER NOT NULL DEFAULT 0,
    featured BOOLEAN NOT NULL DEFAULT 0,
    cover_media_id INTEGER REFERENCES media (id) ON DELETE RESTRICT,
    meta_title TEXT,
    meta_description TEXT,
    og_media_id INTEGER REFERENCES media (id) ON DELETE RESTRICT,
    -- A BCP 47 tag, in the spelling `Lang` keeps.
    lang TEXT NOT NULL DEFAULT 'vi',
    -- The original this article translates (always an original: groups
    -- are one level deep).
    translation_of INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    -- Slug first: a lookup by slug alone uses this index.
    UNIQUE (slug, lang)
);
INSERT INTO articles_rebuilt (
    id, slug, title, summary, body_html, cover_image_url, byline, category_id, author_id,
    status, published_at, view_count, comment_count, rating_total, rating_count, version,
    created_at, updated_at, body_text, deleted_at, rated_1, rated_2, rated_3, rated_4, rated_5,
    was_public, word_count, featured, cover_media_id, meta_title, meta_description, og_media_id)
SELECT
    id, slug, title, summary, body_html, cover_image_url, byline, category_id, author_id,
    status, published_at, view_count, comment_count, rating_total, rating_count, version,
    created_at, updated_at, body_text, deleted_at, rated_1, rated_2, rated_3, rated_4, rated_5,
    was_public, word_count, featured, cover_media_id, meta_title, meta_description, og_media_id
FROM articles;
DROP TABLE articles;
ALTER TABLE articles_rebuilt RENAME TO articles;

CREATE INDEX articles_by_category ON articles (category_id);
CREATE INDEX articles_by_update ON articles (updated_at, id);
CREATE INDEX articles_by_views ON articles (view_count DESC, id DESC);
CREATE INDEX articles_unlisted ON articles (id)
    WHERE deleted_at IS NOT NULL OR status <> 'published';
-- The language last: a list in one language is read from the index alone.
CREATE INDEX articles_visible ON articles (published_at DESC, id DESC, status, category_id, lang)
    WHERE deleted_at IS NULL;
CREATE INDEX articles_visible_by_category
    ON articles (category_id, published_at DESC, id DESC, status, lang)
    WHERE deleted_at IS NULL;
CREATE INDEX articles_featured ON articles (published_at DESC, id DESC)
    WHERE featured AND deleted_at IS NULL;
CREATE INDEX articles_by_cover ON articles (cover_media_id) WHERE cover_media_id IS NOT NULL;
CREATE INDEX articles_by_og_image ON articles (og_media_id) WHERE og_media_id IS NOT NULL;
CREATE INDEX articles_translations ON articles (translation_of)
    WHERE translation_of IS NOT NULL;

-- As migration 17 made them: the text the full-text index holds, đ folded.
CREATE VIEW articles_search_rows AS
    SELECT id,
        replace(replace(title, 'đ', 'd'), 'Đ', 'D') AS title,
        replace(replace(summary, 'đ', 'd'), 'Đ', 'D') AS summary,
        replace(replace(body_text, 'đ', 'd'), 'Đ', 'D') AS body,
        replace(replace(byline, 'đ', 'd'), 'Đ', 'D') AS byline
    FROM articles;
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, title, summary, body, byline)
        SELECT id, title, summary, body, byline FROM articles_search_rows WHERE id = new.id;
END;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, summary, body_text, byline ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
    INSERT INTO articles_search (rowid, title, summary, body, byline)
        SELECT id, title, summary, body, byline FROM articles_search_rows WHERE id = new.id;
END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
END;

CREATE TABLE categories_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    parent_id INTEGER REFERENCES categories (id) ON DELETE RESTRICT,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    lang TEXT NOT NULL DEFAULT 'vi',
    UNIQUE (slug, lang)
);
INSERT INTO categories_rebuilt (id, parent_id, slug, name, created_at, updated_at, description, version)
SELECT id, parent_id, slug, name, created_at, updated_at, description, version FROM categories;
DROP TABLE categories;
ALTER TABLE categories_rebuilt RENAME TO categories;
CREATE INDEX categories_by_parent ON categories (parent_id);

ALTER TABLE documents ADD COLUMN lang TEXT NOT NULL DEFAULT 'vi';

-- A broken reference fails the CHECK, and the migration with it.
CREATE TEMP TABLE broken_references (count INTEGER CHECK (count = 0));
INSERT INTO broken_references SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE broken_references;
COMMIT;
PRAGMA foreign_keys = ON;
