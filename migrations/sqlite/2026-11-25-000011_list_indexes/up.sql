-- Lists and searches of visible articles answered from indexes. Articles'
-- status and dates sit after their bodies in each row, so every row read
-- to test them walks the body's overflow pages: these indexes hold what the
-- tests need, and lists read rows only for the page they answer.
CREATE INDEX articles_visible ON articles (published_at DESC, id DESC, status)
    WHERE deleted_at IS NULL;
CREATE INDEX articles_by_views ON articles (view_count DESC, id DESC);
-- Superseded by articles_visible, which the planner would otherwise pass over.
DROP INDEX articles_by_publication;
ANALYZE;
