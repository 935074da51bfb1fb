-- The review list: a field changed differently on a device (from an older version) and on
-- the server. The record keeps the server's value until a bidan or admin chooses; both
-- values, who proposed the device's and when, and the choice are kept. Values are JSON.
CREATE TABLE review (
    id           TEXT PRIMARY KEY,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    org_path     TEXT COLLATE "C" NOT NULL,
    field        TEXT NOT NULL,
    base_value   TEXT NOT NULL,
    server_value TEXT NOT NULL,
    device_value TEXT NOT NULL,
    proposed_by  TEXT NOT NULL,
    proposed_at  TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ,
    resolved_by  TEXT,
    resolution   TEXT
);
CREATE INDEX review_path ON review (org_path, proposed_at);
CREATE INDEX review_entity ON review (entity_id);
