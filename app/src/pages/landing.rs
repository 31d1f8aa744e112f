use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What Gatehouse is, for someone who just arrived.
#[component]
pub fn Landing() -> impl IntoView {
    // Where deleting an account ends.
    let deleted = use_query_map()
        .with_untracked(|query| query.get("deleted"))
        .is_some_and(|value| value == "1");
    view! {
        <Title text="" />
        {deleted.then(|| view! { <p class="notice" role="status">"Your account and its tasks are deleted."</p> })}
        <section class="hero">
            <h1>"Accounts that just work."</h1>
            <p class="lead">
                "Gatehouse gives people real accounts: sign up, sign in, stay signed in across "
                "browser restarts, and come back to where they were when a session ends."
            </p>
        </section>
        <section class="features" aria-label="What you get">
            <article class="card">
                <h2>"Sessions you control"</h2>
                <p>"See every device that is signed in and sign any of them out at once."</p>
            </article>
            <article class="card">
                <h2>"Safe by default"</h2>
                <p>
                    "Argon2id passwords, short-lived Ed25519 access tokens, revocable sessions, "
                    "rate limits and a strict Content-Security-Policy."
                </p>
            </article>
            <article class="card">
                <h2>"One codebase"</h2>
                <p>
                    "A Leptos app compiled to WebAssembly and an axum server share their types, "
                    "on SQLite or PostgreSQL."
                </p>
            </article>
        </section>
    }
}
