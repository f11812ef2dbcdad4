-- What search engines and social previews show of an article when it
-- should differ from its headline, summary and cover (answers fall back to
-- those). The preview image is one of the media library, kept while used.
ALTER TABLE articles ADD COLUMN meta_title TEXT;
ALTER TABLE articles ADD COLUMN meta_description TEXT;
ALTER TABLE articles ADD COLUMN og_media_id INTEGER REFERENCES media (id) ON DELETE RESTRICT;
CREATE INDEX articles_by_og_image ON articles (og_media_id) WHERE og_media_id IS NOT NULL;
