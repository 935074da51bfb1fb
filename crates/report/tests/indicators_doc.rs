//! `docs/INDICATORS.md` is generated from the code: this test fails when they differ.
//! Regenerate with `UPDATE_INDICATORS_MD=1 cargo test -p report --test indicators_doc`.
#![allow(clippy::unwrap_used)]

use report::monthly::doc::indicators_markdown;
use report::monthly::indicators::ALL;

#[test]
fn docs_indicators_md_is_generated_from_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/INDICATORS.md");
    let generated = indicators_markdown();
    if std::env::var_os("UPDATE_INDICATORS_MD").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "docs/INDICATORS.md is stale: run UPDATE_INDICATORS_MD=1 cargo test -p report --test indicators_doc"
    );
    for i in ALL.iter() {
        assert!(
            generated.contains(&format!("| `{}` |", i.code)),
            "{}",
            i.code
        );
    }
}
