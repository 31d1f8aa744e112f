use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::theme_toggle::ThemeToggle;

/// The frame of every page: header with the product name and navigation, main area, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <div class="page">
            <header class="site-header">
                <A href="/" attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    "Gatehouse"
                </A>
                <nav class="site-nav" aria-label="Main">
                    <A href="/">"Home"</A>
                    <ThemeToggle />
                </nav>
            </header>
            <main class="site-main">{children()}</main>
            <footer class="site-footer">
                <p>"Gatehouse — accounts, sessions and a protected app, in Rust end to end."</p>
            </footer>
        </div>
    }
}
