-- How many words an article's body has, for its reading time, kept so that
-- lists (which never read bodies) can show it. Written with the body
-- (articles::content::word_count); here counted the same way for the
-- articles already stored: body_text is its words joined by single spaces.
ALTER TABLE articles ADD COLUMN word_count integer NOT NULL DEFAULT 0;
UPDATE articles SET word_count = CASE WHEN body_text = '' THEN 0
    ELSE length(body_text) - length(replace(body_text, ' ', '')) + 1 END;
