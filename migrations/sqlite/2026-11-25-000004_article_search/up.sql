-- Full-text search over articles, Vietnamese-aware.
--
-- unicode61 with remove_diacritics 2 folds case and every tone and vowel mark
-- (ế, ườ, ự …) but never đ/Đ, which are letters of their own to Unicode. So
-- the index holds a copy with đ→d and Đ→D, and queries are folded the same
-- way (articles::search::fold): "quyet dinh", "Binh Dinh", "DINH" all match.
-- The replacement is one character for one, so highlight() positions in the
-- folded copy are positions in the original text too (used for snippets).

-- The body as plain text (tags stripped), written with the article.
ALTER TABLE articles ADD COLUMN body_text TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE articles_search USING fts5(
    title, summary, body, byline,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Kept in step with articles by triggers, so no write path can forget it.
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (
        new.id,
        replace(replace(new.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.summary, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.body_text, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.byline, 'đ', 'd'), 'Đ', 'D'));
END;

-- Only a change to searchable text re-indexes (not a view count).
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, summary, body_text, byline ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
    INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (
        new.id,
        replace(replace(new.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.summary, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.body_text, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.byline, 'đ', 'd'), 'Đ', 'D'));
END;

CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
END;

-- Articles written before this migration: indexed with what SQL can see.
INSERT INTO articles_search (rowid, title, summary, body, byline)
    SELECT id,
        replace(replace(title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(summary, 'đ', 'd'), 'Đ', 'D'),
        '',
        replace(replace(byline, 'đ', 'd'), 'Đ', 'D')
    FROM articles;
