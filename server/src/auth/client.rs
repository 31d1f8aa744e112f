//! Who is calling, as far as the connection tells: the client's IP and user agent.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::{header, request::Parts},
};

use crate::config::Config;
use std::sync::Arc;

const USER_AGENT_MAX_CHARS: usize = 512;

#[derive(Clone, Debug)]
pub struct Client {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl Client {
    /// The key per-IP rate limits count under.
    pub fn ip_key(&self) -> String {
        self.ip
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
    }
}

impl<S> FromRequestParts<S> for Client
where
    S: Send + Sync,
    Arc<Config>: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let config = Arc::<Config>::from_ref(state);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        // Behind a trusted load balancer the peer is the balancer; it appends the real client
        // as the last X-Forwarded-For entry. Never trusted unless configured.
        let forwarded = config
            .trust_forwarded_for
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok());
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(USER_AGENT_MAX_CHARS).collect());
        Ok(Self {
            ip: forwarded.or(peer),
            user_agent,
        })
    }
}
