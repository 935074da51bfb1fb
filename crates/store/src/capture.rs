//! Captures: immutable events stored idempotently (`ON CONFLICT (id) DO NOTHING`), one
//! at a time or in batches of multi-row inserts. A batch writes one audit row per chunk
//! listing the ids it stored; a replayed id is counted as a duplicate and changes nothing.

use std::collections::HashSet;

use serde_json::json;
use sqlx::QueryBuilder;

use crate::codes::{AuditAction, EntityKind};
use crate::error::{Result, StoreError};
use crate::fetch::on_tx;
use crate::ids::OrgPath;
use crate::model::*;
use crate::refs::capture_uuid;
use crate::tx::Tx;

/// Rows per multi-row INSERT: 16 columns × 500 stays far below both engines' bind limits.
const CHUNK: usize = 500;

/// Largest value any measurement kind can take (a sanity bound, not a clinical rule: the
/// clinical plausibility flag is `implausible`).
const MAX_VALUE: f64 = 5000.0;

impl Tx {
    /// Stores one capture. Storing the same id again is [`Outcome::Duplicate`].
    pub async fn capture(&mut self, capture: &Capture) -> Result<Outcome> {
        let out = self.capture_batch(std::slice::from_ref(capture)).await?;
        Ok(if out.inserted == 1 {
            Outcome::Inserted
        } else {
            Outcome::Duplicate
        })
    }

    /// Stores many captures in this transaction (all or nothing with the rest of the `Tx`).
    /// Every capture is validated and scope-checked before anything is written.
    pub async fn capture_batch(&mut self, captures: &[Capture]) -> Result<BatchOutcome> {
        let inserted = self.capture_batch_ids(captures).await?;
        let out = BatchOutcome {
            inserted: inserted.len() as u64,
            duplicates: (captures.len() - inserted.len()) as u64,
        };
        // Counts only: captures carry no NIK, but the log has no need for their content.
        tracing::debug!(
            items = captures.len(),
            inserted = out.inserted,
            duplicates = out.duplicates,
            "capture batch"
        );
        Ok(out)
    }

    /// [`Tx::capture_batch`], answering the ids it inserted (the others were there already).
    pub(crate) async fn capture_batch_ids(
        &mut self,
        captures: &[Capture],
    ) -> Result<HashSet<(EntityKind, uuid::Uuid)>> {
        let mut inserted = HashSet::new();

        // Validate and resolve every org unit first, so a bad item fails before any insert.
        let mut paths = Vec::with_capacity(captures.len());
        for c in captures {
            validate(c)?;
            paths.push(self.unit_path_in_scope(unit_of(c)).await?);
        }
        self.check_references(captures).await?;
        // One sequence reservation for the whole batch (one statement, not one per kind);
        // a duplicate leaves its number unused, which the change feed does not mind.
        let total = i64::try_from(captures.len()).unwrap_or(i64::MAX);
        let mut seq = if total > 0 {
            self.next_seq(total).await?
        } else {
            0
        };
        // Insert kind by kind in dependency order (service days, visits, then the rest).
        for kind in [
            EntityKind::ServiceDay,
            EntityKind::Visit,
            EntityKind::Measurement,
            EntityKind::Dose,
            EntityKind::Screening,
            EntityKind::Finding,
        ] {
            let items: Vec<(&Capture, &OrgPath)> = captures
                .iter()
                .zip(paths.iter())
                .filter(|(c, _)| c.kind() == kind)
                .collect();
            for chunk in items.chunks(CHUNK) {
                let seq0 = seq;
                seq += i64::try_from(chunk.len()).unwrap_or(i64::MAX);
                let ids = self.insert_chunk(kind, chunk, seq0).await?;
                self.audit_chunk(kind, chunk, &ids).await?;
                for id in &ids {
                    inserted.insert((kind, parse_id(id)?));
                }
                // Inserted or already there: either way they exist for later batches.
                self.known
                    .extend(chunk.iter().map(|(c, _)| (kind, capture_uuid(c))));
            }
        }
        Ok(inserted)
    }

    async fn audit_chunk(
        &mut self,
        kind: EntityKind,
        chunk: &[(&Capture, &OrgPath)],
        ids: &[String],
    ) -> Result<()> {
        let Some(first) = ids.first() else {
            return Ok(());
        };
        let first_id = parse_id(first)?;
        // The audit row is filed under the common ancestor of the chunk's units.
        let path = common_ancestor(chunk.iter().map(|(_, p)| *p));
        if ids.len() == 1 {
            let detail = chunk
                .iter()
                .find(|(c, _)| capture_uuid(c) == first_id)
                .map(|(c, _)| crate::tx::audit_value(c))
                .unwrap_or_default();
            self.audit(AuditAction::Capture, kind, first_id, &path, &detail)
                .await
        } else {
            let detail = json!({ "count": ids.len(), "ids": ids });
            self.audit(AuditAction::CaptureBatch, kind, first_id, &path, &detail)
                .await
        }
    }

    /// One multi-row `INSERT … ON CONFLICT (id) DO NOTHING RETURNING id` for one kind.
    async fn insert_chunk(
        &mut self,
        kind: EntityKind,
        chunk: &[(&Capture, &OrgPath)],
        seq0: i64,
    ) -> Result<Vec<String>> {
        let now = self.now;
        let by = self.actor.label();
        let head = insert_head(kind);
        let ids: Vec<String> = on_tx!(self, c => {
            let mut qb = QueryBuilder::new(head);
            qb.push_values(chunk.iter().enumerate(), |mut b, (i, (cap, path))| {
                let seq = seq0 + i as i64;
                match cap {
                    Capture::ServiceDay(s) => {
                        b.push_bind(s.id.to_string())
                            .push_bind(s.org_unit_id.to_string())
                            .push_bind(path.as_str().to_owned())
                            .push_bind(s.date)
                            .push_bind(s.note.clone());
                        common(&mut b, s.captured_at, &by, seq, now);
                    }
                    Capture::Visit(v) => {
                        b.push_bind(v.id.to_string())
                            .push_bind(v.person_id.to_string())
                            .push_bind(v.service_day_id.map(|x| x.to_string()))
                            .push_bind(v.org_unit_id.to_string())
                            .push_bind(path.as_str().to_owned())
                            .push_bind(v.date);
                        common(&mut b, v.captured_at, &by, seq, now);
                    }
                    Capture::Measurement(m) => {
                        b.push_bind(m.id.to_string())
                            .push_bind(m.person_id.to_string())
                            .push_bind(m.visit_id.map(|x| x.to_string()))
                            .push_bind(m.org_unit_id.to_string())
                            .push_bind(path.as_str().to_owned())
                            .push_bind(m.measured_on)
                            .push_bind(m.kind.code())
                            .push_bind(m.value)
                            .push_bind(m.kind.unit().code())
                            .push_bind(m.implausible);
                        common(&mut b, m.captured_at, &by, seq, now);
                    }
                    Capture::Dose(d) => {
                        b.push_bind(d.id.to_string())
                            .push_bind(d.person_id.to_string())
                            .push_bind(d.visit_id.map(|x| x.to_string()))
                            .push_bind(d.org_unit_id.to_string())
                            .push_bind(path.as_str().to_owned())
                            .push_bind(d.given_on)
                            .push_bind(d.vaccine.trim().to_owned())
                            .push_bind(d.dose_number)
                            .push_bind(d.batch.clone());
                        common(&mut b, d.captured_at, &by, seq, now);
                    }
                    Capture::Screening(s) => {
                        b.push_bind(s.id.to_string())
                            .push_bind(s.person_id.to_string())
                            .push_bind(s.visit_id.map(|x| x.to_string()))
                            .push_bind(s.org_unit_id.to_string())
                            .push_bind(path.as_str().to_owned())
                            .push_bind(s.answered_on)
                            .push_bind(s.questionnaire.trim().to_owned())
                            .push_bind(serde_json::Value::Object(s.answers.clone()).to_string())
                            .push_bind(s.score);
                        common(&mut b, s.captured_at, &by, seq, now);
                    }
                    Capture::Finding(f) => {
                        b.push_bind(f.id.to_string())
                            .push_bind(f.person_id.to_string())
                            .push_bind(f.visit_id.map(|x| x.to_string()))
                            .push_bind(f.org_unit_id.to_string())
                            .push_bind(path.as_str().to_owned())
                            .push_bind(f.found_on)
                            .push_bind(f.code.trim().to_owned())
                            .push_bind(f.detail.clone());
                        common(&mut b, f.captured_at, &by, seq, now);
                    }
                }
            });
            qb.push(" ON CONFLICT (id) DO NOTHING RETURNING id");
            qb.build_query_scalar::<String>().fetch_all(c).await?
        });
        Ok(ids)
    }
}

/// An id as `RETURNING id` gave it back.
fn parse_id(text: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|_| StoreError::Corrupt {
        column: "id",
        value: text.to_owned(),
    })
}

/// The trailing columns every capture shares: captured_at, captured_by, version, seq,
/// created_at, updated_at.
fn common<DB>(
    b: &mut sqlx::query_builder::Separated<'_, DB, &'static str>,
    captured_at: time::OffsetDateTime,
    by: &str,
    seq: i64,
    now: time::OffsetDateTime,
) where
    DB: sqlx::Database,
    time::OffsetDateTime: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    String: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    b.push_bind(captured_at)
        .push_bind(by.to_owned())
        .push_unseparated(", 1")
        .push_bind(seq)
        .push_bind(now)
        .push_bind(now);
}

/// The `INSERT INTO table (columns) ` prefix of a kind's multi-row insert.
fn insert_head(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::ServiceDay => {
            "INSERT INTO service_day (id, org_unit_id, org_path, day, note, \
             captured_at, captured_by, version, seq, created_at, updated_at) "
        }
        EntityKind::Visit => {
            "INSERT INTO visit (id, person_id, service_day_id, org_unit_id, org_path, day, \
             captured_at, captured_by, version, seq, created_at, updated_at) "
        }
        EntityKind::Measurement => {
            "INSERT INTO measurement (id, person_id, visit_id, org_unit_id, org_path, day, kind, \
             value, unit, implausible, captured_at, captured_by, version, seq, created_at, updated_at) "
        }
        EntityKind::Dose => {
            "INSERT INTO dose (id, person_id, visit_id, org_unit_id, org_path, day, vaccine, \
             dose_number, batch, captured_at, captured_by, version, seq, created_at, updated_at) "
        }
        EntityKind::Screening => {
            "INSERT INTO screening (id, person_id, visit_id, org_unit_id, org_path, day, \
             questionnaire, answers, score, captured_at, captured_by, version, seq, created_at, \
             updated_at) "
        }
        _ => {
            "INSERT INTO finding (id, person_id, visit_id, org_unit_id, org_path, day, code, \
             detail, captured_at, captured_by, version, seq, created_at, updated_at) "
        }
    }
}

fn unit_of(c: &Capture) -> OrgUnitId {
    match c {
        Capture::ServiceDay(x) => x.org_unit_id,
        Capture::Visit(x) => x.org_unit_id,
        Capture::Measurement(x) => x.org_unit_id,
        Capture::Dose(x) => x.org_unit_id,
        Capture::Screening(x) => x.org_unit_id,
        Capture::Finding(x) => x.org_unit_id,
    }
}

/// Checks what the database cannot: required text, finite and positive values.
fn validate(c: &Capture) -> Result<()> {
    match c {
        Capture::Measurement(m) => {
            if !m.value.is_finite() || m.value <= 0.0 || m.value > MAX_VALUE {
                return Err(StoreError::invalid(
                    "value",
                    m.value,
                    format!("{} harus angka positif", m.kind.code()),
                ));
            }
        }
        Capture::Dose(d) => {
            if d.vaccine.trim().is_empty() {
                return Err(StoreError::invalid("vaccine", &d.vaccine, "wajib diisi"));
            }
            if let Some(n) = d.dose_number
                && !(1..=10).contains(&n)
            {
                return Err(StoreError::invalid("dose_number", n, "di luar 1–10"));
            }
        }
        Capture::Screening(s) => {
            if s.questionnaire.trim().is_empty() {
                return Err(StoreError::invalid(
                    "questionnaire",
                    &s.questionnaire,
                    "wajib diisi",
                ));
            }
            if let Some(score) = s.score
                && !score.is_finite()
            {
                return Err(StoreError::invalid("score", score, "bukan angka"));
            }
        }
        Capture::Finding(f) => {
            if f.code.trim().is_empty() {
                return Err(StoreError::invalid("code", &f.code, "wajib diisi"));
            }
        }
        Capture::ServiceDay(_) | Capture::Visit(_) => {}
    }
    Ok(())
}

/// The deepest path that contains all of `paths` (the root when they share nothing).
fn common_ancestor<'a>(mut paths: impl Iterator<Item = &'a OrgPath>) -> OrgPath {
    let Some(first) = paths.next() else {
        return OrgPath::root();
    };
    let mut prefix = first.as_str().to_owned();
    for p in paths {
        while !p.as_str().starts_with(&prefix) {
            prefix.pop();
            while !prefix.ends_with('/') {
                prefix.pop();
            }
        }
    }
    OrgPath::parse(&prefix).unwrap_or_else(|_| OrgPath::root())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn common_ancestor_of_paths() {
        let p = |s: &str| OrgPath::parse(s).unwrap();
        let a = [p("/35/3508/1/"), p("/35/3508/2/"), p("/35/3508/2/x/")];
        assert_eq!(common_ancestor(a.iter()), p("/35/3508/"));
        let b = [p("/35/"), p("/36/")];
        assert_eq!(common_ancestor(b.iter()), OrgPath::root());
        let c = [p("/35/3508/1/")];
        assert_eq!(common_ancestor(c.iter()), p("/35/3508/1/"));
    }
}
