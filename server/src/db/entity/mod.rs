//! sea-orm entities, one per table. The schema itself is defined by `db::migration`.

pub mod rate_limit;
pub mod session;
pub mod signing_key;
pub mod task;
pub mod user;
