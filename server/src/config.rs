//! Typed configuration, read once at start-up from the environment (and `.env` when present).

use std::{path::Path, time::Duration};

use leptos::config::LeptosOptions;
use secrecy::SecretString;

/// Where the development secret is kept when `AUTH_SECRET` is not set (git-ignored).
const DEV_SECRET_FILE: &str = ".gatehouse-secret";
const MIN_SECRET_BYTES: usize = 32;

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    /// Encrypts the signing keys at rest; never logged.
    pub auth_secret: SecretString,
    /// Scheme, host and port the browser uses, e.g. `https://gatehouse.example`.
    pub public_origin: String,
    pub access_token_ttl: Duration,
    pub session_ttl: Duration,
    pub rate_limits: RateLimits,
    /// Take the client IP from the last `X-Forwarded-For` entry (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    pub leptos: LeptosOptions,
}

/// How many attempts the auth endpoints accept before answering 429.
#[derive(Clone, Debug)]
pub struct RateLimits {
    /// Sign-in requests per client IP per minute.
    pub sign_in_per_ip_per_minute: u32,
    /// Failed sign-ins per account per 15 minutes.
    pub sign_in_failures_per_account: u32,
    /// Sign-ups per client IP per hour.
    pub sign_up_per_ip_per_hour: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            sign_in_per_ip_per_minute: 30,
            sign_in_failures_per_account: 5,
            sign_up_per_ip_per_hour: 20,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error(
        "AUTH_SECRET is required in a release build: set it to at least {MIN_SECRET_BYTES} random bytes (e.g. `openssl rand -base64 48`)"
    )]
    MissingSecret,
    #[error("AUTH_SECRET must be at least {MIN_SECRET_BYTES} bytes long")]
    WeakSecret,
    #[error("could not keep the development secret in {DEV_SECRET_FILE}: {0}")]
    DevSecret(std::io::Error),
    #[error("the Leptos options could not be read: {0}")]
    Leptos(String),
}

impl Config {
    /// Reads `.env` (if any) and then the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env is the normal case in production.
        let _ = dotenvy::dotenv();

        let leptos = leptos_options()?;
        let public_origin = match var("PUBLIC_ORIGIN") {
            Some(origin) => parse_origin(&origin)?,
            None => format!("http://{}", leptos.site_addr),
        };
        let auth_secret = match var("AUTH_SECRET") {
            Some(secret) => secret,
            None if cfg!(debug_assertions) => dev_secret()?,
            None => return Err(ConfigError::MissingSecret),
        };
        let defaults = RateLimits::default();
        Ok(Self {
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| "sqlite://gatehouse.db?mode=rwc".to_string()),
            auth_secret: checked_secret(auth_secret)?,
            public_origin,
            access_token_ttl: Duration::from_secs(number("ACCESS_TOKEN_TTL_SECS", 900)?),
            session_ttl: Duration::from_secs(number("SESSION_TTL_SECS", 604_800)?),
            rate_limits: RateLimits {
                sign_in_per_ip_per_minute: number(
                    "RATE_LIMIT_SIGN_IN_PER_IP_PER_MINUTE",
                    defaults.sign_in_per_ip_per_minute,
                )?,
                sign_in_failures_per_account: number(
                    "RATE_LIMIT_SIGN_IN_FAILURES_PER_ACCOUNT",
                    defaults.sign_in_failures_per_account,
                )?,
                sign_up_per_ip_per_hour: number(
                    "RATE_LIMIT_SIGN_UP_PER_IP_PER_HOUR",
                    defaults.sign_up_per_ip_per_hour,
                )?,
            },
            trust_forwarded_for: number("TRUST_FORWARDED_FOR", false)?,
            leptos,
        })
    }

    /// Whether the browser reaches us over HTTPS (decides `Secure` and the `__Host-` prefix).
    pub fn is_https(&self) -> bool {
        self.public_origin.starts_with("https://")
    }
}

/// Rejects a secret shorter than 32 bytes.
pub fn checked_secret(secret: String) -> Result<SecretString, ConfigError> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(ConfigError::WeakSecret);
    }
    Ok(SecretString::from(secret))
}

/// `scheme://host[:port]` with no path, as browsers send in `Origin`.
pub fn parse_origin(origin: &str) -> Result<String, ConfigError> {
    let invalid = |reason: &str| ConfigError::Invalid {
        name: "PUBLIC_ORIGIN",
        reason: format!("{reason} (got {origin:?}, expected e.g. https://gatehouse.example)"),
    };
    let origin = origin.trim_end_matches('/');
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| invalid("it must start with http:// or https://"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(invalid("it must be a scheme and a host, with no path"));
    }
    Ok(origin.to_ascii_lowercase())
}

/// The runtime Leptos options: `Leptos.toml` when it is in the working directory, with
/// `LEPTOS_*` variables on top (which is how `cargo leptos serve` passes its settings).
fn leptos_options() -> Result<LeptosOptions, ConfigError> {
    let file = Path::new("Leptos.toml").exists().then_some("Leptos.toml");
    leptos_config::get_configuration(file)
        .map(|conf| conf.leptos_options)
        .map_err(|error| ConfigError::Leptos(error.to_string()))
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

fn number<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(value) => value
            .trim()
            .parse()
            .map_err(|error: T::Err| ConfigError::Invalid {
                name,
                reason: error.to_string(),
            }),
    }
}

/// In development the secret is generated once and kept beside the database, so restarts
/// keep the signing keys readable.
fn dev_secret() -> Result<String, ConfigError> {
    if let Ok(secret) = std::fs::read_to_string(DEV_SECRET_FILE) {
        return Ok(secret.trim().to_string());
    }
    let secret = crate::auth::random::token();
    std::fs::write(DEV_SECRET_FILE, &secret).map_err(ConfigError::DevSecret)?;
    tracing::warn!("AUTH_SECRET is not set: generated a development secret in {DEV_SECRET_FILE}");
    Ok(secret)
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redacted_url(&self.database_url))
            .field("auth_secret", &"[redacted]")
            .field("public_origin", &self.public_origin)
            .field("access_token_ttl", &self.access_token_ttl)
            .field("session_ttl", &self.session_ttl)
            .field("rate_limits", &self.rate_limits)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .finish()
    }
}

/// A database URL without its password, for logs.
pub fn redacted_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://[redacted]@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_keeps_scheme_host_and_port_only() {
        assert_eq!(
            parse_origin("https://Example.com/").unwrap(),
            "https://example.com"
        );
        assert_eq!(
            parse_origin("http://127.0.0.1:3000").unwrap(),
            "http://127.0.0.1:3000"
        );
        assert!(parse_origin("example.com").is_err());
        assert!(parse_origin("https://example.com/app").is_err());
    }

    #[test]
    fn a_secret_shorter_than_32_bytes_is_refused() {
        assert!(matches!(
            checked_secret("short".into()),
            Err(ConfigError::WeakSecret)
        ));
        assert!(checked_secret("x".repeat(32)).is_ok());
    }

    #[test]
    fn a_database_password_never_reaches_the_logs() {
        assert_eq!(
            redacted_url("postgres://user:hunter2@db:5432/app"),
            "postgres://[redacted]@db:5432/app"
        );
        assert_eq!(
            redacted_url("sqlite://gatehouse.db"),
            "sqlite://gatehouse.db"
        );
    }
}
