use leptos::prelude::*;

use crate::{browser, components::form::FormState};

/// A labelled input with its error message underneath, tied together for screen readers.
#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    /// The form a password field is in, whose box shows its passwords as typed.
    #[prop(optional)]
    form: Option<FormState>,
    #[prop(default = "off")] autocomplete: &'static str,
    /// What the field takes, said before it is typed rather than after a refusal.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {error_id}"),
        None => error_id.clone(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id>{hint}</p> })}
            <input
                id=id
                name=id
                type=move || if form.is_some_and(FormState::shows_passwords) { "text" } else { kind }
                autocomplete=autocomplete
                // The server's HTML shows the value too (`bind:` only sets it once hydrated).
                value=value.get_untracked()
                bind:value=value
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
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
