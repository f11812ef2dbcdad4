//! The storage layer under concurrent writers.

use diesel::prelude::*;
use futures_util::future::join_all;

use crate::helpers::{insert_category, spawn_app, test_settings};
use bulletin_api::categories::{NewCategory, queries as category_queries};
use bulletin_api::db::schema::categories;
use bulletin_api::db::{Database, DbConfig, StoreError};

#[actix_web::test]
async fn concurrent_writers_never_fail_with_database_is_locked() {
    let app = spawn_app().await;
    // Three more handles, each with its own writer, as other processes (the
    // CLI, a backup) would hold, while the server answers reads: writes queue
    // for their handle's writer, and wait on SQLite's busy timeout across handles.
    let handles = [app.database(), app.database(), app.database()];
    const WRITES_PER_HANDLE: usize = 50;

    let writes = handles.iter().enumerate().flat_map(|(h, db)| {
        (0..WRITES_PER_HANDLE).map(move |i| {
            let db = db.clone();
            async move { insert_category(&db, &format!("muc-{h}-{i}")).await }
        })
    });
    let reads = (0..50).map(|_| app.get("/api/v1/articles").send());
    let (writes, reads) = futures_util::future::join(join_all(writes), join_all(reads)).await;

    let failures: Vec<_> = writes.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} writes failed: {failures:?}",
        failures.len()
    );
    assert!(
        reads
            .iter()
            .all(|r| r.as_ref().is_ok_and(|r| r.status().as_u16() == 200))
    );

    let count: i64 = handles[0]
        .read(|conn| categories::table.count().get_result(conn))
        .await
        .unwrap();
    assert_eq!(
        count,
        1 + 3 * WRITES_PER_HANDLE as i64,
        "the demo category and every write"
    );
}

#[actix_web::test]
async fn a_failed_write_rolls_back_entirely() {
    let app = spawn_app().await;
    let db = app.database();
    let result: Result<(), StoreError> = db
        .write(|conn| {
            let now = chrono::Utc::now().naive_utc();
            let category = |slug| NewCategory {
                parent_id: None,
                slug,
                name: "x",
                description: "",
                lang: "vi",
                created_at: now,
                updated_at: now,
            };
            category_queries::insert(conn, &category("mot"))?;
            // The same slug again violates the unique constraint.
            category_queries::insert(conn, &category("mot"))?;
            Ok(())
        })
        .await;
    assert!(
        matches!(result, Err(StoreError::UniqueViolation(_))),
        "{result:?}"
    );
    let kept: i64 = db
        .read(|conn| {
            categories::table
                .filter(categories::slug.eq("mot"))
                .count()
                .get_result(conn)
        })
        .await
        .unwrap();
    assert_eq!(kept, 0, "the first insert was rolled back with the second");
}

#[actix_web::test]
async fn migrations_apply_once_and_report_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir);
    let config = DbConfig {
        read_pool_size: 1,
        ..settings.database
    };
    let db = Database::open(&config).unwrap();
    assert!(db.migrate().await.unwrap(), "a fresh file is new");
    assert!(!db.migrate().await.unwrap(), "a migrated file is not");
    let reopened = Database::open(&config).unwrap();
    assert!(!reopened.migrate().await.unwrap());
}
