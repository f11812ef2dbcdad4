DROP INDEX articles_shown_by_id;
