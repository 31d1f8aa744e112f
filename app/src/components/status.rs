//! What a page shows in place of its content while that content is on its way, or when it
//! could not come: the same words, look and announcements wherever that happens.

use leptos::prelude::*;

/// Content on its way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="muted loading" aria-live="polite">"Loading…"</p> }
}

/// Content that could not come, why, and a way to ask again.
#[component]
pub fn Failed(#[prop(into)] message: String, retry: impl Fn() + 'static) -> impl IntoView {
    view! {
        <div class="card">
            <p class="alert" role="alert">{message}</p>
            <button type="button" on:click=move |_| retry()>
                "Try again"
            </button>
        </div>
    }
}
