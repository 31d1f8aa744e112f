//! The build's files under `/pkg` (JS, WASM, CSS and the page chunks): checked before the
//! server starts, served as the release build precompressed them, and cached by what their
//! names promise.
//!
//! The build puts a hash of each file's content in its name (cargo-leptos's `hash-files`), and
//! a file whose name is the hash of its bytes is kept by the browser for a year without asking
//! again; a new release's files arrive under new names. A tab still running the last release
//! then asks for names the server no longer has, gets a 404, and loads the page afresh (see
//! `app::pages`), instead of mixing one release's code with another's.
//!
//! Not every hashed name keeps that promise: a split build's main JS and WASM are named before
//! the split loader's name is written into them, so one name carries different bytes from one
//! build to the next. The server hashes every file when it starts (and again when one is
//! rewritten), keeps for good only the names it has checked, and has the rest revalidated by
//! their digest (an `ETag`), so a browser never runs one build's JS with another's WASM.

use std::{
    collections::HashMap,
    fs::File,
    io::Read,
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::SystemTime,
};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use leptos::config::LeptosOptions;
use md5::{Digest, Md5};
use tower_http::services::ServeDir;

/// Kept for a year and never revalidated: the content cannot change under this name.
const FOREVER: &str = "public, max-age=31536000, immutable";
/// Reused only after the server confirms it (a 304).
const ASK_FIRST: &str = "no-cache";
/// The same name is sent brotli, gzip or plain, as the request accepts.
const BY_ENCODING: &str = "accept-encoding";

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
    let dir = pkg_dir(leptos);
    let digests = Arc::new(Digests::of_dir(&dir));
    Router::new()
        .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn_with_state(digests, cache_by_content))
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

/// The content hash of every build file the server found at start, by its path under `/pkg`.
/// A file rewritten since (the browser code rebuilt while the server runs, as `cargo leptos
/// watch` does) is hashed again when next asked for.
struct Digests {
    dir: PathBuf,
    known: RwLock<HashMap<String, Fingerprint>>,
}

#[derive(Clone)]
struct Fingerprint {
    /// The file's length and modification time when it was hashed.
    stamp: (u64, Option<SystemTime>),
    hash: String,
    /// Weak: one tag for the brotli, gzip and plain forms of the same bytes.
    etag: HeaderValue,
}

impl Fingerprint {
    fn of(path: &Path) -> std::io::Result<Self> {
        // The stamp and the bytes from one open file, so they describe the same version.
        let file = File::open(path)?;
        let stamp = stamp(&file.metadata()?);
        let hash = content_hash(file)?;
        let etag =
            HeaderValue::from_str(&format!("W/\"{hash}\"")).map_err(std::io::Error::other)?;
        Ok(Self { stamp, hash, etag })
    }
}

fn stamp(metadata: &std::fs::Metadata) -> (u64, Option<SystemTime>) {
    (metadata.len(), metadata.modified().ok())
}

impl Digests {
    fn of_dir(dir: &Path) -> Self {
        let mut known = HashMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(current) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&current) else {
                continue;
            };
            for path in entries.flatten().map(|entry| entry.path()) {
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                // A precompressed copy is served under the name of the file it compresses.
                if matches!(
                    path.extension().and_then(|ext| ext.to_str()),
                    Some("br" | "gz")
                ) {
                    continue;
                }
                let (Ok(fingerprint), Ok(relative)) =
                    (Fingerprint::of(&path), path.strip_prefix(dir))
                else {
                    continue;
                };
                let key: Vec<_> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy())
                    .collect();
                known.insert(key.join("/"), fingerprint);
            }
        }
        Self {
            dir: dir.to_path_buf(),
            known: RwLock::new(known),
        }
    }

    /// The fingerprint of a file found at start, as its bytes are now. Only those files: a
    /// request's path never names anything else to read.
    fn current(&self, path: &str) -> Option<Fingerprint> {
        let known = self.known.read().ok()?.get(path)?.clone();
        let file = self.dir.join(path);
        if stamp(&std::fs::metadata(&file).ok()?) == known.stamp {
            return Some(known);
        }
        let fresh = Fingerprint::of(&file).ok()?;
        if let Ok(mut known) = self.known.write() {
            known.insert(path.to_string(), fresh.clone());
        }
        Some(fresh)
    }
}

/// cargo-leptos's content hash: the MD5 digest of the bytes in unpadded base64url. Read a piece
/// at a time, so the server's memory at rest does not keep the high-water mark of holding the
/// whole WASM at once.
fn content_hash(mut bytes: impl Read) -> std::io::Result<String> {
    let mut hasher = Md5::new();
    let mut piece = [0; 16 * 1024];
    loop {
        match bytes.read(&mut piece)? {
            0 => return Ok(URL_SAFE_NO_PAD.encode(hasher.finalize())),
            read => hasher.update(&piece[..read]),
        }
    }
}

/// Whether the file name (`gatehouse.<hash>.wasm`) carries this hash of its content.
fn names_its_content(path: &str, hash: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && parts[1..parts.len() - 1].contains(&hash)
}

async fn cache_by_content(
    State(digests): State<Arc<Digests>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    let Some(Fingerprint { hash, etag, .. }) = digests.current(path) else {
        // Not a file of this build (a 404 for an old release's file): asked for again, never
        // reused.
        return with_policy(next.run(request).await, ASK_FIRST);
    };
    if names_its_content(path, &hash) {
        let response = next.run(request).await;
        let found = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
        return with_policy(response, if found { FOREVER } else { ASK_FIRST });
    }
    // Revalidated by the digest, not the date: a rollback brings back an older file, which a
    // browser holding the newer one would otherwise be told is unchanged.
    let unchanged = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| matches_etag(tags, &hash));
    if unchanged {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().insert(header::ETAG, etag);
        return with_policy(response, ASK_FIRST);
    }
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    let mut response = next.run(request).await;
    if response.status().is_success() {
        response.headers_mut().remove(header::LAST_MODIFIED);
        response.headers_mut().insert(header::ETAG, etag);
    }
    with_policy(response, ASK_FIRST)
}

/// Whether an `If-None-Match` list names the weak tag of `hash` (or is `*`).
fn matches_etag(tags: &str, hash: &str) -> bool {
    tags.split(',').map(str::trim).any(|tag| {
        tag == "*"
            || tag
                .strip_prefix("W/")
                .unwrap_or(tag)
                .strip_prefix('"')
                .and_then(|tag| tag.strip_suffix('"'))
                == Some(hash)
    })
}

fn with_policy(mut response: Response, policy: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.insert(header::VARY, HeaderValue::from_static(BY_ENCODING));
    response
}

#[cfg(test)]
mod tests {
    use std::fs;

    use leptos::config::LeptosOptions;

    use super::{BuildFilesError, check, content_hash, matches_etag, names_its_content};

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
    fn the_content_hash_is_cargo_leptos_s_md5_in_unpadded_base64url() {
        assert_eq!(content_hash(&b""[..]).unwrap(), "1B2M2Y8AsgTpgAmY7PhCfg");
        assert_eq!(
            content_hash(&b"the sign-in page"[..]).unwrap(),
            "5laS1Aa2YKfLKjgGpkGAKg"
        );
        // Longer than one piece read.
        assert_eq!(
            content_hash(&[7; 40_000][..]).unwrap(),
            "w8mgmCjujnhMn3JQwnA7nw"
        );
    }

    #[test]
    fn a_name_keeps_its_promise_only_when_it_carries_the_hash_of_the_bytes() {
        let hash = "5laS1Aa2YKfLKjgGpkGAKg";
        assert!(names_its_content(
            "split_sign_in_page.5laS1Aa2YKfLKjgGpkGAKg.wasm",
            hash
        ));
        assert!(names_its_content(
            "nested/gatehouse.5laS1Aa2YKfLKjgGpkGAKg.js",
            hash
        ));
        // Another hash, the unhashed name, the hash without an extension after it.
        assert!(!names_its_content(
            "gatehouse.1B2M2Y8AsgTpgAmY7PhCfg.js",
            hash
        ));
        assert!(!names_its_content("gatehouse.js", hash));
        assert!(!names_its_content("5laS1Aa2YKfLKjgGpkGAKg.js", hash));
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_may_list_several_tags() {
        let hash = "5laS1Aa2YKfLKjgGpkGAKg";
        assert!(matches_etag(r#"W/"5laS1Aa2YKfLKjgGpkGAKg""#, hash));
        assert!(matches_etag(r#""5laS1Aa2YKfLKjgGpkGAKg""#, hash));
        assert!(matches_etag(r#"W/"old", W/"5laS1Aa2YKfLKjgGpkGAKg""#, hash));
        assert!(matches_etag("*", hash));
        assert!(!matches_etag(r#"W/"1B2M2Y8AsgTpgAmY7PhCfg""#, hash));
        assert!(!matches_etag("5laS1Aa2YKfLKjgGpkGAKg", hash));
    }
}
