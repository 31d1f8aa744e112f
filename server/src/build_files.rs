//! The build's files under `/pkg` (JS, WASM, CSS and the page chunks): checked before the
//! server starts, served as the release build precompressed them, and cached by what their
//! names promise.
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

/// Why the server cannot serve the build's files as its pages name them.
#[derive(Debug, thiserror::Error)]
pub enum BuildFilesError {
    #[error(
        "the build's file names carry content hashes (hash-files), but {0} is missing: build the site with `cargo leptos build`, which writes it beside the server binary, or set LEPTOS_HASH_FILES=false"
    )]
    MissingHashFile(PathBuf),
    #[error("could not read the build's hash file {path}: {source}")]
    UnreadableHashFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "every page loads {0}, which is missing: build the site with `cargo leptos build --release`, and start the server from the directory that holds Leptos.toml (or point LEPTOS_SITE_ROOT at the built site)"
    )]
    MissingFile(PathBuf),
}

/// The service for the `/pkg` directory of the configured site.
pub fn service(leptos: &LeptosOptions) -> Router {
    Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir(leptos))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn(cache_by_name))
}

/// Checks that the files every page names are in the site directory. A page that names a
/// missing file renders but never comes alive (and with hashing on, Leptos panics on every page
/// without the hash file), so the server refuses to start instead. The usual causes: the site
/// was not built, or the server started away from `Leptos.toml` and took the defaults.
pub fn check(leptos: &LeptosOptions) -> Result<(), BuildFilesError> {
    let dir = pkg_dir(leptos);
    for name in page_files(leptos)? {
        let path = dir.join(name);
        if !path.is_file() {
            return Err(BuildFilesError::MissingFile(path));
        }
    }
    Ok(())
}

fn pkg_dir(leptos: &LeptosOptions) -> PathBuf {
    Path::new(&*leptos.site_root).join(&*leptos.site_pkg_dir)
}

/// The names the pages give the app's JS and CSS (and, in a hashed build, its WASM and the
/// split loader and manifest), worked out as Leptos does: from the hash file cargo-leptos
/// writes beside the server binary, whose lines read `js: <hash>`, `wasm: <hash>` and so on.
fn page_files(leptos: &LeptosOptions) -> Result<Vec<String>, BuildFilesError> {
    let output = &leptos.output_name;
    if !leptos.hash_files {
        return Ok(vec![format!("{output}.js"), format!("{output}.css")]);
    }
    // Where Leptos looks for it.
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let path = exe_dir.join(&*leptos.hash_file);
    let hashes = match std::fs::read_to_string(&path) {
        Ok(hashes) => hashes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(BuildFilesError::MissingHashFile(path));
        }
        Err(source) => return Err(BuildFilesError::UnreadableHashFile { path, source }),
    };
    let hash_of = |kind: &str| {
        hashes.lines().find_map(|line| {
            let (name, hash) = line.split_once(':')?;
            (name.trim() == kind).then(|| hash.trim().to_string())
        })
    };
    // Without its line, Leptos names the file without a hash.
    let mut names: Vec<String> = ["js", "wasm", "css"]
        .into_iter()
        .map(|ext| match hash_of(ext) {
            Some(hash) => format!("{output}.{hash}.{ext}"),
            None => format!("{output}.{ext}"),
        })
        .collect();
    names.extend(hash_of("manifest").map(|hash| format!("__wasm_split_manifest.{hash}.json")));
    names.extend(hash_of("split").map(|hash| format!("__wasm_split.{hash}.js")));
    Ok(names)
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
    use std::fs;

    use leptos::config::LeptosOptions;

    use super::{BuildFilesError, carries_content_hash, check};

    const HASHES: &str = "js: jjjjjjjjjjjjjjjjjjjjjj\nwasm: wwwwwwwwwwwwwwwwwwwwww\ncss: cccccccccccccccccccccc\nmanifest: mmmmmmmmmmmmmmmmmmmmmm\nsplit: ssssssssssssssssssssss\n";
    const HASHED_NAMES: [&str; 5] = [
        "gatehouse.jjjjjjjjjjjjjjjjjjjjjj.js",
        "gatehouse.wwwwwwwwwwwwwwwwwwwwww.wasm",
        "gatehouse.cccccccccccccccccccccc.css",
        "__wasm_split_manifest.mmmmmmmmmmmmmmmmmmmmmm.json",
        "__wasm_split.ssssssssssssssssssssss.js",
    ];

    /// A site directory holding `files` under `pkg`, and the options that point at it (the
    /// hash file at an absolute path, which Leptos takes as it is).
    fn site(files: &[&str], hashed: bool) -> (tempfile::TempDir, LeptosOptions) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("pkg")).unwrap();
        for file in files {
            fs::write(dir.path().join("pkg").join(file), "").unwrap();
        }
        let hash_file = dir.path().join("hash.txt");
        let options = LeptosOptions::builder()
            .output_name("gatehouse")
            .site_root(dir.path().display().to_string())
            .site_pkg_dir("pkg")
            .hash_files(hashed)
            .hash_file(hash_file.display().to_string().into())
            .build();
        (dir, options)
    }

    #[test]
    fn a_built_site_passes() {
        let (_dir, plain) = site(&["gatehouse.js", "gatehouse.css"], false);
        check(&plain).unwrap();

        let (dir, hashed) = site(&HASHED_NAMES, true);
        fs::write(dir.path().join("hash.txt"), HASHES).unwrap();
        check(&hashed).unwrap();
    }

    #[test]
    fn a_site_that_was_not_built_names_the_first_file_missing() {
        let (dir, options) = site(&[], false);
        match check(&options) {
            Err(BuildFilesError::MissingFile(path)) => {
                assert_eq!(path, dir.path().join("pkg/gatehouse.js"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hashed_names_come_from_the_hash_file_which_must_be_there() {
        let (dir, options) = site(&HASHED_NAMES, true);
        assert!(matches!(
            check(&options),
            Err(BuildFilesError::MissingHashFile(_))
        ));

        // Another build's hashes: the site has none of the files its pages would name.
        fs::write(
            dir.path().join("hash.txt"),
            HASHES.replace("js: jjjjjjjjjjjjjjjjjjjjjj", "js: kkkkkkkkkkkkkkkkkkkkkk"),
        )
        .unwrap();
        match check(&options) {
            Err(BuildFilesError::MissingFile(path)) => {
                assert!(
                    path.ends_with("gatehouse.kkkkkkkkkkkkkkkkkkkkkk.js"),
                    "{path:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_file_the_hash_file_lists_is_checked() {
        for missing in HASHED_NAMES {
            let present: Vec<&str> = HASHED_NAMES.into_iter().filter(|n| *n != missing).collect();
            let (dir, options) = site(&present, true);
            fs::write(dir.path().join("hash.txt"), HASHES).unwrap();
            match check(&options) {
                Err(BuildFilesError::MissingFile(path)) => assert!(path.ends_with(missing)),
                other => panic!("{missing}: {other:?}"),
            }
        }
    }

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
