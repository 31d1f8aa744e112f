//! The few browser APIs the app touches directly. On the server (no browser) they do nothing,
//! so components can call them from event handlers and effects without `cfg` noise.

/// Sets `data-theme` on `<html>`; `None` removes it so `prefers-color-scheme` decides.
pub fn set_document_theme(theme: Option<&str>) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = root() {
        // Failing to set an attribute on <html> only loses a cosmetic preference.
        let _ = match theme {
            Some(theme) => root.set_attribute("data-theme", theme),
            None => root.remove_attribute("data-theme"),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = theme;
}

/// An attribute of `<html>`, as the server rendered it (or as set since).
#[cfg(feature = "hydrate")]
pub fn root_attribute(name: &str) -> Option<String> {
    root()?.get_attribute(name)
}

#[cfg(feature = "hydrate")]
fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

#[cfg(feature = "hydrate")]
fn root() -> Option<web_sys::Element> {
    document()?.document_element()
}

/// A timestamp as the API sends it (`2026-11-25T16:30:00.000Z`), to the minute, on the
/// person's own clock and as their language writes it: "25 Nov 2026, 17:30" for `en-GB` in
/// Paris. Without a browser, or for a timestamp it cannot read, the minute in UTC:
/// "2026-11-25 16:30 UTC".
pub fn local_time(timestamp: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        use js_sys::Intl::{DateTimeFormatOptions, DateTimeStyle};
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(timestamp));
        // A browser always names a valid language; an invalid one would throw.
        let language = web_sys::window().and_then(|window| window.navigator().language());
        if let (false, Some(language)) = (date.get_time().is_nan(), language) {
            let options = DateTimeFormatOptions::new();
            options.set_date_style(DateTimeStyle::Medium);
            options.set_time_style(DateTimeStyle::Short);
            return date.to_locale_string(&language, &options).into();
        }
    }
    match (timestamp.get(..10), timestamp.get(11..16)) {
        (Some(date), Some(time)) => format!("{date} {time} UTC"),
        _ => timestamp.to_string(),
    }
}

/// Writes (`Some`, kept for a year) or removes (`None`) a cookie for the whole site, for a
/// preference the server should render with. Never for anything secret: scripts can read it.
pub fn set_cookie(name: &str, value: Option<&str>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let cookie = match value {
            Some(value) => format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax"),
            None => format!("{name}=; Path=/; Max-Age=0; SameSite=Lax"),
        };
        if let Some(document) =
            document().and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        {
            // Cookies switched off only cost the preference on the next page load.
            let _ = document.set_cookie(&cookie);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (name, value);
}

/// Focuses the first element matching `selector` once the updates made so far have reached the
/// page (on the next frame), so it can be an element those updates just marked.
pub fn focus_first(selector: &'static str) {
    #[cfg(feature = "hydrate")]
    leptos::prelude::request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .and_then(|document| document.query_selector(selector).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            // Focus is a convenience; a page that refuses it still shows every message.
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// This tab's end of the channel all of the app's tabs in this browser share. It never
    /// hears its own messages.
    static OTHER_TABS: Option<web_sys::BroadcastChannel> =
        web_sys::BroadcastChannel::new("gatehouse").ok();
}

/// Sends `message` to the app's other open tabs in this browser.
pub fn tell_other_tabs(message: &str) {
    #[cfg(feature = "hydrate")]
    OTHER_TABS.with(|channel| {
        if let Some(channel) = channel {
            // Other tabs only learn sooner what their next request would tell them.
            let _ = channel.post_message(&wasm_bindgen::JsValue::from_str(message));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = message;
}

/// Calls `on_message` with every message another tab sends, for as long as this page lives.
pub fn listen_to_other_tabs(on_message: impl Fn(String) + 'static) {
    #[cfg(feature = "hydrate")]
    OTHER_TABS.with(|channel| {
        use wasm_bindgen::{JsCast, closure::Closure};
        if let Some(channel) = channel {
            let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    if let Some(message) = event.data().as_string() {
                        on_message(message);
                    }
                },
            );
            let _ = channel
                .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
            // Each listener stays for the page's whole life.
            listener.forget();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = on_message;
}

/// Where the browser keeps a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// `localStorage`: every tab, across browser restarts.
    Local,
    /// `sessionStorage`: this tab, until the browser closes.
    Session,
}

/// Reads a string from `storage`.
pub fn stored(storage: Storage, key: &str) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        web_storage(storage)?.get_item(key).ok().flatten()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (storage, key);
        None
    }
}

/// Writes (`Some`) or removes (`None`) a string in `storage`.
pub fn store(storage: Storage, key: &str, value: Option<&str>) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_storage(storage) {
        // A full or disabled storage only costs keeping the value across page loads.
        let _ = match value {
            Some(value) => storage.set_item(key, value),
            None => storage.remove_item(key),
        };
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (storage, key, value);
}

#[cfg(feature = "hydrate")]
fn web_storage(storage: Storage) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match storage {
        Storage::Local => window.local_storage(),
        Storage::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

#[cfg(feature = "hydrate")]
thread_local! {
    static HYDRATED: leptos::prelude::ArcRwSignal<bool> = leptos::prelude::ArcRwSignal::new(false);
}

/// Whether the page has finished hydrating; tracked, so an effect that asks runs again when it
/// has. State only the browser knows (the stored token) is applied after this:
/// hydration must find exactly what the server rendered. Always false on the server.
pub fn is_hydrated() -> bool {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Get;
        HYDRATED.with(Get::get)
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// Called once by the entry point when hydration is complete (the page's route chunk loaded
/// and hydrated too). Also marks `<body data-hydrated="true">`, for tests and for CSS that
/// should only apply to the interactive page.
pub fn finish_hydration() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Set;
        HYDRATED.with(|hydrated| hydrated.set(true));
        store(Storage::Session, LOADED_AFRESH, None);
        if let Some(body) = document().and_then(|document| document.body()) {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }
}

/// The path and query of the current page, for `?next=`.
pub fn current_path() -> String {
    #[cfg(feature = "hydrate")]
    if let Some(location) = web_sys::window().map(|window| window.location()) {
        let path = location.pathname().unwrap_or_else(|_| "/".into());
        let query = location.search().unwrap_or_default();
        return format!("{path}{query}");
    }
    "/".to_string()
}

/// Loads the current page again from the server, leaving nothing of its state behind.
pub fn reload() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        // A page that cannot reload stays as it is; its next request tells the truth.
        let _ = window.location().reload();
    }
}

/// Where this tab notes the page it loaded afresh because the page's code could not be fetched,
/// until a page has loaded and hydrated again.
const LOADED_AFRESH: &str = "gatehouse.loaded-afresh";

/// Loads `url` (a local path) from the server as a new page, unless this tab already did so for
/// it and no page has hydrated since: true when it does.
pub fn load_afresh_once(url: &str) -> bool {
    if stored(Storage::Session, LOADED_AFRESH).as_deref() == Some(url) {
        return false;
    }
    store(Storage::Session, LOADED_AFRESH, Some(url));
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        // A page that cannot be left stays as it is, saying "Loading…".
        let _ = window.location().assign(url);
    }
    true
}

/// Percent-encodes a URL query component.
pub fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_browser_a_time_is_its_minute_in_utc() {
        assert_eq!(
            local_time("2026-11-25T16:30:59.999Z"),
            "2026-11-25 16:30 UTC"
        );
        assert_eq!(local_time("yesterday"), "yesterday");
    }
}
