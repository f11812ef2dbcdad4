ALTER TABLE articles ADD COLUMN view_count BIGINT NOT NULL DEFAULT 0 CHECK (view_count >= 0);
UPDATE articles SET view_count = (
    SELECT article_views.view_count FROM article_views WHERE article_views.article_id = articles.id
);
CREATE INDEX articles_by_views ON articles (view_count DESC, id DESC);
DROP TABLE article_views;
