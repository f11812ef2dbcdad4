-- Whether a comment was written by staff (an author, editor or admin), as
-- they were when they wrote it: readers see the newsroom's answers marked.
ALTER TABLE comments ADD COLUMN by_staff boolean NOT NULL DEFAULT false;
UPDATE comments SET by_staff = true
WHERE author_user_id IN (SELECT id FROM users WHERE role IN ('author', 'editor', 'admin'));
