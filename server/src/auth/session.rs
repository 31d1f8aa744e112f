//! Sessions: the server-side source of truth behind the `gatehouse_session` cookie.

use std::time::Duration;

use axum::http::HeaderValue;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use sha2::{Digest, Sha256};

use crate::{
    auth::{client::Client, random},
    config::Config,
    db::{
        entity::{session::Model as Session, user::Model as User},
        sessions::{self, NewSession},
    },
};

pub const COOKIE_NAME: &str = "gatehouse_session";
/// Over HTTPS the cookie gets the `__Host-` prefix: Secure, no Domain, Path=/ enforced by browsers.
pub const SECURE_COOKIE_NAME: &str = "__Host-gatehouse_session";
/// Without "remember me" the server keeps the session this long (and the cookie dies with the browser).
const BROWSER_SESSION_TTL: Duration = Duration::from_secs(24 * 60 * 60);
/// Expiry slides at most this often (DESIGN.md: at most once a day).
const SLIDE_AT_MOST_EVERY: Duration = Duration::from_secs(24 * 60 * 60);
/// `last_seen_at` is written at most this often.
const LAST_SEEN_GRANULARITY: TimeDelta = TimeDelta::seconds(60);

/// A freshly created session and the only copy of its token (for the cookie).
pub struct Created {
    pub session: Session,
    pub token: String,
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn lifetime(config: &Config, persistent: bool) -> Duration {
    if persistent {
        config.session_ttl
    } else {
        BROWSER_SESSION_TTL.min(config.session_ttl)
    }
}

fn after(now: DateTime<Utc>, duration: Duration) -> DateTime<Utc> {
    now + TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

pub async fn create(
    db: &impl ConnectionTrait,
    config: &Config,
    user: &User,
    persistent: bool,
    client: &Client,
) -> Result<Created, DbErr> {
    let token = random::token();
    let session = sessions::insert(
        db,
        NewSession {
            user_id: user.id,
            token_hash: &hash_token(&token),
            persistent,
            expires_at: after(Utc::now(), lifetime(config, persistent)),
            user_agent: client.user_agent.clone(),
            ip: client.ip.map(|ip| ip.to_string()),
        },
    )
    .await?;
    Ok(Created { session, token })
}

/// Records that the session was used and slides its expiry; returns whether it slid (so the
/// cookie's Max-Age should be refreshed too).
pub async fn touch(
    db: &impl ConnectionTrait,
    config: &Config,
    session: &Session,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let ttl = lifetime(config, session.persistent);
    let threshold = TimeDelta::from_std(SLIDE_AT_MOST_EVERY.min(ttl / 2)).unwrap_or(TimeDelta::MAX);
    let slid_expiry = after(now, ttl);
    let slide = slid_expiry - session.expires_at > threshold;
    let stale = now - session.last_seen_at > LAST_SEEN_GRANULARITY;
    if slide || stale {
        let expires_at = if slide {
            slid_expiry
        } else {
            session.expires_at
        };
        sessions::touch(db, session.id, now, expires_at).await?;
    }
    Ok(slide)
}

/// The cookie's name for this deployment.
pub fn cookie_name(config: &Config) -> &'static str {
    if config.is_https() {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// `Set-Cookie` for a session token. A persistent session's cookie outlives the browser.
pub fn cookie(config: &Config, token: &str, persistent: bool) -> HeaderValue {
    let max_age = if persistent {
        format!("; Max-Age={}", config.session_ttl.as_secs())
    } else {
        String::new()
    };
    set_cookie(config, token, &max_age)
}

/// `Set-Cookie` that removes the session cookie.
pub fn clear_cookie(config: &Config) -> HeaderValue {
    set_cookie(config, "", "; Max-Age=0")
}

fn set_cookie(config: &Config, value: &str, max_age: &str) -> HeaderValue {
    let secure = if config.is_https() { "; Secure" } else { "" };
    let cookie = format!(
        "{}={value}; HttpOnly; SameSite=Lax; Path=/{max_age}{secure}",
        cookie_name(config)
    );
    // Built only from our own name, a base64url token and digits: always a valid header.
    HeaderValue::from_str(&cookie).expect("a session cookie is a valid header value")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_stored_as_its_sha256() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
