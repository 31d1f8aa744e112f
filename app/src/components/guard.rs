//! Route guards: protected pages need a signed-in person, sign-in pages need a guest.

use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::{
    browser::{current_path, encode_component},
    token_store::{Ending, TokenStore},
};

/// Renders its children only for a signed-in person. Anyone else is sent to sign-in (with
/// `next` so they come back), without protected content ever showing.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let store = TokenStore::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !store.is_ready() || store.is_signed_in() {
            return;
        }
        let target = match store.take_ending() {
            Ending::Expired(path) => format!("/signin?expired=1&next={}", encode_component(&path)),
            Ending::None => format!("/signin?next={}", encode_component(&current_path())),
            Ending::SignedOut => return,
        };
        navigate(
            &target,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    let children = StoredValue::new(children);
    view! {
        <Show
            when=move || store.is_ready() && store.is_signed_in()
            fallback=|| view! { <p class="muted loading" aria-live="polite">"Loading…"</p> }
        >
            {children.read_value()()}
        </Show>
    }
}

/// Sends someone already signed in from sign-in/sign-up pages to the dashboard. Checked once,
/// when the stored token has been read, so a fresh sign-in can go to its own `next`.
pub fn redirect_signed_in_to_dashboard() {
    let store = TokenStore::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if store.is_ready() && store.token().is_some() {
            navigate(
                "/dashboard",
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
}
