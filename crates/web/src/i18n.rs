//! User-facing text in Bahasa Indonesia (default) and English, from Fluent files
//! (`locales/id.ftl`, `locales/en.ftl`) compiled into the binary.
//!
//! Every key must exist in both languages: a test checks the two files have the same keys,
//! and a missing key renders as the key itself (visible in a screenshot, never a panic).

use std::collections::HashMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the app speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// The BCP 47 tag, for `<html lang>` and the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// `id`/`en` (also `id-ID`, `en-US`, …); anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.trim().split(['-', '_']).next().unwrap_or_default();
        match base.to_ascii_lowercase().as_str() {
            "id" | "in" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Id => include_str!("../locales/id.ftl"),
            Lang::En => include_str!("../locales/en.ftl"),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static HashMap<Lang, Bundle> {
    static BUNDLES: OnceLock<HashMap<Lang, Bundle>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&lang| {
                let tag: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = Bundle::new_concurrent(vec![tag]);
                // No Unicode isolation marks: the text goes into HTML, not bidi contexts.
                bundle.set_use_isolating(false);
                let res = match FluentResource::try_new(lang.source().to_owned()) {
                    Ok(r) => r,
                    // A syntax error keeps the entries that parsed; the key test catches it.
                    Err((r, _)) => r,
                };
                // Duplicate keys are reported by the key test; the first one wins here.
                let _ = bundle.add_resource(res);
                (lang, bundle)
            })
            .collect()
    })
}

/// The text of `key` in `lang`; the key itself when missing.
pub fn text(lang: Lang, key: &str) -> String {
    format(lang, key, &[])
}

/// The text of `key` with named arguments (`{ $name }` in the Fluent file).
pub fn format(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let Some(bundle) = bundles().get(&lang) else {
        return key.to_owned();
    };
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, FluentValue::from(*value));
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

/// Prefix of the English rule labels in `en.ftl` (`finding-<code>`). Indonesian has none:
/// the domain catalogue's `label` is its one source.
pub const RULE_LABEL_PREFIX: &str = "finding-";

/// A catalogue rule's label in `lang`: Bahasa Indonesia from the domain catalogue, English
/// from `finding-<code>`. A missing English label falls back to the Indonesian one (still
/// readable; the catalogue test catches it).
pub fn rule_label(lang: Lang, rule: &domain::catalogue::Rule) -> String {
    match lang {
        Lang::Id => rule.label.to_owned(),
        Lang::En => {
            let key = format!("{RULE_LABEL_PREFIX}{}", rule.code);
            let known = bundles()
                .get(&lang)
                .is_some_and(|b| b.get_message(&key).and_then(|m| m.value()).is_some());
            if known {
                text(lang, &key)
            } else {
                rule.label.to_owned()
            }
        }
    }
}

/// Keys of one language's file, for the completeness test.
pub fn keys(lang: Lang) -> Vec<String> {
    let res = match FluentResource::try_new(lang.source().to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// A translator bound to one language, handed to templates as `t`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }
    /// `{{ t.t("key") }}` in a template.
    pub fn t(&self, key: &str) -> String {
        text(self.lang, key)
    }
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
    /// A catalogue rule's label in this language (see [`rule_label`]).
    pub fn rule(&self, rule: &domain::catalogue::Rule) -> String {
        rule_label(self.lang, rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys_and_parse() {
        for lang in Lang::ALL {
            assert!(
                FluentResource::try_new(lang.source().to_owned()).is_ok(),
                "{lang:?}.ftl has a syntax error"
            );
        }
        let mut id = keys(Lang::Id);
        // English rule labels have no Indonesian twin: the domain catalogue is its source.
        let mut en: Vec<String> = keys(Lang::En)
            .into_iter()
            .filter(|k| !k.starts_with(RULE_LABEL_PREFIX))
            .collect();
        assert!(
            !id.iter().any(|k| k.starts_with(RULE_LABEL_PREFIX)),
            "id.ftl must not copy the catalogue's labels"
        );
        let n = id.len();
        id.sort();
        id.dedup();
        assert_eq!(id.len(), n, "duplicate key in id.ftl");
        en.sort();
        assert_eq!(id, en, "id.ftl and en.ftl must have the same keys");
    }

    #[test]
    fn every_catalogue_rule_has_an_english_label_and_no_other() {
        let en = keys(Lang::En);
        let labels: Vec<&str> = en
            .iter()
            .filter_map(|k| k.strip_prefix(RULE_LABEL_PREFIX))
            .collect();
        let mut missing = Vec::new();
        for rule in domain::catalogue::ALL {
            if !labels.contains(&rule.code) {
                missing.push(rule.code);
            }
            let label = rule_label(Lang::En, rule);
            assert!(
                !label.trim().is_empty() && label != rule.label,
                "{}: English label {label:?} is empty or the Indonesian one",
                rule.code
            );
        }
        assert!(
            missing.is_empty(),
            "en.ftl lacks finding-<code> for {missing:?}"
        );
        let unknown: Vec<&&str> = labels
            .iter()
            .filter(|c| domain::catalogue::by_code(c).is_none())
            .collect();
        assert!(
            unknown.is_empty(),
            "en.ftl has labels of no rule: {unknown:?}"
        );
        let mut sorted = labels.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            labels.len(),
            "duplicate finding- key in en.ftl"
        );
    }

    #[test]
    fn rule_label_follows_the_language() {
        let rule = &domain::catalogue::LFA_STUNTED;
        assert_eq!(rule_label(Lang::Id, rule), "Pendek (stunting)");
        assert_eq!(rule_label(Lang::En, rule), "Stunted");
        assert_eq!(Tr::new(Lang::En).rule(rule), "Stunted");
    }

    #[test]
    fn text_and_fallback() {
        assert_eq!(text(Lang::Id, "app-name"), "Posyandu");
        assert_ne!(text(Lang::Id, "healthz-ok"), text(Lang::En, "healthz-ok"));
        assert_eq!(text(Lang::En, "no-such-key"), "no-such-key");
        assert_eq!(Lang::from_code("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_code("id-ID"), Some(Lang::Id));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
