//! The person's record (issue 10): the person page, its growth chart and immunization card.

use axum::http::Method;
use axum::routing::get;

use crate::routes::{Access, Routes};

mod page;
pub mod record;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/orang/{person}",
        "/orang/{person}",
        Access::LoggedIn,
        get(page::page),
    )
}
