//! Password hashing: Argon2id with OWASP's parameters, on one worker thread per core, off the
//! async runtime, so a burst of sign-ins queues instead of exhausting memory. Each worker owns
//! one 19 MiB work area that it reuses from hash to hash, so memory stays at one area per core
//! however many sign-ins arrive, and goes from one hash straight to the next.

use std::{
    collections::HashSet,
    panic::{AssertUnwindSafe, catch_unwind},
    sync::{Arc, LazyLock, Mutex, PoisonError, mpsc},
};

use app::validation::Password;
use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::phc::{Output, ParamsString, PasswordHash, Salt},
};
use tokio::sync::oneshot;

use crate::auth::random;

/// m = 19456 KiB, t = 2, p = 1 (OWASP Password Storage Cheat Sheet).
const M_COST: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const OUTPUT_BYTES: usize = 32;
/// Hashes made with other parameters are re-hashed at the next successful sign-in.
const CURRENT_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";
/// Verified for unknown emails, so they cost as much as a wrong password. Made with the current
/// parameters from a random 256-bit password that was thrown away: nothing matches it, and
/// keeping it constant spares every start a hash and its 19 MiB.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$vayaTHBU3rq6tAD3bKUhTA$7P+Y6OEtZJF7N2zA74bzRxE7DAilPZdzQ+DTawKE80A";

/// The 20,000 most common passwords (the list Django ships), lower-cased, one per line.
static COMMON: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common-passwords.txt").lines().collect());

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Argon2(String),
    #[error("the password hashing workers have stopped")]
    Stopped,
}

/// What a verification found.
#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes,
    /// Correct, but the stored hash uses old parameters: store a fresh hash.
    YesButRehash,
}

/// Argon2's working memory: `M_COST` blocks of 1 KiB.
type WorkArea = Vec<Block>;

/// A hash to compute in a worker's work area.
type Job = Box<dyn FnOnce(&mut WorkArea) + Send>;

/// The name of the hashing threads (as `top` and `/proc` show them).
const WORKER_NAME: &str = "password-hasher";

#[derive(Clone)]
pub struct PasswordHasherPool {
    jobs: mpsc::Sender<Job>,
}

impl PasswordHasherPool {
    /// One worker per core: each hash holds 19 MiB and a core for its whole duration. A work
    /// area is made on a worker's first hash, so an idle server holds none. The workers stop
    /// when the last handle to the pool is dropped.
    pub fn new() -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..worker_count() {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(WORKER_NAME.into())
                .spawn(move || work(&queue))?;
        }
        Ok(Self { jobs })
    }

    pub async fn hash(&self, password: &Password) -> Result<String, HashError> {
        let password = password.expose().to_string();
        self.run(move |area| hash_now(area, &password)).await?
    }

    pub async fn verify(&self, password: &Password, stored: &str) -> Result<Verified, HashError> {
        let password = password.expose().to_string();
        let stored = stored.to_string();
        self.run(move |area| verify_now(area, &password, &stored))
            .await
    }

    /// Spends the same work as a real verification, for an account that does not exist.
    pub async fn verify_dummy(&self, password: &Password) -> Result<(), HashError> {
        self.verify(password, DUMMY_HASH).await.map(|_| ())
    }

    /// Queues `job` for the next free worker and waits for its result.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut WorkArea) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let (done, result) = oneshot::channel();
        self.jobs
            .send(Box::new(move |area: &mut WorkArea| {
                // A request that went away while queued (the client hung up) costs no hash.
                if !done.is_closed() {
                    let _ = done.send(job(area));
                }
            }))
            .map_err(|_| HashError::Stopped)?;
        result.await.map_err(|_| HashError::Stopped)
    }
}

/// One worker per core (two where the core count is unknown).
fn worker_count() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

/// A worker: takes jobs from the shared queue until every pool handle is gone.
fn work(queue: &Mutex<mpsc::Receiver<Job>>) {
    let mut area = WorkArea::new();
    loop {
        // The lock is held while waiting for a job, never while hashing. A panic elsewhere
        // cannot leave the receiver half-changed, so a poisoned lock is still usable.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            return;
        };
        // A job that panics fails only its own request (its result is never sent); the
        // worker carries on with a fresh area.
        if catch_unwind(AssertUnwindSafe(|| job(&mut area))).is_err() {
            area = WorkArea::new();
        }
    }
}

/// Whether the password is among the most common ones (compared case-insensitively).
pub fn is_common(password: &Password) -> bool {
    COMMON.contains(password.expose().to_lowercase().as_str())
}

fn current_params() -> Params {
    Params::new(M_COST, T_COST, P_COST, Some(OUTPUT_BYTES)).expect("the OWASP parameters are valid")
}

/// Runs Argon2 in `area`, grown to the size `params` needs.
fn argon2_into(
    area: &mut WorkArea,
    argon2: &Argon2,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    area.resize(argon2.params().block_count(), Block::default());
    argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut area[..])
}

fn hash_now(area: &mut WorkArea, password: &str) -> Result<String, HashError> {
    let failed = |error: &dyn std::fmt::Display| HashError::Argon2(error.to_string());
    let params = current_params();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = random::bytes::<16>();
    let mut out = [0u8; OUTPUT_BYTES];
    argon2_into(area, &argon2, password, &salt, &mut out).map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

fn verify_now(area: &mut WorkArea, password: &str, stored: &str) -> Verified {
    // Verification uses the algorithm and parameters recorded in the hash itself; a hash that
    // cannot be read can never match.
    let matches = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).ok()?;
        let version = parsed
            .version
            .map_or(Ok(Version::V0x13), Version::try_from)
            .ok()?;
        let params = Params::try_from(&parsed).ok()?;
        let (salt, expected) = (parsed.salt?, parsed.hash?);
        let mut out = vec![0u8; expected.len()];
        let argon2 = Argon2::new(algorithm, version, params);
        // A hash with a larger memory cost gets its own area rather than growing a pooled one.
        let mut oversized = WorkArea::new();
        let area = if argon2.params().block_count() > M_COST as usize {
            &mut oversized
        } else {
            area
        };
        argon2_into(area, &argon2, password, salt.as_ref(), &mut out).ok()?;
        Some(constant_time_eq(&out, expected.as_bytes()))
    };
    match matches() {
        Some(true) if stored.starts_with(CURRENT_PREFIX) => Verified::Yes,
        Some(true) => Verified::YesButRehash,
        _ => Verified::No,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
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
        use argon2::PasswordHasher;
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
    async fn hashes_interoperate_with_the_argon2_crates_own_verifier() {
        use argon2::PasswordVerifier;
        let pool = PasswordHasherPool::new().unwrap();
        let hash = pool.hash(&password("correct horse battery")).await.unwrap();
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
    }

    #[tokio::test]
    async fn hashes_beyond_one_per_core_queue_for_the_workers() {
        let pool = PasswordHasherPool::new().unwrap();
        let secret = password("correct horse battery");
        let hashes = (0..8).map(|_| pool.hash(&secret));
        for hash in futures::future::join_all(hashes).await {
            hash.unwrap();
        }
        // Memory is bounded by the workers, one work area each: one worker per core. Jobs
        // that wait for `cores` of their kind to run at once finish only if that many workers
        // exist, and twice as many jobs still land on exactly that many threads.
        let cores = worker_count();
        let together = Arc::new(std::sync::Barrier::new(cores));
        let jobs = (0..cores * 2).map(|_| {
            let together = Arc::clone(&together);
            pool.run(move |_| {
                together.wait();
                std::thread::current().id()
            })
        });
        let threads = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            futures::future::join_all(jobs),
        )
        .await
        .expect("fewer workers than cores")
        .into_iter()
        .map(Result::unwrap)
        .collect::<HashSet<_>>();
        assert_eq!(threads.len(), cores);
    }

    #[tokio::test]
    async fn the_workers_stop_with_the_last_pool_handle() {
        thread_local! {
            /// Dropped when the thread that touched it exits.
            static ALIVE: Arc<()> = Arc::new(());
        }
        let pool = PasswordHasherPool::new().unwrap();
        let copy = pool.clone();
        drop(pool);
        let worker = copy.run(|_| ALIVE.with(Arc::downgrade)).await.unwrap();
        assert!(worker.upgrade().is_some());
        drop(copy);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while worker.upgrade().is_some() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(
            worker.upgrade().is_none(),
            "the worker thread is still running"
        );
    }

    #[tokio::test]
    async fn the_dummy_hash_has_the_current_parameters_and_verifies_at_full_cost() {
        assert!(DUMMY_HASH.starts_with(CURRENT_PREFIX));
        let pool = PasswordHasherPool::new().unwrap();
        let started = std::time::Instant::now();
        pool.verify_dummy(&password("correct horse battery"))
            .await
            .unwrap();
        let dummy = started.elapsed();
        let real_hash = pool.hash(&password("correct horse battery")).await.unwrap();
        let started = std::time::Instant::now();
        pool.verify(&password("wrong horse battery"), &real_hash)
            .await
            .unwrap();
        let real = started.elapsed();
        // The same work (19 MiB, two passes): within a generous factor on a busy machine.
        assert!(
            dummy * 3 > real && real * 3 > dummy,
            "dummy {dummy:?}, real {real:?}"
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
