-- A month closed for a unit (issue 11 item 4): the report as it stood at the close, kept
-- so the closed numbers stay reproducible; rows captured after `closed_at` for that month
-- are late corrections, shown beside them. One close per unit and month (the first is kept).
CREATE TABLE period_close (
    id          TEXT PRIMARY KEY,
    org_unit_id TEXT NOT NULL REFERENCES org_unit (id),
    org_path    TEXT NOT NULL,
    month       TEXT NOT NULL,
    closed_at   TEXT NOT NULL,
    closed_by   TEXT NOT NULL,
    report      TEXT NOT NULL,
    UNIQUE (org_unit_id, month)
);
CREATE INDEX period_close_path ON period_close (org_path, month);
