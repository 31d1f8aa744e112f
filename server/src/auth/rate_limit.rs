//! Limits on the auth endpoints, counted in the database so they hold across replicas.
//! Windows are fixed and end by themselves: a lock-out never outlives its window.

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::{config::RateLimits, db::rate_limits, error::AppError};

/// A limit: at most `max` hits per `window_secs` on one bucket.
struct Rule {
    name: &'static str,
    window_secs: i64,
}

const SIGN_IN_PER_IP: Rule = Rule {
    name: "sign-in:ip",
    window_secs: 60,
};
const SIGN_IN_FAILURES_PER_ACCOUNT: Rule = Rule {
    name: "sign-in-failures:account",
    window_secs: 15 * 60,
};
const SIGN_UP_PER_IP: Rule = Rule {
    name: "sign-up:ip",
    window_secs: 60 * 60,
};

/// An account's failed sign-ins in the current window, as they stood when it was let in.
#[must_use]
pub struct Failures(i64);

#[derive(Clone)]
pub struct RateLimiter {
    db: DatabaseConnection,
    limits: RateLimits,
}

/// Where the current window of `rule` started, and how long until it ends.
fn window(rule: &Rule) -> (i64, u64) {
    let now = Utc::now().timestamp();
    let start = now - now.rem_euclid(rule.window_secs);
    (start, (start + rule.window_secs - now).max(1) as u64)
}

impl RateLimiter {
    pub fn new(db: DatabaseConnection, limits: RateLimits) -> Self {
        Self { db, limits }
    }

    /// Counts a sign-in request from `ip`; 429 past the per-IP limit.
    pub async fn sign_in_request(&self, ip: &str) -> Result<(), AppError> {
        self.count(&SIGN_IN_PER_IP, ip, self.limits.sign_in_per_ip_per_minute)
            .await
    }

    /// 429 while the account has had too many failed sign-ins, whether or not the password
    /// now given is right, so a lock-out tells an attacker nothing. Otherwise, its failures so
    /// far, for `sign_in_succeeded`.
    pub async fn account_unlocked(&self, email: &str) -> Result<Failures, AppError> {
        let rule = &SIGN_IN_FAILURES_PER_ACCOUNT;
        let (start, retry_after_secs) = window(rule);
        let failures = rate_limits::hits(&self.db, &bucket(rule, email), start).await?;
        if failures >= i64::from(self.limits.sign_in_failures_per_account) {
            tracing::warn!(limit = rule.name, "rate limit hit");
            return Err(AppError::RateLimited { retry_after_secs });
        }
        Ok(Failures(failures))
    }

    pub async fn sign_in_failed(&self, email: &str) -> Result<(), AppError> {
        let rule = &SIGN_IN_FAILURES_PER_ACCOUNT;
        let (start, _) = window(rule);
        rate_limits::hit(&self.db, &bucket(rule, email), start).await?;
        Ok(())
    }

    /// The right password ends the account's run of failures, so a person who mistyped before
    /// signing in does not carry those mistakes through the rest of the window. Only someone
    /// who knows the password can do this, and a locked-out account never gets this far.
    /// Without failures before, there is nothing to forget, and no write.
    pub async fn sign_in_succeeded(&self, email: &str, before: Failures) -> Result<(), AppError> {
        if before.0 > 0 {
            rate_limits::forget(&self.db, &bucket(&SIGN_IN_FAILURES_PER_ACCOUNT, email)).await?;
        }
        Ok(())
    }

    /// Counts a sign-up from `ip`; 429 past the per-IP limit.
    pub async fn sign_up_request(&self, ip: &str) -> Result<(), AppError> {
        self.count(&SIGN_UP_PER_IP, ip, self.limits.sign_up_per_ip_per_hour)
            .await
    }

    async fn count(&self, rule: &Rule, key: &str, max: u32) -> Result<(), AppError> {
        let (start, retry_after_secs) = window(rule);
        let hits = rate_limits::hit(&self.db, &bucket(rule, key), start).await?;
        if hits > i64::from(max) {
            tracing::warn!(limit = rule.name, client = key, "rate limit hit");
            return Err(AppError::RateLimited { retry_after_secs });
        }
        Ok(())
    }
}

fn bucket(rule: &Rule, key: &str) -> String {
    format!("{}:{key}", rule.name)
}
