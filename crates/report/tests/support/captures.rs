//! Captures the report tests store: a finding, a measurement, a dose, a batch in one
//! transaction (also used by the CLI's summary test).

use store::codes::MeasurementKind;
use store::{Actor, Capture, NewMeasurement, Person, Store};
use time::{Date, OffsetDateTime};

pub async fn capture(store: &Store, items: Vec<Capture>) {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    for c in items {
        tx.capture(&c).await.unwrap();
    }
    tx.commit().await.unwrap();
}

pub fn finding(p: &Person, on: Date, code: &str) -> Capture {
    Capture::Finding(store::NewFinding {
        id: store::FindingId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: p.org_unit_id,
        found_on: on,
        code: code.into(),
        detail: None,
        captured_at: OffsetDateTime::now_utc(),
    })
}

pub fn reading(p: &Person, on: Date, kind: MeasurementKind, value: f64) -> Capture {
    Capture::Measurement(NewMeasurement {
        id: store::MeasurementId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: p.org_unit_id,
        measured_on: on,
        kind,
        value,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    })
}

/// A dose of the national schedule by its code (`BCG`, `OPV1`, `MR1`).
pub fn dose(p: &Person, on: Date, code: &str) -> Capture {
    let (series, number) = domain::immunization::Vaccine::from_code(code)
        .unwrap()
        .series();
    Capture::Dose(store::NewDose {
        id: store::DoseId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: p.org_unit_id,
        given_on: on,
        vaccine: series.into(),
        dose_number: number,
        batch: None,
        captured_at: OffsetDateTime::now_utc(),
    })
}

/// Step 4's services as the service day stores them.
pub fn services(p: &Person, on: Date, answers: serde_json::Value) -> Capture {
    Capture::Screening(store::NewScreening {
        id: store::ScreeningId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: p.org_unit_id,
        answered_on: on,
        questionnaire: "LAYANAN".into(),
        answers: answers.as_object().unwrap().clone(),
        score: None,
        captured_at: OffsetDateTime::now_utc(),
    })
}
