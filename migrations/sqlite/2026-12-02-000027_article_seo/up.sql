-- What search engines and social previews show of an article when it
-- should differ from its headline and summary (answers fall back to those).
ALTER TABLE articles ADD COLUMN meta_title TEXT;
ALTER TABLE articles ADD COLUMN meta_description TEXT;
