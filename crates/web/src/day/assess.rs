//! Step 3: what today's readings mean. The person as stored, their history (earlier
//! weighings for the KMS, doses for the schedule, an open pregnancy) and today's readings
//! become one input object of the `posyandu screen` contract (rules.md §11.1), screened by
//! `domain::screen::screen_parsed` — the very code path of `posyandu screen`, so every
//! number the page shows is the number the CLI gives for the same visit.

use domain::catalogue::{self, Action, Rule};
use domain::cutpoints::{LengthMeasurement, last_weighing, length_shrank, weight_change};
use domain::immunization::Vaccine;
use domain::lifecycle::{self, Group};
use domain::screen::input::parse_line;
use domain::screen::output::{ImmunizationOut, screen_parsed};
use domain::{Position, Settings, Weighing};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{Dose, Measurement, MeasurementKind, Person, Pregnancy, PregnancyOutcome, Sex};
use time::Date;

/// Today's readings, as typed (the page parses decimal commas into these; the API takes
/// them as JSON numbers). Field names are the screen contract's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Readings {
    pub weight_kg: Option<f64>,
    pub lenhei_cm: Option<f64>,
    /// `l` (lying) or `h` (standing); blank = WHO's default for the age.
    pub measure: Option<String>,
    pub head_cm: Option<f64>,
    pub muac_cm: Option<f64>,
    pub waist_cm: Option<f64>,
    pub systolic: Option<f64>,
    pub diastolic: Option<f64>,
    pub glucose_random: Option<f64>,
    pub cholesterol: Option<f64>,
    pub hb: Option<f64>,
    #[serde(default)]
    pub oedema: bool,
    /// TB symptom keys answered "yes" (rules.md §8); `None` = not asked.
    pub tb_symptoms: Option<Vec<String>>,
    /// SRQ-20 items answered "yes", 1-based; `None` = not asked.
    pub srq20_yes: Option<Vec<u8>>,
    pub puma: Option<Puma>,
    pub barthel: Option<u8>,
    /// SKILAS domains with a problem; `None` = not asked.
    pub skilas: Option<Vec<String>>,
    /// The cadre re-measured after "periksa ulang" and confirms the values.
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Puma {
    pub pack_years: f64,
    #[serde(default)]
    pub breathless: bool,
    #[serde(default)]
    pub phlegm: bool,
    #[serde(default)]
    pub cough: bool,
    #[serde(default)]
    pub spirometry: bool,
}

/// What the store knows about a person that the rules read.
#[derive(Clone, Debug)]
pub struct History {
    pub measurements: Vec<Measurement>,
    pub doses: Vec<Dose>,
    pub pregnancies: Vec<Pregnancy>,
}

/// A value to measure again, and why (i18n key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recheck {
    pub field: String,
    /// `recheck-who` (WHO flag), `recheck-drop`, `recheck-jump`, `recheck-shrink`, or
    /// `recheck-invalid` with the engine's message in `detail`.
    pub reason: &'static str,
    pub detail: String,
}

/// One finding with its action and label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FindingView {
    pub code: &'static str,
    pub action: Action,
    /// Bahasa Indonesia, the language findings are stored in; pages show [`Self::rule`]'s
    /// label in the reader's language (`Tr::rule`).
    pub label: &'static str,
    #[serde(skip)]
    pub rule: &'static Rule,
}

/// The answer of step 3.
#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub group: Group,
    pub age_days: i64,
    pub age_months: i64,
    pub age_years: i32,
    /// `(name, z)` of every z WHO computed, in output order.
    pub zscores: Vec<(&'static str, f64)>,
    pub findings: Vec<FindingView>,
    pub rechecks: Vec<Recheck>,
    pub immunization: Option<ImmunizationOut>,
}

impl Assessment {
    /// Some finding says `rujuk`: step 5 offers a referral pre-filled with these.
    pub fn refer(&self) -> Vec<&FindingView> {
        self.findings
            .iter()
            .filter(|f| f.action == Action::Rujuk)
            .collect()
    }
    /// The z-scores as stored with each finding (`zlen -2.31 zwei -1.02`).
    pub fn zscore_summary(&self) -> String {
        self.zscores
            .iter()
            .map(|(n, z)| format!("{n} {z:.2}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub(crate) fn domain_sex(s: Sex) -> domain::Sex {
    match s {
        Sex::Male => domain::Sex::Male,
        Sex::Female => domain::Sex::Female,
    }
}

/// The pregnancy open on `day` (no outcome yet, or an outcome after `day`).
pub fn open_pregnancy(p: &[Pregnancy], day: Date) -> Option<&Pregnancy> {
    p.iter()
        .rev()
        .find(|p| p.outcome.is_none() || p.outcome_date.is_some_and(|d| d > day))
}

/// Days since the latest delivery on or before `day` (for the ibu nifas group).
pub fn postpartum_days(p: &[Pregnancy], day: Date) -> Option<u32> {
    p.iter()
        .filter(|p| {
            matches!(
                p.outcome,
                Some(PregnancyOutcome::LiveBirth | PregnancyOutcome::Stillbirth)
            )
        })
        .filter_map(|p| p.outcome_date)
        .filter(|d| *d <= day)
        .max()
        .and_then(|d| u32::try_from((day - d).whole_days()).ok())
}

/// The KMS history before `day`: one weight per earlier day (the later capture of a day
/// wins), values confirmed implausible left out as a kader leaves them off the card.
/// The live-classification cut-points of a balita on `day` (the exact engine's, for the page
/// to compare while the kader types), from its history; `None` outside the balita tables.
pub fn cutpoints_for(
    day: Date,
    p: &store::Person,
    h: &History,
) -> Option<domain::cutpoints::CutPoints> {
    let s = domain::Settings::default();
    let weighings = weighings(&h.measurements, day);
    let input = domain::cutpoints::CutInput {
        sex: domain_sex(p.sex),
        birth_date: p.birth_date,
        visit_date: day,
        previous_weighings: Some(&weighings),
        previous_length: last_length(&h.measurements, day),
        settings: &s,
    };
    domain::cutpoints::cutpoints(&input).ok()
}

pub fn weighings(ms: &[Measurement], day: Date) -> Vec<Weighing> {
    let mut h: Vec<Weighing> = ms
        .iter()
        .filter(|m| m.kind == MeasurementKind::Weight && m.measured_on < day && !m.implausible)
        .map(|m| Weighing {
            date: m.measured_on,
            weight_kg: m.value,
        })
        .collect();
    h.sort_by_key(|w| w.date);
    h.reverse();
    h.dedup_by_key(|w| w.date);
    h.reverse();
    h
}

/// The last length/height before `day`, for the "length shrank" check.
pub fn last_length(ms: &[Measurement], day: Date) -> Option<LengthMeasurement> {
    ms.iter()
        .filter(|m| m.measured_on < day && !m.implausible)
        .filter_map(|m| {
            let position = match m.kind {
                MeasurementKind::Length => Position::Lying,
                MeasurementKind::Height => Position::Standing,
                _ => return None,
            };
            Some(LengthMeasurement {
                date: m.measured_on,
                mm: (m.value * 10.0).round() as i64,
                position,
            })
        })
        .max_by_key(|l| l.date)
}

/// Doses as the schedule knows them (through the one vocabulary, `Vaccine::from_series`).
pub fn schedule_doses(doses: &[Dose]) -> Vec<domain::immunization::Dose> {
    doses
        .iter()
        .filter_map(|d| {
            Vaccine::from_series(&d.vaccine, d.dose_number).map(|v| domain::immunization::Dose {
                vaccine: v,
                date: d.given_on,
            })
        })
        .collect()
}

fn put(m: &mut Map<String, Value>, key: &str, v: Option<f64>) {
    if let Some(v) = v {
        m.insert(key.into(), json!(v));
    }
}

/// The `posyandu screen` input object for this person, day and readings.
pub fn screen_input(person: &Person, day: Date, h: &History, r: &Readings) -> Value {
    let mut m = Map::new();
    put(&mut m, "weight_kg", r.weight_kg);
    put(&mut m, "lenhei_cm", r.lenhei_cm);
    if r.lenhei_cm.is_some()
        && let Some(pos) = r.measure.as_deref().filter(|p| !p.is_empty())
    {
        m.insert("measure".into(), json!(pos));
    }
    put(&mut m, "head_cm", r.head_cm);
    put(&mut m, "muac_cm", r.muac_cm);
    put(&mut m, "waist_cm", r.waist_cm);
    put(&mut m, "systolic", r.systolic);
    put(&mut m, "diastolic", r.diastolic);
    put(&mut m, "glucose_random", r.glucose_random);
    put(&mut m, "cholesterol", r.cholesterol);
    put(&mut m, "hb", r.hb);
    if r.oedema {
        m.insert("oedema".into(), json!(true));
    }
    let mut q = Map::new();
    if let Some(tb) = &r.tb_symptoms {
        let o: Map<String, Value> = tb.iter().map(|k| (k.clone(), json!(true))).collect();
        q.insert("tb_symptoms".into(), Value::Object(o));
    }
    if let Some(yes) = &r.srq20_yes {
        let items: Vec<bool> = (1..=20u8).map(|i| yes.contains(&i)).collect();
        q.insert("srq20".into(), json!(items));
    }
    if let Some(p) = &r.puma {
        q.insert("puma".into(), json!(p));
    }
    if let Some(b) = r.barthel {
        q.insert("barthel".into(), json!(b));
    }
    if let Some(sk) = &r.skilas {
        let o: Map<String, Value> = sk.iter().map(|k| (k.clone(), json!(true))).collect();
        q.insert("skilas".into(), Value::Object(o));
    }
    let weighed: Vec<Value> = weighings(&h.measurements, day)
        .iter()
        .map(|w| json!({"date": w.date.to_string(), "weight_kg": w.weight_kg}))
        .collect();
    let doses: Vec<Value> = schedule_doses(&h.doses)
        .iter()
        .filter(|d| d.date <= day)
        .map(|d| json!({"vaccine": d.vaccine.code(), "date": d.date.to_string()}))
        .collect();
    let mut input = json!({
        "id": person.id.to_string(),
        "sex": match person.sex { Sex::Male => "M", Sex::Female => "F" },
        "birth_date": person.birth_date.to_string(),
        "visit_date": day.to_string(),
        "measurements": m,
        "previous_weighings": weighed,
        "immunizations": doses,
        "questionnaires": q,
    });
    if let Some(p) = open_pregnancy(&h.pregnancies, day) {
        let weeks = p.lmp.map(|lmp| (day - lmp).whole_days() / 7);
        let mut o = Map::new();
        if let Some(w) = weeks.filter(|w| (1..=45).contains(w)) {
            o.insert("gestational_weeks".into(), json!(w));
        }
        input["pregnancy"] = Value::Object(o);
    } else if let Some(d) = postpartum_days(&h.pregnancies, day) {
        input["postpartum_days"] = json!(d);
    }
    input
}

/// The person's life-cycle group on `day` (pregnant: an open pregnancy then), as
/// [`assess`] finds it; `None` when the dates give no valid age.
pub fn group_on(person: &Person, day: Date, h: &History) -> Option<Group> {
    let pregnant = open_pregnancy(&h.pregnancies, day).is_some();
    let pp = postpartum_days(&h.pregnancies, day);
    lifecycle::group(domain_sex(person.sex), person.birth_date, day, pregnant, pp)
}

/// Screens today's readings. `None` when the day is before the birth date.
pub fn assess(person: &Person, day: Date, h: &History, r: &Readings) -> Option<Assessment> {
    let input = screen_input(person, day, h, r);
    let parsed = parse_line(&input.to_string()).ok()?;
    let out = screen_parsed(parsed, &Settings::default());
    let (age_days, age_months) = (out.age_days?, out.age_months?);
    let age_years = domain::age::completed_years(person.birth_date, day);
    let sex = domain_sex(person.sex);
    let pregnant = input.get("pregnancy").is_some();
    let pp = postpartum_days(&h.pregnancies, day);
    let group = lifecycle::group(sex, person.birth_date, day, pregnant, pp)?;
    let zscores = out
        .zscores
        .zscores()
        .named()
        .iter()
        .filter_map(|(n, z, _)| z.map(|z| (*n, z.z)))
        .collect();
    let findings = out
        .findings
        .iter()
        .filter_map(|f| catalogue::by_code(f.code))
        .map(|rule: &'static Rule| FindingView {
            code: rule.code,
            action: rule.action,
            label: rule.label,
            rule,
        })
        .collect();
    // WHO flags first (rules.md §11.4), then the engine's other field errors.
    let mut rechecks: Vec<Recheck> = Vec::new();
    for (name, z, field) in out.zscores.zscores().named() {
        if let Some(z) = z.filter(|z| z.implausible)
            && !rechecks.iter().any(|r| r.field == field)
        {
            rechecks.push(Recheck {
                field: field.to_owned(),
                reason: "recheck-who",
                detail: format!("{name} {:.2}", z.z),
            });
        }
    }
    for e in &out.errors {
        let field = e.field.trim_start_matches("measurements.").to_owned();
        if !rechecks.iter().any(|r| r.field == field) {
            rechecks.push(Recheck {
                field,
                reason: "recheck-invalid",
                detail: e.message.clone(),
            });
        }
    }
    rechecks.extend(history_rechecks(person, day, h, r));
    Some(Assessment {
        group,
        age_days,
        age_months,
        age_years,
        zscores,
        findings,
        rechecks,
        immunization: out.immunization,
    })
}

/// "Periksa ulang" from the history: a weight that dropped or jumped beyond the limits
/// of `domain::cutpoints`, a length that shrank (balita only, as the KMS).
fn history_rechecks(person: &Person, day: Date, h: &History, r: &Readings) -> Vec<Recheck> {
    let mut out = Vec::new();
    if domain::age::days_between(person.birth_date, day) > 1826 {
        return out;
    }
    if let Some(w) = r.weight_kg
        && let Some(last) = last_weighing(&weighings(&h.measurements, day), day)
    {
        let change = weight_change(last, day, (w * 1000.0).round() as i64);
        if change != 0 {
            out.push(Recheck {
                field: "weight_kg".into(),
                reason: if change < 0 {
                    "recheck-drop"
                } else {
                    "recheck-jump"
                },
                detail: format!("{} kg ({})", last.weight_kg, last.date),
            });
        }
    }
    if let Some(cm) = r.lenhei_cm
        && let Some(prev) = last_length(&h.measurements, day)
    {
        let age_days = domain::age::days_between(person.birth_date, day);
        let pos = match r.measure.as_deref() {
            Some("h" | "H") => Position::Standing,
            Some("l" | "L") => Position::Lying,
            _ if age_days < 731 => Position::Lying,
            _ => Position::Standing,
        };
        if length_shrank(
            person.birth_date,
            prev,
            day,
            (cm * 10.0).round() as i64,
            pos,
        ) {
            out.push(Recheck {
                field: "lenhei_cm".into(),
                reason: "recheck-shrink",
                detail: format!("{} cm ({})", prev.mm as f64 / 10.0, prev.date),
            });
        }
    }
    out
}
