//! The service day's pages: thin handlers over [`super::service`], [`super::record`] and
//! [`super::summary`]. Every form is a plain POST with the session's CSRF token and a
//! client id minted when the form was rendered (a re-sent form stores nothing twice).
//! One module per step; the shared helpers are here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use serde::Deserialize;
use store::{Person, PersonId, Role, ServiceDay, ServiceDayId, Sex, VisitId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::assess::{Assessment, Readings};
use super::record::{self, Counsel, Offer, Services};
use super::service::{self, Registered, Registration};
use super::summary::{self, Summary};
use super::{DayError, similar::Similar};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::form::{self, FieldError};
use crate::i18n::Tr;
use crate::pages::Layout;
use crate::routes::{Access, Routes};

/// Who works the service day: cadres, village midwives and Puskesmas staff.
pub const DAY_ROLES: &[Role] = &[Role::Kader, Role::Bidan, Role::PuskesmasOfficer];

mod arrivals;
mod counsel;
mod days;
mod measure;
mod register;
mod services;
mod summary_page;

pub(crate) use measure::{live_labels, measure_units, questionnaire_views};

pub fn routes(r: Routes) -> Routes {
    let a = Access::Roles(DAY_ROLES);
    let p = "/hari/{day}/orang/{person}";
    let pe = "/hari/{day}/orang/{person}";
    r.add(Method::GET, "/hari", "/hari", a, get(days::days))
        .add(Method::POST, "/hari", "/hari", a, post(days::open))
        .add(
            Method::GET,
            "/hari/{day}",
            "/hari/{day}",
            a,
            get(arrivals::day_page),
        )
        .add(
            Method::GET,
            "/hari/{day}/cari",
            "/hari/{day}/cari?q=a",
            a,
            get(arrivals::search),
        )
        .add(
            Method::POST,
            "/hari/{day}/datang",
            "/hari/{day}/datang",
            a,
            post(arrivals::arrive),
        )
        .add(
            Method::GET,
            "/hari/{day}/baru",
            "/hari/{day}/baru",
            a,
            get(register::register_form),
        )
        .add(
            Method::POST,
            "/hari/{day}/baru",
            "/hari/{day}/baru",
            a,
            post(register::register),
        )
        .add(
            Method::GET,
            "/hari/{day}/tutup",
            "/hari/{day}/tutup",
            a,
            get(summary_page::summary_page),
        )
        .add(
            Method::POST,
            "/hari/{day}/tutup",
            "/hari/{day}/tutup",
            a,
            post(summary_page::close),
        )
        .add(
            Method::POST,
            "/hari/{day}/buka",
            "/hari/{day}/buka",
            a,
            post(summary_page::reopen),
        )
        .add(Method::GET, p, pe, a, get(measure::measure_form))
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/hamil",
            "/hari/{day}/orang/{person}/hamil",
            a,
            post(measure::pregnant),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/periksa",
            "/hari/{day}/orang/{person}/periksa",
            a,
            post(measure::check),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/simpan",
            "/hari/{day}/orang/{person}/simpan",
            a,
            post(measure::save),
        )
        .add(
            Method::GET,
            "/hari/{day}/orang/{person}/layanan",
            "/hari/{day}/orang/{person}/layanan",
            a,
            get(services::services_form),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/layanan",
            "/hari/{day}/orang/{person}/layanan",
            a,
            post(services::give),
        )
        .add(
            Method::GET,
            "/hari/{day}/orang/{person}/konseling",
            "/hari/{day}/orang/{person}/konseling",
            a,
            get(counsel::counsel_form),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/konseling",
            "/hari/{day}/orang/{person}/konseling",
            a,
            post(counsel::counsel),
        )
}

// ------------------------------------------------------------------ shared bits

/// `at` in Indonesia's western time (WIB, UTC+7), the posyandu's clock.
pub fn wib(at: OffsetDateTime) -> OffsetDateTime {
    at.to_offset(time::macros::offset!(+7))
}

/// Today in the server's view of WIB: a posyandu day.
pub fn today() -> Date {
    wib(OffsetDateTime::now_utc()).date()
}

/// A failed operation as a page: 404 for anything not in scope, 500 (logged) for the store.
pub(crate) fn fail(t: Tr, e: DayError) -> Response {
    match e {
        DayError::NotFound => crate::pages::not_found_page(t).into_response(),
        DayError::Field(f) => (StatusCode::UNPROCESSABLE_ENTITY, f.message(t)).into_response(),
        DayError::Recheck(_) => (StatusCode::CONFLICT, t.t("recheck-first")).into_response(),
        DayError::Closed => (StatusCode::CONFLICT, t.t("day-closed-refused")).into_response(),
        DayError::Stale => (StatusCode::CONFLICT, t.t("err-stale")).into_response(),
        DayError::Store(e) => {
            tracing::warn!(error = %e, "service day operation failed");
            (StatusCode::SERVICE_UNAVAILABLE, t.t("err-store")).into_response()
        }
    }
}

fn csrf_failed(t: Tr) -> Response {
    (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response()
}

async fn load_day(state: &AppState, user: &CurrentUser, id: &str) -> Result<ServiceDay, DayError> {
    service::load_day(&state.store, &user.actor(), id).await
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    day: &str,
    person: &str,
) -> Result<(ServiceDay, Person), DayError> {
    service::load_person(&state.store, &user.actor(), day, person).await
}

/// A step of the day showing the person's record (step 2, 4 or 5) is audited as a view,
/// as `/orang/{person}` is; no audit, no page (fail closed).
async fn seen(
    state: &AppState,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
    step: u8,
) -> Result<(), DayError> {
    let detail = serde_json::json!({ "page": "hari", "step": step, "day": d.id.to_string() });
    state
        .store
        .record_view(
            &user.actor(),
            store::codes::EntityKind::Person,
            p.id.0,
            &p.org_path,
            &detail,
        )
        .await?;
    Ok(())
}

fn client_id(text: &str) -> Uuid {
    Uuid::parse_str(text.trim()).unwrap_or_else(|_| Uuid::now_v7())
}

/// A person as a line of a list: name, sex, birth date and age.
#[derive(Clone, Debug)]
pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub detail: String,
}

/// A date as people say it: "Rabu, 2 Desember 2026" / "Wednesday, 2 December 2026".
pub fn long_date(t: Tr, d: Date) -> String {
    let weekday = t.t(&format!("weekday-{}", d.weekday().number_from_monday()));
    let month = t.t(&format!("month-{}", u8::from(d.month())));
    format!("{weekday}, {} {month} {}", d.day(), d.year())
}

fn age_text(t: Tr, birth: Date, on: Date) -> String {
    match domain::age::Age::at(birth, on) {
        Some(a) if a.years >= 5 => {
            crate::i18n::format(t.lang, "age-years", &[("n", &a.years.to_string())])
        }
        Some(a) => crate::i18n::format(t.lang, "age-months", &[("n", &a.months.to_string())]),
        None => String::new(),
    }
}

fn person_line(t: Tr, p: &Person, on: Date) -> PersonLine {
    let sex = t.t(match p.sex {
        Sex::Male => "sex-l",
        Sex::Female => "sex-p",
    });
    let mut detail = format!(
        "{sex} · {} · {}",
        p.birth_date,
        age_text(t, p.birth_date, on)
    );
    if let Some(parent) = &p.parent_name {
        detail.push_str(&format!(" · {} {parent}", t.t("parent-short")));
    }
    PersonLine {
        id: p.id.to_string(),
        name: p.name.clone(),
        detail,
    }
}

/// The heading of a person's steps: who, and which group.
#[derive(Clone, Debug)]
pub struct PersonHead {
    pub line: PersonLine,
    pub group: String,
    pub day_id: String,
    pub step: u8,
    /// A field of this person waits in the review list (`/tinjau`): the values shown are
    /// the server's until a bidan chooses. Set on step 2, where the person is first shown.
    pub review: bool,
}

fn head(
    t: Tr,
    d: &ServiceDay,
    p: &Person,
    group: domain::lifecycle::Group,
    step: u8,
) -> PersonHead {
    PersonHead {
        line: person_line(t, p, d.date),
        group: t.t(&format!("group-{}", group.code())),
        day_id: d.id.to_string(),
        step,
        review: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use time::macros::date;

    #[test]
    fn long_dates_in_both_languages() {
        let d = date!(2026 - 12 - 02);
        assert_eq!(long_date(Tr::new(Lang::Id), d), "Rabu, 2 Desember 2026");
        assert_eq!(
            long_date(Tr::new(Lang::En), d),
            "Wednesday, 2 December 2026"
        );
    }
}
