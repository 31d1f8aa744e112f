//! Route guards (protected pages need a signed-in person, sign-in pages need a guest) and
//! `next`, where a person goes once signed in.

use leptos::prelude::*;
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};

use crate::{
    browser::{current_path, encode_component},
    components::status::{Failed, Loading},
    token_store::{Ending, TokenStore},
    validation::local_path,
};

/// Renders its children only for a signed-in person. Anyone else is sent to sign-in (with
/// `next` so they come back), without protected content ever showing. When the server cannot
/// say whether the browser's session lives, the page says so and offers to ask again.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let store = TokenStore::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if !store.is_ready() || store.is_signed_in() || store.session_unknown().is_some() {
            return;
        }
        let target = match store.take_ending() {
            Ending::Expired(path) => with_next("/signin?expired=1", Some(&path)),
            Ending::None => with_next("/signin", Some(&current_path())),
            Ending::SignedOut => return,
        };
        navigate(&target, replacing_history());
    });
    let children = StoredValue::new(children);
    view! {
        <Show
            when=move || store.is_ready() && store.is_signed_in()
            fallback=move || match store.session_unknown() {
                Some(failure) => {
                    view! { <Failed message=failure retry=move || store.check_browser_session() /> }
                        .into_any()
                }
                None => view! { <Loading /> }.into_any(),
            }
        >
            {children.read_value()()}
        </Show>
    }
}

/// Sends someone signed in on from the sign-in and sign-up pages, to where they were going:
/// whether they already were when the page opened, signed in with its form, or in another tab.
pub fn redirect_signed_in(next: Option<String>) {
    let store = TokenStore::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if store.is_ready() && store.is_signed_in() {
            navigate(destination(next.as_deref()), replacing_history());
        }
    });
}

/// Navigation that takes the current history entry's place, for pages that Back should not
/// return to: one that only redirects, or one that no longer applies.
pub fn replacing_history() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..NavigateOptions::default()
    }
}

/// Where this page was asked to send the person once signed in: its `next`, when that is a path
/// on this site (never another origin).
pub fn use_next() -> Option<String> {
    use_query_map()
        .with_untracked(|query| query.get("next"))
        .and_then(|next| local_path(&next).map(str::to_string))
}

/// Where a signed-in person goes from the sign-in pages: `next`, else the dashboard.
fn destination(next: Option<&str>) -> &str {
    next.unwrap_or("/dashboard")
}

/// `url` carrying `next` along, so a detour (sign-in → sign-up → sign-in) still ends where the
/// person was going.
pub fn with_next(url: &str, next: Option<&str>) -> String {
    match next {
        Some(next) => {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}next={}", encode_component(next))
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::with_next;

    #[test]
    fn next_is_appended_as_one_encoded_query_parameter() {
        assert_eq!(
            with_next("/signup", Some("/settings?tab=a&b")),
            "/signup?next=%2Fsettings%3Ftab%3Da%26b"
        );
        assert_eq!(
            with_next("/signin?created=1", Some("/settings")),
            "/signin?created=1&next=%2Fsettings"
        );
        assert_eq!(with_next("/signin", None), "/signin");
    }
}
