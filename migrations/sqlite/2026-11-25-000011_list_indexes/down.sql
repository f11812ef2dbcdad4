CREATE INDEX articles_by_publication ON articles (status, published_at DESC, id DESC);
DROP INDEX articles_by_views;
DROP INDEX articles_visible;
