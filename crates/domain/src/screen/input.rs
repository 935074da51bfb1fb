//! Parse one JSON Lines input object into a [`Visit`], reporting every invalid field once
//! by its JSON path (rules.md §11.1, §11.3). An invalid value is treated as absent.

use serde::Serialize;
use serde_json::{Map, Value};
use time::Date;

use crate::age::{Age, parse_iso_date};
use crate::engine::MAX_AGE_YEARS;
use crate::questionnaires::Questionnaires;
use crate::visit::{Measurements, Sex, Visit};

use super::fast::{self, RawDose, RawWeighing};
use super::fast_fields::{self, RawMeasurements, RawQuestionnaires};
use super::{history, overflow, person_fields, questionnaire_fields};

/// At most this many `errors` entries per line; the rest are counted in one last entry, so
/// a line with a million bad entries still gets a short answer (issue 7 item 8).
pub const MAX_ERRORS: usize = 100;

/// One `errors` entry: the JSON path of the bad value and a Bahasa Indonesia message that
/// names the value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A parsed line: the id, the visit when both dates are valid, and the field errors (the
/// first [`MAX_ERRORS`], and how many more there were).
#[derive(Debug)]
pub struct ParsedLine {
    pub id: Option<String>,
    pub visit: Option<Visit>,
    pub errors: Vec<FieldError>,
    pub errors_omitted: usize,
}

/// The value as it appeared, for messages (`"abc"`, `-2`, `[1]`).
pub(super) fn shown(v: &Value) -> String {
    // Overflowing numbers are shown as written, before the cut (see `overflow`).
    let s = overflow::as_written(v.to_string());
    if s.len() > 60 {
        let cut = s.char_indices().nth(57).map_or(s.len(), |(i, _)| i);
        format!("{}…", &s[..cut])
    } else {
        s
    }
}

/// A JSON number that is an integer (no fractional part).
pub(super) fn as_integer(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.fract() == 0.0)
}

/// `obj[key]` with `null` read as absent.
pub(super) fn get<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

/// The errors of one line, capped at [`MAX_ERRORS`] kept entries.
#[derive(Default)]
pub(super) struct Errors {
    list: Vec<FieldError>,
    omitted: usize,
}

impl Errors {
    pub(super) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        if self.list.len() < MAX_ERRORS {
            self.list.push(FieldError::new(field, message));
        } else {
            self.omitted += 1;
        }
    }

    pub(super) fn missing(&mut self, field: &str) {
        self.add(field, format!("{field} wajib diisi; nilai tidak ada"));
    }
}

/// The known top-level values of a line, wherever they were read from.
struct Fields<'v, 'a> {
    id: Option<&'v Value>,
    sex: Option<&'v Value>,
    birth_date: Option<&'v Value>,
    visit_date: Option<&'v Value>,
    pregnancy: Option<&'v Value>,
    postpartum_days: Option<&'v Value>,
    measurements: Source<'v, RawMeasurements<'a>>,
    previous_weighings: Source<'v, [RawWeighing<'a>]>,
    immunizations: Source<'v, [RawDose<'a>]>,
    questionnaires: Source<'v, RawQuestionnaires>,
}

/// A field as a JSON value (reference path) or as typed values (fast path).
enum Source<'v, T: ?Sized> {
    Json(Option<&'v Value>),
    Typed(Option<&'v T>),
}

/// Parse one line. `Err` is the single `$` error for a line that is not a JSON object.
pub fn parse_line(line: &str) -> Result<ParsedLine, FieldError> {
    match parse_line_fast(line) {
        Some(parsed) => Ok(parsed),
        None => parse_line_reference(line),
    }
}

/// The fast path alone: typed, borrowed reading of a clean line. `None` when the line
/// needs the reference path (anything unusual, and every line with an error in its
/// measurements, histories or questionnaires).
pub fn parse_line_fast(line: &str) -> Option<ParsedLine> {
    let fast = fast::read(line)?;
    let fields = Fields {
        id: fast.id.as_ref(),
        sex: fast.sex.as_ref(),
        birth_date: fast.birth_date.as_ref(),
        visit_date: fast.visit_date.as_ref(),
        pregnancy: fast.pregnancy.as_ref(),
        postpartum_days: fast.postpartum_days.as_ref(),
        measurements: Source::Typed(fast.measurements.as_ref()),
        previous_weighings: Source::Typed(fast.previous_weighings.as_deref()),
        immunizations: Source::Typed(fast.immunizations.as_deref()),
        questionnaires: Source::Typed(fast.questionnaires.as_ref()),
    };
    parse_fields(&fields)
}

/// The reference path: the line as a `serde_json::Value`, every error reported.
/// [`parse_line`] gives the same answer, faster for clean histories.
pub fn parse_line_reference(line: &str) -> Result<ParsedLine, FieldError> {
    match serde_json::from_str::<Value>(line) {
        Ok(value) => parse_value(value),
        Err(e) => {
            let not_json = FieldError::new(
                "$",
                format!("baris bukan JSON yang sah ({e}): {}", shown_text(line)),
            );
            // A number too large for f64 is an error on its own field, not on the line.
            let Some(o) = overflow::substitute(line) else {
                return Err(not_json);
            };
            let Ok(value) = serde_json::from_str::<Value>(&o.text) else {
                return Err(not_json);
            };
            o.while_shown(|| parse_value(value))
        }
    }
}

/// The reference path on an already parsed line.
fn parse_value(value: Value) -> Result<ParsedLine, FieldError> {
    let Value::Object(obj) = value else {
        return Err(FieldError::new(
            "$",
            format!("baris harus berupa objek JSON; diterima: {}", shown(&value)),
        ));
    };
    let fields: Fields<'_, '_> = Fields {
        id: get(&obj, "id"),
        sex: get(&obj, "sex"),
        birth_date: get(&obj, "birth_date"),
        visit_date: get(&obj, "visit_date"),
        pregnancy: get(&obj, "pregnancy"),
        postpartum_days: get(&obj, "postpartum_days"),
        measurements: Source::Json(get(&obj, "measurements")),
        previous_weighings: Source::Json(get(&obj, "previous_weighings")),
        immunizations: Source::Json(get(&obj, "immunizations")),
        questionnaires: Source::Json(get(&obj, "questionnaires")),
    };
    // With JSON histories every problem becomes an error entry, so this always answers.
    Ok(parse_fields(&fields).unwrap_or_else(|| ParsedLine {
        id: None,
        visit: None,
        errors: vec![FieldError::new("$", "baris tidak dapat dibaca")],
        errors_omitted: 0,
    }))
}

/// Validate every field. `None` only when a typed (fast-path) history needs the reference
/// path to report its errors.
fn parse_fields(f: &Fields<'_, '_>) -> Option<ParsedLine> {
    let mut e = Errors::default();
    let id = match f.id {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(v) => {
            e.add(
                "id",
                format!("id harus teks yang tidak kosong; diterima: {}", shown(v)),
            );
            None
        }
        None => {
            e.missing("id");
            None
        }
    };
    let sex = match f.sex {
        Some(Value::String(s)) if s == "M" => Some(Sex::Male),
        Some(Value::String(s)) if s == "F" => Some(Sex::Female),
        Some(v) => {
            e.add(
                "sex",
                format!("sex harus \"M\" atau \"F\"; diterima: {}", shown(v)),
            );
            None
        }
        None => {
            e.missing("sex");
            None
        }
    };
    let birth = date_field(f.birth_date, "birth_date", &mut e);
    let visit = date_field(f.visit_date, "visit_date", &mut e);
    let age = match (birth, visit) {
        (Some(b), Some(v)) => match Age::at(b, v) {
            None => {
                e.add(
                    "visit_date",
                    format!("visit_date {v} lebih awal dari birth_date {b}"),
                );
                None
            }
            Some(a) if a.years > MAX_AGE_YEARS => {
                e.add(
                    "birth_date",
                    format!(
                        "umur {} tahun dari birth_date {b} melebihi {MAX_AGE_YEARS} tahun",
                        a.years
                    ),
                );
                None
            }
            Some(a) => Some(a),
        },
        _ => None,
    };
    let dates = age.and(birth.zip(visit));

    let pregnancy = f
        .pregnancy
        .and_then(|v| person_fields::pregnancy(v, sex, age, &mut e));
    let postpartum_days = f
        .postpartum_days
        .and_then(|v| person_fields::postpartum(v, sex, age, f.pregnancy.is_some(), &mut e));
    let measurements = match f.measurements {
        Source::Json(Some(v)) => person_fields::measurements(v, &mut e),
        Source::Json(None) | Source::Typed(None) => Measurements::default(),
        Source::Typed(Some(raw)) => fast_fields::measurements(raw)?,
    };
    let previous_weighings = match f.previous_weighings {
        Source::Json(v) => v.and_then(|v| history::weighings(v, birth, visit, &mut e)),
        Source::Typed(None) => None,
        Source::Typed(Some(raw)) => Some(history::fast_weighings(raw, birth, visit)?),
    };
    let immunizations = match f.immunizations {
        Source::Json(Some(v)) => history::doses(v, birth, visit, &mut e),
        Source::Json(None) | Source::Typed(None) => Vec::new(),
        Source::Typed(Some(raw)) => history::fast_doses(raw, birth, visit)?,
    };
    let questionnaires = match f.questionnaires {
        Source::Json(Some(v)) => questionnaire_fields::questionnaires(v, &mut e),
        Source::Json(None) | Source::Typed(None) => Questionnaires::default(),
        Source::Typed(Some(raw)) => fast_fields::questionnaires(raw)?,
    };

    let visit = dates.map(|(birth_date, visit_date)| Visit {
        sex,
        birth_date,
        visit_date,
        pregnancy,
        postpartum_days,
        measurements,
        previous_weighings,
        immunizations,
        questionnaires,
    });
    Some(ParsedLine {
        id,
        visit,
        errors: e.list,
        errors_omitted: e.omitted,
    })
}

fn shown_text(line: &str) -> String {
    shown(&Value::String(line.to_owned()))
}

pub(super) fn parse_date(v: &Value, field: &str, e: &mut Errors) -> Option<Date> {
    let parsed = v.as_str().and_then(parse_iso_date);
    if parsed.is_none() {
        e.add(
            field,
            format!(
                "{field} harus tanggal YYYY-MM-DD yang ada di kalender; diterima: {}",
                shown(v)
            ),
        );
    }
    parsed
}

fn date_field(v: Option<&Value>, key: &str, e: &mut Errors) -> Option<Date> {
    match v {
        Some(v) => parse_date(v, key, e),
        None => {
            e.missing(key);
            None
        }
    }
}

/// A number in `(0, max]`. The field path is only built for an error.
pub(super) fn positive_number(
    v: &Value,
    field: impl FnOnce() -> String,
    max: f64,
    e: &mut Errors,
) -> Option<f64> {
    match v.as_f64() {
        Some(x) if x > 0.0 && x <= max => Some(x),
        _ => {
            let field = field();
            e.add(
                &field,
                format!(
                    "{field} harus angka > 0 dan ≤ {max}; diterima: {}",
                    shown(v)
                ),
            );
            None
        }
    }
}

/// An integer in `[lo, hi]`.
pub(super) fn integer_in(v: &Value, field: &str, lo: f64, hi: f64, e: &mut Errors) -> Option<f64> {
    match as_integer(v) {
        Some(x) if (lo..=hi).contains(&x) => Some(x),
        _ => {
            e.add(
                field,
                format!(
                    "{field} harus bilangan bulat {lo}–{hi}; diterima: {}",
                    shown(v)
                ),
            );
            None
        }
    }
}
