//! Steps 2–5 of one person's visit, shared by the pages and the API: save the readings
//! with what the rules found (recomputed here, whatever the page showed), give services,
//! counsel and refer. Each write takes one client-generated id; the rows it stores get ids
//! derived from it ([`derived`]), so replaying a request stores nothing twice.

use domain::catalogue::Action;
use domain::immunization::Vaccine;
use domain::lifecycle;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use store::{
    Actor, Capture, FindingId, MeasurementId, MeasurementKind, NewDose, NewFinding, NewMeasurement,
    NewReferral, NewScreening, OrgLevel, Person, Referral, ReferralId, ScreeningId, ServiceDay,
    Store, Visit,
};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::DayError;
use super::assess::{Assessment, History, Readings, assess};

/// A row id derived from the request's client id: the same request gives the same ids.
///
/// The first 8 bytes are the client id's own: for the UUIDv7 the pages issue, its time, so
/// the rows of one service day sit together in each id index and an insert touches that
/// index's last pages instead of one random page per row (bench/load.sh: fewer pages
/// written per capture). The last 8 bytes are UUIDv5's of the client id and `what` (62 bits
/// of SHA-1 after the variant), so two kinds of one request, or two requests, do not share
/// an id. A request first sent before this derivation (2026-12) and replayed after it would
/// get new ids; no client queues requests across an upgrade yet (offline sync is issue 9).
pub fn derived(client: Uuid, what: &str) -> Uuid {
    let hashed = Uuid::new_v5(&client, what.as_bytes());
    let mut b = *client.as_bytes();
    b[8..].copy_from_slice(&hashed.as_bytes()[8..]);
    Uuid::from_bytes(b)
}

/// Everything the rules read about `person` on `day`, from the store.
pub async fn history(
    store: &Store,
    actor: &Actor,
    person: &Person,
    day: Date,
) -> Result<History, DayError> {
    let (measurements, doses, pregnancies) = store.history_of(actor, person, day).await?;
    Ok(History {
        measurements,
        doses,
        pregnancies,
    })
}

/// Step 3 without saving: what the readings mean.
pub async fn preview(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    person: &Person,
    r: &Readings,
) -> Result<Assessment, DayError> {
    let h = history(store, actor, person, day.date).await?;
    assessed(person, day, &h, r)
}

/// What the readings mean against a history already read; a birth date after the day is
/// the person's error to fix, not a reading's.
pub fn assessed(
    person: &Person,
    day: &ServiceDay,
    h: &History,
    r: &Readings,
) -> Result<Assessment, DayError> {
    assess(person, day.date, h, r).ok_or(DayError::field(
        "birth_date",
        &person.birth_date.to_string(),
        "err-birth-after-day",
    ))
}

/// The measurement kinds of the readings, with their values.
fn measured(r: &Readings, age_days: i64) -> Vec<(&'static str, MeasurementKind, f64)> {
    let standing = match r.measure.as_deref() {
        Some("h" | "H") => true,
        Some("l" | "L") => false,
        _ => age_days >= 731,
    };
    let lenhei = if standing {
        MeasurementKind::Height
    } else {
        MeasurementKind::Length
    };
    [
        ("weight_kg", MeasurementKind::Weight, r.weight_kg),
        ("lenhei_cm", lenhei, r.lenhei_cm),
        ("head_cm", MeasurementKind::HeadCircumference, r.head_cm),
        ("muac_cm", MeasurementKind::ArmCircumference, r.muac_cm),
        ("waist_cm", MeasurementKind::WaistCircumference, r.waist_cm),
        ("systolic", MeasurementKind::SystolicBp, r.systolic),
        ("diastolic", MeasurementKind::DiastolicBp, r.diastolic),
        (
            "glucose_random",
            MeasurementKind::BloodGlucose,
            r.glucose_random,
        ),
        ("cholesterol", MeasurementKind::Cholesterol, r.cholesterol),
        ("hb", MeasurementKind::Hemoglobin, r.hb),
    ]
    .into_iter()
    .filter_map(|(f, k, v)| v.map(|v| (f, k, v)))
    .collect()
}

/// The questionnaires answered, as screening rows (code → answers, score).
fn questionnaires(r: &Readings) -> Vec<(&'static str, Map<String, Value>, Option<f64>)> {
    let mut out = Vec::new();
    let yes = |keys: &[String]| keys.iter().map(|k| (k.clone(), json!(true))).collect();
    if let Some(tb) = &r.tb_symptoms {
        out.push(("TB", yes(tb), None));
    }
    if let Some(items) = &r.srq20_yes {
        let mut m = Map::new();
        m.insert("yes".into(), json!(items));
        out.push(("SRQ20", m, Some(items.len() as f64)));
    }
    if let Some(p) = &r.puma
        && let Some(m) = json!(p).as_object()
    {
        out.push(("PUMA", m.clone(), None));
    }
    if let Some(b) = r.barthel {
        out.push(("ADL", Map::new(), Some(f64::from(b))));
    }
    if let Some(sk) = &r.skilas {
        out.push(("SKILAS", yes(sk), None));
    }
    out
}

/// Step 3, saving: recomputes with `domain`, refuses unconfirmed "periksa ulang" values,
/// and stores measurements (flagged ones marked implausible), questionnaires and findings
/// in one transaction. The answer is what was stored.
pub async fn save_readings(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    visit: &Visit,
    person: &Person,
    r: &Readings,
    client_id: Uuid,
) -> Result<Assessment, DayError> {
    super::service::ensure_open(day)?;
    let a = preview(store, actor, day, person, r).await?;
    if let Some(bad) = a.rechecks.iter().find(|c| c.reason == "recheck-invalid") {
        return Err(DayError::field(
            &bad.field,
            &bad.detail,
            "err-invalid-reading",
        ));
    }
    if !a.rechecks.is_empty() && !r.confirmed {
        return Err(DayError::Recheck(Box::new(a)));
    }
    let now = OffsetDateTime::now_utc();
    let mut captures: Vec<Capture> = Vec::new();
    for (field, kind, value) in measured(r, a.age_days) {
        captures.push(Capture::Measurement(NewMeasurement {
            id: MeasurementId(derived(client_id, kind.code())),
            person_id: person.id,
            visit_id: Some(visit.id),
            org_unit_id: day.org_unit_id,
            measured_on: day.date,
            kind,
            value,
            implausible: a.rechecks.iter().any(|c| c.field == field),
            captured_at: now,
        }));
    }
    for (code, answers, score) in questionnaires(r) {
        captures.push(Capture::Screening(NewScreening {
            id: ScreeningId(derived(client_id, code)),
            person_id: person.id,
            visit_id: Some(visit.id),
            org_unit_id: day.org_unit_id,
            answered_on: day.date,
            questionnaire: code.to_owned(),
            answers,
            score,
            captured_at: now,
        }));
    }
    let z = a.zscore_summary();
    for f in &a.findings {
        captures.push(Capture::Finding(NewFinding {
            id: FindingId(derived(client_id, f.code)),
            person_id: person.id,
            visit_id: Some(visit.id),
            org_unit_id: day.org_unit_id,
            found_on: day.date,
            code: f.code.to_owned(),
            // Stored for the Puskesmas and reports: Bahasa Indonesia, whoever captures it.
            detail: Some(if z.is_empty() {
                f.label.to_owned()
            } else {
                format!("{}; {z}", f.label)
            }),
            captured_at: now,
        }));
    }
    store.capture_grouped(actor, captures).await?;
    Ok(a)
}

/// Step 4: services given today.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Services {
    /// Schedule codes of the doses given (`BCG`, `DPT_HB_HIB1`, …).
    #[serde(default)]
    pub vaccines: Vec<String>,
    /// `biru` or `merah`.
    pub vitamin_a: Option<String>,
    #[serde(default)]
    pub deworming: bool,
    /// Iron tablets (TTD) handed out.
    pub iron_tablets: Option<u32>,
    #[serde(default)]
    pub pmt: bool,
    /// A balita's Buku KIA/KMS was shown (K of SKDN, `report::monthly::KIA_BOOK`).
    #[serde(default)]
    pub kia_book: bool,
    pub batch: Option<String>,
}

/// One dose offered in step 4: its schedule code and its name in the Buku KIA.
#[derive(Clone, Debug, Serialize)]
pub struct DoseOffer {
    pub code: &'static str,
    /// `DPT-HB-Hib 1`, `BCG`.
    pub name: String,
    pub overdue: bool,
}

impl DoseOffer {
    fn of(v: Vaccine, overdue: bool) -> DoseOffer {
        DoseOffer {
            code: v.code(),
            name: dose_name(v),
            overdue,
        }
    }
}

/// A dose as the card names it: `DPT-HB-Hib 1`, `BCG`.
pub fn dose_name(v: Vaccine) -> String {
    match v.series() {
        (series, Some(n)) => format!("{series} {n}"),
        (series, None) => series.to_owned(),
    }
}

/// What step 4 offers a person today: the doses overdue and due first, then the rest.
#[derive(Clone, Debug, Serialize)]
pub struct Offer {
    pub due: Vec<DoseOffer>,
    pub other: Vec<DoseOffer>,
    pub vitamin_a: Option<&'static str>,
    pub deworming: bool,
    pub iron_tablets: bool,
    /// Ask whether the balita has its Buku KIA/KMS (K of SKDN).
    pub kia_book: bool,
}

/// The offer of step 4, from the same screening as step 3.
pub fn offer(person: &Person, day: &ServiceDay, a: &Assessment) -> Offer {
    let (due, other) = match &a.immunization {
        Some(i) => {
            let open: Vec<&'static str> = i.overdue.iter().chain(&i.due).copied().collect();
            let due = Vaccine::all()
                .filter(|v| open.contains(&v.code()))
                .map(|v| DoseOffer::of(v, i.overdue.contains(&v.code())))
                .collect();
            let other = Vaccine::all()
                .filter(|v| !open.contains(&v.code()))
                .map(|v| DoseOffer::of(v, false))
                .collect();
            (due, other)
        }
        None => (Vec::new(), Vec::new()),
    };
    let age = domain::age::Age {
        days: a.age_days,
        months: a.age_months,
        years: a.age_years,
    };
    let sex = super::assess::domain_sex(person.sex);
    Offer {
        due,
        other,
        vitamin_a: lifecycle::vitamin_a_due(age, day.date).map(|v| v.code()),
        deworming: lifecycle::deworming_due(age, day.date),
        iron_tablets: lifecycle::iron_tablets_offered(a.group, sex, age),
        kia_book: a.group == lifecycle::Group::Balita,
    }
}

/// Stores step 4: one dose row per vaccine (in the record's vocabulary,
/// [`Vaccine::series`]) and one `LAYANAN` screening row for the other services.
pub async fn give(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    visit: &Visit,
    person: &Person,
    s: &Services,
    client_id: Uuid,
) -> Result<(), DayError> {
    super::service::ensure_open(day)?;
    let now = OffsetDateTime::now_utc();
    let mut captures = Vec::new();
    for code in &s.vaccines {
        let v = Vaccine::from_code(code).ok_or(DayError::field("vaccines", code, "err-vaccine"))?;
        let (series, number) = v.series();
        captures.push(Capture::Dose(NewDose {
            id: store::DoseId(derived(client_id, v.code())),
            person_id: person.id,
            visit_id: Some(visit.id),
            org_unit_id: day.org_unit_id,
            given_on: day.date,
            vaccine: series.to_owned(),
            dose_number: number,
            batch: s.batch.clone().filter(|b| !b.trim().is_empty()),
            captured_at: now,
        }));
    }
    if let Some(v) = s.vitamin_a.as_deref()
        && !matches!(v, "biru" | "merah")
    {
        return Err(DayError::field("vitamin_a", v, "err-vitamin-a"));
    }
    let mut answers = Map::new();
    if let Some(v) = &s.vitamin_a {
        answers.insert("vitamin_a".into(), json!(v));
    }
    if s.deworming {
        answers.insert("obat_cacing".into(), json!(true));
    }
    if let Some(n) = s.iron_tablets.filter(|n| *n > 0) {
        answers.insert("ttd".into(), json!(n));
    }
    if s.pmt {
        answers.insert("pmt".into(), json!(true));
    }
    if s.kia_book {
        answers.insert(report::monthly::KIA_BOOK.into(), json!(true));
    }
    if !answers.is_empty() {
        captures.push(Capture::Screening(NewScreening {
            id: ScreeningId(derived(client_id, "LAYANAN")),
            person_id: person.id,
            visit_id: Some(visit.id),
            org_unit_id: day.org_unit_id,
            answered_on: day.date,
            questionnaire: "LAYANAN".into(),
            answers,
            score: None,
            captured_at: now,
        }));
    }
    store.capture_grouped(actor, captures).await?;
    Ok(())
}

/// Step 5: counselling and, when a rule says `rujuk`, the referral.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counsel {
    pub note: Option<String>,
    #[serde(default)]
    pub refer: bool,
    /// The referral's reason; blank = the findings that say `rujuk`.
    pub reason: Option<String>,
}

/// The facility a posyandu refers to: the Puskesmas above it.
pub async fn puskesmas_of(store: &Store, day: &ServiceDay) -> Result<String, DayError> {
    let system = Actor::system("referral-destination");
    let mut unit = store.org_unit(&system, day.org_unit_id).await?;
    while unit.level != OrgLevel::Puskesmas {
        match unit.parent_id {
            Some(p) => unit = store.org_unit(&system, p).await?,
            None => return Ok("Puskesmas".to_owned()),
        }
    }
    Ok(unit.name)
}

/// The referral reason pre-filled from finding codes: the labels of those that say
/// `rujuk`, once each, in catalogue order. Always Bahasa Indonesia, whatever the user's
/// language: the text is stored with the referral for the Puskesmas to read.
pub fn rujuk_labels<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    let mut rules: Vec<&'static domain::Rule> = codes
        .into_iter()
        .filter_map(domain::catalogue::by_code)
        .filter(|r| r.action == Action::Rujuk)
        .collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    rules.iter().map(|r| r.label).collect::<Vec<_>>().join("; ")
}

/// Stores step 5: the counselling note (a `KONSELING` screening row) and the referral.
#[allow(clippy::too_many_arguments)]
pub async fn counsel(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    visit: &Visit,
    person: &Person,
    c: &Counsel,
    prefilled_reason: &str,
    client_id: Uuid,
) -> Result<Option<Referral>, DayError> {
    super::service::ensure_open(day)?;
    let now = OffsetDateTime::now_utc();
    let to_facility = puskesmas_of(store, day).await?;
    let mut tx = store.begin(actor).await?;
    if let Some(note) = c.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let mut answers = Map::new();
        answers.insert("note".into(), json!(note.trim()));
        tx.capture(&Capture::Screening(NewScreening {
            id: ScreeningId(derived(client_id, "KONSELING")),
            person_id: person.id,
            visit_id: Some(visit.id),
            org_unit_id: day.org_unit_id,
            answered_on: day.date,
            questionnaire: "KONSELING".into(),
            answers,
            score: None,
            captured_at: now,
        }))
        .await?;
    }
    let referral = if c.refer {
        let reason = c
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or(prefilled_reason)
            .to_owned();
        if reason.is_empty() {
            tx.rollback().await?;
            return Err(DayError::field("reason", "", "err-required"));
        }
        Some(
            tx.create_referral(&NewReferral {
                id: ReferralId(derived(client_id, "referral")),
                person_id: person.id,
                finding_id: None,
                org_unit_id: day.org_unit_id,
                referred_on: day.date,
                to_facility,
                reason,
            })
            .await?
            .record,
        )
    } else {
        None
    };
    tx.commit().await?;
    Ok(referral)
}

/// Records a pregnancy found at the posyandu: HPHT (first day of the last period) and the
/// due date by Naegele's rule (HPHT + 280 days, Buku KIA). The id is the client's.
pub async fn record_pregnancy(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    person: &Person,
    lmp: time::Date,
    client_id: Uuid,
) -> Result<store::Pregnancy, DayError> {
    super::service::ensure_open(day)?;
    if lmp > day.date || (day.date - lmp).whole_days() > 45 * 7 {
        return Err(DayError::field("lmp", &lmp.to_string(), "err-lmp"));
    }
    let mut tx = store.begin(actor).await?;
    let p = tx
        .open_pregnancy(&store::NewPregnancy {
            id: store::PregnancyId(derived(client_id, "pregnancy")),
            person_id: person.id,
            lmp: Some(lmp),
            due_date: Some(lmp + time::Duration::days(280)),
            gravida: None,
            para: None,
            abortus: None,
            high_risk: false,
        })
        .await?
        .record;
    tx.commit().await?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::derived;
    use uuid::Uuid;

    #[test]
    fn derived_ids_are_stable_distinct_and_keep_the_client_ids_time_order() {
        let a = Uuid::parse_str("019ade10-0000-7abc-8def-0123456789ab").unwrap();
        let b = Uuid::parse_str("019ade10-0001-7abc-8def-0123456789ab").unwrap();
        assert_eq!(derived(a, "BB"), derived(a, "BB"));
        assert_ne!(derived(a, "BB"), derived(a, "TB"));
        assert_ne!(derived(a, "BB"), derived(b, "BB"));
        assert_eq!(derived(a, "BB").as_bytes()[..8], a.as_bytes()[..8]);
        assert_eq!(derived(a, "BB").get_version_num(), 7);
        assert_eq!(derived(a, "BB").get_variant(), uuid::Variant::RFC4122);
        // Later client ids give later row ids, whatever the kind.
        assert!(derived(a, "TB") < derived(b, "BB"));
    }
}
