//! The colour scheme a person picked: follow the system, or force light or dark. The choice is
//! kept in a cookie rather than `localStorage` so the server can render every page in it: a
//! page never shows in the system's scheme first and switches once its WASM has run.

use crate::browser;

/// The cookie that holds the choice (absent: follow the system). Read by the server.
pub const COOKIE: &str = "gatehouse_theme";
/// What a tab tells the others when the person picks a scheme there, before its attribute.
const CHOSEN: &str = "theme:";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// The order the switch cycles through: system → dark → light.
    pub fn next(self) -> Self {
        match self {
            Theme::System => Theme::Dark,
            Theme::Dark => Theme::Light,
            Theme::Light => Theme::System,
        }
    }

    /// The value of `<html data-theme>` and of the cookie; `System` has none.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    /// The scheme an attribute or cookie names; none, or anything unknown (an old or tampered
    /// cookie), follows the system.
    pub fn from_attribute(value: Option<&str>) -> Self {
        match value {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Shows the page in this scheme now, remembers it for every page the server renders, and
    /// shows the browser's other open tabs in it too.
    pub fn choose(self) {
        self.show();
        browser::set_cookie(COOKIE, self.attribute());
        browser::tell_other_tabs(&format!("{CHOSEN}{}", self.attribute().unwrap_or_default()));
    }

    /// Shows this page in each scheme chosen in another tab, and calls `on_change` with it.
    pub fn follow_other_tabs(on_change: impl Fn(Theme) + 'static) {
        browser::listen_to_other_tabs(move |message| {
            if let Some(value) = message.strip_prefix(CHOSEN) {
                let theme = Theme::from_attribute(Some(value));
                theme.show();
                on_change(theme);
            }
        });
    }

    fn show(self) {
        browser::set_document_theme(self.attribute());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_reads_back_from_its_attribute() {
        for theme in [Theme::System, Theme::Light, Theme::Dark] {
            assert_eq!(Theme::from_attribute(theme.attribute()), theme);
        }
    }

    #[test]
    fn an_unknown_value_follows_the_system() {
        assert_eq!(Theme::from_attribute(Some("purple")), Theme::System);
        assert_eq!(Theme::from_attribute(Some("")), Theme::System);
    }

    #[test]
    fn the_switch_visits_every_scheme_and_comes_back() {
        let mut theme = Theme::System;
        let mut seen = Vec::new();
        for _ in 0..3 {
            theme = theme.next();
            seen.push(theme);
        }
        assert_eq!(seen, [Theme::Dark, Theme::Light, Theme::System]);
    }
}
