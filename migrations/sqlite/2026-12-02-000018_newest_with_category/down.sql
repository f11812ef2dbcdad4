DROP INDEX articles_visible;
CREATE INDEX articles_visible ON articles (published_at DESC, id DESC, status)
    WHERE deleted_at IS NULL;
