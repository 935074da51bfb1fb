-- Accounts: a password per user, server-side sessions, and login failures for throttling.
-- Times are written by the application in UTC, whole seconds, as RFC 3339 text, so that
-- comparing the text compares the instants.

-- The argon2id PHC string; NULL means the user cannot log in (no password set yet).
ALTER TABLE app_user ADD COLUMN password_hash TEXT;
ALTER TABLE app_user ADD COLUMN password_set_at TEXT;

-- One row per login. The cookie holds a random 256-bit token; only its SHA-256 is kept, so
-- a copy of the database gives nobody a usable session.
CREATE TABLE session (
    id            TEXT PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES app_user (id),
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    revoked_at    TEXT,
    client_addr   TEXT
) STRICT;
CREATE INDEX session_by_user ON session (user_id);
CREATE INDEX session_by_expiry ON session (expires_at);

-- Failed logins by key ("user:NAME" or "addr:IP"): counted in a window to throttle, kept in
-- the database so that a restart does not reset the count.
CREATE TABLE login_failure (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    key  TEXT NOT NULL,
    at   TEXT NOT NULL
) STRICT;
CREATE INDEX login_failure_key_at ON login_failure (key, at);
