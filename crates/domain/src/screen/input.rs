//! Parse one JSON Lines input object into a [`Visit`], reporting every invalid field once
//! by its JSON path (rules.md §11.1, §11.3). An invalid value is treated as absent.

use serde::Serialize;
use serde_json::{Map, Value};
use time::Date;

use crate::age::{Age, parse_iso_date};
use crate::engine::MAX_AGE_YEARS;
use crate::immunization::{Dose, Vaccine};
use crate::maternal::{KsprFactor, Pregnancy};
use crate::questionnaires::{Puma, Questionnaires, Skilas, TbSymptoms};
use crate::visit::{Measurements, Position, Sex, Visit, Weighing};

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

/// A parsed line: the id, the visit when both dates are valid, and the field errors.
#[derive(Debug)]
pub struct ParsedLine {
    pub id: Option<String>,
    pub visit: Option<Visit>,
    pub errors: Vec<FieldError>,
}

/// The measurement keys with their maxima (rules.md §11.3).
const MEASUREMENT_MAX: [(&str, f64); 11] = [
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

/// The value as it appeared, for messages (`"abc"`, `-2`, `[1]`).
fn shown(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        let cut = s.char_indices().nth(57).map_or(s.len(), |(i, _)| i);
        format!("{}…", &s[..cut])
    } else {
        s
    }
}

/// A JSON number that is an integer (no fractional part).
fn as_integer(v: &Value) -> Option<f64> {
    v.as_f64().filter(|x| x.fract() == 0.0)
}

/// `obj[key]` with `null` read as absent.
fn get<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).filter(|v| !v.is_null())
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    fn missing(&mut self, field: &str) {
        self.add(field, format!("{field} wajib diisi; nilai tidak ada"));
    }
}

/// Parse one line. `Err` is the single `$` error for a line that is not a JSON object.
pub fn parse_line(line: &str) -> Result<ParsedLine, FieldError> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        FieldError::new(
            "$",
            format!("baris bukan JSON yang sah ({e}): {}", shown_text(line)),
        )
    })?;
    let Value::Object(obj) = value else {
        return Err(FieldError::new(
            "$",
            format!("baris harus berupa objek JSON; diterima: {}", shown(&value)),
        ));
    };
    let mut e = Errors::default();

    let id = match get(&obj, "id") {
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
    let sex = match get(&obj, "sex") {
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
    let birth = date_field(&obj, "birth_date", &mut e);
    let visit = date_field(&obj, "visit_date", &mut e);
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

    let pregnancy = get(&obj, "pregnancy").and_then(|v| pregnancy(v, sex, age, &mut e));
    let postpartum_days = get(&obj, "postpartum_days")
        .and_then(|v| postpartum(v, sex, age, get(&obj, "pregnancy").is_some(), &mut e));
    let measurements = match get(&obj, "measurements") {
        Some(v) => measurements(v, &mut e),
        None => Measurements::default(),
    };
    let previous_weighings =
        get(&obj, "previous_weighings").and_then(|v| weighings(v, birth, visit, &mut e));
    let immunizations = match get(&obj, "immunizations") {
        Some(v) => doses(v, birth, visit, &mut e),
        None => Vec::new(),
    };
    let questionnaires = match get(&obj, "questionnaires") {
        Some(v) => questionnaires(v, &mut e),
        None => Questionnaires::default(),
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
    Ok(ParsedLine {
        id,
        visit,
        errors: e.0,
    })
}

fn shown_text(line: &str) -> String {
    shown(&Value::String(line.to_owned()))
}

fn parse_date(v: &Value, field: &str, e: &mut Errors) -> Option<Date> {
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

fn date_field(obj: &Map<String, Value>, key: &str, e: &mut Errors) -> Option<Date> {
    match get(obj, key) {
        Some(v) => parse_date(v, key, e),
        None => {
            e.missing(key);
            None
        }
    }
}

/// A number in `(0, max]`.
fn positive_number(v: &Value, field: &str, max: f64, e: &mut Errors) -> Option<f64> {
    match v.as_f64() {
        Some(x) if x > 0.0 && x <= max => Some(x),
        _ => {
            e.add(
                field,
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
fn integer_in(v: &Value, field: &str, lo: f64, hi: f64, e: &mut Errors) -> Option<f64> {
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

fn measurements(v: &Value, e: &mut Errors) -> Measurements {
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
        let field = format!("measurements.{key}");
        if let Some(&(_, max)) = MEASUREMENT_MAX.iter().find(|(k, _)| k == key) {
            let x = positive_number(val, &field, max, e);
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
                            field,
                            format!("measure harus \"l\" atau \"h\"; diterima: {}", shown(val)),
                        );
                        None
                    }
                }
            }
            "oedema" => match val {
                Value::Bool(b) => m.oedema = *b,
                _ => e.add(
                    field,
                    format!("oedema harus true atau false; diterima: {}", shown(val)),
                ),
            },
            _ => e.add(field, format!("kolom tidak dikenal di measurements: {key}")),
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

fn pregnancy(v: &Value, sex: Option<Sex>, age: Option<Age>, e: &mut Errors) -> Option<Pregnancy> {
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

fn postpartum(
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

fn weighings(
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
            Some(w) => positive_number(w, &field, 300.0, e),
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

fn doses(v: &Value, birth: Option<Date>, visit: Option<Date>, e: &mut Errors) -> Vec<Dose> {
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

fn questionnaires(v: &Value, e: &mut Errors) -> Questionnaires {
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
