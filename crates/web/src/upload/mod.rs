//! Register upload (issue 10 item 6): `/unggah` takes a register file — CSV or XLSX, the
//! project's register layout or e-PPGBM's export — and shows what importing it would do
//! before anything is stored: rows new, already stored and bad, every bad row named by line,
//! column and value with the reason. **Simpan** then imports the kept upload through the
//! same `exchange::import` as `posyandu import`, as the user (every write audited by the
//! store), scoped to the user's subtree: a row for a posyandu elsewhere is a bad row.

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, post};
use store::Role;

use crate::routes::{Access, Routes};

mod pages;
mod stash;
mod view;

/// Who may upload registers: the village midwife, the Puskesmas officer (the nutrition
/// officer who today re-types posyandu registers into e-PPGBM) and the Dinkes, each for
/// their own subtree — the same roles that export e-PPGBM (`crate::review::REVIEWERS`).
pub const UPLOADERS: &[Role] = crate::review::REVIEWERS;

/// The largest file taken: about 50,000 register rows as CSV.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

pub fn routes(r: Routes) -> Routes {
    let who = Access::Roles(UPLOADERS);
    r.add(Method::GET, "/unggah", "/unggah", who, get(pages::form))
        .add(
            Method::POST,
            "/unggah",
            "/unggah",
            who,
            // Room for the form's other fields; the file itself is cut at MAX_BYTES.
            post(pages::preview).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        )
        .add(
            Method::POST,
            "/unggah/simpan",
            "/unggah/simpan",
            who,
            post(pages::confirm),
        )
}
