//! Managing accounts on both engines: listing the users of a subtree, who may create and
//! deactivate whom (`Actor::may_manage`), nobody deactivating themselves, and deactivation
//! ending the sessions. SQLite always, PostgreSQL when `POSYANDU_TEST_PG_URL` is set (as
//! in `accounts.rs`).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "conformance/harness.rs"]
mod harness;

use store::*;
use time::OffsetDateTime;

macro_rules! on_both {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = crate::harness::sqlite().await;
                    crate::$story(db.store.clone()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[cfg_attr(no_pg_url, ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested")]
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = crate::harness::postgres_or_skip().await else { return };
                    crate::$story(db.store.clone()).await;
                }
            )*
        }
    };
}

on_both!(
    users_under_lists_the_subtree_inside_the_scope,
    who_may_create_which_role,
    deactivation_follows_the_rule_and_ends_sessions,
    nobody_deactivates_themselves,
    editing_an_account_follows_the_role_rule,
);

const PASSWORD: &str = "kata-sandi-uji-2026";

fn new_user(username: &str, role: Role, unit: &OrgUnit) -> NewUser {
    NewUser {
        id: UserId::new(),
        username: username.into(),
        display_name: format!("Pengguna {username}"),
        role,
        org_unit_id: unit.id,
    }
}

/// An account with a password, made by the operator.
async fn account(store: &Store, username: &str, role: Role, unit: &OrgUnit) -> User {
    let hash = password::hash_new(username, PASSWORD).unwrap();
    store
        .add_user(
            &Actor::system("test"),
            &new_user(username, role, unit),
            &hash,
        )
        .await
        .unwrap()
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.username.as_str()).collect()
}

async fn users_under_lists_the_subtree_inside_the_scope(store: Store) {
    let r = fixture::region(&store).await;
    account(&store, "admin.kab", Role::DinkesAdmin, &r.kabupaten).await;
    let officer = account(
        &store,
        "pkm.tempursari",
        Role::PuskesmasOfficer,
        &r.puskesmas,
    )
    .await;
    let bidan = account(&store, "bidan.a", Role::Bidan, &r.desa_a).await;
    account(&store, "kader.a", Role::Kader, &r.posyandu_a).await;
    let b = account(&store, "kader.b", Role::Kader, &r.posyandu_b).await;
    let sys = Actor::system("test");
    store.deactivate_user(&sys, b.id).await.unwrap();

    let all = store.users_under(&sys, r.province.id).await.unwrap();
    assert_eq!(
        names(&all),
        [
            "admin.kab",
            "pkm.tempursari",
            "bidan.a",
            "kader.a",
            "kader.b"
        ]
    );
    // Inactive accounts are listed, marked.
    assert!(!all.iter().find(|u| u.id == b.id).unwrap().active);

    let officer = Actor::for_user(&officer);
    let mine = store.users_under(&officer, r.puskesmas.id).await.unwrap();
    assert_eq!(
        names(&mine),
        ["pkm.tempursari", "bidan.a", "kader.a", "kader.b"]
    );
    let desa = store.users_under(&officer, r.desa_a.id).await.unwrap();
    assert_eq!(names(&desa), ["bidan.a", "kader.a"]);

    // A unit above or beside the actor's scope is refused, not emptied.
    let err = store
        .users_under(&officer, r.kabupaten.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    let bidan = Actor::for_user(&bidan);
    let err = store
        .users_under(&bidan, r.posyandu_b.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    let err = store.users_under(&sys, OrgUnitId::new()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
}

async fn who_may_create_which_role(store: Store) {
    let r = fixture::region(&store).await;
    let admin = account(&store, "admin.kab", Role::DinkesAdmin, &r.kabupaten).await;
    let officer = account(
        &store,
        "pkm.tempursari",
        Role::PuskesmasOfficer,
        &r.puskesmas,
    )
    .await;
    let kader = account(&store, "kader.a", Role::Kader, &r.posyandu_a).await;
    let (admin, officer, kader) = (
        Actor::for_user(&admin),
        Actor::for_user(&officer),
        Actor::for_user(&kader),
    );
    assert_eq!(admin.manageable_roles(), Role::ALL);
    assert_eq!(officer.manageable_roles(), [Role::Kader, Role::Bidan]);
    assert!(kader.manageable_roles().is_empty());
    let hash = password::hash_new("x", PASSWORD).unwrap();

    // The officer adds a kader in the subtree; the audit names the officer.
    let made = store
        .add_user(
            &officer,
            &new_user("kader.baru", Role::Kader, &r.posyandu_b),
            &hash,
        )
        .await
        .unwrap();
    let creds = store.credentials("kader.baru").await.unwrap().unwrap();
    assert!(creds.can_log_in());
    let trail = store.audit_of(&admin, made.id.0).await.unwrap();
    assert!(
        trail.iter().all(|e| e.actor == officer.label()),
        "{trail:?}"
    );

    // Not an admin, even in the officer's own subtree; nothing is left behind.
    let err = store
        .add_user(
            &officer,
            &new_user("admin.palsu", Role::DinkesAdmin, &r.posyandu_a),
            &hash,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::RoleNotAllowed {
                actor: Role::PuskesmasOfficer,
                target: Role::DinkesAdmin
            }
        ),
        "{err}"
    );
    assert!(store.credentials("admin.palsu").await.unwrap().is_none());
    // A kader manages nobody.
    let err = store
        .add_user(
            &kader,
            &new_user("kader.teman", Role::Kader, &r.posyandu_a),
            &hash,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::RoleNotAllowed { .. }), "{err}");
    // Outside the subtree: refused even for a role the officer may manage.
    let err = store
        .add_user(
            &officer,
            &new_user("kader.jauh", Role::Kader, &r.kabupaten),
            &hash,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    // The admin may add any role in the kabupaten.
    store
        .add_user(
            &admin,
            &new_user("admin.dua", Role::DinkesAdmin, &r.kabupaten),
            &hash,
        )
        .await
        .unwrap();
}

async fn deactivation_follows_the_rule_and_ends_sessions(store: Store) {
    let r = fixture::region(&store).await;
    let officer = account(
        &store,
        "pkm.tempursari",
        Role::PuskesmasOfficer,
        &r.puskesmas,
    )
    .await;
    let kader = account(&store, "kader.a", Role::Kader, &r.posyandu_a).await;
    // An admin account placed inside the Puskesmas subtree: visible, not manageable.
    let odd = account(&store, "admin.desa", Role::DinkesAdmin, &r.desa_a).await;
    let outside = account(&store, "admin.kab", Role::DinkesAdmin, &r.kabupaten).await;
    let now = OffsetDateTime::now_utc();
    let s = store
        .create_session(kader.id, now, SessionPolicy::default(), None)
        .await
        .unwrap();
    let officer = Actor::for_user(&officer);

    let off = store.deactivate_user(&officer, kader.id).await.unwrap();
    assert!(!off.active);
    assert!(store.session(&s.token, now).await.unwrap().is_none());
    assert!(
        !store
            .credentials("kader.a")
            .await
            .unwrap()
            .unwrap()
            .can_log_in()
    );
    let trail = store
        .audit_of(&Actor::system("t"), kader.id.0)
        .await
        .unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.actor, officer.label());
    assert_eq!(last.detail["sessions_revoked"], 1);

    let err = store.deactivate_user(&officer, odd.id).await.unwrap_err();
    assert!(matches!(err, StoreError::RoleNotAllowed { .. }), "{err}");
    let err = store
        .deactivate_user(&officer, outside.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    let err = store
        .deactivate_user(&officer, UserId::new())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(
        store
            .user(&Actor::system("t"), odd.id)
            .await
            .unwrap()
            .active
    );
}

async fn nobody_deactivates_themselves(store: Store) {
    let r = fixture::region(&store).await;
    let admin = account(&store, "admin.kab", Role::DinkesAdmin, &r.kabupaten).await;
    let me = Actor::for_user(&admin);
    let err = store.deactivate_user(&me, admin.id).await.unwrap_err();
    assert!(matches!(err, StoreError::OwnAccount { .. }), "{err}");
    let creds = store.credentials("admin.kab").await.unwrap().unwrap();
    assert!(creds.can_log_in());
    // The operator can.
    store
        .deactivate_user(&Actor::system("t"), admin.id)
        .await
        .unwrap();
}

async fn editing_an_account_follows_the_role_rule(store: Store) {
    let r = fixture::region(&store).await;
    let officer = account(&store, "pkm.ubah", Role::PuskesmasOfficer, &r.puskesmas).await;
    let kader = account(&store, "kader.ubah", Role::Kader, &r.posyandu_a).await;
    let admin = account(&store, "admin.ubah", Role::DinkesAdmin, &r.desa_a).await;
    let officer = Actor::for_user(&officer);
    let edit = |u: &User, role: Role| NewUser {
        id: u.id,
        username: u.username.clone(),
        display_name: format!("{} (diubah)", u.display_name),
        role,
        org_unit_id: u.org_unit_id,
    };
    // Raising a kader to admin is refused, and nothing changes.
    let mut tx = store.begin(&officer).await.unwrap();
    let err = tx
        .update_user(kader.meta.version, &edit(&kader, Role::DinkesAdmin))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::RoleNotAllowed { .. }), "{err}");
    drop(tx);
    // So is editing an admin's account.
    let mut tx = store.begin(&officer).await.unwrap();
    let err = tx
        .update_user(admin.meta.version, &edit(&admin, Role::DinkesAdmin))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::RoleNotAllowed { .. }), "{err}");
    drop(tx);
    let sys = Actor::system("t");
    assert_eq!(store.user(&sys, kader.id).await.unwrap().role, Role::Kader);
    // A kader made bidan is within the rule.
    let mut tx = store.begin(&officer).await.unwrap();
    let changed = tx
        .update_user(kader.meta.version, &edit(&kader, Role::Bidan))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(changed.role, Role::Bidan);
}
