//! The conformance suite: the same stories on SQLite (always, a fresh temp file per test)
//! and on PostgreSQL (a fresh database per test) when `POSYANDU_TEST_PG_URL` is set. With
//! `CI=true` the PostgreSQL half fails instead of skipping.
#![allow(clippy::unwrap_used)]

#[path = "conformance/events.rs"]
mod events;
#[path = "conformance/fixture.rs"]
mod fixture;
#[path = "conformance/flow.rs"]
mod flow;
#[path = "conformance/harness.rs"]
mod harness;
#[path = "conformance/lifecycle.rs"]
mod lifecycle;
#[path = "conformance/registry.rs"]
mod registry;

macro_rules! stories {
    ($($module:ident :: $story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = crate::harness::sqlite().await;
                    crate::$module::$story(db.store.clone()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = crate::harness::postgres().await else { return };
                    crate::$module::$story(db.store.clone()).await;
                }
            )*
        }
    };
}

stories!(
    registry::org_tree_and_scoping,
    registry::person_with_nik_warnings,
    registry::versioned_update_and_conflict,
    lifecycle::soft_delete_with_reason,
    lifecycle::pregnancy_episode,
    lifecycle::household_and_relationships,
    lifecycle::user_moves_and_deactivation,
    events::idempotent_capture_replay,
    events::bulk_capture_in_chunks,
    flow::change_sequence_pull,
    flow::audit_in_same_transaction,
    flow::referral_lifecycle,
    events::activity_under_puskesmas_this_month,
    flow::concurrent_writers,
    flow::migrate_twice_is_a_noop,
    events::roster_in_one_query,
);
