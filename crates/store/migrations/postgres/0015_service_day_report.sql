-- Kader on duty (issue 11 item 1) are counted from the service days' notes (the "Kader
-- bertugas" typed when a day is opened): a day opened, deleted, or changed in its note,
-- date or unit bumps its posyandu's month, as a capture does (0013: statement triggers
-- over the transition tables, report_gen appended). Closing a day (closed_at) changes no
-- number and bumps nothing.
CREATE FUNCTION report_gen_service_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM report_gen_bump(array_agg(n.org_path::text), array_agg(to_char(n.day, 'YYYY-MM')))
        FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM report_gen_bump(array_agg(o.org_path::text), array_agg(to_char(o.day, 'YYYY-MM')))
        FROM old_rows o;
    ELSE
        -- Only the fields the numbers read (a column list cannot take transition tables).
        PERFORM report_gen_bump(array_agg(x.org_path), array_agg(x.month))
        FROM (SELECT o.org_path::text AS org_path, to_char(o.day, 'YYYY-MM') AS month
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.note, o.day, o.org_path, o.deleted_at)
                    IS DISTINCT FROM (n.note, n.day, n.org_path, n.deleted_at)
              UNION ALL
              SELECT n.org_path::text, to_char(n.day, 'YYYY-MM')
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              WHERE (o.note, o.day, o.org_path, o.deleted_at)
                    IS DISTINCT FROM (n.note, n.day, n.org_path, n.deleted_at)) x;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER service_day_report_insert AFTER INSERT ON service_day REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_service_days();
CREATE TRIGGER service_day_report_update AFTER UPDATE ON service_day REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_service_days();
CREATE TRIGGER service_day_report_delete AFTER DELETE ON service_day REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION report_gen_service_days();
