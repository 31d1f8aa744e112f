//! Headers that harden every response, a Content-Security-Policy on all HTML, and a cache
//! policy for what sets none of its own.

use axum::{
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

pub async fn add(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    // Whatever sets no cache policy of its own (a page, a file the build copied from `public/`
    // such as the favicon) keeps its address from one release to the next: a browser checks
    // with the server before reusing it. A page is also rendered for one request (its script
    // nonce, the visitor's theme and session cookie), so no shared cache may store it.
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy = if is_html {
            "private, no-cache"
        } else {
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    // Pages rendered by the app set their own policy (with the page's script nonce); any
    // other HTML gets the same policy without one.
    if is_html
        && !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(policy) = HeaderValue::from_str(&app::csp::content_security_policy(None))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}
