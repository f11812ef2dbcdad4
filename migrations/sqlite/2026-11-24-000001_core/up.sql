-- The core of the newsroom: staff accounts, categories, articles and the
-- official documents articles cite. Later migrations grow these tables.
--
-- Ids are AUTOINCREMENT: never reused after a delete, so a deleted account's
-- id cannot come back as another's (the audit log names actors by id), and a
-- deleted article's tombstone cannot collide with a new article.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- Stored lower-cased by the application; NOCASE keeps the index honest
    -- for rows written by hand.
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'author', 'member')),
    display_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    parent_id INTEGER REFERENCES categories (id) ON DELETE RESTRICT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
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
    updated_at TIMESTAMP NOT NULL
);

-- The public list: published articles, newest first, keyset-paged.
CREATE INDEX articles_by_publication ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_by_category ON articles (category_id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- The canonical number, e.g. 5359/QĐ-UBND.
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN (
        'decision', 'plan', 'directive', 'resolution', 'scheme', 'report', 'notice',
        'official_letter', 'decree', 'circular', 'other')),
    issuing_body TEXT NOT NULL,
    issued_on DATE,
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Which documents an article cites.
CREATE TABLE article_documents (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, document_id)
);
CREATE INDEX article_documents_by_document ON article_documents (document_id);
