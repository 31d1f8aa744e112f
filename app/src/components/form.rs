//! What every form keeps beside its fields' values, and the steps every submit takes: errors
//! show from the first submit on, nothing is sent twice or with a field to fix, and the
//! server's refusals show where they belong.

use leptos::{ev::SubmitEvent, prelude::*};

use crate::{api::ApiError, components::field::focus_first_invalid};

#[derive(Clone, Copy)]
pub struct FormState {
    /// Whether the person has tried to submit: field errors show from then on, and then follow
    /// every keystroke.
    pub submitted: RwSignal<bool>,
    /// Whether the form's request is in flight.
    pub pending: RwSignal<bool>,
    /// Whether the form's password fields show what is typed, as the person asked.
    passwords_shown: RwSignal<bool>,
    /// What the server said about fields, each shown until that field changes.
    server_errors: RwSignal<ServerFieldErrors>,
    /// A message about the whole form, shown above it.
    message: RwSignal<Option<String>>,
}

impl FormState {
    pub fn new() -> Self {
        Self {
            submitted: RwSignal::new(false),
            pending: RwSignal::new(false),
            passwords_shown: RwSignal::new(false),
            server_errors: RwSignal::new(ServerFieldErrors::default()),
            message: RwSignal::new(None),
        }
    }

    /// The start of every submit: keeps the browser from sending the form itself, shows the
    /// fields' errors, and says whether to send it. Not while a request is in flight, nor with
    /// a field to fix (the keyboard goes to the first); otherwise the form is now pending.
    pub fn begin_submit(self, event: &SubmitEvent, has_errors: impl FnOnce() -> bool) -> bool {
        event.prevent_default();
        // Hidden again before anything is sent: the browser's password manager then sees
        // password fields, and nothing keeps a password as remembered plain text.
        self.passwords_shown.set(false);
        self.submitted.set(true);
        self.message.set(None);
        if self.pending.get_untracked() {
            return false;
        }
        if has_errors() {
            focus_first_invalid();
            return false;
        }
        self.pending.set(true);
        true
    }

    /// The server's message for `field` while it still holds the value the server refused.
    pub fn server_error(self, field: &str, current: &str) -> Option<String> {
        self.server_errors
            .with(|errors| errors.for_value(field, current))
    }

    /// Shows a refusal from the server: under each field it names (and takes the keyboard to the
    /// first), or above the form when it names none. `sent` pairs each field with the value sent.
    pub fn refused(self, error: &ApiError, sent: &[(&str, String)]) {
        let fields = ServerFieldErrors::from_error(error, sent);
        if fields.is_empty() {
            self.show_message(error.message());
        } else {
            // On the next frame, when the messages set below show.
            focus_first_invalid();
        }
        self.server_errors.set(fields);
    }

    /// Shows a message about the whole form, above it.
    pub fn show_message(self, message: String) {
        self.message.set(Some(message));
    }

    /// Whether the person has asked to see the form's password fields as typed.
    pub fn shows_passwords(self) -> bool {
        self.passwords_shown.get()
    }

    /// The box that shows the form's password fields as typed, so a long password can be checked
    /// before it is sent (NIST SP 800-63B asks for the option).
    pub fn show_passwords(self, label: &'static str) -> impl IntoView {
        view! {
            <label class="checkbox">
                // `autocomplete="off"`: a browser that restores form state on reload would tick
                // the box while the fields stay hidden.
                <input
                    type="checkbox"
                    autocomplete="off"
                    bind:checked=self.passwords_shown
                />
                {label}
            </label>
        }
    }

    /// The message above the form, announced when it appears.
    pub fn message(self) -> impl IntoView {
        move || {
            self.message
                .get()
                .map(|message| view! { <p class="alert" role="alert">{message}</p> })
        }
    }
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// Messages the server sent for fields, each shown until the person changes that field.
#[derive(Clone, Default, Debug)]
struct ServerFieldErrors(Vec<(String, String, String)>);

impl ServerFieldErrors {
    /// Records the server's `fields` against the values that were sent.
    fn from_error(error: &ApiError, sent: &[(&str, String)]) -> Self {
        Self(
            sent.iter()
                .filter_map(|(field, value)| {
                    error
                        .field(field)
                        .map(|message| (field.to_string(), message, value.clone()))
                })
                .collect(),
        )
    }

    /// The message for `field` while it still holds the value the server refused.
    fn for_value(&self, field: &str, current: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(name, _, sent)| name == field && sent == current)
            .map(|(_, message, _)| message.clone())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
