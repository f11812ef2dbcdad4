DROP INDEX categories_by_parent;
ALTER TABLE categories DROP COLUMN version;
ALTER TABLE categories DROP COLUMN description;
