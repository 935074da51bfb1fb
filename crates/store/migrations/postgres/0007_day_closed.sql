-- A service day is closed when the kader finishes it (the summary is then final): when and
-- by whom. Captures into a closed day are refused until it is reopened. NULL: still open.
ALTER TABLE service_day ADD COLUMN closed_at TIMESTAMPTZ;
ALTER TABLE service_day ADD COLUMN closed_by TEXT;
