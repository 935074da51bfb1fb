//! Reads of one month of a unit for the monthly report (`report::monthly`): rows of one
//! kind in `[from, to)` of the persons registered under the unit (a row counts for the
//! person's unit wherever it was captured, so a unit's numbers are the sum of its
//! children's), and the stored summaries of the report ([`crate::report_summary`]).

use time::Date;

use crate::actor::Actor;
use crate::db::Store;
use crate::error::Result;
use crate::fetch::fetch_all;
use crate::ids::{OrgUnitId, PersonId};
use crate::model::{Person, Referral, Screening};
use crate::row::{self, Get};

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

    /// The persons under a unit born on or after `born_from` with a live `questionnaire`
    /// row dated before `to` whose answer `key` is `true` (e.g. a Buku KIA noted on a
    /// service day), each once.
    ///
    /// The answers are a JSON object our own code writes compactly (`serde_json`), so the
    /// key and value are matched as that text on both engines, whose JSON functions differ.
    pub async fn persons_with_answer_before(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        (questionnaire, key): (&str, &str),
        born_from: Date,
        to: Date,
    ) -> Result<Vec<PersonId>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let pattern = format!("%{}:true%", serde_json::Value::String(key.to_owned()));
        fetch_all!(
            on_pool,
            self,
            "SELECT DISTINCT s.person_id FROM screening s JOIN person p ON p.id = s.person_id \
             WHERE p.org_path >= $1 AND p.org_path < $2 AND p.deleted_at IS NULL \
             AND p.birth_date >= $3 AND s.questionnaire = $4 AND s.day < $5 \
             AND s.deleted_at IS NULL AND s.answers LIKE $6",
            [&lo, &hi, born_from, questionnaire, to, &pattern],
            |r| row::id(r, "person_id")
        )
    }

    /// The kader on duty as each service day of a unit in `[from, to)` notes them (the
    /// names typed when the day was opened, `service_day.note`), with the day's unit.
    pub async fn service_day_notes(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<(OrgUnitId, String)>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT org_unit_id, note FROM service_day WHERE org_path >= $1 AND org_path < $2 \
             AND day >= $3 AND day < $4 AND deleted_at IS NULL AND note IS NOT NULL \
             ORDER BY org_path, day, id",
            [&lo, &hi, from, to],
            |r| Ok((row::id(r, "org_unit_id")?, Get::text(r, "note")?))
        )
    }
}
