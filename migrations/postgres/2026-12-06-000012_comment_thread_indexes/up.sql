-- As SQLite's (comment_thread_indexes): the comment indexes hold only the
-- rows with a value in their first column, the only ones a lookup reads.
-- PostgreSQL's statistics already tell empty rows apart; the indexes are
-- smaller, and the two engines keep one schema.
DROP INDEX comments_on_article;
DROP INDEX comments_on_document;
DROP INDEX comments_by_root;
CREATE INDEX comments_on_article ON comments (article_id, status, created_at)
    WHERE article_id IS NOT NULL;
CREATE INDEX comments_on_document ON comments (document_id, status, created_at)
    WHERE document_id IS NOT NULL;
CREATE INDEX comments_by_root ON comments (root_id, status, created_at)
    WHERE root_id IS NOT NULL;
