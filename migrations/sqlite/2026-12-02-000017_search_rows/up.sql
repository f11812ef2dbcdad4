-- What the full-text index holds for an article: its searchable text with
-- đ and Đ folded to d and D (see 000004). One definition serves the
-- triggers, which index one article as it is written, and bulk loads
-- (db::load_articles_in_bulk), which index thousands in one
-- statement: FTS5 writes its pending terms out at each statement of a
-- transaction, so an article a statement makes a tiny segment to merge.
CREATE VIEW articles_search_rows AS
    SELECT id,
        replace(replace(title, 'đ', 'd'), 'Đ', 'D') AS title,
        replace(replace(summary, 'đ', 'd'), 'Đ', 'D') AS summary,
        replace(replace(body_text, 'đ', 'd'), 'Đ', 'D') AS body,
        replace(replace(byline, 'đ', 'd'), 'Đ', 'D') AS byline
    FROM articles;

DROP TRIGGER articles_search_insert;
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, title, summary, body, byline)
        SELECT id, title, summary, body, byline FROM articles_search_rows WHERE id = new.id;
END;

DROP TRIGGER articles_search_update;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, summary, body_text, byline ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
    INSERT INTO articles_search (rowid, title, summary, body, byline)
        SELECT id, title, summary, body, byline FROM articles_search_rows WHERE id = new.id;
END;
