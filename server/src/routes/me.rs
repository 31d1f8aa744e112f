use app::{
    model::{ErrorBody, ProfileChanges, User},
    validation::DisplayName,
};
use axum::{Json, Router, extract::State, routing::get};

use crate::{
    auth::extractor::AuthUser,
    db::users,
    error::{AppError, Result},
    extract,
    routes::dto,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/me", get(me).patch(update_profile))
}

/// The signed-in user's profile.
#[utoipa::path(get, path = "/api/me", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
pub async fn me(auth: AuthUser) -> Json<User> {
    Json(dto::user(&auth.user))
}

/// Changes the signed-in user's name; answers with the profile as it now is.
#[utoipa::path(patch, path = "/api/me", tag = "profile", security(("bearer" = [])),
    request_body = ProfileChanges,
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_profile(
    State(state): State<AppState>,
    auth: AuthUser,
    extract::Json(changes): extract::Json<ProfileChanges>,
) -> Result<Json<User>> {
    let Some(name) = changes.name else {
        return Ok(Json(dto::user(&auth.user)));
    };
    let name =
        DisplayName::parse(&name).map_err(|invalid| AppError::invalid_field("name", invalid.0))?;
    // The name it already has changes nothing, `updatedAt` included.
    if name.as_str() == auth.user.name {
        return Ok(Json(dto::user(&auth.user)));
    }
    let user = users::set_name(&state.db, auth.user.id, name.as_str()).await?;
    tracing::info!(user_id = %user.id, "name changed");
    Ok(Json(dto::user(&user)))
}
