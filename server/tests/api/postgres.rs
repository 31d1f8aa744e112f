//! What only a database server does to a running app: restart, fail over, drop its connections.
//! The PostgreSQL half of the test command runs these (`TEST_POSTGRES_URL`); the SQLite half
//! leaves them out by name, as an embedded database has no connection to lose.

use std::time::Duration;

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use crate::helpers::{TestApp, answer, assert_clears_session_cookie, postgres_admin};

#[tokio::test]
async fn when_the_database_drops_every_connection_requests_answer_503_until_the_pool_reconnects() {
    let app = TestApp::spawn().await;
    let (admin, database) = admin_of(&app).await;
    let person = app.person("Ada").await;
    assert_eq!(app.me_status(&person.token).await, StatusCode::OK);

    // What a restart or a failover does to the connections the app holds.
    terminate_connections(&admin, &database).await;

    let (status, body) = answer(app.get_with("/api/me", &person.token).await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "database_unavailable");

    // Broken connections are dropped from the pool as they are found, and new ones opened: the
    // app recovers by itself, and no request meanwhile is an internal error.
    let mut statuses = Vec::new();
    while statuses.last() != Some(&StatusCode::OK) && statuses.len() < 20 {
        statuses.push(app.me_status(&person.token).await);
    }
    assert_eq!(statuses.last(), Some(&StatusCode::OK), "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|status| [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(status)),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn signing_out_while_the_database_is_unreachable_still_clears_the_cookie() {
    let app = TestApp::spawn().await;
    let (admin, database) = admin_of(&app).await;
    app.person("Ada").await;

    set_allow_connections(&admin, &database, false).await;
    terminate_connections(&admin, &database).await;
    let response = app.sign_out_with_cookie().await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_clears_session_cookie(&response);

    // The session could not be revoked, but this browser no longer holds it.
    set_allow_connections(&admin, &database, true).await;
    let token = app.post_json("/api/auth/token", &json!({})).await;
    assert_eq!(token.status(), StatusCode::UNAUTHORIZED);
}

/// A connection to the PostgreSQL server holding the app's database, and that database's name.
async fn admin_of(app: &TestApp) -> (DatabaseConnection, String) {
    let server = std::env::var("TEST_POSTGRES_URL")
        .expect("this test needs PostgreSQL: `make test-postgres` sets TEST_POSTGRES_URL");
    let admin = postgres_admin(&server).await;
    let database = app
        .config
        .database_url
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_string();
    (admin, database)
}

/// Lets `database` take new connections, or refuses them as a database that is down does.
async fn set_allow_connections(admin: &DatabaseConnection, database: &str, allow: bool) {
    admin
        .execute_unprepared(&format!(
            "ALTER DATABASE {database} WITH ALLOW_CONNECTIONS {allow}"
        ))
        .await
        .unwrap();
}

/// Ends every connection to `database` and waits until PostgreSQL has closed them all.
async fn terminate_connections(admin: &DatabaseConnection, database: &str) {
    let query = |sql: &str| {
        Statement::from_sql_and_values(admin.get_database_backend(), sql, [database.into()])
    };
    admin
        .execute_raw(query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        ))
        .await
        .unwrap();
    for _ in 0..100 {
        let left = admin
            .query_one_raw(query(
                "SELECT count(*) AS left FROM pg_stat_activity WHERE datname = $1",
            ))
            .await
            .unwrap()
            .and_then(|row| row.try_get::<i64>("", "left").ok());
        if left == Some(0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("PostgreSQL still holds connections to {database}");
}
