-- The search_word_prefixes migration wrote the whole full-text index in one
-- statement: one segment on FTS5's lowest level, where the edits' own small
-- segments are merged with it once enough of them pile up beside it. The
-- 14th edit after it rewrote the whole index (half a second for 10,000
-- articles, every write waiting meanwhile), and the 199th again. Each round
-- below (a row added and removed, then optimize) puts the index on a level
-- above the highest it has, as db::sqlite::merge_search_index does after an
-- import; three put it on level 5 or above, which edits' segments reach
-- after thousands of merges of their own. About 4 s a round for 100,000
-- articles, once; nothing on an empty index.
INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (-1, 'x', '', '', '');
DELETE FROM articles_search WHERE rowid = -1;
INSERT INTO articles_search (articles_search) VALUES ('optimize');
INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (-1, 'x', '', '', '');
DELETE FROM articles_search WHERE rowid = -1;
INSERT INTO articles_search (articles_search) VALUES ('optimize');
INSERT INTO articles_search (rowid, title, summary, body, byline) VALUES (-1, 'x', '', '', '');
DELETE FROM articles_search WHERE rowid = -1;
INSERT INTO articles_search (articles_search) VALUES ('optimize');
