use futures::future::join_all;
use reqwest::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use server::db::entity::user;

use crate::helpers::{PASSWORD, TestApp, answer, set_cookie};

#[tokio::test]
async fn signing_up_creates_the_user_and_no_session() {
    let app = TestApp::spawn().await;
    let response = app
        .sign_up("Ada Lovelace", "  Ada@Example.COM ", PASSWORD)
        .await;
    assert!(set_cookie(&response).is_none(), "sign-up opens no session");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::CREATED);
    let user = &body["user"];
    assert_eq!(user["name"], "Ada Lovelace");
    assert_eq!(user["email"], "ada@example.com", "trimmed and lower-cased");
    assert_eq!(user["emailVerified"], false);
    assert!(
        user["id"].is_string() && user["createdAt"].is_string() && user["updatedAt"].is_string()
    );
    let keys: Vec<&String> = user.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 6, "no hash, no secret: {keys:?}");
}

#[tokio::test]
async fn invalid_fields_are_422_with_a_message_for_each() {
    let app = TestApp::spawn().await;
    let (status, body) = answer(app.sign_up("  ", "not-an-email", "short").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(
        body["error"]["fields"],
        json!({
            "name": "Enter your name.",
            "email": "Enter a valid email address.",
            "password": "Use at least 8 characters."
        })
    );
}

#[tokio::test]
async fn a_common_password_is_refused() {
    let app = TestApp::spawn().await;
    let (status, body) = answer(app.sign_up("Ada", "ada@example.com", "Password1").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["fields"]["password"]
            .as_str()
            .unwrap()
            .contains("too common")
    );
}

#[tokio::test]
async fn a_password_over_128_characters_is_refused_not_truncated() {
    let app = TestApp::spawn().await;
    let (status, body) = answer(
        app.sign_up("Ada", "ada@example.com", &"x".repeat(129))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"]["password"],
        "Use at most 128 characters."
    );
}

#[tokio::test]
async fn a_password_with_a_line_break_or_other_control_character_is_refused() {
    let app = TestApp::spawn().await;
    for password in [
        "violet staple\ngorilla",
        "violet\tstaple gorilla",
        "violet\u{0}staple",
    ] {
        let (status, body) = answer(app.sign_up("Ada", "ada@example.com", password).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{password:?}");
        assert_eq!(
            body["error"]["fields"]["password"],
            "A password cannot contain tabs, line breaks or other control characters."
        );
    }
}

#[tokio::test]
async fn an_email_registered_twice_is_409_whatever_its_case() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.sign_up("Ada", "ada@example.com", PASSWORD)
            .await
            .status(),
        StatusCode::CREATED
    );
    let (status, body) = answer(app.sign_up("Ada", "ADA@example.com", PASSWORD).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        body["error"]["fields"]["email"],
        "An account with this email already exists."
    );
}

#[tokio::test]
async fn sixteen_simultaneous_sign_ups_with_one_email_create_exactly_one_user() {
    let app = TestApp::spawn().await;
    let attempts = (0..16).map(|_| app.sign_up("Ada", "race@example.com", PASSWORD));
    let statuses: Vec<StatusCode> = join_all(attempts)
        .await
        .iter()
        .map(|response| response.status())
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|status| *status == StatusCode::CREATED || *status == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(user::Entity::find().count(&app.db).await.unwrap(), 1);
}
