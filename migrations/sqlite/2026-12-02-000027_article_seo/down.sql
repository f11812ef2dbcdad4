ALTER TABLE articles DROP COLUMN meta_description;
ALTER TABLE articles DROP COLUMN meta_title;
