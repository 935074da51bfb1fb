//! The 12-month trend of a unit's key indicators (issue 11 item 2): the same report for each
//! month back from the one asked, so every point is the number the month's report shows.

use store::{Actor, OrgUnitId, Store, StoreError};
use time::{Date, Duration};

use super::{Numbers, monthly};

/// The indicators the trend follows (the Juknis ILP cluster-2 set that the record holds).
pub const KEY: [&str; 8] = [
    "s",
    "d",
    "d_per_s",
    "n_per_d",
    "bgm",
    "prev_stunting",
    "prev_underweight",
    "prev_wasting",
];

/// `months` months ending with `last` (any day of it), oldest first, each month's numbers.
pub async fn trend(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    last: Date,
    months: usize,
) -> Result<Vec<(Date, Numbers)>, StoreError> {
    let mut month = last.replace_day(1).unwrap_or(last);
    let mut out = Vec::with_capacity(months);
    for _ in 0..months {
        out.push((month, monthly(store, actor, unit, month).await?.numbers));
        month = (month - Duration::days(1)).replace_day(1).unwrap_or(month);
    }
    out.reverse();
    Ok(out)
}
