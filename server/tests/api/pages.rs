//! The HTML pages: rendered for the request they answer, as the browser will show them once
//! hydrated, and never cached for anyone else.

use reqwest::{StatusCode, header};

use crate::helpers::{TestApp, assert_clears_session_cookie};

/// The page's opening `<html …>` tag.
fn html_tag(page: &str) -> &str {
    let start = page.find("<html").expect("a page has an <html> tag");
    let end = start + page[start..].find('>').expect("the tag closes");
    &page[start..=end]
}

async fn page(client: &reqwest::Client, url: String) -> (reqwest::header::HeaderMap, String) {
    let response = client.get(url).send().await.unwrap();
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

#[tokio::test]
async fn a_new_visitor_gets_the_signed_out_frame_in_the_system_theme() {
    let app = TestApp::spawn().await;
    let (headers, page) = page(&app.client, app.url("/")).await;
    assert_eq!(html_tag(&page), r#"<html lang="en">"#);
    assert!(page.contains(r#"href="/signup""#), "offers sign-up");
    assert!(!page.contains("Sign out"), "offers no sign-out");
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-cache");
}

#[tokio::test]
async fn a_file_copied_from_public_is_checked_with_the_server_before_reuse() {
    let app = TestApp::spawn().await;
    let favicon = app.get("/favicon.svg").await;
    assert_eq!(favicon.status(), StatusCode::OK);
    assert_eq!(favicon.headers()[header::CONTENT_TYPE], "image/svg+xml");
    // Its name stays the same when a release changes it.
    assert_eq!(favicon.headers()[header::CACHE_CONTROL], "no-cache");

    let missing = app.get("/favicon.png").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.headers()[header::CACHE_CONTROL],
        "private, no-cache"
    );
}

#[tokio::test]
async fn a_browser_holding_a_session_cookie_gets_the_signed_in_frame() {
    let app = TestApp::spawn().await;
    app.person("Ada").await;
    for path in ["/", "/dashboard", "/no/such/page"] {
        let (_, page) = page(&app.client, app.url(path)).await;
        assert!(html_tag(&page).contains("data-session"), "{path}");
        assert!(page.contains("Sign out"), "{path} offers sign-out");
        assert!(
            !page.contains(r#"href="/signup""#),
            "{path} offers no sign-up"
        );
    }
}

#[tokio::test]
async fn the_theme_cookie_decides_the_scheme_the_page_is_rendered_in() {
    let app = TestApp::spawn().await;
    for (cookie, attribute) in [
        ("gatehouse_theme=dark", Some(r#"data-theme="dark""#)),
        ("gatehouse_theme=light", Some(r#"data-theme="light""#)),
        (r#"gatehouse_theme="><script>"#, None),
        ("gatehouse_theme=", None),
    ] {
        for path in ["/signin", "/no/such/page"] {
            let response = app
                .another_browser()
                .get(app.url(path))
                .header(header::COOKIE, cookie)
                .send()
                .await
                .unwrap();
            let page = response.text().await.unwrap();
            let tag = html_tag(&page);
            match attribute {
                Some(attribute) => assert!(tag.contains(attribute), "{cookie} on {path}: {tag}"),
                None => assert!(!tag.contains("data-theme"), "{cookie} on {path}: {tag}"),
            }
        }
    }
}

#[tokio::test]
async fn a_cookie_whose_session_has_ended_is_cleared_when_it_asks_for_a_token() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    // Signed out from elsewhere: this browser still holds the cookie.
    app.sign_out_elsewhere(&ada.token).await;

    let refused = app.post("/api/auth/token").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_clears_session_cookie(&refused);
    let (_, page) = page(&app.client, app.url("/")).await;
    assert!(!html_tag(&page).contains("data-session"));
}

#[tokio::test]
async fn a_page_sent_anything_but_a_read_says_so_and_names_the_methods_it_takes() {
    let app = TestApp::spawn().await;
    for path in ["/signin", "/dashboard"] {
        let response = app
            .client
            .post(app.url(path))
            .form(&[("email", "ada@example.com")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(response.headers()[header::ALLOW], "GET,HEAD", "{path}");
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/plain"),
            "{path}"
        );
        assert_eq!(
            response.text().await.unwrap(),
            "This address is a page: it only answers GET and HEAD.\n"
        );
    }
}
