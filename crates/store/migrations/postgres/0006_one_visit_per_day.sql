-- One visit per person per service day. Two phones recording the same arrival at the same
-- moment (or two first captures of a person who had not arrived) each found no visit and
-- inserted one; the day then counted the person twice. The second insert now fails and
-- the arrival reads the visit that won.
CREATE UNIQUE INDEX visit_once_per_day ON visit (service_day_id, person_id)
    WHERE service_day_id IS NOT NULL AND deleted_at IS NULL;
