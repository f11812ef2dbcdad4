DROP INDEX comments_on_article;
DROP INDEX comments_on_document;
DROP INDEX comments_by_root;
CREATE INDEX comments_on_article ON comments (article_id, status, created_at);
CREATE INDEX comments_on_document ON comments (document_id, status, created_at);
CREATE INDEX comments_by_root ON comments (root_id, status, created_at);
