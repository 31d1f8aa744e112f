//! The pages, one module each, and the routes that load them.
//!
//! Every page except "not found" is a lazy route: built with `cargo leptos --split`, its code
//! is a separate WASM chunk that the browser fetches when the page is first shown (the server
//! names the chunks a page needs in `<link rel="preload">`, so a first visit fetches them in
//! parallel). The main bundle keeps only the frame: router, layout, API client and token store.

pub mod dashboard;
pub mod landing;
pub mod not_found;
pub mod settings;
pub mod sign_in;
pub mod sign_up;

use leptos::prelude::*;
use leptos_router::{LazyRoute, lazy_route};

/// Declares `$route`, the lazy route that shows the component `$page`. Each expansion is its
/// own split point: `#[lazy_route]` names the chunk after the route type.
macro_rules! lazy_page {
    ($route:ident => $page:path) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
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
