//! `/api/auth/*`: sign-up, sign-in, token exchange, sessions and passwords. Paths and shapes
//! follow Better Auth's.

use std::collections::BTreeMap;

use app::{
    model::{
        ChangePasswordRequest, DeleteUserRequest, ErrorBody, RevokeSessionRequest, SessionInfo,
        SessionResponse, SignInRequest, SignInResponse, SignUpRequest, Success, TokenResponse,
        UserResponse,
    },
    validation::{DisplayName, Email, Password},
};
use axum::{
    Json, Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{AppendHeaders, IntoResponse, Response},
    routing::{get, post},
};
use uuid::Uuid;

use crate::{
    auth::{
        client::Client,
        extractor::{AnySession, AuthUser, CookieSession},
        password::{self, Verified},
        session,
    },
    db::{
        entity::user::Model as User,
        sessions::{self, Revoke},
        users::{self, InsertUserError},
    },
    error::{AppError, Result},
    extract,
    routes::dto,
    state::AppState,
};

const INVALID_CREDENTIALS: AppError = AppError::Unauthorized("invalid email or password");
const COMMON_PASSWORD: &str = "This password is too common. Choose a less predictable one.";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/sign-up/email", post(sign_up))
        .route("/api/auth/sign-in/email", post(sign_in))
        .route("/api/auth/token", post(token))
        .route("/api/auth/get-session", get(get_session))
        .route("/api/auth/sign-out", post(sign_out))
        .route("/api/auth/list-sessions", get(list_sessions))
        .route("/api/auth/revoke-session", post(revoke_session))
        .route(
            "/api/auth/revoke-other-sessions",
            post(revoke_other_sessions),
        )
        .route("/api/auth/revoke-sessions", post(revoke_sessions))
        .route("/api/auth/change-password", post(change_password))
        .route("/api/auth/delete-user", post(delete_user))
}

/// Creates an account. No session: the app sends the person on to sign in.
#[utoipa::path(post, path = "/api/auth/sign-up/email", tag = "auth", request_body = SignUpRequest,
    responses((status = 201, body = UserResponse), (status = 409, description = "Email already registered", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_up(
    State(state): State<AppState>,
    client: Client,
    extract::Json(request): extract::Json<SignUpRequest>,
) -> Result<(StatusCode, Json<UserResponse>)> {
    state.rate_limits.sign_up_request(&client.ip_key()).await?;

    let mut fields = BTreeMap::new();
    let name = DisplayName::parse(&request.name)
        .map_err(|invalid| fields.insert("name".into(), invalid.0.into()));
    let email = Email::parse(&request.email)
        .map_err(|invalid| fields.insert("email".into(), invalid.0.into()));
    let password = Password::parse_new(&request.password)
        .map_err(|invalid| invalid.0)
        .and_then(|password| {
            if password::is_common(&password) {
                Err(COMMON_PASSWORD)
            } else {
                Ok(password)
            }
        })
        .map_err(|message| fields.insert("password".into(), message.into()));
    let (Ok(name), Ok(email), Ok(password)) = (name, email, password) else {
        return Err(AppError::Validation {
            message: "Some fields are invalid.".into(),
            fields,
        });
    };

    let hash = state
        .passwords
        .hash(&password)
        .await
        .map_err(AppError::internal)?;
    let user = users::insert(&state.db, name.as_str(), email.as_str(), &hash)
        .await
        .map_err(|error| match error {
            InsertUserError::EmailTaken => AppError::Conflict {
                message: "An account with this email already exists.",
                fields: BTreeMap::from([(
                    "email".into(),
                    "An account with this email already exists.".into(),
                )]),
            },
            InsertUserError::Db(error) => error.into(),
        })?;
    tracing::info!(user_id = %user.id, ip = ?client.ip, "sign-up");
    Ok((
        StatusCode::CREATED,
        Json(UserResponse {
            user: dto::user(&user),
        }),
    ))
}

/// Checks the password and opens a session: the cookie for refreshing, the JWT for API calls.
#[utoipa::path(post, path = "/api/auth/sign-in/email", tag = "auth", request_body = SignInRequest,
    responses((status = 200, description = "Signed in; sets the session cookie", body = SignInResponse),
        (status = 401, description = "Unknown email or wrong password (indistinguishable)", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    extract::Json(request): extract::Json<SignInRequest>,
) -> Result<impl IntoResponse> {
    state.rate_limits.sign_in_request(&client.ip_key()).await?;
    let email = Email::parse(&request.email)
        .map_err(|invalid| AppError::invalid_field("email", invalid.0))?;
    let failures = state.rate_limits.account_unlocked(email.as_str()).await?;

    // A password no account could have is simply wrong (after the same work as any other).
    let password = Password::parse(&request.password).ok();
    let user = users::find_by_email(&state.db, email.as_str()).await?;
    let verified = match (&user, &password) {
        (Some(user), Some(password)) => state.passwords.verify(password, &user.password_hash).await,
        (None, Some(password)) => state
            .passwords
            .verify_dummy(password)
            .await
            .map(|()| Verified::No),
        (_, None) => Ok(Verified::No),
    }
    .map_err(AppError::internal)?;
    let (Some(user), Some(password), Verified::Yes | Verified::YesButRehash) =
        (user, password, &verified)
    else {
        state.rate_limits.sign_in_failed(email.as_str()).await?;
        tracing::info!(ip = ?client.ip, "sign-in failed");
        return Err(INVALID_CREDENTIALS);
    };
    state
        .rate_limits
        .sign_in_succeeded(email.as_str(), failures)
        .await?;
    if verified == Verified::YesButRehash {
        let hash = state
            .passwords
            .hash(&password)
            .await
            .map_err(AppError::internal)?;
        users::set_password_hash(&state.db, user.id, &hash).await?;
    }

    let persistent = request.remember_me.unwrap_or(true);
    let created = session::create(&state.db, &state.config, &user, persistent, &client).await?;
    let token = state
        .tokens
        .issue(user.id, created.session.id)
        .map_err(AppError::internal)?;
    tracing::info!(user_id = %user.id, session_id = %created.session.id, ip = ?client.ip, "sign-in");
    Ok((
        AppendHeaders([(
            header::SET_COOKIE,
            session::cookie(&state.config, &created.token, persistent),
        )]),
        Json(SignInResponse {
            token,
            user: dto::user(&user),
        }),
    ))
}

/// Exchanges the session cookie for a fresh access token (and slides the session).
#[utoipa::path(post, path = "/api/auth/token", tag = "auth",
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody),
        (status = 403, description = "Cross-origin request", body = ErrorBody)))]
pub async fn token(
    State(state): State<AppState>,
    cookie: Result<CookieSession, AppError>,
) -> Result<Response> {
    let cookie = match cookie {
        Ok(cookie) => cookie,
        // A cookie whose session has ended is dropped, so the browser stops sending it and its
        // pages stop rendering as signed in. Never on a cross-origin 403: another site must not
        // be able to sign anyone out.
        Err(error @ AppError::Unauthorized(_)) => {
            return Ok((dropping_cookie(&state), error).into_response());
        }
        Err(error) => return Err(error),
    };
    let slid = session::touch(&state.db, &state.config, &cookie.session).await?;
    let token = state
        .tokens
        .issue(cookie.user.id, cookie.session.id)
        .map_err(AppError::internal)?;
    // A persistent session that slid gets its cookie's Max-Age renewed to match.
    let renewed = (slid && cookie.session.persistent).then(|| {
        (
            header::SET_COOKIE,
            session::cookie(&state.config, &cookie.token, true),
        )
    });
    Ok((AppendHeaders(renewed), Json(TokenResponse { token })).into_response())
}

/// The current session and user, from the bearer or the cookie.
#[utoipa::path(get, path = "/api/auth/get-session", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody)))]
pub async fn get_session(
    State(state): State<AppState>,
    current: AnySession,
) -> Result<Json<SessionResponse>> {
    if current.via_cookie {
        session::touch(&state.db, &state.config, &current.session).await?;
    }
    Ok(Json(SessionResponse {
        session: dto::session(&current.session, true),
        user: dto::user(&current.user),
    }))
}

/// Revokes the current session and clears the cookie. The cookie is cleared even when the
/// session cannot be revoked (it had already ended, or the database is unreachable): a browser
/// that asked to sign out does not stay signed in. Never on a cross-origin 403: another site
/// must not be able to sign anyone out.
#[utoipa::path(post, path = "/api/auth/sign-out", tag = "auth", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Success), (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn sign_out(
    State(state): State<AppState>,
    current: Result<AnySession, AppError>,
) -> Response {
    let revoked = async {
        let current = current?;
        sessions::revoke(&state.db, current.user.id, Revoke::One(current.session.id)).await?;
        tracing::info!(user_id = %current.user.id, session_id = %current.session.id, "sign-out");
        Ok::<_, AppError>(())
    };
    match revoked.await {
        Ok(()) => signed_out(&state).into_response(),
        Err(error @ AppError::Forbidden(_)) => error.into_response(),
        Err(error) => (dropping_cookie(&state), error).into_response(),
    }
}

fn signed_out(state: &AppState) -> impl IntoResponse + use<> {
    (dropping_cookie(state), Json(Success { success: true }))
}

/// The `Set-Cookie` that makes the browser forget its session cookie.
fn dropping_cookie(state: &AppState) -> AppendHeaders<[(header::HeaderName, HeaderValue); 1]> {
    AppendHeaders([(header::SET_COOKIE, session::clear_cookie(&state.config))])
}

/// The user's live sessions, newest first; `current` marks this one.
#[utoipa::path(get, path = "/api/auth/list-sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<SessionInfo>), (status = 401, body = ErrorBody)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<Vec<SessionInfo>>> {
    let sessions = sessions::list_live(&state.db, auth.user.id).await?;
    Ok(Json(
        sessions
            .iter()
            .map(|session| dto::session(session, session.id == auth.session.id))
            .collect(),
    ))
}

/// Signs one of the user's sessions out (another user's session id is a 404).
#[utoipa::path(post, path = "/api/auth/revoke-session", tag = "auth", security(("bearer" = [])),
    request_body = RevokeSessionRequest,
    responses((status = 200, body = Success), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_session(
    State(state): State<AppState>,
    auth: AuthUser,
    extract::Json(request): extract::Json<RevokeSessionRequest>,
) -> Result<Json<Success>> {
    let id = Uuid::parse_str(request.id.trim()).map_err(|_| AppError::NotFound)?;
    if sessions::revoke(&state.db, auth.user.id, Revoke::One(id)).await? == 0 {
        return Err(AppError::NotFound);
    }
    tracing::info!(user_id = %auth.user.id, session_id = %id, "session revoked");
    Ok(Json(Success { success: true }))
}

/// Signs out every other device.
#[utoipa::path(post, path = "/api/auth/revoke-other-sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Success), (status = 401, body = ErrorBody)))]
pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<Success>> {
    let revoked =
        sessions::revoke(&state.db, auth.user.id, Revoke::AllExcept(auth.session.id)).await?;
    tracing::info!(user_id = %auth.user.id, revoked, "other sessions revoked");
    Ok(Json(Success { success: true }))
}

/// Signs out everywhere, this device included.
#[utoipa::path(post, path = "/api/auth/revoke-sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Success), (status = 401, body = ErrorBody)))]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<impl IntoResponse> {
    let revoked = sessions::revoke(&state.db, auth.user.id, Revoke::All).await?;
    tracing::info!(user_id = %auth.user.id, revoked, "all sessions revoked");
    Ok(signed_out(&state))
}

/// Changes the password after checking the current one; optionally signs out other devices.
#[utoipa::path(post, path = "/api/auth/change-password", tag = "auth", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses((status = 200, body = Success), (status = 401, body = ErrorBody),
        (status = 422, description = "Wrong current password, or an unacceptable new one", body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    auth: AuthUser,
    extract::Json(request): extract::Json<ChangePasswordRequest>,
) -> Result<Json<Success>> {
    let new_password = Password::parse_replacing(&request.new_password, &request.current_password)
        .map_err(|invalid| AppError::invalid_field("newPassword", invalid.0))?;
    if password::is_common(&new_password) {
        return Err(AppError::invalid_field("newPassword", COMMON_PASSWORD));
    }
    confirm_password(
        &state,
        &auth.user,
        &request.current_password,
        "currentPassword",
        "The current password is incorrect.",
    )
    .await?;

    let hash = state
        .passwords
        .hash(&new_password)
        .await
        .map_err(AppError::internal)?;
    users::set_password_hash(&state.db, auth.user.id, &hash).await?;
    if request.revoke_other_sessions.unwrap_or(false) {
        sessions::revoke(&state.db, auth.user.id, Revoke::AllExcept(auth.session.id)).await?;
    }
    tracing::info!(user_id = %auth.user.id, "password changed");
    Ok(Json(Success { success: true }))
}

/// Deletes the account after checking its password: its sessions and tasks go with it, so every
/// device is signed out at once, and this one's cookie is cleared.
#[utoipa::path(post, path = "/api/auth/delete-user", tag = "auth", security(("bearer" = [])),
    request_body = DeleteUserRequest,
    responses((status = 200, body = Success), (status = 401, body = ErrorBody),
        (status = 422, description = "Wrong password", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn delete_user(
    State(state): State<AppState>,
    auth: AuthUser,
    extract::Json(request): extract::Json<DeleteUserRequest>,
) -> Result<impl IntoResponse> {
    confirm_password(
        &state,
        &auth.user,
        &request.password,
        "password",
        "The password is incorrect.",
    )
    .await?;
    users::delete(&state.db, auth.user.id).await?;
    tracing::info!(user_id = %auth.user.id, "account deleted");
    Ok(signed_out(&state))
}

/// Checks the password a signed-in person typed to confirm a step that a stolen token alone
/// must not take. Wrong guesses count towards the account's lock-out, as at sign-in.
async fn confirm_password(
    state: &AppState,
    user: &User,
    given: &str,
    field: &'static str,
    wrong: &'static str,
) -> Result<()> {
    let failures = state.rate_limits.account_unlocked(&user.email).await?;
    let verified = match Password::parse(given) {
        Ok(given) => state
            .passwords
            .verify(&given, &user.password_hash)
            .await
            .map_err(AppError::internal)?,
        Err(_) => Verified::No,
    };
    if verified == Verified::No {
        state.rate_limits.sign_in_failed(&user.email).await?;
        return Err(AppError::invalid_field(field, wrong));
    }
    state
        .rate_limits
        .sign_in_succeeded(&user.email, failures)
        .await?;
    Ok(())
}
