-- As SQLite's (article_rating_order): what `?sort=-rating` ranks by
-- (`articles::queries::RATING_SCORE`, the same expression), indexed so a
-- page stops after its own rows.
CREATE INDEX articles_by_rating ON articles (
    (CASE WHEN rating_count = 0 THEN 0.0
     ELSE CAST(rating_total + 15 AS DOUBLE PRECISION) / (rating_count + 5) END), id);
