use leptos::prelude::*;

use crate::browser;

const STORAGE_KEY: &str = "gatehouse.theme";

/// The colour scheme: follow the system, or force light or dark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    fn next(self) -> Self {
        match self {
            Theme::System => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::System,
        }
    }

    fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    fn from_attribute(value: &str) -> Self {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Cycles system → dark → light. It only responds once the WASM has hydrated the page, which is
/// what the browser tests use to prove hydration.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    // The server cannot know the stored choice, so both sides render `System` first and the
    // browser applies the stored theme after hydration (no mismatch).
    let theme = RwSignal::new(Theme::System);
    Effect::new(move |_| {
        if browser::is_hydrated()
            && let Some(stored) = browser::stored(STORAGE_KEY)
        {
            theme.set(Theme::from_attribute(&stored));
        }
    });
    Effect::new(move |_| browser::set_document_theme(theme.get().attribute()));

    let cycle = move |_| {
        let next = theme.get().next();
        browser::store(STORAGE_KEY, next.attribute());
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
