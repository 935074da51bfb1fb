//! Target lists (sasaran, issue 10 item 4): `/sasaran` for any unit in the user's scope and
//! a chosen month, sortable, printable, and downloadable as CSV and XLSX; the same lists at
//! `/api/v1/targets/{list}`. The lists themselves are `report::targets`.

use axum::http::Method;
use axum::routing::get;

use crate::routes::{Access, Routes};

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
        "/api/v1/targets/{list}",
        "/api/v1/targets/imunisasi",
        Access::LoggedIn,
        get(page::api),
    )
}
