//! The person's record (issue 10): the person page, its growth charts and immunization card,
//! and a child's papers as PDF ([`print`]: the IDL certificate and the KMS card).

use axum::http::Method;
use axum::routing::{get, post};

use crate::routes::{Access, Routes};

pub mod chart;
mod edit;
pub mod growth;
pub(crate) mod page;
pub(crate) mod print;
pub mod record;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/orang/{person}",
        "/orang/{person}",
        Access::LoggedIn,
        get(page::page),
    )
    .add(
        Method::GET,
        "/orang/{person}/sertifikat-idl.pdf",
        "/orang/{person}/sertifikat-idl.pdf",
        Access::LoggedIn,
        get(print::idl_pdf),
    )
    .add(
        Method::GET,
        "/orang/{person}/kms.pdf",
        "/orang/{person}/kms.pdf",
        Access::LoggedIn,
        get(print::kms_pdf),
    )
    .add(
        Method::GET,
        "/orang/{person}/ubah",
        "/orang/{person}/ubah",
        Access::LoggedIn,
        get(edit::form_page),
    )
    .add(
        Method::POST,
        "/orang/{person}/ubah",
        "/orang/{person}/ubah",
        Access::LoggedIn,
        post(edit::save),
    )
    .add(
        Method::POST,
        "/orang/{person}/pilih",
        "/orang/{person}/pilih",
        Access::LoggedIn,
        post(edit::pick),
    )
}
