//! A JSON body extractor whose every rejection is an `AppError`, so a bad body gets the
//! project's error shape: 415 not JSON, 400 malformed (or naming a key twice), 413 too large,
//! 422 not an object or wrong types.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{StatusCode, header},
};
use serde::{
    Deserialize, Deserializer,
    de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor},
};
use serde_json::{Map, Value};

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
        let Unambiguous(value) = serde_json::from_slice(&bytes).map_err(|error| {
            AppError::MalformedBody(format!("the body cannot be read as JSON ({error})"))
        })?;
        // Every body this API takes is an object. Serde would also read a struct from an array
        // of its fields in order (`["Ada", "ada@example.com", "…"]` as a sign-up), a form no
        // client should come to rely on, and its message for a bare `null` names Rust types.
        if !value.is_object() {
            return Err(AppError::invalid_field(
                "body",
                "the body must be a JSON object",
            ));
        }
        let mut track = serde_path_to_error::Track::new();
        let deserializer = serde_path_to_error::Deserializer::new(&value, &mut track);
        T::deserialize(deserializer)
            .map(Json)
            .map_err(|error| invalid_body(&track.path().to_string(), &error.to_string()))
    }
}

/// A JSON value in which no object names a key twice. Parsers disagree on which of the two
/// counts (the first, the last, neither), so a body that a proxy in front of this server reads
/// one way could arrive meaning another; such a body is refused instead.
struct Unambiguous(Value);

impl<'de> Deserialize<'de> for Unambiguous {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UnambiguousVisitor)
            .map(Unambiguous)
    }
}

struct UnambiguousVisitor;

impl<'de> Visitor<'de> for UnambiguousVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut array = Vec::new();
        while let Some(Unambiguous(item)) = items.next_element()? {
            array.push(item);
        }
        Ok(Value::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = entries.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("`{key}` is given twice")));
            }
            let Unambiguous(value) = entries.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
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

/// A 422 naming the field serde stopped at (`path`, `.` for the body itself), in words for API
/// users. A missing field is reported at the object that lacks it, so it is named here.
fn invalid_body(path: &str, serde_message: &str) -> AppError {
    if let Some(name) = serde_message.strip_prefix("missing field ") {
        let name = name.trim_matches('`');
        let field = match path {
            "." => name.to_string(),
            object => format!("{object}.{name}"),
        };
        return AppError::invalid_field(&field, format!("{name} is required"));
    }
    // "unknown field `done`, expected `title` or `completed`", reported at `done`.
    if let Some((name, expected)) = serde_message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once("`, "))
    {
        return AppError::invalid_field(
            path,
            format!("{name} cannot be set here ({})", expected.replace('`', "")),
        );
    }
    let field = if path == "." { "body" } else { path };
    AppError::invalid_field(field, serde_message.replace('`', ""))
}
