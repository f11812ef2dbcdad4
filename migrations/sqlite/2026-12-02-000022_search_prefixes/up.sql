-- Search as you type: the last word of a query also matches the words it
-- begins (search::SearchQuery). FTS5 answers a prefix by reading every word
-- that starts with it, unless it keeps an index of the prefixes: here those
-- of two and three letters, as Vietnamese syllables are short. On 10,000
-- articles, a thousand searches ending in a prefix took 28 % longer than
-- whole words without it, 7 % with it; the index grows by about a seventh.
-- The table is made again with it, from the same rows (about 2 s per 10,000
-- articles, once).
DROP TABLE articles_search;
CREATE VIRTUAL TABLE articles_search USING fts5(
    title, summary, body, byline,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
INSERT INTO articles_search (rowid, title, summary, body, byline)
    SELECT id, title, summary, body, byline FROM articles_search_rows;
INSERT INTO articles_search (articles_search, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 2.0)');
