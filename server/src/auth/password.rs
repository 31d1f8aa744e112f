//! Password hashing: Argon2id with OWASP's parameters, off the async runtime and under a
//! concurrency cap so a burst of sign-ins queues instead of exhausting memory.

use std::{
    collections::HashSet,
    sync::{Arc, LazyLock},
};

use app::validation::Password;
use argon2::{
    Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version,
    password_hash::phc::PasswordHash,
};
use tokio::sync::Semaphore;

use crate::auth::random;

/// m = 19456 KiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
const M_COST: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
/// Hashes made with other parameters are re-hashed at the next successful sign-in.
const CURRENT_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

/// The most common passwords of 8+ characters (from the 20,000-entry list Django ships),
/// lower-cased, one per line.
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Argon2(String),
    #[error("the hashing task did not finish: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// What a verification found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but the stored hash uses old parameters: store a fresh hash.
    YesButRehash,
}

#[derive(Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    /// Verified for unknown emails so they take as long as a wrong password.
    dummy_hash: Arc<str>,
}

impl PasswordHasherPool {
    /// One hash at a time per core: each holds 19 MiB and a core for ~their whole duration.
    pub fn new() -> Result<Self, HashError> {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let dummy_hash = hash_now(&random::token())?;
        Ok(Self {
            permits: Arc::new(Semaphore::new(cores)),
            dummy_hash: dummy_hash.into(),
        })
    }

    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let password = password.expose().to_string();
        self.run(move || hash_now(&password)).await?
    }

    pub async fn verify(&self, password: &Password, stored: &str) -> Result<Verified, HashError> {
        let password = password.expose().to_string();
        let stored = stored.to_string();
        self.run(move || verify_now(&password, &stored)).await
    }

    /// Spends the same work as a real verification, for an account that does not exist.
    pub async fn verify_dummy(&self, password: &Password) -> Result<(), HashError> {
        self.verify(password, &self.dummy_hash.clone())
            .await
            .map(|_| ())
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        // The semaphore is never closed, so acquiring cannot fail.
        let _permit = self
            .permits
            .acquire()
            .await
            .expect("the hashing semaphore is never closed");
        Ok(tokio::task::spawn_blocking(job).await?)
    }
}

/// Whether the password is among the most common ones (compared case-insensitively).
pub fn is_common(password: &Password) -> bool {
    COMMON.contains(password.expose().to_lowercase().as_str())
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(M_COST, T_COST, P_COST, None).expect("the OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt = random::bytes::<16>();
    argon2()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| HashError::Argon2(error.to_string()))
}

fn verify_now(password: &str, stored: &str) -> Verified {
    // An unparsable stored hash can never match.
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verified::No;
    };
    // Verification uses the parameters recorded in the hash itself.
    match argon2().verify_password(password.as_bytes(), &parsed) {
        Ok(()) if stored.starts_with(CURRENT_PREFIX) => Verified::Yes,
        Ok(()) => Verified::YesButRehash,
        Err(_) => Verified::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(raw: &str) -> Password {
        Password::parse(raw).unwrap()
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let pool = PasswordHasherPool::new().unwrap();
        let hash = pool.hash(&password("correct horse battery")).await.unwrap();
        assert!(hash.starts_with(CURRENT_PREFIX), "{hash}");
        assert_eq!(
            pool.verify(&password("correct horse battery"), &hash)
                .await
                .unwrap(),
            Verified::Yes
        );
        assert_eq!(
            pool.verify(&password("correct horse battery!"), &hash)
                .await
                .unwrap(),
            Verified::No
        );
    }

    #[tokio::test]
    async fn a_hash_with_old_parameters_asks_to_be_rehashed() {
        let old = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password_with_salt(b"correct horse battery", b"saltsaltsaltsalt")
        .unwrap()
        .to_string();
        let pool = PasswordHasherPool::new().unwrap();
        assert_eq!(
            pool.verify(&password("correct horse battery"), &old)
                .await
                .unwrap(),
            Verified::YesButRehash
        );
    }

    #[tokio::test]
    async fn a_garbage_stored_hash_never_matches() {
        let pool = PasswordHasherPool::new().unwrap();
        assert_eq!(
            pool.verify(&password("whatever1"), "not a hash")
                .await
                .unwrap(),
            Verified::No
        );
    }

    #[test]
    fn common_passwords_are_recognised_in_any_case() {
        assert!(is_common(&password("password")));
        assert!(is_common(&password("PassWord1")));
        assert!(is_common(&password("12345678")));
        assert!(!is_common(&password("violet staple gorilla")));
    }
}
