-- Editing articles: the trash, tags, and the revisions every change keeps.

-- Trashed articles vanish from every public read; editors restore them.
ALTER TABLE articles ADD COLUMN deleted_at TIMESTAMP;

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag);

-- The content as it was before each change: version N is what the article
-- held while its version was N.
CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_html TEXT NOT NULL,
    byline TEXT NOT NULL,
    category_id INTEGER,
    cover_image_url TEXT,
    -- A JSON array of the tags.
    tags TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Who made the change that replaced this content.
    replaced_by_kind TEXT NOT NULL,
    replaced_by_id INTEGER,
    replaced_by_label TEXT NOT NULL,
    replaced_at TIMESTAMP NOT NULL,
    UNIQUE (article_id, version)
);
