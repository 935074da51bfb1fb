//! `docs/RULES.md` is generated from the code: this test fails when they differ.
//! Regenerate with `UPDATE_RULES_MD=1 cargo test -p domain --test rules_doc`.
#![allow(clippy::unwrap_used)]

use domain::catalogue::ALL;
use domain::rules_doc::rules_markdown;

#[test]
fn docs_rules_md_is_generated_from_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/RULES.md");
    let generated = rules_markdown();
    if std::env::var_os("UPDATE_RULES_MD").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap();
    assert!(
        on_disk == generated,
        "docs/RULES.md is stale: run UPDATE_RULES_MD=1 cargo test -p domain --test rules_doc"
    );
    for rule in ALL {
        assert!(
            generated.contains(&format!("| `{}` |", rule.code)),
            "{}",
            rule.code
        );
    }
}
