-- Links that show a draft to whoever holds them (a reviewer outside the
-- newsroom, the department head on a phone) until they expire or are
-- revoked. Only the token's SHA-256 is kept: it is shown once.
CREATE TABLE preview_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    -- Who made it, as the audit log names them.
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX preview_links_by_article ON preview_links (article_id);
