-- The target lists' per-person reads (report::load, store latest.rs): each balita's last
-- visit, their doses as the schedule reads them and their last weighing, one probe per
-- person in an index holding only live rows and every column read, so neither the visits,
-- doses nor measurements of the whole unit are scanned.
CREATE INDEX visit_person_live ON visit (person_id, day) WHERE deleted_at IS NULL;
CREATE INDEX dose_person_series ON dose (person_id, day, vaccine, dose_number) WHERE deleted_at IS NULL;
CREATE INDEX measurement_person_kind ON measurement (person_id, kind, day)
  WHERE deleted_at IS NULL AND NOT implausible;
