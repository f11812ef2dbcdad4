DROP TABLE article_revisions;
DROP TABLE article_tags;
ALTER TABLE articles DROP COLUMN deleted_at;
