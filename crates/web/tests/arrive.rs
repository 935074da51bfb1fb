//! Two phones record the same person's arrival at the same moment (two kader at one
//! registration table, or two first captures racing): both get the same visit, and the
//! day counts the person once.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/harness.rs"]
mod harness;

use store::{Actor, ServiceDayId, Sex, VisitId};
use time::macros::date;
use web::day::service::{OpenDay, arrive, open_day};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_arrivals_make_one_visit() {
    let db = harness::sqlite().await;
    let store = db.store.clone();
    let r = fixture::region(&store).await;
    let kader = fixture::kader(&store, &r.posyandu_a, "kader.a").await;
    let child = fixture::add_person(
        &store,
        &Actor::system("test"),
        &fixture::person(&r.posyandu_a, "Ayu", Sex::Female, date!(2024 - 03 - 01)),
    )
    .await;
    let day = open_day(
        &store,
        &kader,
        &OpenDay {
            id: ServiceDayId::new(),
            unit: r.posyandu_a.id,
            date: date!(2025 - 07 - 07),
            kader: "Bu Ani".into(),
        },
    )
    .await
    .unwrap();
    for round in 0..5 {
        let other = fixture::add_person(
            &store,
            &Actor::system("test"),
            &fixture::person(
                &r.posyandu_a,
                &format!("Anak {round}"),
                Sex::Male,
                date!(2024 - 01 - 01),
            ),
        )
        .await;
        let phones: Vec<_> = (0..4)
            .map(|_| {
                let (s, k, d) = (store.clone(), kader.clone(), day.clone());
                tokio::spawn(async move { arrive(&s, &k, &d, other.id, VisitId::new()).await })
            })
            .collect();
        let mut ids = Vec::new();
        for p in phones {
            ids.push(p.await.unwrap().unwrap().id.0);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            1,
            "round {round}: every phone sees the one visit"
        );
    }
    arrive(&store, &kader, &day, child.id, VisitId::new())
        .await
        .unwrap();
    let visits = store.visits_of_day(&kader, day.id).await.unwrap();
    assert_eq!(
        visits.len(),
        6,
        "five raced arrivals and one alone, each once"
    );
}
