use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
};
use uuid::Uuid;

use super::{
    FetchUnique,
    entity::user::{self, Entity as Users, Model as User},
};

#[derive(Debug, thiserror::Error)]
pub enum InsertUserError {
    #[error("the email is already registered")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Creates a user; the unique index on `email` decides races between simultaneous sign-ups.
pub async fn insert(
    db: &impl ConnectionTrait,
    name: &str,
    email: &str,
    password_hash: &str,
) -> Result<User, InsertUserError> {
    let now = Utc::now();
    let user = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.to_string()),
        email: Set(email.to_string()),
        email_verified: Set(false),
        password_hash: Set(password_hash.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    user.insert(db)
        .await
        .map_err(|error| match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => InsertUserError::EmailTaken,
            _ => InsertUserError::Db(error),
        })
}

pub async fn find_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<User>, DbErr> {
    Users::find()
        .filter(user::Column::Email.eq(email))
        .unique(db)
        .await
}

pub async fn find_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    Users::find_by_id(id).unique(db).await
}

/// Renames the user; returns the row as it now is.
pub async fn set_name(db: &impl ConnectionTrait, id: Uuid, name: &str) -> Result<User, DbErr> {
    let user = user::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    user.update(db).await
}

pub async fn set_password_hash(
    db: &impl ConnectionTrait,
    id: Uuid,
    password_hash: &str,
) -> Result<(), DbErr> {
    let user = user::ActiveModel {
        id: Set(id),
        password_hash: Set(password_hash.to_string()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    user.update(db).await.map(|_| ())
}

/// Deletes the user; their sessions and tasks go with them (`ON DELETE CASCADE`).
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(Users::delete_by_id(id).exec(db).await?.rows_affected == 1)
}
