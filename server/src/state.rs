use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{password::PasswordHasherPool, rate_limit::RateLimiter, token::TokenIssuer},
    config::Config,
};

/// Everything a handler may need, built once at start-up.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub tokens: TokenIssuer,
    pub passwords: PasswordHasherPool,
    pub rate_limits: RateLimiter,
    pub leptos: LeptosOptions,
}
