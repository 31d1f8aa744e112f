//! The Content-Security-Policy of every HTML page: our own scripts and WASM only.

/// With a nonce, the one inline module script Leptos needs to start hydration is allowed;
/// nothing else inline is. `wasm-unsafe-eval` lets the page compile its own WASM.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script_nonce = nonce
        .map(|nonce| format!(" 'nonce-{nonce}'"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_nonce}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:*; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}
