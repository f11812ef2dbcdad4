DROP TABLE collection_articles;
DROP TABLE collections;
DROP INDEX articles_featured;
ALTER TABLE articles DROP COLUMN featured;
