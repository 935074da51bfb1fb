//! What the API sends and receives: its own small, stable shapes (ids and dates as text),
//! converted from and to the operations' types. Inputs are parsed here so that a bad value
//! is refused naming the field and the value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use store::{Person, Referral, ServiceDay, Sex, Visit};
use utoipa::ToSchema;

use crate::day::assess::{Assessment, Puma, Readings};
use crate::day::service::Arrival;
use crate::day::similar::Similar;
use crate::day::summary::Summary;
use crate::form::{self, FieldError};
use crate::i18n::Tr;

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOut {
    pub id: String,
    pub name: String,
    /// `L` or `P`.
    pub sex: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub parent_name: Option<String>,
    pub household_id: Option<String>,
    /// The NIK with all but the region and the last digits hidden.
    pub nik_masked: Option<String>,
    pub unit_id: String,
}

impl From<&Person> for PersonOut {
    fn from(p: &Person) -> Self {
        PersonOut {
            id: p.id.to_string(),
            name: p.name.clone(),
            sex: p.sex.code().to_owned(),
            birth_date: p.birth_date.to_string(),
            parent_name: p.parent_name.clone(),
            household_id: p.household_id.map(|h| h.to_string()),
            nik_masked: p.nik.as_ref().map(|n| n.masked()),
            unit_id: p.org_unit_id.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayOut {
    pub id: String,
    pub unit_id: String,
    pub date: String,
    /// Cadres on duty.
    pub kader: Option<String>,
    /// When the day was closed (RFC 3339), absent while it is open; a closed day refuses
    /// captures (409 `day_closed`) until it is reopened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
}

impl From<&ServiceDay> for DayOut {
    fn from(d: &ServiceDay) -> Self {
        DayOut {
            id: d.id.to_string(),
            unit_id: d.org_unit_id.to_string(),
            date: d.date.to_string(),
            kader: d.note.clone(),
            closed_at: d.closed.as_ref().and_then(|c| {
                c.at.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitOut {
    pub id: String,
    pub person_id: String,
    pub day_id: Option<String>,
    pub date: String,
}

impl From<&Visit> for VisitOut {
    fn from(v: &Visit) -> Self {
        VisitOut {
            id: v.id.to_string(),
            person_id: v.person_id.to_string(),
            day_id: v.service_day_id.map(|d| d.to_string()),
            date: v.date.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArrivalOut {
    pub visit: VisitOut,
    pub person: PersonOut,
}

impl From<&Arrival> for ArrivalOut {
    fn from(a: &Arrival) -> Self {
        ArrivalOut {
            visit: (&a.visit).into(),
            person: (&a.person).into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayDetail {
    pub day: DayOut,
    pub arrivals: Vec<ArrivalOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FindingOut {
    pub code: String,
    /// `edukasi`, `pantau` or `rujuk`.
    pub action: String,
    /// In the request's language (the `lang` cookie), like error messages.
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecheckOut {
    pub field: String,
    pub reason: String,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImmunizationApi {
    pub due: Vec<String>,
    pub overdue: Vec<String>,
    pub idl_complete: bool,
    pub baduta_complete: bool,
}

/// What the rules say about the readings (step 3): the same numbers as `posyandu screen`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentOut {
    /// Life-cycle group: `balita`, `ibu_hamil`, `ibu_nifas`, `usia_sekolah`, `remaja`,
    /// `dewasa`, `lansia`.
    pub group: String,
    pub age_days: i64,
    pub age_months: i64,
    pub age_years: i32,
    pub zscores: BTreeMap<String, f64>,
    pub findings: Vec<FindingOut>,
    /// Values to measure again; saving needs `confirmed: true` while there are any.
    pub rechecks: Vec<RecheckOut>,
    pub immunization: Option<ImmunizationApi>,
    /// A finding says `rujuk`.
    pub refer: bool,
    /// The readings were stored.
    pub saved: bool,
}

impl AssessmentOut {
    /// Labels in `t`'s language, like the API's error messages.
    pub fn new(t: Tr, a: &Assessment, saved: bool) -> Self {
        AssessmentOut {
            group: a.group.code().to_owned(),
            age_days: a.age_days,
            age_months: a.age_months,
            age_years: a.age_years,
            zscores: a
                .zscores
                .iter()
                .map(|(n, z)| ((*n).to_owned(), *z))
                .collect(),
            findings: a
                .findings
                .iter()
                .map(|f| FindingOut {
                    code: f.code.to_owned(),
                    action: f.action.as_str().to_owned(),
                    label: t.rule(f.rule),
                })
                .collect(),
            rechecks: a
                .rechecks
                .iter()
                .map(|r| RecheckOut {
                    field: r.field.clone(),
                    reason: r.reason.to_owned(),
                    detail: r.detail.clone(),
                })
                .collect(),
            immunization: a.immunization.as_ref().map(|i| ImmunizationApi {
                due: i.due.iter().map(|s| (*s).to_owned()).collect(),
                overdue: i.overdue.iter().map(|s| (*s).to_owned()).collect(),
                idl_complete: i.idl_complete,
                baduta_complete: i.baduta_complete,
            }),
            refer: !a.refer().is_empty(),
            saved,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SimilarOut {
    pub id: String,
    /// Absent when the person is outside the user's scope.
    pub name: Option<String>,
    pub unit_name: String,
    pub score: f64,
}

impl From<&Similar> for SimilarOut {
    fn from(s: &Similar) -> Self {
        SimilarOut {
            id: s.id.to_string(),
            name: s.name.clone(),
            unit_name: s.unit_name.clone(),
            score: s.score,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredOut {
    /// False when similar persons exist: send again with `not_a_duplicate: true`.
    pub stored: bool,
    pub person: Option<PersonOut>,
    pub visit: Option<VisitOut>,
    pub nik_warnings: Vec<String>,
    pub similar: Vec<SimilarOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralOut {
    pub id: String,
    pub person_id: String,
    pub reason: String,
    pub to_facility: String,
    pub status: String,
}

impl From<&Referral> for ReferralOut {
    fn from(r: &Referral) -> Self {
        ReferralOut {
            id: r.id.to_string(),
            person_id: r.person_id.to_string(),
            reason: r.reason.clone(),
            to_facility: r.to_facility.clone(),
            status: r.status.code().to_owned(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DoseCountOut {
    pub vaccine: String,
    pub count: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryOut {
    pub came: Vec<PersonOut>,
    pub missing: Vec<PersonOut>,
    pub referred: Vec<ReferralOut>,
    pub doses: Vec<DoseCountOut>,
    pub doses_total: usize,
}

impl From<&Summary> for SummaryOut {
    fn from(s: &Summary) -> Self {
        SummaryOut {
            came: s.came.iter().map(|a| (&a.person).into()).collect(),
            missing: s.missing.iter().map(Into::into).collect(),
            referred: s.referred.iter().map(|(r, _)| r.into()).collect(),
            doses: s
                .doses
                .iter()
                .map(|d| DoseCountOut {
                    vaccine: d.vaccine.clone(),
                    count: d.count,
                })
                .collect(),
            doses_total: s.doses_total,
        }
    }
}

// ------------------------------------------------------------------ inputs

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginIn {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// For cookie-authenticated writes: the `X-CSRF-Token` header.
    pub csrf: String,
    pub expires_at: String,
    pub username: String,
    pub role: String,
    /// The user's org unit (for a kader: their posyandu).
    pub unit_id: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenDayIn {
    /// Client-generated UUID: opening twice is harmless.
    pub id: String,
    pub unit_id: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub kader: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ArriveIn {
    pub visit_id: String,
    pub person_id: String,
}

#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct RegisterIn {
    pub person_id: String,
    pub visit_id: String,
    pub name: String,
    /// `L` or `P`.
    pub sex: String,
    pub birth_date: String,
    pub nik: Option<String>,
    pub nik_is_mother: bool,
    pub parent_name: Option<String>,
    pub phone: Option<String>,
    pub household_id: Option<String>,
    pub household_head: Option<String>,
    pub address: Option<String>,
    pub mother_id: Option<String>,
    pub not_a_duplicate: bool,
}

/// Readings of step 2. Numbers may be JSON numbers or text with a decimal comma (`"9,4"`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MeasureIn {
    /// Client-generated UUID of this capture: sending it again stores nothing twice.
    pub id: String,
    #[schema(value_type = Object)]
    pub readings: Map<String, Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ServicesIn {
    pub id: String,
    #[serde(default)]
    pub vaccines: Vec<String>,
    pub vitamin_a: Option<String>,
    #[serde(default)]
    pub deworming: bool,
    pub iron_tablets: Option<u32>,
    #[serde(default)]
    pub pmt: bool,
    /// The balita's Buku KIA/KMS was shown (K of SKDN).
    #[serde(default)]
    pub kia_book: bool,
    pub batch: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CounselIn {
    pub id: String,
    pub note: Option<String>,
    #[serde(default)]
    pub refer: bool,
    pub reason: Option<String>,
}

/// A UUID field, or an error naming it.
pub fn uuid(field: &str, text: &str) -> Result<uuid::Uuid, FieldError> {
    uuid::Uuid::parse_str(text.trim()).map_err(|_| FieldError::new(field, text, "err-invalid"))
}

pub fn sex(text: &str) -> Result<Sex, FieldError> {
    Sex::from_code(text.trim()).ok_or_else(|| FieldError::new("sex", text, "err-invalid"))
}

fn number(field: &str, v: &Value) -> Result<Option<f64>, FieldError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .map(Some)
            .ok_or_else(|| FieldError::new(field, n.to_string(), "err-number")),
        Value::String(s) => form::decimal(field, s),
        other => Err(FieldError::new(field, other.to_string(), "err-number")),
    }
}

fn strings(field: &str, v: &Value) -> Result<Option<Vec<String>>, FieldError> {
    match v {
        Value::Null => Ok(None),
        Value::Array(items) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| FieldError::new(field, i.to_string(), "err-invalid"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(FieldError::new(field, other.to_string(), "err-invalid")),
    }
}

/// SRQ-20 items answered "yes": numbers 1–20 (or their text, as a form sends them).
fn srq_items(field: &str, v: &Value) -> Result<Option<Vec<u8>>, FieldError> {
    let Value::Array(items) = v else {
        return match v {
            Value::Null => Ok(None),
            other => Err(FieldError::new(field, other.to_string(), "err-invalid")),
        };
    };
    items
        .iter()
        .map(|i| match number(field, i)? {
            Some(n) if n.fract() == 0.0 && (1.0..=20.0).contains(&n) => Ok(n as u8),
            _ => Err(FieldError::new(field, i.to_string(), "err-invalid")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// PUMA: pack-years as a number or as typed (`12,5`), and the four yes/no answers.
fn puma(field: &str, v: &Value) -> Result<Option<Puma>, FieldError> {
    let Value::Object(m) = v else {
        return match v {
            Value::Null => Ok(None),
            other => Err(FieldError::new(field, other.to_string(), "err-invalid")),
        };
    };
    let pack_field = format!("{field}.pack_years");
    let pack_years = number(&pack_field, m.get("pack_years").unwrap_or(&Value::Null))?
        .ok_or_else(|| FieldError::new(&pack_field, "", "err-required"))?;
    let mut p = Puma {
        pack_years,
        ..Puma::default()
    };
    for (k, x) in m {
        let slot = match k.as_str() {
            "pack_years" => continue,
            "breathless" => &mut p.breathless,
            "phlegm" => &mut p.phlegm,
            "cough" => &mut p.cough,
            "spirometry" => &mut p.spirometry,
            _ => {
                return Err(FieldError::new(
                    format!("{field}.{k}"),
                    x.to_string(),
                    "err-unknown-field",
                ));
            }
        };
        *slot = x
            .as_bool()
            .ok_or_else(|| FieldError::new(format!("{field}.{k}"), x.to_string(), "err-invalid"))?;
    }
    Ok(Some(p))
}

/// The readings object of [`MeasureIn`], field by field.
pub fn readings(m: &Map<String, Value>) -> Result<Readings, Vec<FieldError>> {
    let mut r = Readings::default();
    let mut errors = Vec::new();
    for (key, v) in m {
        let field = format!("readings.{key}");
        let res: Result<(), FieldError> = (|| {
            match key.as_str() {
                "weight_kg" => r.weight_kg = number(&field, v)?,
                "lenhei_cm" => r.lenhei_cm = number(&field, v)?,
                "head_cm" => r.head_cm = number(&field, v)?,
                "muac_cm" => r.muac_cm = number(&field, v)?,
                "waist_cm" => r.waist_cm = number(&field, v)?,
                "systolic" => r.systolic = number(&field, v)?,
                "diastolic" => r.diastolic = number(&field, v)?,
                "glucose_random" => r.glucose_random = number(&field, v)?,
                "cholesterol" => r.cholesterol = number(&field, v)?,
                "hb" => r.hb = number(&field, v)?,
                "measure" => r.measure = v.as_str().map(str::to_owned),
                "oedema" => r.oedema = v.as_bool().unwrap_or(false),
                "confirmed" => r.confirmed = v.as_bool().unwrap_or(false),
                "tb_symptoms" => r.tb_symptoms = strings(&field, v)?,
                "skilas" => r.skilas = strings(&field, v)?,
                "srq20_yes" => r.srq20_yes = srq_items(&field, v)?,
                "barthel" => {
                    r.barthel = match number(&field, v)? {
                        None => None,
                        Some(b) if b.fract() == 0.0 && (0.0..=20.0).contains(&b) => Some(b as u8),
                        Some(_) => {
                            return Err(FieldError::new(&field, v.to_string(), "err-barthel"));
                        }
                    }
                }
                "puma" => r.puma = puma(&field, v)?,
                _ => return Err(FieldError::new(&field, v.to_string(), "err-unknown-field")),
            }
            Ok(())
        })();
        if let Err(e) = res {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> Result<Readings, Vec<String>> {
        readings(v.as_object().unwrap()).map_err(|es| {
            es.iter()
                .map(|e| format!("{}={}", e.field, e.value))
                .collect()
        })
    }

    /// Questionnaire answers as a phone's form sends them (numbers or their text, a decimal
    /// comma) or as an API client does; out-of-range answers name the field and value.
    #[test]
    fn questionnaire_readings_parse_or_name_the_field() {
        let r = read(json!({
            "srq20_yes": [1, "2", 17],
            "barthel": "10",
            "puma": {"pack_years": "12,5", "cough": true, "phlegm": false},
            "tb_symptoms": ["cough_2w"],
        }))
        .unwrap();
        assert_eq!(r.srq20_yes, Some(vec![1, 2, 17]));
        assert_eq!(r.barthel, Some(10));
        let p = r.puma.unwrap();
        assert_eq!((p.pack_years, p.cough, p.phlegm), (12.5, true, false));
        assert_eq!(r.tb_symptoms, Some(vec!["cough_2w".to_owned()]));
        let cases = [
            (json!({"barthel": 21}), "readings.barthel=21"),
            (json!({"barthel": "sepuluh"}), "readings.barthel=sepuluh"),
            (json!({"srq20_yes": [0]}), "readings.srq20_yes=0"),
            (json!({"srq20_yes": [21]}), "readings.srq20_yes=21"),
            (
                json!({"puma": {"cough": true}}),
                "readings.puma.pack_years=",
            ),
            (
                json!({"puma": {"pack_years": 3, "snore": true}}),
                "readings.puma.snore=true",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(read(input.clone()), Err(vec![want.to_owned()]), "{input}");
        }
    }
}
