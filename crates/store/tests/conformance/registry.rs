//! Stories about registry rows: the org tree and scoping, persons and NIK, versions and
//! conflicts.

use store::*;
use time::macros::date;

use crate::fixture::*;

pub async fn org_tree_and_scoping(store: Store) {
    let r = region(&store).await;
    assert_eq!(
        r.posyandu_a.path.as_str(),
        "/35/3508/350801/P3508010201/3508012001/PY01/"
    );
    assert_eq!(r.desa_a.region_code.as_deref(), Some("35.08.01.2001"));
    assert_eq!(r.province.time_zone, TimeZone::Wib);

    let sys = Actor::system("test");
    let under = store.org_units_under(&sys, r.puskesmas.id).await.unwrap();
    assert_eq!(under.len(), 5, "puskesmas, 2 desa, 2 posyandu");
    assert!(under.windows(2).all(|w| w[0].path < w[1].path));

    // A kader of posyandu A sees A only.
    let kader_a = kader(&store, &r.posyandu_a, "kader.a").await;
    let in_a = add_person(
        &store,
        &kader_a,
        &person(&r.posyandu_a, "Siti", Sex::Female, date!(2024 - 05 - 01)),
    )
    .await;
    let in_b = person_in_b(&sys, &store, &r).await;
    assert!(store.person(&kader_a, in_a.id).await.is_ok());
    assert!(matches!(
        store.person(&kader_a, in_b.id).await,
        Err(StoreError::OutOfScope {
            entity: EntityKind::Person,
            ..
        })
    ));
    assert!(matches!(
        store.persons_under(&kader_a, r.puskesmas.id).await,
        Err(StoreError::OutOfScope { .. })
    ));
    let seen = store
        .persons_under(&kader_a, r.posyandu_a.id)
        .await
        .unwrap();
    assert_eq!(seen.iter().map(|p| p.id).collect::<Vec<_>>(), vec![in_a.id]);
    // The puskesmas officer sees both.
    let officer = sys.narrowed(&r.puskesmas.path);
    assert_eq!(
        store
            .persons_under(&officer, r.puskesmas.id)
            .await
            .unwrap()
            .len(),
        2
    );

    // Out-of-scope writes are refused and leave nothing behind.
    let mut tx = store.begin(&kader_a).await.unwrap();
    let err = tx
        .create_person(&person(
            &r.posyandu_b,
            "Budi",
            Sex::Male,
            date!(2023 - 01 - 01),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::OutOfScope {
                entity: EntityKind::OrgUnit,
                ..
            }
        ),
        "{err}"
    );
    let err = tx
        .capture(&weight(&in_b, &r.posyandu_b, date!(2025 - 01 - 10), 9.0).into())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    let err = tx
        .create_org_unit(&unit(
            Some(&r.desa_a),
            OrgLevel::Posyandu,
            "PY09",
            "Luar",
            None,
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    drop(tx);
    assert_eq!(
        store
            .persons_under(&officer, r.puskesmas.id)
            .await
            .unwrap()
            .len(),
        2
    );

    // The tree refuses wrong levels and duplicate codes, and a repeated create is harmless.
    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .create_org_unit(&unit(
            Some(&r.kabupaten),
            OrgLevel::Posyandu,
            "X1",
            "Salah",
            None,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "level", .. }),
        "{err}"
    );
    let err = tx
        .create_org_unit(&unit(
            Some(&r.desa_a),
            OrgLevel::Posyandu,
            "PY01",
            "Kembar",
            None,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "code", .. }),
        "{err}"
    );
    let err = tx
        .create_org_unit(&unit(
            Some(&r.desa_a),
            OrgLevel::Posyandu,
            "PY_1",
            "Garis",
            None,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "code", .. }),
        "{err}"
    );
    let again = NewOrgUnit {
        id: r.posyandu_a.id,
        ..unit(
            Some(&r.desa_a),
            OrgLevel::Posyandu,
            "PY01",
            "Posyandu Melati",
            None,
        )
    };
    let dup = tx.create_org_unit(&again).await.unwrap();
    assert_eq!(dup.outcome, Outcome::Duplicate);
    assert_eq!(dup.record.id, r.posyandu_a.id);
    tx.commit().await.unwrap();
}

/// A person at posyandu B created by the system actor.
async fn person_in_b(sys: &Actor, store: &Store, r: &Region) -> Person {
    crate::fixture::add_person(
        store,
        sys,
        &person(&r.posyandu_b, "Budi", Sex::Male, date!(2023 - 02 - 02)),
    )
    .await
}

pub async fn person_with_nik_warnings(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let mut mother = person(
        &r.posyandu_a,
        "Sri Wahyuni",
        Sex::Female,
        date!(1990 - 01 - 01),
    );
    mother.nik = Some(Nik::parse("3508014101900001").unwrap());
    let mut wrong = person(&r.posyandu_a, "Slamet", Sex::Male, date!(1985 - 06 - 15));
    wrong.nik = Some(Nik::parse("3508991506860002").unwrap()); // unknown kecamatan, year 86
    let mut baby = person(
        &r.posyandu_a,
        "Bayi Ny. Sri",
        Sex::Male,
        date!(2025 - 03 - 04),
    );
    baby.nik = mother.nik.clone();
    baby.nik_is_mother = true;

    let mut tx = store.begin(&sys).await.unwrap();
    let (m, w1) = tx.create_person(&mother).await.unwrap();
    let (s, w2) = tx.create_person(&wrong).await.unwrap();
    let (b, w3) = tx.create_person(&baby).await.unwrap();
    tx.commit().await.unwrap();
    assert!(w1.is_empty(), "{w1:?}");
    assert_eq!(
        w2,
        vec![
            NikWarning::UnknownRegion {
                region: "350899".into()
            },
            NikWarning::BirthDateMismatch
        ]
    );
    assert!(w3.is_empty(), "mother's NIK on a newborn is fine: {w3:?}");
    // Warnings never block: all three are stored, NIK intact.
    assert_eq!(s.outcome, Outcome::Inserted);
    let stored = store.person(&sys, m.record.id).await.unwrap();
    assert_eq!(
        stored.nik.as_ref().map(Nik::as_str),
        Some("3508014101900001")
    );
    let same_nik = store
        .persons_by_nik(&sys, mother.nik.as_ref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        same_nik.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![m.record.id, b.record.id]
    );

    // The NIK never shows in Debug output or audit rows.
    assert!(!format!("{stored:?}").contains("3508014101900001"));
    let audit = store.audit_of(&sys, m.record.id.0).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::Create);
    assert_eq!(audit[0].actor, "system:test");
    let text = audit[0].detail.to_string();
    assert!(!text.contains("3508014101900001"), "{text}");
    assert!(text.contains("Sri Wahyuni"), "{text}");

    // Format errors are refused before the store, with a clear message.
    let err = Nik::parse("35080141019000").unwrap_err();
    assert_eq!(err.to_string(), "NIK harus 16 angka, diterima 14 karakter");
    // A birth date in the future is refused, naming the field.
    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .create_person(&person(
            &r.posyandu_a,
            "Nanti",
            Sex::Female,
            date!(2999 - 01 - 01),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "birth_date",
                ..
            }
        ),
        "{err}"
    );
}

pub async fn versioned_update_and_conflict(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let new = person(&r.posyandu_a, "Ani", Sex::Female, date!(2024 - 01 - 10));
    let p = add_person(&store, &sys, &new).await;
    assert_eq!(p.meta.version, 1);

    // Two clients read version 1; the first edit wins, the second gets a typed conflict.
    let first = NewPerson {
        name: "Ani Rahmawati".into(),
        ..new.clone()
    };
    let second = NewPerson {
        phone: Some("08123456789".into()),
        ..new.clone()
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let (updated, _) = tx.update_person(1, &first).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(updated.meta.version, 2);
    assert!(updated.meta.seq > p.meta.seq);
    assert_eq!(updated.name, "Ani Rahmawati");

    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx.update_person(1, &second).await.unwrap_err();
    match err {
        StoreError::Conflict {
            entity,
            expected,
            actual,
            ..
        } => {
            assert_eq!((entity, expected, actual), (EntityKind::Person, 1, 2));
        }
        other => panic!("expected conflict, got {other}"),
    }
    drop(tx);
    // Rebased on version 2 it goes through.
    let rebased = NewPerson {
        name: "Ani Rahmawati".into(),
        ..second
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let (v3, _) = tx.update_person(2, &rebased).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(v3.meta.version, 3);
    assert_eq!(v3.phone.as_deref(), Some("08123456789"));

    // The audit keeps both values of every changed field.
    let audit = store.audit_of(&sys, p.id.0).await.unwrap();
    let actions: Vec<_> = audit.iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        vec![
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Update
        ]
    );
    assert_eq!(
        audit[1].detail["changed"]["name"],
        serde_json::json!({ "from": "Ani", "to": "Ani Rahmawati" })
    );
    assert_eq!(audit[2].detail["changed"]["phone"]["to"], "08123456789");
    assert!(audit[2].detail["changed"].get("name").is_none());
}
