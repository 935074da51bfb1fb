//! What a target list request asks for, parsed once for the page and the API, and the
//! list computed in the user's language.

use report::targets::{List, TargetSettings, Words};
use report::{Table, load};
use serde::Deserialize;
use store::{Actor, OrgUnitId};
use time::Date;

use crate::day::DayError;
use crate::form::FieldError;
use crate::i18n::Tr;

#[derive(Debug, Deserialize, Default)]
pub struct TargetQuery {
    pub list: Option<String>,
    /// The unit's id; the user's own when absent.
    pub unit: Option<String>,
    /// `2026-06`; this month when absent.
    pub month: Option<String>,
    /// Column to sort by (0-based) and the direction.
    pub sort: Option<usize>,
    #[serde(default)]
    pub desc: Option<String>,
    /// `csv` or `xlsx` to download.
    pub format: Option<String>,
}

/// A request parsed: which list, for which unit and month.
pub struct Asked {
    pub list: List,
    pub unit: OrgUnitId,
    pub month: Date,
}

/// The first day of `2026-06`.
pub fn parse_month(text: &str) -> Result<Date, FieldError> {
    report::monthly::parse_month(text).ok_or_else(|| FieldError::new("month", text, "err-month"))
}

impl TargetQuery {
    pub fn asked(
        &self,
        list: Option<&str>,
        own: OrgUnitId,
        today: Date,
    ) -> Result<Asked, FieldError> {
        let code = list.or(self.list.as_deref()).unwrap_or(List::ALL[0].code());
        let list =
            List::from_code(code).ok_or_else(|| FieldError::new("list", code, "err-invalid"))?;
        let unit = match self.unit.as_deref().filter(|u| !u.is_empty()) {
            Some(u) => {
                OrgUnitId::parse(u).map_err(|_| FieldError::new("unit", u, "err-invalid"))?
            }
            None => own,
        };
        let month = match self.month.as_deref().filter(|m| !m.is_empty()) {
            Some(m) => parse_month(m)?,
            None => today.replace_day(1).unwrap_or(today),
        };
        Ok(Asked { list, unit, month })
    }
}

/// The catalogue's and the referral statuses' names in the user's language.
pub struct TrWords(pub Tr);

impl Words for TrWords {
    fn header(&self, key: &str) -> String {
        self.0.t(key)
    }
    fn finding(&self, code: &str) -> String {
        domain::catalogue::by_code(code).map_or_else(|| code.to_owned(), |r| self.0.rule(r))
    }
    fn status(&self, code: &str) -> String {
        self.0.t(&format!("referral-{code}"))
    }
}

/// The list, sorted as asked.
pub async fn table(
    store: &store::Store,
    actor: &Actor,
    t: Tr,
    a: &Asked,
    today: Date,
    sort: Option<(usize, bool)>,
    output: &str,
) -> Result<(Table, Date), DayError> {
    let snap = load::snapshot(
        store,
        actor,
        a.unit,
        a.month,
        today,
        TargetSettings::default(),
        a.list,
    )
    .await?;
    let mut table = report::targets::list(a.list, &snap, &TrWords(t));
    // A list of persons leaving the database is audited, as a record seen is.
    let unit = store.org_unit(actor, a.unit).await?;
    store
        .record_view(
            actor,
            store::codes::EntityKind::OrgUnit,
            unit.id.0,
            &unit.path,
            &serde_json::json!({
                "list": a.list.code(),
                "month": format!("{:04}-{:02}", a.month.year(), u8::from(a.month.month())),
                "persons": table.rows.len(),
                "as": output,
            }),
        )
        .await?;
    if let Some((col, desc)) = sort {
        table.sort(col, desc);
    }
    Ok((table, snap.on))
}
