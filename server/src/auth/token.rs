//! Access tokens: short-lived EdDSA JWTs. Issuing and verifying happen here and nowhere else,
//! with the algorithm pinned and `exp`, `iss`, `aud` required.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use sha2::{Digest, Sha256};

use crate::auth::keys::KeyRing;

/// How many verified tokens the cache remembers.
const VERIFIED_CACHE_CAPACITY: usize = 10_000;

/// The audience every token names; other services check for it.
pub const AUDIENCE: &str = "gatehouse";
/// Clock skew tolerated between replicas (DESIGN.md allows at most 60 s; NTP keeps real
/// clocks far closer than this).
pub const LEEWAY_SECS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    /// The session the token was issued for; checked on every request.
    pub sid: Uuid,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed")]
    Malformed,
    #[error("the token was signed by an unknown key")]
    UnknownKey,
    #[error("the token is invalid: {0}")]
    Invalid(jsonwebtoken::errors::Error),
    #[error("could not sign the token: {0}")]
    Signing(jsonwebtoken::errors::Error),
}

/// Cheap to clone (handlers receive a copy per request): the state is shared.
#[derive(Clone)]
pub struct TokenIssuer(Arc<Issuer>);

struct Issuer {
    keys: KeyRing,
    issuer: String,
    ttl: Duration,
    validation: Validation,
    /// Tokens whose signature and claims already checked out, by SHA-256. Verifying an Ed25519
    /// signature is most of a request's work, and a token that verified once stays valid until
    /// its `exp` (its key is published until then too). Whether its session is still live is
    /// not cached: the caller checks that on every request.
    verified: Mutex<HashMap<[u8; 32], Claims>>,
}

impl TokenIssuer {
    pub fn new(keys: KeyRing, issuer: String, ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.set_issuer(&[issuer.as_str()]);
        validation.set_audience(&[AUDIENCE]);
        Self(Arc::new(Issuer {
            keys,
            issuer,
            ttl,
            validation,
            verified: Mutex::default(),
        }))
    }

    pub fn keys(&self) -> &KeyRing {
        &self.0.keys
    }

    pub fn issue(&self, user_id: Uuid, session_id: Uuid) -> Result<String, TokenError> {
        let signer = self.0.keys.signer();
        let now = jsonwebtoken::get_current_timestamp();
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            iat: now,
            nbf: now,
            exp: now + self.0.ttl.as_secs(),
            iss: self.0.issuer.clone(),
            aud: AUDIENCE.to_string(),
            jti: Uuid::new_v4(),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(signer.kid);
        jsonwebtoken::encode(&header, &claims, &signer.key).map_err(TokenError::Signing)
    }

    /// Checks signature and claims. Whether the session is still live is the caller's part.
    pub async fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let now = jsonwebtoken::get_current_timestamp();
        let cached = self
            .cache()
            .get(&digest)
            .filter(|claims| still_valid(claims, now))
            .cloned();
        if let Some(claims) = cached {
            return Ok(claims);
        }
        let claims = self.verify_signed(token).await?;
        let mut cache = self.cache();
        if cache.len() >= VERIFIED_CACHE_CAPACITY {
            cache.retain(|_, claims| still_valid(claims, now));
            if cache.len() >= VERIFIED_CACHE_CAPACITY {
                cache.clear();
            }
        }
        cache.insert(digest, claims.clone());
        Ok(claims)
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 32], Claims>> {
        // The map is valid whatever a panicking holder was doing.
        self.0
            .verified
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    async fn verify_signed(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        // Only our algorithm, and only keys we published: `none` and HS256 never get this far.
        if header.alg != Algorithm::EdDSA {
            return Err(TokenError::Malformed);
        }
        let kid = header.kid.ok_or(TokenError::UnknownKey)?;
        let key = self
            .0
            .keys
            .verifier(&kid)
            .await
            .ok_or(TokenError::UnknownKey)?;
        jsonwebtoken::decode::<Claims>(token, &key, &self.0.validation)
            .map(|data| data.claims)
            .map_err(TokenError::Invalid)
    }
}

/// The time checks `Validation` applies, for a token already verified once.
fn still_valid(claims: &Claims, now: u64) -> bool {
    now <= claims.exp + LEEWAY_SECS && claims.nbf <= now + LEEWAY_SECS
}
