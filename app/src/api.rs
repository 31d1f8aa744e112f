//! The one way the app talks to the server. Attaches the bearer token, decodes the error
//! shape, and on a 401 renews the token once through the session cookie and retries; when
//! that fails too, the session has ended and the app is sent to sign-in.

use serde::{Serialize, de::DeserializeOwned};

use crate::{
    model::{ErrorDetail, User},
    token_store::TokenStore,
};

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
            } => format!(
                "Too many attempts — try again in {}.",
                wait(retry_after.unwrap_or(60))
            ),
            // The server's own wording of its failures is for its operators.
            Self::Server { status: 503, .. } => {
                "The service is unavailable for a moment. Please try again shortly.".into()
            }
            Self::Server { status: 500.., .. } => {
                "Something went wrong on our side. Please try again.".into()
            }
            Self::Server { error, .. } => error.message.clone(),
            Self::Network => {
                "Could not reach the server. Check your connection and try again.".into()
            }
            Self::SessionEnded => "Your session has expired. Please sign in again.".into(),
        }
    }
}

/// A wait of `seconds` as a person would say it: seconds up to a minute and a half, then whole
/// minutes, rounded up so nobody comes back too early.
fn wait(seconds: u64) -> String {
    match seconds {
        1 => "1 second".into(),
        0..90 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
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
    let body = body.map(imp::to_json).transpose()?;
    imp::authenticated(store, method, path, body).await
}

/// Calls a public endpoint (sign-up, sign-in): no token, no renewal.
pub async fn call_public<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &impl Serialize,
) -> Result<T, ApiError> {
    imp::public(method, path, Some(imp::to_json(body)?)).await
}

/// Whose the current token is (`GET /api/me`).
pub async fn me(store: TokenStore) -> Result<User, ApiError> {
    call(store, Method::Get, "/api/me", None::<&()>).await
}

/// Exchanges the browser's session cookie for a fresh access token: `None` when the server
/// says there is no live session, an error when it could not say (offline, an outage). Shared
/// with any renewal already under way.
pub async fn renew() -> Result<Option<String>, ApiError> {
    imp::renew().await
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
    use serde::{Serialize, de::DeserializeOwned};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Headers, Request, RequestInit, Response};

    use super::{ApiError, Method};
    use crate::{
        model::{ErrorBody, ErrorDetail, TokenResponse},
        token_store::{Ending, TokenStore},
    };

    type Renewal = Shared<LocalBoxFuture<'static, Result<Option<String>, ApiError>>>;

    thread_local! {
        /// The renewal under way, shared by every request that got a 401 meanwhile, so
        /// parallel failures cause one renewal, not one each.
        static RENEWAL: RefCell<Option<Renewal>> = const { RefCell::new(None) };
    }

    impl Method {
        fn as_str(self) -> &'static str {
            match self {
                Method::Get => "GET",
                Method::Post => "POST",
                Method::Patch => "PATCH",
                Method::Delete => "DELETE",
            }
        }
    }

    /// Whatever the browser refused (fetch, headers, JSON) means no usable answer.
    impl From<JsValue> for ApiError {
        fn from(_: JsValue) -> Self {
            Self::Network
        }
    }

    impl From<serde_wasm_bindgen::Error> for ApiError {
        fn from(_: serde_wasm_bindgen::Error) -> Self {
            Self::Network
        }
    }

    async fn send(
        method: Method,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> Result<Response, ApiError> {
        let headers = Headers::new()?;
        headers.set("Accept", "application/json")?;
        if let Some(token) = token {
            headers.set("Authorization", &format!("Bearer {token}"))?;
        }
        let init = RequestInit::new();
        init.set_method(method.as_str());
        if let Some(body) = body {
            headers.set("Content-Type", "application/json")?;
            init.set_body(&JsValue::from_str(body));
        }
        init.set_headers(&headers);
        let request = Request::new_with_str_and_init(path, &init)?;
        let window = web_sys::window().ok_or(ApiError::Network)?;
        Ok(JsFuture::from(window.fetch_with_request(&request))
            .await?
            .dyn_into::<Response>()?)
    }

    /// Writes `body` with the browser's own `JSON.stringify`: the WASM carries no JSON code.
    pub fn to_json<B: Serialize + ?Sized>(body: &B) -> Result<String, ApiError> {
        let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
        js_sys::JSON::stringify(&value)?
            .as_string()
            .ok_or(ApiError::Network)
    }

    /// Reads the body with the browser's own JSON parser, then into `T`.
    async fn json<T: DeserializeOwned>(response: &Response) -> Result<T, ApiError> {
        let value = JsFuture::from(response.json()?).await?;
        Ok(serde_wasm_bindgen::from_value(value)?)
    }

    async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
        let status = response.status();
        if (200..300).contains(&status) {
            if status == 204 {
                return Ok(serde_wasm_bindgen::from_value(
                    js_sys::Object::new().into(),
                )?);
            }
            return json(&response).await;
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|value| value.trim().parse().ok());
        let error = json::<ErrorBody>(&response)
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
        // An outage is not the end of the session: only the server's "no session" is.
        let fresh = match store.token() {
            Some(current) if Some(&current) != used.as_ref() => Some(current),
            _ => renew().await?,
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
    pub async fn renew() -> Result<Option<String>, ApiError> {
        let renewal = RENEWAL.with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(|| {
                    async {
                        let answer = match send(Method::Post, "/api/auth/token", None, None).await {
                            Ok(response) => decode::<TokenResponse>(response).await,
                            Err(error) => Err(error),
                        };
                        // Done, whatever the answer: the next 401 asks again.
                        RENEWAL.with(|slot| slot.borrow_mut().take());
                        match answer {
                            Ok(body) => Ok(Some(body.token)),
                            Err(refused) if refused.status() == Some(401) => Ok(None),
                            Err(error) => Err(error),
                        }
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
    use serde::{Serialize, de::DeserializeOwned};

    use super::{ApiError, Method};
    use crate::token_store::TokenStore;

    pub fn to_json<B: Serialize + ?Sized>(_: &B) -> Result<String, ApiError> {
        Err(ApiError::Network)
    }

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

    pub async fn renew() -> Result<Option<String>, ApiError> {
        Err(ApiError::Network)
    }
}

#[cfg(test)]
mod tests {
    use super::{ApiError, wait};
    use crate::model::ErrorDetail;

    fn refusal(status: u16, message: &str) -> ApiError {
        ApiError::Server {
            status,
            error: ErrorDetail {
                code: "code".into(),
                message: message.into(),
                fields: None,
            },
            retry_after: None,
        }
    }

    #[test]
    fn a_refusal_reads_as_the_servers_message_and_a_server_failure_as_a_sentence_of_ours() {
        assert_eq!(
            refusal(409, "An account with this email already exists.").message(),
            "An account with this email already exists."
        );
        assert_eq!(
            refusal(503, "the database is unreachable").message(),
            "The service is unavailable for a moment. Please try again shortly."
        );
        assert_eq!(
            refusal(500, "internal error").message(),
            "Something went wrong on our side. Please try again."
        );
        assert_eq!(
            refusal(502, "The server answered 502. Please try again.").message(),
            "Something went wrong on our side. Please try again."
        );
    }

    #[test]
    fn a_wait_reads_in_seconds_up_to_a_minute_and_a_half_then_in_minutes_rounded_up() {
        assert_eq!(wait(1), "1 second");
        assert_eq!(wait(45), "45 seconds");
        assert_eq!(wait(89), "89 seconds");
        assert_eq!(wait(90), "2 minutes");
        assert_eq!(wait(121), "3 minutes");
        assert_eq!(wait(900), "15 minutes");
        assert_eq!(wait(3600), "60 minutes");
    }
}
