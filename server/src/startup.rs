//! The application as a value: built from a `Config`, bound to a port, run until stopped.
//! Tests build it on port 0 and talk to it over real HTTP.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use app::{App, shell};
use axum::{
    Router,
    extract::Request,
    http::{StatusCode, request::Parts},
    middleware,
};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::{
    auth::{
        extractor,
        keys::{KeyError, KeyRing},
        password::PasswordHasherPool,
        rate_limit::RateLimiter,
        token::TokenIssuer,
    },
    build_files::{self, BuildFilesError},
    config::{Config, ConfigError},
    db::{self, DbInitError},
    routes, security_headers,
    state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Database(#[from] DbInitError),
    #[error(transparent)]
    Keys(#[from] KeyError),
    #[error(transparent)]
    BuildFiles(#[from] BuildFilesError),
    #[error("could not listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
    #[error("could not start the password hashing workers: {0}")]
    HashWorkers(#[source] std::io::Error),
    #[error("could not time a password hash: {0}")]
    PasswordHash(String),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    db: DatabaseConnection,
}

impl Application {
    /// Binds `LEPTOS_SITE_ADDR`, then builds as `build_on`.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let address = config.leptos.site_addr;
        let listener = TcpListener::bind(address)
            .await
            .map_err(|source| StartupError::Bind { address, source })?;
        Self::build_on(config, listener).await
    }

    /// Connects and migrates the database and loads the signing keys, serving on `listener`
    /// (tests pass one bound to port 0).
    pub async fn build_on(config: Config, listener: TcpListener) -> Result<Self, StartupError> {
        build_files::check(&config.leptos)?;
        let db = db::connect(&config.database_url).await?;
        db::migrate(&db).await?;
        let keys = KeyRing::load(db.clone(), &config.auth_secret, config.access_token_ttl).await?;
        keys.spawn_periodic_reload();
        spawn_cleanup(db.clone());

        let address = listener.local_addr().map_err(|source| StartupError::Bind {
            address: config.leptos.site_addr,
            source,
        })?;

        let state = AppState {
            tokens: TokenIssuer::new(keys, config.public_origin.clone(), config.access_token_ttl),
            passwords: PasswordHasherPool::new().map_err(StartupError::HashWorkers)?,
            rate_limits: RateLimiter::new(db.clone(), config.rate_limits.clone()),
            leptos: config.leptos.clone(),
            config: Arc::new(config),
            db: db.clone(),
        };
        tracing::info!(%address, database = %crate::config::redacted_url(&state.config.database_url), "Gatehouse is listening");
        Ok(Self {
            listener,
            router: router(state),
            address,
            db,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until SIGTERM or Ctrl-C; requests already in flight are allowed to finish.
    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartupError::Serve)
    }
}

fn router(state: AppState) -> Router {
    let leptos = state.leptos.clone();
    let pages = generate_route_list(App);
    let config = state.config.clone();
    // Every page render learns who is visiting from the request it answers.
    let visitor = move || {
        if let Some(parts) = use_context::<Parts>() {
            provide_context(extractor::visitor(&parts, &config));
        }
    };
    Router::new()
        .nest_service(
            &format!("/{}", leptos.site_pkg_dir),
            build_files::service(&leptos),
        )
        .merge(routes::api())
        .leptos_routes_with_context(&state, pages, visitor.clone(), move || {
            shell(leptos.clone())
        })
        .method_not_allowed_fallback(page_method_not_allowed)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(visitor, shell))
        .layer(middleware::from_fn(security_headers::add))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            // The path only: a query string could carry something secret.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

/// Pages are only read. Anything else sent to one (a form posted before its WASM ran, a
/// misdirected client) gets a sentence saying so beside the `Allow` header, not an empty
/// body. The API's paths keep their own JSON answer.
async fn page_method_not_allowed() -> (StatusCode, &'static str) {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        "This address is a page: it only answers GET and HEAD.\n",
    )
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Hourly: forget sessions that ended a day ago and rate-limit windows long closed.
fn spawn_cleanup(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(60 * 60));
        loop {
            ticks.tick().await;
            let day_ago = chrono::Utc::now() - chrono::TimeDelta::days(1);
            if let Err(error) = db::sessions::delete_ended(&db, day_ago).await {
                tracing::warn!(%error, "could not delete ended sessions");
            }
            if let Err(error) = db::rate_limits::delete_stale(&db, day_ago.timestamp()).await {
                tracing::warn!(%error, "could not delete stale rate-limit windows");
            }
        }
    });
}
