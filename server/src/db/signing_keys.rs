use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::Expr,
};

use super::entity::signing_key::{self, Entity as SigningKeys, Model as SigningKey};

/// The `slot` value of the one key that signs new tokens.
pub const CURRENT: &str = "current";

/// Keys that can still verify tokens: the signer and those retired after `retired_since`.
pub async fn verifiable(
    db: &impl ConnectionTrait,
    retired_since: DateTime<Utc>,
) -> Result<Vec<SigningKey>, DbErr> {
    let still_valid = sea_orm::Condition::any()
        .add(signing_key::Column::RetiredAt.is_null())
        .add(signing_key::Column::RetiredAt.gt(retired_since));
    SigningKeys::find()
        .filter(still_valid)
        .order_by_desc(signing_key::Column::CreatedAt)
        .all(db)
        .await
}

/// Inserts `key` as the signer; fails with a unique violation if another one already is.
pub async fn insert_current(
    db: &impl ConnectionTrait,
    key: SigningKey,
) -> Result<SigningKey, DbErr> {
    let mut active: signing_key::ActiveModel = key.into();
    active.slot = Set(Some(CURRENT.to_string()));
    active.retired_at = Set(None);
    // `into()` marks every field unchanged; insert needs them set.
    active = active.reset_all();
    active.insert(db).await
}

/// Retires the current signer (it keeps verifying until its tokens have expired).
pub async fn retire_current(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(SigningKeys::update_many()
        .col_expr(
            signing_key::Column::Slot,
            Expr::value(Option::<String>::None),
        )
        .col_expr(signing_key::Column::RetiredAt, Expr::value(Some(now)))
        .filter(signing_key::Column::Slot.eq(CURRENT))
        .exec(db)
        .await?
        .rows_affected)
}
