ALTER TABLE articles DROP COLUMN word_count;
