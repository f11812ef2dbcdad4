-- As SQLite's (articles_shown_by_id): what lists, sitemaps and related
-- articles read of many articles by id, so that they read the index alone
-- (an index-only scan) rather than every row.
CREATE INDEX articles_shown_by_id ON articles (id)
    INCLUDE (status, published_at, deleted_at, lang, category_id, updated_at, slug);
