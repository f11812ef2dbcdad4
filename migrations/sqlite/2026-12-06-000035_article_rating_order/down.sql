DROP INDEX articles_by_rating;
