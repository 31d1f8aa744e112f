//! The one way the app talks to the server. Attaches the bearer token, decodes the error
//! shape, and on a 401 renews the token once through the session cookie and retries; when
//! that fails too, the session has ended and the app is sent to sign-in.

use serde::{Serialize, de::DeserializeOwned};

use crate::{model::ErrorDetail, token_store::TokenStore};

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server refused, with its reason.
    Server {
        status: u16,
        error: ErrorDetail,
        retry_after: Option<u64>,
    },
    /// No answer (offline, server down) or an answer that is not ours.
    Network,
    /// The session has ended; the app is already going to the sign-in page.
    SessionEnded,
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's message for one field, if it named that field.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Server { error, .. } => error.fields.as_ref()?.get(name).cloned(),
            _ => None,
        }
    }

    /// A sentence for people.
    pub fn message(&self) -> String {
        match self {
            Self::Server {
                status: 429,
                retry_after,
                ..
            } => {
                format!(
                    "Too many attempts — try again in {} seconds.",
                    retry_after.unwrap_or(60)
                )
            }
            Self::Server { error, .. } => error.message.clone(),
            Self::Network => {
                "Could not reach the server. Check your connection and try again.".into()
            }
            Self::SessionEnded => "Your session has expired. Please sign in again.".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Delete,
}

/// Calls an endpoint that needs the signed-in user.
pub async fn call<T: DeserializeOwned>(
    store: TokenStore,
    method: Method,
    path: &str,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = body
        .map(|body| serde_json::to_string(body).map_err(|_| ApiError::Network))
        .transpose()?;
    imp::authenticated(store, method, path, body).await
}

/// Calls a public endpoint (sign-up, sign-in): no token, no renewal.
pub async fn call_public<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &impl Serialize,
) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
    imp::public(method, path, Some(body)).await
}

/// The JSON of answers with no body worth reading (204, `{success: true}`).
#[derive(serde::Deserialize)]
pub struct Ignored {}

#[cfg(feature = "hydrate")]
mod imp {
    use std::cell::RefCell;

    use futures::{
        FutureExt,
        future::{LocalBoxFuture, Shared},
    };
    use gloo_net::http::{Request, RequestBuilder, Response};
    use serde::de::DeserializeOwned;

    use super::{ApiError, Method};
    use crate::{
        model::{ErrorBody, ErrorDetail, TokenResponse},
        token_store::{Ending, TokenStore},
    };

    thread_local! {
        /// The renewal under way, shared by every request that got a 401 meanwhile, so
        /// parallel failures cause one renewal, not one each.
        static RENEWAL: RefCell<Option<Shared<LocalBoxFuture<'static, Option<String>>>>> = const { RefCell::new(None) };
    }

    fn builder(method: Method, path: &str) -> RequestBuilder {
        match method {
            Method::Get => Request::get(path),
            Method::Post => Request::post(path),
            Method::Patch => Request::patch(path),
            Method::Delete => Request::delete(path),
        }
    }

    async fn send(
        method: Method,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> Result<Response, ApiError> {
        let mut request = builder(method, path).header("Accept", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => request
                .header("Content-Type", "application/json")
                .body(body.to_string()),
            None => request.build(),
        };
        request
            .map_err(|_| ApiError::Network)?
            .send()
            .await
            .map_err(|_| ApiError::Network)
    }

    async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
        let status = response.status();
        if (200..300).contains(&status) {
            if status == 204 {
                return serde_json::from_str("{}").map_err(|_| ApiError::Network);
            }
            return response.json::<T>().await.map_err(|_| ApiError::Network);
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.trim().parse().ok());
        let error = response
            .json::<ErrorBody>()
            .await
            .map(|body| body.error)
            .unwrap_or_else(|_| ErrorDetail {
                code: "unexpected".into(),
                message: format!("The server answered {status}. Please try again."),
                fields: None,
            });
        Err(ApiError::Server {
            status,
            error,
            retry_after,
        })
    }

    pub async fn public<T: DeserializeOwned>(
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        decode(send(method, path, body.as_deref(), None).await?).await
    }

    pub async fn authenticated<T: DeserializeOwned>(
        store: TokenStore,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        let used = store.token();
        let response = send(method, path, body.as_deref(), used.as_deref()).await?;
        if response.status() != 401 {
            return decode(response).await;
        }
        // Another request may have renewed the token while this one was in flight.
        let fresh = match store.token() {
            Some(current) if Some(&current) != used.as_ref() => Some(current),
            _ => renew().await,
        };
        let Some(fresh) = fresh else {
            return Err(session_ended(store));
        };
        store.set_token(fresh.clone());
        let retried = send(method, path, body.as_deref(), Some(&fresh)).await?;
        if retried.status() == 401 {
            return Err(session_ended(store));
        }
        decode(retried).await
    }

    /// Exchanges the session cookie for a fresh access token, once for all waiting requests.
    async fn renew() -> Option<String> {
        let renewal = RENEWAL.with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(|| {
                    async {
                        let response = send(Method::Post, "/api/auth/token", None, None)
                            .await
                            .ok()?;
                        let token = decode::<TokenResponse>(response)
                            .await
                            .ok()
                            .map(|body| body.token);
                        RENEWAL.with(|slot| slot.borrow_mut().take());
                        token
                    }
                    .boxed_local()
                    .shared()
                })
                .clone()
        });
        renewal.await
    }

    fn session_ended(store: TokenStore) -> ApiError {
        store.end(Ending::Expired(crate::browser::current_path()));
        ApiError::SessionEnded
    }
}

/// On the server nothing calls the API (requests start from effects and event handlers, which
/// only run in the browser).
#[cfg(not(feature = "hydrate"))]
mod imp {
    use serde::de::DeserializeOwned;

    use super::{ApiError, Method};
    use crate::token_store::TokenStore;

    pub async fn public<T: DeserializeOwned>(
        _: Method,
        _: &str,
        _: Option<String>,
    ) -> Result<T, ApiError> {
        Err(ApiError::Network)
    }

    pub async fn authenticated<T: DeserializeOwned>(
        _: TokenStore,
        _: Method,
        _: &str,
        _: Option<String>,
    ) -> Result<T, ApiError> {
        Err(ApiError::Network)
    }
}
