//! The service-day roster: every person of a posyandu with the month's measurements and all
//! their doses, in one query (one round trip, which matters on PostgreSQL over a network).
//!
//! The three parts are one `UNION ALL` over a shared column shape, tagged by `k`:
//! `p` person (t1 name, t2 sex, day birth date), `m` measurement (t1 kind, day, x value),
//! `d` dose (t1 vaccine, day, n dose number).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::actor::Actor;
use crate::codes::{MeasurementKind, Sex};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::on_pool;
use crate::ids::{DoseId, MeasurementId, OrgUnitId, PersonId};
use crate::row::Get;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterEntry {
    pub person_id: PersonId,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    /// Measurements dated in the requested range, oldest first.
    pub measurements: Vec<RosterMeasurement>,
    /// Every dose ever given, oldest first.
    pub doses: Vec<RosterDose>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterMeasurement {
    pub id: MeasurementId,
    pub measured_on: Date,
    pub kind: MeasurementKind,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterDose {
    pub id: DoseId,
    pub given_on: Date,
    pub vaccine: String,
    pub dose_number: Option<i32>,
}

const ROSTER_SQL: &str = "\
SELECT 'p' AS k, p.id AS id, p.id AS person_id, p.name AS t1, p.sex AS t2, p.birth_date AS day,
       CAST(NULL AS DOUBLE PRECISION) AS x, CAST(NULL AS INTEGER) AS n
  FROM person p
 WHERE p.org_path >= $1 AND p.org_path < $2 AND p.deleted_at IS NULL
UNION ALL
SELECT 'm', m.id, m.person_id, m.kind, m.unit, m.day, m.value, NULL
  FROM measurement m JOIN person p ON p.id = m.person_id
 WHERE p.org_path >= $1 AND p.org_path < $2 AND p.deleted_at IS NULL
   AND m.deleted_at IS NULL AND m.day >= $3 AND m.day < $4
UNION ALL
SELECT 'd', d.id, d.person_id, d.vaccine, d.batch, d.day, NULL, d.dose_number
  FROM dose d JOIN person p ON p.id = d.person_id
 WHERE p.org_path >= $1 AND p.org_path < $2 AND p.deleted_at IS NULL
   AND d.deleted_at IS NULL
 ORDER BY 3, 1 DESC, 6, 2";

fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
    }
}

fn uuid(r: &impl Get, col: &'static str) -> Result<uuid::Uuid> {
    let t = r.text(col)?;
    uuid::Uuid::parse_str(&t).map_err(|_| corrupt(col, &t))
}

/// One tagged row of the union.
enum Part {
    Person(RosterEntry),
    Measurement(PersonId, RosterMeasurement),
    Dose(PersonId, RosterDose),
}

fn part(r: &impl Get) -> Result<Part> {
    let k = r.text("k")?;
    let person = PersonId(uuid(r, "person_id")?);
    let t1 = r.text("t1")?;
    let day = r.date("day")?;
    Ok(match k.as_str() {
        "p" => Part::Person(RosterEntry {
            person_id: person,
            sex: r
                .opt_text("t2")?
                .and_then(|s| Sex::from_code(&s))
                .ok_or_else(|| corrupt("sex", ""))?,
            name: t1,
            birth_date: day,
            measurements: Vec::new(),
            doses: Vec::new(),
        }),
        "m" => Part::Measurement(
            person,
            RosterMeasurement {
                id: MeasurementId(uuid(r, "id")?),
                measured_on: day,
                kind: MeasurementKind::from_code(&t1).ok_or_else(|| corrupt("kind", &t1))?,
                value: r.opt_real("x")?.ok_or_else(|| corrupt("value", ""))?,
            },
        ),
        _ => Part::Dose(
            person,
            RosterDose {
                id: DoseId(uuid(r, "id")?),
                given_on: day,
                vaccine: t1,
                dose_number: r.opt_i32("n")?,
            },
        ),
    })
}

impl Store {
    /// Every person registered under `unit` with their measurements dated in `[from, to)`
    /// and all their doses, ordered by person id — in one query.
    pub async fn roster(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        from: Date,
        to: Date,
    ) -> Result<Vec<RosterEntry>> {
        let (lo, hi) = self.org_unit(actor, unit).await?.path.range();
        let parts: Vec<Part> = on_pool!(self, c => {
            let rows = sqlx::query(ROSTER_SQL)
                .bind(&lo)
                .bind(&hi)
                .bind(from)
                .bind(to)
                .fetch_all(c)
                .await?;
            rows.iter().map(part).collect::<Result<Vec<_>>>()?
        });
        // Rows come grouped by person, the person row first ('p' sorts after 'm' and 'd',
        // hence DESC), so one pass builds the entries.
        let mut out: Vec<RosterEntry> = Vec::new();
        for p in parts {
            match p {
                Part::Person(e) => out.push(e),
                Part::Measurement(pid, m) => {
                    if let Some(e) = out.last_mut().filter(|e| e.person_id == pid) {
                        e.measurements.push(m);
                    }
                }
                Part::Dose(pid, d) => {
                    if let Some(e) = out.last_mut().filter(|e| e.person_id == pid) {
                        e.doses.push(d);
                    }
                }
            }
        }
        Ok(out)
    }
}
