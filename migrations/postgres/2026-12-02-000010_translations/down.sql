ALTER TABLE documents DROP COLUMN lang;
ALTER TABLE categories DROP CONSTRAINT categories_slug_lang_key;
ALTER TABLE categories ADD CONSTRAINT categories_slug_key UNIQUE (slug);
ALTER TABLE categories DROP COLUMN lang;
DROP INDEX articles_translations;
ALTER TABLE articles DROP CONSTRAINT articles_slug_lang_key;
ALTER TABLE articles ADD CONSTRAINT articles_slug_key UNIQUE (slug);
ALTER TABLE articles DROP COLUMN translation_of;
ALTER TABLE articles DROP COLUMN lang;
