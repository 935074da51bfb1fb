-- The monthly report's summary (issue 11 item 7): each unit's own numbers of a month
-- (the facts of the persons registered at exactly that unit), kept so a kabupaten's month
-- and its 12-month trend are sums of stored rows instead of a recomputation of a million
-- persons. Exact by construction: every write that can change a unit's month bumps that
-- unit's generation for the month (`report_gen`), in the writing transaction, by the
-- triggers below, whichever code path writes; a stored summary counts only while the sum
-- of its unit's generations up to its month is still the one it was computed at (the
-- reader takes the stamp before it computes, so a write racing the computation leaves
-- the summary stale, never wrong). Captures bump their day's month (a month's facts read
-- only rows dated up to its end); a person's registration and a pregnancy bump '0000-00',
-- which every month includes. Keyed by the person's path: a capture counts for the unit
-- the person is registered at.
--
-- PostgreSQL: report_gen is append-only (no key): each writing statement adds its counts
-- as new rows, so concurrent writers of one unit and month never wait on each other's
-- row (an upserted counter would hold every writer of a posyandu behind the one whose
-- transaction is open, and could deadlock two that touch units in different orders).
-- A unit's stamp is the SUM, as on SQLite (where one writer at a time keeps one row per
-- unit and month); Store::put_summaries folds the rows back to one per unit and month.
CREATE TABLE report_gen (
    org_path TEXT COLLATE "C" NOT NULL,
    month    TEXT NOT NULL,
    gen      BIGINT NOT NULL
);
CREATE INDEX report_gen_path ON report_gen (org_path, month);

CREATE TABLE report_cache (
    org_path TEXT COLLATE "C" NOT NULL,
    month    TEXT NOT NULL,
    -- report::monthly::summary::VERSION: summaries of older code never count.
    version  BIGINT NOT NULL,
    -- The sum of report_gen.gen for this path and months <= month when computed.
    stamp    BIGINT NOT NULL,
    -- The tallies as JSON (report::monthly::Numbers).
    numbers  TEXT NOT NULL,
    PRIMARY KEY (org_path, month)
);

-- PostgreSQL: statement triggers over the transition tables (one upsert per unit and month
-- a statement touched, not one per row: the demo and the sync write thousands of rows per
-- statement), appended (see report_gen above).
CREATE FUNCTION report_gen_bump(touched TEXT[], months TEXT[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO report_gen (org_path, month, gen)
    SELECT t.org_path, t.month, COUNT(*) FROM unnest(touched, months) AS t (org_path, month)
    GROUP BY t.org_path, t.month
$$;

CREATE FUNCTION report_gen_captures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM report_gen_bump(array_agg(COALESCE(p.org_path, '')), array_agg(to_char(n.day, 'YYYY-MM')))
        FROM new_rows n LEFT JOIN person p ON p.id = n.person_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM report_gen_bump(array_agg(COALESCE(p.org_path, '')), array_agg(to_char(o.day, 'YYYY-MM')))
        FROM old_rows o LEFT JOIN person p ON p.id = o.person_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION report_gen_pregnancies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM report_gen_bump(array_agg(COALESCE(p.org_path, '')), array_agg('0000-00'::text))
        FROM new_rows n LEFT JOIN person p ON p.id = n.person_id;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM report_gen_bump(array_agg(COALESCE(p.org_path, '')), array_agg('0000-00'::text))
        FROM old_rows o LEFT JOIN person p ON p.id = o.person_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION report_gen_persons() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM report_gen_bump(array_agg(n.org_path::text), array_agg('0000-00'::text)) FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM report_gen_bump(array_agg(o.org_path::text), array_agg('0000-00'::text)) FROM old_rows o;
    ELSE
        -- Only the fields the numbers read (a column list cannot take transition tables).
        PERFORM report_gen_bump(array_agg(x.org_path), array_agg('0000-00'::text))
        FROM (SELECT o.org_path::text AS org_path FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.org_path, o.birth_date, o.sex, o.deleted_at)
                    IS DISTINCT FROM (n.org_path, n.birth_date, n.sex, n.deleted_at)
              UNION ALL
              SELECT n.org_path::text FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.org_path, o.birth_date, o.sex, o.deleted_at)
                    IS DISTINCT FROM (n.org_path, n.birth_date, n.sex, n.deleted_at)) x;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER visit_report_insert AFTER INSERT ON visit REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER visit_report_update AFTER UPDATE ON visit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER visit_report_delete AFTER DELETE ON visit REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();

CREATE TRIGGER measurement_report_insert AFTER INSERT ON measurement REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER measurement_report_update AFTER UPDATE ON measurement REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER measurement_report_delete AFTER DELETE ON measurement REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();

CREATE TRIGGER dose_report_insert AFTER INSERT ON dose REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER dose_report_update AFTER UPDATE ON dose REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER dose_report_delete AFTER DELETE ON dose REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();

CREATE TRIGGER screening_report_insert AFTER INSERT ON screening REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER screening_report_update AFTER UPDATE ON screening REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER screening_report_delete AFTER DELETE ON screening REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();

CREATE TRIGGER finding_report_insert AFTER INSERT ON finding REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER finding_report_update AFTER UPDATE ON finding REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER finding_report_delete AFTER DELETE ON finding REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();

-- Referrals: their day's month (their status changes later, each change bumps it).
CREATE TRIGGER referral_report_insert AFTER INSERT ON referral REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER referral_report_update AFTER UPDATE ON referral REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();
CREATE TRIGGER referral_report_delete AFTER DELETE ON referral REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_captures();

CREATE TRIGGER pregnancy_report_insert AFTER INSERT ON pregnancy REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_pregnancies();
CREATE TRIGGER pregnancy_report_update AFTER UPDATE ON pregnancy REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_pregnancies();
CREATE TRIGGER pregnancy_report_delete AFTER DELETE ON pregnancy REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_pregnancies();

CREATE TRIGGER person_report_insert AFTER INSERT ON person REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_persons();
CREATE TRIGGER person_report_update AFTER UPDATE ON person REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_persons();
CREATE TRIGGER person_report_delete AFTER DELETE ON person REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_persons();

-- A record written before this migration: every unit with persons starts at stamp 1
-- (stamp 0 means nobody was ever registered there, nothing to count).
INSERT INTO report_gen (org_path, month, gen) SELECT DISTINCT org_path, '0000-00', 1 FROM person;
