use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::{
    api::{self, ApiError, Ignored, Method},
    browser::local_time,
    components::{
        field::Field,
        form::FormState,
        guard::{Protected, replacing_history},
        submit_button::SubmitButton,
    },
    model::{
        ChangePasswordRequest, DeleteUserRequest, ProfileChanges, RevokeSessionRequest,
        SessionInfo, User,
    },
    token_store::{Ending, TokenStore},
    user_agent,
    validation::{DisplayName, NEW_PASSWORD_HINT, Password},
};

#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <Title text="Settings" />
        <Protected>
            <SettingsContent />
        </Protected>
    }
}

#[component]
fn SettingsContent() -> impl IntoView {
    // A password change can sign the other devices out; the list then shows it.
    let sessions_changed = Trigger::new();
    view! {
        <h1>"Settings"</h1>
        <Profile />
        <Sessions changed=sessions_changed />
        <ChangePassword sessions_changed />
        <DeleteAccount />
    }
}

/// The name the app greets the person by.
#[component]
fn Profile() -> impl IntoView {
    let store = TokenStore::get();
    let name = RwSignal::new(String::new());
    // The name last shown: the field follows the person's name (known once `GET /api/me` has
    // answered after a reload, or saved in another tab) unless it is being edited here.
    let shown = StoredValue::new(String::new());
    let show = move |user_name: String| {
        shown.set_value(user_name.clone());
        name.set(user_name);
    };
    Effect::new(move |_| {
        if let Some(user) = store.user()
            && name.with_untracked(|value| *value == shown.get_value())
        {
            show(user.name);
        }
    });
    let form = FormState::new();
    let saved = RwSignal::new(false);

    let error = Signal::derive(move || {
        if !form.submitted.get() {
            return None;
        }
        let value = name.get();
        match DisplayName::parse(&value) {
            Err(invalid) => Some(invalid.0.to_string()),
            Ok(_) => form.server_error("name", &value),
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        saved.set(false);
        if !form.begin_submit(&event, || error.get_untracked().is_some()) {
            return;
        }
        let changes = ProfileChanges {
            name: Some(name.get_untracked()),
        };
        spawn_local(async move {
            let result = api::call::<User>(store, Method::Patch, "/api/me", Some(&changes)).await;
            form.pending.set(false);
            match result {
                Ok(user) => {
                    form.submitted.set(false);
                    // The name as saved (trimmed), unless the person has gone on editing it.
                    if name.with_untracked(|now| changes.name.as_ref() == Some(now)) {
                        show(user.name.clone());
                    }
                    store.profile_changed(user);
                    saved.set(true);
                }
                Err(error) => {
                    form.refused(&error, &[("name", changes.name.unwrap_or_default())]);
                }
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Profile"</h2>
            <form class="form" method="post" novalidate on:submit=submit>
                {move || saved.get().then(|| view! { <p class="notice" role="status">"Name saved."</p> })}
                {form.message()}
                <Field id="profile-name" label="Name" value=name error autocomplete="name" />
                <SubmitButton pending=form.pending label="Save name" pending_label="Saving…" />
            </form>
        </section>
    }
}

/// The devices signed in to this account, each of which can be signed out.
#[component]
fn Sessions(
    /// Notified when the sessions changed elsewhere on the page.
    changed: Trigger,
) -> impl IntoView {
    let store = TokenStore::get();
    let navigate = use_navigate();
    let sessions = RwSignal::new(None::<Vec<SessionInfo>>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match api::call::<Vec<SessionInfo>>(
                store,
                Method::Get,
                "/api/auth/list-sessions",
                None::<&()>,
            )
            .await
            {
                Ok(list) => {
                    error.set(None);
                    sessions.set(Some(list));
                }
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };
    Effect::new(move |_| {
        changed.track();
        load();
    });

    // Signs out one session (`Some`) or every other one (`None`), then shows the list as it is now.
    let sign_out = move |session: Option<SessionInfo>| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let (path, request) = match &session {
                Some(session) => (
                    "/api/auth/revoke-session",
                    Some(RevokeSessionRequest {
                        id: session.id.clone(),
                    }),
                ),
                None => ("/api/auth/revoke-other-sessions", None),
            };
            match api::call::<Ignored>(store, Method::Post, path, request.as_ref()).await {
                // Signing out this very device is a sign-out.
                Ok(_) if session.is_some_and(|session| session.current) => {
                    store.end(Ending::SignedOut);
                    navigate("/signin", NavigateOptions::default());
                }
                // Gone either way: signed out here, or already elsewhere.
                Ok(_) | Err(ApiError::Server { status: 404, .. }) => load(),
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };
    let sign_out_others = {
        let sign_out = sign_out.clone();
        move |_| sign_out(None)
    };

    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <div class="section-head">
                <h2 id="sessions-heading">"Where you're signed in"</h2>
                // Only when there is somewhere else: a button that does nothing confuses.
                {move || {
                    sessions
                        .with(|list| list.as_ref().is_some_and(|list| list.len() > 1))
                        .then(|| view! { <button type="button" on:click=sign_out_others.clone()>"Sign out everywhere else"</button> })
                }}
            </div>
            {move || error.get().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
            {move || match sessions.get() {
                None => view! { <p class="muted">"Loading sessions…"</p> }.into_any(),
                Some(list) => {
                    let sign_out = sign_out.clone();
                    view! {
                        <ul class="session-list">
                            {list
                                .into_iter()
                                .map(|session| {
                                    let sign_out = sign_out.clone();
                                    let device = user_agent::describe(session.user_agent.as_deref());
                                    let target = session.clone();
                                    view! {
                                        <li class="session" data-testid="session">
                                            <div>
                                                <strong>{device}</strong>
                                                {session.current.then(|| view! { <span class="badge">"This device"</span> })}
                                                <p class="muted small">
                                                    "Signed in " {local_time(&session.created_at)} " · last seen "
                                                    {local_time(&session.last_seen_at)}
                                                </p>
                                            </div>
                                            <button type="button" on:click=move |_| sign_out(Some(target.clone()))>"Sign out"</button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ChangePassword(sessions_changed: Trigger) -> impl IntoView {
    let store = TokenStore::get();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    // On by default: a password is mostly changed because another may know it.
    let sign_out_others = RwSignal::new(true);
    let form = FormState::new();
    // What the last change did, once it succeeded.
    let done = RwSignal::new(None::<&'static str>);

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            if !form.submitted.get() {
                return None;
            }
            let (value, local) = match field {
                "currentPassword" => {
                    let value = current.get();
                    let local = value
                        .is_empty()
                        .then(|| "Enter your current password.".to_string());
                    (value, local)
                }
                "newPassword" => {
                    let value = new.get();
                    let local = Password::parse_replacing(&value, &current.get())
                        .err()
                        .map(|invalid| invalid.0.to_string());
                    (value, local)
                }
                _ => {
                    let value = confirm.get();
                    let local = (value != new.get()).then(|| "Passwords do not match.".to_string());
                    (value, local)
                }
            };
            local.or_else(|| form.server_error(field, &value))
        })
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        done.set(None);
        let has_errors = || {
            ["currentPassword", "newPassword", "confirm"]
                .iter()
                .any(|field| error_for(field).get_untracked().is_some())
        };
        if !form.begin_submit(&event, has_errors) {
            return;
        }
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
            revoke_other_sessions: Some(sign_out_others.get_untracked()),
        };
        spawn_local(async move {
            let result = api::call::<Ignored>(
                store,
                Method::Post,
                "/api/auth/change-password",
                Some(&request),
            )
            .await;
            form.pending.set(false);
            match result {
                Ok(_) => {
                    form.submitted.set(false);
                    for field in [current, new, confirm] {
                        field.set(String::new());
                    }
                    if request.revoke_other_sessions == Some(true) {
                        done.set(Some("Password changed. Your other devices are signed out."));
                        sessions_changed.notify();
                    } else {
                        done.set(Some("Password changed."));
                    }
                }
                Err(error) => {
                    let sent = [
                        ("currentPassword", request.current_password),
                        ("newPassword", request.new_password),
                    ];
                    form.refused(&error, &sent);
                }
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change password"</h2>
            <form class="form" method="post" novalidate on:submit=submit>
                {move || done.get().map(|notice| view! { <p class="notice" role="status">{notice}</p> })}
                {form.message()}
                <Field id="current-password" label="Current password" value=current error=error_for("currentPassword") kind="password" form autocomplete="current-password" />
                <Field id="new-password" label="New password" value=new error=error_for("newPassword") kind="password" form autocomplete="new-password" hint=NEW_PASSWORD_HINT />
                <Field id="confirm-new-password" label="Confirm new password" value=confirm error=error_for("confirm") kind="password" form autocomplete="new-password" />
                {form.show_passwords("Show passwords")}
                <label class="checkbox">
                    <input type="checkbox" id="sign-out-others" checked=sign_out_others.get_untracked() bind:checked=sign_out_others />
                    "Sign out my other devices"
                </label>
                <SubmitButton pending=form.pending label="Change password" pending_label="Changing password…" />
            </form>
        </section>
    }
}

/// Deleting the account for good, after the password once more: a token left in an unattended
/// browser must not be enough.
#[component]
fn DeleteAccount() -> impl IntoView {
    let store = TokenStore::get();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let form = FormState::new();

    let error = Signal::derive(move || {
        if !form.submitted.get() {
            return None;
        }
        let value = password.get();
        if value.is_empty() {
            Some("Enter your password to confirm.".to_string())
        } else {
            form.server_error("password", &value)
        }
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        if !form.begin_submit(&event, || error.get_untracked().is_some()) {
            return;
        }
        let request = DeleteUserRequest {
            password: password.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result =
                api::call::<Ignored>(store, Method::Post, "/api/auth/delete-user", Some(&request))
                    .await;
            form.pending.set(false);
            match result {
                Ok(_) => {
                    store.end(Ending::SignedOut);
                    // Back would only lead to a page that now asks for a sign-in.
                    navigate("/?deleted=1", replacing_history());
                }
                Err(error) => form.refused(&error, &[("password", request.password)]),
            }
        });
    };

    view! {
        <section class="card delete-account" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Delete account"</h2>
            <p class="muted">
                "Deletes your account and your tasks, and signs out every device. This cannot be undone."
            </p>
            <form class="form" method="post" novalidate on:submit=submit>
                {form.message()}
                <Field id="delete-password" label="Your password" value=password error kind="password" form autocomplete="current-password" />
                {form.show_passwords("Show password")}
                <SubmitButton pending=form.pending label="Delete my account" pending_label="Deleting account…" />
            </form>
        </section>
    }
}
