//! Validation of the person's own fields: measurements, pregnancy and postpartum days
//! (rules.md §11.3).

use serde_json::Value;

use crate::age::Age;
use crate::maternal::{KsprFactor, Pregnancy};
use crate::visit::{Measurements, Position, Sex};

use super::input::{Errors, as_integer, get, integer_in, positive_number, shown};

/// The measurement keys with their maxima (rules.md §11.3).
pub(super) const MEASUREMENT_MAX: [(&str, f64); 11] = [
    ("weight_kg", 300.0),
    ("lenhei_cm", 250.0),
    ("head_cm", 70.0),
    ("muac_cm", 60.0),
    ("waist_cm", 250.0),
    ("systolic", 300.0),
    ("diastolic", 200.0),
    ("glucose_random", 1000.0),
    ("glucose_fasting", 1000.0),
    ("cholesterol", 1000.0),
    ("hb", 25.0),
];

pub(super) fn measurements(v: &Value, e: &mut Errors) -> Measurements {
    let mut m = Measurements::default();
    let Value::Object(obj) = v else {
        e.add(
            "measurements",
            format!("measurements harus berupa objek; diterima: {}", shown(v)),
        );
        return m;
    };
    for (key, val) in obj {
        if val.is_null() {
            continue;
        }
        let field = || format!("measurements.{key}");
        if let Some(&(_, max)) = MEASUREMENT_MAX.iter().find(|(k, _)| k == key) {
            let x = positive_number(val, field, max, e);
            let slot = match key.as_str() {
                "weight_kg" => &mut m.weight_kg,
                "lenhei_cm" => &mut m.lenhei_cm,
                "head_cm" => &mut m.head_cm,
                "muac_cm" => &mut m.muac_cm,
                "waist_cm" => &mut m.waist_cm,
                "systolic" => &mut m.systolic,
                "diastolic" => &mut m.diastolic,
                "glucose_random" => &mut m.glucose_random,
                "glucose_fasting" => &mut m.glucose_fasting,
                "cholesterol" => &mut m.cholesterol,
                _ => &mut m.hb,
            };
            *slot = x;
            continue;
        }
        match key.as_str() {
            "measure" => {
                m.measure = match val.as_str().map(str::to_ascii_lowercase).as_deref() {
                    Some("l") => Some(Position::Lying),
                    Some("h") => Some(Position::Standing),
                    _ => {
                        e.add(
                            field(),
                            format!("measure harus \"l\" atau \"h\"; diterima: {}", shown(val)),
                        );
                        None
                    }
                }
            }
            "oedema" => match val {
                Value::Bool(b) => m.oedema = *b,
                _ => e.add(
                    field(),
                    format!("oedema harus true atau false; diterima: {}", shown(val)),
                ),
            },
            _ => e.add(
                field(),
                format!("kolom tidak dikenal di measurements: {key}"),
            ),
        }
    }
    if let (Some(s), Some(d)) = (m.systolic, m.diastolic)
        && d >= s
    {
        e.add(
            "measurements.diastolic",
            format!("diastolic {d} harus lebih kecil dari systolic {s}; keduanya diabaikan"),
        );
        m.systolic = None;
        m.diastolic = None;
    }
    m
}

pub(super) fn pregnancy(
    v: &Value,
    sex: Option<Sex>,
    age: Option<Age>,
    e: &mut Errors,
) -> Option<Pregnancy> {
    let Value::Object(obj) = v else {
        e.add(
            "pregnancy",
            format!("pregnancy harus berupa objek; diterima: {}", shown(v)),
        );
        return None;
    };
    if sex != Some(Sex::Female) {
        e.add(
            "pregnancy",
            "pregnancy hanya untuk sex \"F\"; data kehamilan diabaikan",
        );
        return None;
    }
    if let Some(a) = age
        && a.years < 10
    {
        e.add(
            "pregnancy",
            format!(
                "pregnancy untuk umur {} tahun (< 10 tahun) diabaikan",
                a.years
            ),
        );
        return None;
    }
    let mut p = Pregnancy::default();
    for (key, val) in obj {
        if val.is_null()
            || matches!(
                key.as_str(),
                "gestational_weeks" | "anc_visits" | "kspr_factors"
            )
        {
            continue;
        }
        e.add(
            format!("pregnancy.{key}"),
            format!("kolom tidak dikenal di pregnancy: {key}"),
        );
    }
    p.gestational_weeks = match get(obj, "gestational_weeks") {
        Some(val) => match val.as_f64() {
            Some(w) if (1.0..=45.0).contains(&w) => Some(w),
            _ => {
                e.add(
                    "pregnancy.gestational_weeks",
                    format!(
                        "gestational_weeks harus angka 1–45; diterima: {}",
                        shown(val)
                    ),
                );
                None
            }
        },
        None => {
            e.missing("pregnancy.gestational_weeks");
            None
        }
    };
    p.anc_visits = get(obj, "anc_visits")
        .and_then(|val| integer_in(val, "pregnancy.anc_visits", 0.0, 20.0, e))
        .map(|x| x as u32);
    p.kspr_factors = get(obj, "kspr_factors").and_then(|val| kspr_factors(val, e));
    Some(p)
}

fn kspr_factors(v: &Value, e: &mut Errors) -> Option<Vec<KsprFactor>> {
    let Value::Array(items) = v else {
        e.add(
            "pregnancy.kspr_factors",
            format!(
                "kspr_factors harus berupa daftar kode; diterima: {}",
                shown(v)
            ),
        );
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match item.as_str().and_then(KsprFactor::from_code) {
            Some(f) => out.push(f),
            None => {
                ok = false;
                e.add(
                    format!("pregnancy.kspr_factors[{i}]"),
                    format!("faktor risiko KSPR tidak dikenal: {}", shown(item)),
                );
            }
        }
    }
    ok.then_some(out)
}

pub(super) fn postpartum(
    v: &Value,
    sex: Option<Sex>,
    age: Option<Age>,
    has_pregnancy: bool,
    e: &mut Errors,
) -> Option<u32> {
    let field = "postpartum_days";
    let Some(days) = as_integer(v).filter(|d| *d >= 0.0) else {
        e.add(
            field,
            format!(
                "postpartum_days harus bilangan bulat ≥ 0; diterima: {}",
                shown(v)
            ),
        );
        return None;
    };
    if sex != Some(Sex::Female) {
        e.add(field, "postpartum_days hanya untuk sex \"F\"; diabaikan");
        return None;
    }
    if let Some(a) = age
        && a.years < 10
    {
        e.add(
            field,
            format!(
                "postpartum_days untuk umur {} tahun (< 10 tahun) diabaikan",
                a.years
            ),
        );
        return None;
    }
    if has_pregnancy {
        e.add(
            field,
            format!("postpartum_days {days} tidak boleh diisi bersama pregnancy; diabaikan"),
        );
        return None;
    }
    Some(days.min(f64::from(u32::MAX)) as u32)
}
