//! `GET /healthz`: 200 "ok" when the database answers, 503 otherwise, so a supervisor or
//! load balancer can tell a live server from one whose database is gone.

use axum::extract::State;
use axum::http::Method;
use axum::http::StatusCode;
use axum::routing::get;

use crate::AppState;
use crate::routes::{Access, Routes};

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/healthz",
        "/healthz",
        Access::Public,
        get(healthz),
    )
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::warn!(error = %e, "healthz: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
