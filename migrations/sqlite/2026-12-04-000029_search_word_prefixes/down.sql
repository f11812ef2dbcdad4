DROP TABLE articles_search;
CREATE VIRTUAL TABLE articles_search USING fts5(
    title, summary, body, byline,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO articles_search (rowid, title, summary, body, byline)
    SELECT id, title, summary, body, byline FROM articles_search_rows;
INSERT INTO articles_search (articles_search, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)');
