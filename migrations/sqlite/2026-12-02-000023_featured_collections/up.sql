-- Featured news ("TIN NỔI BẬT"): a flag editors set, and the newest featured
-- public articles found without walking every article.
ALTER TABLE articles ADD COLUMN featured BOOLEAN NOT NULL DEFAULT 0;
CREATE INDEX articles_featured ON articles (published_at DESC, id DESC)
    WHERE featured AND deleted_at IS NULL;

-- Collections: the home page's blocks, each an ordered list of articles
-- chosen by editors (NukeViet's block categories).
CREATE TABLE collections (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE collection_articles (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- 0 first.
    position INTEGER NOT NULL,
    PRIMARY KEY (collection_id, article_id)
);
-- The collections an article is in, for its deletion.
CREATE INDEX collection_articles_by_article ON collection_articles (article_id);
