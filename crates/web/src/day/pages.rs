//! The service day's pages: thin handlers over [`super::service`], [`super::record`] and
//! [`super::summary`]. Every form is a plain POST with the session's CSRF token and a
//! client id minted when the form was rendered (a re-sent form stores nothing twice).

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

pub fn routes(r: Routes) -> Routes {
    let a = Access::Roles(DAY_ROLES);
    let p = "/hari/{day}/orang/{person}";
    let pe = "/hari/{day}/orang/{person}";
    r.add(Method::GET, "/hari", "/hari", a, get(days))
        .add(Method::POST, "/hari", "/hari", a, post(open))
        .add(Method::GET, "/hari/{day}", "/hari/{day}", a, get(day_page))
        .add(
            Method::GET,
            "/hari/{day}/cari",
            "/hari/{day}/cari?q=a",
            a,
            get(search),
        )
        .add(
            Method::POST,
            "/hari/{day}/datang",
            "/hari/{day}/datang",
            a,
            post(arrive),
        )
        .add(
            Method::GET,
            "/hari/{day}/baru",
            "/hari/{day}/baru",
            a,
            get(register_form),
        )
        .add(
            Method::POST,
            "/hari/{day}/baru",
            "/hari/{day}/baru",
            a,
            post(register),
        )
        .add(
            Method::GET,
            "/hari/{day}/tutup",
            "/hari/{day}/tutup",
            a,
            get(summary_page),
        )
        .add(Method::GET, p, pe, a, get(measure_form))
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/hamil",
            "/hari/{day}/orang/{person}/hamil",
            a,
            post(pregnant),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/periksa",
            "/hari/{day}/orang/{person}/periksa",
            a,
            post(check),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/simpan",
            "/hari/{day}/orang/{person}/simpan",
            a,
            post(save),
        )
        .add(
            Method::GET,
            "/hari/{day}/orang/{person}/layanan",
            "/hari/{day}/orang/{person}/layanan",
            a,
            get(services_form),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/layanan",
            "/hari/{day}/orang/{person}/layanan",
            a,
            post(give),
        )
        .add(
            Method::GET,
            "/hari/{day}/orang/{person}/konseling",
            "/hari/{day}/orang/{person}/konseling",
            a,
            get(counsel_form),
        )
        .add(
            Method::POST,
            "/hari/{day}/orang/{person}/konseling",
            "/hari/{day}/orang/{person}/konseling",
            a,
            post(counsel),
        )
}

// ------------------------------------------------------------------ shared bits

/// Today in the server's view of Indonesia's western time (WIB, UTC+7): a posyandu day.
pub fn today() -> Date {
    (OffsetDateTime::now_utc() + time::Duration::hours(7)).date()
}

/// A failed operation as a page: 404 for anything not in scope, 500 (logged) for the store.
fn fail(t: Tr, e: DayError) -> Response {
    match e {
        DayError::NotFound => crate::pages::not_found_page(t).into_response(),
        DayError::Field(f) => (StatusCode::UNPROCESSABLE_ENTITY, f.message(t)).into_response(),
        DayError::Recheck(_) => (StatusCode::CONFLICT, t.t("recheck-first")).into_response(),
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
    }
}

// ------------------------------------------------------------------ days

#[derive(Template, WebTemplate)]
#[template(path = "day/days.html")]
struct DaysPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    today: String,
    units: Vec<(String, String)>,
    days: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn days_page(state: &AppState, t: Tr, user: &CurrentUser, error: Option<String>) -> Response {
    let actor = user.actor();
    let today = today();
    let (units, days) = match (
        service::service_units(&state.store, &actor).await,
        service::recent_days(&state.store, &actor, today).await,
    ) {
        (Ok(u), Ok(d)) => (u, d),
        (Err(e), _) | (_, Err(e)) => return fail(t, e),
    };
    let l = Layout::new(t);
    DaysPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        cid: ServiceDayId::new().to_string(),
        today: today.to_string(),
        units: units
            .iter()
            .map(|u| (u.id.to_string(), u.name.clone()))
            .collect(),
        days: days
            .iter()
            .map(|(d, u)| {
                (
                    d.id.to_string(),
                    format!("{} · {}", u.name, long_date(t, d.date)),
                    d.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
        error,
    }
    .into_response()
}

async fn days(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    days_page(&state, t, &user, None).await
}

#[derive(Deserialize)]
struct OpenForm {
    csrf: String,
    cid: String,
    unit: String,
    date: String,
    kader: String,
}

async fn open(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<OpenForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let parsed = (|| -> Result<service::OpenDay, FieldError> {
        let unit = store::OrgUnitId::parse(&f.unit)
            .map_err(|_| FieldError::new("unit", &f.unit, "err-invalid"))?;
        let date = form::date("date", &f.date)?
            .ok_or_else(|| FieldError::new("date", "", "err-required"))?;
        Ok(service::OpenDay {
            id: ServiceDayId(client_id(&f.cid)),
            unit,
            date,
            kader: form::required("kader", &f.kader)?,
        })
    })();
    let o = match parsed {
        Ok(o) => o,
        Err(e) => return days_page(&state, t, &user, Some(e.message(t))).await,
    };
    match service::open_day(&state.store, &user.actor(), &o).await {
        Ok(d) => Redirect::to(&format!("/hari/{}", d.id)).into_response(),
        Err(DayError::Field(e)) => days_page(&state, t, &user, Some(e.message(t))).await,
        Err(e) => fail(t, e),
    }
}

// ------------------------------------------------------------------ step 1

#[derive(Template, WebTemplate)]
#[template(path = "day/day.html")]
struct DayPage {
    t: Tr,
    css: String,
    htmx: String,
    csrf: String,
    day_id: String,
    title: String,
    kader: String,
    q: String,
    results: Vec<PersonLine>,
    searched: bool,
    arrived: Vec<PersonLine>,
    visit_cid: String,
}

#[derive(Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn day_view(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    q: &str,
) -> Result<DayPage, DayError> {
    let actor = user.actor();
    let unit = state.store.org_unit(&actor, d.org_unit_id).await?;
    let arrived = service::arrivals(&state.store, &actor, d.id).await?;
    let results = if q.trim().is_empty() {
        Vec::new()
    } else {
        service::find(&state.store, &actor, d, q).await?
    };
    let l = Layout::new(t);
    Ok(DayPage {
        t: l.t,
        css: l.css,
        htmx: crate::assets::url("htmx.min.js"),
        csrf: user.csrf().to_owned(),
        day_id: d.id.to_string(),
        title: format!("{} · {}", unit.name, long_date(t, d.date)),
        kader: d.note.clone().unwrap_or_default(),
        q: q.to_owned(),
        searched: !q.trim().is_empty(),
        results: results.iter().map(|p| person_line(t, p, d.date)).collect(),
        arrived: arrived
            .iter()
            .map(|a| person_line(t, &a.person, d.date))
            .collect(),
        visit_cid: VisitId::new().to_string(),
    })
}

async fn day_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Response {
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    match day_view(&state, t, &user, &d, &q.q).await {
        Ok(p) => p.into_response(),
        Err(e) => fail(t, e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "day/results.html")]
struct ResultsPart {
    t: Tr,
    csrf: String,
    day_id: String,
    results: Vec<PersonLine>,
    searched: bool,
    visit_cid: String,
}

/// The search results alone for htmx (`HX-Request`), the whole page otherwise.
async fn search(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    Path(day): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Response {
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let page = match day_view(&state, t, &user, &d, &q.q).await {
        Ok(p) => p,
        Err(e) => return fail(t, e),
    };
    if headers.contains_key("hx-request") {
        ResultsPart {
            t,
            csrf: page.csrf,
            day_id: page.day_id,
            results: page.results,
            searched: page.searched,
            visit_cid: page.visit_cid,
        }
        .into_response()
    } else {
        page.into_response()
    }
}

#[derive(Deserialize)]
struct ArriveForm {
    csrf: String,
    cid: String,
    person: String,
}

async fn arrive(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Form(f): Form<ArriveForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &f.person).await?;
        service::arrive(
            &state.store,
            &user.actor(),
            &d,
            p.id,
            VisitId(client_id(&f.cid)),
        )
        .await?;
        Ok::<_, DayError>(format!("/hari/{}/orang/{}", d.id, p.id))
    };
    match run.await {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => fail(t, e),
    }
}

// ------------------------------------------------------------------ registration

#[derive(Deserialize, Default, Clone)]
struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cid: String,
    #[serde(default)]
    visit_cid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nik: String,
    #[serde(default)]
    nik_is_mother: Option<String>,
    #[serde(default)]
    parent_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    household: String,
    #[serde(default)]
    household_head: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    mother: String,
    #[serde(default)]
    not_a_duplicate: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "day/register.html")]
struct RegisterPage {
    t: Tr,
    css: String,
    csrf: String,
    day_id: String,
    f: RegisterForm,
    mother_name: String,
    errors: Vec<String>,
    similar: Vec<SimilarLine>,
    visit_cid: String,
}

struct SimilarLine {
    text: String,
    in_scope: bool,
}

fn similar_lines(t: Tr, s: &[Similar]) -> Vec<SimilarLine> {
    s.iter()
        .map(|x| SimilarLine {
            text: match &x.name {
                Some(n) => format!("{n} · {}", x.unit_name),
                None => crate::i18n::format(t.lang, "similar-elsewhere", &[("unit", &x.unit_name)]),
            },
            in_scope: x.name.is_some(),
        })
        .collect()
}

#[derive(Deserialize, Default)]
struct RegisterQuery {
    #[serde(default)]
    ibu: String,
}

async fn register_page(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    mut f: RegisterForm,
    errors: Vec<String>,
    similar: Vec<SimilarLine>,
) -> Response {
    let mut mother_name = String::new();
    if let Ok(id) = PersonId::parse(&f.mother)
        && let Ok(m) = state.store.person(&user.actor(), id).await
    {
        mother_name = m.name.clone();
        if f.parent_name.is_empty() {
            f.parent_name = m.name.clone();
        }
        if f.household.is_empty()
            && let Some(h) = m.household_id
        {
            f.household = h.to_string();
        }
    }
    if f.cid.is_empty() {
        f.cid = PersonId::new().to_string();
    }
    let l = Layout::new(t);
    let status = if errors.is_empty() && similar.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        RegisterPage {
            t: l.t,
            css: l.css,
            csrf: user.csrf().to_owned(),
            day_id: d.id.to_string(),
            f,
            mother_name,
            errors,
            similar,
            visit_cid: VisitId::new().to_string(),
        },
    )
        .into_response()
}

async fn register_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Query(q): Query<RegisterQuery>,
) -> Response {
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let f = RegisterForm {
        mother: q.ibu,
        ..RegisterForm::default()
    };
    register_page(&state, t, &user, &d, f, Vec::new(), Vec::new()).await
}

fn parse_registration(f: &RegisterForm) -> Result<Registration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = form::required("name", &f.name)
        .map_err(|e| errors.push(e))
        .ok();
    let sex = match f.sex.as_str() {
        "L" => Some(Sex::Male),
        "P" => Some(Sex::Female),
        other => {
            errors.push(FieldError::new("sex", other, "err-required"));
            None
        }
    };
    let birth = match form::date("birth_date", &f.birth_date) {
        Ok(Some(b)) => Some(b),
        Ok(None) => {
            errors.push(FieldError::new("birth_date", "", "err-required"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let (Some(name), Some(sex), Some(birth_date)) = (name, sex, birth) else {
        return Err(errors);
    };
    let household_id = store::HouseholdId::parse(&f.household).ok();
    Ok(Registration {
        person_id: PersonId(client_id(&f.cid)),
        visit_id: VisitId(client_id(&f.visit_cid)),
        name,
        sex,
        birth_date,
        nik: form::optional(&f.nik),
        nik_is_mother: f.nik_is_mother.is_some(),
        parent_name: form::optional(&f.parent_name),
        phone: form::optional(&f.phone),
        household_id,
        new_household_head: form::optional(&f.household_head),
        new_household_id: Some(store::HouseholdId(Uuid::new_v5(
            &client_id(&f.cid),
            b"household",
        ))),
        address: form::optional(&f.address),
        mother_id: PersonId::parse(&f.mother).ok(),
        not_a_duplicate: f.not_a_duplicate.is_some(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "day/registered.html")]
struct RegisteredPage {
    t: Tr,
    css: String,
    name: String,
    warnings: Vec<String>,
    next: String,
}

async fn register(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Form(f): Form<RegisterForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let r = match parse_registration(&f) {
        Ok(r) => r,
        Err(errs) => {
            let msgs = errs.iter().map(|e| e.message(t)).collect();
            return register_page(&state, t, &user, &d, f, msgs, Vec::new()).await;
        }
    };
    match service::register(&state.store, &user.actor(), &d, &r).await {
        Ok(Registered::Stored {
            person,
            nik_warnings,
            ..
        }) => {
            let next = format!("/hari/{}/orang/{}", d.id, person.id);
            if nik_warnings.is_empty() {
                return Redirect::to(&next).into_response();
            }
            let l = Layout::new(t);
            RegisteredPage {
                t: l.t,
                css: l.css,
                name: person.name,
                warnings: nik_warnings.iter().map(|w| w.message()).collect(),
                next,
            }
            .into_response()
        }
        Ok(Registered::PossibleDuplicates(s)) => {
            let lines = similar_lines(t, &s);
            register_page(&state, t, &user, &d, f, Vec::new(), lines).await
        }
        Err(DayError::Field(e)) => {
            register_page(&state, t, &user, &d, f, vec![e.message(t)], Vec::new()).await
        }
        Err(e) => fail(t, e),
    }
}

// ------------------------------------------------------------------ steps 2 and 3

/// One input of the step-2 form.
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub unit: &'static str,
    pub value: String,
    /// `data-classify` for the live classification script (balita only).
    pub classify: &'static str,
}

pub struct Checkbox {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionnaireView {
    pub code: &'static str,
    pub title: String,
    pub items: Vec<Checkbox>,
    /// Barthel score or PUMA pack-years input.
    pub number: Option<(&'static str, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "day/measure.html")]
struct MeasurePage {
    t: Tr,
    css: String,
    classify_js: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    fields: Vec<FieldView>,
    balita: bool,
    measure: String,
    oedema: bool,
    questionnaires: Vec<QuestionnaireView>,
    cutpoints: String,
    labels: String,
    errors: Vec<String>,
    /// Offer "record a pregnancy" (a woman 10–55 years, not pregnant now).
    may_be_pregnant: bool,
    pregnancy_cid: String,
}

const UNITS: [(&str, &str); 11] = [
    ("weight_kg", "kg"),
    ("lenhei_cm", "cm"),
    ("head_cm", "cm"),
    ("muac_cm", "cm"),
    ("waist_cm", "cm"),
    ("systolic", "mmHg"),
    ("diastolic", "mmHg"),
    ("glucose_random", "mg/dL"),
    ("cholesterol", "mg/dL"),
    ("hb", "g/dL"),
    ("oedema", ""),
];

fn shown(v: Option<f64>) -> String {
    v.map(|v| format!("{v}").replace('.', ","))
        .unwrap_or_default()
}

fn value_of(r: &Readings, field: &str) -> Option<f64> {
    match field {
        "weight_kg" => r.weight_kg,
        "lenhei_cm" => r.lenhei_cm,
        "head_cm" => r.head_cm,
        "muac_cm" => r.muac_cm,
        "waist_cm" => r.waist_cm,
        "systolic" => r.systolic,
        "diastolic" => r.diastolic,
        "glucose_random" => r.glucose_random,
        "cholesterol" => r.cholesterol,
        "hb" => r.hb,
        _ => None,
    }
}

fn questionnaire_views(
    t: Tr,
    form: &domain::lifecycle::Form,
    r: &Readings,
) -> Vec<QuestionnaireView> {
    use domain::lifecycle::Questionnaire as Q;
    let boxes = |prefix: &str, keys: &[&str], on: &Option<Vec<String>>| {
        keys.iter()
            .map(|k| Checkbox {
                value: (*k).to_owned(),
                label: t.t(&format!("{prefix}-{k}")),
                checked: on.as_ref().is_some_and(|v| v.iter().any(|x| x == k)),
            })
            .collect()
    };
    form.questionnaires
        .iter()
        .map(|q| match q {
            Q::TbSymptoms => QuestionnaireView {
                code: "tb",
                title: t.t("q-tb"),
                items: boxes(
                    "tb",
                    &domain::questionnaires::TbSymptoms::KEYS,
                    &r.tb_symptoms,
                ),
                number: None,
            },
            Q::Skilas => QuestionnaireView {
                code: "skilas",
                title: t.t("q-skilas"),
                items: boxes(
                    "skilas",
                    &domain::questionnaires::Skilas::DOMAINS,
                    &r.skilas,
                ),
                number: None,
            },
            Q::Srq20 => QuestionnaireView {
                code: "srq",
                title: t.t("q-srq20"),
                items: (1..=20u8)
                    .map(|i| Checkbox {
                        value: i.to_string(),
                        label: t.t(&format!("srq-{i}")),
                        checked: r.srq20_yes.as_ref().is_some_and(|v| v.contains(&i)),
                    })
                    .collect(),
                number: None,
            },
            Q::Puma => QuestionnaireView {
                code: "puma",
                title: t.t("q-puma"),
                items: ["breathless", "phlegm", "cough", "spirometry"]
                    .iter()
                    .map(|k| Checkbox {
                        value: (*k).to_owned(),
                        label: t.t(&format!("puma-{k}")),
                        checked: r.puma.as_ref().is_some_and(|p| match *k {
                            "breathless" => p.breathless,
                            "phlegm" => p.phlegm,
                            "cough" => p.cough,
                            _ => p.spirometry,
                        }),
                    })
                    .collect(),
                number: Some((
                    "puma_pack_years",
                    t.t("puma-pack-years"),
                    r.puma
                        .as_ref()
                        .map(|p| shown(Some(p.pack_years)))
                        .unwrap_or_default(),
                )),
            },
            Q::Barthel => QuestionnaireView {
                code: "adl",
                title: t.t("q-adl"),
                items: Vec::new(),
                number: Some((
                    "barthel",
                    t.t("adl-score"),
                    r.barthel.map(|b| b.to_string()).unwrap_or_default(),
                )),
            },
        })
        .collect()
}

/// The cut-points of a balita for the page's script, and the labels it shows.
fn live_classification(
    t: Tr,
    d: &ServiceDay,
    p: &Person,
    h: &super::assess::History,
) -> (String, String) {
    let s = domain::Settings::default();
    let weighings = super::assess::weighings(&h.measurements, d.date);
    let input = domain::cutpoints::CutInput {
        sex: super::assess::domain_sex(p.sex),
        birth_date: p.birth_date,
        visit_date: d.date,
        previous_weighings: Some(&weighings),
        previous_length: super::assess::last_length(&h.measurements, d.date),
        settings: &s,
    };
    let Ok(cuts) = domain::cutpoints::cutpoints(&input) else {
        return (String::new(), String::new());
    };
    let mut labels = serde_json::Map::new();
    for r in domain::catalogue::ALL {
        let action = t.t(&format!("action-{}", r.action.as_str()));
        labels.insert(
            r.code.into(),
            serde_json::json!(format!("{} · {action}", r.label)),
        );
    }
    labels.insert("recheck".into(), serde_json::json!(t.t("recheck-live")));
    labels.insert(
        "incomplete".into(),
        serde_json::json!(t.t("live-incomplete")),
    );
    (
        serde_json::to_string(&cuts).unwrap_or_default(),
        serde_json::Value::Object(labels).to_string(),
    )
}

// The page needs the person, the day, what was typed and what was wrong with it.
#[allow(clippy::too_many_arguments)]
async fn measure_page(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
    r: &Readings,
    raw: &[(&str, &str)],
    errors: Vec<String>,
) -> Result<Response, DayError> {
    let actor = user.actor();
    let a = record::preview(&state.store, &actor, d, p, &Readings::default()).await?;
    let h = record::history(&state.store, &actor, p).await?;
    let form = domain::lifecycle::form(a.group, a.age_years);
    let balita = a.group == domain::lifecycle::Group::Balita;
    let fields = form
        .fields
        .iter()
        .filter(|f| **f != "oedema")
        .map(|f| FieldView {
            name: f,
            label: t.t(&format!("field-{f}")),
            unit: UNITS.iter().find(|(n, _)| n == f).map_or("", |(_, u)| u),
            // After a typo, the form comes back with what was typed, not emptied.
            value: raw
                .iter()
                .find(|(name, _)| name == f)
                .map_or_else(|| shown(value_of(r, f)), |(_, v)| (*v).to_owned()),
            classify: match (*f, balita) {
                ("weight_kg", true) => "weight",
                ("lenhei_cm", true) => "lenhei",
                ("head_cm", true) => "head",
                ("muac_cm", true) => "muac",
                _ => "",
            },
        })
        .collect();
    let (cutpoints, labels) = if balita {
        live_classification(t, d, p, &h)
    } else {
        (String::new(), String::new())
    };
    let l = Layout::new(t);
    Ok((
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        MeasurePage {
            t: l.t,
            css: l.css,
            classify_js: crate::assets::url("classify.js"),
            csrf: user.csrf().to_owned(),
            cid: Uuid::now_v7().to_string(),
            head: head(t, d, p, a.group, 2),
            balita,
            measure: r.measure.clone().unwrap_or_default(),
            oedema: r.oedema,
            questionnaires: questionnaire_views(t, &form, r),
            fields,
            cutpoints,
            labels,
            errors,
            may_be_pregnant: p.sex == Sex::Female
                && (10..=55).contains(&a.age_years)
                && a.group != domain::lifecycle::Group::IbuHamil,
            pregnancy_cid: Uuid::now_v7().to_string(),
        },
    )
        .into_response())
}

#[derive(Deserialize)]
struct PregnancyForm {
    csrf: String,
    cid: String,
    #[serde(default)]
    lmp: String,
}

async fn pregnant(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<PregnancyForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let lmp =
            form::date("lmp", &f.lmp)?.ok_or_else(|| DayError::field("lmp", "", "err-required"))?;
        record::record_pregnancy(&state.store, &user.actor(), &d, &p, lmp, client_id(&f.cid))
            .await?;
        Ok::<_, DayError>(Redirect::to(&format!("/hari/{}/orang/{}", d.id, p.id)).into_response())
    };
    match run.await {
        Ok(r) => r,
        Err(DayError::Field(e)) => {
            let again = async {
                let (d, p) = load(&state, &user, &day, &person).await?;
                measure_page(
                    &state,
                    t,
                    &user,
                    &d,
                    &p,
                    &Readings::default(),
                    &[],
                    vec![e.message(t)],
                )
                .await
            };
            again.await.unwrap_or_else(|e| fail(t, e))
        }
        Err(e) => fail(t, e),
    }
}

async fn measure_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
) -> Response {
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        measure_page(
            &state,
            t,
            &user,
            &d,
            &p,
            &Readings::default(),
            &[],
            Vec::new(),
        )
        .await
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

/// The step-2 form as posted: every value as typed.
#[derive(Deserialize, Default)]
struct MeasureForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cid: String,
    #[serde(default)]
    weight_kg: String,
    #[serde(default)]
    lenhei_cm: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    head_cm: String,
    #[serde(default)]
    muac_cm: String,
    #[serde(default)]
    waist_cm: String,
    #[serde(default)]
    systolic: String,
    #[serde(default)]
    diastolic: String,
    #[serde(default)]
    glucose_random: String,
    #[serde(default)]
    cholesterol: String,
    #[serde(default)]
    hb: String,
    #[serde(default)]
    oedema: Option<String>,
    /// Questionnaires the cadre marked as asked (then an unticked answer is a "no"); one
    /// with any answer ticked or typed counts as asked too.
    #[serde(default)]
    asked: Vec<String>,
    #[serde(default)]
    tb: Vec<String>,
    #[serde(default)]
    skilas: Vec<String>,
    #[serde(default)]
    srq: Vec<u8>,
    #[serde(default)]
    puma: Vec<String>,
    #[serde(default)]
    puma_pack_years: String,
    #[serde(default)]
    barthel: String,
}

fn parse_readings(f: &MeasureForm) -> Result<Readings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut num = |field: &str, text: &str| match form::decimal(field, text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut r = Readings {
        weight_kg: num("weight_kg", &f.weight_kg),
        lenhei_cm: num("lenhei_cm", &f.lenhei_cm),
        head_cm: num("head_cm", &f.head_cm),
        muac_cm: num("muac_cm", &f.muac_cm),
        waist_cm: num("waist_cm", &f.waist_cm),
        systolic: num("systolic", &f.systolic),
        diastolic: num("diastolic", &f.diastolic),
        glucose_random: num("glucose_random", &f.glucose_random),
        cholesterol: num("cholesterol", &f.cholesterol),
        hb: num("hb", &f.hb),
        measure: form::optional(&f.measure),
        oedema: f.oedema.is_some(),
        ..Readings::default()
    };
    let asked = |q: &str, answered: bool| answered || f.asked.iter().any(|a| a == q);
    if asked("tb", !f.tb.is_empty()) {
        r.tb_symptoms = Some(f.tb.clone());
    }
    if asked("skilas", !f.skilas.is_empty()) {
        r.skilas = Some(f.skilas.clone());
    }
    if asked("srq", !f.srq.is_empty()) {
        r.srq20_yes = Some(f.srq.clone());
    }
    if asked(
        "puma",
        !f.puma.is_empty() || !f.puma_pack_years.trim().is_empty(),
    ) {
        let pack = num("puma_pack_years", &f.puma_pack_years);
        if pack.is_none() {
            errors.push(FieldError::new("puma_pack_years", "", "err-required"));
        }
        if let Some(pack_years) = pack {
            let has = |k: &str| f.puma.iter().any(|x| x == k);
            r.puma = Some(super::assess::Puma {
                pack_years,
                breathless: has("breathless"),
                phlegm: has("phlegm"),
                cough: has("cough"),
                spirometry: has("spirometry"),
            });
        }
    }
    if asked("adl", !f.barthel.trim().is_empty()) {
        match form::whole("barthel", &f.barthel) {
            Ok(Some(b)) if (0..=20).contains(&b) => r.barthel = u8::try_from(b).ok(),
            Ok(None) => {}
            Ok(Some(b)) => errors.push(FieldError::new("barthel", b.to_string(), "err-barthel")),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "day/check.html")]
struct CheckPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    zscores: Vec<(String, String)>,
    findings: Vec<(String, String, &'static str)>,
    rechecks: Vec<String>,
    readings: String,
    /// What was typed, as the cadre reads it back before saving.
    typed: Vec<(String, String)>,
    refer: bool,
}

fn check_page(
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
    a: &Assessment,
    r: &Readings,
    cid: &str,
) -> Response {
    let l = Layout::new(t);
    CheckPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        cid: cid.to_owned(),
        head: head(t, d, p, a.group, 3),
        zscores: a
            .zscores
            .iter()
            .map(|(n, z)| (t.t(&format!("z-{n}")), format!("{z:.2}").replace('.', ",")))
            .collect(),
        findings: a
            .findings
            .iter()
            .map(|f| {
                (
                    f.label.to_owned(),
                    t.t(&format!("action-{}", f.action.as_str())),
                    f.action.as_str(),
                )
            })
            .collect(),
        rechecks: a
            .rechecks
            .iter()
            .map(|c| {
                crate::i18n::format(
                    t.lang,
                    c.reason,
                    &[
                        ("field", &t.t(&format!("field-{}", c.field))),
                        ("detail", &c.detail),
                    ],
                )
            })
            .collect(),
        readings: serde_json::to_string(r).unwrap_or_default(),
        typed: UNITS
            .iter()
            .filter_map(|(field, unit)| {
                value_of(r, field).map(|v| {
                    (
                        t.t(&format!("field-{field}")),
                        format!("{} {unit}", shown(Some(v))),
                    )
                })
            })
            .collect(),
        refer: !a.refer().is_empty(),
    }
    .into_response()
}

async fn check(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<MeasureForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let r = match parse_readings(&f) {
            Ok(r) => r,
            Err(errs) => {
                let msgs = errs.iter().map(|e| e.message(t)).collect();
                let raw = [
                    ("weight_kg", f.weight_kg.as_str()),
                    ("lenhei_cm", f.lenhei_cm.as_str()),
                    ("head_cm", f.head_cm.as_str()),
                    ("muac_cm", f.muac_cm.as_str()),
                    ("waist_cm", f.waist_cm.as_str()),
                    ("systolic", f.systolic.as_str()),
                    ("diastolic", f.diastolic.as_str()),
                    ("glucose_random", f.glucose_random.as_str()),
                    ("cholesterol", f.cholesterol.as_str()),
                    ("hb", f.hb.as_str()),
                ];
                let partial = Readings {
                    measure: form::optional(&f.measure),
                    oedema: f.oedema.is_some(),
                    ..Readings::default()
                };
                return measure_page(&state, t, &user, &d, &p, &partial, &raw, msgs).await;
            }
        };
        let a = record::preview(&state.store, &user.actor(), &d, &p, &r).await?;
        Ok(check_page(t, &user, &d, &p, &a, &r, &f.cid))
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

#[derive(Deserialize)]
struct SaveForm {
    csrf: String,
    cid: String,
    readings: String,
    #[serde(default)]
    confirmed: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<SaveForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let mut r: Readings = serde_json::from_str(&f.readings)
            .map_err(|_| DayError::field("readings", "", "err-invalid"))?;
        r.confirmed = f.confirmed.is_some();
        let actor = user.actor();
        let visit = service::arrive(&state.store, &actor, &d, p.id, VisitId::new()).await?;
        match record::save_readings(&state.store, &actor, &d, &visit, &p, &r, client_id(&f.cid))
            .await
        {
            Ok(_) => {
                Ok(Redirect::to(&format!("/hari/{}/orang/{}/layanan", d.id, p.id)).into_response())
            }
            Err(DayError::Recheck(a)) => {
                let mut page = check_page(t, &user, &d, &p, &a, &r, &f.cid);
                *page.status_mut() = StatusCode::CONFLICT;
                Ok(page)
            }
            Err(e) => Err(e),
        }
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

// ------------------------------------------------------------------ step 4

#[derive(Template, WebTemplate)]
#[template(path = "day/services.html")]
struct ServicesPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    offer: Offer,
    capsule: String,
}

async fn services_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
) -> Response {
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let a = record::preview(&state.store, &user.actor(), &d, &p, &Readings::default()).await?;
        let l = Layout::new(t);
        Ok::<_, DayError>(
            ServicesPage {
                t: l.t,
                css: l.css,
                csrf: user.csrf().to_owned(),
                cid: Uuid::now_v7().to_string(),
                head: head(t, &d, &p, a.group, 4),
                capsule: record::offer(&p, &d, &a)
                    .vitamin_a
                    .map(|v| t.t(&format!("capsule-{v}")))
                    .unwrap_or_default(),
                offer: record::offer(&p, &d, &a),
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

#[derive(Deserialize)]
struct ServicesForm {
    csrf: String,
    cid: String,
    #[serde(default)]
    vaccine: Vec<String>,
    #[serde(default)]
    vitamin_a: String,
    #[serde(default)]
    deworming: Option<String>,
    #[serde(default)]
    iron_tablets: String,
    #[serde(default)]
    pmt: Option<String>,
    #[serde(default)]
    batch: String,
}

async fn give(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<ServicesForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let iron = form::whole("iron_tablets", &f.iron_tablets)?
            .map(|n| {
                u32::try_from(n)
                    .map_err(|_| DayError::field("iron_tablets", &n.to_string(), "err-whole"))
            })
            .transpose()?;
        let s = Services {
            vaccines: f.vaccine.clone(),
            vitamin_a: form::optional(&f.vitamin_a),
            deworming: f.deworming.is_some(),
            iron_tablets: iron,
            pmt: f.pmt.is_some(),
            batch: form::optional(&f.batch),
        };
        let actor = user.actor();
        let visit = service::arrive(&state.store, &actor, &d, p.id, VisitId::new()).await?;
        record::give(&state.store, &actor, &d, &visit, &p, &s, client_id(&f.cid)).await?;
        Ok::<_, DayError>(
            Redirect::to(&format!("/hari/{}/orang/{}/konseling", d.id, p.id)).into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

// ------------------------------------------------------------------ step 5

#[derive(Template, WebTemplate)]
#[template(path = "day/counsel.html")]
struct CounselPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    findings: Vec<(String, String, &'static str)>,
    refer: bool,
    reason: String,
    facility: String,
}

/// Today's stored findings of the person, as step 3 saved them.
async fn saved_assessment(
    state: &AppState,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
) -> Result<Vec<&'static domain::Rule>, DayError> {
    let found = state.store.findings_of(&user.actor(), p.id).await?;
    let mut rules: Vec<&'static domain::Rule> = found
        .iter()
        .filter(|f| f.found_on == d.date)
        .filter_map(|f| domain::catalogue::by_code(&f.code))
        .collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    Ok(rules)
}

async fn counsel_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
) -> Response {
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let a = record::preview(&state.store, &user.actor(), &d, &p, &Readings::default()).await?;
        let rules = saved_assessment(&state, &user, &d, &p).await?;
        let reason = record::rujuk_labels(rules.iter().map(|r| r.code));
        let l = Layout::new(t);
        Ok::<_, DayError>(
            CounselPage {
                t: l.t,
                css: l.css,
                csrf: user.csrf().to_owned(),
                cid: Uuid::now_v7().to_string(),
                head: head(t, &d, &p, a.group, 5),
                findings: rules
                    .iter()
                    .map(|r| {
                        (
                            r.label.to_owned(),
                            t.t(&format!("action-{}", r.action.as_str())),
                            r.action.as_str(),
                        )
                    })
                    .collect(),
                refer: !reason.is_empty(),
                reason,
                facility: record::puskesmas_of(&state.store, &d).await?,
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

#[derive(Deserialize)]
struct CounselForm {
    csrf: String,
    cid: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    refer: Option<String>,
    #[serde(default)]
    reason: String,
}

async fn counsel(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<CounselForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let rules = saved_assessment(&state, &user, &d, &p).await?;
        let prefilled = record::rujuk_labels(rules.iter().map(|r| r.code));
        let c = Counsel {
            note: form::optional(&f.note),
            refer: f.refer.is_some(),
            reason: form::optional(&f.reason),
        };
        let actor = user.actor();
        let visit = service::arrive(&state.store, &actor, &d, p.id, VisitId::new()).await?;
        record::counsel(
            &state.store,
            &actor,
            &d,
            &visit,
            &p,
            &c,
            &prefilled,
            client_id(&f.cid),
        )
        .await?;
        Ok::<_, DayError>(Redirect::to(&format!("/hari/{}", d.id)).into_response())
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

// ------------------------------------------------------------------ summary

#[derive(Template, WebTemplate)]
#[template(path = "day/summary.html")]
struct SummaryPage {
    t: Tr,
    css: String,
    day_id: String,
    title: String,
    came: Vec<PersonLine>,
    missing: Vec<PersonLine>,
    referred: Vec<(PersonLine, String)>,
    doses: Vec<(String, usize)>,
    doses_total: usize,
}

async fn summary_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
) -> Response {
    let run = async {
        let d = load_day(&state, &user, &day).await?;
        let actor = user.actor();
        let unit = state.store.org_unit(&actor, d.org_unit_id).await?;
        let s: Summary = summary::summary(&state.store, &actor, &d).await?;
        let l = Layout::new(t);
        Ok::<_, DayError>(
            SummaryPage {
                t: l.t,
                css: l.css,
                day_id: d.id.to_string(),
                title: format!("{} · {}", unit.name, long_date(t, d.date)),
                came: s
                    .came
                    .iter()
                    .map(|a| person_line(t, &a.person, d.date))
                    .collect(),
                missing: s
                    .missing
                    .iter()
                    .map(|p| person_line(t, p, d.date))
                    .collect(),
                referred: s
                    .referred
                    .iter()
                    .map(|(r, p)| (person_line(t, p, d.date), r.reason.clone()))
                    .collect(),
                doses: s
                    .doses
                    .iter()
                    .map(|c| (c.vaccine.clone(), c.count))
                    .collect(),
                doses_total: s.doses_total,
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
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
