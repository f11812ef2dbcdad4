DROP INDEX articles_by_cover;
ALTER TABLE articles DROP COLUMN cover_media_id;
DROP TABLE media_variants;
DROP TABLE media;
