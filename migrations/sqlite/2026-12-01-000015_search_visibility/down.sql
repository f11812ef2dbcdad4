INSERT INTO articles_search (articles_search, rank) VALUES ('rank', 'bm25()');
DROP INDEX articles_unlisted;
