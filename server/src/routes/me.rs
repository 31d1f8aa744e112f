use app::model::User;
use axum::{Json, Router, routing::get};

use crate::{auth::extractor::AuthUser, routes::dto, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/me", get(me))
}

/// The signed-in user's profile.
#[utoipa::path(get, path = "/api/me", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = app::model::ErrorBody)))]
pub async fn me(auth: AuthUser) -> Json<User> {
    Json(dto::user(&auth.user))
}
