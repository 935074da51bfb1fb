//! Validation of the questionnaires (rules.md §11.3): an invalid questionnaire is ignored
//! as a whole and reported under `questionnaires.<name>`.

use serde_json::Value;

use crate::questionnaires::{Puma, Questionnaires, Skilas, TbSymptoms};

use super::input::{Errors, integer_in, shown};

pub(super) fn questionnaires(v: &Value, e: &mut Errors) -> Questionnaires {
    let mut q = Questionnaires::default();
    let Value::Object(obj) = v else {
        e.add(
            "questionnaires",
            format!("questionnaires harus berupa objek; diterima: {}", shown(v)),
        );
        return q;
    };
    for (key, val) in obj {
        if val.is_null() {
            continue;
        }
        let field = format!("questionnaires.{key}");
        match key.as_str() {
            "srq20" => q.srq20 = srq20(val, &field, e),
            "puma" => q.puma = puma(val, &field, e),
            "barthel" => q.barthel = integer_in(val, &field, 0.0, 20.0, e).map(|x| x as u8),
            "skilas" => {
                q.skilas = flags(val, &field, &Skilas::DOMAINS, e).map(|pairs| {
                    let mut s = Skilas::default();
                    for (k, b) in pairs {
                        s.set(k, b);
                    }
                    s
                })
            }
            "tb_symptoms" => {
                q.tb_symptoms = flags(val, &field, &TbSymptoms::KEYS, e).map(|pairs| {
                    let mut t = TbSymptoms::default();
                    for (k, b) in pairs {
                        t.set(k, b);
                    }
                    t
                })
            }
            "vision_fingers_wrong" => {
                q.vision_fingers_wrong = integer_in(val, &field, 0.0, 5.0, e).map(|x| x as u8)
            }
            _ => e.add(field, format!("kuesioner tidak dikenal: {key}")),
        }
    }
    q
}

fn srq20(v: &Value, field: &str, e: &mut Errors) -> Option<[bool; 20]> {
    let parsed = v.as_array().filter(|a| a.len() == 20).and_then(|a| {
        let mut out = [false; 20];
        for (slot, item) in out.iter_mut().zip(a) {
            *slot = item.as_bool()?;
        }
        Some(out)
    });
    if parsed.is_none() {
        e.add(
            field,
            format!(
                "srq20 harus daftar tepat 20 nilai true/false; diterima: {}",
                shown(v)
            ),
        );
    }
    parsed
}

fn puma(v: &Value, field: &str, e: &mut Errors) -> Option<Puma> {
    let parsed = v.as_object().and_then(|o| {
        let b = |k: &str| o.get(k).and_then(Value::as_bool);
        Some(Puma {
            pack_years: o
                .get("pack_years")
                .and_then(Value::as_f64)
                .filter(|p| (0.0..=200.0).contains(p))?,
            breathless: b("breathless")?,
            phlegm: b("phlegm")?,
            cough: b("cough")?,
            spirometry: b("spirometry")?,
        })
    });
    if parsed.is_none() {
        e.add(
            field,
            format!(
                "puma harus objek dengan pack_years (0–200) dan breathless, phlegm, cough, spirometry (true/false); diterima: {}",
                shown(v)
            ),
        );
    }
    parsed
}

/// An object of booleans whose keys are among `keys` (null = absent = false).
fn flags<'k>(
    v: &Value,
    field: &str,
    keys: &'k [&'static str],
    e: &mut Errors,
) -> Option<Vec<(&'k str, bool)>> {
    let Value::Object(obj) = v else {
        e.add(
            field,
            format!("{field} harus berupa objek; diterima: {}", shown(v)),
        );
        return None;
    };
    let mut out = Vec::with_capacity(obj.len());
    for (k, val) in obj {
        if val.is_null() {
            continue;
        }
        let Some(key) = keys.iter().find(|&&x| x == k) else {
            e.add(format!("{field}.{k}"), format!("kolom tidak dikenal: {k}"));
            return None;
        };
        let Some(b) = val.as_bool() else {
            e.add(
                format!("{field}.{k}"),
                format!("{k} harus true atau false; diterima: {}", shown(val)),
            );
            return None;
        };
        out.push((*key, b));
    }
    Some(out)
}
