use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use uuid::Uuid;

use super::{
    FetchUnique,
    entity::{
        task::{self, Entity as Tasks, Model as Task},
        user::Entity as Users,
    },
};

/// Every query is scoped by `user_id`: another user's task simply does not exist.
pub async fn list(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Task>, DbErr> {
    in_list_order(user_id).all(db).await
}

/// Oldest first; the index `tasks_user_id_created_at_id` holds the rows in this order.
fn in_list_order(user_id: Uuid) -> Select<Tasks> {
    Tasks::find()
        .filter(task::Column::UserId.eq(user_id))
        .order_by_asc(task::Column::CreatedAt)
        .order_by_asc(task::Column::Id)
}

async fn count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    Tasks::find()
        .filter(task::Column::UserId.eq(user_id))
        .count(db)
        .await
}

pub async fn find(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<Task>, DbErr> {
    Tasks::find_by_id(id)
        .filter(task::Column::UserId.eq(user_id))
        .unique(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    title: String,
) -> Result<Task, DbErr> {
    let now = Utc::now();
    task::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        title: Set(title),
        completed: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Adds a task unless the user already has `max`: `None` then. The count and the insert are one
/// transaction that first takes a lock the user's other adds must wait for (the user's row on
/// PostgreSQL; on SQLite, `IMMEDIATE` takes the database's one write lock at `BEGIN`), so adds
/// arriving together cannot all read a count below `max` and overshoot it.
pub async fn insert_within(
    db: &DatabaseConnection,
    user_id: Uuid,
    title: String,
    max: u64,
) -> Result<Option<Task>, DbErr> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await?;
    Users::find_by_id(user_id)
        .lock_exclusive()
        .unique(&txn)
        .await?;
    if count(&txn, user_id).await? >= max {
        return Ok(None);
    }
    let task = insert(&txn, user_id, title).await?;
    txn.commit().await?;
    Ok(Some(task))
}

/// Applies the changes given; `None` when the task is not the user's.
pub async fn update(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
    title: Option<String>,
    completed: Option<bool>,
) -> Result<Option<Task>, DbErr> {
    let Some(existing) = find(db, user_id, id).await? else {
        return Ok(None);
    };
    let mut active: task::ActiveModel = existing.clone().into();
    if let Some(title) = title {
        active.title.set_ne(title);
    }
    if let Some(completed) = completed {
        active.completed.set_ne(completed);
    }
    // A change to what the task already is changes nothing, `updated_at` included.
    if !active.is_changed() {
        return Ok(Some(existing));
    }
    active.updated_at = Set(Utc::now());
    active.update(db).await.map(Some)
}

pub async fn delete(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    let result = Tasks::delete_many()
        .filter(task::Column::Id.eq(id))
        .filter(task::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use sea_orm::{ConnectionTrait, DatabaseBackend, QueryTrait};

    use super::*;

    #[tokio::test]
    async fn the_list_walks_its_index_in_order_instead_of_sorting() {
        let (url, _dir) = crate::db::tests::scratch_sqlite();
        let migrating = crate::db::connect(&url).await.unwrap();
        crate::db::migrate(&migrating).await.unwrap();
        migrating.close().await.unwrap();
        // A new pool: SQLite explains with the schema a connection last read, and only a real
        // query notices that a migration changed it.
        let db = crate::db::connect(&url).await.unwrap();

        let mut query = in_list_order(Uuid::now_v7()).build(DatabaseBackend::Sqlite);
        query.sql = format!("EXPLAIN QUERY PLAN {}", query.sql);
        let plan = db
            .query_all_raw(query)
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<String>("", "detail").unwrap())
            .collect::<Vec<_>>()
            .join("; ");

        assert!(
            plan.contains("USING INDEX tasks_user_id_created_at_id"),
            "{plan}"
        );
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
