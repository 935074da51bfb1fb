//! The late corrections of a closed month (issue 11 item 4): the visits, measurements,
//! findings, doses and questionnaires of the month that reached the database, or were
//! changed or deleted, after the close. The report page counts them and lists them, so an
//! officer sees exactly what moved the "with corrections" column.

use time::{Date, OffsetDateTime};

use crate::actor::Actor;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::fetch_all;
use crate::ids::{OrgUnitId, PersonId};
use crate::row::{self, Get};

/// The record tables a late correction can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LateTable {
    Visit,
    Measurement,
    Finding,
    Dose,
    Screening,
}

impl LateTable {
    pub const ALL: [LateTable; 5] = [
        LateTable::Visit,
        LateTable::Measurement,
        LateTable::Finding,
        LateTable::Dose,
        LateTable::Screening,
    ];

    /// The table's name (a program constant, never input).
    pub fn table(self) -> &'static str {
        match self {
            LateTable::Visit => "visit",
            LateTable::Measurement => "measurement",
            LateTable::Finding => "finding",
            LateTable::Dose => "dose",
            LateTable::Screening => "screening",
        }
    }

    /// The column that says what the row is (a measurement's kind, a finding's code…).
    fn detail(self) -> &'static str {
        match self {
            LateTable::Visit => "''",
            LateTable::Measurement => "x.kind",
            LateTable::Finding => "x.code",
            LateTable::Dose => "x.vaccine",
            LateTable::Screening => "x.questionnaire",
        }
    }

    fn parse(t: &str) -> Option<LateTable> {
        LateTable::ALL.into_iter().find(|k| k.table() == t)
    }
}

/// One late row: what, of whom, for which day, and when and by whom it arrived or changed.
#[derive(Debug, Clone, PartialEq)]
pub struct LateRow {
    pub table: LateTable,
    /// What the row is: the measurement kind, finding code, vaccine or questionnaire
    /// (empty for a visit).
    pub detail: String,
    pub person_id: PersonId,
    pub person_name: String,
    pub day: Date,
    pub captured_by: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub deleted: bool,
}

impl LateRow {
    /// Stored before the close and changed (or deleted) after it.
    pub fn changed(&self, after: OffsetDateTime) -> bool {
        self.created_at <= after
    }
}

/// The late rows of a month: how many, and the latest of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LateRows {
    pub total: i64,
    pub rows: Vec<LateRow>,
}

/// The rows of the persons registered under `[lo, hi)` (as the report counts them: for the
/// person's unit) dated in `[from, to)` and written after `after`, over all five tables.
fn union(select: &str) -> String {
    LateTable::ALL
        .iter()
        .map(|k| {
            format!(
                "SELECT {select} FROM {t} x JOIN person p ON p.id = x.person_id \
                 WHERE p.org_path >= $1 AND p.org_path < $2 AND x.day >= $3 AND x.day < $4 \
                 AND (x.created_at > $5 OR x.updated_at > $5)",
                select = select
                    .replace("{kind}", &format!("'{}'", k.table()))
                    .replace("{detail}", k.detail()),
                t = k.table(),
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

fn decode(r: &impl Get) -> Result<LateRow> {
    let kind = r.text("kind")?;
    Ok(LateRow {
        table: LateTable::parse(&kind).ok_or_else(|| StoreError::Corrupt {
            column: "kind",
            value: kind.clone(),
        })?,
        detail: r.text("detail")?,
        person_id: row::id(r, "person_id")?,
        person_name: r.text("name")?,
        day: r.date("day")?,
        captured_by: r.text("captured_by")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
        deleted: r.opt_time("deleted_at")?.is_some(),
    })
}

impl Store {
    /// The late rows of `[from, to)` under a unit after `after` (a month's close): their
    /// count and the `limit` (at least 1) most recently changed, newest first.
    pub async fn late_rows(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        (from, to): (Date, Date),
        after: OffsetDateTime,
        limit: i64,
    ) -> Result<LateRows> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        // One pass: the window counts every late row before LIMIT keeps the latest.
        let list = format!(
            "SELECT late.*, COUNT(*) OVER () AS total FROM ({}) late \
             ORDER BY updated_at DESC, kind, person_id LIMIT $6",
            union(
                "{kind} AS kind, {detail} AS detail, x.person_id AS person_id, p.name AS name, \
                 x.day AS day, x.captured_by AS captured_by, x.created_at AS created_at, \
                 x.updated_at AS updated_at, x.deleted_at AS deleted_at"
            )
        );
        let rows: Vec<(i64, LateRow)> = fetch_all!(
            on_pool,
            self,
            sqlx::AssertSqlSafe(list),
            [&lo, &hi, from, to, after, limit],
            |r| Ok((Get::int(r, "total")?, decode(r)?))
        )?;
        // No row, no window: nothing came late.
        let total = rows.first().map_or(0, |(n, _)| *n);
        Ok(LateRows {
            total,
            rows: rows.into_iter().map(|(_, row)| row).collect(),
        })
    }
}
