//! Turning a request into a signed-in user. Handlers take one of these extractors; none parses
//! headers or cookies itself.

use axum::{
    extract::FromRequestParts,
    http::{Method, header, request::Parts},
};

use app::{theme, theme::Theme, visitor::Visitor};

use crate::{
    auth::session::{self, hash_token},
    config::Config,
    db::{
        entity::{session::Model as Session, user::Model as User},
        sessions,
    },
    error::AppError,
    state::AppState,
};

const INVALID_TOKEN: AppError = AppError::Unauthorized("missing, invalid or expired access token");
const INVALID_SESSION: AppError = AppError::Unauthorized("missing, invalid or expired session");

/// A request bearing a valid access token whose session is still live and whose user exists.
/// Checked on every request, so sign-out and revocation take effect at once.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user: User,
    pub session: Session,
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        // Tokens are read from the Authorization header only, never from the query string.
        let token = bearer(parts).ok_or(INVALID_TOKEN)?;
        let claims = state.tokens.verify(token).await.map_err(|error| {
            tracing::debug!(%error, "access token refused");
            INVALID_TOKEN
        })?;
        let (session, user) = sessions::find_live(&state.db, claims.sid, claims.sub)
            .await?
            .ok_or(INVALID_TOKEN)?;
        Ok(Self { user, session })
    }
}

/// A request carrying a live session cookie, from our own origin.
#[derive(Clone, Debug)]
pub struct CookieSession {
    pub user: User,
    pub session: Session,
    /// The cookie's token as sent, to re-send it with a fresh `Max-Age` when the session slides.
    pub token: String,
}

impl FromRequestParts<AppState> for CookieSession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        same_origin(parts, state)?;
        let token = cookie(parts, session::cookie_name(&state.config)).ok_or(INVALID_SESSION)?;
        let (session, user) = sessions::find_live_by_token_hash(&state.db, &hash_token(token))
            .await?
            .ok_or(INVALID_SESSION)?;
        Ok(Self {
            user,
            session,
            token: token.to_string(),
        })
    }
}

/// Either credential: the bearer when an `Authorization` header is sent, else the cookie.
#[derive(Clone, Debug)]
pub struct AnySession {
    pub user: User,
    pub session: Session,
    pub via_cookie: bool,
}

impl FromRequestParts<AppState> for AnySession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let AuthUser { user, session } = AuthUser::from_request_parts(parts, state).await?;
            return Ok(Self {
                user,
                session,
                via_cookie: false,
            });
        }
        let CookieSession { user, session, .. } =
            CookieSession::from_request_parts(parts, state).await?;
        Ok(Self {
            user,
            session,
            via_cookie: true,
        })
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// What a page request says about its visitor, for the server to render the page as the
/// browser will show it once hydrated. Only whether a session cookie was sent, not whether its
/// session is live: it is a guess for the page's frame, never a credential.
pub fn visitor(parts: &Parts, config: &Config) -> Visitor {
    Visitor {
        has_session: cookie(parts, session::cookie_name(config)).is_some(),
        theme: Theme::from_attribute(cookie(parts, theme::COOKIE)),
    }
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value)
}

/// CSRF defence for cookie-authenticated state changes: a browser always sends `Origin` on a
/// cross-site POST, so one that is not ours is refused. (Clients without a browser send none,
/// and cannot be made to act by another site.)
fn same_origin(parts: &Parts, state: &AppState) -> Result<(), AppError> {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        return Ok(());
    }
    let cross_site = parts
        .headers
        .get("sec-fetch-site")
        .is_some_and(|site| site.as_bytes() == b"cross-site");
    let foreign_origin = parts.headers.get(header::ORIGIN).is_some_and(|origin| {
        !origin
            .to_str()
            .is_ok_and(|origin| origin.eq_ignore_ascii_case(&state.config.public_origin))
    });
    if cross_site || foreign_origin {
        tracing::warn!(method = %parts.method, path = %parts.uri.path(), "cross-origin cookie request refused");
        return Err(AppError::Forbidden(
            "cross-origin requests may not use the session cookie",
        ));
    }
    Ok(())
}
