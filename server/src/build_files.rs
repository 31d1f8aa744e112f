//! The build's files under `/pkg` (JS, WASM, CSS and the page chunks): served as the release
//! build precompressed them, and cached by what their names promise.
//!
//! The build puts a hash of each file's content in its name (cargo-leptos's `hash-files`), so a
//! name always means the same bytes: a browser keeps such a file for a year without asking
//! again, and a new release's files arrive under new names. A tab still running the last
//! release then asks for names the server no longer has, gets a 404, and loads the page afresh
//! (see `app::pages`), instead of mixing one release's code with another's. A file whose name
//! carries no hash is checked with the server before every reuse.

use std::path::{Path, PathBuf};

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::Response,
};
use leptos::config::LeptosOptions;
use tower_http::services::ServeDir;

/// Kept for a year and never revalidated: the content cannot change under this name.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Reused only after the server confirms it (a 304).
const ASK_FIRST: &str = "no-cache";

#[derive(Debug, thiserror::Error)]
#[error(
    "the build's file names carry content hashes (hash-files), but {0} is missing: build the site with `cargo leptos build`, which writes it beside the server binary, or set LEPTOS_HASH_FILES=false"
)]
pub struct MissingHashFile(PathBuf);

/// The service for the `/pkg` directory of the configured site.
pub fn service(leptos: &LeptosOptions) -> Router {
    let dir = Path::new(&*leptos.site_root).join(&*leptos.site_pkg_dir);
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(cache_by_name))
}

/// With hashing on, the pages name the files through the hash file cargo-leptos writes beside
/// the server binary; without it every page would fail to render, so the server refuses to
/// start instead.
pub fn check_hash_file(leptos: &LeptosOptions) -> Result<(), MissingHashFile> {
    if !leptos.hash_files {
        return Ok(());
    }
    // Where Leptos looks for it.
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let path = exe_dir.join(&*leptos.hash_file);
    if path.is_file() {
        Ok(())
    } else {
        Err(MissingHashFile(path))
    }
}

async fn cache_by_name(request: Request, next: Next) -> Response {
    let hashed = carries_content_hash(request.uri().path());
    let mut response = next.run(request).await;
    // An error (a 404 for an old release's file) is asked for again, never reused.
    let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let policy = if hashed && found { FOREVER } else { ASK_FIRST };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether a file name has cargo-leptos's content hash in it: `gatehouse.<hash>.wasm`,
/// `__wasm_split.<hash>.js`, where the hash is an MD5 digest in unpadded base64url (22
/// characters).
fn carries_content_hash(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1].iter().any(|part| {
            part.len() == 22
                && part
                    .bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
                // The loader's name before hashing is a placeholder of underscores.
                && part.bytes().any(|byte| byte != b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::carries_content_hash;

    #[test]
    fn a_name_with_the_builds_content_hash_is_recognised() {
        assert!(carries_content_hash(
            "/gatehouse.zaPnD7yU3hH0e-mA8fK_1w.wasm"
        ));
        assert!(carries_content_hash(
            "/__wasm_split.AbCdEfGhIjKlMnOpQrStUv.js"
        ));
        assert!(carries_content_hash(
            "/split_settings_page.0123456789abcdefghijkl.wasm"
        ));
    }

    #[test]
    fn a_name_without_one_is_not() {
        assert!(!carries_content_hash("/gatehouse.wasm"));
        assert!(!carries_content_hash("/gatehouse.css"));
        assert!(!carries_content_hash("/snippets/leptos-abc/inline0.js"));
        // Placeholders and other lengths are not hashes.
        assert!(!carries_content_hash(
            "/__wasm_split.______________________.js"
        ));
        assert!(!carries_content_hash("/gatehouse.0123456789abcdefghijk.js"));
        assert!(!carries_content_hash("/0123456789abcdefghijkl.js"));
    }
}
