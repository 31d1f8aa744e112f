use futures::future::join_all;
use reqwest::StatusCode;
use sea_orm::TransactionTrait;
use serde_json::{Value, json};
use server::{db::tasks, routes::tasks::MAX_TASKS};

use crate::helpers::{Person, TestApp, answer};

async fn add(app: &TestApp, token: &str, title: &str) -> Value {
    let (status, body) = answer(
        app.post_with("/api/tasks", token, &json!({"title": title}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

#[tokio::test]
async fn a_user_adds_lists_completes_renames_and_deletes_tasks() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let (status, body) = answer(app.get_with("/api/tasks", &ada.token).await).await;
    assert_eq!((status, body), (StatusCode::OK, json!([])));

    let first = add(&app, &ada.token, "  Write the report ").await;
    assert_eq!(first["title"], "Write the report");
    assert_eq!(first["completed"], false);
    add(&app, &ada.token, "Post the letter").await;

    let (_, list) = answer(app.get_with("/api/tasks", &ada.token).await).await;
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Write the report", "Post the letter"]);

    let path = format!("/api/tasks/{}", first["id"].as_str().unwrap());
    let patched = app
        .patch_with(&path, &ada.token, &json!({"completed": true}))
        .await;
    let (status, task) = answer(patched).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (task["completed"].clone(), task["title"].clone()),
        (json!(true), json!("Write the report"))
    );

    let renamed = app
        .patch_with(&path, &ada.token, &json!({"title": "Send the report"}))
        .await;
    assert_eq!(answer(renamed).await.1["title"], "Send the report");
    let (status, shown) = answer(app.get_with(&path, &ada.token).await).await;
    assert_eq!(
        (status, shown["title"].clone(), shown["completed"].clone()),
        (StatusCode::OK, json!("Send the report"), json!(true))
    );

    let deleted = app.delete_with(&path, &ada.token).await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_with(&path, &ada.token).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_change_that_changes_nothing_leaves_the_task_as_it_was() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let task = add(&app, &ada.token, "Post the letter").await;
    let path = format!("/api/tasks/{}", task["id"].as_str().unwrap());
    for changes in [
        json!({}),
        json!({"completed": false}),
        json!({"title": "Post the letter"}),
    ] {
        let (status, body) = answer(app.patch_with(&path, &ada.token, &changes).await).await;
        assert_eq!((status, &body), (StatusCode::OK, &task), "{changes}");
    }
}

#[tokio::test]
async fn a_field_a_task_does_not_have_is_refused_not_ignored() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let task = add(&app, &ada.token, "Post the letter").await;
    let path = format!("/api/tasks/{}", task["id"].as_str().unwrap());
    let (status, body) = answer(
        app.patch_with(&path, &ada.token, &json!({"done": true, "title": "Posted"}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"],
        json!({"done": "done cannot be set here (expected title or completed)"})
    );
    // Nor is a null read as "no change": neither can be cleared.
    for changes in [json!({"title": null}), json!({"completed": null})] {
        let (status, _) = answer(app.patch_with(&path, &ada.token, &changes).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{changes}");
    }
    let (_, shown) = answer(app.get_with(&path, &ada.token).await).await;
    assert_eq!(shown, task);

    // Nor does a new task take one: it starts not completed.
    let done = json!({"title": "Posted already", "completed": true});
    let (status, body) = answer(app.post_with("/api/tasks", &ada.token, &done).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["error"]["fields"],
        json!({"completed": "completed cannot be set here (expected title)"})
    );
    let (_, list) = answer(app.get_with("/api/tasks", &ada.token).await).await;
    assert_eq!(list, json!([task]));
}

#[tokio::test]
async fn a_title_must_be_1_to_500_characters() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    for title in ["   ".to_string(), "x".repeat(501)] {
        let (status, body) = answer(
            app.post_with("/api/tasks", &ada.token, &json!({"title": title}))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["title"].is_string());
    }
    add(&app, &ada.token, &"x".repeat(500)).await;
}

#[tokio::test]
async fn another_users_task_is_404_on_every_route() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    let bob = app.person_in(&app.another_browser(), "Bob").await;
    let task = add(&app, &ada.token, "Ada's secret plan").await;
    let path = format!("/api/tasks/{}", task["id"].as_str().unwrap());

    assert_eq!(
        app.get_with(&path, &bob.token).await.status(),
        StatusCode::NOT_FOUND
    );
    let patch = app
        .patch_with(&path, &bob.token, &json!({"completed": true}))
        .await;
    assert_eq!(patch.status(), StatusCode::NOT_FOUND);
    let delete = app.delete_with(&path, &bob.token).await;
    assert_eq!(delete.status(), StatusCode::NOT_FOUND);
    let (_, bobs) = answer(app.get_with("/api/tasks", &bob.token).await).await;
    assert_eq!(bobs, json!([]));

    let (_, still) = answer(app.get_with(&path, &ada.token).await).await;
    assert_eq!(still, task, "untouched");
}

#[tokio::test]
async fn tasks_need_a_token() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/api/tasks").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let response = app
        .client
        .post(app.url("/api/tasks"))
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_malformed_task_id_is_404() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    assert_eq!(
        app.get_with("/api/tasks/not-a-uuid", &ada.token)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// Stores `how_many` tasks for `person` straight into the database, faster than the API would.
async fn give_tasks(app: &TestApp, person: &Person, how_many: u64) {
    let user_id = person.user["id"].as_str().unwrap().parse().unwrap();
    let txn = app.db.begin().await.unwrap();
    for n in 1..=how_many {
        tasks::insert(&txn, user_id, format!("Task {n}"))
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
}

#[tokio::test]
async fn an_account_keeps_at_most_a_thousand_tasks() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    give_tasks(&app, &ada, MAX_TASKS - 1).await;
    let last = add(&app, &ada.token, "The last one that fits").await;

    let over = json!({"title": "One too many"});
    let (status, body) = answer(app.post_with("/api/tasks", &ada.token, &over).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(
        body["error"]["message"],
        "You have 1,000 tasks, as many as an account keeps. Delete one to add another."
    );
    let (_, list) = answer(app.get_with("/api/tasks", &ada.token).await).await;
    assert_eq!(list.as_array().unwrap().len(), 1_000);

    // Making room is all it takes.
    let path = format!("/api/tasks/{}", last["id"].as_str().unwrap());
    assert_eq!(
        app.delete_with(&path, &ada.token).await.status(),
        StatusCode::NO_CONTENT
    );
    add(&app, &ada.token, "One too many, now that there is room").await;
}

#[tokio::test]
async fn adds_arriving_together_stop_exactly_at_the_bound() {
    let app = TestApp::spawn().await;
    let ada = app.person("Ada").await;
    give_tasks(&app, &ada, MAX_TASKS - 3).await;

    let body = json!({"title": "Added at the same moment"});
    let adds = (0..12).map(|_| app.post_with("/api/tasks", &ada.token, &body));
    let mut statuses: Vec<StatusCode> = join_all(adds)
        .await
        .iter()
        .map(|response| response.status())
        .collect();
    statuses.sort();

    let mut expected = vec![StatusCode::CREATED; 3];
    expected.extend([StatusCode::CONFLICT; 9]);
    assert_eq!(statuses, expected);
    let (_, list) = answer(app.get_with("/api/tasks", &ada.token).await).await;
    assert_eq!(list.as_array().unwrap().len() as u64, MAX_TASKS);
}
