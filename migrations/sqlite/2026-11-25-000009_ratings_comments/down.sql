DROP TABLE comment_reactions;
DROP TABLE comments;
DROP TABLE ratings;
ALTER TABLE articles DROP COLUMN rated_5;
ALTER TABLE articles DROP COLUMN rated_4;
ALTER TABLE articles DROP COLUMN rated_3;
ALTER TABLE articles DROP COLUMN rated_2;
ALTER TABLE articles DROP COLUMN rated_1;
