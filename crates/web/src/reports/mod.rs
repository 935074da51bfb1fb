//! The monthly report (issue 11): `/laporan` for any unit in the user's scope and any
//! month — the indicators of `report::monthly`, the rows of the units below it, CSV, XLSX,
//! JSON and PDF downloads — and `/laporan/orang`, the persons behind any count (drill-down).
//! `/laporan/tren`, the 12 months up to it; `/laporan/dasbor`, a unit's charts of a month.
//! `/api/v1/reports/monthly` gives the same numbers as JSON. Handlers stay thin: the
//! numbers are `report::monthly`'s, the same the CLI's `posyandu report` prints.

use axum::http::Method;
use axum::routing::{get, post};

use crate::routes::{Access, Routes};

mod chart;
pub(crate) mod close;
mod dashboard;
mod drill;
mod late;
pub(crate) mod page;
mod query;
mod trend;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/laporan",
        "/laporan?month=2026-06",
        Access::LoggedIn,
        get(page::page),
    )
    .add(
        Method::GET,
        "/laporan/orang",
        "/laporan/orang?month=2026-06&ind=d",
        Access::LoggedIn,
        get(drill::persons),
    )
    .add(
        Method::POST,
        "/laporan/tutup",
        "/laporan/tutup",
        Access::Roles(close::CLOSERS),
        post(close::close_month),
    )
    .add(
        Method::POST,
        "/laporan/buka-kembali",
        "/laporan/buka-kembali",
        Access::Roles(close::CLOSERS),
        post(close::reopen_month),
    )
    .add(
        Method::GET,
        "/laporan/tren",
        "/laporan/tren?month=2026-06",
        Access::LoggedIn,
        get(trend::page),
    )
    .add(
        Method::GET,
        "/laporan/dasbor",
        "/laporan/dasbor?month=2026-06&ind=prev_stunting",
        Access::LoggedIn,
        get(dashboard::page),
    )
    .add(
        Method::GET,
        "/api/v1/reports/monthly",
        "/api/v1/reports/monthly?month=2026-06",
        Access::LoggedIn,
        get(page::api),
    )
}
