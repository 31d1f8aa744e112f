use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

use crate::{
    api::{self, ApiError, Ignored, Method},
    components::{guard::Protected, submit_button::SubmitButton},
    model::{NewTask, Task, TaskChanges},
    token_store::TokenStore,
    validation::TaskTitle,
};

#[component]
pub fn Dashboard() -> impl IntoView {
    view! {
        <Title text="Dashboard" />
        <Protected>
            <DashboardContent />
        </Protected>
    }
}

#[component]
fn DashboardContent() -> impl IntoView {
    let store = TokenStore::get();
    // None while loading.
    let tasks = RwSignal::new(None::<Vec<Task>>);
    let error = RwSignal::new(None::<String>);
    // Whether the list is empty (None while loading): a change to the tasks themselves updates
    // their items in place instead of rebuilding the list.
    let empty = Memo::new(move |_| tasks.with(|list| list.as_ref().map(Vec::is_empty)));

    // Usually known already (from the sign-in, or asked by the store); this asks again after
    // a failed lookup.
    store.look_up_user();
    spawn_local(async move {
        match api::call::<Vec<Task>>(store, Method::Get, "/api/tasks", None::<&()>).await {
            Ok(list) => tasks.set(Some(list)),
            Err(failure) => error.set(Some(failure.message())),
        }
    });

    view! {
        <section class="card profile">
            {move || match (store.user(), store.user_failure()) {
                (None, None) => view! { <p class="muted">"Loading your profile…"</p> }.into_any(),
                (None, Some(message)) => view! { <p class="alert" role="alert">{message}</p> }.into_any(),
                (Some(user), _) => {
                    view! {
                        <h1 data-testid="profile-name">{user.name}</h1>
                        <p class="muted" data-testid="profile-email">{user.email}</p>
                    }
                        .into_any()
                }
            }}
        </section>
        <section class="card tasks" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">"Your tasks"</h2>
            <NewTaskForm tasks error />
            {move || error.get().map(|message| view! { <p class="alert" role="alert">{message}</p> })}
            {move || match empty.get() {
                None => view! { <p class="muted" aria-live="polite">"Loading tasks…"</p> }.into_any(),
                Some(true) => {
                    view! { <p class="empty muted">"No tasks yet. Add your first one above."</p> }.into_any()
                }
                Some(false) => {
                    view! {
                        <ul class="task-list">
                            <For
                                each=move || tasks.get().unwrap_or_default()
                                // By id alone: a change to a task updates its item in place, so
                                // a title being edited there stays open with what was typed.
                                key=|task| task.id.clone()
                                let:task
                            >
                                <TaskItem task tasks error />
                            </For>
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// Replaces the task with the same id in the list.
fn replace(tasks: RwSignal<Option<Vec<Task>>>, task: Task) {
    tasks.update(|list| {
        if let Some(slot) = list
            .iter_mut()
            .flatten()
            .find(|existing| existing.id == task.id)
        {
            *slot = task;
        }
    });
}

/// Takes the task with `id` out of the list.
fn remove(tasks: RwSignal<Option<Vec<Task>>>, id: &str) {
    tasks.update(|list| {
        list.iter_mut()
            .for_each(|list| list.retain(|task| task.id != id))
    });
}

#[component]
fn NewTaskForm(
    tasks: RwSignal<Option<Vec<Task>>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = TokenStore::get();
    let title = RwSignal::new(String::new());
    let invalid = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let raw = title.get_untracked();
        if let Err(problem) = TaskTitle::parse(&raw) {
            invalid.set(Some(problem.0.to_string()));
            return;
        }
        invalid.set(None);
        pending.set(true);
        spawn_local(async move {
            let new_task = NewTask { title: raw };
            let result =
                api::call::<Task>(store, Method::Post, "/api/tasks", Some(&new_task)).await;
            pending.set(false);
            match result {
                Ok(task) => {
                    tasks.update(|list| list.get_or_insert_with(Vec::new).push(task));
                    // Emptied only if it still holds what was sent: the next task, typed while
                    // this one was saving, stays.
                    if title.with_untracked(|now| *now == new_task.title) {
                        title.set(String::new());
                    }
                    error.set(None);
                }
                Err(failure) => invalid.set(Some(
                    failure.field("title").unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    view! {
        <form class="new-task" novalidate on:submit=submit>
            <div class="field">
                <label for="new-task">"New task"</label>
                <div class="inline">
                    <input
                        id="new-task"
                        type="text"
                        class="text"
                        bind:value=title
                        placeholder="What needs doing?"
                        aria-invalid=move || if invalid.with(Option::is_some) { "true" } else { "false" }
                        aria-describedby="new-task-error"
                    />
                    <SubmitButton pending label="Add" />
                </div>
                <p class="field-error" id="new-task-error" role="alert">{move || invalid.get()}</p>
            </div>
        </form>
    }
}

#[component]
fn TaskItem(
    task: Task,
    tasks: RwSignal<Option<Vec<Task>>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = TokenStore::get();
    let id = StoredValue::new(task.id.clone());
    let path = StoredValue::new(format!("/api/tasks/{}", task.id));
    // The task as the list now holds it; the one it was created with while it leaves the list.
    let task = Memo::new(move |_| {
        let id = id.get_value();
        tasks
            .with(|list| list.iter().flatten().find(|task| task.id == id).cloned())
            .unwrap_or_else(|| task.clone())
    });
    let title = move || task.with(|task| task.title.clone());
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let checkbox = NodeRef::<leptos::html::Input>::new();

    let send = move |changes: TaskChanges| async move {
        api::call::<Task>(store, Method::Patch, &path.get_value(), Some(&changes)).await
    };
    let failed = move |failure: ApiError| {
        if let ApiError::Server { status: 404, .. } = failure {
            // Deleted in another tab or on another device: it leaves this list too.
            let title = task.with_untracked(|task| task.title.clone());
            error.set(Some(format!("“{title}” was deleted elsewhere.")));
            remove(tasks, &id.get_value());
        } else {
            error.set(Some(
                failure.field("title").unwrap_or_else(|| failure.message()),
            ));
        }
    };
    let toggle = move |event: leptos::ev::Event| {
        let changes = TaskChanges {
            completed: Some(event_target_checked(&event)),
            title: None,
        };
        spawn_local(async move {
            match send(changes).await {
                Ok(updated) => {
                    error.set(None);
                    replace(tasks, updated);
                }
                Err(failure) => {
                    // The box shows what the server holds, not the change it refused.
                    if let Some(input) = checkbox.get_untracked() {
                        input.set_checked(task.with_untracked(|task| task.completed));
                    }
                    failed(failure);
                }
            }
        });
    };
    let edit = move |_| {
        draft.set(task.with_untracked(|task| task.title.clone()));
        editing.set(true);
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let sent = draft.get_untracked();
        let changes = TaskChanges {
            title: Some(sent.clone()),
            completed: None,
        };
        spawn_local(async move {
            match send(changes).await {
                Ok(updated) => {
                    // Closed only if it still holds what was sent: a title edited again while
                    // this one was saving stays open for the next Save.
                    if draft.with_untracked(|now| *now == sent) {
                        editing.set(false);
                    }
                    error.set(None);
                    replace(tasks, updated);
                }
                Err(failure) => failed(failure),
            }
        });
    };
    let delete = move |_| {
        spawn_local(async move {
            match api::call::<Ignored>(store, Method::Delete, &path.get_value(), None::<&()>).await
            {
                // Gone either way: deleted here, or already elsewhere.
                Ok(_) | Err(ApiError::Server { status: 404, .. }) => {
                    error.set(None);
                    remove(tasks, &id.get_value());
                }
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };
    let completed = move || task.with(|task| task.completed);

    view! {
        <li class="task" class:done=completed data-testid="task">
            <input
                type="checkbox"
                node_ref=checkbox
                prop:checked=completed
                on:change=toggle
                aria-label=move || format!("Complete “{}”", title())
            />
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <span class="task-title">{title}</span>
                        <button type="button" class="link-button" aria-label=move || format!("Edit “{}”", title()) on:click=edit>
                            "Edit"
                        </button>
                    }
                }
            >
                <form class="task-edit" on:submit=save>
                    <input type="text" class="text" bind:value=draft aria-label="Task title" />
                    <button type="submit">"Save"</button>
                    <button type="button" class="link-button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </form>
            </Show>
            <button type="button" class="danger" aria-label=move || format!("Delete “{}”", title()) on:click=delete>"Delete"</button>
        </li>
    }
}
