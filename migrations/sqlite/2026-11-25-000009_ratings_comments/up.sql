-- Readers' voice: star ratings, and moderated comments on articles and on
-- drafts open for public consultation.

-- How many votes gave each number of stars, kept with rating_total and
-- rating_count in the same transaction as each vote.
ALTER TABLE articles ADD COLUMN rated_1 BIGINT NOT NULL DEFAULT 0 CHECK (rated_1 >= 0);
ALTER TABLE articles ADD COLUMN rated_2 BIGINT NOT NULL DEFAULT 0 CHECK (rated_2 >= 0);
ALTER TABLE articles ADD COLUMN rated_3 BIGINT NOT NULL DEFAULT 0 CHECK (rated_3 >= 0);
ALTER TABLE articles ADD COLUMN rated_4 BIGINT NOT NULL DEFAULT 0 CHECK (rated_4 >= 0);
ALTER TABLE articles ADD COLUMN rated_5 BIGINT NOT NULL DEFAULT 0 CHECK (rated_5 >= 0);
-- Votes counted before votes were kept one by one (imported aggregates such
-- as the demo's 3 points from 3 votes) go to the star of their average.
UPDATE articles SET rated_1 = rating_count WHERE rating_count > 0
    AND CAST(round(1.0 * rating_total / rating_count) AS INTEGER) <= 1;
UPDATE articles SET rated_2 = rating_count WHERE rating_count > 0
    AND CAST(round(1.0 * rating_total / rating_count) AS INTEGER) = 2;
UPDATE articles SET rated_3 = rating_count WHERE rating_count > 0
    AND CAST(round(1.0 * rating_total / rating_count) AS INTEGER) = 3;
UPDATE articles SET rated_4 = rating_count WHERE rating_count > 0
    AND CAST(round(1.0 * rating_total / rating_count) AS INTEGER) = 4;
UPDATE articles SET rated_5 = rating_count WHERE rating_count > 0
    AND CAST(round(1.0 * rating_total / rating_count) AS INTEGER) >= 5;

-- One vote per voter and article: `user:{id}`, or `guest:{sha256 of the voter token}`.
CREATE TABLE ratings (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, voter)
);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- On an article, or on a document open for consultation: exactly one.
    article_id INTEGER REFERENCES articles (id) ON DELETE CASCADE,
    document_id INTEGER REFERENCES documents (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    -- The top-level comment of its thread (null for a top-level one): a
    -- page of comments loads its replies in one query.
    root_id INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    -- 0 for a comment, 1 for a reply to it, …
    depth INTEGER NOT NULL CHECK (depth >= 0),
    -- Plain text, as written.
    body TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    -- Never shown publicly.
    author_email TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    likes BIGINT NOT NULL DEFAULT 0 CHECK (likes >= 0),
    dislikes BIGINT NOT NULL DEFAULT 0 CHECK (dislikes >= 0),
    -- Where it came from, for moderators fighting abuse.
    client_address TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP,
    CHECK ((article_id IS NULL) <> (document_id IS NULL))
);
CREATE INDEX comments_on_article ON comments (article_id, status, created_at);
CREATE INDEX comments_on_document ON comments (document_id, status, created_at);
CREATE INDEX comments_by_root ON comments (root_id, status, created_at);
CREATE INDEX comments_by_status ON comments (status, created_at);

-- One reaction per reader and comment, changeable.
CREATE TABLE comment_reactions (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    reaction TEXT NOT NULL CHECK (reaction IN ('like', 'dislike')),
    PRIMARY KEY (comment_id, voter)
);
