//! Static assets compiled into the binary (no front-end build step). Each is served under
//! a name carrying a hash of its content, so phones cache it for a year and a new release
//! is fetched at once.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};

use crate::routes::{Access, Routes};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: include_str!("../static/app.css"),
    },
    // Live classification: compares typed values with the page's cut-points (no maths).
    Asset {
        name: "classify.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../static/classify.js"),
    },
    // The offline service day: stores, shows and sends; no rule is applied here.
    Asset {
        name: "offline.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../static/offline.js"),
    },
    // Asks before a logout wipes captures not yet sent from the phone.
    Asset {
        name: "logout.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../static/logout.js"),
    },
    // Vendored, version and checksum in static/vendor/README.md.
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../static/vendor/htmx.min.js"),
    },
];

/// `name` → `/static/HASH/name`, the URL templates link to.
pub fn url(name: &str) -> String {
    static HASHES: OnceLock<Vec<String>> = OnceLock::new();
    let hashes = HASHES.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let digest = Sha256::digest(a.body.as_bytes());
                digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
            })
            .collect()
    });
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/static/{}/{name}", hashes[i]),
        None => format!("/static/missing/{name}"),
    }
}

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/static/{hash}/{name}",
        "/static/0/app.css",
        Access::Public,
        get(serve),
    )
}

async fn serve(Path((_hash, name)): Path<(String, String)>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendored_assets_match_their_checksums() {
        let readme = include_str!("../static/vendor/README.md");
        for a in ASSETS.iter().filter(|a| a.name.ends_with(".min.js")) {
            let hex: String = Sha256::digest(a.body.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let row = readme
                .lines()
                .find(|l| l.contains(&format!("`{}`", a.name)))
                .unwrap_or_default();
            assert!(
                row.contains(&hex),
                "{} has sha256 {hex}, not the one in the README",
                a.name
            );
        }
    }
}
