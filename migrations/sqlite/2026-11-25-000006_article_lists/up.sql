-- Lists of articles by tag, and mobile sync.

-- Tags match whatever their case: `tag_key` is the tag in lower case
-- (Unicode lower case, written by the service; SQLite's lower() folds only
-- ASCII, which is enough for the rows written before this column).
ALTER TABLE article_tags ADD COLUMN tag_key TEXT NOT NULL DEFAULT '';
UPDATE article_tags SET tag_key = lower(tag);
DROP INDEX article_tags_by_tag;
CREATE INDEX article_tags_by_key ON article_tags (tag_key, article_id);

-- Staff lists sorted by their last change.
CREATE INDEX articles_by_update ON articles (updated_at, id);
