//! Kader on duty and K (issue 11 item 1), on a real record (SQLite and PostgreSQL): the
//! kader named on a posyandu's service days in the month, each once per posyandu; another
//! month's do not count; a unit's number is the sum of its posyandu's and the list behind
//! it is as long; a day opened after a read changes the next read (the summaries follow).
//! K counts the balita with a Buku KIA noted on or before the month's end.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/harness.rs"]
mod harness;
#[allow(dead_code)]
mod support {
    pub mod captures;
}

use support::captures::{capture, services};

use report::monthly::{detail, duty, indicators, monthly};
use store::{Actor, Capture, NewServiceDay, OrgUnit, ServiceDayId, Sex, Store, UserId};
use time::macros::date;
use time::{Date, OffsetDateTime};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kader_on_duty_and_k_on_sqlite() {
    let db = harness::sqlite().await;
    kader_on_duty_and_k(db.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kader_on_duty_and_k_on_postgres() {
    if let Some(db) = harness::postgres_or_skip().await {
        kader_on_duty_and_k(db.store.clone()).await;
    }
}

fn service_day(at: &OrgUnit, on: Date, kader: &str) -> Capture {
    Capture::ServiceDay(NewServiceDay {
        id: ServiceDayId::new(),
        org_unit_id: at.id,
        date: on,
        note: Some(kader.into()),
        captured_at: OffsetDateTime::now_utc(),
    })
}

async fn kader_on_duty_and_k(store: Store) {
    let r = fixture::region(&store).await;
    let sys = Actor::system("test");
    let (melati, mawar) = (&r.posyandu_a, &r.posyandu_b);
    let add = async |at: &OrgUnit, name: &str, birth| {
        fixture::add_person(&store, &sys, &fixture::person(at, name, Sex::Female, birth)).await
    };
    let ani = add(melati, "Ani", date!(2025 - 01 - 01)).await;
    let budi = add(melati, "Budi", date!(2024 - 06 - 01)).await;
    let citra = add(melati, "Citra", date!(2023 - 03 - 01)).await;
    let dodi = add(melati, "Dodi", date!(2019 - 01 - 01)).await; // past balita age
    let hadi = add(mawar, "Hadi", date!(2025 - 06 - 01)).await;
    let kader = fixture::kader(&store, melati, "sari").await;
    let oct5 = date!(2026 - 10 - 05);

    // Melati's two October days name Sari twice (once counted), Rina, Wati and Yuli; Mawar's
    // day another Sari (counted at Mawar); Melati's November day Tini.
    capture(
        &store,
        vec![
            service_day(melati, oct5, "Sari, Rina dan Wati"),
            service_day(melati, date!(2026 - 10 - 19), "sari; Yuli"),
            service_day(mawar, date!(2026 - 10 - 07), "Sari"),
            service_day(melati, date!(2026 - 11 - 02), "Tini"),
        ],
    )
    .await;
    // Buku KIA: Ani in October, Citra in September (still hers in October), Budi only in
    // November, Hadi "false", Dodi past balita age.
    capture(
        &store,
        vec![
            services(
                &ani,
                oct5,
                serde_json::json!({"buku_kia": true, "pmt": true}),
            ),
            services(
                &citra,
                date!(2026 - 09 - 10),
                serde_json::json!({"buku_kia": true}),
            ),
            services(
                &budi,
                date!(2026 - 11 - 02),
                serde_json::json!({"buku_kia": true}),
            ),
            services(
                &hadi,
                date!(2026 - 10 - 07),
                serde_json::json!({"buku_kia": false}),
            ),
            services(&dodi, oct5, serde_json::json!({"buku_kia": true})),
        ],
    )
    .await;

    let october = date!(2026 - 10 - 01);
    let count = |n: &report::monthly::Numbers, code: &str| n.tally(code).total;
    let m = monthly(&store, &sys, melati.id, october).await.unwrap();
    assert_eq!(count(&m.numbers, duty::CODE), 4, "Sari, Rina, Wati, Yuli");
    assert_eq!(count(&m.numbers, "s"), 3, "Ani, Budi, Citra");
    assert_eq!(count(&m.numbers, "k"), 2, "Ani, Citra");
    let ratio = |code: &str| m.numbers.value(indicators::by_code(code).unwrap());
    assert_eq!(
        ratio("k_per_s"),
        report::monthly::Value::Ratio {
            numerator: 2,
            denominator: 3,
            percent: Some(66.7)
        }
    );
    let d = detail(&store, &sys, melati.id, october).await.unwrap();
    let names: Vec<&str> = d.duties().iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["Sari", "Rina", "Wati", "Yuli"]);
    let mut k = d.persons("k");
    k.sort();
    let mut expect = vec![ani.id, citra.id];
    expect.sort();
    assert_eq!(k, expect);

    // The Puskesmas: Melati's two and Mawar's one; the list as long as the number.
    let p = monthly(&store, &sys, r.puskesmas.id, october)
        .await
        .unwrap();
    assert_eq!(count(&p.numbers, duty::CODE), 5);
    assert_eq!(count(&p.numbers, "k"), 2, "Hadi's book is \"false\"");
    let d = detail(&store, &sys, r.puskesmas.id, october).await.unwrap();
    assert_eq!(d.listed(duty::CODE), 5);
    assert_eq!(d.listed("k"), 2);
    let november = monthly(&store, &sys, melati.id, date!(2026 - 11 - 01))
        .await
        .unwrap();
    assert_eq!(count(&november.numbers, duty::CODE), 1, "Tini");

    // A third October day at Melati after those reads: the next read counts Dewi too.
    capture(
        &store,
        vec![service_day(melati, date!(2026 - 10 - 26), "Sari dan Dewi")],
    )
    .await;
    let again = monthly(&store, &sys, r.puskesmas.id, october)
        .await
        .unwrap();
    assert_eq!(count(&again.numbers, duty::CODE), 6);
    assert_eq!(count(&november.numbers, "k"), 3, "Ani, Budi, Citra");

    // Only an operator's command writes in another's name.
    let mut tx = store.begin(&kader).await.unwrap();
    let other = UserId::new();
    assert!(tx.record_as(store::VisitId::new().0, other).is_err());
}
