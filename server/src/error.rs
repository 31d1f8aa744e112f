//! The one error type of the HTTP layer: every failure a handler can have, mapped to a status
//! and the JSON error shape of DESIGN.md.

use std::collections::BTreeMap;

use app::model::{ErrorBody, ErrorDetail};
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the body is not well-formed JSON.
    #[error("malformed request: {0}")]
    MalformedBody(String),
    /// 415: the body is not JSON at all.
    #[error("the request body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// 413
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// 422: well-formed, but fields are missing, mistyped or invalid.
    #[error("{message}")]
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
    },
    /// 401, with `WWW-Authenticate: Bearer`.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403
    #[error("{0}")]
    Forbidden(&'static str),
    /// 404: absent, or not the caller's.
    #[error("not found")]
    NotFound,
    /// 405: the path exists, the method does not (the `Allow` header names those that do).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 409
    #[error("{message}")]
    Conflict {
        message: &'static str,
        fields: BTreeMap<String, String>,
    },
    /// 429, with `Retry-After`.
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// 503
    #[error("the database is unreachable")]
    DatabaseUnavailable(#[source] sea_orm::DbErr),
    /// 500: logged with its chain, answered generically.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// A 422 for a single field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::Validation {
            message: message.clone(),
            fields: BTreeMap::from([(field.to_string(), message)]),
        }
    }

    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(error))
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::MalformedBody(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::DatabaseUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::MalformedBody(_) => "malformed_body",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Validation { .. } => "validation_failed",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict { .. } => "conflict",
            Self::RateLimited { .. } => "rate_limited",
            Self::DatabaseUnavailable(_) => "database_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        if lost_database(&error) {
            Self::DatabaseUnavailable(error)
        } else if gone_meanwhile(&error) {
            Self::Conflict {
                message: "This was changed or deleted elsewhere while the request ran. Please try again.",
                fields: BTreeMap::new(),
            }
        } else {
            Self::internal(error)
        }
    }
}

/// Whether `error` says a row the request had just found went away before its write: an update
/// that found nothing to update, or an insert whose user no longer exists (a task added or a
/// password changed while the account was being deleted in another tab). Asked again, the
/// request gets the answer that now holds: a 404, or the 401 of a session gone with its account.
fn gone_meanwhile(error: &sea_orm::DbErr) -> bool {
    matches!(error, sea_orm::DbErr::RecordNotUpdated)
        || matches!(
            error.sql_err(),
            Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_))
        )
}

/// Whether `error` says the database could not be reached or dropped the connection (a restart,
/// a failover, a network cut), not that a query went wrong. That is a 503 a client can retry:
/// the pool discards the broken connection and opens a fresh one for the next request.
fn lost_database(error: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr, sqlx::Error};
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)) => {
            match cause.as_ref() {
                Error::Io(_)
                | Error::Tls(_)
                | Error::PoolTimedOut
                | Error::PoolClosed
                | Error::WorkerCrashed => true,
                // PostgreSQL's SQLSTATE classes for a broken connection (08) and for a server
                // shutting down, starting up or terminating the connection (57P).
                Error::Database(cause) => cause
                    .code()
                    .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
                _ => false,
            }
        }
        _ => false,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(_) | Self::DatabaseUnavailable(_) => {
                tracing::error!(error = ?error_chain(&self), "request failed");
            }
            _ => {}
        }
        let fields = match &self {
            Self::Validation { fields, .. } | Self::Conflict { fields, .. }
                if !fields.is_empty() =>
            {
                Some(fields.clone())
            }
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.to_string(),
                fields,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            Self::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            Self::RateLimited { retry_after_secs } => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(retry_after_secs.max(1)),
                );
            }
            _ => {}
        }
        response
    }
}

/// The error and its sources, one line, for the log.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use std::{io, sync::Arc};

    use sea_orm::{DbErr, RuntimeErr, sqlx};

    use super::*;

    fn query_failed(cause: sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(Arc::new(cause)))
    }

    #[test]
    fn a_connection_the_database_dropped_is_a_503() {
        for lost in [
            query_failed(sqlx::Error::Io(io::ErrorKind::BrokenPipe.into())),
            query_failed(sqlx::Error::PoolTimedOut),
            query_failed(sqlx::Error::PoolClosed),
            DbErr::Exec(RuntimeErr::SqlxError(Arc::new(sqlx::Error::WorkerCrashed))),
        ] {
            let error = AppError::from(lost);
            assert_eq!(error.status(), StatusCode::SERVICE_UNAVAILABLE, "{error:?}");
            assert_eq!(error.code(), "database_unavailable");
        }
    }

    #[test]
    fn a_query_that_went_wrong_is_a_500() {
        for failed in [
            query_failed(sqlx::Error::RowNotFound),
            query_failed(sqlx::Error::Protocol("unexpected message".into())),
            DbErr::Custom("a bug".into()),
        ] {
            let error = AppError::from(failed);
            assert_eq!(
                error.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{error:?}"
            );
        }
    }
}
