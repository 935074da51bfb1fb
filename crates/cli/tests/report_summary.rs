//! The monthly report's stored summaries (issue 11 item 7) never give a number the record
//! does not: on a demo region (SQLite and PostgreSQL) every unit's report is read for
//! three months, read again (now from the summaries alone), then the record is changed
//! every way a user changes it (new captures, a capture deleted, a person moved to another
//! posyandu, a birth date corrected, a person deleted, a pregnancy registered, a dose) and
//! every unit's every month, read through the summaries, equals the report recomputed
//! from the record.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../report/tests/support/captures.rs"]
mod captures;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/harness.rs"]
mod harness;

use captures::{dose, reading};
use posyandu::store_cmds::demo::{self, DemoArgs};
use report::monthly::{self, summary};
use store::codes::{EntityKind, MeasurementKind, OrgLevel};
use store::{Actor, OrgUnit, Person, Store};
use time::macros::date;
use time::{Date, Month};

const MONTHS: [Date; 3] = [
    date!(2026 - 08 - 01),
    date!(2026 - 09 - 01),
    date!(2026 - 10 - 01),
];

async fn units_and_persons(store: &Store) -> (Vec<OrgUnit>, Vec<Person>) {
    let actor = Actor::system("test");
    let units = store.org_units_in_scope(&actor).await.unwrap();
    let root = units.first().unwrap().id;
    let persons = store.persons_under(&actor, root).await.unwrap();
    (units, persons)
}

/// Every unit × month, through the summaries; returns how many units were computed.
async fn read_all(store: &Store, units: &[OrgUnit]) -> usize {
    let actor = Actor::system("test");
    let mut computed = 0;
    for m in MONTHS {
        for u in units {
            let (r, s) = summary::monthly_with_sources(store, &actor, u.id, m)
                .await
                .unwrap();
            computed += s.computed;
            let fresh = monthly::recompute(store, &actor, u.id, m).await.unwrap();
            assert_eq!(r, fresh, "{} {m}", u.path);
        }
    }
    computed
}

fn young(persons: &[Person], n: usize) -> Vec<&Person> {
    persons
        .iter()
        .filter(|p| p.birth_date > date!(2022 - 01 - 01))
        .take(n)
        .collect()
}

/// The changes a posyandu month brings, each through the store's own write paths.
async fn change_everything(store: &Store, units: &[OrgUnit], persons: &[Person]) {
    let actor = Actor::system("test");
    let kids = young(persons, 12);
    assert!(kids.len() == 12, "the demo has children");
    let posts: Vec<&OrgUnit> = units
        .iter()
        .filter(|u| u.level == OrgLevel::Posyandu)
        .collect();
    let mut tx = store.begin(&actor).await.unwrap();
    // New weighings and heights in September and October, a BCG in August.
    let mut captures = Vec::new();
    for k in &kids[0..4] {
        captures.push(reading(
            k,
            date!(2026 - 09 - 12),
            MeasurementKind::Weight,
            6.1,
        ));
        captures.push(reading(
            k,
            date!(2026 - 10 - 10),
            MeasurementKind::Height,
            80.0,
        ));
    }
    captures.push(dose(kids[4], date!(2026 - 08 - 20), "BCG"));
    tx.capture_batch(&captures).await.unwrap();
    // A child moved to another posyandu, another's birth date corrected.
    let moved = kids[5];
    let other = posts.iter().find(|u| u.id != moved.org_unit_id).unwrap();
    let mut np = moved.editable();
    np.org_unit_id = other.id;
    tx.update_person(moved.meta.version, &np).await.unwrap();
    let fixed = kids[6];
    let mut np = fixed.editable();
    np.birth_date = fixed.birth_date.previous_day().unwrap();
    tx.update_person(fixed.meta.version, &np).await.unwrap();
    // A person deleted (registered twice).
    let gone = kids[7];
    tx.soft_delete(
        EntityKind::Person,
        gone.id.0,
        gone.meta.version,
        "terdaftar dua kali",
    )
    .await
    .unwrap();
    // A pregnancy registered.
    let mother = persons
        .iter()
        .find(|p| {
            p.sex == store::Sex::Female && p.birth_date.year() > 1990 && p.birth_date.year() < 2002
        })
        .unwrap();
    tx.open_pregnancy(&store::NewPregnancy {
        id: store::PregnancyId::new(),
        person_id: mother.id,
        lmp: Some(date!(2026 - 07 - 01)),
        due_date: Some(date!(2027 - 04 - 07)),
        gravida: Some(1),
        para: Some(0),
        abortus: Some(0),
        high_risk: false,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    // A weighing of September deleted (written in error).
    let root = units.first().unwrap().id;
    let act = store
        .activity_under(&actor, root, date!(2026 - 09 - 01), date!(2026 - 10 - 01))
        .await
        .unwrap();
    let m = act.measurements.first().unwrap();
    let mut tx = store.begin(&actor).await.unwrap();
    tx.soft_delete(
        EntityKind::Measurement,
        m.id.0,
        m.meta.version,
        "salah orang",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn summaries_stay_exact(store: &Store) {
    let args = DemoArgs {
        seed: 7,
        persons: 1500,
        last_month: (2026, Month::October),
    };
    demo::run(store, &args).await.unwrap();
    let (units, persons) = units_and_persons(store).await;
    assert!(units.len() > 10);
    let first = read_all(store, &units).await;
    assert!(first > 0, "the first reads compute");
    assert_eq!(
        read_all(store, &units).await,
        0,
        "the second reads are all stored"
    );
    change_everything(store, &units, &persons).await;
    let after = read_all(store, &units).await;
    assert!(after > 0, "the changes made summaries stale");
    assert!(
        after < first,
        "only the changed units are recomputed: {after} of {first}"
    );
    assert_eq!(read_all(store, &units).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_stay_exact_on_sqlite() {
    let db = harness::sqlite().await;
    summaries_stay_exact(&db.store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn summaries_stay_exact_on_postgres() {
    let Some(db) = harness::postgres_or_skip().await else {
        return;
    };
    summaries_stay_exact(&db.store).await;
}
