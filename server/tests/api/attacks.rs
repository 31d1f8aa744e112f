//! Forged, tampered, expired and revoked tokens: each is a 401 with no data.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, answer, parts};

/// Asserts `GET /api/me` with this token is refused the way DESIGN.md says.
async fn assert_refused(app: &TestApp, token: &str) {
    let response = app.get_with("/api/me", token).await;
    assert_eq!(
        response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .map(|v| v.to_str().unwrap()),
        Some("Bearer")
    );
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized");
    assert!(body.get("email").is_none() && body.get("user").is_none());
}

fn encode(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

#[tokio::test]
async fn a_valid_token_opens_the_profile() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (status, body) = answer(app.get_with("/api/me", &ada.token).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, ada.user);
}

#[tokio::test]
async fn the_token_is_eddsa_with_the_documented_claims() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (header, payload, _) = parts(&ada.token);
    assert_eq!(header["alg"], "EdDSA");
    assert!(header["kid"].is_string());
    for claim in ["sub", "sid", "iat", "nbf", "exp", "iss", "aud", "jti"] {
        assert!(!payload[claim].is_null(), "{claim}");
    }
    assert_eq!(payload["sub"], ada.user["id"]);
    assert_eq!(payload["iss"], app.origin.as_str());
    assert_eq!(
        payload["exp"].as_u64().unwrap() - payload["iat"].as_u64().unwrap(),
        900
    );
}

#[tokio::test]
async fn no_token_is_refused() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/me").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
}

#[tokio::test]
async fn alg_none_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (mut header, payload, _) = parts(&ada.token);
    header["alg"] = json!("none");
    assert_refused(&app, &format!("{}.{}.", encode(&header), encode(&payload))).await;
}

#[tokio::test]
async fn an_hs256_token_signed_with_the_public_key_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (header, payload, _) = parts(&ada.token);
    let jwks: Value = app.get("/api/auth/jwks").await.json().await.unwrap();
    let public_x = jwks["keys"][0]["x"].as_str().unwrap();
    let mut forged_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    forged_header.kid = header["kid"].as_str().map(String::from);
    for secret in [
        public_x.as_bytes().to_vec(),
        URL_SAFE_NO_PAD.decode(public_x).unwrap(),
    ] {
        let forged = jsonwebtoken::encode(
            &forged_header,
            &payload,
            &jsonwebtoken::EncodingKey::from_secret(&secret),
        )
        .unwrap();
        assert_refused(&app, &forged).await;
    }
}

#[tokio::test]
async fn a_tampered_sub_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let bob = app.person("Bob").await;
    let (header, mut payload, signature) = parts(&ada.token);
    payload["sub"] = bob.user["id"].clone();
    assert_refused(
        &app,
        &format!("{}.{}.{signature}", encode(&header), encode(&payload)),
    )
    .await;
}

#[tokio::test]
async fn a_tampered_exp_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (header, mut payload, signature) = parts(&ada.token);
    payload["exp"] = json!(payload["exp"].as_u64().unwrap() + 86_400);
    assert_refused(
        &app,
        &format!("{}.{}.{signature}", encode(&header), encode(&payload)),
    )
    .await;
}

#[tokio::test]
async fn a_stripped_signature_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let unsigned = ada.token.rsplit_once('.').unwrap().0;
    assert_refused(&app, &format!("{unsigned}.")).await;
    assert_refused(&app, unsigned).await;
}

#[tokio::test]
async fn garbage_is_refused() {
    let app = TestApp::spawn().await;
    for token in ["x", "a.b.c", "....", "Bearer"] {
        assert_refused(&app, token).await;
    }
}

#[tokio::test]
async fn the_token_of_a_deleted_user_is_refused() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let id = uuid::Uuid::parse_str(ada.user["id"].as_str().unwrap()).unwrap();
    assert!(server::db::users::delete(&app.db, id).await.unwrap());
    assert_refused(&app, &ada.token).await;
}

#[tokio::test]
async fn the_token_of_a_signed_out_session_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let signed_out = app
        .post_with("/api/auth/sign-out", &ada.token, &json!({}))
        .await;
    assert_eq!(signed_out.status(), StatusCode::OK);
    assert_refused(&app, &ada.token).await;
}

#[tokio::test]
async fn the_token_of_a_session_revoked_from_another_device_is_refused_at_once() {
    let app = TestApp::spawn().await;
    let laptop = app.person("Ada").await;
    let phone = app.sign_in_as(&app.another_browser(), &laptop.email).await;
    let sessions: Value = app
        .get_with("/api/auth/list-sessions", &laptop.token)
        .await
        .json()
        .await
        .unwrap();
    let phone_session = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|session| session["current"] == false)
        .unwrap();
    let revoked = app
        .post_with(
            "/api/auth/revoke-session",
            &laptop.token,
            &json!({"id": phone_session["id"]}),
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_refused(&app, &phone.token).await;
    assert_eq!(app.me_status(&laptop.token).await, StatusCode::OK);
}

#[tokio::test]
async fn an_expired_token_is_refused() {
    let app = TestApp::spawn_with(|config| config.access_token_ttl = Duration::from_secs(1)).await;
    let ada = app.person("Ada").await;
    assert_eq!(app.me_status(&ada.token).await, StatusCode::OK);
    // Past its expiry and the verification leeway (5 s).
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_refused(&app, &ada.token).await;
}

#[tokio::test]
async fn a_token_in_the_query_string_is_never_accepted() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    for parameter in ["access_token", "token", "jwt", "authorization"] {
        let url = app.url(&format!("/api/me?{parameter}={}", ada.token));
        let response = app.another_browser().get(url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{parameter}");
    }
}
