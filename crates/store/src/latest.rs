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
    /// Each person's latest visit on or before `on`, under a unit.
    pub async fn last_visits_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        on: Date,
    ) -> Result<HashMap<PersonId, Date>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let rows = fetch_all!(
            on_pool,
            self,
            "SELECT person_id, CAST(MAX(day) AS TEXT) AS last FROM visit \
             WHERE org_path >= $1 AND org_path < $2 AND day <= $3 AND deleted_at IS NULL \
             GROUP BY person_id",
            [&lo, &hi, on],
            row::person_date
        )?;
        Ok(rows.into_iter().collect())
    }

    /// Each person's latest measurement of `kind` on or before `on` (implausible ones
    /// left out), under a unit.
    pub async fn last_measured_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        kind: MeasurementKind,
        on: Date,
    ) -> Result<HashMap<PersonId, Date>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let rows = fetch_all!(
            on_pool,
            self,
            "SELECT person_id, CAST(MAX(day) AS TEXT) AS last FROM measurement \
             WHERE org_path >= $1 AND org_path < $2 AND kind = $3 AND day <= $4 \
             AND NOT implausible AND deleted_at IS NULL GROUP BY person_id",
            [&lo, &hi, kind.code(), on],
            row::person_date
        )?;
        Ok(rows.into_iter().collect())
    }

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

    /// Every dose under a unit given before `to`.
    pub async fn doses_under(&self, actor: &Actor, unit: OrgUnitId, to: Date) -> Result<Vec<Dose>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM dose WHERE org_path >= $1 AND org_path < $2 AND day < $3 \
             AND deleted_at IS NULL ORDER BY day, id",
            [&lo, &hi, to],
            row::dose
        )
    }
}
