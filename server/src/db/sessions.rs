use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::Expr,
};
use uuid::Uuid;

use super::{
    FetchUnique,
    entity::{
        session::{self, Entity as Sessions, Model as Session},
        user::Model as User,
    },
};

pub struct NewSession<'a> {
    pub user_id: Uuid,
    pub token_hash: &'a str,
    pub persistent: bool,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewSession<'_>) -> Result<Session, DbErr> {
    let now = Utc::now();
    session::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(new.user_id),
        token_hash: Set(new.token_hash.to_string()),
        persistent: Set(new.persistent),
        created_at: Set(now),
        expires_at: Set(new.expires_at),
        last_seen_at: Set(now),
        user_agent: Set(new.user_agent),
        ip: Set(new.ip),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
}

/// Sessions that are neither revoked nor expired.
fn live(now: DateTime<Utc>) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(session::Column::RevokedAt.is_null())
        .add(session::Column::ExpiresAt.gt(now))
}

/// The live session whose cookie token hashes to `token_hash`, with its user.
pub async fn find_live_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<(Session, User)>, DbErr> {
    find_live_where(
        db,
        sea_orm::Condition::all().add(session::Column::TokenHash.eq(token_hash)),
    )
    .await
}

/// The live session `id` belonging to `user_id`, with its user: one query per request.
pub async fn find_live(
    db: &impl ConnectionTrait,
    id: Uuid,
    user_id: Uuid,
) -> Result<Option<(Session, User)>, DbErr> {
    let which = sea_orm::Condition::all()
        .add(session::Column::Id.eq(id))
        .add(session::Column::UserId.eq(user_id));
    find_live_where(db, which).await
}

async fn find_live_where(
    db: &impl ConnectionTrait,
    which: sea_orm::Condition,
) -> Result<Option<(Session, User)>, DbErr> {
    let found = Sessions::find()
        .filter(which)
        .filter(live(Utc::now()))
        .find_also_related(super::entity::user::Entity)
        .unique(db)
        .await?;
    Ok(found.and_then(|(session, user)| Some((session, user?))))
}

/// Records use of the session and slides its expiry.
pub async fn touch(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    Sessions::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
        .filter(session::Column::Id.eq(id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

/// The user's live sessions, newest first.
pub async fn list_live(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Session>, DbErr> {
    Sessions::find()
        .filter(session::Column::UserId.eq(user_id))
        .filter(live(Utc::now()))
        .order_by_desc(session::Column::CreatedAt)
        .all(db)
        .await
}

/// Which of a user's sessions to revoke.
pub enum Revoke {
    One(Uuid),
    AllExcept(Uuid),
    All,
}

/// Revokes sessions of `user_id` only (another user's session id matches nothing); returns
/// how many were revoked.
pub async fn revoke(db: &impl ConnectionTrait, user_id: Uuid, which: Revoke) -> Result<u64, DbErr> {
    let mut update = Sessions::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Some(Utc::now())))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    update = match which {
        Revoke::One(id) => update.filter(session::Column::Id.eq(id)),
        Revoke::AllExcept(id) => update.filter(session::Column::Id.ne(id)),
        Revoke::All => update,
    };
    Ok(update.exec(db).await?.rows_affected)
}

/// Removes sessions that ended more than a day ago (kept a little while for the audit trail).
pub async fn delete_ended(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let ended = sea_orm::Condition::any()
        .add(session::Column::ExpiresAt.lt(before))
        .add(session::Column::RevokedAt.lt(before));
    Ok(Sessions::delete_many()
        .filter(ended)
        .exec(db)
        .await?
        .rows_affected)
}
