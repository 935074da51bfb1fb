//! Reads for lists over a whole unit that only need "the latest date per person" or one
//! kind of row (the target lists, `report::targets`): an aggregate in the database instead
//! of every row of years of history decoded in Rust.

use std::collections::HashMap;

use time::Date;

use crate::actor::Actor;
use crate::codes::MeasurementKind;
use crate::db::Store;
use crate::error::Result;
use crate::fetch::fetch_all;
use crate::ids::{OrgUnitId, PersonId};
use crate::model::{Dose, Measurement};
use crate::row;

impl Store {
    /// Measurements of `kind` under a unit in `[from, to)`.
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
            "SELECT * FROM measurement WHERE org_path >= $1 AND org_path < $2 AND kind = $3 \
             AND day >= $4 AND day < $5 AND deleted_at IS NULL ORDER BY day, id",
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
    /// or after `born_from` (read per person through the visit index, not the whole unit).
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
            "SELECT v.person_id AS person_id, CAST(MAX(v.day) AS TEXT) AS last FROM person p \
             JOIN visit v ON v.person_id = p.id AND v.day <= $1 AND v.deleted_at IS NULL \
             WHERE p.org_path >= $2 AND p.org_path < $3 AND p.birth_date >= $4 \
             AND p.deleted_at IS NULL GROUP BY v.person_id",
            [on, &lo, &hi, born_from],
            row::person_date
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Each person's latest `kind` measurement on or before `on` (implausible ones left
    /// out), for the persons under a unit born on or after `born_from`.
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
            "SELECT m.person_id AS person_id, CAST(MAX(m.day) AS TEXT) AS last FROM person p \
             JOIN measurement m ON m.person_id = p.id AND m.kind = $1 AND m.day <= $2 \
             AND NOT m.implausible AND m.deleted_at IS NULL \
             WHERE p.org_path >= $3 AND p.org_path < $4 AND p.birth_date >= $5 \
             AND p.deleted_at IS NULL GROUP BY m.person_id",
            [kind.code(), on, &lo, &hi, born_from],
            row::person_date
        )?;
        Ok(rows.into_iter().collect())
    }

    /// The doses before `to` of the persons under a unit born on or after `born_from`.
    pub async fn doses_of_born(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        born_from: Date,
        to: Date,
    ) -> Result<Vec<Dose>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT d.* FROM person p JOIN dose d ON d.person_id = p.id AND d.day < $1 \
             AND d.deleted_at IS NULL WHERE p.org_path >= $2 AND p.org_path < $3 \
             AND p.birth_date >= $4 AND p.deleted_at IS NULL ORDER BY d.day, d.id",
            [to, &lo, &hi, born_from],
            row::dose
        )
    }

    /// Findings with one of `codes` under a unit in `[from, to)`.
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
            "SELECT * FROM finding WHERE code IN ({list}) AND org_path >= $1 AND org_path < $2 \
             AND day >= $3 AND day < $4 AND deleted_at IS NULL ORDER BY day, id"
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

#[cfg(test)]
mod tests {
    use super::code_list;

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
}
