//! The Gatehouse server as a library, so the binary stays thin and tests start the real app.

pub mod auth;
pub mod build_files;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod extract;
pub mod routes;
pub mod security_headers;
pub mod startup;
pub mod state;
pub mod telemetry;
