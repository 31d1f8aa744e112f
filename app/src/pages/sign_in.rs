use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

use crate::{
    api::{self, ApiError, Method},
    components::{
        field::Field,
        form::FormState,
        guard::{redirect_signed_in, use_next, with_next},
        submit_button::SubmitButton,
    },
    model::{SignInRequest, SignInResponse},
    token_store::TokenStore,
    validation::Email,
};

#[component]
pub fn SignIn() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.with_untracked(|query| query.get(name));
    let expired = param("expired").is_some_and(|value| value == "1");
    let next = use_next();
    // Also what sends the person on once this form has signed them in.
    redirect_signed_in(next.clone());
    let store = TokenStore::get();
    let sign_up = with_next("/signup", next.as_deref());

    let notice = if expired {
        Some("Your session has expired. Please sign in again.")
    } else if param("created").is_some_and(|value| value == "1") {
        Some("Account created — sign in to continue.")
    } else {
        None
    };
    let email = RwSignal::new(param("email").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let remember = RwSignal::new(true);
    let form = FormState::new();

    let email_error = Signal::derive(move || {
        form.submitted
            .get()
            .then(|| {
                Email::parse(&email.get())
                    .err()
                    .map(|invalid| invalid.0.to_string())
            })
            .flatten()
    });
    let password_error = Signal::derive(move || {
        (form.submitted.get() && password.with(String::is_empty))
            .then(|| "Enter your password.".to_string())
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        let has_errors =
            || email_error.get_untracked().is_some() || password_error.get_untracked().is_some();
        if !form.begin_submit(&event, has_errors) {
            return;
        }
        let remember_me = remember.get_untracked();
        let request = SignInRequest {
            email: email.get_untracked(),
            password: password.get_untracked(),
            remember_me: Some(remember_me),
        };
        spawn_local(async move {
            let result = api::call_public::<SignInResponse>(
                Method::Post,
                "/api/auth/sign-in/email",
                &request,
            )
            .await;
            form.pending.set(false);
            match result {
                Ok(signed_in) => store.sign_in(signed_in.token, signed_in.user, remember_me),
                Err(error) => form.show_message(sign_in_message(&error)),
            }
        });
    };

    view! {
        <Title text="Sign in" />
        <section class="narrow">
            <h1>"Sign in"</h1>
            <p class="muted">"Welcome back."</p>
            <form class="form card" method="post" novalidate on:submit=submit>
                {notice.map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
                {form.message()}
                <Field id="email" label="Email" value=email error=email_error kind="email" autocomplete="email" />
                <Field id="password" label="Password" value=password error=password_error kind="password" form autocomplete="current-password" />
                {form.show_passwords("Show password")}
                <label class="checkbox">
                    <input type="checkbox" id="remember" checked=remember.get_untracked() bind:checked=remember />
                    "Remember me"
                </label>
                <SubmitButton pending=form.pending label="Sign in" pending_label="Signing in…" />
                <p class="form-footer">"New here? " <A href=sign_up>"Create an account"</A></p>
            </form>
        </section>
    }
}

fn sign_in_message(error: &ApiError) -> String {
    match error.status() {
        Some(401) => "Invalid email or password.".into(),
        _ => error.field("email").unwrap_or_else(|| error.message()),
    }
}
