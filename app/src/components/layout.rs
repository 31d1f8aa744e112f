use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_location, use_navigate},
};

use crate::{
    api::{self, Ignored, Method},
    browser,
    components::theme_toggle::ThemeToggle,
    token_store::{Ending, TokenStore},
};

/// The frame of every page: header with the product name and navigation, main area, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // A new page in a single-page app is not a page load: without this, focus would stay on
    // the link or button that led here (or fall to the top of the document), and a screen
    // reader would announce nothing. Moving focus to the content starts the next Tab there.
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|previous| previous != path) {
            browser::focus_first("main");
        }
        path
    });
    view! {
        <div class="page">
            <header class="site-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    "Gatehouse"
                </A>
                // Before the links, so that keyboard order matches the screen on a phone too,
                // where the links wrap onto a row of their own below the brand and this switch.
                <ThemeToggle />
                <nav class="site-nav" aria-label="Main">
                    <AccountNav />
                </nav>
            </header>
            <main class="site-main" tabindex="-1">{children()}</main>
            <footer class="site-footer">
                <p>"Gatehouse — accounts, sessions and a protected app, in Rust end to end."</p>
            </footer>
        </div>
    }
}

/// Signed in: the person's name, their pages and Sign out. Otherwise: Sign in / Sign up.
#[component]
fn AccountNav() -> impl IntoView {
    let store = TokenStore::get();
    let navigate = use_navigate();

    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // Whatever the server says, this browser forgets the session.
            let _ =
                api::call::<Ignored>(store, Method::Post, "/api/auth/sign-out", None::<&()>).await;
            store.end(Ending::SignedOut);
            navigate("/signin", NavigateOptions::default());
        });
    };

    view! {
        <Show
            when=move || store.looks_signed_in()
            fallback=|| {
                view! {
                    <A href="/signin">"Sign in"</A>
                    <A href="/signup" attr:class="button primary">"Sign up"</A>
                }
            }
        >
            <A href="/dashboard">"Dashboard"</A>
            <A href="/settings">"Settings"</A>
            <span class="user-name" data-testid="user-name">
                {move || store.user().map(|user| user.name).unwrap_or_default()}
            </span>
            <button type="button" class="link-button" on:click=sign_out.clone()>"Sign out"</button>
        </Show>
    }
}
