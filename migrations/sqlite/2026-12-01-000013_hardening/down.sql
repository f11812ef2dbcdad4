ALTER TABLE articles DROP COLUMN was_public;
