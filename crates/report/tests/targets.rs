//! The target lists on a real SQLite record: one posyandu's children, a pregnant woman,
//! adults and referrals, each list holding exactly the persons its rule names (and no one
//! of the other village, who only the Puskesmas sees).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/harness.rs"]
mod harness;
mod support {
    #[allow(dead_code)]
    pub mod captures;
}

use support::captures::{capture, finding, reading};

use report::targets::{List, TargetSettings, Words, list};
use store::codes::{MeasurementKind, RelationKind};
use store::{Actor, NewPerson, Sex, Store};
use time::Date;
use time::macros::date;

struct Plain;
impl Words for Plain {
    fn header(&self, key: &str) -> String {
        key.to_owned()
    }
    fn finding(&self, code: &str) -> String {
        code.to_owned()
    }
    fn status(&self, code: &str) -> String {
        code.to_owned()
    }
}

fn names(t: &report::Table) -> Vec<String> {
    let mut n: Vec<String> = t.rows.iter().map(|r| r.cells[0].shown(',')).collect();
    n.sort();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_list_holds_the_persons_its_rule_names_on_sqlite() {
    let db = harness::sqlite().await;
    each_list_holds_the_persons_its_rule_names(db.store.clone()).await;
}

/// The same on PostgreSQL (its aggregates and date casts differ from SQLite's).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_list_holds_the_persons_its_rule_names_on_postgres() {
    if let Some(db) = harness::postgres_or_skip().await {
        each_list_holds_the_persons_its_rule_names(db.store.clone()).await;
    }
}

async fn each_list_holds_the_persons_its_rule_names(store: Store) {
    let r = fixture::region(&store).await;
    let sys = Actor::system("test");
    let at = &r.posyandu_a;
    let add = |name: &'static str, sex, birth, phone: Option<&'static str>| {
        let store = store.clone();
        let sys = sys.clone();
        let new = NewPerson {
            phone: phone.map(Into::into),
            ..fixture::person(at, name, sex, birth)
        };
        async move { fixture::add_person(&store, &sys, &new).await }
    };
    let ani = add("Ani", Sex::Female, date!(2025 - 12 - 01), None).await;
    let budi = add("Budi", Sex::Male, date!(2024 - 01 - 01), None).await;
    let ibu = add("Ibu Budi", Sex::Female, date!(1995 - 01 - 01), Some("0812")).await;
    let wati = add("Wati", Sex::Female, date!(1998 - 05 - 05), None).await;
    let darto = add("Darto", Sex::Male, date!(1970 - 01 - 01), None).await;
    let eko = add("Eko", Sex::Male, date!(1972 - 01 - 01), None).await;
    let fajar = add("Fajar", Sex::Male, date!(1975 - 01 - 01), None).await;
    let other = fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_b, "Dimas", Sex::Male, date!(2025 - 06 - 01)),
    )
    .await;
    let mut tx = store.begin(&sys).await.unwrap();
    tx.create_relationship(&store::NewRelationship {
        id: store::RelationshipId::new(),
        person_id: ibu.id,
        kind: RelationKind::MotherOf,
        related_person_id: budi.id,
    })
    .await
    .unwrap();
    tx.open_pregnancy(&store::NewPregnancy {
        id: store::PregnancyId::new(),
        person_id: wati.id,
        lmp: Some(date!(2026 - 02 - 01)),
        due_date: Some(date!(2026 - 11 - 08)),
        gravida: None,
        para: None,
        abortus: None,
        high_risk: false,
    })
    .await
    .unwrap();
    for (p, on, status) in [
        (&darto, date!(2026 - 05 - 20), None),
        (&eko, date!(2026 - 06 - 10), None),
        (
            &fajar,
            date!(2026 - 05 - 01),
            Some(store::codes::ReferralStatus::Accepted),
        ),
    ] {
        let created = tx
            .create_referral(&store::NewReferral {
                id: store::ReferralId::new(),
                person_id: p.id,
                finding_id: None,
                org_unit_id: at.id,
                referred_on: on,
                to_facility: "Puskesmas".into(),
                reason: "Tekanan darah tinggi".into(),
            })
            .await
            .unwrap()
            .record;
        if let Some(to) = status {
            tx.advance_referral(created.id, created.meta.version, to, None)
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
    use MeasurementKind::*;
    capture(
        &store,
        vec![
            // Ani: weighed this month, T and stunted.
            reading(&ani, date!(2026 - 06 - 10), Weight, 6.0),
            finding(&ani, date!(2026 - 06 - 10), "kms_t"),
            finding(&ani, date!(2026 - 06 - 10), "lfa_stunted"),
            // Budi: last weighed in March, wasted then (not this month).
            reading(&budi, date!(2026 - 03 - 01), Weight, 9.0),
            finding(&budi, date!(2026 - 03 - 01), "wfl_wasted"),
            // Wati: KEK during the pregnancy.
            finding(&wati, date!(2026 - 05 - 10), "kek"),
            // Darto: high blood pressure in April, never measured again.
            finding(&darto, date!(2026 - 04 - 01), "hypertension_grade2"),
            // Eko: the same, but re-measured in May.
            finding(&eko, date!(2026 - 04 - 01), "hypertension_grade1"),
            reading(&eko, date!(2026 - 05 - 01), SystolicBp, 128.0),
            // Fajar: found two weeks ago, not due for a re-check yet.
            finding(&fajar, date!(2026 - 06 - 01), "glucose_random_diabetes"),
            // The other village's child.
            reading(&other, date!(2026 - 06 - 03), Weight, 7.0),
            finding(&other, date!(2026 - 06 - 03), "kms_t"),
        ],
    )
    .await;

    let month = date!(2026 - 06 - 01);
    let today = date!(2026 - 06 - 15);
    let table = |which: List, unit: store::OrgUnitId, month: Date| {
        let store = store.clone();
        let sys = sys.clone();
        async move {
            let snap = report::load::snapshot(
                &store,
                &sys,
                unit,
                month,
                today,
                TargetSettings::default(),
                which,
            )
            .await
            .unwrap();
            (snap.on, list(which, &snap, &Plain))
        }
    };
    let (on, _) = table(List::Growth, at.id, month).await;
    assert_eq!(on, today, "within the month: as of today");
    let cases: [(List, &[&str]); 8] = [
        (List::Immunization, &["Ani", "Budi"]),
        (List::Growth, &["Ani"]),
        (List::Stunting, &["Ani"]),
        (List::Wasting, &[]),
        (List::NotWeighed, &["Budi"]),
        (List::PregnancyRisk, &["Wati"]),
        (List::NotRechecked, &["Darto"]),
        (List::ReferralsWaiting, &["Darto", "Fajar"]),
    ];
    for (which, want) in cases {
        let (_, t) = table(which, at.id, month).await;
        assert_eq!(names(&t), *want, "{}", which.code());
        assert!(t.rows.iter().all(|r| r.cells.len() == t.headers.len()));
    }
    // Budi's row carries his mother's phone; Ani's overdue doses are named.
    let (_, not_weighed) = table(List::NotWeighed, at.id, month).await;
    let budi_row = &not_weighed.rows[0].cells;
    assert_eq!(budi_row[3].shown(','), "2026-03-01");
    assert_eq!(budi_row[4].shown(','), "3", "months since");
    assert_eq!(budi_row[5].shown(','), "0812", "the mother's phone");
    let (_, imm) = table(List::Immunization, at.id, month).await;
    let ani_row = imm.rows.iter().find(|r| r.person == Some(ani.id)).unwrap();
    assert!(
        ani_row.cells[3].shown(',').contains("DPT-HB-Hib 1"),
        "{ani_row:?}"
    );
    // March: Budi was wasted then, and not yet a drop-out.
    let march = date!(2026 - 03 - 01);
    let (on, wasting) = table(List::Wasting, at.id, march).await;
    assert_eq!(on, date!(2026 - 03 - 31));
    assert_eq!(names(&wasting), ["Budi"]);
    assert!(names(&table(List::NotWeighed, at.id, march).await.1).is_empty());
    // The Puskesmas sees both villages.
    assert_eq!(
        names(&table(List::Growth, r.puskesmas.id, month).await.1),
        ["Ani", "Dimas"]
    );
    // A kader of the other posyandu cannot read this one.
    let kader = fixture::kader(&store, &r.posyandu_b, "kader.b").await;
    assert!(
        report::load::snapshot(
            &store,
            &kader,
            at.id,
            month,
            today,
            TargetSettings::default(),
            List::Growth,
        )
        .await
        .is_err()
    );
}
