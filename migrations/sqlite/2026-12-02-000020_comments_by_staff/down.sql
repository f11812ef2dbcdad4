ALTER TABLE comments DROP COLUMN by_staff;
