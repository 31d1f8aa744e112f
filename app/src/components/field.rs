use leptos::prelude::*;

use crate::{api::ApiError, browser};

/// A labelled input with its error message underneath, tied together for screen readers.
#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                // The server's HTML shows the value too (`bind:` only sets it once hydrated).
                value=value.get_untracked()
                bind:value=value
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=error_id.clone()
            />
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}

/// Takes the person to the first field that needs fixing (as `Field` marks it), so a keyboard
/// or screen-reader user need not hunt back through the form after a refused submit.
pub fn focus_first_invalid() {
    browser::focus_first(r#"main [aria-invalid="true"]"#);
}

/// Shows a refusal from the server: under each field it names (and takes the keyboard to the
/// first), or above the form when it names none. `sent` pairs each field with the value sent.
pub fn show_refusal(
    error: &ApiError,
    sent: &[(&str, String)],
    server_errors: RwSignal<ServerFieldErrors>,
    form_error: RwSignal<Option<String>>,
) {
    let fields = ServerFieldErrors::from_error(error, sent);
    if fields.is_empty() {
        form_error.set(Some(error.message()));
    } else {
        // On the next frame, when the messages set below show.
        focus_first_invalid();
    }
    server_errors.set(fields);
}

/// Messages the server sent for fields, each shown until the person changes that field.
#[derive(Clone, Default, Debug)]
pub struct ServerFieldErrors(Vec<(String, String, String)>);

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
    pub fn for_value(&self, field: &str, current: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(name, _, sent)| name == field && sent == current)
            .map(|(_, message, _)| message.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
