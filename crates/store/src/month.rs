//! Reads of one month of a unit for the monthly report (`report::monthly`): rows of one
//! kind in `[from, to)` of the persons registered under the unit (a row counts for the
//! person's unit wherever it was captured, so a unit's numbers are the sum of its
//! children's), and the stored summaries of the report ([`crate::report_summary`]).

use time::{Date, OffsetDateTime};

use crate::actor::Actor;
use crate::db::Store;
use crate::error::Result;
use crate::fetch::{fetch_all, fetch_opt};
use crate::ids::OrgUnitId;
use crate::model::{Person, Referral, Screening};
use crate::row;

impl Store {
    /// Answers of `questionnaire` (e.g. `LAYANAN`, the service day's services) in
    /// `[from, to)` of the persons registered under a unit.
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
            "SELECT s.* FROM screening s JOIN person p ON p.id = s.person_id \
             WHERE p.org_path >= $1 AND p.org_path < $2 AND s.questionnaire = $3 \
             AND s.day >= $4 AND s.day < $5 AND s.deleted_at IS NULL ORDER BY s.day, s.id",
            [&lo, &hi, questionnaire, from, to],
            row::screening
        )
    }

    /// The persons registered under a unit with a visit (anywhere) in `[from, to)`, each once.
    pub async fn visitors_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Person>> {
        self.persons_with_row_in(actor, unit, "visit", from, to)
            .await
    }

    /// The women registered under a unit with a pregnancy recorded (any state).
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
             AND EXISTS (SELECT 1 FROM pregnancy g WHERE g.person_id = person.id \
             AND g.deleted_at IS NULL) ORDER BY org_path, name",
            [&lo, &hi],
            row::person
        )
    }

    /// Referrals made in `[from, to)` (their day) of the persons registered under a unit,
    /// whatever their status now.
    pub async fn referrals_made(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Referral>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT r.* FROM referral r JOIN person p ON p.id = r.person_id \
             WHERE p.org_path >= $1 AND p.org_path < $2 AND p.deleted_at IS NULL \
             AND r.day >= $3 AND r.day < $4 AND r.deleted_at IS NULL ORDER BY r.day, r.id",
            [&lo, &hi, from, to],
            row::referral
        )
    }

    /// The persons registered under a unit referred in `[from, to)`, each once.
    pub async fn persons_referred_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Person>> {
        self.persons_with_row_in(actor, unit, "referral", from, to)
            .await
    }

    /// The persons registered under a unit with a live row of `table` (a fixed name, never
    /// input: `visit` or `referral`) dated in `[from, to)`, each once, by path and name.
    async fn persons_with_row_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        table: &'static str,
        from: Date,
        to: Date,
    ) -> Result<Vec<Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let sql = format!(
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             AND EXISTS (SELECT 1 FROM {table} x WHERE x.person_id = person.id AND x.day >= $3 \
             AND x.day < $4 AND x.deleted_at IS NULL) ORDER BY org_path, name"
        );
        fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(sql),
            [&lo, &hi, from, to],
            row::person
        )
    }

    /// How many visits, measurements, findings, doses and questionnaires dated in
    /// `[from, to)` under a unit reached the database after `after` (a month's close): the
    /// late corrections.
    pub async fn late_rows(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
        after: OffsetDateTime,
    ) -> Result<i64> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let mut total = 0;
        // The table names are the program's own constants.
        for table in ["visit", "measurement", "finding", "dose", "screening"] {
            let sql = format!(
                "SELECT COUNT(*) AS n FROM {table} WHERE org_path >= $1 AND org_path < $2 \
                 AND day >= $3 AND day < $4 AND created_at > $5"
            );
            total += fetch_opt!(
                on_pool,
                self,
                sqlx::AssertSqlSafe(sql),
                [&lo, &hi, from, to, after],
                |r| crate::row::Get::int(r, "n")
            )?
            .unwrap_or(0);
        }
        Ok(total)
    }
}
