use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, answer};

/// Limits count in fixed windows aligned to the clock (every minute, quarter hour, hour). A test
/// that needs all its requests in one window starts early in a fresh one if the current one ends
/// within 20 seconds, so a slow run cannot straddle two.
async fn with_time_left_in_window(window_secs: u64) {
    let into_window = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % window_secs;
    let left = window_secs - into_window;
    if left <= 20 {
        tokio::time::sleep(Duration::from_secs(left + 1)).await;
    }
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_account_even_for_the_right_password() {
    with_time_left_in_window(15 * 60).await;
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(
            app.sign_in("ada@example.com", "wrong password")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let response = app.sign_in("ada@example.com", PASSWORD).await;
    let retry_after: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body.get("token").is_none());
}

#[tokio::test]
async fn the_lock_out_is_per_account() {
    with_time_left_in_window(15 * 60).await;
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    app.sign_up("Bob", "bob@example.com", PASSWORD).await;
    for _ in 0..5 {
        app.sign_in("ada@example.com", "wrong password").await;
    }
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        app.sign_in("bob@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn sign_ins_from_one_ip_are_limited_per_minute() {
    with_time_left_in_window(60).await;
    let app = TestApp::spawn_with(|config| config.rate_limits.sign_in_per_ip_per_minute = 3).await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(
            app.sign_in("ada@example.com", PASSWORD).await.status(),
            StatusCode::OK
        );
    }
    let response = app.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn sign_ups_from_one_ip_are_limited() {
    with_time_left_in_window(60 * 60).await;
    let app = TestApp::spawn_with(|config| config.rate_limits.sign_up_per_ip_per_hour = 2).await;
    assert_eq!(
        app.sign_up("A", "a@example.com", PASSWORD).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(
        app.sign_up("B", "b@example.com", PASSWORD).await.status(),
        StatusCode::CREATED
    );
    let response = app.sign_up("C", "c@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn wrong_passwords_to_delete_the_account_count_towards_its_lock_out() {
    with_time_left_in_window(15 * 60).await;
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let wrong = json!({"password": "not my password"});
    for _ in 0..5 {
        assert_eq!(
            app.post_with("/api/auth/delete-user", &ada.token, &wrong)
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let right = json!({"password": PASSWORD});
    assert_eq!(
        app.post_with("/api/auth/delete-user", &ada.token, &right)
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(app.me_status(&ada.token).await, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_with_the_right_password_forgives_the_mistakes_before_it() {
    with_time_left_in_window(15 * 60).await;
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    for _ in 0..2 {
        for _ in 0..4 {
            app.sign_in("ada@example.com", "wrong password").await;
        }
        assert_eq!(
            app.sign_in("ada@example.com", PASSWORD).await.status(),
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn confirming_a_step_with_the_right_password_forgives_the_mistakes_before_it() {
    with_time_left_in_window(15 * 60).await;
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    for _ in 0..4 {
        app.sign_in(&ada.email, "wrong password").await;
    }
    let change = json!({"currentPassword": PASSWORD, "newPassword": "a new passphrase 2"});
    assert_eq!(
        app.post_with("/api/auth/change-password", &ada.token, &change)
            .await
            .status(),
        StatusCode::OK
    );
    for _ in 0..4 {
        app.sign_in(&ada.email, "wrong password").await;
    }
    assert_eq!(
        app.sign_in(&ada.email, "a new passphrase 2").await.status(),
        StatusCode::OK
    );
}
