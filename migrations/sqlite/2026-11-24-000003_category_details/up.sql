-- Categories become a managed resource: a description, and a version for
-- ETags and If-Match.
ALTER TABLE categories ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX categories_by_parent ON categories (parent_id);
