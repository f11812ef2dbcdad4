-- What was moved over from another system (a NukeViet portal), by its id
-- there: re-running an import skips what is here, and old URLs find the new
-- resource. `alias` is the old URL's slug, for the forms that carry no id.
CREATE TABLE legacy_ids (
    source TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('category', 'area', 'document', 'article', 'comment')),
    legacy_id INTEGER NOT NULL,
    alias TEXT NOT NULL DEFAULT '',
    target_id INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    PRIMARY KEY (source, kind, legacy_id)
) WITHOUT ROWID;
CREATE INDEX legacy_ids_by_alias ON legacy_ids (source, kind, alias);
