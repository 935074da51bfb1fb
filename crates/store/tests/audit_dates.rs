//! Audit details show dates as ISO dates (`"2024-03-05"`), not serde's default `[2024,65]`,
//! on both engines, and rows written the old way still read back. PostgreSQL runs when
//! `POSYANDU_TEST_PG_URL` is set (a fresh database, dropped after; required when `CI=true`).
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use store::sqlx::{self, AssertSqlSafe};
use store::*;
use time::macros::date;

/// A person born 2024-03-05, moved to 2024-03-06, and an audit row in the old format.
async fn story(store: &Store) {
    store.migrate().await.unwrap();
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let unit = NewOrgUnit {
        id: OrgUnitId::new(),
        parent_id: None,
        level: OrgLevel::Province,
        code: "35".into(),
        name: "Jawa Timur".into(),
        region_code: None,
        region_decree: None,
        time_zone: TimeZone::Wib,
    };
    let unit = tx.create_org_unit(&unit).await.unwrap().record;
    let mut new = NewPerson {
        id: PersonId::new(),
        household_id: None,
        org_unit_id: unit.id,
        name: "Anak".into(),
        sex: Sex::Female,
        birth_date: date!(2024 - 03 - 05),
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    };
    let (created, _) = tx.create_person(&new).await.unwrap();
    new.birth_date = date!(2024 - 03 - 06);
    tx.update_person(created.record.meta.version, &new)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let trail = store.audit_of(&sys, new.id.0).await.unwrap();
    assert_eq!(trail.len(), 2, "{trail:?}");
    assert_eq!(
        trail[0].detail["birth_date"],
        json!("2024-03-05"),
        "{trail:?}"
    );
    assert_eq!(
        trail[1].detail["changed"]["birth_date"],
        json!({"from": "2024-03-05", "to": "2024-03-06"}),
        "{trail:?}"
    );
    for entry in &trail {
        let text = entry.detail.to_string();
        assert!(!text.contains("[2024,"), "tuple date in {text}");
    }

    // A row written before the fix keeps reading (its detail is JSON, shown as stored).
    let old_id = uuid::Uuid::now_v7();
    let sql = "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, org_path, detail) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let at = time::OffsetDateTime::now_utc();
    let (id, entity_id) = (uuid::Uuid::now_v7().to_string(), old_id.to_string());
    let detail = r#"{"birth_date":[2024,65]}"#;
    macro_rules! insert_old {
        ($pool:expr) => {
            sqlx::query(sql)
                .bind(&id)
                .bind(at)
                .bind("system:old")
                .bind("create")
                .bind("person")
                .bind(&entity_id)
                .bind(unit.path.as_str())
                .bind(detail)
                .execute($pool)
                .await
                .unwrap()
        };
    }
    if let Some(p) = store.sqlite_pool() {
        insert_old!(p);
    } else if let Some(p) = store.postgres_pool() {
        insert_old!(p);
    }
    let old = store.audit_of(&sys, old_id).await.unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].detail["birth_date"], Value::from(vec![2024, 65]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_dates_are_iso_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("a.sqlite"))
        .await
        .unwrap();
    story(&store).await;
    store.close().await;
}

#[cfg_attr(
    no_pg_url,
    ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_dates_are_iso_on_postgres() {
    let Ok(admin_url) = std::env::var("POSYANDU_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but POSYANDU_TEST_PG_URL is unset"
        );
        eprintln!("skipping PostgreSQL: POSYANDU_TEST_PG_URL is unset");
        return;
    };
    let admin = Store::connect(&admin_url).await.unwrap();
    let pool = admin.postgres_pool().unwrap();
    let name = format!("t_audit_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(pool)
        .await
        .unwrap();
    let base = admin_url.split('?').next().unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let store = Store::connect(&url).await.unwrap();
    // Run the story in its own task so the database is dropped even when it fails.
    let outcome = tokio::spawn({
        let store = store.clone();
        async move { story(&store).await }
    })
    .await;
    store.close().await;
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(pool)
        .await
        .unwrap();
    admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
