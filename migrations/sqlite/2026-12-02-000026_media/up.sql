-- The media library: images for articles, each kept encoded again (never
-- as uploaded: its metadata, a phone's GPS position among it, is left
-- behind), with narrower variants. The bytes live in the attachments'
-- store under their SHA-256 (files beside the database, or rows of
-- attachment_contents): these rows hold only the digests.
CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- Of the stored image.
    sha256 TEXT NOT NULL,
    -- Told from the bytes, never taken from the client.
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    -- In pixels, upright (its EXIF orientation applied).
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    byte_size BIGINT NOT NULL CHECK (byte_size > 0),
    -- Empty for none.
    alt TEXT NOT NULL DEFAULT '',
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    -- Who uploaded it, as the audit log names them (never shown publicly).
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Whether any image still holds some bytes, when something holding them goes.
CREATE INDEX media_by_content ON media (sha256);

-- An image's narrower copies: at fixed widths, in its type and in WebP.
CREATE TABLE media_variants (
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    sha256 TEXT NOT NULL,
    byte_size BIGINT NOT NULL CHECK (byte_size > 0),
    PRIMARY KEY (media_id, width, content_type)
);
CREATE INDEX media_variants_by_content ON media_variants (sha256);

-- An article's cover. An image some article has (in the trash too) is not
-- deleted: the API answers 409 first, and the key is the net under it.
ALTER TABLE articles ADD COLUMN cover_media_id INTEGER REFERENCES media (id) ON DELETE RESTRICT;
CREATE INDEX articles_by_cover ON articles (cover_media_id) WHERE cover_media_id IS NOT NULL;
