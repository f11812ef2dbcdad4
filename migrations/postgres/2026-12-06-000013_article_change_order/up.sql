-- As SQLite's (article_change_order): the sync's order, when each article
-- last changed for a reader (`articles::queries::CHANGE_TIME`, the same
-- expression), indexed so a page stops after its own rows.
CREATE INDEX articles_by_change ON articles (
    (CASE WHEN published_at > updated_at THEN published_at ELSE updated_at END), id);
