//! The `bulletin-api` command: parses the command line and calls the library.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use bulletin_api::config::Settings;
use bulletin_api::db::{Database, DbConfig};
use bulletin_api::startup::{Application, prepare_database};
use bulletin_api::users::{self, Email, Password};
use bulletin_api::{openapi, telemetry};
use clap::{Parser, Subcommand};

/// Headless JSON REST service for the news portals of public bodies.
///
/// Settings come from BULLETIN_* environment variables (see the README).
#[derive(Parser)]
#[command(name = "bulletin-api", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print the OpenAPI document.
    Openapi,
    #[command(flatten)]
    WithSettings(SettingsCommand),
}

/// The commands that read the settings and open the database.
#[derive(Subcommand)]
enum SettingsCommand {
    /// Serve the API (the default): migrate, load the demo into a new database, listen.
    Serve,
    /// Prepare the database as `serve` does (schema, demo content on a new
    /// database, the admin from BULLETIN_ADMIN_*), then exit.
    Migrate,
    /// Create an admin account.
    CreateAdmin {
        #[arg(long)]
        email: String,
        /// The password; read from the first line of standard input when omitted,
        /// which keeps it out of the shell history and the process list.
        #[arg(long)]
        password: Option<String>,
    },
    /// Write a consistent copy of the database to FILE while the server runs.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
}

/// Exit status for settings or arguments that cannot be used.
const USAGE_ERROR: u8 = 2;

#[actix_web::main]
async fn main() -> ExitCode {
    let command = match Cli::parse().command {
        Some(Command::Openapi) => {
            print!("{}", openapi::to_pretty_json(&openapi::document()));
            return ExitCode::SUCCESS;
        }
        Some(Command::WithSettings(command)) => command,
        None => SettingsCommand::Serve,
    };
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("bulletin-api: invalid setting {error}");
            return ExitCode::from(USAGE_ERROR);
        }
    };
    telemetry::init(settings.log_format);
    match run(command, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("bulletin-api: {message}");
            ExitCode::from(USAGE_ERROR)
        }
        Err(Failure::Runtime(message)) => {
            eprintln!("bulletin-api: {message}");
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    Usage(String),
    Runtime(String),
}

fn runtime(error: impl std::fmt::Display) -> Failure {
    Failure::Runtime(error.to_string())
}

async fn run(command: SettingsCommand, settings: Settings) -> Result<(), Failure> {
    match command {
        SettingsCommand::Serve => {
            let application = Application::build(settings).await.map_err(runtime)?;
            tracing::info!(port = application.port(), "serving");
            application.run_until_stopped().await.map_err(runtime)
        }
        SettingsCommand::Migrate => prepare_database(&settings).await.map(drop).map_err(runtime),
        SettingsCommand::CreateAdmin { email, password } => {
            let email = Email::parse(&email).map_err(|e| Failure::Usage(format!("--email {e}")))?;
            let password = match password {
                Some(password) => password,
                None => read_password_line()?,
            };
            let password = Password::parse(password)
                .map_err(|e| Failure::Usage(format!("the password {e}")))?;
            let db = prepare_database(&settings).await.map_err(runtime)?;
            let id = users::create_admin(&db, email.clone(), password)
                .await
                .map_err(runtime)?;
            println!("created admin {email} with id {id}");
            Ok(())
        }
        SettingsCommand::Backup { to } => {
            if !settings.database_path.exists() {
                return Err(Failure::Usage(format!(
                    "there is no database at {} to back up",
                    settings.database_path.display()
                )));
            }
            if to.exists() {
                return Err(Failure::Usage(format!(
                    "{} already exists; a backup never overwrites",
                    to.display()
                )));
            }
            let db = Database::open(&DbConfig {
                path: settings.database_path.clone(),
                read_pool_size: 1,
                timeout: settings.db_timeout,
            })
            .map_err(runtime)?;
            db.backup(&to).await.map_err(runtime)?;
            println!(
                "backed up {} to {}",
                settings.database_path.display(),
                to.display()
            );
            Ok(())
        }
    }
}

fn read_password_line() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::Usage(format!("cannot read the password from standard input: {e}"))
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
