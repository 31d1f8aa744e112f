use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, answer, set_cookie};

#[tokio::test]
async fn signing_in_returns_a_token_and_the_user_and_sets_the_session_cookie() {
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let response = app.sign_in("ADA@example.com ", PASSWORD).await;
    let cookie = set_cookie(&response).expect("a session cookie");
    assert!(cookie.starts_with("gatehouse_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=604800"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain http: no Secure flag");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["user"]["email"], "ada@example.com");
    assert_eq!(
        body["token"].as_str().unwrap().split('.').count(),
        3,
        "a JWT"
    );
}

#[tokio::test]
async fn without_remember_me_the_cookie_ends_with_the_browser() {
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let response = app
        .post_json(
            "/api/auth/sign-in/email",
            &json!({"email": "ada@example.com", "password": PASSWORD, "rememberMe": false}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!set_cookie(&response).unwrap().contains("Max-Age"));
}

#[tokio::test]
async fn a_null_remember_me_is_refused_rather_than_read_as_yes() {
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let response = app
        .post_json(
            "/api/auth/sign-in/email",
            &json!({"email": "ada@example.com", "password": PASSWORD, "rememberMe": null}),
        )
        .await;
    assert!(set_cookie(&response).is_none(), "no session was created");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["rememberMe"].is_string(), "{body}");
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_with_the_host_prefix() {
    let app =
        TestApp::spawn_with(|config| config.public_origin = "https://gatehouse.example".into())
            .await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let cookie = set_cookie(&app.sign_in("ada@example.com", PASSWORD).await).unwrap();
    assert!(cookie.starts_with("__Host-gatehouse_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
}

#[tokio::test]
async fn an_unknown_email_answers_exactly_like_a_wrong_password() {
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let wrong_password = app.sign_in("ada@example.com", "not the password").await;
    let unknown_email = app.sign_in("nobody@example.com", "not the password").await;
    assert_eq!(wrong_password.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status(), StatusCode::UNAUTHORIZED);
    let headers = |response: &reqwest::Response| {
        let mut headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter(|(name, _)| *name != header::DATE)
            .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_string()))
            .collect();
        headers.sort();
        headers
    };
    assert_eq!(headers(&wrong_password), headers(&unknown_email));
    let wrong_body = wrong_password.bytes().await.unwrap();
    assert_eq!(
        wrong_body,
        unknown_email.bytes().await.unwrap(),
        "byte-identical bodies"
    );
    let body: serde_json::Value = serde_json::from_slice(&wrong_body).unwrap();
    assert_eq!(body["error"]["message"], "invalid email or password");
}

#[tokio::test]
async fn a_hash_with_old_parameters_is_upgraded_at_sign_in() {
    use argon2::{Algorithm, Argon2, Params, PasswordHasher, Version};
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let old = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password_with_salt(PASSWORD.as_bytes(), b"0123456789abcdef")
    .unwrap()
    .to_string();
    app.set_password_hash("ada@example.com", &old).await;

    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );

    let user = server::db::users::find_by_email(&app.db, "ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(
        user.password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        user.password_hash
    );
    assert_eq!(
        app.sign_in("ada@example.com", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_password_already_set_with_a_control_character_still_signs_in() {
    use app::validation::Password;
    use server::auth::password::PasswordHasherPool;
    let app = TestApp::spawn().await;
    app.sign_up("Ada", "ada@example.com", PASSWORD).await;
    let old = "violet staple\ngorilla";
    let hash = PasswordHasherPool::new()
        .unwrap()
        .hash(&Password::parse(old).unwrap())
        .await
        .unwrap();
    app.set_password_hash("ada@example.com", &hash).await;

    assert_eq!(
        app.sign_in("ada@example.com", old).await.status(),
        StatusCode::OK
    );
}
