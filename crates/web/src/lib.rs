//! The posyandu web app: one axum [`Router`] split by feature, over the same library
//! functions the CLI uses (`store`, `domain`). Handlers stay thin: they parse the request,
//! call a library function and render its answer.
//!
//! Features live in their own modules: [`health`] (liveness and readiness), and, as they
//! are built, accounts, the service day, the person record and the JSON API.

pub mod assets;
pub mod auth;
pub mod health;
pub mod i18n;
pub mod lang;
pub mod logging;
pub mod pages;
pub mod server;

use axum::Router;
use store::Store;

/// What every handler can reach. Cheap to clone (the store is a pool).
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` (the server is reached over HTTPS, e.g. behind a proxy).
    pub secure_cookies: bool,
}

/// The whole app: every feature's routes, with request logging around them.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::routes())
        .merge(pages::routes())
        .merge(auth::routes())
        .merge(lang::routes())
        .merge(assets::routes())
        .fallback(pages::not_found)
        .layer(logging::layer())
        .with_state(state)
}
