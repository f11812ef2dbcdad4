DROP INDEX articles_by_change;
