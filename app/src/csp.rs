//! The Content-Security-Policy of every HTML page: our own scripts and WASM only.

/// With a nonce, the one inline module script Leptos needs to start hydration is allowed;
/// nothing else inline is. `wasm-unsafe-eval` lets the page compile its own WASM.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script_nonce = nonce
        .map(|nonce| format!(" 'nonce-{nonce}'"))
        .unwrap_or_default();
    let live_reload = live_reload_sources();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_nonce}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{live_reload}; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// `cargo leptos watch` sets `LEPTOS_WATCH`, and only then does Leptos add its live-reload
/// script, which opens a WebSocket to the reload port on this machine. Everywhere else pages
/// may connect to their own origin only.
fn live_reload_sources() -> &'static str {
    if std::env::var_os("LEPTOS_WATCH").is_some() {
        " ws://127.0.0.1:* ws://localhost:*"
    } else {
        ""
    }
}
