-- Accounts and sessions: versioned users, refresh-token families, API keys,
-- and the audit log of staff writes.

-- Bumped on every change: the user's ETag, checked by If-Match.
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- A login: the family of refresh tokens rotated from it. AUTOINCREMENT: an
-- access token names its session by id, so ended sessions' ids must never
-- come back for new ones.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    -- The last login or refresh: the session idles out from here.
    last_used_at TIMESTAMP NOT NULL,
    -- However active, a session ends here and a new login is needed.
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revoked_reason TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    -- SHA-256 of the token: the token itself is never stored.
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    -- Set when the token was exchanged; presenting it again is reuse.
    used_at TIMESTAMP
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    -- The first characters of the key, to tell keys apart in lists.
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
    -- No foreign key: the trail outlives the accounts and keys it names.
    actor_id INTEGER,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    -- A JSON object: what changed.
    details TEXT NOT NULL,
    request_id TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_actor ON audit_log (actor_kind, actor_id);
CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id);
