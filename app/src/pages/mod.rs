//! The pages, one module each, and the routes that load them.
//!
//! Every page except "not found" is a lazy route: built with `cargo leptos --split`, its code
//! is a separate WASM chunk that the browser fetches when the page is first shown (the server
//! names the chunks a page needs in `<link rel="preload">`, so a first visit fetches them in
//! parallel). The main bundle keeps only the frame: router, layout, API client and token store.
//! Built without `--split` (a plain `cargo leptos watch`), everything is one bundle.

pub mod dashboard;
pub mod landing;
pub mod not_found;
pub mod settings;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Declares `$route`, the lazy route that shows the component `$page`. In a split browser build
/// (`cfg(wasm_split)`, see `build.rs`) each expansion is its own split point, a chunk named
/// after the route type; on the server `#[lazy_route]` names that chunk for preloading.
/// Otherwise the page is compiled into the one bundle and shown the same way, asynchronously,
/// so the server's HTML hydrates alike in both builds.
macro_rules! lazy_page {
    ($route:ident => $page:path) => {
        pub struct $route;

        #[cfg(any(not(target_arch = "wasm32"), wasm_split))]
        #[leptos_router::lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }

        #[cfg(all(target_arch = "wasm32", not(wasm_split)))]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(LandingRoute => landing::Landing);
lazy_page!(SignUpRoute => sign_up::SignUp);
lazy_page!(SignInRoute => sign_in::SignIn);
lazy_page!(DashboardRoute => dashboard::Dashboard);
lazy_page!(SettingsRoute => settings::Settings);
