use leptos::prelude::*;

use crate::{theme::Theme, visitor::Visitor};

/// Cycles system → dark → light, in every open tab of the browser at once. It only responds
/// once the WASM has hydrated the page, which is what the browser tests use to prove hydration.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    // The server rendered the page in the visitor's theme; start from the same one.
    let theme = RwSignal::new(Visitor::current().theme);
    Theme::follow_other_tabs(move |chosen| theme.set(chosen));
    let cycle = move |_| {
        let next = theme.get().next();
        next.choose();
        theme.set(next);
    };

    view! {
        <button type="button" class="theme-toggle" data-testid="theme-toggle" on:click=cycle>
            // Phones show only the name; the prefix is hidden there by the stylesheet.
            <span class="theme-prefix">"Theme: "</span>
            {move || theme.get().name()}
        </button>
    }
}
