use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, answer, assert_clears_session_cookie, set_cookie};

#[tokio::test]
async fn the_session_cookie_exchanges_for_a_fresh_token() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let response = app.post("/api/auth/token").await;
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::OK);
    let fresh = body["token"].as_str().unwrap();
    assert_ne!(fresh, ada.token);
    assert_eq!(app.me_status(fresh).await, StatusCode::OK);
}

#[tokio::test]
async fn without_a_cookie_there_is_no_token() {
    let app = TestApp::spawn().await;
    let (status, body) = answer(app.post_json("/api/auth/token", &json!({})).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn a_cookie_request_from_another_origin_is_403() {
    let app = TestApp::spawn().await;
    app.person("Ada").await;
    for path in ["/api/auth/token", "/api/auth/sign-out"] {
        let response = app
            .client
            .post(app.url(path))
            .header(header::ORIGIN, "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        // Nor may another site sign anyone out by having the cookie cleared.
        assert_eq!(set_cookie(&response), None, "{path}");
    }
    let same_origin = app
        .client
        .post(app.url("/api/auth/token"))
        .header(header::ORIGIN, &app.origin)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::OK);
}

#[tokio::test]
async fn get_session_answers_with_the_bearer_or_the_cookie() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (status, by_bearer) = answer(
        app.another_browser()
            .get(app.url("/api/auth/get-session"))
            .bearer_auth(&ada.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_bearer["user"], ada.user);
    assert_eq!(by_bearer["session"]["current"], true);
    let (status, by_cookie) = answer(app.get("/api/auth/get-session").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_cookie["session"]["id"], by_bearer["session"]["id"]);
}

#[tokio::test]
async fn signing_out_revokes_the_session_and_clears_the_cookie() {
    let app = TestApp::spawn().await;
    app.person("Ada").await;
    let response = app.sign_out_with_cookie().await;
    assert_clears_session_cookie(&response);
    assert_eq!(
        answer(response).await,
        (StatusCode::OK, json!({"success": true}))
    );
    let token = app.post_json("/api/auth/token", &json!({})).await;
    assert_eq!(token.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_out_with_a_cookie_whose_session_already_ended_still_clears_it() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    // Signed out from elsewhere: this browser still holds the cookie.
    app.sign_out_elsewhere(&ada.token).await;

    let response = app.sign_out_with_cookie().await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_clears_session_cookie(&response);
}

#[tokio::test]
async fn list_sessions_shows_every_device_and_marks_this_one() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone_browser = reqwest::Client::builder()
        .cookie_store(true)
        .user_agent("PhoneBrowser/1.0")
        .build()
        .unwrap();
    app.sign_in_as(&phone_browser, &laptop.email).await;
    let (status, body) = answer(app.get_with("/api/auth/list-sessions", &laptop.token).await).await;
    assert_eq!(status, StatusCode::OK);
    let sessions = body.as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        sessions
            .iter()
            .filter(|session| session["current"] == true)
            .count(),
        1
    );
    assert!(
        sessions
            .iter()
            .any(|session| session["userAgent"] == "PhoneBrowser/1.0")
    );
    for session in sessions {
        for field in ["id", "createdAt", "lastSeenAt", "expiresAt"] {
            assert!(session[field].is_string(), "{field}");
        }
    }
}

#[tokio::test]
async fn revoking_another_users_session_is_404() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let bob = app.person_in(&app.another_browser(), "Bob").await;
    let bobs: Value = app
        .get_with("/api/auth/list-sessions", &bob.token)
        .await
        .json()
        .await
        .unwrap();
    let (status, _) = answer(
        app.post_with(
            "/api/auth/revoke-session",
            &ada.token,
            &json!({"id": bobs[0]["id"]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(app.me_status(&bob.token).await, StatusCode::OK);
    let (status, _) = answer(
        app.post_with(
            "/api/auth/revoke-session",
            &ada.token,
            &json!({"id": "nonsense"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn revoke_other_sessions_keeps_only_this_one() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let tablet = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let response = app
        .post_with("/api/auth/revoke-other-sessions", &laptop.token, &json!({}))
        .await;
    assert_eq!(
        answer(response).await,
        (StatusCode::OK, json!({"success": true}))
    );
    assert_eq!(app.me_status(&laptop.token).await, StatusCode::OK);
    assert_eq!(app.me_status(&phone.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.me_status(&tablet.token).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revoke_sessions_signs_out_everywhere() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let response = app
        .post_with("/api/auth/revoke-sessions", &laptop.token, &json!({}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(app.me_status(&laptop.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.me_status(&phone.token).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let wrong = json!({"currentPassword": "not my password", "newPassword": "a brand new secret"});
    let (status, body) = answer(
        app.post_with("/api/auth/change-password", &ada.token, &wrong)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"]["currentPassword"],
        "The current password is incorrect."
    );
    let common = json!({"currentPassword": PASSWORD, "newPassword": "password123"});
    let (status, body) = answer(
        app.post_with("/api/auth/change-password", &ada.token, &common)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["newPassword"].is_string());
}

#[tokio::test]
async fn a_new_password_with_a_control_character_is_refused_and_the_old_one_kept() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let change = json!({"currentPassword": PASSWORD, "newPassword": "a brand new\nsecret"});
    let (status, body) = answer(
        app.post_with("/api/auth/change-password", &ada.token, &change)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"]["newPassword"],
        "A password cannot contain tabs, line breaks or other control characters."
    );
    assert_eq!(
        app.sign_in(&ada.email, PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn changing_the_password_can_sign_out_other_devices() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let change = json!({"currentPassword": PASSWORD, "newPassword": "a brand new secret", "revokeOtherSessions": true});
    assert_eq!(
        answer(
            app.post_with("/api/auth/change-password", &laptop.token, &change)
                .await
        )
        .await,
        (StatusCode::OK, json!({"success": true}))
    );
    assert_eq!(app.me_status(&laptop.token).await, StatusCode::OK);
    assert_eq!(app.me_status(&phone.token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.sign_in(&laptop.email, PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.sign_in(&laptop.email, "a brand new secret")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_new_password_that_is_the_current_one_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let change =
        json!({"currentPassword": PASSWORD, "newPassword": PASSWORD, "revokeOtherSessions": true});
    let (status, body) = answer(
        app.post_with("/api/auth/change-password", &laptop.token, &change)
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"]["newPassword"],
        "Choose a password other than your current one."
    );
    assert_eq!(app.me_status(&phone.token).await, StatusCode::OK);
}

#[tokio::test]
async fn a_misspelt_or_null_sign_out_flag_in_a_password_change_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    for (change, field) in [
        (
            json!({"currentPassword": PASSWORD, "newPassword": "a brand new secret", "revokeOtherSession": true}),
            "revokeOtherSession",
        ),
        (
            json!({"currentPassword": PASSWORD, "newPassword": "a brand new secret", "revokeOtherSessions": null}),
            "revokeOtherSessions",
        ),
    ] {
        let (status, body) = answer(
            app.post_with("/api/auth/change-password", &laptop.token, &change)
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{change}");
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }
    assert_eq!(app.me_status(&phone.token).await, StatusCode::OK);
    assert_eq!(
        app.sign_in(&laptop.email, PASSWORD).await.status(),
        StatusCode::OK
    );
}
