//! `hash_time`: prints the median wall time of one password hash with the server's parameters,
//! in milliseconds. The benchmark (bench/) uses it to judge sign-in efficiency.

use app::validation::Password;
use server::auth::password::PasswordHasherPool;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = PasswordHasherPool::new()?;
    let password = Password::parse("violet staple gorilla")?;
    let mut times = Vec::new();
    for _ in 0..15 {
        let started = std::time::Instant::now();
        pool.hash(&password).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("{:.2}", times[times.len() / 2]);
    Ok(())
}
