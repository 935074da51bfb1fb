//! The late corrections of a closed month as the report page lists them: what changed
//! (a weighing, a finding, a dose…), of whom, for which day, when and by whom, and whether
//! it was new, changed or deleted after the close (`Store::late_rows`).

use std::collections::HashMap;

use report::monthly::close::Closed;
use store::{LateRow, LateTable, MeasurementKind};

use super::close::{name_of, when};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::i18n::Tr;

/// One listed late row.
pub struct LateView {
    pub day: String,
    pub name: String,
    pub href: String,
    pub what: String,
    pub change: String,
    pub at: String,
}

/// What a row is, in the user's language: the measurement's kind, the finding's rule label,
/// the vaccine or questionnaire code, or "visit".
fn what(t: Tr, r: &LateRow) -> String {
    let table = t.t(&format!("late-{}", r.table.table()));
    let detail = match r.table {
        LateTable::Visit => return table,
        LateTable::Measurement => match MeasurementKind::from_code(&r.detail) {
            Some(k) => t.t(&format!("mkind-{}", k.code())),
            None => r.detail.clone(),
        },
        LateTable::Finding => match domain::catalogue::by_code(&r.detail) {
            Some(rule) => t.rule(rule),
            None => r.detail.clone(),
        },
        LateTable::Dose | LateTable::Screening => r.detail.clone(),
    };
    format!("{table}: {detail}")
}

pub async fn views(state: &AppState, t: Tr, user: &CurrentUser, c: &Closed) -> Vec<LateView> {
    let mut out = Vec::with_capacity(c.late.rows.len());
    // A few kader write most rows: each name is looked up once.
    let mut names: HashMap<&str, String> = HashMap::new();
    for r in &c.late.rows {
        let by = match names.get(r.captured_by.as_str()) {
            Some(n) => n.clone(),
            None => {
                let n = name_of(state, user, &r.captured_by).await;
                names.insert(&r.captured_by, n.clone());
                n
            }
        };
        let change = if r.deleted {
            "late-deleted"
        } else if r.changed(c.close.closed_at) {
            "late-changed"
        } else {
            "late-new"
        };
        out.push(LateView {
            day: r.day.to_string(),
            name: r.person_name.clone(),
            href: format!("/orang/{}", r.person_id),
            what: what(t, r),
            change: t.t(change),
            at: format!("{} · {by}", when(r.updated_at)),
        });
    }
    out
}
