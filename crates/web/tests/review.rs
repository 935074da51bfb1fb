//! The review list (`/tinjau`): a field two phones changed differently, chosen by a bidan.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/admin_app.rs"]
mod admin_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use admin_app::*;
use axum::http::StatusCode;
use store::{Actor, Role};

/// The review list: a bidan sees a field two phones changed differently (both values) and
/// chooses the phone's; a kader may not open it; a choice that is neither is refused naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bidan_reviews_a_conflicting_edit_and_chooses() {
    let app = app().await;
    let r = &app.region;
    let sys = Actor::system("test");
    let base = fixture::person(
        &r.posyandu_a,
        "Wulan",
        store::Sex::Female,
        time::macros::date!(2023 - 08 - 01),
    );
    let p = fixture::add_person(&app.store, &sys, &base).await;
    let phone_a = fixture::kader(&app.store, &r.posyandu_a, "kader.hp.a").await;
    let phone_b = fixture::kader(&app.store, &r.posyandu_a, "kader.hp.b").await;
    for (who, phone) in [(&phone_a, "0811"), (&phone_b, "0822")] {
        let edit = store::PersonEdit {
            base_version: p.meta.version,
            base: base.clone(),
            edited: store::NewPerson {
                phone: Some(phone.into()),
                ..base.clone()
            },
        };
        app.store.merge_edit(who, &edit).await.unwrap();
    }
    let bidan = app.login("bidan.tinjau", Role::Bidan, &r.desa_a).await;
    let page = app.get("/tinjau", &bidan).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Wulan") && page.body.contains("No. HP"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("0811") && page.body.contains("0822"),
        "{}",
        page.body
    );
    let kader = app.login("kader.tinjau", Role::Kader, &r.posyandu_a).await;
    assert_eq!(
        app.get("/tinjau", &kader).await.status,
        StatusCode::FORBIDDEN
    );
    // Meanwhile the person's step 2 page says a review waits.
    let day = store::NewServiceDay {
        id: store::ServiceDayId::new(),
        org_unit_id: r.posyandu_a.id,
        date: time::macros::date!(2026 - 12 - 01),
        note: None,
        captured_at: time::OffsetDateTime::now_utc(),
    };
    let mut tx = app.store.begin(&sys).await.unwrap();
    tx.capture(&day.clone().into()).await.unwrap();
    tx.commit().await.unwrap();
    let step2 = format!("/hari/{}/orang/{}", day.id, p.id);
    let shown = app.get(&step2, &kader).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("menunggu tinjauan"), "{}", shown.body);

    let review = app.store.open_reviews(&sys, p.id).await.unwrap()[0]
        .id
        .to_string();
    let bad = app
        .post(
            "/tinjau",
            &bidan,
            &[
                ("csrf", &bidan.csrf),
                ("review", &review),
                ("choice", "keduanya"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("keduanya"), "{}", bad.body);
    let done = app
        .post(
            "/tinjau",
            &bidan,
            &[
                ("csrf", &bidan.csrf),
                ("review", &review),
                ("choice", "device"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let now = app.store.person(&sys, p.id).await.unwrap();
    assert_eq!(now.phone.as_deref(), Some("0822"));
    let after = app.get("/tinjau", &bidan).await;
    assert!(
        after.body.contains("Tidak ada data yang menunggu tinjauan"),
        "{}",
        after.body
    );
    assert!(
        !app.get(&step2, &kader)
            .await
            .body
            .contains("menunggu tinjauan")
    );
}
