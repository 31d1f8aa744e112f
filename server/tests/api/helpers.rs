use std::{net::SocketAddr, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{Method, Response, StatusCode, header};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use server::{
    config::{Config, RateLimits, checked_secret},
    startup::Application,
};
use tokio::net::TcpListener;

pub const PASSWORD: &str = "violet staple gorilla";
pub const SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// A running server on 127.0.0.1:<random port> with its own empty database.
pub struct TestApp {
    pub address: String,
    pub origin: String,
    /// Keeps cookies, like a browser.
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub config: Config,
    _sqlite_dir: Option<tempfile::TempDir>,
}

/// A signed-in person: their access token and the user JSON.
pub struct Person {
    pub token: String,
    pub user: Value,
    pub email: String,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(customize: impl FnOnce(&mut Config)) -> Self {
        let (database_url, sqlite_dir) = fresh_database().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let mut config = test_config(database_url, address);
        customize(&mut config);
        let app = Application::build_on(config.clone(), listener)
            .await
            .expect("the app starts");
        let db = app.db().clone();
        tokio::spawn(app.run_until_stopped());
        Self {
            address: format!("http://{address}"),
            origin: config.public_origin.clone(),
            client: browser_like_client(),
            db,
            config,
            _sqlite_dir: sqlite_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A second client: another browser, with its own cookies.
    pub fn another_browser(&self) -> reqwest::Client {
        browser_like_client()
    }

    /// A GET from this browser: its cookies and nothing else.
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A POST with no body from this browser: its cookies and nothing else.
    pub async fn post(&self, path: &str) -> Response {
        self.client.post(self.url(path)).send().await.unwrap()
    }

    /// What `GET /api/me` answers to `token`: 200 while its session lives, 401 once it ends.
    pub async fn me_status(&self, token: &str) -> StatusCode {
        self.get_with("/api/me", token).await.status()
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A POST of `text` labelled as JSON, as it stands: for bodies `json!` cannot write.
    pub async fn post_json_text(&self, path: &str, text: &str) -> Response {
        self.client
            .post(self.url(path))
            .header(header::CONTENT_TYPE, "application/json")
            .body(text.to_string())
            .send()
            .await
            .unwrap()
    }

    pub async fn get_with(&self, path: &str, token: &str) -> Response {
        self.with_bearer(Method::GET, path, token, None).await
    }

    pub async fn post_with(&self, path: &str, token: &str, body: &Value) -> Response {
        self.with_bearer(Method::POST, path, token, Some(body))
            .await
    }

    pub async fn patch_with(&self, path: &str, token: &str, body: &Value) -> Response {
        self.with_bearer(Method::PATCH, path, token, Some(body))
            .await
    }

    pub async fn delete_with(&self, path: &str, token: &str) -> Response {
        self.with_bearer(Method::DELETE, path, token, None).await
    }

    /// A request from this browser with `token` as its bearer, and `body` as JSON when given.
    async fn with_bearer(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    pub async fn sign_up(&self, name: &str, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/auth/sign-up/email",
            &json!({"name": name, "email": email, "password": password}),
        )
        .await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/auth/sign-in/email",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Stores `hash` as the password hash of the account with `email`, behind the API's back.
    pub async fn set_password_hash(&self, email: &str, hash: &str) {
        let user = server::db::users::find_by_email(&self.db, email)
            .await
            .unwrap()
            .expect("an account with that email");
        server::db::users::set_password_hash(&self.db, user.id, hash)
            .await
            .unwrap();
    }

    /// Signs this browser out with its session cookie.
    pub async fn sign_out_with_cookie(&self) -> Response {
        self.post("/api/auth/sign-out").await
    }

    /// Signs the session of `token` out from another device: this browser keeps its cookie.
    pub async fn sign_out_elsewhere(&self, token: &str) {
        let response = self
            .another_browser()
            .post(self.url("/api/auth/sign-out"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// Signs up and signs in a new person with a unique email.
    pub async fn person(&self, name: &str) -> Person {
        self.person_in(&self.client, name).await
    }

    /// Like `person`, with the session cookie kept by `browser`.
    pub async fn person_in(&self, browser: &reqwest::Client, name: &str) -> Person {
        let email = format!(
            "{}-{}@example.com",
            name.to_lowercase(),
            uuid::Uuid::new_v4().simple()
        );
        assert_eq!(
            self.sign_up(name, &email, PASSWORD).await.status(),
            StatusCode::CREATED
        );
        self.sign_in_as(browser, &email).await
    }

    pub async fn sign_in_as(&self, browser: &reqwest::Client, email: &str) -> Person {
        let response = browser
            .post(self.url("/api/auth/sign-in/email"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        Person {
            token: body["token"].as_str().unwrap().to_string(),
            user: body["user"].clone(),
            email: email.into(),
        }
    }
}

fn browser_like_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// A site directory as the build leaves it: stand-ins for the files every page names, and the
/// favicon copied from `public/`.
pub const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/site");

/// The configuration tests run with: generous limits (tests that check limits lower them).
pub fn test_config(database_url: String, address: SocketAddr) -> Config {
    Config {
        database_url,
        auth_secret: checked_secret(SECRET.to_string()).unwrap(),
        public_origin: format!("http://{address}"),
        access_token_ttl: Duration::from_secs(900),
        session_ttl: Duration::from_secs(604_800),
        rate_limits: RateLimits {
            sign_in_per_ip_per_minute: 100_000,
            sign_in_failures_per_account: 5,
            sign_up_per_ip_per_hour: 100_000,
        },
        trust_forwarded_for: false,
        leptos: leptos::config::LeptosOptions::builder()
            .output_name("gatehouse")
            .site_root(SITE)
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build(),
    }
}

/// A new PostgreSQL database when `TEST_POSTGRES_URL` names a server, else a SQLite file in a
/// temporary directory.
pub async fn fresh_database() -> (String, Option<tempfile::TempDir>) {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(server) if !server.is_empty() => {
            let server = server.trim_end_matches('/');
            let admin = postgres_admin(server).await;
            let name = format!("gatehouse_test_{}", uuid::Uuid::new_v4().simple());
            admin
                .execute_raw(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE {name}"),
                ))
                .await
                .unwrap();
            admin.close().await.unwrap();
            (format!("{server}/{name}"), None)
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("gatehouse.db").display()
            );
            (url, Some(dir))
        }
    }
}

/// A connection to the PostgreSQL server at `server`, on its `postgres` database: for
/// creating, altering and dropping the tests' own databases.
pub async fn postgres_admin(server: &str) -> DatabaseConnection {
    Database::connect(format!("{}/postgres", server.trim_end_matches('/')))
        .await
        .expect("PostgreSQL is reachable")
}

/// Status, and the body as JSON.
pub async fn answer(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// The `Set-Cookie` header of a response, if any.
pub fn set_cookie(response: &Response) -> Option<String> {
    response
        .headers()
        .get(header::SET_COOKIE)
        .map(|value| value.to_str().unwrap().to_string())
}

/// Asserts that `response` tells the browser to forget its session cookie.
pub fn assert_clears_session_cookie(response: &Response) {
    let cookie = set_cookie(response).expect("a Set-Cookie that clears the session cookie");
    assert!(
        cookie.starts_with("gatehouse_session=;") && cookie.contains("Max-Age=0"),
        "{cookie}"
    );
}

/// A JWT's decoded header and claims, and its signature as sent.
pub fn parts(token: &str) -> (Value, Value, String) {
    let mut pieces = token.split('.');
    let mut decode = || {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(pieces.next().unwrap()).unwrap()).unwrap()
    };
    let header = decode();
    let payload = decode();
    (
        header,
        payload,
        token.rsplit('.').next().unwrap().to_string(),
    )
}
