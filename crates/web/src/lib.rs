//! The posyandu web app: one axum [`Router`] split by feature, over the same library
//! functions the CLI uses (`store`, `domain`). Handlers stay thin: they parse the request,
//! call a library function and render its answer.
//!
//! Features live in their own modules: [`health`] (liveness and readiness), [`auth`] (login),
//! [`admin`] (managing the accounts of a subtree), [`day`] (the service day and its five
//! steps), [`api`] (JSON API v1 over the same operations), and, as they are built, the person
//! record and the reports.

pub mod admin;
pub mod api;
pub mod assets;
pub mod audit_view;
pub mod auth;
pub mod day;
pub mod form;
pub mod health;
pub mod i18n;
pub mod lang;
pub mod logging;
pub mod offline;
pub mod pages;
pub mod person;
pub mod referrals;
pub mod reports;
pub mod review;
pub mod routes;
pub mod server;
pub mod targets;
pub mod upload;

use axum::Router;
use store::Store;

/// What every handler can reach. Cheap to clone (the store is a pool).
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` (the server is reached over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
}

/// Every feature's routes, in one table (see [`routes`]).
pub fn route_table() -> routes::Routes {
    let r = routes::Routes::default();
    let r = health::routes(r);
    let r = pages::routes(r);
    let r = auth::routes(r);
    let r = lang::routes(r);
    let r = day::pages::routes(r);
    let r = api::routes(r);
    let r = admin::routes(r);
    let r = review::routes(r);
    let r = offline::routes(r);
    let r = person::routes(r);
    let r = referrals::routes(r);
    let r = reports::routes(r);
    let r = targets::routes(r);
    let r = upload::routes(r);
    let r = audit_view::routes(r);
    assets::routes(r)
}

/// The whole app: the route table, the state in each request (for the access check), and
/// request logging around it all.
pub fn router(state: AppState) -> Router {
    route_table()
        .into_router()
        .fallback(pages::not_found)
        .layer(axum::Extension(state.clone()))
        // Pages, cut-point tables and scripts travel compressed (gzip or brotli): a first
        // load stays far under 150 KB on a 2G connection.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(logging::layer())
        .with_state(state)
}
