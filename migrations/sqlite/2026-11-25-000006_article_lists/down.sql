DROP INDEX articles_by_update;
DROP INDEX article_tags_by_key;
CREATE INDEX article_tags_by_tag ON article_tags (tag);
ALTER TABLE article_tags DROP COLUMN tag_key;
