//! The route table: every route of the app is added here with who may reach it, so the
//! access check cannot be forgotten in a handler and the authorization matrix test
//! (`tests/authz_matrix.rs`) can enumerate every route — one added later cannot escape it.

use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use store::Role;

use crate::AppState;
use crate::auth::CurrentUser;

/// Header set on the answers of the access check itself, so tests can tell them from a
/// handler's own answers.
pub const GUARD_HEADER: &str = "x-posyandu-guard";

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not (login page, health check, assets).
    Public,
    /// Any logged-in user; what they see is still scoped to their subtree by the store.
    LoggedIn,
    /// Logged-in users with one of these roles.
    Roles(&'static [Role]),
}

impl Access {
    /// Whether a user with `role` (None: not logged in) passes.
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::LoggedIn, Some(_)) => true,
            (Access::Roles(roles), Some(r)) => roles.contains(&r),
        }
    }
}

/// One route as the matrix test sees it.
#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    /// The axum path pattern.
    pub path: &'static str,
    /// A concrete URI for the pattern, for tests.
    pub example: &'static str,
    pub access: Access,
}

/// The table and the router built from it, together.
#[derive(Default)]
pub struct Routes {
    specs: Vec<RouteSpec>,
    router: Router<AppState>,
}

impl Routes {
    /// Adds `handler` for `method` on `path`, behind the access check.
    pub fn add(
        mut self,
        method: Method,
        path: &'static str,
        example: &'static str,
        access: Access,
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.specs.push(RouteSpec {
            method,
            path,
            example,
            access,
        });
        let guarded = match access {
            Access::Public => handler,
            _ => handler.route_layer(middleware::from_fn(move |req: Request, next: Next| {
                guard(access, req, next)
            })),
        };
        self.router = self.router.route(path, guarded);
        self
    }

    pub fn specs(&self) -> &[RouteSpec] {
        &self.specs
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

fn marked(mut res: Response, why: &'static str) -> Response {
    res.headers_mut()
        .insert(GUARD_HEADER, HeaderValue::from_static(why));
    res
}

/// Lets the request through when its user passes `access`; else the login redirect (401
/// under `/api/`) or 403. The user found is left in the request for the handler.
async fn guard(access: Access, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let Some(state) = parts.extensions.get::<AppState>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let user = match CurrentUser::from_request_parts(&mut parts, &state).await {
        Ok(u) => u,
        Err(no) => return marked(no.into_response(), "login"),
    };
    if !access.allows(Some(user.user().role)) {
        return marked(StatusCode::FORBIDDEN.into_response(), "role");
    }
    parts.extensions.insert(user);
    next.run(Request::from_parts(parts, body)).await
}
