//! `bulletin-api import nukeviet`: a NukeViet 4.5 portal (news, comments,
//! laws modules) from a `mysqldump`/`mariadb-dump` file, in one transaction.
//!
//! Three layers: the dump read into typed rows ([`rows`]), those rows mapped
//! to our values ([`mapping`]), and the writes ([`write`]), all or nothing.
//! Every row imported is remembered by its NukeViet id (see
//! [`crate::legacy`]), so running the same import again changes nothing.

mod mapping;
mod rows;
mod write;

use crate::text::lang::Lang;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDateTime};

use super::Progress;
use super::report::Report;
use crate::db::{Database, StoreError};
pub use rows::{Portal, PortalError};

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The table prefix (`nv4`).
    pub prefix: String,
    /// The site language of the module tables (`vi`: `nv4_vi_news_rows`).
    pub lang: String,
    /// Write nothing; report what would be written.
    pub dry_run: bool,
    /// The old site's address (`https://sonoivu.binhdinh.gov.vn`), for
    /// images stored as paths under it.
    pub site_url: Option<String>,
    /// The portal's local time: laws dates are midnights there.
    pub offset: FixedOffset,
    pub now: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Portal(#[from] PortalError),
    #[error("writing to the database failed, so nothing was imported: {0}")]
    Store(#[from] StoreError),
    #[error("the scratch file for the articles' bodies failed, so nothing was imported: {0}")]
    Spool(std::io::Error),
}

/// How the transaction ends when it does not commit.
enum Abort {
    /// A dry run: everything was written, then rolled back.
    DryRun(Box<Report>),
    Store(StoreError),
    /// A body set aside could not be read back.
    Spool(std::io::Error),
}

impl From<StoreError> for Abort {
    fn from(error: StoreError) -> Self {
        Abort::Store(error)
    }
}

impl From<diesel::result::Error> for Abort {
    fn from(error: diesel::result::Error) -> Self {
        Abort::Store(error.into())
    }
}

/// Reads the dump `sql` (all of it in memory) and imports the portal it
/// holds into `db`, in one transaction; answers what was done (or, for a
/// dry run, would have been). The command reads a dump from its file a
/// statement at a time instead ([`Portal::read`]).
pub async fn import(db: &Database, sql: String, options: Options) -> Result<Report, ImportError> {
    // Parsing a large dump takes a while: not on the async executor.
    let (prefix, lang) = (options.prefix.clone(), options.lang.clone());
    let portal = actix_web::web::block(move || Portal::read(sql.as_bytes(), &prefix, &lang))
        .await
        .map_err(StoreError::from)??;
    import_portal(db, portal, options, Arc::new(Progress::silent())).await
}

/// Imports a portal already read (see [`read`]) into `db`, in one
/// transaction, showing its `progress`.
pub async fn import_portal(
    db: &Database,
    portal: Portal,
    options: Options,
    progress: Arc<Progress>,
) -> Result<Report, ImportError> {
    let outcome = db
        .write_once(move |conn| {
            let mut report = Report::new(&options.prefix, &options.lang, options.dry_run);
            // NukeViet names its languages by ISO 639-1 codes, which are tags.
            let lang = Lang::parse(&options.lang).unwrap_or_default();
            let context = write::Context {
                now: options.now,
                offset: options.offset,
                site_url: options.site_url.as_deref(),
                lang: &lang,
                progress: &progress,
            };
            write::portal(conn, portal, &context, &mut report)?;
            if options.dry_run {
                return Err(Abort::DryRun(Box::new(report)));
            }
            Ok(report)
        })
        .await;
    match outcome {
        Ok(report) => {
            db.merge_search_index().await?;
            // Thousands of rows at once: plans must see them.
            db.refresh_statistics().await?;
            db.checkpoint().await?;
            Ok(report)
        }
        Err(Abort::DryRun(report)) => Ok(*report),
        Err(Abort::Store(error)) => Err(ImportError::Store(error)),
        Err(Abort::Spool(error)) => Err(ImportError::Spool(error)),
    }
}
