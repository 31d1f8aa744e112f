use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    /// Always `EdDSA` today; stored so a future algorithm can be told apart.
    pub algorithm: String,
    /// Base64url of the raw 32-byte Ed25519 public key.
    pub public_key: String,
    /// Base64url of nonce ‖ ChaCha20-Poly1305 ciphertext of the 32-byte seed.
    pub private_key_encrypted: String,
    /// `Some("current")` for the one key that signs; unique, so two replicas starting at
    /// once cannot both create a signer.
    #[sea_orm(unique)]
    pub slot: Option<String>,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
