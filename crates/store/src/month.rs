//! Reads of one month of a unit for the monthly report (`report::monthly`): rows of one
//! kind in `[from, to)` through the `(day, org_path)` month indexes.

use time::Date;

use crate::actor::Actor;
use crate::db::Store;
use crate::error::Result;
use crate::fetch::fetch_all;
use crate::ids::OrgUnitId;
use crate::model::{Person, Screening};
use crate::row;

impl Store {
    /// Answers of `questionnaire` (e.g. `LAYANAN`, the service day's services) under a
    /// unit in `[from, to)`.
    pub async fn screenings_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        questionnaire: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<Screening>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM screening WHERE org_path >= $1 AND org_path < $2 \
             AND questionnaire = $3 AND day >= $4 AND day < $5 AND deleted_at IS NULL \
             ORDER BY day, id",
            [&lo, &hi, questionnaire, from, to],
            row::screening
        )
    }

    /// The persons registered under a unit with a visit under it in `[from, to)`, each once.
    pub async fn visitors_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             AND id IN (SELECT person_id FROM visit WHERE day >= $3 AND day < $4 \
             AND org_path >= $5 AND org_path < $6 AND deleted_at IS NULL) ORDER BY org_path, name",
            [&lo, &hi, from, to, &lo, &hi],
            row::person
        )
    }

    /// The women registered under a unit with a pregnancy recorded under it (any state).
    pub async fn persons_with_pregnancy_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
    ) -> Result<Vec<Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             AND id IN (SELECT person_id FROM pregnancy WHERE org_path >= $3 AND org_path < $4 \
             AND deleted_at IS NULL) ORDER BY org_path, name",
            [&lo, &hi, &lo, &hi],
            row::person
        )
    }
}
