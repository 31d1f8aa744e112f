use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::{NavigateOptions, components::A, hooks::use_navigate};

use crate::{
    api::{self, Method},
    browser::encode_component,
    components::{
        field::Field,
        form::FormState,
        guard::{redirect_signed_in, use_next, with_next},
        submit_button::SubmitButton,
    },
    model::{SignUpRequest, UserResponse},
    validation::{DisplayName, Email, NEW_PASSWORD_HINT, Password},
};

#[component]
pub fn SignUp() -> impl IntoView {
    let next = use_next();
    redirect_signed_in(next.clone());
    let navigate = use_navigate();
    let sign_in = with_next("/signin", next.as_deref());

    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let form = FormState::new();

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            if !form.submitted.get() {
                return None;
            }
            let value = match field {
                "name" => name.get(),
                "email" => email.get(),
                "password" => password.get(),
                _ => confirm.get(),
            };
            let local = match field {
                "name" => DisplayName::parse(&value)
                    .err()
                    .map(|invalid| invalid.0.to_string()),
                "email" => Email::parse(&value)
                    .err()
                    .map(|invalid| invalid.0.to_string()),
                "password" => Password::parse_new(&value)
                    .err()
                    .map(|invalid| invalid.0.to_string()),
                _ => (value != password.get()).then(|| "Passwords do not match.".to_string()),
            };
            local.or_else(|| form.server_error(field, &value))
        })
    };
    let has_errors = move || {
        ["name", "email", "password", "confirm"]
            .iter()
            .any(|field| error_for(field).get().is_some())
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        if !form.begin_submit(&event, has_errors) {
            return;
        }
        let request = SignUpRequest {
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        let next = next.clone();
        spawn_local(async move {
            let result =
                api::call_public::<UserResponse>(Method::Post, "/api/auth/sign-up/email", &request)
                    .await;
            form.pending.set(false);
            match result {
                Ok(created) => {
                    let target = with_next(
                        &format!(
                            "/signin?created=1&email={}",
                            encode_component(&created.user.email)
                        ),
                        next.as_deref(),
                    );
                    navigate(&target, NavigateOptions::default());
                }
                Err(error) => {
                    let sent = [
                        ("name", request.name),
                        ("email", request.email),
                        ("password", request.password),
                    ];
                    form.refused(&error, &sent);
                }
            }
        });
    };

    view! {
        <Title text="Create your account" />
        <section class="narrow">
            <h1>"Create your account"</h1>
            <p class="muted">"It takes a few seconds. You will sign in right after."</p>
            <form class="form card" method="post" novalidate on:submit=submit>
                {form.message()}
                <Field id="name" label="Name" value=name error=error_for("name") autocomplete="name" />
                <Field id="email" label="Email" value=email error=error_for("email") kind="email" autocomplete="email" />
                <Field id="password" label="Password" value=password error=error_for("password") kind="password" form autocomplete="new-password" hint=NEW_PASSWORD_HINT />
                <Field id="confirm" label="Confirm password" value=confirm error=error_for("confirm") kind="password" form autocomplete="new-password" />
                {form.show_passwords("Show passwords")}
                <SubmitButton pending=form.pending label="Create account" pending_label="Creating account…" />
                <p class="form-footer">"Already have an account? " <A href=sign_in>"Sign in"</A></p>
            </form>
        </section>
    }
}
