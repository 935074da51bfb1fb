-- "Everything under this unit this month" starts from the month: a month is a narrow slice
-- of years of captures, while a Puskesmas path prefix covers most of them. So captures are
-- indexed by (day, org_path) instead of (org_path, day). Person histories keep their
-- (person_id, day) indexes; the roster joins through them.
DROP INDEX service_day_path;
DROP INDEX visit_path;
DROP INDEX measurement_path;
DROP INDEX dose_path;
DROP INDEX screening_path;
DROP INDEX finding_path;
CREATE INDEX service_day_month ON service_day (day, org_path);
CREATE INDEX visit_month ON visit (day, org_path);
CREATE INDEX measurement_month ON measurement (day, org_path);
CREATE INDEX dose_month ON dose (day, org_path);
CREATE INDEX screening_month ON screening (day, org_path);
CREATE INDEX finding_month ON finding (day, org_path);
