//! Reading what a person typed: numbers with a decimal comma or point, dates, ids. Errors
//! name the field and the value; the page shows them in the user's language.

use serde::Serialize;
use time::Date;

/// One bad input: the field (as named in the form and the API), what was sent, and the
/// i18n key of the reason (rendered by the page or the API in the user's language).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub value: String,
    /// i18n key, e.g. `err-number`.
    pub reason: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, value: impl Into<String>, reason: &'static str) -> Self {
        Self {
            field: field.into(),
            value: value.into(),
            reason,
        }
    }

    /// The message in `lang`: "Berat badan: "9,4,1" bukan angka".
    pub fn message(&self, t: crate::i18n::Tr) -> String {
        // `readings.weight_kg` is labelled as `weight_kg`.
        let name = self.field.rsplit('.').next().unwrap_or(&self.field);
        let label = t.t(&format!("field-{name}"));
        crate::i18n::format(
            t.lang,
            self.reason,
            &[("field", label.as_str()), ("value", self.value.as_str())],
        )
    }
}

/// A decimal number as Indonesians type it: `9,4` or `9.4`; blank is `None`. No thousands
/// separators (a weight never needs one, and `1.250` would be ambiguous).
pub fn decimal(field: &str, text: &str) -> Result<Option<f64>, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let normal = t.replace(',', ".");
    let ok = normal.chars().all(|c| c.is_ascii_digit() || c == '.')
        && normal.matches('.').count() <= 1
        && normal.chars().any(|c| c.is_ascii_digit());
    match normal.parse::<f64>() {
        Ok(v) if ok && v.is_finite() => Ok(Some(v)),
        _ => Err(FieldError::new(field, t, "err-number")),
    }
}

/// A whole number; blank is `None`.
pub fn whole(field: &str, text: &str) -> Result<Option<i64>, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .map(Some)
        .map_err(|_| FieldError::new(field, t, "err-whole"))
}

/// An ISO date (`2026-08-10`, what `<input type=date>` sends); blank is `None`.
pub fn date(field: &str, text: &str) -> Result<Option<Date>, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    domain::age::parse_iso_date(t)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, t, "err-date"))
}

/// A required text field, trimmed.
pub fn required(field: &str, text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        Err(FieldError::new(field, "", "err-required"))
    } else {
        Ok(t.to_owned())
    }
}

/// Blank is `None`, anything else trimmed.
pub fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The name, sex (`L`/`P`) and birth date every person form asks, each checked; every
/// bad field is collected into `errors` (so a form shows them all at once).
pub fn person_core(
    name: &str,
    sex: &str,
    birth_date: &str,
    errors: &mut Vec<FieldError>,
) -> Option<(String, store::Sex, Date)> {
    let name = required("name", name).map_err(|e| errors.push(e)).ok();
    let sex = match sex {
        "L" => Some(store::Sex::Male),
        "P" => Some(store::Sex::Female),
        other => {
            errors.push(FieldError::new("sex", other, "err-required"));
            None
        }
    };
    let birth = match date("birth_date", birth_date) {
        Ok(Some(b)) => Some(b),
        Ok(None) => {
            errors.push(FieldError::new("birth_date", "", "err-required"));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    Some((name?, sex?, birth?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_comma_and_point() {
        assert_eq!(decimal("w", "9,4"), Ok(Some(9.4)));
        assert_eq!(decimal("w", " 9.4 "), Ok(Some(9.4)));
        assert_eq!(decimal("w", "12"), Ok(Some(12.0)));
        assert_eq!(decimal("w", ""), Ok(None));
        for bad in ["9,4,1", "abc", "-3", "1e3", ",", "9 4", "inf", "NaN"] {
            let e = decimal("weight_kg", bad).unwrap_err();
            assert_eq!((e.field.as_str(), e.value.as_str()), ("weight_kg", bad));
        }
    }

    #[test]
    fn dates_and_whole_numbers() {
        assert!(date("d", "2026-02-30").is_err());
        assert_eq!(date("d", ""), Ok(None));
        assert_eq!(whole("n", "30"), Ok(Some(30)));
        assert!(whole("n", "3,5").is_err());
        assert!(required("name", "  ").is_err());
    }
}
