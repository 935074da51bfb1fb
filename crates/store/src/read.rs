//! Reads. Every read takes an [`Actor`] and returns only rows in the actor's subtree: a
//! single record outside it is [`StoreError::OutOfScope`], a list is filtered by path range.
//! Soft-deleted rows are hidden except in the change feed.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{EntityKind, ReferralStatus};
use crate::db::{EngineKind, Store};
use crate::error::{Result, StoreError};
use crate::fetch::{fetch_all, fetch_opt};
use crate::model::*;
use crate::nik::Nik;
use crate::row::{self, Get};

/// Everything recorded under one unit in a date range ("this Puskesmas, this month").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub service_days: Vec<ServiceDay>,
    pub visits: Vec<Visit>,
    pub measurements: Vec<Measurement>,
    pub doses: Vec<Dose>,
    pub screenings: Vec<Screening>,
    pub findings: Vec<Finding>,
    pub referrals: Vec<Referral>,
}

fn in_scope<T>(actor: &Actor, kind: EntityKind, id: Uuid, path: &OrgPath, v: T) -> Result<T> {
    if actor.can_see(path) {
        Ok(v)
    } else {
        Err(StoreError::OutOfScope { entity: kind, id })
    }
}

impl Store {
    pub async fn org_unit(&self, actor: &Actor, id: OrgUnitId) -> Result<OrgUnit> {
        let u = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM org_unit WHERE id = $1",
            [id.to_string()],
            row::org_unit
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::OrgUnit,
            id: id.0,
        })?;
        let path = u.path.clone();
        in_scope(actor, EntityKind::OrgUnit, id.0, &path, u)
    }

    /// The unit with this materialised path, if any (and in scope).
    pub async fn org_unit_by_path(&self, actor: &Actor, path: &OrgPath) -> Result<Option<OrgUnit>> {
        let u = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM org_unit WHERE org_path = $1 AND deleted_at IS NULL",
            [path.as_str()],
            row::org_unit
        )?;
        match u {
            Some(u) => {
                let (id, p) = (u.id.0, u.path.clone());
                in_scope(actor, EntityKind::OrgUnit, id, &p, Some(u))
            }
            None => Ok(None),
        }
    }

    /// The units above a unit the actor may see, from the province down (their names and
    /// levels are public: a register's Prov/Kab/Kec columns; nothing below them is read).
    pub async fn ancestors_of(&self, actor: &Actor, unit: OrgUnitId) -> Result<Vec<OrgUnit>> {
        let u = self.org_unit(actor, unit).await?;
        let path = u.path.as_str();
        let mut out = Vec::new();
        // "/35/3508/…/" → "/35/", "/35/3508/", … up to the unit's parent.
        let cuts: Vec<usize> = path
            .char_indices()
            .filter(|(i, c)| *c == '/' && *i > 0 && *i + 1 < path.len())
            .map(|(i, _)| i + 1)
            .collect();
        for cut in cuts {
            if let Some(a) = fetch_opt!(
                on_pool,
                self,
                "SELECT * FROM org_unit WHERE org_path = $1 AND deleted_at IS NULL",
                [&path[..cut]],
                row::org_unit
            )? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The scope range of a unit the actor may see.
    pub(crate) async fn unit_range(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
    ) -> Result<(String, String)> {
        Ok(self.org_unit(actor, unit).await?.path.range())
    }

    /// The unit and every unit below it, in path order.
    pub async fn org_units_under(&self, actor: &Actor, unit: OrgUnitId) -> Result<Vec<OrgUnit>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM org_unit WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             ORDER BY org_path",
            [&lo, &hi],
            row::org_unit
        )
    }

    pub async fn user(&self, actor: &Actor, id: UserId) -> Result<User> {
        let u = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM app_user WHERE id = $1",
            [id.to_string()],
            row::user
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::User,
            id: id.0,
        })?;
        let path = u.org_path.clone();
        in_scope(actor, EntityKind::User, id.0, &path, u)
    }

    /// The accounts (active or not, never deleted) whose unit lies in `unit`'s subtree, by
    /// path then username. `unit` must be in the actor's scope (else [`StoreError::OutOfScope`],
    /// or [`StoreError::NotFound`] when there is no such unit), so every row is in scope too.
    pub async fn users_under(&self, actor: &Actor, unit: OrgUnitId) -> Result<Vec<User>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM app_user WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             ORDER BY org_path, username",
            [&lo, &hi],
            row::user
        )
    }

    /// For login: the active user with this name, whoever asks.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM app_user WHERE username = $1 AND deleted_at IS NULL AND active",
            [username],
            row::user
        )
    }

    pub async fn household(&self, actor: &Actor, id: HouseholdId) -> Result<Household> {
        let h = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM household WHERE id = $1",
            [id.to_string()],
            row::household
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Household,
            id: id.0,
        })?;
        let path = h.org_path.clone();
        in_scope(actor, EntityKind::Household, id.0, &path, h)
    }

    pub async fn households_under(&self, actor: &Actor, unit: OrgUnitId) -> Result<Vec<Household>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM household WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             ORDER BY org_path, head_name",
            [&lo, &hi],
            row::household
        )
    }

    /// A person (also a soft-deleted one, so the caller can show why it is gone).
    pub async fn person(&self, actor: &Actor, id: PersonId) -> Result<Person> {
        let p = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM person WHERE id = $1",
            [id.to_string()],
            row::person
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Person,
            id: id.0,
        })?;
        let path = p.org_path.clone();
        in_scope(actor, EntityKind::Person, id.0, &path, p)
    }

    pub async fn persons_under(&self, actor: &Actor, unit: OrgUnitId) -> Result<Vec<Person>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             ORDER BY org_path, name",
            [&lo, &hi],
            row::person
        )
    }

    /// Persons in scope recorded with this NIK (a mother and her newborn may share one).
    pub async fn persons_by_nik(&self, actor: &Actor, nik: &Nik) -> Result<Vec<Person>> {
        let (lo, hi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE nik = $1 AND org_path >= $2 AND org_path < $3 \
             AND deleted_at IS NULL ORDER BY birth_date",
            [nik.as_str(), &lo, &hi],
            row::person
        )
    }

    /// The persons of a household within the actor's scope, oldest first (the family on
    /// the person page).
    pub async fn household_members(
        &self,
        actor: &Actor,
        household: HouseholdId,
    ) -> Result<Vec<Person>> {
        let (lo, hi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE household_id = $1 AND org_path >= $2 AND org_path < $3 \
             AND deleted_at IS NULL ORDER BY birth_date, name",
            [household.to_string(), &lo, &hi],
            row::person
        )
    }

    /// Every live relationship whose first person is under a unit (a child's mother for
    /// the target lists' phone column).
    pub async fn relationships_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
    ) -> Result<Vec<Relationship>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM relationship WHERE org_path >= $1 AND org_path < $2 \
             AND deleted_at IS NULL ORDER BY created_at",
            [&lo, &hi],
            row::relationship
        )
    }

    /// Every pregnancy of the women registered under a unit, ended or not.
    pub async fn pregnancies_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
    ) -> Result<Vec<Pregnancy>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT g.* FROM pregnancy g JOIN person p ON p.id = g.person_id \
             WHERE p.org_path >= $1 AND p.org_path < $2 AND g.deleted_at IS NULL \
             ORDER BY g.created_at",
            [&lo, &hi],
            row::pregnancy
        )
    }

    /// Relationships where the person is either side.
    pub async fn relationships_of(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<Relationship>> {
        self.person(actor, person).await?;
        let key = person.to_string();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM relationship WHERE (person_id = $1 OR related_person_id = $1) \
             AND deleted_at IS NULL ORDER BY created_at",
            [&key],
            row::relationship
        )
    }

    pub async fn pregnancies_of(&self, actor: &Actor, person: PersonId) -> Result<Vec<Pregnancy>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM pregnancy WHERE person_id = $1 AND deleted_at IS NULL ORDER BY created_at",
            [person.to_string()],
            row::pregnancy
        )
    }

    pub async fn visits_of(&self, actor: &Actor, person: PersonId) -> Result<Vec<Visit>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM visit WHERE person_id = $1 AND deleted_at IS NULL ORDER BY day, id",
            [person.to_string()],
            row::visit
        )
    }

    pub async fn measurements_of(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<Measurement>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM measurement WHERE person_id = $1 AND deleted_at IS NULL ORDER BY day, id",
            [person.to_string()],
            row::measurement
        )
    }

    pub async fn doses_of(&self, actor: &Actor, person: PersonId) -> Result<Vec<Dose>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM dose WHERE person_id = $1 AND deleted_at IS NULL ORDER BY day, id",
            [person.to_string()],
            row::dose
        )
    }

    pub async fn screenings_of(&self, actor: &Actor, person: PersonId) -> Result<Vec<Screening>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM screening WHERE person_id = $1 AND deleted_at IS NULL ORDER BY day, id",
            [person.to_string()],
            row::screening
        )
    }

    pub async fn findings_of(&self, actor: &Actor, person: PersonId) -> Result<Vec<Finding>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM finding WHERE person_id = $1 AND deleted_at IS NULL ORDER BY day, id",
            [person.to_string()],
            row::finding
        )
    }

    /// Every finding under a unit in `[from, to)`, by day (a prepared day's last findings,
    /// target lists).
    pub async fn findings_in(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Finding>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM finding WHERE org_path >= $1 AND org_path < $2 \
             AND day >= $3 AND day < $4 AND deleted_at IS NULL ORDER BY day, id",
            [&lo, &hi, from, to],
            row::finding
        )
    }

    pub async fn referral(&self, actor: &Actor, id: ReferralId) -> Result<Referral> {
        let r = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM referral WHERE id = $1",
            [id.to_string()],
            row::referral
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Referral,
            id: id.0,
        })?;
        let path = r.org_path.clone();
        in_scope(actor, EntityKind::Referral, id.0, &path, r)
    }

    /// A person's referrals, oldest first.
    pub async fn referrals_of(&self, actor: &Actor, person: PersonId) -> Result<Vec<Referral>> {
        self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM referral WHERE person_id = $1 AND deleted_at IS NULL ORDER BY day, id",
            [person.to_string()],
            row::referral
        )
    }

    /// Referrals under a unit, optionally only those in one status (the midwife's inbox).
    pub async fn referrals_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<Referral>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        match status {
            Some(s) => fetch_all!(
                on_pool,
                self,
                "SELECT * FROM referral WHERE org_path >= $1 AND org_path < $2 AND status = $3 \
                 AND deleted_at IS NULL ORDER BY day, id",
                [&lo, &hi, s.code()],
                row::referral
            ),
            None => fetch_all!(
                on_pool,
                self,
                "SELECT * FROM referral WHERE org_path >= $1 AND org_path < $2 \
                 AND deleted_at IS NULL ORDER BY day, id",
                [&lo, &hi],
                row::referral
            ),
        }
    }

    /// Everything captured under `unit` with a date in `[from, to)`.
    pub async fn activity_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Activity> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        macro_rules! range {
            ($table:literal, $decode:path) => {
                fetch_all!(
                    on_pool,
                    self,
                    concat!(
                        "SELECT * FROM ",
                        $table,
                        " WHERE org_path >= $1 AND org_path < $2 \
                     AND day >= $3 AND day < $4 AND deleted_at IS NULL ORDER BY day, id"
                    ),
                    [&lo, &hi, from, to],
                    $decode
                )?
            };
        }
        Ok(Activity {
            service_days: range!("service_day", row::service_day),
            visits: range!("visit", row::visit),
            measurements: range!("measurement", row::measurement),
            doses: range!("dose", row::dose),
            screenings: range!("screening", row::screening),
            findings: range!("finding", row::finding),
            referrals: range!("referral", row::referral),
        })
    }

    /// The audit trail of one record, oldest first.
    pub async fn audit_of(&self, actor: &Actor, entity_id: Uuid) -> Result<Vec<AuditEntry>> {
        let (lo, hi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM audit_log WHERE entity_id = $1 AND org_path >= $2 AND org_path < $3 \
             ORDER BY at, id",
            [entity_id.to_string(), &lo, &hi],
            row::audit
        )
    }

    /// The change feed: rows in the actor's scope whose sequence is above `after`, in
    /// sequence order, at most `limit`. Deleted rows are included (the client must learn
    /// of the delete).
    pub async fn pull_changes(&self, actor: &Actor, after: i64, limit: u32) -> Result<ChangePage> {
        let (lo, hi) = actor.scope.range();
        let limit = i64::from(limit.max(1));
        // PostgreSQL: only numbers of transactions that have ended (see `Tx::next_seq`),
        // fixed once so that every kind below reads up to the same point.
        let horizon = match self.kind() {
            EngineKind::Postgres => self.pg_pull_horizon().await?,
            EngineKind::Sqlite => i64::MAX,
        };
        let mut changes = Vec::new();
        let mut more = false;
        for kind in EntityKind::ALL {
            let sql = format!(
                "SELECT * FROM {} WHERE seq > $1 AND seq < $5 AND org_path >= $2 \
                 AND org_path < $3 ORDER BY seq LIMIT $4",
                kind.table()
            );
            let rows: Vec<Record> = fetch_all!(
                on_pool,
                self,
                sqlx::AssertSqlSafe(sql),
                [after, &lo, &hi, limit + 1, horizon],
                |r| row::record(*kind, r)
            )?;
            more |= rows.len() as i64 > limit;
            changes.extend(rows.into_iter().map(|record| Change {
                seq: seq_of(&record),
                record,
            }));
        }
        changes.sort_by_key(|c| c.seq);
        if changes.len() as i64 > limit {
            changes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
            more = true;
        }
        let next_after = changes.last().map_or(after, |c| c.seq);
        Ok(ChangePage {
            changes,
            next_after,
            more,
        })
    }
}

impl Store {
    /// The PostgreSQL change numbers a pull may read now: those below every transaction of
    /// this database still running (`Tx::next_seq` numbers a transaction's rows by its id).
    /// Two reads, in this order: the snapshot (the ids running, and `xmax`, below which
    /// every id is assigned), then which of those belong to this database's sessions. An id
    /// assigned after the snapshot is at least `xmax`, so whatever starts between the two
    /// reads lies above the horizon. Other databases of the server do not hold it back.
    async fn pg_pull_horizon(&self) -> Result<i64> {
        let snapshot = "SELECT pg_snapshot_xmax(s)::text::bigint AS xmax, \
             COALESCE(array_to_string(ARRAY(SELECT pg_snapshot_xip(s)), ','), '') AS xip \
             FROM pg_current_snapshot() AS s";
        let (xmax, xip) = fetch_opt!(on_pool, self, snapshot, [], |r| Ok((
            Get::int(r, "xmax")?,
            Get::text(r, "xip")?
        )))?
        .unwrap_or((0, String::new()));
        let sessions = "SELECT COALESCE(string_agg(backend_xid::text, ','), '') AS xids \
             FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL";
        let ours =
            fetch_opt!(on_pool, self, sessions, [], |r| Get::text(r, "xids"))?.unwrap_or_default();
        Ok(pg_horizon(xmax, &xip, &ours) << crate::tx::PG_SEQ_SHIFT)
    }
}

/// The lowest transaction id of `xip` (64-bit, as the snapshot gives them) run by one of
/// `ours` (32-bit, as `pg_stat_activity` gives them), else `xmax`.
fn pg_horizon(xmax: i64, xip: &str, ours: &str) -> i64 {
    let ours: Vec<i64> = ours.split(',').filter_map(|x| x.parse().ok()).collect();
    xip.split(',')
        .filter_map(|x| x.parse::<i64>().ok())
        .filter(|x| ours.contains(&(x & 0xFFFF_FFFF)))
        .min()
        .map_or(xmax, |x| x.min(xmax))
}

fn seq_of(r: &Record) -> i64 {
    match r {
        Record::OrgUnit(x) => x.meta.seq,
        Record::User(x) => x.meta.seq,
        Record::Household(x) => x.meta.seq,
        Record::Person(x) => x.meta.seq,
        Record::Relationship(x) => x.meta.seq,
        Record::Pregnancy(x) => x.meta.seq,
        Record::ServiceDay(x) => x.meta.seq,
        Record::Visit(x) => x.meta.seq,
        Record::Measurement(x) => x.meta.seq,
        Record::Dose(x) => x.meta.seq,
        Record::Screening(x) => x.meta.seq,
        Record::Finding(x) => x.meta.seq,
        Record::Referral(x) => x.meta.seq,
    }
}

#[cfg(test)]
mod tests {
    use super::pg_horizon;

    #[test]
    fn the_horizon_is_the_oldest_running_transaction_of_this_database() {
        // Nothing running: everything below xmax has ended.
        assert_eq!(pg_horizon(900, "", ""), 900);
        // 850 runs here, 800 in another database: 850 holds the pull back, 800 does not.
        assert_eq!(pg_horizon(900, "800,850", "850,12"), 850);
        assert_eq!(pg_horizon(900, "800", "12"), 900);
        // After a wraparound the session shows the id's low 32 bits.
        let id = (3_i64 << 32) + 7;
        assert_eq!(pg_horizon(id + 10, &id.to_string(), "7"), id);
    }
}
