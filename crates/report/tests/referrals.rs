//! The referral section of the monthly report, counted by hand (SQLite and PostgreSQL):
//! who counts as referred in October, how far their referral has come, a stunted balita
//! referred, and a status changed in November changing October's report (the summary
//! stamps follow the referral's month).
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

use report::monthly::{self, Numbers, Value, indicators};
use store::codes::{EntityKind, MeasurementKind, ReferralStatus};
use store::{Actor, NewReferral, OrgUnit, Person, ReferralId, Sex, Store};
use time::Date;
use time::macros::date;

fn count(n: &Numbers, code: &str) -> u64 {
    n.tally(code).total
}

fn percent(n: &Numbers, code: &str) -> Option<f64> {
    match n.value(indicators::by_code(code).unwrap()) {
        Value::Ratio { percent, .. } => percent,
        Value::Count { .. } => panic!("{code} is a count"),
    }
}

/// Refers `p` on `on` and moves the referral `steps` statuses forward.
async fn refer(store: &Store, p: &Person, at: &OrgUnit, on: Date, steps: usize) -> ReferralId {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let r = tx
        .create_referral(&NewReferral {
            id: ReferralId::new(),
            person_id: p.id,
            finding_id: None,
            org_unit_id: at.id,
            referred_on: on,
            to_facility: "Puskesmas Tempursari".into(),
            reason: "periksa".into(),
        })
        .await
        .unwrap()
        .record;
    let mut current = r;
    for _ in 0..steps {
        let to = current.status.next().unwrap();
        current = tx
            .advance_referral(current.id, current.meta.version, to, None)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    current.id
}

async fn referrals_counted_by_hand(store: Store) {
    let r = fixture::region(&store).await;
    let sys = Actor::system("test");
    let melati = &r.posyandu_a;
    let add = async |at: &OrgUnit, name: &str, sex, birth| {
        fixture::add_person(&store, &sys, &fixture::person(at, name, sex, birth)).await
    };
    let budi = add(melati, "Budi", Sex::Male, date!(2024 - 01 - 10)).await;
    let darto = add(melati, "Darto", Sex::Male, date!(1960 - 01 - 01)).await;
    let wati = add(melati, "Wati", Sex::Female, date!(1998 - 05 - 05)).await;
    let sari = add(melati, "Sari", Sex::Female, date!(1980 - 02 - 02)).await;
    let tono = add(melati, "Tono", Sex::Male, date!(1975 - 03 - 03)).await;
    let hadi = add(&r.posyandu_b, "Hadi", Sex::Male, date!(2025 - 06 - 01)).await;
    let oct5 = date!(2026 - 10 - 05);
    // Budi: weighed and stunted on the 5th.
    capture(
        &store,
        vec![
            reading(&budi, oct5, MeasurementKind::Weight, 10.0),
            reading(&budi, oct5, MeasurementKind::Height, 86.0),
            finding(&budi, oct5, "kms_n"),
            finding(&budi, oct5, "lfa_stunted"),
        ],
    )
    .await;
    // Budi: referred and followed up. Darto (66, not seen in October): referred, nothing
    // since. Wati: referred twice, one accepted: counted once, as accepted. Sari: referred
    // in September. Tono: a referral deleted (made in error). Hadi at Mawar: not Melati's.
    refer(&store, &budi, melati, oct5, 2).await;
    let dartos = refer(&store, &darto, melati, date!(2026 - 10 - 12), 0).await;
    refer(&store, &wati, melati, oct5, 0).await;
    refer(&store, &wati, melati, date!(2026 - 10 - 20), 1).await;
    refer(&store, &sari, melati, date!(2026 - 09 - 28), 1).await;
    let tonos = refer(&store, &tono, melati, oct5, 0).await;
    let mut tx = store.begin(&sys).await.unwrap();
    tx.soft_delete(EntityKind::Referral, tonos.0, 1, "salah orang")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    refer(&store, &hadi, &r.posyandu_b, oct5, 0).await;

    let october = date!(2026 - 10 - 01);
    let m = monthly::monthly(&store, &sys, melati.id, october)
        .await
        .unwrap();
    let n = &m.numbers;
    assert_eq!(count(n, "dirujuk"), 3); // Budi, Darto, Wati
    assert_eq!(count(n, "rujukan_diterima"), 2); // Budi, Wati
    assert_eq!(count(n, "rujukan_ditindaklanjuti"), 1); // Budi
    assert_eq!(percent(n, "pct_rujukan_ditindaklanjuti"), Some(33.3));
    assert_eq!(count(n, "stunting_dirujuk"), 1); // Budi
    assert_eq!(n.tally("dirujuk").by_sex, [2, 1]);
    // The list behind the number, Darto (no other fact this month) among them.
    let d = monthly::detail(&store, &sys, melati.id, october)
        .await
        .unwrap();
    let mut names: Vec<&str> = d
        .people("dirujuk")
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Budi", "Darto", "Wati"]);
    // The Puskesmas: Melati's three and Hadi.
    let pkm = monthly::monthly(&store, &sys, r.puskesmas.id, october)
        .await
        .unwrap();
    assert_eq!(count(&pkm.numbers, "dirujuk"), 4);
    // September: Sari only.
    let sep = monthly::monthly(&store, &sys, melati.id, date!(2026 - 09 - 01))
        .await
        .unwrap();
    assert_eq!(count(&sep.numbers, "dirujuk"), 1);
    assert_eq!(count(&sep.numbers, "rujukan_diterima"), 1);

    // In November the Puskesmas accepts Darto: October's report says so from then on,
    // through the stored summaries as well as recomputed.
    let mut tx = store.begin(&sys).await.unwrap();
    tx.advance_referral(dartos, 1, ReferralStatus::Accepted, Some("datang 3 Nov"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let again = monthly::monthly(&store, &sys, melati.id, october)
        .await
        .unwrap();
    assert_eq!(count(&again.numbers, "rujukan_diterima"), 3);
    let fresh = monthly::recompute(&store, &sys, r.puskesmas.id, october)
        .await
        .unwrap();
    let stored = monthly::monthly(&store, &sys, r.puskesmas.id, october)
        .await
        .unwrap();
    assert_eq!(stored, fresh);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn referrals_counted_by_hand_on_sqlite() {
    let db = harness::sqlite().await;
    referrals_counted_by_hand(db.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn referrals_counted_by_hand_on_postgres() {
    if let Some(db) = harness::postgres_or_skip().await {
        referrals_counted_by_hand(db.store.clone()).await;
    }
}
