use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Any path the router does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    // Tell the server to answer 404, not 200, for this page.
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="Not found" />
        <section class="narrow">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <A href="/">"Go to the home page"</A>
        </section>
    }
}
