//! `/rujukan`: the inbox page. Thin over [`super::inbox`].

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::ReferralId;
use store::codes::ReferralStatus;

use super::inbox::{Filter, InboxItem, advance, inbox};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today};
use crate::i18n::{self, Tr};
use crate::pages::Layout;
use crate::person::page::{Line, finding_line};

pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct ItemView {
    pub id: String,
    pub person_id: String,
    pub name: String,
    pub detail: String,
    pub from: String,
    pub reason: String,
    pub findings: Vec<Line>,
    pub status: String,
    pub version: i64,
    /// The next step's code and its button, when there is one.
    pub next: Option<(&'static str, String)>,
}

/// Referrals per page: a phone scrolls through 20 cards comfortably.
const PAGE: usize = 20;

#[derive(Template, WebTemplate)]
#[template(path = "referrals/inbox.html")]
struct InboxPage {
    t: Tr,
    css: String,
    csrf: String,
    tabs: Vec<Tab>,
    items: Vec<ItemView>,
    notice: Option<String>,
    filter: &'static str,
    /// "21–40 dari 312".
    shown: String,
    previous: Option<String>,
    next: Option<String>,
}

fn list_href(filter: Filter, page: usize) -> String {
    let mut q = Vec::new();
    if let Filter::Status(s) = filter {
        q.push(format!("status={}", s.code()));
    }
    if page > 0 {
        q.push(format!("page={page}"));
    }
    if q.is_empty() {
        "/rujukan".to_owned()
    } else {
        format!("/rujukan?{}", q.join("&"))
    }
}

fn item_view(t: Tr, i: &InboxItem) -> ItemView {
    let r = &i.referral;
    let waited = (today() - r.referred_on).whole_days();
    let mut detail = vec![
        r.referred_on.to_string(),
        // A referral dated ahead (a day opened in advance) has not waited yet.
        if waited <= 0 {
            t.t("inbox-today")
        } else {
            i18n::format(t.lang, "inbox-waited", &[("n", &waited.to_string())])
        },
    ];
    if let Some(phone) = &i.person.phone {
        detail.push(format!("HP {phone}"));
    }
    let mut status = t.t(&format!("referral-{}", r.status.code()));
    if let Some(note) = &r.status_note {
        status.push_str(&format!(": {note}"));
    }
    ItemView {
        id: r.id.to_string(),
        person_id: i.person.id.to_string(),
        name: i.person.name.clone(),
        detail: detail.join(" · "),
        from: format!("{} → {}", i.unit, r.to_facility),
        reason: r.reason.clone(),
        findings: i.findings.iter().map(|c| finding_line(t, c)).collect(),
        status,
        version: r.meta.version,
        next: r
            .status
            .next()
            .map(|n| (n.code(), t.t(&format!("inbox-to-{}", n.code())))),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct InboxQuery {
    status: Option<String>,
    /// 0-based page number.
    page: Option<usize>,
}

async fn render(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    filter: Filter,
    page: usize,
    notice: Option<String>,
) -> Response {
    let unit = user.user().org_unit_id;
    let found = match inbox(&state.store, &user.actor(), unit, filter, page * PAGE, PAGE).await {
        Ok(i) => i,
        Err(e) => return fail(t, e),
    };
    let first = page * PAGE;
    let shown = if found.items.is_empty() {
        String::new()
    } else {
        i18n::format(
            t.lang,
            "inbox-shown",
            &[
                ("from", &(first + 1).to_string()),
                ("to", &(first + found.items.len()).to_string()),
                ("total", &found.total.to_string()),
            ],
        )
    };
    let tabs = [
        Filter::Open,
        Filter::Status(ReferralStatus::Created),
        Filter::Status(ReferralStatus::Accepted),
        Filter::Status(ReferralStatus::FollowedUp),
        Filter::Status(ReferralStatus::Completed),
    ]
    .into_iter()
    .map(|f| Tab {
        href: list_href(f, 0),
        label: match f {
            Filter::Open => t.t("inbox-open"),
            Filter::Status(s) => t.t(&format!("referral-{}", s.code())),
        },
        current: f == filter,
    })
    .collect();
    let l = Layout::new(t);
    InboxPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        tabs,
        items: found.items.iter().map(|i| item_view(t, i)).collect(),
        notice,
        filter: filter.code(),
        shown,
        previous: (page > 0).then(|| list_href(filter, page - 1)),
        next: (first + PAGE < found.total).then(|| list_href(filter, page + 1)),
    }
    .into_response()
}

pub(super) async fn page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<InboxQuery>,
) -> Response {
    let filter = Filter::parse(q.status.as_deref());
    render(&state, t, &user, filter, q.page.unwrap_or(0), None).await
}

#[derive(Deserialize)]
pub(super) struct AdvanceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    note: String,
    /// The tab to come back to.
    #[serde(default)]
    filter: String,
}

pub(super) async fn move_on(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(referral): Path<String>,
    Form(f): Form<AdvanceForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let filter = Filter::parse(Some(f.filter.as_str()));
    let run = async {
        let id = ReferralId::parse(&referral).map_err(|_| DayError::NotFound)?;
        // Scope before the form: another area's referral is not found whatever is posted.
        state.store.referral(&user.actor(), id).await?;
        let to = ReferralStatus::from_code(f.to.trim())
            .ok_or_else(|| DayError::field("to", &f.to, "err-invalid"))?;
        let version: i64 = f
            .version
            .trim()
            .parse()
            .map_err(|_| DayError::field("version", &f.version, "err-invalid"))?;
        let note = crate::form::optional(&f.note);
        advance(
            &state.store,
            &user.actor(),
            id,
            version,
            to,
            note.as_deref(),
        )
        .await
    };
    match run.await {
        Ok(_) => Redirect::to(&list_href(filter, 0)).into_response(),
        Err(DayError::Stale) => render(&state, t, &user, filter, 0, Some(t.t("err-stale"))).await,
        Err(DayError::Field(e)) => {
            let msg = e.message(t);
            let mut r = render(&state, t, &user, filter, 0, Some(msg)).await;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(e) => fail(t, e),
    }
}
