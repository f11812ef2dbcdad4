DROP TRIGGER articles_search_update;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, summary, body_text, byline ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = old.id;
    INSERT INTO articles_search (rowid, title, summary, body, byline)
        SELECT id, title, summary, body, byline FROM articles_search_rows WHERE id = new.id;
END;
