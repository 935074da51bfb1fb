//! Tests that need PostgreSQL are marked ignored (so `cargo test` reports them as skipped,
//! not passed) when `POSYANDU_TEST_PG_URL` is unset at build time; `.ci/run` always sets it.
fn main() {
    println!("cargo::rerun-if-env-changed=POSYANDU_TEST_PG_URL");
    println!("cargo::rustc-check-cfg=cfg(no_pg_url)");
    if std::env::var_os("POSYANDU_TEST_PG_URL").is_none_or(|v| v.is_empty()) {
        println!("cargo::rustc-cfg=no_pg_url");
    }
}
