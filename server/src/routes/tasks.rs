//! The signed-in user's tasks. Every query is scoped to that user, so another user's task is
//! indistinguishable from one that does not exist: 404.

use std::collections::BTreeMap;

use app::{
    model::{ErrorBody, NewTask, Task, TaskChanges},
    validation::TaskTitle,
};
use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::get,
};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::{
    auth::extractor::AuthUser,
    db::tasks,
    error::{AppError, Result},
    extract,
    routes::dto,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tasks", get(list).post(create))
        .route("/api/tasks/{id}", get(show).patch(update).delete(remove))
}

/// Plenty for a to-do list, and a bound on what one account stores and `GET /api/tasks` sends.
pub const MAX_TASKS: u64 = 1_000;

/// The 409's message spells the limit out for people, so the build stops if the two part ways.
const FULL: &str = "You have 1,000 tasks, as many as an account keeps. Delete one to add another.";
const _: () = assert!(MAX_TASKS == 1_000, "FULL names the limit: change both");

fn task_id(raw: &str) -> Result<Uuid> {
    // A malformed id names no task: the same 404 as a missing one.
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

fn title(raw: &str) -> Result<String> {
    TaskTitle::parse(raw)
        .map(TaskTitle::into_inner)
        .map_err(|invalid| AppError::invalid_field("title", invalid.0))
}

/// The user's tasks, oldest first.
#[utoipa::path(get, path = "/api/tasks", tag = "tasks", security(("bearer" = [])),
    responses((status = 200, body = Vec<Task>), (status = 401, body = ErrorBody)))]
pub async fn list(auth: AuthUser, State(db): State<DatabaseConnection>) -> Result<Json<Vec<Task>>> {
    let tasks = tasks::list(&db, auth.user.id).await?;
    Ok(Json(tasks.into_iter().map(dto::task).collect()))
}

/// Adds a task, not yet completed; a 409 once the account has `MAX_TASKS`.
#[utoipa::path(post, path = "/api/tasks", tag = "tasks", security(("bearer" = [])), request_body = NewTask,
    responses((status = 201, body = Task), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    auth: AuthUser,
    State(db): State<DatabaseConnection>,
    extract::Json(new): extract::Json<NewTask>,
) -> Result<(StatusCode, Json<Task>)> {
    let title = title(&new.title)?;
    let task = tasks::insert_within(&db, auth.user.id, title, MAX_TASKS)
        .await?
        .ok_or(AppError::Conflict {
            message: FULL,
            fields: BTreeMap::new(),
        })?;
    Ok((StatusCode::CREATED, Json(dto::task(task))))
}

#[utoipa::path(get, path = "/api/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 200, body = Task), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    auth: AuthUser,
    State(db): State<DatabaseConnection>,
    Path(id): Path<String>,
) -> Result<Json<Task>> {
    let task = tasks::find(&db, auth.user.id, task_id(&id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(dto::task(task)))
}

/// Changes the title and/or the completed flag.
#[utoipa::path(patch, path = "/api/tasks/{id}", tag = "tasks", security(("bearer" = [])), request_body = TaskChanges,
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 200, body = Task), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    auth: AuthUser,
    State(db): State<DatabaseConnection>,
    Path(id): Path<String>,
    extract::Json(changes): extract::Json<TaskChanges>,
) -> Result<Json<Task>> {
    let id = task_id(&id)?;
    let new_title = changes.title.as_deref().map(title).transpose()?;
    let task = tasks::update(&db, auth.user.id, id, new_title, changes.completed)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(dto::task(task)))
}

#[utoipa::path(delete, path = "/api/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = String, Path, description = "The task's id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    auth: AuthUser,
    State(db): State<DatabaseConnection>,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    if tasks::delete(&db, auth.user.id, task_id(&id)?).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}
