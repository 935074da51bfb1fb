//! Build the output object of rules.md §11.2 for one input line.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::anthro::Zscores;
use crate::catalogue::Action;
use crate::engine::{Screening, screen};
use crate::settings::Settings;

use super::input::{FieldError, MAX_ERRORS, ParsedLine, parse_line};

/// Only the z-scores WHO computed, in a fixed order.
#[derive(Debug, Default)]
pub struct ZscoresOut(Zscores);

impl ZscoresOut {
    /// The z-scores as computed (for pages that show them next to the findings).
    pub fn zscores(&self) -> &Zscores {
        &self.0
    }
}

impl Serialize for ZscoresOut {
    fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let named = self.0.named();
        let present = named.iter().filter(|(_, z, _)| z.is_some()).count();
        let mut map = ser.serialize_map(Some(present))?;
        for (name, z, _) in named {
            if let Some(z) = z {
                map.serialize_entry(name, &z.z)?;
            }
        }
        map.end()
    }
}

#[derive(Debug, Serialize)]
pub struct FindingOut {
    pub code: &'static str,
    pub action: Action,
}

#[derive(Clone, Debug, Serialize)]
pub struct ImmunizationOut {
    pub due: Vec<&'static str>,
    pub overdue: Vec<&'static str>,
    pub idl_complete: bool,
    pub baduta_complete: bool,
}

/// One output line (rules.md §11.2).
#[derive(Debug, Serialize)]
pub struct OutputLine {
    pub id: Option<String>,
    pub age_days: Option<i64>,
    pub age_months: Option<i64>,
    pub zscores: ZscoresOut,
    pub findings: Vec<FindingOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub immunization: Option<ImmunizationOut>,
    pub errors: Vec<FieldError>,
}

impl OutputLine {
    /// The answer to a line that is not a JSON object.
    pub fn not_an_object(error: FieldError) -> OutputLine {
        OutputLine {
            id: None,
            age_days: None,
            age_months: None,
            zscores: ZscoresOut::default(),
            findings: Vec::new(),
            immunization: None,
            errors: vec![error],
        }
    }

    pub fn to_json(&self) -> String {
        // Only strings, integers, booleans and finite floats: serialization cannot fail.
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(
                "{{\"id\":null,\"age_days\":null,\"age_months\":null,\"zscores\":{{}},\"findings\":[],\"errors\":[{{\"field\":\"$\",\"message\":{}}}]}}",
                serde_json::Value::String(format!("gagal menulis hasil: {e}"))
            )
        })
    }
}

/// Re-check requests for z-scores WHO flags as implausible (rules.md §11.4): one entry per
/// measurement, not repeating a field that already has an error.
fn implausible_errors(s: &Screening, errors: &mut Vec<FieldError>, omitted: &mut usize) {
    for (name, z, measurement) in s.zscores.named() {
        let Some(z) = z.filter(|z| z.implausible) else {
            continue;
        };
        let field = format!("measurements.{measurement}");
        if errors.iter().any(|e| e.field == field) {
            continue;
        }
        if errors.len() >= MAX_ERRORS {
            *omitted += 1;
            continue;
        }
        errors.push(FieldError::new(
            field,
            format!(
                "{name} = {} di luar batas wajar WHO; periksa dan ukur ulang {measurement}",
                z.z
            ),
        ));
    }
}

/// The kept errors, and one last `$` entry counting those left out.
fn with_omitted(mut errors: Vec<FieldError>, omitted: usize) -> Vec<FieldError> {
    if omitted > 0 {
        errors.push(FieldError::new(
            "$",
            format!("{omitted} kesalahan lain tidak dicantumkan (hanya {MAX_ERRORS} pertama)"),
        ));
    }
    errors
}

/// Screen an already parsed line.
pub fn screen_parsed(parsed: ParsedLine, settings: &Settings) -> OutputLine {
    let ParsedLine {
        id,
        visit,
        mut errors,
        errors_omitted: mut omitted,
    } = parsed;
    let screening = visit.as_ref().and_then(|v| screen(v, settings));
    let Some(s) = screening else {
        return OutputLine {
            id,
            age_days: None,
            age_months: None,
            zscores: ZscoresOut::default(),
            findings: Vec::new(),
            immunization: None,
            errors: with_omitted(errors, omitted),
        };
    };
    implausible_errors(&s, &mut errors, &mut omitted);
    let errors = with_omitted(errors, omitted);
    OutputLine {
        id,
        age_days: Some(s.age.days),
        age_months: Some(s.age.months),
        findings: s
            .findings
            .iter()
            .map(|r| FindingOut {
                code: r.code,
                action: r.action,
            })
            .collect(),
        immunization: s.immunization.map(|i| ImmunizationOut {
            due: i.due.iter().map(|v| v.code()).collect(),
            overdue: i.overdue.iter().map(|v| v.code()).collect(),
            idl_complete: i.idl_complete,
            baduta_complete: i.baduta_complete,
        }),
        zscores: ZscoresOut(s.zscores),
        errors,
    }
}

/// One JSON Lines input line in, one output line out (without the newline). Never fails:
/// a bad line or field becomes an `errors` entry.
pub fn screen_line(line: &str, settings: &Settings) -> String {
    match parse_line(line) {
        Ok(parsed) => screen_parsed(parsed, settings).to_json(),
        Err(e) => OutputLine::not_an_object(e).to_json(),
    }
}
