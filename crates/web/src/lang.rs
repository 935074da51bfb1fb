//! Which language a request is answered in: the `lang` cookie (set by `/bahasa/{code}`),
//! else Bahasa Indonesia. The browser's Accept-Language is not used: most phones here are
//! set to English while their users read Indonesian best.

use axum::extract::{FromRequestParts, Path};
use axum::http::header::REFERER;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::i18n::{Lang, Tr};
use crate::routes::{Access, Routes};

pub const COOKIE: &str = "lang";

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = jar
            .get(COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
            .unwrap_or_default();
        Ok(Tr::new(lang))
    }
}

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/bahasa/{code}",
        "/bahasa/en",
        Access::Public,
        get(switch),
    )
}

/// Sets the language and goes back to the page the user came from (same site only).
async fn switch(Path(code): Path<String>, headers: HeaderMap, jar: CookieJar) -> impl IntoResponse {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let cookie = Cookie::build((COOKIE, lang.code()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(time_year());
    let back = headers
        .get(REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(same_site_path)
        .unwrap_or_else(|| "/".to_owned());
    (jar.add(cookie), Redirect::to(&back))
}

fn time_year() -> time::Duration {
    time::Duration::days(365)
}

/// The path (and query) of a Referer URL, so a redirect never leaves this site.
fn same_site_path(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let path = after_scheme.find('/').map(|i| &after_scheme[i..])?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn referer_paths_stay_on_site() {
        assert_eq!(
            same_site_path("http://127.0.0.1:8080/hari?x=1").as_deref(),
            Some("/hari?x=1")
        );
        assert_eq!(same_site_path("http://host").as_deref(), None);
        assert_eq!(
            same_site_path("http://host//evil.example/").as_deref(),
            None
        );
    }
}
