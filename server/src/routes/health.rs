use app::model::Health;
use axum::{Json, Router, extract::State, http::StatusCode, routing::get};
use sea_orm::DatabaseConnection;

use crate::{db, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/health", get(health))
}

/// Liveness plus database reachability: 503 when the database does not answer.
#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(db): State<DatabaseConnection>) -> (StatusCode, Json<Health>) {
    let (status, database, code) = if db::is_reachable(&db).await {
        ("ok", "ok", StatusCode::OK)
    } else {
        ("degraded", "unreachable", StatusCode::SERVICE_UNAVAILABLE)
    };
    (
        code,
        Json(Health {
            status: status.into(),
            database: database.into(),
        }),
    )
}
