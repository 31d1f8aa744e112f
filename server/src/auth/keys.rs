//! The Ed25519 keys that sign access tokens. They live in the database (private halves
//! encrypted with a key derived from `AUTH_SECRET`), so every replica signs and verifies with
//! the same keys; each replica keeps a decoded copy in memory and reloads it when it meets a
//! `kid` it does not know or every minute, to pick up a rotation made elsewhere.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use app::model::{Jwk, JwkSet};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    ChaCha20Poly1305, KeyInit, Nonce,
    aead::{Aead, Payload},
};
use chrono::Utc;
use ed25519_dalek::{SigningKey as Ed25519Key, pkcs8::EncodePrivateKey};
use jsonwebtoken::{DecodingKey, EncodingKey};
use sea_orm::{DatabaseConnection, DbErr, SqlErr, TransactionTrait};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::{
    auth::random,
    db::{entity::signing_key::Model as StoredKey, signing_keys},
};

pub const ALGORITHM: &str = "EdDSA";
/// How often a replica reloads keys on its own, and the least time between reloads that an
/// unknown `kid` can trigger (so junk tokens cannot hammer the database).
const RELOAD_EVERY: Duration = Duration::from_secs(60);
const RELOAD_AT_MOST_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the signing keys could not be read or written: {0}")]
    Db(#[from] DbErr),
    #[error(
        "signing key {0} cannot be decrypted with this AUTH_SECRET (was the secret changed? restore it, or rotate keys with the old one)"
    )]
    Undecryptable(String),
    #[error("signing key {0} is malformed")]
    Malformed(String),
    #[error("no current signing key in the database")]
    NoSigner,
}

#[derive(Clone)]
pub struct Signer {
    pub kid: String,
    pub key: EncodingKey,
}

struct Loaded {
    signer: Signer,
    verifiers: HashMap<String, DecodingKey>,
    jwks: JwkSet,
    at: Instant,
}

#[derive(Clone)]
pub struct KeyRing {
    db: DatabaseConnection,
    cipher: Arc<ChaCha20Poly1305>,
    /// Retired keys stay published this long: the longest a token they signed can live.
    retired_grace: Duration,
    loaded: Arc<RwLock<Arc<Loaded>>>,
}

impl KeyRing {
    /// Loads the keys, creating the first one if the database has none.
    pub async fn load(
        db: DatabaseConnection,
        secret: &SecretString,
        token_ttl: Duration,
    ) -> Result<Self, KeyError> {
        let cipher = Arc::new(cipher_for(secret));
        let retired_grace = token_ttl + Duration::from_secs(crate::auth::token::LEEWAY_SECS);
        let loaded = read(&db, &cipher, retired_grace).await;
        let loaded = match loaded {
            Err(KeyError::NoSigner) => {
                create_first(&db, &cipher).await?;
                read(&db, &cipher, retired_grace).await?
            }
            other => other?,
        };
        Ok(Self {
            db,
            cipher,
            retired_grace,
            loaded: Arc::new(RwLock::new(Arc::new(loaded))),
        })
    }

    pub fn signer(&self) -> Signer {
        self.current().signer.clone()
    }

    pub fn jwks(&self) -> JwkSet {
        self.current().jwks.clone()
    }

    /// The key that verifies tokens with this `kid`, reloading once if it is new to us.
    pub async fn verifier(&self, kid: &str) -> Option<DecodingKey> {
        let loaded = self.current();
        if let Some(key) = loaded.verifiers.get(kid) {
            return Some(key.clone());
        }
        if loaded.at.elapsed() < RELOAD_AT_MOST_EVERY {
            return None;
        }
        self.reload().await.ok()?;
        self.current().verifiers.get(kid).cloned()
    }

    /// Re-reads the keys from the database.
    pub async fn reload(&self) -> Result<(), KeyError> {
        let fresh = read(&self.db, &self.cipher, self.retired_grace).await?;
        *self
            .loaded
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(fresh);
        Ok(())
    }

    /// Reloads in the background every minute, until the process ends.
    pub fn spawn_periodic_reload(&self) {
        let ring = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(RELOAD_EVERY);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                if let Err(error) = ring.reload().await {
                    tracing::warn!(%error, "could not reload signing keys");
                }
            }
        });
    }

    /// Makes a new key the signer; the old one keeps verifying until its tokens expire.
    pub async fn rotate(&self) -> Result<String, KeyError> {
        let (key, kid) = generate(&self.cipher);
        let txn = self.db.begin().await?;
        signing_keys::retire_current(&txn, Utc::now()).await?;
        signing_keys::insert_current(&txn, key).await?;
        txn.commit().await?;
        self.reload().await?;
        Ok(kid)
    }

    fn current(&self) -> Arc<Loaded> {
        self.loaded
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

fn cipher_for(secret: &SecretString) -> ChaCha20Poly1305 {
    let hkdf = hkdf::Hkdf::<Sha256>::new(None, secret.expose_secret().as_bytes());
    let mut key = [0u8; 32];
    hkdf.expand(b"gatehouse signing-key encryption v1", &mut key)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    ChaCha20Poly1305::new(&key.into())
}

/// A new key pair: the stored row (private half encrypted) and its `kid`.
fn generate(cipher: &ChaCha20Poly1305) -> (StoredKey, String) {
    let seed = random::bytes::<32>();
    let public = Ed25519Key::from_bytes(&seed).verifying_key().to_bytes();
    let x = URL_SAFE_NO_PAD.encode(public);
    let kid = thumbprint(&x);
    let nonce = random::bytes::<12>();
    let ciphertext = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &seed,
                aad: kid.as_bytes(),
            },
        )
        .expect("ChaCha20-Poly1305 encryption of 32 bytes cannot fail");
    let stored = StoredKey {
        kid: kid.clone(),
        algorithm: ALGORITHM.to_string(),
        public_key: x,
        private_key_encrypted: URL_SAFE_NO_PAD.encode([nonce.as_slice(), &ciphertext].concat()),
        slot: Some(signing_keys::CURRENT.to_string()),
        created_at: Utc::now(),
        retired_at: None,
    };
    (stored, kid)
}

/// RFC 7638 JWK thumbprint: a `kid` derived from the public key itself.
fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
}

async fn create_first(db: &DatabaseConnection, cipher: &ChaCha20Poly1305) -> Result<(), KeyError> {
    let (key, kid) = generate(cipher);
    match signing_keys::insert_current(db, key).await {
        Ok(_) => {
            tracing::info!(%kid, "created the first signing key");
            Ok(())
        }
        // Another replica created it first: use theirs.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

async fn read(
    db: &DatabaseConnection,
    cipher: &ChaCha20Poly1305,
    retired_grace: Duration,
) -> Result<Loaded, KeyError> {
    let since = Utc::now() - retired_grace;
    let stored = signing_keys::verifiable(db, since).await?;
    let current = stored
        .iter()
        .find(|key| key.slot.as_deref() == Some(signing_keys::CURRENT))
        .ok_or(KeyError::NoSigner)?;
    let signer = Signer {
        kid: current.kid.clone(),
        key: decrypt(cipher, current)?,
    };
    let mut verifiers = HashMap::new();
    let mut keys = Vec::new();
    for key in stored.iter().filter(|key| key.algorithm == ALGORITHM) {
        let decoding = DecodingKey::from_ed_components(&key.public_key)
            .map_err(|_| KeyError::Malformed(key.kid.clone()))?;
        verifiers.insert(key.kid.clone(), decoding);
        keys.push(Jwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: key.public_key.clone(),
            kid: key.kid.clone(),
            alg: ALGORITHM.into(),
            use_: "sig".into(),
        });
    }
    Ok(Loaded {
        signer,
        verifiers,
        jwks: JwkSet { keys },
        at: Instant::now(),
    })
}

fn decrypt(cipher: &ChaCha20Poly1305, key: &StoredKey) -> Result<EncodingKey, KeyError> {
    let sealed = URL_SAFE_NO_PAD
        .decode(&key.private_key_encrypted)
        .map_err(|_| KeyError::Malformed(key.kid.clone()))?;
    if sealed.len() < 12 {
        return Err(KeyError::Malformed(key.kid.clone()));
    }
    let (nonce, ciphertext) = sealed.split_at(12);
    let seed = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: key.kid.as_bytes(),
            },
        )
        .map_err(|_| KeyError::Undecryptable(key.kid.clone()))?;
    let seed: [u8; 32] = seed
        .try_into()
        .map_err(|_| KeyError::Malformed(key.kid.clone()))?;
    let der = Ed25519Key::from_bytes(&seed)
        .to_pkcs8_der()
        .map_err(|_| KeyError::Malformed(key.kid.clone()))?;
    Ok(EncodingKey::from_ed_der(der.as_bytes()))
}
