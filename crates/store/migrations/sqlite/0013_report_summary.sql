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
CREATE TABLE report_gen (
    org_path TEXT NOT NULL,
    month    TEXT NOT NULL,
    gen      INTEGER NOT NULL,
    PRIMARY KEY (org_path, month)
) STRICT;

CREATE TABLE report_cache (
    org_path TEXT NOT NULL,
    month    TEXT NOT NULL,
    -- report::monthly::summary::VERSION: summaries of older code never count.
    version  INTEGER NOT NULL,
    -- The sum of report_gen.gen for this path and months <= month when computed.
    stamp    INTEGER NOT NULL,
    -- The tallies as JSON (report::monthly::Numbers).
    numbers  TEXT NOT NULL,
    PRIMARY KEY (org_path, month)
) STRICT;

-- Captures: the person's unit, the capture's month.
CREATE TRIGGER visit_report_insert AFTER INSERT ON visit BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER visit_report_update AFTER UPDATE ON visit BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER visit_report_delete AFTER DELETE ON visit BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER measurement_report_insert AFTER INSERT ON measurement BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER measurement_report_update AFTER UPDATE ON measurement BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER measurement_report_delete AFTER DELETE ON measurement BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER dose_report_insert AFTER INSERT ON dose BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER dose_report_update AFTER UPDATE ON dose BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER dose_report_delete AFTER DELETE ON dose BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER screening_report_insert AFTER INSERT ON screening BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER screening_report_update AFTER UPDATE ON screening BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER screening_report_delete AFTER DELETE ON screening BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER finding_report_insert AFTER INSERT ON finding BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER finding_report_update AFTER UPDATE ON finding BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER finding_report_delete AFTER DELETE ON finding BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;

-- Referrals: their day's month (a referral's status, read by the month it was made in,
-- changes later; each change bumps that month).
CREATE TRIGGER referral_report_insert AFTER INSERT ON referral BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER referral_report_update AFTER UPDATE ON referral BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER referral_report_delete AFTER DELETE ON referral BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;

-- Pregnancies: every month of the woman's unit.
CREATE TRIGGER pregnancy_report_insert AFTER INSERT ON pregnancy BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER pregnancy_report_update AFTER UPDATE ON pregnancy BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = NEW.person_id), ''), '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER pregnancy_report_delete AFTER DELETE ON pregnancy BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (COALESCE((SELECT org_path FROM person WHERE id = OLD.person_id), ''), '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;

-- Persons: every month of the old and the new unit, for the fields the numbers read.
CREATE TRIGGER person_report_insert AFTER INSERT ON person BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (NEW.org_path, '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER person_report_update AFTER UPDATE OF org_path, birth_date, sex, deleted_at ON person
WHEN OLD.org_path IS NOT NEW.org_path OR OLD.birth_date IS NOT NEW.birth_date
  OR OLD.sex IS NOT NEW.sex OR OLD.deleted_at IS NOT NEW.deleted_at BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (OLD.org_path, '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (NEW.org_path, '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER person_report_delete AFTER DELETE ON person BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (OLD.org_path, '0000-00', 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;

-- A record written before this migration: every unit with persons starts at stamp 1
-- (stamp 0 means nobody was ever registered there, nothing to count).
INSERT INTO report_gen (org_path, month, gen) SELECT DISTINCT org_path, '0000-00', 1 FROM person;
