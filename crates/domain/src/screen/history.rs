//! Validation of the history arrays: earlier weighings (one bad entry voids the list) and
//! immunization doses (a bad entry is dropped alone), rules.md §11.3.

use serde_json::Value;
use time::Date;

use crate::age::parse_iso_date;
use crate::immunization::{Dose, Vaccine};
use crate::visit::Weighing;

use super::fast::{RawDose, RawWeighing};
use super::input::{Errors, get, parse_date, positive_number, shown};

/// A date within `[birth, visit]` (or `[birth, visit)` when `before_visit`).
fn dated_entry(
    v: Option<&Value>,
    field: &str,
    birth: Option<Date>,
    visit: Option<Date>,
    before_visit: bool,
    e: &mut Errors,
) -> Option<Date> {
    let Some(v) = v else {
        e.missing(field);
        return None;
    };
    let d = parse_date(v, field, e)?;
    if birth.is_some_and(|b| d < b) {
        e.add(field, format!("{field} {d} sebelum tanggal lahir"));
        return None;
    }
    if let Some(visit) = visit
        && (d > visit || (before_visit && d == visit))
    {
        let rel = if before_visit {
            "harus sebelum"
        } else {
            "melewati"
        };
        e.add(field, format!("{field} {d} {rel} visit_date {visit}"));
        return None;
    }
    Some(d)
}

/// Whether `d` lies in `[birth, visit]` (`[birth, visit)` when `before_visit`).
fn in_range(d: Date, birth: Option<Date>, visit: Option<Date>, before_visit: bool) -> bool {
    birth.is_none_or(|b| d >= b) && visit.is_none_or(|v| if before_visit { d < v } else { d <= v })
}

/// A valid weighing without building any error path (the common case, kept cheap).
fn clean_weighing(item: &Value, birth: Option<Date>, visit: Option<Date>) -> Option<Weighing> {
    let obj = item.as_object()?;
    let date = parse_iso_date(get(obj, "date")?.as_str()?)?;
    let weight_kg = get(obj, "weight_kg")?.as_f64()?;
    (in_range(date, birth, visit, true) && weight_kg > 0.0 && weight_kg <= 300.0)
        .then_some(Weighing { date, weight_kg })
}

/// A valid dose without building any error path.
fn clean_dose(item: &Value, birth: Option<Date>, visit: Option<Date>) -> Option<Dose> {
    let obj = item.as_object()?;
    let vaccine = Vaccine::from_code(get(obj, "vaccine")?.as_str()?)?;
    let date = parse_iso_date(get(obj, "date")?.as_str()?)?;
    in_range(date, birth, visit, false).then_some(Dose { vaccine, date })
}

pub(super) fn weighings(
    v: &Value,
    birth: Option<Date>,
    visit: Option<Date>,
    e: &mut Errors,
) -> Option<Vec<Weighing>> {
    let Value::Array(items) = v else {
        e.add(
            "previous_weighings",
            format!(
                "previous_weighings harus berupa daftar; diterima: {}",
                shown(v)
            ),
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        if let Some(w) = clean_weighing(item, birth, visit) {
            out.push(w);
            continue;
        }
        let base = format!("previous_weighings[{i}]");
        let Value::Object(obj) = item else {
            e.add(
                base,
                format!(
                    "penimbangan harus objek {{date, weight_kg}}; diterima: {}",
                    shown(item)
                ),
            );
            ok = false;
            continue;
        };
        let date = dated_entry(
            get(obj, "date"),
            &format!("{base}.date"),
            birth,
            visit,
            true,
            e,
        );
        let field = format!("{base}.weight_kg");
        let weight = match get(obj, "weight_kg") {
            Some(w) => positive_number(w, || field.clone(), 300.0, e),
            None => {
                e.missing(&field);
                None
            }
        };
        match (date, weight) {
            (Some(date), Some(weight_kg)) => out.push(Weighing { date, weight_kg }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

pub(super) fn doses(
    v: &Value,
    birth: Option<Date>,
    visit: Option<Date>,
    e: &mut Errors,
) -> Vec<Dose> {
    let Value::Array(items) = v else {
        e.add(
            "immunizations",
            format!("immunizations harus berupa daftar; diterima: {}", shown(v)),
        );
        return Vec::new();
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(d) = clean_dose(item, birth, visit) {
            out.push(d);
            continue;
        }
        let base = format!("immunizations[{i}]");
        let Value::Object(obj) = item else {
            e.add(
                base,
                format!(
                    "imunisasi harus objek {{vaccine, date}}; diterima: {}",
                    shown(item)
                ),
            );
            continue;
        };
        let field = format!("{base}.vaccine");
        let vaccine = match get(obj, "vaccine") {
            Some(val) => {
                let v = val.as_str().and_then(Vaccine::from_code);
                if v.is_none() {
                    e.add(field, format!("kode vaksin tidak dikenal: {}", shown(val)));
                }
                v
            }
            None => {
                e.missing(&field);
                None
            }
        };
        let date = dated_entry(
            get(obj, "date"),
            &format!("{base}.date"),
            birth,
            visit,
            false,
            e,
        );
        if let (Some(vaccine), Some(date)) = (vaccine, date) {
            out.push(Dose { vaccine, date });
        }
    }
    out
}

/// Clean typed weighings from the fast path, or `None` if any entry fails validation.
pub(super) fn fast_weighings(
    raw: &[RawWeighing<'_>],
    birth: Option<Date>,
    visit: Option<Date>,
) -> Option<Vec<Weighing>> {
    raw.iter()
        .map(|r| {
            let date = parse_iso_date(r.date)?;
            (in_range(date, birth, visit, true) && r.weight_kg > 0.0 && r.weight_kg <= 300.0)
                .then_some(Weighing {
                    date,
                    weight_kg: r.weight_kg,
                })
        })
        .collect()
}

/// Clean typed doses from the fast path, or `None` if any entry fails validation.
pub(super) fn fast_doses(
    raw: &[RawDose<'_>],
    birth: Option<Date>,
    visit: Option<Date>,
) -> Option<Vec<Dose>> {
    raw.iter()
        .map(|r| {
            let vaccine = Vaccine::from_code(r.vaccine)?;
            let date = parse_iso_date(r.date)?;
            in_range(date, birth, visit, false).then_some(Dose { vaccine, date })
        })
        .collect()
}
