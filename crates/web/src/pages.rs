//! Pages that belong to no feature: the home page and the not-found page.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;
use crate::routes::{Access, Routes};
use axum::extract::State;

use crate::auth::CurrentUser;
use crate::i18n::Tr;

/// What every page's layout needs.
pub struct Layout {
    pub t: Tr,
    pub css: String,
}

impl Layout {
    pub fn new(t: Tr) -> Self {
        Self {
            t,
            css: crate::assets::url("app.css"),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct Home {
    t: Tr,
    css: String,
}

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, "/", "/", Access::Public, get(home)).add(
        Method::GET,
        "/beranda",
        "/beranda",
        Access::LoggedIn,
        get(dashboard),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct Dashboard {
    t: Tr,
    css: String,
    name: String,
    role: String,
    unit: String,
    csrf: String,
    service_day: bool,
    /// Whether to offer the user administration pages (see [`crate::admin`]).
    manage_users: bool,
    /// Whether to offer the review list (see [`crate::review`]).
    review: bool,
    /// Whether to offer the referral inbox (see [`crate::referrals`]).
    inbox: bool,
    logout_js: String,
    /// Asked before a logout wipes unsent captures from the phone (`{n}` items).
    unsent_warning: String,
}

/// The logged-in start page: who you are and where you work.
async fn dashboard(State(state): State<AppState>, t: Tr, user: CurrentUser) -> impl IntoResponse {
    let u = user.user();
    let unit = state
        .store
        .org_unit(&user.actor(), u.org_unit_id)
        .await
        .map_or_else(|_| u.org_path.to_string(), |o| o.name);
    let l = Layout::new(t);
    Dashboard {
        t: l.t,
        css: l.css,
        name: u.display_name.clone(),
        role: t.t(&format!("role-{}", u.role.code())),
        unit,
        csrf: user.csrf().to_owned(),
        service_day: crate::day::pages::DAY_ROLES.contains(&u.role),
        manage_users: crate::admin::ADMINS.contains(&u.role),
        review: crate::review::REVIEWERS.contains(&u.role),
        inbox: crate::referrals::FOLLOW_UP.contains(&u.role),
        logout_js: crate::assets::url("logout.js"),
        unsent_warning: crate::i18n::format(t.lang, "logout-unsent", &[("n", "{n}")]),
    }
}

async fn home(t: Tr) -> impl IntoResponse {
    let l = Layout::new(t);
    Home { t: l.t, css: l.css }
}

#[derive(Template, WebTemplate)]
#[template(
    source = "{% extends \"base.html\" %}{% block content %}<h1>404</h1><p>{{ t.t(\"page-not-found\") }}</p><p><a class=\"btn\" href=\"/\">{{ t.t(\"nav-home\") }}</a></p>{% endblock %}",
    ext = "html"
)]
struct NotFound {
    t: Tr,
    css: String,
}

/// The fallback for unknown paths: 404 with a page in the user's language.
pub async fn not_found(t: Tr) -> impl IntoResponse {
    not_found_page(t)
}

/// The 404 page; also the answer for a record outside the user's scope, so that another
/// posyandu's record looks exactly like one that does not exist.
pub fn not_found_page(t: Tr) -> impl IntoResponse {
    let l = Layout::new(t);
    (StatusCode::NOT_FOUND, NotFound { t: l.t, css: l.css })
}
