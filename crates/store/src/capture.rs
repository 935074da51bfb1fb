//! Captures: immutable events stored idempotently (`ON CONFLICT (id) DO NOTHING`), one
//! at a time or in batches of multi-row inserts. A batch writes one audit row per chunk
//! listing the ids it stored; a replayed id is counted as a duplicate and changes nothing.

use std::collections::HashSet;

use serde_json::json;

use crate::codes::{AuditAction, EntityKind};
use crate::direct::{Param, placeholders};
use crate::error::{Result, StoreError};
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
        let mut sql = String::from(head);
        sql.push_str("VALUES ");
        let mut params: Vec<Param> = Vec::new();
        for (i, (cap, path)) in chunk.iter().enumerate() {
            let seq = seq0 + i as i64;
            let first = params.len();
            let text = |v: String| Param::Text(Some(v));
            let opt_text = |v: Option<String>| Param::Text(v);
            let path = text(path.as_str().to_owned());
            let (row, captured_at) = match cap {
                Capture::ServiceDay(s) => (
                    vec![
                        text(s.id.to_string()),
                        text(s.org_unit_id.to_string()),
                        path,
                        Param::Date(s.date),
                        opt_text(s.note.clone()),
                    ],
                    s.captured_at,
                ),
                Capture::Visit(v) => (
                    vec![
                        text(v.id.to_string()),
                        text(v.person_id.to_string()),
                        opt_text(v.service_day_id.map(|x| x.to_string())),
                        text(v.org_unit_id.to_string()),
                        path,
                        Param::Date(v.date),
                    ],
                    v.captured_at,
                ),
                Capture::Measurement(m) => (
                    vec![
                        text(m.id.to_string()),
                        text(m.person_id.to_string()),
                        opt_text(m.visit_id.map(|x| x.to_string())),
                        text(m.org_unit_id.to_string()),
                        path,
                        Param::Date(m.measured_on),
                        text(m.kind.code().to_owned()),
                        Param::Real(Some(m.value)),
                        text(m.kind.unit().code().to_owned()),
                        Param::Flag(m.implausible),
                    ],
                    m.captured_at,
                ),
                Capture::Dose(d) => (
                    vec![
                        text(d.id.to_string()),
                        text(d.person_id.to_string()),
                        opt_text(d.visit_id.map(|x| x.to_string())),
                        text(d.org_unit_id.to_string()),
                        path,
                        Param::Date(d.given_on),
                        text(d.vaccine.trim().to_owned()),
                        Param::Int4(d.dose_number),
                        opt_text(d.batch.clone()),
                    ],
                    d.captured_at,
                ),
                Capture::Screening(s) => (
                    vec![
                        text(s.id.to_string()),
                        text(s.person_id.to_string()),
                        opt_text(s.visit_id.map(|x| x.to_string())),
                        text(s.org_unit_id.to_string()),
                        path,
                        Param::Date(s.answered_on),
                        text(s.questionnaire.trim().to_owned()),
                        text(serde_json::Value::Object(s.answers.clone()).to_string()),
                        Param::Real(s.score),
                    ],
                    s.captured_at,
                ),
                Capture::Finding(f) => (
                    vec![
                        text(f.id.to_string()),
                        text(f.person_id.to_string()),
                        opt_text(f.visit_id.map(|x| x.to_string())),
                        text(f.org_unit_id.to_string()),
                        path,
                        Param::Date(f.found_on),
                        text(f.code.trim().to_owned()),
                        opt_text(f.detail.clone()),
                    ],
                    f.captured_at,
                ),
            };
            params.extend(row);
            // The columns every capture shares: captured_at, captured_by, version, seq,
            // created_at, updated_at.
            params.extend([
                Param::Time(captured_at),
                text(
                    self.captured_by
                        .get(&capture_uuid(cap))
                        .unwrap_or(&by)
                        .clone(),
                ),
                Param::Int(Some(1)),
                Param::Int(Some(seq)),
                Param::Time(now),
                Param::Time(now),
            ]);
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&placeholders(first, params.len()));
        }
        sql.push_str(" ON CONFLICT (id) DO NOTHING RETURNING id");
        let ids = self.fetch_ids(sql, &params).await?;
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
