-- The record, PostgreSQL dialect. Path columns use COLLATE "C" so that prefix ranges
-- (org_path >= lo AND org_path < hi) compare bytes, as SQLite does.
-- Ids are client-minted UUIDv7 (TEXT). Times are UTC, written
-- by the application. Every table has the same bookkeeping columns:
--   org_path  materialised path of the unit the row belongs to (subtree scoping)
--   version   optimistic concurrency (registry rows); bumped by soft delete on captures
--   seq       change sequence for sync pulls, from seq_counter
--   deleted_at / delete_reason   soft delete

CREATE TABLE seq_counter (
    id    SMALLINT PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);
INSERT INTO seq_counter (id, value) VALUES (1, 0);

CREATE TABLE org_unit (
    id            TEXT PRIMARY KEY,
    parent_id     TEXT REFERENCES org_unit (id),
    level         TEXT NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    region_code   TEXT,
    region_decree TEXT,
    time_zone     TEXT NOT NULL CHECK (time_zone IN ('WIB', 'WITA', 'WIT')),
    org_path      TEXT COLLATE "C" NOT NULL UNIQUE,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX org_unit_parent ON org_unit (parent_id);
CREATE INDEX org_unit_seq ON org_unit (seq);

CREATE TABLE app_user (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    active        BOOLEAN NOT NULL,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX app_user_path ON app_user (org_path);
CREATE INDEX app_user_seq ON app_user (seq);

CREATE TABLE household (
    id            TEXT PRIMARY KEY,
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    kk_number     TEXT,
    head_name     TEXT NOT NULL,
    address       TEXT,
    rt            TEXT,
    rw            TEXT,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX household_path ON household (org_path);
CREATE INDEX household_seq ON household (seq);

CREATE TABLE person (
    id                   TEXT PRIMARY KEY,
    household_id         TEXT REFERENCES household (id),
    org_unit_id          TEXT NOT NULL REFERENCES org_unit (id),
    org_path             TEXT COLLATE "C" NOT NULL,
    name                 TEXT NOT NULL,
    sex                  TEXT NOT NULL CHECK (sex IN ('L', 'P')),
    birth_date           DATE NOT NULL,
    birth_date_estimated BOOLEAN NOT NULL,
    nik                  TEXT,
    nik_is_mother        BOOLEAN NOT NULL,
    phone                TEXT,
    version              BIGINT NOT NULL,
    seq                  BIGINT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    deleted_at           TIMESTAMPTZ,
    delete_reason        TEXT
);
CREATE INDEX person_path ON person (org_path, birth_date);
CREATE INDEX person_nik ON person (nik);
CREATE INDEX person_household ON person (household_id);
CREATE INDEX person_seq ON person (seq);

CREATE TABLE relationship (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES person (id),
    kind              TEXT NOT NULL,
    related_person_id TEXT NOT NULL REFERENCES person (id),
    org_path          TEXT COLLATE "C" NOT NULL,
    version           BIGINT NOT NULL,
    seq               BIGINT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    deleted_at        TIMESTAMPTZ,
    delete_reason     TEXT
);
CREATE INDEX relationship_person ON relationship (person_id);
CREATE INDEX relationship_related ON relationship (related_person_id);
CREATE INDEX relationship_seq ON relationship (seq);

CREATE TABLE pregnancy (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES person (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    lmp           DATE,
    due_date      DATE,
    gravida       INTEGER,
    para          INTEGER,
    abortus       INTEGER,
    high_risk     BOOLEAN NOT NULL,
    outcome       TEXT,
    outcome_date  DATE,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX pregnancy_person ON pregnancy (person_id);
CREATE INDEX pregnancy_path ON pregnancy (org_path);
CREATE INDEX pregnancy_seq ON pregnancy (seq);

CREATE TABLE service_day (
    id            TEXT PRIMARY KEY,
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    day           DATE NOT NULL,
    note          TEXT,
    captured_at   TIMESTAMPTZ NOT NULL,
    captured_by   TEXT NOT NULL,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX service_day_path ON service_day (org_path, day);
CREATE INDEX service_day_seq ON service_day (seq);

CREATE TABLE visit (
    id             TEXT PRIMARY KEY,
    person_id      TEXT NOT NULL REFERENCES person (id),
    service_day_id TEXT REFERENCES service_day (id),
    org_unit_id    TEXT NOT NULL REFERENCES org_unit (id),
    org_path       TEXT COLLATE "C" NOT NULL,
    day            DATE NOT NULL,
    captured_at    TIMESTAMPTZ NOT NULL,
    captured_by    TEXT NOT NULL,
    version        BIGINT NOT NULL,
    seq            BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    deleted_at     TIMESTAMPTZ,
    delete_reason  TEXT
);
CREATE INDEX visit_path ON visit (org_path, day);
CREATE INDEX visit_person ON visit (person_id, day);
CREATE INDEX visit_seq ON visit (seq);

CREATE TABLE measurement (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES person (id),
    visit_id      TEXT REFERENCES visit (id),
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    day           DATE NOT NULL,
    kind          TEXT NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    unit          TEXT NOT NULL,
    implausible   BOOLEAN NOT NULL,
    captured_at   TIMESTAMPTZ NOT NULL,
    captured_by   TEXT NOT NULL,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX measurement_path ON measurement (org_path, day);
CREATE INDEX measurement_person ON measurement (person_id, day);
CREATE INDEX measurement_visit ON measurement (visit_id);
CREATE INDEX measurement_seq ON measurement (seq);

CREATE TABLE dose (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES person (id),
    visit_id      TEXT REFERENCES visit (id),
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    day           DATE NOT NULL,
    vaccine       TEXT NOT NULL,
    dose_number   INTEGER,
    batch         TEXT,
    captured_at   TIMESTAMPTZ NOT NULL,
    captured_by   TEXT NOT NULL,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX dose_path ON dose (org_path, day);
CREATE INDEX dose_person ON dose (person_id, day);
CREATE INDEX dose_seq ON dose (seq);

CREATE TABLE screening (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES person (id),
    visit_id      TEXT REFERENCES visit (id),
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    day           DATE NOT NULL,
    questionnaire TEXT NOT NULL,
    answers       TEXT NOT NULL,
    score         DOUBLE PRECISION,
    captured_at   TIMESTAMPTZ NOT NULL,
    captured_by   TEXT NOT NULL,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX screening_path ON screening (org_path, day);
CREATE INDEX screening_person ON screening (person_id, day);
CREATE INDEX screening_seq ON screening (seq);

CREATE TABLE finding (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES person (id),
    visit_id      TEXT REFERENCES visit (id),
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    day           DATE NOT NULL,
    code          TEXT NOT NULL,
    detail        TEXT,
    captured_at   TIMESTAMPTZ NOT NULL,
    captured_by   TEXT NOT NULL,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX finding_code ON finding (code, org_path, day);
CREATE INDEX finding_path ON finding (org_path, day);
CREATE INDEX finding_person ON finding (person_id, day);
CREATE INDEX finding_seq ON finding (seq);

CREATE TABLE referral (
    id            TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL REFERENCES person (id),
    finding_id    TEXT REFERENCES finding (id),
    org_unit_id   TEXT NOT NULL REFERENCES org_unit (id),
    org_path      TEXT COLLATE "C" NOT NULL,
    day           DATE NOT NULL,
    to_facility   TEXT NOT NULL,
    reason        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('dibuat', 'diterima', 'ditindaklanjuti', 'selesai')),
    status_note   TEXT,
    version       BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    deleted_at    TIMESTAMPTZ,
    delete_reason TEXT
);
CREATE INDEX referral_path ON referral (org_path, status);
CREATE INDEX referral_person ON referral (person_id);
CREATE INDEX referral_seq ON referral (seq);

-- Append-only: who did what to which row. Written in the same transaction as the change.
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    org_path  TEXT COLLATE "C" NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log (entity_id);
CREATE INDEX audit_path ON audit_log (org_path, at);
