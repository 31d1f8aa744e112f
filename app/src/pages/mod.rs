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

pub struct LandingRoute;

#[lazy_route]
impl LazyRoute for LandingRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        landing::Landing().into_any()
    }
}

pub struct SignUpRoute;

#[lazy_route]
impl LazyRoute for SignUpRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        sign_up::SignUp().into_any()
    }
}

pub struct SignInRoute;

#[lazy_route]
impl LazyRoute for SignInRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        sign_in::SignIn().into_any()
    }
}

pub struct DashboardRoute;

#[lazy_route]
impl LazyRoute for DashboardRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        dashboard::Dashboard().into_any()
    }
}

pub struct SettingsRoute;

#[lazy_route]
impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        Self
    }

    fn view(_this: Self) -> AnyView {
        settings::Settings().into_any()
    }
}
