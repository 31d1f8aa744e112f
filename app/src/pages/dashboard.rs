use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;

use crate::{
    api::{self, Ignored, Method},
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
            {move || match tasks.get() {
                None => view! { <p class="muted" aria-live="polite">"Loading tasks…"</p> }.into_any(),
                Some(list) if list.is_empty() => {
                    view! { <p class="empty muted">"No tasks yet. Add your first one above."</p> }.into_any()
                }
                Some(_) => {
                    view! {
                        <ul class="task-list">
                            <For
                                each=move || tasks.get().unwrap_or_default()
                                key=|task| (task.id.clone(), task.updated_at.clone())
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
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(task.title.clone());
    let path = StoredValue::new(format!("/api/tasks/{}", task.id));
    let id = StoredValue::new(task.id.clone());
    let title = task.title.clone();

    let save_changes = move |changes: TaskChanges| {
        spawn_local(async move {
            let path = path.get_value();
            match api::call::<Task>(store, Method::Patch, &path, Some(&changes)).await {
                Ok(updated) => {
                    editing.set(false);
                    error.set(None);
                    replace(tasks, updated);
                }
                Err(failure) => error.set(Some(
                    failure.field("title").unwrap_or_else(|| failure.message()),
                )),
            }
        });
    };
    let toggle = move |event: leptos::ev::Event| {
        save_changes(TaskChanges {
            completed: Some(event_target_checked(&event)),
            title: None,
        });
    };
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save_changes(TaskChanges {
            title: Some(draft.get_untracked()),
            completed: None,
        });
    };
    let delete = move |_| {
        spawn_local(async move {
            match api::call::<Ignored>(store, Method::Delete, &path.get_value(), None::<&()>).await
            {
                Ok(_) => {
                    let id = id.get_value();
                    tasks.update(|list| {
                        list.iter_mut()
                            .for_each(|list| list.retain(|task| task.id != id))
                    });
                }
                Err(failure) => error.set(Some(failure.message())),
            }
        });
    };
    let checkbox_label = format!("Complete “{title}”");
    let edit_label = format!("Edit “{title}”");
    let delete_label = format!("Delete “{title}”");

    view! {
        <li class="task" class:done=task.completed data-testid="task">
            <input type="checkbox" prop:checked=task.completed on:change=toggle aria-label=checkbox_label />
            <Show
                when=move || editing.get()
                fallback=move || {
                    let title = title.clone();
                    view! {
                        <span class="task-title">{title}</span>
                        <button type="button" class="link-button" aria-label=edit_label.clone() on:click=move |_| editing.set(true)>
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
            <button type="button" class="danger" aria-label=delete_label on:click=delete>"Delete"</button>
        </li>
    }
}
