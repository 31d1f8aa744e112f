use std::time::Duration;

use reqwest::StatusCode;
use server::auth::keys::KeyRing;

use crate::helpers::{TestApp, answer, parts};

async fn kids(app: &TestApp) -> Vec<String> {
    let (status, jwks) = answer(app.get("/.well-known/jwks.json").await).await;
    assert_eq!(status, StatusCode::OK);
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["kid"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_jwks_publishes_the_signing_key_in_rfc8037_form() {
    let app = TestApp::spawn().await;
    let (status, jwks) = answer(app.get("/api/auth/jwks").await).await;
    assert_eq!(status, StatusCode::OK);
    let key = &jwks["keys"][0];
    assert_eq!(
        (
            key["kty"].as_str(),
            key["crv"].as_str(),
            key["alg"].as_str(),
            key["use"].as_str()
        ),
        (Some("OKP"), Some("Ed25519"), Some("EdDSA"), Some("sig"))
    );
    assert!(key.get("d").is_none(), "never the private half");
    let ada = app.person("Ada").await;
    let (header, _, _) = parts(&ada.token);
    assert_eq!(header["kid"], key["kid"]);
}

#[tokio::test]
async fn the_signature_verifies_with_nothing_but_the_published_key() {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (_, jwks) = answer(app.get("/api/auth/jwks").await).await;
    let x: [u8; 32] = URL_SAFE_NO_PAD
        .decode(jwks["keys"][0]["x"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let (signed, signature) = ada.token.rsplit_once('.').unwrap();
    let signature = Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).unwrap()).unwrap();
    assert!(
        VerifyingKey::from_bytes(&x)
            .unwrap()
            .verify(signed.as_bytes(), &signature)
            .is_ok()
    );
}

#[tokio::test]
async fn rotation_keeps_old_tokens_valid_and_publishes_both_keys() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let before = kids(&app).await;
    assert_eq!(before.len(), 1);

    // What `server keys rotate` does, from another process's point of view.
    let ring = KeyRing::load(
        app.db.clone(),
        &app.config.auth_secret,
        app.config.access_token_ttl,
    )
    .await
    .unwrap();
    let new_kid = ring.rotate().await.unwrap();
    assert_ne!(new_kid, before[0]);

    assert_eq!(
        app.me_status(&ada.token).await,
        StatusCode::OK,
        "old token still valid"
    );
    // A token signed by the new key is accepted once the server has seen the new key.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let issuer = server::auth::token::TokenIssuer::new(
        ring,
        app.origin.clone(),
        app.config.access_token_ttl,
    );
    let (_, claims, _) = parts(&ada.token);
    let sub = uuid::Uuid::parse_str(claims["sub"].as_str().unwrap()).unwrap();
    let sid = uuid::Uuid::parse_str(claims["sid"].as_str().unwrap()).unwrap();
    let new_token = issuer.issue(sub, sid).unwrap();
    assert_eq!(app.me_status(&new_token).await, StatusCode::OK);

    let after = kids(&app).await;
    assert!(
        after.contains(&before[0]) && after.contains(&new_kid),
        "{after:?}"
    );
}

#[tokio::test]
async fn replicas_share_one_signing_key() {
    let app = TestApp::spawn().await;
    let first = KeyRing::load(
        app.db.clone(),
        &app.config.auth_secret,
        app.config.access_token_ttl,
    )
    .await
    .unwrap();
    let second = KeyRing::load(
        app.db.clone(),
        &app.config.auth_secret,
        app.config.access_token_ttl,
    )
    .await
    .unwrap();
    assert_eq!(first.signer().kid, second.signer().kid);
    assert_eq!(kids(&app).await, vec![first.signer().kid]);
}

#[tokio::test]
async fn keys_encrypted_with_another_secret_stop_the_start() {
    let app = TestApp::spawn().await;
    let other =
        server::config::checked_secret("another-secret-another-secret-another-secret".into())
            .unwrap();
    let error = KeyRing::load(app.db.clone(), &other, app.config.access_token_ttl)
        .await
        .err()
        .unwrap();
    assert!(
        error
            .to_string()
            .contains("cannot be decrypted with this AUTH_SECRET"),
        "{error}"
    );
}

#[test]
fn the_rotate_command_makes_a_new_signer_each_time_and_needs_the_same_secret() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}/gatehouse.db?mode=rwc", dir.path().display());
    let rotate = |secret: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["keys", "rotate"])
            .env("DATABASE_URL", &database)
            .env("AUTH_SECRET", secret)
            .env("LEPTOS_OUTPUT_NAME", "gatehouse")
            .output()
            .unwrap()
    };
    let new_kid = |output: &std::process::Output| {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Log lines share stdout with the answer.
        stdout
            .lines()
            .find_map(|line| line.strip_prefix("new signing key: "))
            .unwrap_or_else(|| panic!("unexpected output: {stdout}"))
            .to_string()
    };

    let first = new_kid(&rotate(crate::helpers::SECRET));
    let second = new_kid(&rotate(crate::helpers::SECRET));
    assert_ne!(first, second);

    let refused = rotate("another-secret-another-secret-another-secret");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot be decrypted with this AUTH_SECRET"),
        "{stderr}"
    );
}
