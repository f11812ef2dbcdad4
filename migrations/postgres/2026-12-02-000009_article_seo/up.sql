-- What search engines and social previews show of an article when it
-- should differ from its headline, summary and cover (answers fall back to
-- those). The preview image is one of the media library, kept while used.
ALTER TABLE articles ADD COLUMN meta_title text;
ALTER TABLE articles ADD COLUMN meta_description text;
ALTER TABLE articles ADD COLUMN og_media_id integer
    REFERENCES media (id) ON DELETE RESTRICT DEFERRABLE;
CREATE INDEX articles_by_og_image ON articles (og_media_id) WHERE og_media_id IS NOT NULL;
