DROP TRIGGER articles_search_insert;
CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (
        new.id,
        replace(replace(new.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.summary, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.body_text, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.byline, 'đ', 'd'), 'Đ', 'D'));
END;

DROP TRIGGER articles_search_update;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, summary, body_text, byline ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
    INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (
        new.id,
        replace(replace(new.title, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.summary, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.body_text, 'đ', 'd'), 'Đ', 'D'),
        replace(replace(new.byline, 'đ', 'd'), 'Đ', 'D'));
END;

DROP VIEW articles_search_rows;
