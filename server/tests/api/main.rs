//! The server's behaviour over real HTTP, against a fresh database per test: SQLite by
//! default, PostgreSQL when `TEST_POSTGRES_URL` is set (the test command runs both).

mod attacks;
mod build_files;
mod delete_account;
mod helpers;
mod keys;
mod limits;
mod pages;
mod platform;
mod postgres;
mod profile;
mod sessions;
mod sign_in;
mod sign_up;
mod tasks;
