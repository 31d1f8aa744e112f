//! The HTTP API: one module per resource, each with its own `router()`.

pub mod auth;
pub mod dto;
pub mod health;
pub mod jwks;
pub mod me;
pub mod openapi;
pub mod tasks;

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::Response,
    routing::any,
};

use crate::{error::AppError, state::AppState};

/// Request bodies larger than this are refused with 413 (DESIGN.md: 16 KiB on auth routes;
/// no API body needs more).
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

/// Every `/api` route, plus a JSON 404 for `/api` paths that do not exist (instead of the app)
/// and a JSON 405 for methods a path does not take.
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(me::router())
        .merge(tasks::router())
        .merge(health::router())
        .merge(openapi::router())
        .route("/api", any(not_found))
        .route("/api/{*path}", any(not_found))
        .layer(middleware::from_fn(no_store))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        // Public keys are not credentials: they may be cached (they carry their own header).
        .merge(jwks::router())
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// API answers carry credentials or personal data: no cache may keep them.
async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}
