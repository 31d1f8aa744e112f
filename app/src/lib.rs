//! The Gatehouse app: one Leptos component tree, rendered on the server (feature `ssr`) and
//! hydrated in the browser (feature `hydrate`), plus the request/response types both sides share.

pub mod api;
pub mod browser;
pub mod components;
#[cfg(feature = "ssr")]
pub mod csp;
pub mod model;
pub mod pages;
pub mod theme;
pub mod token_store;
pub mod user_agent;
pub mod validation;
pub mod visitor;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    Lazy,
    components::{Route, Router, Routes},
    path,
};

use crate::components::layout::Layout;
use crate::pages::{
    DashboardRoute, LandingRoute, SettingsRoute, SignInRoute, SignUpRoute, not_found::NotFound,
};
use crate::token_store::TokenStore;
use crate::visitor::Visitor;

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    allow_own_scripts();
    // Read back by `Visitor::current` in the browser.
    let visitor = Visitor::current();
    view! {
        <!DOCTYPE html>
        <html
            lang="en"
            data-theme=visitor.theme.attribute()
            data-session=visitor.has_session.then_some("")
        >
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A fresh nonce per page, named in the page's CSP header, so Leptos's inline hydration
/// bootstrap runs and nothing else inline does.
#[cfg(feature = "ssr")]
fn allow_own_scripts() {
    leptos::nonce::provide_nonce();
    let nonce = leptos::nonce::use_nonce();
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let policy = csp::content_security_policy(nonce.as_deref());
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    TokenStore::provide();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "Gatehouse".to_string() } else { format!("{page} · Gatehouse") }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view={Lazy::<LandingRoute>::new()} />
                    <Route path=path!("/signup") view={Lazy::<SignUpRoute>::new()} />
                    <Route path=path!("/signin") view={Lazy::<SignInRoute>::new()} />
                    <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} />
                    <Route path=path!("/settings") view={Lazy::<SettingsRoute>::new()} />
                </Routes>
            </Layout>
        </Router>
    }
}
