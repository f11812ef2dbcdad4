-- Searches over every visible article without reading the list of them.
-- Almost every article is visible; the few that are not are found through
-- this small index (drafts, reviews, archived, scheduled, trashed) and the
-- visible-articles index (published with a time still to come), and taken
-- away from the full-text matches (articles::queries::search_visible).
CREATE INDEX articles_unlisted ON articles (id)
    WHERE deleted_at IS NOT NULL OR status <> 'published';

-- The ranking is the full-text table's own (`ORDER BY rank`), with the
-- column weights the service ranks by: title, summary, body, byline.
INSERT INTO articles_search (articles_search, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)');
