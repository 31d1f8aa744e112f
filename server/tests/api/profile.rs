use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, answer};

#[tokio::test]
async fn a_person_renames_themselves_and_every_later_answer_says_so() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (status, user) = answer(
        app.patch_with("/api/me", &ada.token, &json!({"name": "  Ada Lovelace "}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["name"], "Ada Lovelace");
    assert_eq!(user["email"], ada.user["email"]);
    assert_ne!(user["updatedAt"], ada.user["updatedAt"]);
    let (_, me) = answer(app.get_with("/api/me", &ada.token).await).await;
    assert_eq!(me, user);
    // Nothing to change, or the name it already has, changes nothing.
    for changes in [json!({}), json!({"name": "Ada Lovelace "})] {
        let (status, unchanged) =
            answer(app.patch_with("/api/me", &ada.token, &changes).await).await;
        assert_eq!((status, &unchanged), (StatusCode::OK, &user), "{changes}");
    }
}

#[tokio::test]
async fn a_name_the_sign_up_would_refuse_is_refused_and_the_old_one_kept() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    for (name, message) in [
        (json!("   "), "Enter your name."),
        (json!("x".repeat(101)), "Use at most 100 characters."),
        (
            json!("a\u{7}b"),
            "Use letters, numbers and punctuation only.",
        ),
        // A name cannot be cleared: null is no name, not "no change".
        (json!(null), "invalid type: null, expected a string"),
    ] {
        let (status, body) = answer(
            app.patch_with("/api/me", &ada.token, &json!({ "name": name }))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(body["error"]["fields"]["name"], message);
    }
    let (status, _) = answer(
        app.patch_with("/api/me", &ada.token, &json!({"name": 7}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, me) = answer(app.get_with("/api/me", &ada.token).await).await;
    assert_eq!(me["name"], "Ada");
    let cookie_only = app
        .client
        .patch(app.url("/api/me"))
        .json(&json!({"name": "Mallory"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cookie_only.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_email_is_not_changed_through_the_profile_and_saying_so_changes_nothing() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (status, body) = answer(
        app.patch_with(
            "/api/me",
            &ada.token,
            &json!({"name": "Ada Lovelace", "email": "ada@elsewhere.example"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"],
        json!({"email": "email cannot be set here (expected name)"})
    );
    let (_, me) = answer(app.get_with("/api/me", &ada.token).await).await;
    assert_eq!(me, ada.user);
}
