//! A JSON body extractor whose every rejection is an `AppError`, so a bad body gets the
//! project's error shape: 415 not JSON, 400 malformed, 413 too large, 422 wrong types.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{StatusCode, header},
};
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(&request) {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::MalformedBody(rejection.body_text())
                }
            })?;
        let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|error| {
            AppError::MalformedBody(format!("the body is not valid JSON ({error})"))
        })?;
        let mut track = serde_path_to_error::Track::new();
        let deserializer = serde_path_to_error::Deserializer::new(&value, &mut track);
        T::deserialize(deserializer).map(Json).map_err(|error| {
            let path = track.path().to_string();
            let field = if path == "." {
                "body".to_string()
            } else {
                path
            };
            AppError::invalid_field(&field, describe(&error.to_string()))
        })
    }
}

fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
}

/// serde's messages, phrased for API users.
fn describe(serde_message: &str) -> String {
    if let Some(field) = serde_message.strip_prefix("missing field ") {
        return format!("{} is required", field.trim_matches('`'));
    }
    serde_message.replace('`', "")
}
