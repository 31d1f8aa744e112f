use app::model::JwkSet;
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};

use crate::{auth::token::TokenIssuer, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/jwks", get(jwks))
        .route("/.well-known/jwks.json", get(jwks))
}

/// The public keys that verify access tokens, for any service in any language.
#[utoipa::path(get, path = "/api/auth/jwks", tag = "auth",
    responses((status = 200, description = "The signing keys still in use", body = JwkSet)))]
pub async fn jwks(State(tokens): State<TokenIssuer>) -> impl IntoResponse {
    (
        [(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        )],
        Json(tokens.keys().jwks()),
    )
}
