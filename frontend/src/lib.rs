//! The WASM entry point: cargo-leptos's generated JS calls `hydrate` once the page has loaded.

// Hydrating asynchronously nests the whole app's view type inside a future.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic shows up as a readable console error instead of "unreachable executed".
    console_error_panic_hook::set_once();
    // Hydration is asynchronous: the page's route is a lazily loaded chunk, fetched first.
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = leptos::prelude::document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        app::browser::finish_hydration();
    });
}
