//! The `bulletin-api` command: parses the command line and calls the library.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use bulletin_api::auth::{SigningKey, signing_key};
use bulletin_api::config::Settings;
use bulletin_api::db::{self, Database, DatabaseUrl, DbConfig};
use bulletin_api::documents::attachments::FileStore;
use bulletin_api::identity::{Email, Password};
use bulletin_api::import::Progress;
use bulletin_api::import::nukeviet::{self, Portal};
use bulletin_api::openapi;
use bulletin_api::ops::telemetry;
use bulletin_api::startup::{Application, AttachmentPlace, attachment_place, prepare_database};
use bulletin_api::users;
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
    /// Write a consistent copy of the database to FILE while the server runs,
    /// and check the copy (PRAGMA integrity_check). SQLite only: on
    /// PostgreSQL it names the pg_dump command to use.
    Backup {
        #[arg(long, value_name = "FILE")]
        to: PathBuf,
    },
    /// Put a backup in place of the database, with the server stopped: the
    /// backup is checked first, and the database it replaces is kept beside
    /// it as `<database>.before-restore`. SQLite only: on PostgreSQL it
    /// names the pg_restore command to use.
    Restore {
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
    /// Move another system's content into the database.
    #[command(subcommand)]
    Import(ImportSource),
    /// Copy a whole SQLite database (every table, and its attachment files)
    /// into an empty PostgreSQL database, in one transaction, then check
    /// each table's row count. Attachment files become rows of the target
    /// too, or files in BULLETIN_ATTACHMENTS_DIR when that is set.
    Copy {
        /// The SQLite file (its attachments are the `attachments/` beside it).
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// The PostgreSQL database, `postgres://user:password@host/name`.
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

#[derive(Subcommand)]
enum ImportSource {
    /// Import a NukeViet 4.5 portal (news, comments, laws modules) from a
    /// mysqldump/mariadb-dump file, in one transaction. Rows imported before
    /// (by their NukeViet id) are left as they are.
    Nukeviet(NukevietArgs),
}

#[derive(clap::Args)]
struct NukevietArgs {
    /// The dump (`mariadb-dump nukeviet > DUMP.sql`).
    #[arg(long, value_name = "DUMP.sql")]
    from: PathBuf,
    /// The table prefix of the portal.
    #[arg(long, default_value = "nv4")]
    prefix: String,
    /// The language of the module tables (`vi`: `nv4_vi_news_rows`).
    #[arg(long, default_value = "vi")]
    lang: String,
    /// The old site's address, for images stored as paths under it.
    #[arg(long, value_name = "URL")]
    site_url: Option<String>,
    /// Write nothing; report what would be imported.
    #[arg(long)]
    dry_run: bool,
    /// Also write the report as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
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
    telemetry::init(settings.server.log_format);
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
            let pg_dump = format!(
                "pg_dump --format=custom --file={} \"$BULLETIN_DATABASE_URL\"",
                to.display()
            );
            let database = sqlite_file(&settings, &pg_dump)?;
            if !database.exists() {
                return Err(Failure::Usage(format!(
                    "there is no database at {} to back up",
                    database.display()
                )));
            }
            if to.exists() {
                return Err(Failure::Usage(format!(
                    "{} already exists; a backup never overwrites",
                    to.display()
                )));
            }
            let db = Database::open(&DbConfig {
                read_pool_size: 1,
                ..settings.database.clone()
            })
            .map_err(runtime)?;
            db.backup(&to).await.map_err(runtime)?;
            if let Some(problems) = db::integrity_problems(&to).map_err(runtime)? {
                return Err(Failure::Runtime(format!(
                    "the copy at {} fails its integrity check: {problems}",
                    to.display()
                )));
            }
            println!(
                "backed up {} to {} (integrity check: ok)",
                database.display(),
                to.display()
            );
            Ok(())
        }
        SettingsCommand::Restore { from } => {
            let pg_restore = format!(
                "pg_restore --clean --if-exists --dbname=\"$BULLETIN_DATABASE_URL\" {}",
                from.display()
            );
            restore(sqlite_file(&settings, &pg_restore)?, &from)
        }
        SettingsCommand::Copy { from, to } => copy_database(&settings, from, &to).await,
        SettingsCommand::Import(ImportSource::Nukeviet(args)) => {
            import_nukeviet(&settings, args).await
        }
    }
}

/// Imports a NukeViet dump into the database of the settings (created and
/// migrated if needed, without the demo content: the portal's is coming).
/// The dump, the portal in it and the report's file are checked first, so
/// bad input leaves the database (or its absence) as it was.
async fn import_nukeviet(settings: &Settings, args: NukevietArgs) -> Result<(), Failure> {
    let dump = std::fs::File::open(&args.from)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", args.from.display())))?;
    let site_url = args
        .site_url
        .map(|url| bulletin_api::text::parse_http_url(&url).map(|_| url.clone()))
        .transpose()
        .map_err(|e| Failure::Usage(format!("--site-url {e}")))?;
    let progress = Arc::new(Progress::on_stderr());
    let size = dump.metadata().map_or(0, |metadata| metadata.len());
    // A statement at a time: a large newsroom's dump outweighs the memory
    // an import may use.
    let dump =
        std::io::BufReader::with_capacity(1 << 20, progress.reading("dump bytes", dump, size));
    let portal = Portal::read(dump, &args.prefix, &args.lang).map_err(runtime)?;
    let report_file = args
        .report
        .as_ref()
        .map(|path| {
            std::fs::File::create(path).map_err(|e| {
                Failure::Usage(format!(
                    "cannot write the report to {}: {e}",
                    path.display()
                ))
            })
        })
        .transpose()?;
    // A dry run works on a copy in a scratch directory (removed when it is
    // dropped): migrating the real database would be a write.
    // On PostgreSQL the import's transaction is rolled back, as on SQLite;
    // the schema is brought up to date first, as a start would.
    let scratch = settings
        .database
        .url
        .sqlite_file()
        .filter(|_| args.dry_run)
        .map(dry_run_copy)
        .transpose()?;
    let db = Database::open(&DbConfig {
        url: scratch
            .as_ref()
            .map_or(settings.database.url.clone(), |(_, path)| {
                DatabaseUrl::Sqlite(path.clone())
            }),
        read_pool_size: 1,
        memory_map: false,
        ..settings.database.clone()
    })
    .map_err(runtime)?;
    db.migrate().await.map_err(runtime)?;
    let options = nukeviet::Options {
        prefix: args.prefix,
        lang: args.lang,
        dry_run: args.dry_run,
        site_url,
        offset: settings.site.utc_offset,
        now: bulletin_api::support::timestamps::now(),
    };
    let imported = nukeviet::import_portal(&db, portal, options, Arc::clone(&progress)).await;
    progress.finish();
    drop(db);
    drop(scratch);
    let report = imported.map_err(|error| {
        // Nothing was imported: no report file stays behind to say otherwise.
        if let Some(path) = &args.report {
            let _ = std::fs::remove_file(path);
        }
        runtime(error)
    })?;
    print!("{report}");
    if let (Some(mut file), Some(path)) = (report_file, args.report) {
        let json = serde_json::to_string_pretty(&report).map_err(runtime)?;
        writeln!(file, "{json}").map_err(|e| {
            Failure::Runtime(format!(
                "cannot write the report to {}: {e}",
                path.display()
            ))
        })?;
    }
    Ok(())
}

/// `copy`: the SQLite database at `from` and its files into the empty
/// PostgreSQL database at `to`, showing its progress.
async fn copy_database(settings: &Settings, from: PathBuf, to: &str) -> Result<(), Failure> {
    use bulletin_api::db::copy::{self, CopyError};
    if !from.exists() {
        return Err(Failure::Usage(format!(
            "there is no database at {} to copy",
            from.display()
        )));
    }
    let target = DatabaseUrl::parse(to).map_err(Failure::Usage)?;
    let DatabaseUrl::Postgres(url) = &target else {
        return Err(Failure::Usage(format!("{target} is not a postgres:// URL")));
    };
    // The key the SQLite node signed tokens with: sessions stay valid.
    let signing_key = SigningKey::stored_beside(&from).map_err(runtime)?;
    let source_files = FileStore::beside(&from);
    let place = attachment_place(settings.attachments.dir.as_deref(), &target);
    // Into the target's own rows, in the copy's transaction, unless it keeps files.
    let files: FileContents = match place {
        AttachmentPlace::Database => Box::new(source_files.contents().map_err(runtime)?),
        AttachmentPlace::Files(_) => Box::new(std::iter::empty()),
    };
    let (source, url) = (from.clone(), url.clone());
    let copied = actix_web::rt::task::spawn_blocking(move || {
        let secrets: Vec<(&str, &str)> = signing_key
            .iter()
            .map(|key| (signing_key::SHARED_NAME, key.as_str()))
            .collect();
        let progress = Progress::on_stderr();
        let copied =
            copy::sqlite_to_postgres(&source, &url, &secrets, files, |table, done, all| {
                progress.update(table, done.unsigned_abs(), all.unsigned_abs());
            });
        progress.finish();
        copied
    })
    .await
    .map_err(runtime)?
    .map_err(|error| match error {
        CopyError::TargetNotEmpty(_) => Failure::Usage(error.to_string()),
        other => runtime(other),
    })?;
    for table in &copied {
        println!("{:<20} {:>9} rows", table.table, table.rows);
    }
    if let AttachmentPlace::Files(files) = place {
        let copied_files = source_files.copy_into(&files).map_err(runtime)?;
        println!(
            "{copied_files} attachment files copied into {}",
            files.root().display()
        );
    }
    println!("copied {} to {target} (row counts checked)", from.display());
    Ok(())
}

/// Attachment files, each as its digest and bytes, read one at a time.
type FileContents = Box<dyn ExactSizeIterator<Item = std::io::Result<(String, Vec<u8>)>> + Send>;

/// The SQLite file of the settings' database, for the commands that work on
/// one; on PostgreSQL, a usage error naming PostgreSQL's own tool instead.
fn sqlite_file<'a>(settings: &'a Settings, instead: &str) -> Result<&'a std::path::Path, Failure> {
    settings.database.url.sqlite_file().ok_or_else(|| {
        Failure::Usage(format!(
            "{} is a PostgreSQL database: use PostgreSQL's own tools: `{instead}`",
            settings.database.url
        ))
    })
}

/// A scratch directory with a copy of `database` in it (an empty file name
/// when there is none yet), for a dry run to migrate and write.
fn dry_run_copy(database: &std::path::Path) -> Result<(tempfile::TempDir, PathBuf), Failure> {
    let dir = tempfile::tempdir().map_err(runtime)?;
    let copy = dir.path().join("dry-run.db");
    if database.exists() {
        db::copy_file(database, &copy).map_err(runtime)?;
    }
    Ok((dir, copy))
}

/// Puts the backup at `from` in place of `database`: checked, copied beside
/// it, then renamed over it (a rename is whole or not at all), with the old
/// file's write-ahead log removed so it cannot be replayed onto the backup.
fn restore(database: &std::path::Path, from: &std::path::Path) -> Result<(), Failure> {
    if !from.exists() {
        return Err(Failure::Usage(format!(
            "there is no backup at {}",
            from.display()
        )));
    }
    if let Some(problems) = db::integrity_problems(from).map_err(runtime)? {
        return Err(Failure::Runtime(format!(
            "{} fails its integrity check, so it is not restored: {problems}",
            from.display()
        )));
    }
    let beside = |suffix: &str| {
        let mut path = database.as_os_str().to_owned();
        path.push(suffix);
        PathBuf::from(path)
    };
    let incoming = beside(".restoring");
    std::fs::copy(from, &incoming).map_err(runtime)?;
    std::fs::File::open(&incoming)
        .and_then(|file| file.sync_all())
        .map_err(runtime)?;
    if database.exists() {
        std::fs::rename(database, beside(".before-restore")).map_err(runtime)?;
    }
    for stale in [beside("-wal"), beside("-shm")] {
        match std::fs::remove_file(&stale) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(runtime(error));
            }
            _ => {}
        }
    }
    std::fs::rename(&incoming, database).map_err(runtime)?;
    println!(
        "restored {} from {} (the replaced database is kept as {})",
        database.display(),
        from.display(),
        beside(".before-restore").display()
    );
    Ok(())
}

fn read_password_line() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::Usage(format!("cannot read the password from standard input: {e}"))
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
