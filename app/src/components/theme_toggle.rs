use leptos::prelude::*;

use crate::visitor::Visitor;

/// Cycles system → dark → light. It only responds once the WASM has hydrated the page, which is
/// what the browser tests use to prove hydration.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    // The server rendered the page in the visitor's theme; start from the same one.
    let theme = RwSignal::new(Visitor::current().theme);
    let cycle = move |_| {
        let next = theme.get().next();
        next.apply();
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
