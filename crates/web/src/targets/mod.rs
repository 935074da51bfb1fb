//! Target lists (sasaran, issue 10 item 4): `/sasaran` for any unit in the user's scope and
//! a chosen month, sortable, printable, and downloadable as CSV and XLSX; the same lists at
//! `/api/v1/targets/{list}`. The lists themselves are `report::targets`; `/ekspor/eppgbm`
//! writes the month's weighings for e-PPGBM.

use axum::http::Method;
use axum::routing::get;

use crate::routes::{Access, Routes};

mod eppgbm;
pub(crate) mod page;
pub(crate) mod query;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/sasaran",
        "/sasaran?list=imunisasi",
        Access::LoggedIn,
        get(page::page),
    )
    .add(
        Method::GET,
        "/ekspor/eppgbm",
        "/ekspor/eppgbm?month=2026-06",
        Access::Roles(crate::review::REVIEWERS),
        get(eppgbm::export),
    )
    .add(
        Method::GET,
        "/api/v1/targets/{list}",
        "/api/v1/targets/imunisasi",
        Access::LoggedIn,
        get(page::api),
    )
}
