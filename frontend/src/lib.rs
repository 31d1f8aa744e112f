//! The WASM entry point: cargo-leptos's generated JS calls `hydrate` once the page has loaded.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic shows up as a readable console error instead of "unreachable executed".
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
