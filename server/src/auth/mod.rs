//! Authentication: passwords, signing keys, access tokens, sessions, rate limits, and the
//! extractors that turn a request into a signed-in user.

pub mod client;
pub mod extractor;
pub mod keys;
pub mod password;
pub mod random;
pub mod rate_limit;
pub mod session;
pub mod token;
