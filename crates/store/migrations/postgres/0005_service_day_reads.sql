-- The service day's own reads: who came to this day (every step of the day asks), and the
-- people born on one date (the "already registered?" check at the registration table).
CREATE INDEX visit_service_day ON visit (service_day_id);
CREATE INDEX person_birth_date ON person (birth_date);
