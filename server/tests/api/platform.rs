//! What every deployment needs regardless of accounts: health, errors, headers, start-up.

use reqwest::{StatusCode, header};
use serde_json::json;

use crate::helpers::{TestApp, answer};

#[tokio::test]
async fn health_is_ok_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let (status, body) = answer(app.get("/api/health").await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"status": "ok", "database": "ok"}));
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.db.clone().close().await.unwrap();
    let (status, body) = answer(app.get("/api/health").await).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body,
        json!({"status": "degraded", "database": "unreachable"})
    );
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_not_the_app() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/no-such-thing").await;
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_method_an_api_path_does_not_take_is_a_json_405_naming_the_ones_it_does() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .put(app.url("/api/auth/sign-up/email"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::ALLOW], "POST");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn html_pages_carry_the_security_headers() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // The dev server's live-reload socket is allowed only under `cargo leptos watch`.
    assert!(csp.contains("connect-src 'self';"), "{csp}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    // The nonce in the header is the one on the page's bootstrap script.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the page's script carries the nonce"
    );
}

#[tokio::test]
async fn an_unknown_page_renders_the_not_found_page_with_404() {
    let app = TestApp::spawn().await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let app = TestApp::spawn().await;
    let (status, body) = answer(app.get("/api/openapi.json").await).await;
    assert_eq!(status, StatusCode::OK);
    let paths = body["paths"].as_object().unwrap();
    for path in [
        "/api/auth/sign-up/email",
        "/api/auth/sign-in/email",
        "/api/auth/token",
        "/api/auth/get-session",
        "/api/auth/sign-out",
        "/api/auth/list-sessions",
        "/api/auth/revoke-session",
        "/api/auth/revoke-other-sessions",
        "/api/auth/revoke-sessions",
        "/api/auth/change-password",
        "/api/auth/delete-user",
        "/api/auth/jwks",
        "/api/me",
        "/api/tasks",
        "/api/tasks/{id}",
        "/api/health",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    assert!(paths["/api/me"].get("patch").is_some());
    // Client generators name a function after each operation: no two may share a name.
    let mut operation_ids: Vec<&str> = paths
        .values()
        .flat_map(|operations| operations.as_object().unwrap().values())
        .filter_map(|operation| operation["operationId"].as_str())
        .collect();
    let documented = operation_ids.len();
    operation_ids.sort_unstable();
    operation_ids.dedup();
    assert_eq!(operation_ids.len(), documented, "{operation_ids:?}");
    assert!(
        body["components"]["schemas"]["User"]["properties"]
            .get("passwordHash")
            .is_none()
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/api/auth/sign-up/email"))
        .body("name=a")
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn malformed_json_is_400_in_the_error_shape() {
    let app = TestApp::spawn().await;
    let response = app
        .post_json_text("/api/auth/sign-up/email", "{\"name\": ")
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "malformed_body");
}

#[tokio::test]
async fn a_key_given_twice_is_400_and_creates_nothing() {
    let app = TestApp::spawn().await;
    // Which email would count differs between parsers: neither does.
    let twice = r#"{"name": "Ada", "email": "ada@example.com", "email": "eve@example.com", "password": "correct horse battery"}"#;
    let nested = r#"{"name": "Ada", "email": "ada@example.com", "password": "correct horse battery", "x": [{"a": 1, "a": 2}]}"#;
    for text in [twice, nested] {
        let (status, body) =
            answer(app.post_json_text("/api/auth/sign-up/email", text).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        assert_eq!(body["error"]["code"], "malformed_body");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("is given twice"),
            "{body}"
        );
    }
    for email in ["ada@example.com", "eve@example.com"] {
        assert_eq!(
            app.sign_up("Ada", email, "correct horse battery")
                .await
                .status(),
            StatusCode::CREATED,
            "{email} is still free"
        );
    }
}

#[tokio::test]
async fn wrong_types_are_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post_json(
            "/api/auth/sign-up/email",
            &json!({"name": "Ada", "email": 42, "password": "x"}),
        )
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["fields"]["email"].is_string(), "{body}");
}

#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_422_and_creates_nothing() {
    let app = TestApp::spawn().await;
    for body in [
        // The sign-up's fields in order, as an array.
        json!(["Ada", "ada@example.com", "correct horse battery"]),
        json!(null),
        json!("ada@example.com"),
        json!(42),
    ] {
        let response = app.post_json("/api/auth/sign-up/email", &body).await;
        let (status, answer) = answer(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            answer["error"]["fields"],
            json!({"body": "the body must be a JSON object"}),
            "{body}"
        );
    }
    let response = app
        .post_json(
            "/api/auth/sign-up/email",
            &json!({"name": "Ada", "email": "ada@example.com", "password": "correct horse battery"}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the email is still free"
    );
}

#[tokio::test]
async fn a_missing_field_is_422_naming_that_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post_json(
            "/api/auth/sign-up/email",
            &json!({"name": "Ada", "email": "ada@example.com"}),
        )
        .await;
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"],
        json!({"password": "password is required"})
    );
}

#[tokio::test]
async fn a_2_mib_body_is_413_and_the_server_stays_up() {
    let app = TestApp::spawn().await;
    let huge = json!({"name": "x".repeat(2 * 1024 * 1024), "email": "a@example.com", "password": "longenough"});
    let response = app.post_json("/api/auth/sign-up/email", &huge).await;
    let (status, body) = answer(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "payload_too_large");
    let health = app.get("/api/health").await;
    assert_eq!(health.status(), StatusCode::OK);
}

/// Starts the server binary with `env` on top of a listen address, output name and site,
/// expecting it to refuse to start: exit status 1 and no panic. What it said on stderr.
fn refused_start(env: &[(&str, &str)]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "gatehouse")
        .env("LEPTOS_SITE_ROOT", crate::helpers::SITE)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

const UNOPENABLE_DATABASE: &str = "sqlite:///no/such/directory/gatehouse.db?mode=rwc";

#[test]
fn a_database_that_cannot_be_opened_stops_the_start_with_a_clear_message() {
    let stderr = refused_start(&[
        ("DATABASE_URL", UNOPENABLE_DATABASE),
        ("AUTH_SECRET", crate::helpers::SECRET),
    ]);
    assert!(
        stderr.contains("could not open the database at sqlite:///no/such/directory"),
        "{stderr}"
    );
}

#[test]
fn hashed_build_files_without_their_hash_file_stop_the_start_with_a_clear_message() {
    let stderr = refused_start(&[
        // Were the check missing, the start would fail later, on this database, instead.
        ("DATABASE_URL", UNOPENABLE_DATABASE),
        ("AUTH_SECRET", crate::helpers::SECRET),
        ("LEPTOS_HASH_FILES", "true"),
        ("LEPTOS_HASH_FILE_NAME", "no-such-hash.txt"),
    ]);
    assert!(stderr.contains("no-such-hash.txt is missing"), "{stderr}");
    assert!(stderr.contains("cargo leptos build"), "{stderr}");
}

#[test]
fn a_site_that_was_not_built_stops_the_start_naming_the_missing_file() {
    // Also what a server started away from its Leptos.toml sees: no site under the default
    // root, target/site, of whatever directory it started in.
    let empty = tempfile::tempdir().unwrap();
    let stderr = refused_start(&[
        // Were the check missing, the start would fail later, on this database, instead.
        ("DATABASE_URL", UNOPENABLE_DATABASE),
        ("AUTH_SECRET", crate::helpers::SECRET),
        ("LEPTOS_SITE_ROOT", &empty.path().display().to_string()),
    ]);
    let missing = empty.path().join("pkg").join("gatehouse.js");
    assert!(
        stderr.contains(&format!(
            "every page loads {}, which is missing",
            missing.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("cargo leptos build --release"), "{stderr}");
}

#[test]
fn a_weak_auth_secret_stops_the_start_with_a_clear_message() {
    let stderr = refused_start(&[("AUTH_SECRET", "too-short")]);
    assert!(
        stderr.contains("AUTH_SECRET must be at least 32 bytes long"),
        "{stderr}"
    );
}

#[test]
fn leptos_toml_agrees_with_the_cargo_leptos_settings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let leptos: toml::Table = std::fs::read_to_string(root.join("Leptos.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let build = &cargo["workspace"]["metadata"]["leptos"][0];
    let runtime = &leptos["package"]["metadata"]["leptos"];
    assert_eq!(build["name"], runtime["output-name"]);
    for key in [
        "site-root",
        "site-pkg-dir",
        "hash-files",
        "site-addr",
        "reload-port",
    ] {
        assert_eq!(build[key], runtime[key], "{key}");
    }
}

#[test]
fn passwords_time_prints_how_long_one_hash_takes_and_needs_no_configuration() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["passwords", "time"])
        .env_remove("AUTH_SECRET")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let millis: f64 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap();
    // Argon2id over 19 MiB, twice: real work, but not seconds of it.
    assert!(millis > 1.0 && millis < 5_000.0, "{millis} ms");
}

#[test]
fn an_unknown_command_prints_the_usage_and_exits_2() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["keys", "delete"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with("usage: server"), "{stderr}");
    assert!(stderr.contains("passwords time"), "{stderr}");
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/gatehouse.db?mode=rwc", dir.path().display()),
        )
        .env("AUTH_SECRET", crate::helpers::SECRET)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_OUTPUT_NAME", "gatehouse")
        .env("LEPTOS_SITE_ROOT", crate::helpers::SITE)
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let health = format!("http://127.0.0.1:{port}/api/health");
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(&health)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "the server did not start");

    let pid = server.id().unwrap().to_string();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), server.wait())
        .await
        .expect("the server did not stop within 10 s of SIGTERM")
        .unwrap();
    assert!(status.success(), "{status}");
}
