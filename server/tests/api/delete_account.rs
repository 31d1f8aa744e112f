use axum::response::IntoResponse;
use reqwest::StatusCode;
use serde_json::json;
use server::{
    db::{tasks, users},
    error::AppError,
};
use uuid::Uuid;

use crate::helpers::{PASSWORD, TestApp, answer, assert_clears_session_cookie};

#[tokio::test]
async fn deleting_the_account_signs_out_every_device_and_takes_its_tasks() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let task = app
        .post_with("/api/tasks", &laptop.token, &json!({"title": "Mine"}))
        .await;
    assert_eq!(task.status(), StatusCode::CREATED);
    let id: Uuid = laptop.user["id"].as_str().unwrap().parse().unwrap();

    let response = app
        .post_with(
            "/api/auth/delete-user",
            &laptop.token,
            &json!({"password": PASSWORD}),
        )
        .await;
    assert_clears_session_cookie(&response);
    assert_eq!(
        answer(response).await,
        (StatusCode::OK, json!({"success": true}))
    );

    for token in [&laptop.token, &phone.token] {
        assert_eq!(app.me_status(token).await, StatusCode::UNAUTHORIZED);
    }
    assert!(
        server::db::tasks::list(&app.db, id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.sign_in(&laptop.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // The email is free again.
    assert_eq!(
        app.sign_up("Ada", &laptop.email, PASSWORD).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn deleting_the_account_needs_its_password() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    for (body, message) in [
        (
            json!({"password": "not my password"}),
            "The password is incorrect.",
        ),
        (json!({"password": ""}), "The password is incorrect."),
    ] {
        let (status, answered) = answer(
            app.post_with("/api/auth/delete-user", &ada.token, &body)
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(answered["error"]["fields"]["password"], message);
    }
    let (status, _) = answer(
        app.post_with("/api/auth/delete-user", &ada.token, &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // The session cookie alone is not enough: it takes the access token.
    let cookie_only = app
        .post_json("/api/auth/delete-user", &json!({"password": PASSWORD}))
        .await;
    assert_eq!(cookie_only.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.me_status(&ada.token).await, StatusCode::OK);
}

/// A request checks its session, then writes; the account can be deleted in another tab between
/// the two. The write then finds its user gone, as here, and asks to be sent again (when the
/// session's absence answers it) instead of failing as a server error.
#[tokio::test]
async fn a_write_that_finds_its_account_deleted_meanwhile_is_a_conflict_not_a_server_error() {
    let app = TestApp::spawn().await;
    let deleted = Uuid::now_v7();
    let failures = [
        tasks::insert(&app.db, deleted, "Added as the account went".into())
            .await
            .unwrap_err(),
        users::set_name(&app.db, deleted, "Renamed as it went")
            .await
            .unwrap_err(),
        users::set_password_hash(&app.db, deleted, "$argon2id$v=19$m=19456,t=2,p=1$x$y")
            .await
            .unwrap_err(),
    ];
    for failure in failures {
        let described = failure.to_string();
        let response = AppError::from(failure).into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT, "{described}");
    }
}
