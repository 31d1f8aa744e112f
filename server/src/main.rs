use std::process::ExitCode;

use server::{cli, config::Config, startup::Application, telemetry};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let command = match cli::Command::from_args(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // A start-up failure is a message for the operator, not a panic backtrace.
            eprintln!("gatehouse: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: cli::Command) -> Result<(), server::startup::StartupError> {
    match command {
        cli::Command::Serve => {
            Application::build(Config::from_env()?)
                .await?
                .run_until_stopped()
                .await
        }
        cli::Command::RotateKeys => cli::rotate_keys(Config::from_env()?).await,
        // Needs no configuration: it touches neither the database nor the keys.
        cli::Command::TimePasswordHash => cli::time_password_hash().await,
    }
}
