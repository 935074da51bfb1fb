//! Reads for lists over a whole unit that only need "the latest date per person" or one
//! kind of row (the target lists, `report::targets`): an aggregate in the database instead
//! of every row of years of history decoded in Rust.

use std::collections::HashMap;

use time::Date;

use crate::actor::Actor;
use crate::codes::{MeasurementKind, ReferralStatus};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::fetch_all;
use crate::ids::{OrgUnitId, PersonId};
use crate::model::Measurement;
use crate::row::{self, Get};

impl Store {
    /// Measurements of `kind` in `[from, to)` of the persons registered under a unit
    /// (wherever taken: a unit's numbers are its own persons', so they add up the tree).
    pub async fn measurements_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        kind: MeasurementKind,
        from: Date,
        to: Date,
    ) -> Result<Vec<Measurement>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT m.* FROM measurement m JOIN person p ON p.id = m.person_id \
             WHERE p.org_path >= $1 AND p.org_path < $2 AND m.kind = $3 \
             AND m.day >= $4 AND m.day < $5 AND m.deleted_at IS NULL ORDER BY m.day, m.id",
            [&lo, &hi, kind.code(), from, to],
            row::measurement
        )
    }
}

/// `IN (…)` of catalogue codes: the codes are the program's own constants, checked here to
/// be plain identifiers, so they can be written into the SQL (any number of them) and the
/// `finding (code, org_path, day)` index serves the read.
fn code_list(codes: &[&str]) -> Option<String> {
    let ok = !codes.is_empty()
        && codes.iter().all(|c| {
            !c.is_empty()
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        });
    ok.then(|| {
        codes
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

impl Store {
    /// Persons under a unit born on or after `born_from` (the balita of a list), through
    /// the `person (org_path, birth_date)` index.
    pub async fn persons_born_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        born_from: Date,
    ) -> Result<Vec<crate::model::Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND birth_date >= $3 \
             AND deleted_at IS NULL ORDER BY org_path, name",
            [&lo, &hi, born_from],
            row::person
        )
    }

    /// The mothers (`ibu` relationships) of the persons under a unit born on or after
    /// `born_from`, each with her child's id; mothers outside the actor's scope left out.
    pub async fn mothers_of_born(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        born_from: Date,
    ) -> Result<Vec<(PersonId, crate::model::Person)>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let (slo, shi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT r.related_person_id AS child_id, m.* FROM person c \
             JOIN relationship r ON r.related_person_id = c.id AND r.kind = 'ibu' \
             AND r.deleted_at IS NULL \
             JOIN person m ON m.id = r.person_id AND m.deleted_at IS NULL \
             AND m.org_path >= $1 AND m.org_path < $2 \
             WHERE c.org_path >= $3 AND c.org_path < $4 AND c.birth_date >= $5 \
             AND c.deleted_at IS NULL",
            [&slo, &shi, &lo, &hi, born_from],
            row::child_and_mother
        )
    }

    /// Each person's latest visit on or before `on`, for the persons under a unit born on
    /// or after `born_from`: one probe per person down the `visit (person_id, day)` index of
    /// live visits (migration 0011), not a scan of every visit of the unit.
    pub async fn last_visits_of_born(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        born_from: Date,
        on: Date,
    ) -> Result<HashMap<PersonId, Date>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let rows = fetch_all!(
            on_pool,
            self,
            "SELECT p.id AS person_id, (SELECT CAST(MAX(v.day) AS TEXT) FROM visit v \
             WHERE v.person_id = p.id AND v.day <= $1 AND v.deleted_at IS NULL) AS last \
             FROM person p WHERE p.org_path >= $2 AND p.org_path < $3 AND p.birth_date >= $4 \
             AND p.deleted_at IS NULL",
            [on, &lo, &hi, born_from],
            opt_person_date
        )?;
        Ok(rows.into_iter().flatten().collect())
    }

    /// Each person's latest `kind` measurement on or before `on` (implausible ones left
    /// out), for the persons under a unit born on or after `born_from`: one probe per
    /// person in the `measurement (person_id, kind, day)` index (migration 0011).
    pub async fn last_measured_of_born(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        kind: MeasurementKind,
        born_from: Date,
        on: Date,
    ) -> Result<HashMap<PersonId, Date>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let rows = fetch_all!(
            on_pool,
            self,
            "SELECT p.id AS person_id, (SELECT CAST(MAX(m.day) AS TEXT) FROM measurement m \
             WHERE m.person_id = p.id AND m.kind = $1 AND m.day <= $2 \
             AND m.deleted_at IS NULL AND NOT m.implausible) AS last FROM person p \
             WHERE p.org_path >= $3 AND p.org_path < $4 AND p.birth_date >= $5 \
             AND p.deleted_at IS NULL",
            [kind.code(), on, &lo, &hi, born_from],
            opt_person_date
        )?;
        Ok(rows.into_iter().flatten().collect())
    }

    /// The doses before `to` of the persons under a unit born on or after `born_from`, as
    /// (person, vaccine, dose number, day): only what the immunization schedule reads, in no
    /// particular order (the schedule takes each vaccine's earliest day). One row per
    /// person, their doses joined by the database (`string_agg`, both engines) from the
    /// `dose (person_id, day, vaccine, dose_number)` index (migration 0011): a few thousand
    /// rows cross the wire instead of every dose of the unit's balita.
    pub async fn dose_series_of_born(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        born_from: Date,
        to: Date,
    ) -> Result<Vec<DoseSeries>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let rows = fetch_all!(
            on_pool,
            self,
            "SELECT p.id AS person_id, (SELECT string_agg(CAST(LENGTH(d.vaccine) AS TEXT) \
             || ':' || d.vaccine || COALESCE(CAST(d.dose_number AS TEXT), '') || '|' \
             || CAST(d.day AS TEXT), ';') FROM dose d WHERE d.person_id = p.id AND d.day < $1 \
             AND d.deleted_at IS NULL) AS doses FROM person p WHERE p.org_path >= $2 \
             AND p.org_path < $3 AND p.birth_date >= $4 AND p.deleted_at IS NULL",
            [to, &lo, &hi, born_from],
            person_doses
        )?;
        Ok(rows.into_iter().flatten().collect())
    }

    /// The persons under a unit with a finding of one of `codes` there in `[from, to)`,
    /// born on or after `born_from` when given: the persons a findings list can name,
    /// instead of everyone of the unit.
    pub async fn persons_found(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        codes: &[&str],
        from: Date,
        to: Date,
        born_from: Option<Date>,
    ) -> Result<Vec<crate::model::Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let Some(list) = code_list(codes) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             AND birth_date >= $3 AND id IN (SELECT f.person_id FROM finding f \
             WHERE f.code IN ({list}) AND f.org_path >= $1 AND f.org_path < $2 \
             AND f.day >= $4 AND f.day < $5 AND f.deleted_at IS NULL) ORDER BY org_path, name"
        );
        fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [&lo, &hi, born_from.unwrap_or(EARLIEST), from, to],
            row::person
        )
    }

    /// The mothers (`ibu` relationships, in the actor's scope) of the persons
    /// [`Store::persons_found`] gives for the same arguments, each with her child's id.
    pub async fn mothers_found(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        codes: &[&str],
        from: Date,
        to: Date,
        born_from: Option<Date>,
    ) -> Result<Vec<(PersonId, crate::model::Person)>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let (slo, shi) = actor.scope.range();
        let Some(list) = code_list(codes) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT r.related_person_id AS child_id, m.* FROM person c \
             JOIN relationship r ON r.related_person_id = c.id AND r.kind = 'ibu' \
             AND r.deleted_at IS NULL \
             JOIN person m ON m.id = r.person_id AND m.deleted_at IS NULL \
             AND m.org_path >= $1 AND m.org_path < $2 \
             WHERE c.org_path >= $3 AND c.org_path < $4 AND c.birth_date >= $5 \
             AND c.deleted_at IS NULL AND c.id IN (SELECT f.person_id FROM finding f \
             WHERE f.code IN ({list}) AND f.org_path >= $3 AND f.org_path < $4 \
             AND f.day >= $6 AND f.day < $7 AND f.deleted_at IS NULL)"
        );
        fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [
                &slo,
                &shi,
                &lo,
                &hi,
                born_from.unwrap_or(EARLIEST),
                from,
                to
            ],
            row::child_and_mother
        )
    }

    /// The persons under a unit with a referral there in one of `statuses`.
    pub async fn persons_referred(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        statuses: &[ReferralStatus],
    ) -> Result<Vec<crate::model::Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
        let Some(list) = code_list(&codes) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             AND id IN (SELECT r.person_id FROM referral r WHERE r.org_path >= $1 \
             AND r.org_path < $2 AND r.status IN ({list}) AND r.deleted_at IS NULL) \
             ORDER BY org_path, name"
        );
        fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [&lo, &hi],
            row::person
        )
    }

    /// The referrals under a unit in one of `statuses`, by day and id (as
    /// [`Store::referrals_under`] orders them).
    pub async fn referrals_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        statuses: &[ReferralStatus],
    ) -> Result<Vec<crate::model::Referral>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
        let Some(list) = code_list(&codes) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT * FROM referral WHERE org_path >= $1 AND org_path < $2 \
             AND status IN ({list}) AND deleted_at IS NULL ORDER BY day, id"
        );
        fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [&lo, &hi],
            row::referral
        )
    }

    /// Findings with one of `codes` in `[from, to)` of the persons registered under a unit.
    pub async fn findings_coded(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        codes: &[&str],
        from: Date,
        to: Date,
    ) -> Result<Vec<crate::model::Finding>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let Some(list) = code_list(codes) else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT f.* FROM finding f JOIN person p ON p.id = f.person_id \
             WHERE f.code IN ({list}) AND p.org_path >= $1 AND p.org_path < $2 \
             AND f.day >= $3 AND f.day < $4 AND f.deleted_at IS NULL ORDER BY f.day, f.id"
        );
        fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [&lo, &hi, from, to],
            row::finding
        )
    }

    /// Each person's latest `kind` measurement on or before `on`, for the persons with a
    /// finding of `codes` under a unit since `from` (a raised reading and its re-check).
    pub async fn last_measured_after_findings(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        kind: MeasurementKind,
        codes: &[&str],
        from: Date,
        on: Date,
    ) -> Result<HashMap<PersonId, Date>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let Some(list) = code_list(codes) else {
            return Ok(HashMap::new());
        };
        let sql = format!(
            "SELECT m.person_id AS person_id, CAST(MAX(m.day) AS TEXT) AS last FROM measurement m \
             WHERE m.kind = $1 AND m.day <= $2 AND NOT m.implausible AND m.deleted_at IS NULL \
             AND m.person_id IN (SELECT f.person_id FROM finding f WHERE f.code IN ({list}) \
             AND f.org_path >= $3 AND f.org_path < $4 AND f.day >= $5 AND f.deleted_at IS NULL) \
             GROUP BY m.person_id"
        );
        let rows = fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [kind.code(), on, &lo, &hi, from],
            row::person_date
        )?;
        Ok(rows.into_iter().collect())
    }
}

/// A dose as the schedule reads it: person, vaccine (the stored series name), dose number,
/// day.
pub type DoseSeries = (PersonId, String, Option<i32>, Date);

/// No birth date filter: a day before anyone recorded (both engines' date range).
const EARLIEST: Date = time::macros::date!(1800 - 01 - 01);

/// A person and their latest date (`person_id`, `last` as ISO text, NULL for none).
fn opt_person_date(r: &impl Get) -> Result<Option<(PersonId, Date)>> {
    match r.opt_text("last")? {
        None => Ok(None),
        Some(_) => row::person_date(r).map(Some),
    }
}

/// A person's doses as [`Store::dose_series_of_born`] joins them: `<length>:<vaccine>
/// <dose number>|<day>` separated by `;`. The vaccine is free text, so it is read by its
/// length (characters, as both engines count them), never by looking for a separator.
fn person_doses(r: &impl Get) -> Result<Vec<DoseSeries>> {
    let t = r.text("person_id")?;
    let person = PersonId(uuid::Uuid::parse_str(&t).map_err(|_| StoreError::Corrupt {
        column: "person_id",
        value: t.clone(),
    })?);
    let Some(text) = r.opt_text("doses")? else {
        return Ok(Vec::new());
    };
    let bad = || StoreError::Corrupt {
        column: "doses",
        value: text.clone(),
    };
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let (len, after) = rest.split_once(':').ok_or_else(bad)?;
        let len: usize = len.parse().map_err(|_| bad())?;
        let end = after
            .char_indices()
            .nth(len)
            .map_or(after.len(), |(i, _)| i);
        let vaccine = after.get(..end).ok_or_else(bad)?;
        if vaccine.chars().count() != len {
            return Err(bad());
        }
        let (number, after) = after[end..].split_once('|').ok_or_else(bad)?;
        let number = match number {
            "" => None,
            n => Some(n.parse::<i32>().map_err(|_| bad())?),
        };
        let day = after.get(..10).ok_or_else(bad)?;
        let day = Date::parse(day, &iso).map_err(|_| bad())?;
        out.push((person, vaccine.to_owned(), number, day));
        rest = after[10..].strip_prefix(';').unwrap_or(&after[10..]);
        if !after[10..].is_empty() && !after[10..].starts_with(';') {
            return Err(bad());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{code_list, person_doses};

    #[test]
    fn only_plain_codes_go_into_the_sql() {
        assert_eq!(
            code_list(&["kms_t", "kek"]).as_deref(),
            Some("'kms_t', 'kek'")
        );
        assert_eq!(code_list(&[]), None);
        assert_eq!(code_list(&["x'); DROP TABLE person; --"]), None);
        assert_eq!(code_list(&["KEK"]), None);
    }

    /// A row of the doses' aggregate, as both engines hand it over.
    struct Row(&'static str, Option<&'static str>);
    impl crate::row::Get for Row {
        fn text(&self, col: &str) -> crate::Result<String> {
            self.opt_text(col)?.ok_or(crate::StoreError::Corrupt {
                column: "null",
                value: String::new(),
            })
        }
        fn opt_text(&self, col: &str) -> crate::Result<Option<String>> {
            Ok(match col {
                "person_id" => Some(self.0.to_owned()),
                _ => self.1.map(str::to_owned),
            })
        }
        fn int(&self, _: &str) -> crate::Result<i64> {
            unreachable!()
        }
        fn opt_i32(&self, _: &str) -> crate::Result<Option<i32>> {
            unreachable!()
        }
        fn real(&self, _: &str) -> crate::Result<f64> {
            unreachable!()
        }
        fn opt_real(&self, _: &str) -> crate::Result<Option<f64>> {
            unreachable!()
        }
        fn flag(&self, _: &str) -> crate::Result<bool> {
            unreachable!()
        }
        fn date(&self, _: &str) -> crate::Result<time::Date> {
            unreachable!()
        }
        fn opt_date(&self, _: &str) -> crate::Result<Option<time::Date>> {
            unreachable!()
        }
        fn time(&self, _: &str) -> crate::Result<time::OffsetDateTime> {
            unreachable!()
        }
        fn opt_time(&self, _: &str) -> crate::Result<Option<time::OffsetDateTime>> {
            unreachable!()
        }
    }

    /// The doses come back whatever the vaccine's text holds (separators, letters beyond
    /// ASCII); no doses is an empty list; anything else is refused, never guessed.
    #[test]
    fn joined_doses_are_read_by_length() {
        let id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let got = person_doses(&Row(
            id,
            Some("3:BCG|2026-01-02;10:DPT-HB-Hib2|2026-03-04;6:x;1|é:2|2026-05-06"),
        ))
        .unwrap();
        let days: Vec<_> = got
            .iter()
            .map(|d| (d.1.as_str(), d.2, d.3.to_string()))
            .collect();
        assert_eq!(
            days,
            [
                ("BCG", None, "2026-01-02".to_owned()),
                ("DPT-HB-Hib", Some(2), "2026-03-04".to_owned()),
                ("x;1|é:", Some(2), "2026-05-06".to_owned()),
            ]
        );
        assert!(person_doses(&Row(id, None)).unwrap().is_empty());
        for bad in [
            "3:BCG",
            "4:BCG|2026-01-02",
            "3:BCGx|2026-01-02",
            "3:BCG|2026-01-02x",
        ] {
            assert!(person_doses(&Row(id, Some(bad))).is_err(), "{bad}");
        }
    }
}
