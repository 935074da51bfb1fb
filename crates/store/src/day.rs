//! Reads of the service day (hari buka): one day, the days of a unit, who came, finding a
//! person at the registration table in a few keystrokes, and the people a new registration
//! may duplicate. Scoped like every read: a record outside the actor's subtree is
//! [`StoreError::OutOfScope`], lists are filtered by path range.

use time::Date;

use crate::actor::Actor;
use crate::codes::EntityKind;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{fetch_all, fetch_opt};
use crate::model::*;
use crate::row;

/// Most rows a search returns: the registration table shows one screen of names.
pub const SEARCH_LIMIT: i64 = 20;

/// `%term%` for `LIKE … ESCAPE '\'`, lower-cased (both engines compare `LOWER(column)`).
fn like_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for ch in term.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

impl Store {
    /// One service day.
    pub async fn service_day(&self, actor: &Actor, id: ServiceDayId) -> Result<ServiceDay> {
        let d = fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM service_day WHERE id = $1 AND deleted_at IS NULL",
            [id.to_string()],
            row::service_day
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::ServiceDay,
            id: id.0,
        })?;
        if actor.can_see(&d.org_path) {
            Ok(d)
        } else {
            Err(StoreError::OutOfScope {
                entity: EntityKind::ServiceDay,
                id: id.0,
            })
        }
    }

    /// Service days under `unit` dated in `[from, to)`, newest first.
    pub async fn service_days_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<ServiceDay>> {
        let (lo, hi) = self.org_unit(actor, unit).await?.path.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM service_day WHERE org_path >= $1 AND org_path < $2 \
             AND day >= $3 AND day < $4 AND deleted_at IS NULL ORDER BY day DESC, id DESC",
            [&lo, &hi, from, to],
            row::service_day
        )
    }

    /// The visits of one service day, in arrival order (visit ids are UUIDv7: time-ordered).
    pub async fn visits_of_day(&self, actor: &Actor, day: ServiceDayId) -> Result<Vec<Visit>> {
        let d = self.service_day(actor, day).await?;
        let (lo, hi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM visit WHERE service_day_id = $1 AND org_path >= $2 AND org_path < $3 \
             AND deleted_at IS NULL ORDER BY id",
            [d.id.to_string(), &lo, &hi],
            row::visit
        )
    }

    /// The visit of `person` on service day `day`, if they came (in scope only). One
    /// indexed read: every step of a person's day asks it.
    pub async fn visit_on_day(
        &self,
        actor: &Actor,
        day: ServiceDayId,
        person: PersonId,
    ) -> Result<Option<Visit>> {
        let (lo, hi) = actor.scope.range();
        fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM visit WHERE service_day_id = $1 AND person_id = $2 \
             AND org_path >= $3 AND org_path < $4 AND deleted_at IS NULL ORDER BY id LIMIT 1",
            [day.to_string(), person.to_string(), &lo, &hi],
            row::visit
        )
    }

    /// What the rules read about a person on `day`: measurements of earlier days, doses
    /// up to `day` and pregnancies, oldest first. Earlier days only, because the rules compare
    /// today's readings with earlier visits (KMS, weight drop, length shrink), and a busy day
    /// must not make every later capture read the day's own rows again. Takes the person as
    /// read (in scope) so the capture path reads it once.
    pub async fn history_of(
        &self,
        actor: &Actor,
        person: &Person,
        day: Date,
    ) -> Result<(Vec<Measurement>, Vec<Dose>, Vec<Pregnancy>)> {
        // The caller read the person already: its path is the scope check.
        if !actor.can_see(&person.org_path) {
            return Err(StoreError::OutOfScope {
                entity: EntityKind::Person,
                id: person.id.0,
            });
        }
        let key = person.id.to_string();
        // Three reads at once on three connections: the capture waits for the slowest, not
        // for the sum.
        let ms = async {
            fetch_all!(
                on_pool,
                self,
                "SELECT * FROM measurement WHERE person_id = $1 AND day < $2 \
                 AND deleted_at IS NULL ORDER BY day, id",
                [&key, day],
                row::measurement
            )
        };
        let doses = async {
            fetch_all!(
                on_pool,
                self,
                "SELECT * FROM dose WHERE person_id = $1 AND day <= $2 AND deleted_at IS NULL \
                 ORDER BY day, id",
                [&key, day],
                row::dose
            )
        };
        let pregnancies = async {
            fetch_all!(
                on_pool,
                self,
                "SELECT * FROM pregnancy WHERE person_id = $1 AND deleted_at IS NULL \
                 ORDER BY created_at",
                [&key],
                row::pregnancy
            )
        };
        tokio::try_join!(ms, doses, pregnancies)
    }

    /// Persons under `unit` whose name, parent's name or household head contains `term`
    /// (case-insensitive), or whose NIK starts with it (4 digits or more), by name.
    pub async fn search_persons(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        term: &str,
    ) -> Result<Vec<Person>> {
        let (lo, hi) = self.org_unit(actor, unit).await?.path.range();
        let term = term.trim();
        if term.is_empty() {
            return Ok(Vec::new());
        }
        let digits = term.len() >= 4 && term.bytes().all(|b| b.is_ascii_digit());
        // A NIK pattern that matches nothing when the term is not a NIK prefix.
        let nik = if digits {
            format!("{term}%")
        } else {
            "-".to_owned()
        };
        fetch_all!(
            on_pool,
            self,
            "SELECT p.* FROM person p LEFT JOIN household h ON h.id = p.household_id \
             WHERE p.org_path >= $1 AND p.org_path < $2 AND p.deleted_at IS NULL \
             AND (LOWER(p.name) LIKE $3 ESCAPE '\\' \
                  OR LOWER(COALESCE(p.parent_name, '')) LIKE $3 ESCAPE '\\' \
                  OR LOWER(COALESCE(h.head_name, '')) LIKE $3 ESCAPE '\\' \
                  OR p.nik LIKE $4) \
             ORDER BY p.name, p.birth_date LIMIT $5",
            [&lo, &hi, like_pattern(term), nik, SEARCH_LIMIT],
            row::person
        )
    }

    /// Persons under `unit` born on `birth_date`: the candidates a new registration may
    /// duplicate (the caller compares the names).
    pub async fn persons_born_on(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        birth_date: Date,
    ) -> Result<Vec<Person>> {
        let (lo, hi) = self.org_unit(actor, unit).await?.path.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM person WHERE org_path >= $1 AND org_path < $2 AND birth_date = $3 \
             AND deleted_at IS NULL ORDER BY name",
            [&lo, &hi, birth_date],
            row::person
        )
    }

    /// Pregnancies under `unit` with no outcome recorded (ibu hamil of the target list).
    pub async fn open_pregnancies_under(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
    ) -> Result<Vec<Pregnancy>> {
        let (lo, hi) = self.org_unit(actor, unit).await?.path.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM pregnancy WHERE org_path >= $1 AND org_path < $2 \
             AND outcome IS NULL AND deleted_at IS NULL ORDER BY created_at",
            [&lo, &hi],
            row::pregnancy
        )
    }
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_escape_wildcards_and_lower_case() {
        assert_eq!(like_pattern(" Siti "), "%siti%");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
