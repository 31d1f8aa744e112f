//! The pages, one module each, and the routes that load them.
//!
//! Every page except "not found" is a lazy route: built with `cargo leptos --split`, its code
//! is a separate WASM chunk that the browser fetches when the page is first shown (the server
//! names the chunks a page needs in `<link rel="preload">`, so a first visit fetches them in
//! parallel). The main bundle keeps only the frame: router, layout, API client and token store.
//! A chunk that cannot be fetched (a new release replaced it, or the network is down) loads the
//! page afresh from the server instead of stopping the app.
//! Built without `--split` (a plain `cargo leptos watch`), everything is one bundle.

pub mod dashboard;
pub mod landing;
pub mod not_found;
pub mod settings;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_router::{LazyRoute, hooks::use_url};

use crate::{
    browser,
    components::status::{Failed, Loading},
};

/// Declares `$route`, the lazy route that shows the component `$page`. In a split browser build
/// (`cfg(wasm_split)`, see `build.rs`) the page is the split point `$chunk`, its own WASM chunk;
/// on the server, rendering the page names that chunk, so the HTML preloads it. Otherwise the
/// page is compiled into the one bundle and shown the same way, asynchronously, so the
/// server's HTML hydrates alike in both builds.
macro_rules! lazy_page {
    ($route:ident, $chunk:ident => $page:path) => {
        pub struct $route;

        // Fallible: a chunk that cannot be fetched is an answer to handle, not a panic that
        // stops the whole app.
        #[cfg(all(target_arch = "wasm32", wasm_split))]
        mod $chunk {
            use super::*;
            use leptos::wasm_split::{SplitLoaderError, wasm_split};

            #[wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload(load))]
            pub fn page() -> Result<AnyView, SplitLoaderError> {
                Ok($page().into_any())
            }
        }

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            // The router fetches a page's chunk before it shows (or hydrates) the page.
            async fn preload() {
                // A failure shows once the page is asked for its view.
                #[cfg(all(target_arch = "wasm32", wasm_split))]
                let _ = $chunk::load().await;
            }

            async fn view(_this: Self) -> AnyView {
                #[cfg(all(target_arch = "wasm32", wasm_split))]
                return $chunk::page().await.unwrap_or_else(|_| code_missing());
                #[cfg(not(target_arch = "wasm32"))]
                leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                #[cfg(not(all(target_arch = "wasm32", wasm_split)))]
                $page().into_any()
            }
        }
    };
}

lazy_page!(LandingRoute, landing_page => landing::Landing);
lazy_page!(SignUpRoute, sign_up_page => sign_up::SignUp);
lazy_page!(SignInRoute, sign_in_page => sign_in::SignIn);
lazy_page!(DashboardRoute, dashboard_page => dashboard::Dashboard);
lazy_page!(SettingsRoute, settings_page => settings::Settings);

/// What a page shows when its code could not be fetched: a new release replaced the chunks this
/// tab knows of, or the network is down. The page loads afresh from the server, which brings
/// the new release's code (or the browser's own offline page); only when that did not help
/// either does it say so, rather than load again and again.
#[cfg_attr(not(all(target_arch = "wasm32", wasm_split)), allow(dead_code))]
fn code_missing() -> AnyView {
    // The page being shown: the browser's address still names the one being left.
    let url = use_url().with_untracked(|url| match url.search() {
        "" => url.path().to_string(),
        search => format!("{}?{search}", url.path()),
    });
    if browser::load_afresh_once(&url) {
        return view! { <Loading /> }.into_any();
    }
    view! {
        <Failed
            message="This page could not be loaded. Check your connection and try again."
            retry=browser::reload
        />
    }
    .into_any()
}
