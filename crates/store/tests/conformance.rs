//! The conformance suite: the same stories on SQLite (always, a fresh temp file per test)
//! and on PostgreSQL (a fresh database per test). Each story × engine is one trial of a
//! `libtest-mimic` harness (`harness = false`), so a PostgreSQL story that cannot run is
//! reported as *ignored* in the summary, with the reason printed, instead of passing
//! without having run. With `CI=true` it runs anyway and fails.
#![allow(clippy::unwrap_used)]

#[path = "conformance/admin_users.rs"]
mod admin_users;
#[path = "conformance/deletion.rs"]
mod deletion;
#[path = "conformance/events.rs"]
mod events;
#[path = "conformance/fixture.rs"]
mod fixture;
#[path = "conformance/flow.rs"]
mod flow;
#[path = "conformance/harness.rs"]
mod harness;
#[path = "conformance/laptop.rs"]
mod laptop;
#[path = "conformance/lifecycle.rs"]
mod lifecycle;
#[path = "conformance/registry.rs"]
mod registry;
#[path = "conformance/sync.rs"]
mod sync;

use std::future::Future;
use std::pin::Pin;

use libtest_mimic::{Arguments, Trial};
use store::Store;

type Story = fn(Store) -> Pin<Box<dyn Future<Output = ()>>>;

macro_rules! stories {
    ($($module:ident :: $story:ident),* $(,)?) => {
        [$((stringify!($story), (|s| Box::pin($module::$story(s))) as Story)),*]
    };
}

const STORIES: [(&str, Story); 29] = stories!(
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
    events::grouped_captures_answer_each_caller,
    events::one_visit_per_person_per_day,
    events::closing_and_reopening_a_day,
    sync::push_replayed_and_resumed_stores_each_once,
    sync::push_refuses_a_bad_item_alone,
    sync::pull_never_skips_a_late_commit,
    sync::two_devices_edit_one_person,
    sync::a_second_devices_visit_is_merged_into_the_first,
    sync::household_edits_merge_too,
    deletion::deletions_against_edits_go_to_review,
    laptop::laptop_pulls_pushes_and_merges,
    admin_users::reactivation_follows_the_rule,
    admin_users::reassignment_follows_the_rule_and_ends_sessions,
);

/// Runs `f` on a two-worker runtime, as `#[tokio::test(flavor = "multi_thread")]` did.
fn block_on<F: Future<Output = ()>>(f: F) {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f);
}

fn main() {
    let args = Arguments::from_args();
    let pg = harness::postgres_plan();
    if let harness::PgPlan::Skip(reason) = &pg {
        eprintln!("PostgreSQL stories ignored: {reason}");
    }
    let mut trials = Vec::new();
    for (name, story) in STORIES {
        trials.push(Trial::test(format!("sqlite::{name}"), move || {
            block_on(async {
                let db = harness::sqlite().await;
                story(db.store.clone()).await;
            });
            Ok(())
        }));
    }
    for (name, story) in STORIES {
        let plan = pg.clone();
        let trial = Trial::test(format!("postgres::{name}"), move || {
            // Skipped trials run only with --ignored: then the reason is the failure.
            let url = match plan {
                harness::PgPlan::Run(url) => url,
                harness::PgPlan::Skip(reason) | harness::PgPlan::Fail(reason) => {
                    return Err(reason.into());
                }
            };
            block_on(async {
                let db = harness::postgres(&url).await;
                story(db.store.clone()).await;
            });
            Ok(())
        });
        trials.push(trial.with_ignored_flag(matches!(pg, harness::PgPlan::Skip(_))));
    }
    trials.push(Trial::test(
        "harness::urls_point_at_other_databases",
        || {
            harness::urls_point_at_other_databases();
            Ok(())
        },
    ));
    trials.push(Trial::test("in_memory_sqlite_is_one_database", || {
        block_on(in_memory_sqlite_is_one_database());
        Ok(())
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// `sqlite::memory:` is one database, not one per pooled connection.
async fn in_memory_sqlite_is_one_database() {
    let store = store::Store::connect("sqlite::memory:").await.unwrap();
    store.migrate().await.unwrap();
    let sys = store::Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let unit = crate::fixture::unit(None, store::OrgLevel::Province, "35", "Jawa Timur", None);
    tx.create_org_unit(&unit).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        store.org_unit(&sys, unit.id).await.unwrap().name,
        "Jawa Timur"
    );
}
