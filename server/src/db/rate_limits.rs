//! Fixed-window counters in the database, so every replica sees the same counts.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Statement, Value};

use super::{FetchUnique, entity::rate_limit::Entity as RateLimits};

/// Counts one hit on `bucket` in the window of `window_secs` containing `now` (Unix seconds),
/// atomically; returns the hits so far in this window, this one included.
pub async fn hit(db: &impl ConnectionTrait, bucket: &str, window_start: i64) -> Result<i64, DbErr> {
    // `$n` placeholders are understood by both PostgreSQL and SQLite.
    let sql = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
               ON CONFLICT (bucket) DO UPDATE SET \
                 hits = CASE WHEN rate_limits.window_start = excluded.window_start \
                             THEN rate_limits.hits + 1 ELSE 1 END, \
                 window_start = excluded.window_start \
               RETURNING hits";
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [Value::from(bucket), Value::from(window_start)],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("rate limit upsert returned no row".into()))?;
    let hits: i32 = row.try_get("", "hits")?;
    Ok(i64::from(hits))
}

/// The hits on `bucket` in the window starting at `window_start`, without counting one.
pub async fn hits(
    db: &impl ConnectionTrait,
    bucket: &str,
    window_start: i64,
) -> Result<i64, DbErr> {
    Ok(RateLimits::find_by_id(bucket.to_string())
        .unique(db)
        .await?
        .filter(|counter| counter.window_start == window_start)
        .map_or(0, |counter| i64::from(counter.hits)))
}

/// Forgets the count on `bucket`.
pub async fn forget(db: &impl ConnectionTrait, bucket: &str) -> Result<(), DbErr> {
    RateLimits::delete_by_id(bucket.to_string())
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets windows that ended before `before` (Unix seconds).
pub async fn delete_stale(db: &impl ConnectionTrait, before: i64) -> Result<u64, DbErr> {
    use super::entity::rate_limit::Column;
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(RateLimits::delete_many()
        .filter(Column::WindowStart.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
