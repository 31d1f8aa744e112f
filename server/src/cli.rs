//! The binary's commands: serve (the default), signing-key rotation, and timing a password hash.

use std::time::{Duration, Instant};

use app::validation::Password;

use crate::{
    auth::{keys::KeyRing, password::PasswordHasherPool},
    config::Config,
    db,
    startup::StartupError,
};

pub enum Command {
    Serve,
    RotateKeys,
    TimePasswordHash,
}

const USAGE: &str = "usage: server [serve | keys rotate | passwords time]\n\
    \n  serve           run the web server (default)\
    \n  keys rotate     make a new signing key the signer; tokens signed by the old one stay valid until they expire\
    \n  passwords time  how long one password hash takes on this machine, in milliseconds";

impl Command {
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Self, &'static str> {
        let args: Vec<String> = args.into_iter().collect();
        match args
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            [] | ["serve"] => Ok(Self::Serve),
            ["keys", "rotate"] => Ok(Self::RotateKeys),
            ["passwords", "time"] => Ok(Self::TimePasswordHash),
            _ => Err(USAGE),
        }
    }
}

pub async fn rotate_keys(config: Config) -> Result<(), StartupError> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    let keys = KeyRing::load(db, &config.auth_secret, config.access_token_ttl).await?;
    let kid = keys.rotate().await?;
    println!("new signing key: {kid}");
    Ok(())
}

/// Prints the median time of one password verification, with the server's parameters, in
/// milliseconds. Sign-in costs one, so a core signs in at most 1000 ÷ that many people a
/// second: the number for sizing a machine, and the benchmark's measure of the hash alone.
pub async fn time_password_hash() -> Result<(), StartupError> {
    const RUNS: usize = 15;
    let hasher = PasswordHasherPool::new().map_err(StartupError::HashWorkers)?;
    let password = Password::parse("a password to time").map_err(|invalid| {
        StartupError::PasswordHash(format!("the sample password is invalid: {}", invalid.0))
    })?;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        hasher
            .verify_dummy(&password)
            .await
            .map_err(|error| StartupError::PasswordHash(error.to_string()))?;
        times.push(started.elapsed());
    }
    times.sort();
    let median: Duration = times[RUNS / 2];
    println!("{:.2}", median.as_secs_f64() * 1000.0);
    Ok(())
}
