-- Accounts: a password per user, server-side sessions, and login failures for throttling.
-- Times are written by the application (a `now` argument), never by SQL now().

-- The argon2id PHC string; NULL means the user cannot log in (no password set yet).
ALTER TABLE app_user ADD COLUMN password_hash TEXT;
ALTER TABLE app_user ADD COLUMN password_set_at TIMESTAMPTZ;

-- One row per login. The cookie holds a random 256-bit token; only its SHA-256 is kept, so
-- a copy of the database gives nobody a usable session.
CREATE TABLE session (
    id            TEXT PRIMARY KEY,
    token_sha256  TEXT NOT NULL UNIQUE,
    user_id       TEXT NOT NULL REFERENCES app_user (id),
    csrf_token    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    revoked_at    TIMESTAMPTZ,
    client_addr   TEXT
);
CREATE INDEX session_by_user ON session (user_id);
CREATE INDEX session_by_expiry ON session (expires_at);

-- Failed logins by key ("user:NAME" or "addr:IP"): counted in a window to throttle. In the
-- database, so that a restart does not reset the count and several servers share it.
CREATE TABLE login_failure (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key  TEXT NOT NULL,
    at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failure_key_at ON login_failure (key, at);
