//! Checks that the rows a batch of captures points at (person, visit, service day) exist,
//! so a bad reference is refused naming the field and the id instead of surfacing as an
//! anonymous foreign-key failure. Ids already seen in the transaction are remembered.

use std::collections::{BTreeMap, HashSet};

use uuid::Uuid;

use crate::codes::EntityKind;
use crate::direct::{Param, placeholders};
use crate::error::{Result, StoreError};
use crate::model::Capture;
use crate::tx::Tx;

/// Ids per `IN (…)` lookup.
const LOOKUP: usize = 500;

/// The id a capture is stored under.
pub(crate) fn capture_uuid(c: &Capture) -> Uuid {
    match c {
        Capture::ServiceDay(x) => x.id.0,
        Capture::Visit(x) => x.id.0,
        Capture::Measurement(x) => x.id.0,
        Capture::Dose(x) => x.id.0,
        Capture::Screening(x) => x.id.0,
        Capture::Finding(x) => x.id.0,
    }
}

/// (kind, id, field) of every row a capture refers to.
fn references(c: &Capture) -> Vec<(EntityKind, Uuid, &'static str)> {
    let person = |p: crate::ids::PersonId| (EntityKind::Person, p.0, "person_id");
    let visit = |v: Option<crate::ids::VisitId>| v.map(|v| (EntityKind::Visit, v.0, "visit_id"));
    let mut out = Vec::with_capacity(2);
    match c {
        Capture::ServiceDay(_) => {}
        Capture::Visit(x) => {
            out.push(person(x.person_id));
            if let Some(d) = x.service_day_id {
                out.push((EntityKind::ServiceDay, d.0, "service_day_id"));
            }
        }
        Capture::Measurement(x) => out.extend(
            [Some(person(x.person_id)), visit(x.visit_id)]
                .into_iter()
                .flatten(),
        ),
        Capture::Dose(x) => out.extend(
            [Some(person(x.person_id)), visit(x.visit_id)]
                .into_iter()
                .flatten(),
        ),
        Capture::Screening(x) => out.extend(
            [Some(person(x.person_id)), visit(x.visit_id)]
                .into_iter()
                .flatten(),
        ),
        Capture::Finding(x) => out.extend(
            [Some(person(x.person_id)), visit(x.visit_id)]
                .into_iter()
                .flatten(),
        ),
    }
    out
}

impl Tx {
    /// Refuses the batch if any capture refers to a row that does not exist (or is deleted)
    /// and is not itself in the batch.
    pub(crate) async fn check_references(&mut self, captures: &[Capture]) -> Result<()> {
        let in_batch: HashSet<(EntityKind, Uuid)> = captures
            .iter()
            .map(|c| (c.kind(), capture_uuid(c)))
            .collect();
        let mut wanted: BTreeMap<(EntityKind, Uuid), &'static str> = BTreeMap::new();
        for c in captures {
            for (kind, id, field) in references(c) {
                let key = (kind, id);
                if !in_batch.contains(&key) && !self.known.contains(&key) {
                    wanted.entry(key).or_insert(field);
                }
            }
        }
        for kind in [
            EntityKind::Person,
            EntityKind::Visit,
            EntityKind::ServiceDay,
        ] {
            let ids: Vec<Uuid> = wanted
                .keys()
                .filter(|(k, _)| *k == kind)
                .map(|(_, id)| *id)
                .collect();
            for chunk in ids.chunks(LOOKUP) {
                let found = self.existing(kind, chunk).await?;
                for id in chunk {
                    if !found.contains(id) {
                        let field = wanted.get(&(kind, *id)).copied().unwrap_or("id");
                        return Err(StoreError::invalid(
                            field,
                            id,
                            "tidak ditemukan atau sudah dihapus",
                        ));
                    }
                    self.known.insert((kind, *id));
                }
            }
        }
        Ok(())
    }

    /// The ids among `ids` that exist, not deleted, in `kind`'s table.
    async fn existing(&mut self, kind: EntityKind, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let head = format!(
            "SELECT id FROM {} WHERE deleted_at IS NULL AND id IN ",
            kind.table()
        );
        let params: Vec<Param> = ids
            .iter()
            .map(|id| Param::Text(Some(id.to_string())))
            .collect();
        let sql = format!("{head}{}", placeholders(0, params.len()));
        let found = self.fetch_ids(sql, &params).await?;
        Ok(found
            .iter()
            .filter_map(|s| Uuid::parse_str(s).ok())
            .collect())
    }
}
