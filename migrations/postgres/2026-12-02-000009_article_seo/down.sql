DROP INDEX articles_by_og_image;
ALTER TABLE articles DROP COLUMN og_media_id;
ALTER TABLE articles DROP COLUMN meta_description;
ALTER TABLE articles DROP COLUMN meta_title;
