//! The stored summaries behind [`super::monthly`] (issue 11 item 7): a kabupaten's month
//! is the sum of each unit's own numbers, each read from `report_cache` while it still
//! holds and computed (then stored) when it does not.
//!
//! Exact, not approximate: the database bumps a unit's stamp for a month in the same
//! transaction as any write that can change that month's numbers (migration 0013's
//! triggers), and a summary counts only at the stamp it was computed at. The stamps are
//! read before the computation, so a write that lands during it leaves the summary stale
//! (recomputed next time), never wrong. A summary is the unit's own persons only, so it
//! does not depend on which node asked.

use std::collections::HashMap;

use store::{Actor, OrgUnit, OrgUnitId, Store, StoreError, Summary};
use time::Date;

use super::{MonthlyReport, Numbers, facts_of, month_code, root_of};

/// The version of the code that computes the numbers: bump it whenever a fact, an
/// indicator or a rule the report reads changes, so summaries of the old code are never
/// read again (they are recomputed on the next read).
pub const VERSION: i64 = 2;

/// At most this many subtrees are computed for one read (each computation reads its own
/// rows with its own queries); more missing units are covered by their ancestors.
const PER_UNIT_LIMIT: usize = 8;

/// How the numbers of one [`monthly`] call were found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sources {
    /// Units whose stored summary held.
    pub stored: usize,
    /// Units computed now (and stored).
    pub computed: usize,
    /// Units never written to (no one registered): nothing to count.
    pub empty: usize,
}

/// The month of `unit` from the summaries (see the module doc).
pub async fn monthly(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<MonthlyReport, StoreError> {
    Ok(monthly_with_sources(store, actor, unit, month).await?.0)
}

/// [`monthly`], also saying how many units came from where (tests and benchmarks).
pub async fn monthly_with_sources(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<(MonthlyReport, Sources), StoreError> {
    let month = month.replace_day(1).unwrap_or(month);
    let code = month_code(month);
    let units = store.org_units_under(actor, unit).await?;
    let root = root_of(&units, unit)?;
    // Stamps first: anything written after this read makes what is computed below stale.
    let stamps = store.summary_stamps(actor, unit, &code).await?;
    let stored: HashMap<String, Summary> = store
        .summaries(actor, unit, &code, VERSION)
        .await?
        .into_iter()
        .map(|s| (s.org_path.clone(), s))
        .collect();
    let mut own: HashMap<OrgUnitId, Numbers> = HashMap::new();
    let mut missing: Vec<&OrgUnit> = Vec::new();
    let mut sources = Sources::default();
    for u in &units {
        let stamp = stamps.get(u.path.as_str()).copied().unwrap_or(0);
        if stamp == 0 {
            sources.empty += 1;
            continue;
        }
        let held = stored
            .get(u.path.as_str())
            .filter(|s| s.stamp == stamp)
            .and_then(|s| Numbers::from_json(&s.numbers));
        match held {
            Some(n) => {
                own.insert(u.id, n);
                sources.stored += 1;
            }
            None => missing.push(u),
        }
    }
    sources.computed = missing.len();
    if !missing.is_empty() {
        let fresh = compute(store, actor, &root, &units, month, &missing).await?;
        let rows: Vec<Summary> = missing
            .iter()
            .map(|u| Summary {
                org_path: u.path.as_str().to_owned(),
                stamp: stamps.get(u.path.as_str()).copied().unwrap_or(0),
                numbers: fresh.get(&u.id).map(Numbers::to_json).unwrap_or_default(),
            })
            .collect();
        store
            .put_summaries(actor, unit, &code, VERSION, &rows)
            .await?;
        own.extend(fresh);
    }
    Ok((MonthlyReport::of_units(root, month, units, &own), sources))
}

/// The own numbers of each of `missing` (units under `root`), computed from the record
/// over [`cover`]'s subtrees. A unit where nobody counts gets empty numbers.
async fn compute(
    store: &Store,
    actor: &Actor,
    root: &OrgUnit,
    units: &[OrgUnit],
    month: Date,
    missing: &[&OrgUnit],
) -> Result<HashMap<OrgUnitId, Numbers>, StoreError> {
    let mut out: HashMap<OrgUnitId, Numbers> = HashMap::new();
    for node in cover(root, units, missing) {
        let mut all = facts_of(store, actor, node.id, month)
            .await?
            .numbers_by_unit();
        for u in missing {
            if u.path.as_str().starts_with(node.path.as_str()) && !out.contains_key(&u.id) {
                out.insert(u.id, all.remove(&u.id).unwrap_or_default());
            }
        }
    }
    Ok(out)
}

/// The subtrees to compute `missing` from: the units themselves when at most
/// [`PER_UNIT_LIMIT`], else their parents, a level up at a time, until few enough (at
/// worst `root`). A day's writes in a few posyandu then recompute those posyandu or their
/// desa, not the kabupaten.
fn cover<'a>(root: &'a OrgUnit, units: &'a [OrgUnit], missing: &[&'a OrgUnit]) -> Vec<&'a OrgUnit> {
    let by_id: HashMap<OrgUnitId, &OrgUnit> = units.iter().map(|u| (u.id, u)).collect();
    let mut nodes: Vec<&OrgUnit> = missing.to_vec();
    loop {
        nodes.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
        nodes.dedup_by(|a, b| a.id == b.id);
        // A node under another one already listed is covered by it.
        let mut kept: Vec<&OrgUnit> = Vec::new();
        for n in nodes {
            if !kept
                .iter()
                .any(|k| n.path.as_str().starts_with(k.path.as_str()))
            {
                kept.push(n);
            }
        }
        nodes = kept;
        if nodes.len() <= PER_UNIT_LIMIT {
            return nodes;
        }
        nodes = nodes
            .iter()
            .map(|n| match n.parent_id.and_then(|p| by_id.get(&p)) {
                Some(parent) if n.id != root.id => *parent,
                _ => root,
            })
            .collect();
    }
}
