//! Conversions from database rows to the JSON types shared with the app.

use app::model::{SessionInfo, Task, User};
use chrono::{DateTime, SecondsFormat, Utc};

use crate::db::entity::{session, task, user};

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn user(user: &user::Model) -> User {
    User {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.clone(),
        email_verified: user.email_verified,
        created_at: timestamp(user.created_at),
        updated_at: timestamp(user.updated_at),
    }
}

pub fn session(session: &session::Model, current: bool) -> SessionInfo {
    SessionInfo {
        id: session.id.to_string(),
        created_at: timestamp(session.created_at),
        last_seen_at: timestamp(session.last_seen_at),
        expires_at: timestamp(session.expires_at),
        user_agent: session.user_agent.clone(),
        ip: session.ip.clone(),
        current,
    }
}

pub fn task(task: task::Model) -> Task {
    Task {
        id: task.id.to_string(),
        title: task.title,
        completed: task.completed,
        created_at: timestamp(task.created_at),
        updated_at: timestamp(task.updated_at),
    }
}
