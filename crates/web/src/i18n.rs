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
        let mut en = keys(Lang::En);
        let n = id.len();
        id.sort();
        id.dedup();
        assert_eq!(id.len(), n, "duplicate key in id.ftl");
        en.sort();
        assert_eq!(id, en, "id.ftl and en.ftl must have the same keys");
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
