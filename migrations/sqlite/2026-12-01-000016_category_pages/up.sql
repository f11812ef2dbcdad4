-- A category's page, counted and paged on an index alone. Through
-- `articles_by_category` (the category alone) each article's visibility was
-- read from its row, past the body in overflow pages; through
-- `articles_visible` each row's category was. This index holds both, in the
-- order of the page. `articles_by_category` stays: the foreign key's
-- checks need an index over every row, trashed ones too.
CREATE INDEX articles_visible_by_category ON articles (category_id, published_at DESC, id DESC, status)
    WHERE deleted_at IS NULL;
