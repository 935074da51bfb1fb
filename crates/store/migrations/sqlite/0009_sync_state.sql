-- A laptop kept in step with a district server (`Store::apply_page`, `Store::outgoing`).
-- One row per server URL: the last number of the server's change feed applied here, and
-- the last number of this database's own feed sent to it. Both move only in the
-- transaction that did the work, so a sync cut off anywhere resumes where it stopped.
CREATE TABLE sync_state (
    server     TEXT PRIMARY KEY,
    pulled_seq INTEGER NOT NULL,
    pushed_seq INTEGER NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Every row taken from a server: the server's version, the row's own change number here
-- when it was written (a different number later means it was changed here since), for a
-- person or household the editable fields as the server had them (the base of an edit
-- made here), the change number here of an edit sent and not yet answered by a pulled
-- row, and a server row held back because the laptop's edit was not sent yet.
CREATE TABLE sync_base (
    server     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    version    INTEGER NOT NULL,
    local_seq  INTEGER NOT NULL,
    base       TEXT,
    pushed_seq INTEGER,
    pending    TEXT,
    PRIMARY KEY (server, entity_id)
) STRICT;

-- A pulled row whose referenced row has not arrived yet (a person whose household was
-- changed later, so it comes in a later page): kept here and written once it can be.
CREATE TABLE sync_parked (
    server TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (server, seq)
) STRICT;

-- Captures made here that the server refused (e.g. on a person it does not know yet):
-- sent again on the next sync.
CREATE TABLE sync_retry (
    server    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (server, entity_id)
) STRICT;
