//! Referrals (issue 10 item 5): the inbox of the midwife and the Puskesmas, where a referral
//! made at a posyandu is accepted, followed up and closed; the cadre sees the outcome on
//! the person page and in the next day's roster.

use axum::http::Method;
use axum::routing::{get, post};
use store::Role;

use crate::routes::{Access, Routes};

pub mod inbox;
mod pages;

/// Who follows referrals up: the village midwife and the Puskesmas.
pub const FOLLOW_UP: &[Role] = &[Role::Bidan, Role::PuskesmasOfficer];

pub fn routes(r: Routes) -> Routes {
    let who = Access::Roles(FOLLOW_UP);
    r.add(Method::GET, "/rujukan", "/rujukan", who, get(pages::page))
        .add(
            Method::POST,
            "/rujukan/{referral}",
            "/rujukan/{referral}",
            who,
            post(pages::move_on),
        )
}
