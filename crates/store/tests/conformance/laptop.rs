//! A laptop kept in step with a district server (`Store::apply_page`, `outgoing`,
//! `mark_pushed`), the laptop on the engine under test and the server an in-memory SQLite
//! store: the push and pull go through the store calls the HTTP handlers make.

use store::*;
use time::macros::date;

use crate::fixture::*;

const SERVER: &str = "https://dinkes.example/";

/// An edit or deletion merged as the push handler merges it; whether it was taken.
async fn merge(server: &Store, kader: &Actor, e: &OutgoingEdit) -> bool {
    let (kind, d) = match e {
        OutgoingEdit::PersonEdit(e) => return server.merge_edit(kader, e).await.is_ok(),
        OutgoingEdit::HouseholdEdit(e) => return server.merge_edit(kader, e).await.is_ok(),
        OutgoingEdit::PregnancyEdit(e) => return server.merge_edit(kader, e).await.is_ok(),
        OutgoingEdit::ReferralEdit(e) => return server.merge_edit(kader, e).await.is_ok(),
        OutgoingEdit::PersonDelete(d) => (EntityKind::Person, d),
        OutgoingEdit::HouseholdDelete(d) => (EntityKind::Household, d),
        OutgoingEdit::RelationshipDelete(d) => (EntityKind::Relationship, d),
        OutgoingEdit::PregnancyDelete(d) => (EntityKind::Pregnancy, d),
        OutgoingEdit::ReferralDelete(d) => (EntityKind::Referral, d),
    };
    server.merge_delete(kader, kind, d).await.is_ok()
}

/// Pulls every page of `kader`'s feed after the laptop's cursor into the laptop.
async fn pull(server: &Store, laptop: &Store, kader: &Actor, limit: u32) -> Applied {
    let mut total = Applied::default();
    loop {
        let after = laptop.sync_state(SERVER).await.unwrap().pulled_seq;
        let page = server.pull_changes(kader, after, limit).await.unwrap();
        total += laptop.apply_page(SERVER, &page).await.unwrap();
        if !page.more {
            return total;
        }
    }
}

/// Sends what the laptop has, as the push handler would take it (creates, captures, then
/// edits); answers how many captures and edits.
async fn push(server: &Store, laptop: &Store, kader: &Actor) -> (usize, usize) {
    let batch = laptop.outgoing(SERVER, 1000, true).await.unwrap();
    let mut creates = Vec::new();
    let mut captures = Vec::new();
    let mut edits = 0;
    for o in &batch.items {
        match &o.item {
            OutgoingItem::Create(c) => creates.push(c.clone()),
            OutgoingItem::Capture(c) => captures.push(c.clone()),
            OutgoingItem::Edit(_) => {}
        }
    }
    let created = server.push_creates(kader, &creates).await.unwrap();
    let answers = server.push_captures(kader, &captures).await.unwrap();
    let (mut created, mut answers) = (created.iter(), answers.iter());
    let mut accepted = Vec::new();
    for o in &batch.items {
        let ok = match &o.item {
            OutgoingItem::Create(_) => {
                !matches!(created.next(), Some(CreateOutcome::Refused(_)) | None)
            }
            OutgoingItem::Capture(_) => {
                !matches!(answers.next(), Some(PushOutcome::Refused(_)) | None)
            }
            OutgoingItem::Edit(e) => {
                edits += 1;
                merge(server, kader, e).await
            }
        };
        accepted.push(if ok {
            PushAnswer::Accepted
        } else {
            PushAnswer::Retry
        });
    }
    laptop.mark_pushed(SERVER, &batch, &accepted).await.unwrap();
    (captures.len(), edits)
}

/// The first pull writes the kader's subtree (a person before the household it points at
/// is held until the household comes), a page applied twice changes nothing; a capture
/// made on the laptop is sent once and not echoed back; a person edited on both sides in
/// different fields ends merged on both.
pub async fn laptop_pulls_pushes_and_merges(laptop: Store) {
    let server = Store::connect("sqlite::memory:").await.unwrap();
    server.migrate().await.unwrap();
    let r = region(&server).await;
    let sys = Actor::system("test");
    let kader_a = kader(&server, &r.posyandu_a, "kader.laptop").await;
    let mut tx = server.begin(&sys).await.unwrap();
    let h = NewHousehold {
        id: HouseholdId::new(),
        org_unit_id: r.posyandu_a.id,
        kk_number: None,
        head_name: "Sutrisno".into(),
        address: None,
        rt: Some("01".into()),
        rw: None,
    };
    tx.create_household(&h).await.unwrap();
    let base = NewPerson {
        household_id: Some(h.id),
        ..person(&r.posyandu_a, "Sari", Sex::Female, date!(2024 - 01 - 05))
    };
    let (p, _) = tx.create_person(&base).await.unwrap();
    // The household changes after the person: it comes later in the feed.
    tx.update_household(
        1,
        &NewHousehold {
            rw: Some("03".into()),
            ..h.clone()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let far = add_person(
        &server,
        &sys,
        &person(&r.posyandu_b, "Jauh", Sex::Male, date!(2023 - 01 - 01)),
    )
    .await;

    // Pages of one row: the person is held until its household has come.
    let first = pull(&server, &laptop, &kader_a, 1).await;
    assert_eq!(first.parked, 0, "{first:?}");
    assert!(first.written >= 4, "{first:?}");
    let on_laptop = laptop.person(&sys, p.record.id).await.unwrap();
    assert_eq!(on_laptop.household_id, Some(h.id));
    assert_eq!(on_laptop.meta.version, p.record.meta.version);
    assert!(
        laptop.person(&sys, far.id).await.is_err(),
        "outside the subtree"
    );
    let unit = laptop.org_unit(&sys, r.posyandu_a.id).await.unwrap();
    assert_eq!(
        unit.parent_id, None,
        "the top of the subtree is a root here"
    );

    // The same pages again: nothing written.
    let whole = server.pull_changes(&kader_a, 0, 1000).await.unwrap();
    let again = laptop.apply_page(SERVER, &whole).await.unwrap();
    assert_eq!((again.written, again.kept), (0, 0), "{again:?}");
    assert!(
        laptop
            .outgoing(SERVER, 1000, true)
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // A weighing on the laptop, by the kader (whose account came with the pull).
    let kader_here = laptop
        .user_by_username("kader.laptop")
        .await
        .unwrap()
        .map(|u| Actor::for_user(&u))
        .unwrap();
    let v = visit(&on_laptop, &r.posyandu_a, date!(2025 - 07 - 01));
    let mut w = weight(&on_laptop, &r.posyandu_a, date!(2025 - 07 - 01), 8.4);
    w.visit_id = Some(v.id);
    let mut tx = laptop.begin(&kader_here).await.unwrap();
    tx.capture_batch(&[v.clone().into(), w.clone().into()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(push(&server, &laptop, &kader_a).await, (2, 0));
    assert_eq!(push(&server, &laptop, &kader_a).await, (0, 0), "sent once");
    let back = pull(&server, &laptop, &kader_a, 1000).await;
    assert_eq!(
        back.written, 0,
        "the laptop's own rows come back unchanged: {back:?}"
    );
    assert_eq!(push(&server, &laptop, &kader_a).await, (0, 0), "no echo");
    assert_eq!(
        server
            .measurements_of(&sys, p.record.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Both sides edit the person: the server the name, the laptop the phone.
    let mut tx = server.begin(&sys).await.unwrap();
    let server_p = tx
        .update_person(
            on_laptop.meta.version,
            &NewPerson {
                name: "Sari Dewi".into(),
                ..base.clone()
            },
        )
        .await
        .unwrap()
        .0;
    tx.commit().await.unwrap();
    let mut tx = laptop.begin(&sys).await.unwrap();
    tx.update_person(
        on_laptop.meta.version,
        &NewPerson {
            phone: Some("0812".into()),
            ..base.clone()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A pull before the push keeps the laptop's edit (the server row waits for it).
    let held = pull(&server, &laptop, &kader_a, 1000).await;
    assert_eq!(held.kept, 1, "{held:?}");
    assert_eq!(
        laptop
            .person(&sys, p.record.id)
            .await
            .unwrap()
            .phone
            .as_deref(),
        Some("0812")
    );
    assert_eq!(push(&server, &laptop, &kader_a).await, (0, 1));
    pull(&server, &laptop, &kader_a, 1000).await;
    let merged = server.person(&sys, p.record.id).await.unwrap();
    assert_eq!(
        (merged.name.as_str(), merged.phone.as_deref()),
        ("Sari Dewi", Some("0812"))
    );
    assert!(merged.meta.version > server_p.meta.version);
    let here = laptop.person(&sys, p.record.id).await.unwrap();
    assert_eq!(
        (here.name.as_str(), here.phone.as_deref(), here.meta.version),
        ("Sari Dewi", Some("0812"), merged.meta.version)
    );
    assert_eq!(push(&server, &laptop, &kader_a).await, (0, 0));
    server.close().await;
}
