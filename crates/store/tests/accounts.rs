//! Accounts on both engines: passwords, sessions (expiry, sliding, revocation, deactivation
//! in the same transaction) and login failures. SQLite always (a fresh temp file per test),
//! PostgreSQL when `POSYANDU_TEST_PG_URL` is set (a fresh database per test; with `CI=true`
//! it must be). The fresh databases and the small region come from the conformance suite.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "conformance/harness.rs"]
mod harness;

use store::password;
use store::*;
use time::{Duration, OffsetDateTime};

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
    password_is_set_verified_and_audited_without_the_hash,
    sessions_expire_slide_and_stop_at_the_absolute_maximum,
    only_the_token_hash_is_stored,
    revoking_one_session_leaves_the_others,
    deactivation_revokes_sessions_in_the_same_transaction,
    a_new_password_logs_the_user_out_everywhere,
    login_failures_are_counted_per_key_in_a_window,
    expired_sessions_are_deleted,
    passwords_of_users_outside_the_scope_are_refused,
);

const PASSWORD: &str = "melati-sehat-2026";

/// A fixed instant with a fractional second, to show stored times compare at any precision.
fn t0() -> OffsetDateTime {
    time::macros::datetime!(2026-11-02 08:15:30.750 +07:00)
}

/// A kader at posyandu A with a password; returns the user.
async fn kader_with_password(store: &Store, r: &fixture::Region, username: &str) -> User {
    let actor = fixture::kader(store, &r.posyandu_a, username).await;
    let Principal::User(id) = actor.principal else {
        unreachable!()
    };
    let hash = password::hash_new(username, PASSWORD).unwrap();
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let user = tx.set_password(id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    user
}

async fn password_is_set_verified_and_audited_without_the_hash(store: Store) {
    let r = fixture::region(&store).await;
    let actor = fixture::kader(&store, &r.posyandu_a, "kader.melati").await;
    let Principal::User(id) = actor.principal else {
        unreachable!()
    };
    // Created without a password: it cannot log in, and no session can be made for it.
    let before = store.credentials("kader.melati").await.unwrap().unwrap();
    assert!(before.password_hash.is_none());
    assert!(!before.can_log_in());
    let refused = store
        .create_session(id, t0(), SessionPolicy::default(), None)
        .await;
    assert!(
        matches!(
            refused,
            Err(StoreError::Invalid {
                field: "user_id",
                ..
            })
        ),
        "{refused:?}"
    );

    let hash = password::hash_new("kader.melati", PASSWORD).unwrap();
    let phc = hash.as_phc().to_owned();
    let mut tx = store.begin(&Actor::system("admin")).await.unwrap();
    tx.set_password(id, &hash).await.unwrap();
    tx.commit().await.unwrap();

    let creds = store.credentials(" kader.melati ").await.unwrap().unwrap();
    assert!(creds.can_log_in());
    assert!(creds.password_set_at.is_some());
    assert!(password::verify(PASSWORD, creds.password_hash.as_ref()));
    assert!(!password::verify(
        "melati-sehat-2027",
        creds.password_hash.as_ref()
    ));
    assert!(store.credentials("tidak.ada").await.unwrap().is_none());
    // Neither the debug form of the credentials nor any audit row holds the hash.
    assert!(!format!("{creds:?}").contains(&phc));
    let trail = store.audit_of(&Actor::system("t"), id.0).await.unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action, AuditAction::Update);
    assert_eq!(last.actor, "system:admin");
    assert_eq!(last.detail["changed"]["password"], "<diganti>");
    for entry in &trail {
        let text = entry.detail.to_string();
        assert!(!text.contains("argon2"), "{text}");
    }
}

async fn sessions_expire_slide_and_stop_at_the_absolute_maximum(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.geser").await;
    let policy = SessionPolicy::default();
    let new = store
        .create_session(user.id, t0(), policy, Some("192.0.2.7"))
        .await
        .unwrap();
    let s = &new.session;
    assert_eq!(s.user.id, user.id);
    assert_eq!(s.client_addr.as_deref(), Some("192.0.2.7"));
    assert_eq!(s.expires_at - s.created_at, policy.idle);

    let found = store
        .session(&new.token, t0() + Duration::hours(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, s.id);
    assert!(found.csrf_token.matches(s.csrf_token.expose()));
    // A token that differs in one character is nobody's.
    let mut other = new.token.expose().to_owned();
    let last = if other.ends_with('0') { "1" } else { "0" };
    other.replace_range(63.., last);
    assert!(
        store
            .session(&Secret::from_client(&other), t0())
            .await
            .unwrap()
            .is_none()
    );
    // Unused for longer than `idle`: gone.
    let idle_end = t0() + policy.idle + Duration::seconds(1);
    assert!(store.session(&new.token, idle_end).await.unwrap().is_none());

    // Requests within a minute of the last write leave the row alone (no write per request).
    let soon = store
        .touch_session(&new.token, t0() + Duration::seconds(30), policy)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(soon.last_seen_at, s.last_seen_at);

    // Used every 20 days it lives on, but never past created + absolute.
    let mut at = t0();
    for _ in 0..4 {
        at += Duration::days(20);
        let touched = store.touch_session(&new.token, at, policy).await.unwrap();
        let touched = touched.unwrap();
        let cap = touched.created_at + policy.absolute;
        assert_eq!(
            touched.expires_at,
            (touched.last_seen_at + policy.idle).min(cap)
        );
        let stored = store.session(&new.token, at).await.unwrap().unwrap();
        assert_eq!(stored.expires_at, touched.expires_at);
        assert_eq!(stored.last_seen_at, touched.last_seen_at);
    }
    // Day 80: the expiry was capped at day 90.
    let cap = s.created_at + policy.absolute;
    let live = store.session(&new.token, cap - Duration::seconds(1)).await;
    assert!(live.unwrap().is_some());
    assert!(store.session(&new.token, cap).await.unwrap().is_none());
    assert!(
        store
            .touch_session(&new.token, cap + Duration::seconds(1), policy)
            .await
            .unwrap()
            .is_none()
    );
}

async fn only_the_token_hash_is_stored(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.rahasia").await;
    let new = store
        .create_session(user.id, t0(), SessionPolicy::default(), None)
        .await
        .unwrap();
    let token = new.token.expose().to_owned();
    let sql = "SELECT token_sha256 FROM session";
    let stored: Vec<String> = match (store.sqlite_pool(), store.postgres_pool()) {
        (Some(p), _) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        (_, Some(p)) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        _ => unreachable!(),
    };
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].len(), 64);
    assert_ne!(stored[0], token);
    assert!(!format!("{new:?}").contains(&token));
}

async fn revoking_one_session_leaves_the_others(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.dua").await;
    let policy = SessionPolicy::default();
    let phone = store
        .create_session(user.id, t0(), policy, None)
        .await
        .unwrap();
    let laptop = store
        .create_session(user.id, t0(), policy, None)
        .await
        .unwrap();
    assert_ne!(phone.token, laptop.token);
    assert!(
        !phone
            .session
            .csrf_token
            .matches(laptop.session.csrf_token.expose())
    );
    let later = t0() + Duration::minutes(5);
    assert!(store.revoke_session(&phone.token, later).await.unwrap());
    assert!(!store.revoke_session(&phone.token, later).await.unwrap());
    assert!(store.session(&phone.token, later).await.unwrap().is_none());
    assert!(
        store
            .touch_session(&phone.token, later, policy)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.session(&laptop.token, later).await.unwrap().is_some());

    // "Log out everywhere" is audited with the count.
    let mut tx = store.begin(&Actor::system("admin")).await.unwrap();
    assert_eq!(tx.revoke_user_sessions(user.id).await.unwrap(), 1);
    tx.commit().await.unwrap();
    assert!(store.session(&laptop.token, later).await.unwrap().is_none());
    let trail = store
        .audit_of(&Actor::system("t"), user.id.0)
        .await
        .unwrap();
    assert_eq!(trail.last().unwrap().detail["sessions_revoked"], 1);
}

async fn deactivation_revokes_sessions_in_the_same_transaction(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.keluar").await;
    let policy = SessionPolicy::default();
    let a = store
        .create_session(user.id, t0(), policy, None)
        .await
        .unwrap();
    let b = store
        .create_session(user.id, t0(), policy, None)
        .await
        .unwrap();
    let now = t0() + Duration::hours(2);
    let sys = Actor::system("admin");

    // Rolled back: the user and the sessions stay as they were.
    let mut tx = store.begin(&sys).await.unwrap();
    tx.set_user_active(user.id, user.meta.version, false)
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert!(store.session(&a.token, now).await.unwrap().is_some());

    let mut tx = store.begin(&sys).await.unwrap();
    let off = tx
        .set_user_active(user.id, user.meta.version, false)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(store.session(&a.token, now).await.unwrap().is_none());
    assert!(store.session(&b.token, now).await.unwrap().is_none());
    assert!(
        !store
            .credentials("kader.keluar")
            .await
            .unwrap()
            .unwrap()
            .can_log_in()
    );
    let trail = store.audit_of(&sys, user.id.0).await.unwrap();
    assert_eq!(trail.last().unwrap().detail["sessions_revoked"], 2);
    // No new session while inactive.
    assert!(
        store
            .create_session(user.id, now, policy, None)
            .await
            .is_err()
    );

    // Reactivated: the old sessions stay revoked, a new login works.
    let mut tx = store.begin(&sys).await.unwrap();
    tx.set_user_active(user.id, off.meta.version, true)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(store.session(&a.token, now).await.unwrap().is_none());
    let fresh = store
        .create_session(user.id, now, policy, None)
        .await
        .unwrap();
    assert!(store.session(&fresh.token, now).await.unwrap().is_some());
}

async fn a_new_password_logs_the_user_out_everywhere(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.ganti").await;
    let s = store
        .create_session(user.id, t0(), SessionPolicy::default(), None)
        .await
        .unwrap();
    let hash = password::hash_new("kader.ganti", "sandi-baru-sekali").unwrap();
    let mut tx = store.begin(&Actor::system("admin")).await.unwrap();
    tx.set_password(user.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    assert!(store.session(&s.token, t0()).await.unwrap().is_none());
    let creds = store.credentials("kader.ganti").await.unwrap().unwrap();
    assert!(password::verify(
        "sandi-baru-sekali",
        creds.password_hash.as_ref()
    ));
    assert!(!password::verify(PASSWORD, creds.password_hash.as_ref()));
}

async fn login_failures_are_counted_per_key_in_a_window(store: Store) {
    let budi = LoginKey::user("Budi");
    let addr = LoginKey::addr("192.0.2.9".parse().unwrap());
    for minutes in [0, 5, 10] {
        store
            .record_login_failure(&budi, t0() + Duration::minutes(minutes))
            .await
            .unwrap();
    }
    store.record_login_failure(&addr, t0()).await.unwrap();
    let since = |m| t0() + Duration::minutes(m);
    assert_eq!(
        store.login_failures_since(&budi, since(0)).await.unwrap(),
        3
    );
    assert_eq!(
        store.login_failures_since(&budi, since(5)).await.unwrap(),
        2
    );
    assert_eq!(
        store.login_failures_since(&budi, since(11)).await.unwrap(),
        0
    );
    assert_eq!(
        store.login_failures_since(&addr, since(0)).await.unwrap(),
        1
    );
    // Same user spelled in another case: the same count.
    let same = LoginKey::user("BUDI ");
    assert_eq!(
        store.login_failures_since(&same, since(0)).await.unwrap(),
        3
    );

    assert_eq!(
        store.delete_login_failures_before(since(5)).await.unwrap(),
        2
    );
    assert_eq!(
        store.login_failures_since(&budi, since(-60)).await.unwrap(),
        2
    );
    assert_eq!(store.clear_login_failures(&budi).await.unwrap(), 2);
    assert_eq!(
        store.login_failures_since(&budi, since(-60)).await.unwrap(),
        0
    );
}

async fn expired_sessions_are_deleted(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.lama").await;
    let short = SessionPolicy {
        idle: Duration::hours(1),
        absolute: Duration::hours(8),
    };
    let old = store
        .create_session(user.id, t0(), short, None)
        .await
        .unwrap();
    let recent = store
        .create_session(user.id, t0() + Duration::hours(3), short, None)
        .await
        .unwrap();
    let now = t0() + Duration::hours(2);
    assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 1);
    assert!(store.session(&old.token, t0()).await.unwrap().is_none());
    assert!(store.session(&recent.token, now).await.unwrap().is_some());
    assert_eq!(store.delete_expired_sessions(now).await.unwrap(), 0);
}

async fn passwords_of_users_outside_the_scope_are_refused(store: Store) {
    let r = fixture::region(&store).await;
    let user = kader_with_password(&store, &r, "kader.a").await;
    let other = fixture::kader(&store, &r.posyandu_b, "kader.b").await;
    let hash = password::hash_new("kader.a", "bukan-urusanmu-1").unwrap();
    let mut tx = store.begin(&other).await.unwrap();
    let err = tx.set_password(user.id, &hash).await.unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    let err = tx.revoke_user_sessions(user.id).await.unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    drop(tx);
    let creds = store.credentials("kader.a").await.unwrap().unwrap();
    assert!(password::verify(PASSWORD, creds.password_hash.as_ref()));
}

/// Failures are rows in the file: closing and opening the store again keeps the count.
#[tokio::test]
async fn login_failures_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("restart.sqlite");
    let key = LoginKey::user("siti");
    {
        let store = Store::open_sqlite_file(&file).await.unwrap();
        store.migrate().await.unwrap();
        store.record_login_failure(&key, t0()).await.unwrap();
        store.record_login_failure(&key, t0()).await.unwrap();
        store.close().await;
    }
    let store = Store::open_sqlite_file(&file).await.unwrap();
    assert_eq!(store.login_failures_since(&key, t0()).await.unwrap(), 2);
    store.close().await;
}
