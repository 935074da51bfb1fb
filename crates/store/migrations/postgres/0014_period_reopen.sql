-- A closed month reopened (issue 11 item 4), e.g. closed before a posyandu had sent its
-- rows: the close is not destroyed but moved here with who reopened it, when and why,
-- so every close a month ever had stays readable; the month can then be closed again.
CREATE TABLE period_reopen (
    -- The close's own id.
    id          TEXT PRIMARY KEY,
    org_unit_id TEXT NOT NULL REFERENCES org_unit (id),
    org_path    TEXT COLLATE "C" NOT NULL,
    month       TEXT NOT NULL,
    closed_at   TIMESTAMPTZ NOT NULL,
    closed_by   TEXT NOT NULL,
    report      TEXT NOT NULL,
    reopened_at TIMESTAMPTZ NOT NULL,
    reopened_by TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX period_reopen_unit ON period_reopen (org_unit_id, month);
