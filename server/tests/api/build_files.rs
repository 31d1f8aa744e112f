//! The build's files under `/pkg`: a name that is the hash of the file's bytes is kept for good;
//! any other is reused only after the server confirms the bytes by their digest.

use std::fs;

use reqwest::{StatusCode, header};

use crate::helpers::{SITE, TestApp};

const FOREVER: &str = "public, max-age=31536000, immutable";

/// "the sign-in page" hashes to 5laS1Aa2YKfLKjgGpkGAKg: this name keeps its promise.
const HONEST: &str = "/pkg/split_sign_in_page.5laS1Aa2YKfLKjgGpkGAKg.wasm";
/// "console.log(1)" hashes to YRT1rcNzrM17IFG9hwePYg, not to the hash in this name: as a split
/// build's main JS, named before the loader's name is written into it.
const RENAMED_UNDER: &str = "/pkg/gatehouse.1B2M2Y8AsgTpgAmY7PhCfg.js";
const ITS_TAG: &str = r#"W/"YRT1rcNzrM17IFG9hwePYg""#;

/// An app serving the stand-in site plus the two files above (and a brotli copy of the second).
async fn app_with_build_files() -> (TestApp, tempfile::TempDir) {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    fs::create_dir(&pkg).unwrap();
    for file in ["gatehouse.js", "gatehouse.css"] {
        fs::copy(format!("{SITE}/pkg/{file}"), pkg.join(file)).unwrap();
    }
    fs::write(site.path().join(&HONEST[1..]), "the sign-in page").unwrap();
    fs::write(site.path().join(&RENAMED_UNDER[1..]), "console.log(1)").unwrap();
    fs::write(
        site.path().join(format!("{}.br", &RENAMED_UNDER[1..])),
        "brotli bytes",
    )
    .unwrap();
    let root = site.path().display().to_string();
    let app = TestApp::spawn_with(|config| config.leptos.site_root = root.into()).await;
    (app, site)
}

async fn get(
    app: &TestApp,
    path: &str,
    headers: &[(header::HeaderName, &str)],
) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_file_named_after_the_hash_of_its_bytes_is_kept_for_good() {
    let (app, _site) = app_with_build_files().await;
    let response = get(&app, HONEST, &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CACHE_CONTROL], FOREVER);
    assert_eq!(response.text().await.unwrap(), "the sign-in page");
}

#[tokio::test]
async fn a_file_whose_name_is_not_its_hash_is_reused_only_once_its_digest_is_confirmed() {
    let (app, _site) = app_with_build_files().await;
    let first = get(&app, RENAMED_UNDER, &[]).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(first.headers()[header::ETAG], ITS_TAG);
    assert!(!first.headers().contains_key(header::LAST_MODIFIED));
    assert_eq!(first.text().await.unwrap(), "console.log(1)");

    let same = get(&app, RENAMED_UNDER, &[(header::IF_NONE_MATCH, ITS_TAG)]).await;
    assert_eq!(same.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(same.headers()[header::ETAG], ITS_TAG);
    assert_eq!(same.headers()[header::CACHE_CONTROL], "no-cache");

    // The bytes of another build under the same name: sent again in full.
    let other = get(
        &app,
        RENAMED_UNDER,
        &[(header::IF_NONE_MATCH, r#"W/"1B2M2Y8AsgTpgAmY7PhCfg""#)],
    )
    .await;
    assert_eq!(other.status(), StatusCode::OK);
    assert_eq!(other.text().await.unwrap(), "console.log(1)");
}

#[tokio::test]
async fn a_file_rebuilt_while_the_server_runs_is_confirmed_by_its_new_digest() {
    let (app, site) = app_with_build_files().await;
    let before = get(&app, RENAMED_UNDER, &[]).await;
    assert_eq!(before.headers()[header::ETAG], ITS_TAG);

    // As `cargo leptos watch` rebuilds the browser code: the same name, other bytes.
    fs::write(
        site.path().join(&RENAMED_UNDER[1..]),
        r#"console.log("rebuilt")"#,
    )
    .unwrap();

    let after = get(&app, RENAMED_UNDER, &[(header::IF_NONE_MATCH, ITS_TAG)]).await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_eq!(
        after.headers()[header::ETAG],
        r#"W/"8Vos2IQh1vI52oxRf7A8NQ""#
    );
    assert_eq!(after.text().await.unwrap(), r#"console.log("rebuilt")"#);
}

#[tokio::test]
async fn a_date_never_vouches_for_a_file_whose_name_is_not_its_hash() {
    // A browser holding a newer build's file, after a rollback to an older build.
    let (app, _site) = app_with_build_files().await;
    let response = get(
        &app,
        RENAMED_UNDER,
        &[(header::IF_MODIFIED_SINCE, "Fri, 01 Jan 2100 00:00:00 GMT")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "console.log(1)");
}

#[tokio::test]
async fn each_encoding_of_a_file_is_marked_as_chosen_by_accept_encoding() {
    let (app, _site) = app_with_build_files().await;
    let brotli = get(&app, RENAMED_UNDER, &[(header::ACCEPT_ENCODING, "br")]).await;
    assert_eq!(brotli.status(), StatusCode::OK);
    assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(brotli.headers()[header::VARY], "accept-encoding");
    assert_eq!(brotli.headers()[header::ETAG], ITS_TAG);
    assert_eq!(brotli.text().await.unwrap(), "brotli bytes");

    let plain = get(&app, HONEST, &[]).await;
    assert_eq!(plain.headers()[header::VARY], "accept-encoding");
}

#[tokio::test]
async fn a_name_the_build_does_not_have_is_asked_for_again() {
    let (app, _site) = app_with_build_files().await;
    let gone = get(&app, "/pkg/gatehouse.AAAAAAAAAAAAAAAAAAAAAA.wasm", &[]).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(gone.headers()[header::CACHE_CONTROL], "no-cache");
}
