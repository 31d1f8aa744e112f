//! What a page knows of its visitor before any WASM has run: whether their browser holds a
//! session cookie, and the colour scheme they picked. The server reads both from the request's
//! cookies and writes them onto `<html>` (see `shell`); the browser reads them back from there.
//! Both sides start from the same values, so hydration finds exactly what the server rendered,
//! and a signed-in person who chose dark never sees a signed-out, light page first.

use crate::theme::Theme;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Visitor {
    /// The request carried a session cookie, so the person is most likely signed in. Only a
    /// first guess for the page's frame: the stored token decides once it has been read.
    pub has_session: bool,
    pub theme: Theme,
}

impl Visitor {
    /// On the server, what the server provided for this request (nothing: a new visitor); in
    /// the browser, what the server wrote onto `<html>`.
    pub fn current() -> Self {
        #[cfg(feature = "hydrate")]
        {
            use crate::browser::root_attribute;
            Self {
                has_session: root_attribute("data-session").is_some(),
                theme: Theme::from_attribute(root_attribute("data-theme").as_deref()),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            leptos::prelude::use_context::<Self>().unwrap_or_default()
        }
    }
}
