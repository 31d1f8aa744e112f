//! The binary's commands: serve (the default) and signing-key rotation.

use crate::{auth::keys::KeyRing, config::Config, db, startup::StartupError};

pub enum Command {
    Serve,
    RotateKeys,
}

const USAGE: &str = "usage: server [serve | keys rotate]\n\
    \n  serve        run the web server (default)\
    \n  keys rotate  make a new signing key the signer; tokens signed by the old one stay valid until they expire";

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
