//! Stories about an admin reactivating accounts and changing their role or unit
//! (`Store::reactivate_user`, `Store::reassign_user`): the scope, the role rule both ways,
//! nobody changing their own, the sessions ending, and one audit row per change.

use store::*;
use time::OffsetDateTime;

use crate::fixture::*;

const PASSWORD: &str = "kata-sandi-uji-2026";

/// An account made by the operator, with a password.
async fn account(store: &Store, username: &str, role: Role, unit: &OrgUnit) -> User {
    let hash = password::hash_new(username, PASSWORD).unwrap();
    let new = NewUser {
        id: UserId::new(),
        username: username.into(),
        display_name: format!("Pengguna {username}"),
        role,
        org_unit_id: unit.id,
    };
    store
        .add_user(&Actor::system("test"), &new, &hash)
        .await
        .unwrap()
}

async fn session(store: &Store, user: &User) -> Secret {
    let now = OffsetDateTime::now_utc();
    store
        .create_session(user.id, now, SessionPolicy::default(), None)
        .await
        .unwrap()
        .token
}

async fn live(store: &Store, token: &Secret) -> bool {
    let now = OffsetDateTime::now_utc();
    store.session(token, now).await.unwrap().is_some()
}

async fn trail_len(store: &Store, id: UserId) -> usize {
    let sys = Actor::system("test");
    store.audit_of(&sys, id.0).await.unwrap().len()
}

pub async fn reactivation_follows_the_rule(store: Store) {
    let r = region(&store).await;
    let officer = account(&store, "pkm", Role::PuskesmasOfficer, &r.puskesmas).await;
    let officer = Actor::for_user(&officer);
    let kader = account(&store, "kader.a", Role::Kader, &r.posyandu_a).await;
    store.deactivate_user(&officer, kader.id).await.unwrap();
    let before = trail_len(&store, kader.id).await;

    let back = store.reactivate_user(&officer, kader.id).await.unwrap();
    assert!(back.active);
    assert!(store.user_by_username("kader.a").await.unwrap().is_some());
    let token = session(&store, &back).await;
    assert!(live(&store, &token).await, "can log in again");
    let trail = store
        .audit_of(&Actor::system("t"), kader.id.0)
        .await
        .unwrap();
    assert_eq!(trail.len(), before + 1);
    let last = trail.last().unwrap();
    assert_eq!(last.actor, officer.label());
    assert_eq!(last.detail["changed"]["active"]["to"], true);

    // A second time writes nothing and keeps the session.
    let again = store.reactivate_user(&officer, kader.id).await.unwrap();
    assert_eq!(again.meta.version, back.meta.version);
    assert_eq!(trail_len(&store, kader.id).await, before + 1);
    assert!(live(&store, &token).await);

    // An account of a role the officer may not manage stays off.
    let admin = account(&store, "admin.desa", Role::DinkesAdmin, &r.desa_a).await;
    store
        .deactivate_user(&Actor::system("t"), admin.id)
        .await
        .unwrap();
    let err = store.reactivate_user(&officer, admin.id).await.unwrap_err();
    assert!(matches!(err, StoreError::RoleNotAllowed { .. }), "{err}");

    // Outside the subtree (or unknown): not found, and nothing changes.
    let far = account(&store, "kader.kab", Role::Kader, &r.kabupaten).await;
    store
        .deactivate_user(&Actor::system("t"), far.id)
        .await
        .unwrap();
    for id in [far.id, UserId::new()] {
        let err = store.reactivate_user(&officer, id).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    }
    let sys = Actor::system("t");
    assert!(!store.user(&sys, far.id).await.unwrap().active);
    assert!(!store.user(&sys, admin.id).await.unwrap().active);
}

pub async fn reassignment_follows_the_rule_and_ends_sessions(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("t");
    let officer_user = account(&store, "pkm", Role::PuskesmasOfficer, &r.puskesmas).await;
    let officer = Actor::for_user(&officer_user);
    let kader = account(&store, "kader.a", Role::Kader, &r.posyandu_a).await;
    let token = session(&store, &kader).await;
    let v = kader.meta.version;

    // A role the officer may not give, a unit outside the subtree, their own account.
    let err = store
        .reassign_user(&officer, kader.id, v, Role::DinkesAdmin, r.desa_a.id)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::RoleNotAllowed {
                target: Role::DinkesAdmin,
                ..
            }
        ),
        "{err}"
    );
    let err = store
        .reassign_user(&officer, kader.id, v, Role::Kader, r.kabupaten.id)
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
    let err = store
        .reassign_user(
            &officer,
            officer_user.id,
            officer_user.meta.version,
            Role::PuskesmasOfficer,
            r.desa_a.id,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::OwnScope { .. }), "{err}");
    assert!(live(&store, &token).await, "refusals changed nothing");
    assert_eq!(store.user(&sys, kader.id).await.unwrap().meta.version, v);

    // The same role and unit again: nothing written, the session stays.
    let same = store
        .reassign_user(&officer, kader.id, v, Role::Kader, r.posyandu_a.id)
        .await
        .unwrap();
    assert_eq!(same.meta.version, v);
    assert!(live(&store, &token).await);

    // A kader becomes the bidan of the village: new scope, the old session ends.
    let before = trail_len(&store, kader.id).await;
    let bidan = store
        .reassign_user(&officer, kader.id, v, Role::Bidan, r.desa_a.id)
        .await
        .unwrap();
    assert_eq!(bidan.role, Role::Bidan);
    assert_eq!(bidan.org_path, r.desa_a.path);
    assert_eq!(bidan.meta.version, v + 1);
    assert!(!live(&store, &token).await, "the old session ended");
    let trail = store.audit_of(&sys, kader.id.0).await.unwrap();
    assert_eq!(trail.len(), before + 1);
    let last = trail.last().unwrap();
    assert_eq!(last.actor, officer.label());
    // The audit names roles as serde does (the variant).
    assert_eq!(last.detail["changed"]["role"]["to"], "Bidan");
    assert_eq!(
        last.detail["changed"]["org_unit_id"]["to"],
        r.desa_a.id.to_string()
    );
    assert_eq!(last.detail["sessions_revoked"], 1);

    // The version read before the change is stale now.
    let err = store
        .reassign_user(&officer, kader.id, v, Role::Kader, r.posyandu_b.id)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");

    // An account of a role the officer may not manage cannot be changed, even to one it may.
    let admin = account(&store, "admin.desa", Role::DinkesAdmin, &r.desa_a).await;
    let err = store
        .reassign_user(&officer, admin.id, 1, Role::Kader, r.desa_a.id)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::RoleNotAllowed {
                target: Role::DinkesAdmin,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        store.user(&sys, admin.id).await.unwrap().role,
        Role::DinkesAdmin
    );

    // Outside the subtree (or unknown): not found.
    let far = account(&store, "kader.kab", Role::Kader, &r.kabupaten).await;
    for id in [far.id, UserId::new()] {
        let err = store
            .reassign_user(&officer, id, 1, Role::Bidan, r.desa_a.id)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    }

    // A Dinkes admin may give any role inside the kabupaten.
    let dinkes = account(&store, "dinkes", Role::DinkesAdmin, &r.kabupaten).await;
    let dinkes = Actor::for_user(&dinkes);
    let moved = store
        .reassign_user(
            &dinkes,
            kader.id,
            bidan.meta.version,
            Role::PuskesmasOfficer,
            r.puskesmas.id,
        )
        .await
        .unwrap();
    assert_eq!(moved.role, Role::PuskesmasOfficer);
    assert_eq!(moved.org_path, r.puskesmas.path);
}
