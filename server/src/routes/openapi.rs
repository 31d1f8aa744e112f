//! `GET /api/openapi.json`, generated from the handlers' annotations so it cannot drift.

use axum::{Json, Router, routing::get};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::{routes, state::AppState};

#[derive(OpenApi)]
#[openapi(
    info(title = "Gatehouse API", description = "Accounts, sessions, access tokens and the user's tasks."),
    paths(
        routes::auth::sign_up, routes::auth::sign_in, routes::auth::token, routes::auth::get_session,
        routes::auth::sign_out, routes::auth::list_sessions, routes::auth::revoke_session,
        routes::auth::revoke_other_sessions, routes::auth::revoke_sessions, routes::auth::change_password,
        routes::auth::delete_user,
        routes::jwks::jwks, routes::me::me, routes::me::update_profile, routes::tasks::list, routes::tasks::create, routes::tasks::show,
        routes::tasks::update, routes::tasks::remove, routes::health::health, openapi_json,
    ),
    modifiers(&Security),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::session::COOKIE_NAME,
            ))),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(openapi_json))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
