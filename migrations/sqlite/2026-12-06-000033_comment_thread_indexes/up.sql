-- A comment is on an article or on a document, and only a reply has a root,
-- so each of these columns is empty on many rows. SQLite's statistics count
-- those empty rows as rows sharing one value: on 300,000 comments, every
-- root was taken to hold 150,000 replies, and a page of a thread read its
-- replies by walking every approved comment (68 ms) rather than the roots'
-- few (0.1 ms). Indexing only the rows that hold a value keeps the
-- statistics about those; a lookup by a value (`=`, `IN`) reads them as
-- before.
DROP INDEX comments_on_article;
DROP INDEX comments_on_document;
DROP INDEX comments_by_root;
CREATE INDEX comments_on_article ON comments (article_id, status, created_at)
    WHERE article_id IS NOT NULL;
CREATE INDEX comments_on_document ON comments (document_id, status, created_at)
    WHERE document_id IS NOT NULL;
CREATE INDEX comments_by_root ON comments (root_id, status, created_at)
    WHERE root_id IS NOT NULL;
ANALYZE comments;
