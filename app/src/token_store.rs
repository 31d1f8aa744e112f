//! The signed-in state of the app: the access token, the user it belongs to (from the sign-in,
//! or asked of the server once after a reload), and where to go when the session ends. One
//! `TokenStore` is shared through context.
//!
//! The token is kept in `localStorage` when the person asked to be remembered, so a reopened
//! browser is still signed in; otherwise in `sessionStorage`, so it goes when the browser
//! closes, as the session cookie does. A tab that has no token while the browser holds a
//! session (another tab signed in without "Remember me") gets one from the cookie; when the
//! server cannot say whether that session lives (an outage, offline), the tab says so and lets
//! the person try again, rather than taking them for signed out. Signing in
//! or out in one tab does the same in every other tab at once, and a name changed in one shows
//! in all.

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api,
    browser::{self, Storage},
    model::User,
    visitor::Visitor,
};

const STORAGE_KEY: &str = "gatehouse.token";
/// What a tab tells the others when the person signs in or out there, or changes their profile.
const SIGNED_IN: &str = "signed-in";
const SIGNED_OUT: &str = "signed-out";
const PROFILE_CHANGED: &str = "profile-changed";

#[derive(Clone, Copy)]
pub struct TokenStore {
    token: RwSignal<Option<String>>,
    /// Where the token is kept, and where a renewed one goes.
    kept_in: RwSignal<Storage>,
    user: RwSignal<Option<User>>,
    /// Why the last lookup of the user failed, until the next one.
    user_failure: RwSignal<Option<String>>,
    /// Whether a lookup of the user is under way, so everything showing the person shares it.
    looking_up_user: StoredValue<bool>,
    /// Counts the times the token changed hands (sign-in, sign-out, another tab's session), so
    /// a lookup answered for an earlier holder is not taken for the current one.
    holder: StoredValue<u32>,
    /// False until the browser has read the stored token, or asked the server for one
    /// (always false on the server), so protected pages can wait instead of flashing or
    /// bouncing.
    ready: RwSignal<bool>,
    /// Why the server could not say whether the browser's session lives, while this tab has
    /// no token: the person may well be signed in, so they are not sent to sign in.
    session_unknown: RwSignal<Option<String>>,
    /// Why the token went away, for the protected page that notices.
    ending: RwSignal<Ending>,
    /// Whether the request for this page carried a session cookie: the best guess the server
    /// had, until the stored token has been read.
    had_session_cookie: bool,
}

/// How a signed-in state ended, so the protected page knows where to send the person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Ending {
    /// Never signed in (or nothing to say): ask for sign-in, then come back.
    #[default]
    None,
    /// The session could not be renewed while on this local path.
    Expired(String),
    /// The person signed out; whoever signed them out navigates.
    SignedOut,
}

impl TokenStore {
    /// Creates the store and puts it in context; reads the saved token once hydrated.
    pub fn provide() -> Self {
        let store = Self {
            token: RwSignal::new(None),
            kept_in: RwSignal::new(Storage::Local),
            user: RwSignal::new(None),
            user_failure: RwSignal::new(None),
            looking_up_user: StoredValue::new(false),
            holder: StoredValue::new(0),
            ready: RwSignal::new(false),
            session_unknown: RwSignal::new(None),
            ending: RwSignal::new(Ending::None),
            had_session_cookie: Visitor::current().has_session,
        };
        // Only once hydrated: the server rendered the page without the token, and hydration
        // must find exactly that.
        Effect::new(move |_| {
            if !browser::is_hydrated() {
                return;
            }
            let found = [Storage::Local, Storage::Session]
                .into_iter()
                .find_map(|storage| Some((storage, browser::stored(storage, STORAGE_KEY)?)));
            match found {
                Some((storage, token)) => {
                    store.keep(storage, token);
                    store.ready.set(true);
                }
                // No token in this tab, but a session in the browser: a new tab after a
                // sign-in without "Remember me", or storage the person cleared.
                None if store.had_session_cookie => store.check_browser_session(),
                None => store.ready.set(true),
            }
        });
        // After a reload the token is known but not whose it is (a sign-in says so itself).
        Effect::new(move |_| {
            if store.is_signed_in() && store.user.with(Option::is_none) {
                store.look_up_user();
            }
        });
        browser::listen_to_other_tabs(move |message| match message.as_str() {
            SIGNED_IN => spawn_local(async move {
                let shown = store.user.get_untracked().map(|user| user.id);
                store.take_browser_session().await;
                // A tab showing another account starts over as the new one, so nothing of
                // the other stays on screen. (A signed-out tab just follows.)
                if shown.is_some() && api::me(store).await.ok().map(|user| user.id) != shown {
                    browser::reload();
                }
            }),
            // The session is gone: a tab showing it sends the person to sign in, as for a
            // visit while signed out.
            SIGNED_OUT if store.token.with_untracked(Option::is_some) => store.end(Ending::None),
            // The person shown stays until the server says who they are now.
            PROFILE_CHANGED => store.ask_who(),
            _ => {}
        });
        provide_context(store);
        store
    }

    pub fn get() -> Self {
        expect_context::<Self>()
    }

    /// The current token, without subscribing (for requests).
    pub fn token(&self) -> Option<String> {
        self.token.get_untracked()
    }

    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    pub fn is_signed_in(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// Whether the page's frame should show the signed-in navigation: before the stored token
    /// has been read, or while the server cannot say whether the session lives, what the server
    /// guessed from the session cookie, so a signed-in person's pages do not show "Sign in";
    /// after, whether there is a token.
    pub fn looks_signed_in(&self) -> bool {
        if self.ready.get() && self.session_unknown.with(Option::is_none) {
            self.is_signed_in()
        } else {
            self.had_session_cookie
        }
    }

    /// Why this tab cannot tell whether the person is signed in, while it cannot.
    pub fn session_unknown(&self) -> Option<String> {
        self.session_unknown.get()
    }

    pub fn user(&self) -> Option<User> {
        self.user.get()
    }

    /// Why the person could not be looked up, while they are not known.
    pub fn user_failure(&self) -> Option<String> {
        self.user_failure.get()
    }

    /// Asks the server whose the token is (`GET /api/me`), unless that is known or already
    /// being asked: the header and the page showing the person share one request.
    pub fn look_up_user(self) {
        if self.user.with_untracked(Option::is_none) {
            self.ask_who();
        }
    }

    /// Takes the profile the server answered with after a change, and tells the other tabs.
    pub fn profile_changed(&self, user: User) {
        self.user.set(Some(user));
        browser::tell_other_tabs(PROFILE_CHANGED);
    }

    /// Asks the server whose the token is, unless there is none or the question is out.
    fn ask_who(self) {
        if self.token.with_untracked(Option::is_none) || self.looking_up_user.get_value() {
            return;
        }
        self.looking_up_user.set_value(true);
        self.user_failure.set(None);
        let holder = self.holder.get_value();
        spawn_local(async move {
            let answer = api::me(self).await;
            self.looking_up_user.set_value(false);
            if self.holder.get_value() != holder {
                // Someone else's answer now: ask again for the new holder, if still unknown.
                self.look_up_user();
                return;
            }
            match answer {
                Ok(user) => self.user.set(Some(user)),
                Err(failure) => self.user_failure.set(Some(failure.message())),
            }
        });
    }

    /// Starts a signed-in state: the token kept across browser restarts only if `remember`.
    pub fn sign_in(&self, token: String, user: User, remember: bool) {
        let storage = if remember {
            Storage::Local
        } else {
            Storage::Session
        };
        self.forget_token();
        self.changes_hands();
        self.keep(storage, token);
        self.session_unknown.set(None);
        self.user.set(Some(user));
        browser::tell_other_tabs(SIGNED_IN);
    }

    /// Keeps a renewed token where the one it replaces was kept.
    pub fn set_token(&self, token: String) {
        self.keep(self.kept_in.get_untracked(), token);
    }

    fn keep(&self, storage: Storage, token: String) {
        browser::store(storage, STORAGE_KEY, Some(&token));
        self.kept_in.set(storage);
        self.token.set(Some(token));
    }

    /// Asks the server for a token for the browser's session, the tab waiting meanwhile: on
    /// opening a tab that has none, and again when the person asks after the server could not
    /// say.
    pub fn check_browser_session(self) {
        self.ready.set(false);
        // The last failure goes while asking, so a second one shows as an answer of its own.
        self.session_unknown.set(None);
        spawn_local(async move {
            self.take_browser_session().await;
            self.ready.set(true);
        });
    }

    /// Gets this tab a token for the session the browser's cookie holds, kept for this tab
    /// only: with "Remember me" the tab that signed in keeps its own in `localStorage`.
    async fn take_browser_session(self) {
        let answer = api::renew().await;
        self.session_unknown
            .set(answer.as_ref().err().map(api::ApiError::message));
        if let Ok(Some(token)) = answer {
            self.changes_hands();
            self.keep(Storage::Session, token);
        }
    }

    fn changes_hands(&self) {
        self.holder
            .update_value(|holder| *holder = holder.wrapping_add(1));
    }

    fn forget_token(&self) {
        for storage in [Storage::Local, Storage::Session] {
            browser::store(storage, STORAGE_KEY, None);
        }
    }

    /// Forgets the token and the user, saying why.
    pub fn end(&self, ending: Ending) {
        if ending == Ending::SignedOut {
            browser::tell_other_tabs(SIGNED_OUT);
        }
        self.forget_token();
        self.changes_hands();
        self.session_unknown.set(None);
        self.ending.set(ending);
        self.token.set(None);
        self.user.set(None);
    }

    /// Why the token went away, once (whoever acts on it consumes it).
    pub fn take_ending(&self) -> Ending {
        let ending = self.ending.get_untracked();
        if ending != Ending::None {
            self.ending.set(Ending::None);
        }
        ending
    }
}
