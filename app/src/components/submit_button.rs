use leptos::prelude::*;

use crate::browser;

/// A form's submit button, disabled while its request is in flight and until the page has
/// hydrated. Before hydration the browser would submit the form itself, as a GET that puts every
/// field (the password too) in the URL, and so in the history and the server's logs; a disabled
/// default button also stops Enter in a field from submitting.
#[component]
pub fn SubmitButton(
    pending: RwSignal<bool>,
    label: &'static str,
    /// What the button says while the request is in flight; `label` if not given.
    #[prop(optional)]
    pending_label: Option<&'static str>,
) -> impl IntoView {
    view! {
        <button type="submit" class="primary" disabled=move || pending.get() || !browser::is_hydrated()>
            {move || match pending_label {
                Some(pending_label) if pending.get() => pending_label,
                _ => label,
            }}
        </button>
    }
}
