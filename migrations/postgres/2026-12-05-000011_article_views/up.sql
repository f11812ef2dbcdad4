-- Counted views move out of the articles' rows into a table of their own.
-- A view flush adds to the counts of thousands of articles; an UPDATE of an
-- article's row writes a new version of it and, the count being indexed,
-- a new entry in every one of the table's indexes.
CREATE TABLE article_views (
    article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE DEFERRABLE,
    view_count bigint NOT NULL DEFAULT 0 CHECK (view_count >= 0)
);
INSERT INTO article_views (article_id, view_count) SELECT id, view_count FROM articles;
-- The most viewed first, as lists sorted by views walk it.
CREATE INDEX article_views_by_count ON article_views (view_count DESC, article_id DESC);
ALTER TABLE articles DROP COLUMN view_count;
