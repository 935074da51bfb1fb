-- Kader on duty (issue 11 item 1) are counted from the service days' notes (the "Kader
-- bertugas" typed when a day is opened): a day opened, deleted, or changed in its note,
-- date or unit bumps its posyandu's month, as a capture does (0013). Closing a day
-- (closed_at) changes no number and bumps nothing.
CREATE TRIGGER service_day_report_insert AFTER INSERT ON service_day BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (NEW.org_path, substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER service_day_report_update AFTER UPDATE OF note, day, org_path, deleted_at ON service_day BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (OLD.org_path, substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
    INSERT INTO report_gen (org_path, month, gen) VALUES (NEW.org_path, substr(NEW.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
CREATE TRIGGER service_day_report_delete AFTER DELETE ON service_day BEGIN
    INSERT INTO report_gen (org_path, month, gen) VALUES (OLD.org_path, substr(OLD.day, 1, 7), 1)
      ON CONFLICT (org_path, month) DO UPDATE SET gen = gen + 1;
END;
