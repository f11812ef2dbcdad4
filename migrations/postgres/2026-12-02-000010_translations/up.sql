-- Content in more than one language (a provincial portal publishes vi and
-- en): articles, categories and documents say what language they are in,
-- an article may be the translation of another, and a slug names an article
-- or a category within its language. Rows written before are in `vi`.
ALTER TABLE articles ADD COLUMN lang text NOT NULL DEFAULT 'vi';
-- The original this article translates (always an original: groups are
-- one level deep).
ALTER TABLE articles ADD COLUMN translation_of integer
    REFERENCES articles (id) ON DELETE SET NULL DEFERRABLE;
ALTER TABLE articles DROP CONSTRAINT articles_slug_key;
-- Slug first: a lookup by slug alone uses this index.
ALTER TABLE articles ADD CONSTRAINT articles_slug_lang_key UNIQUE (slug, lang);
CREATE INDEX articles_translations ON articles (translation_of)
    WHERE translation_of IS NOT NULL;

ALTER TABLE categories ADD COLUMN lang text NOT NULL DEFAULT 'vi';
ALTER TABLE categories DROP CONSTRAINT categories_slug_key;
ALTER TABLE categories ADD CONSTRAINT categories_slug_lang_key UNIQUE (slug, lang);

ALTER TABLE documents ADD COLUMN lang text NOT NULL DEFAULT 'vi';
