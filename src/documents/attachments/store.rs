//! Where attachment and image (media library) bytes are kept: content-addressed, each content stored
//! once under its SHA-256 and never changed under it (the database's
//! attachment rows hold only the digest). Files on disk beside a SQLite
//! database or in a directory every node mounts, or rows of the database
//! itself, which every node reads without a shared disk (the default on
//! PostgreSQL). An S3-compatible store would be one more kind here.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::web;
use diesel::QueryResult;
use sha2::{Digest, Sha256};

use super::queries;
use crate::db::{Database, DbConnection, StoreError};

/// Why bytes could not be kept or found.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error("attachment file: {0}")]
    File(#[from] io::Error),
    #[error(transparent)]
    Database(#[from] StoreError),
    #[error("the bytes of {0} are kept nowhere")]
    Missing(String),
    #[error("the blocking task was cancelled or panicked")]
    Blocking,
}

impl From<actix_web::error::BlockingError> for ContentError {
    fn from(_: actix_web::error::BlockingError) -> Self {
        ContentError::Blocking
    }
}

/// The attachment store a node was configured with.
#[derive(Clone)]
pub enum AttachmentStore {
    /// Files in a directory.
    Files(FileStore),
    /// Rows of `attachment_contents`. A node writes what it serves to a
    /// directory of its own (removed when it stops) and serves that file,
    /// so ranges and repeated downloads cost no more than on disk; a copy
    /// there is never stale, since bytes never change under their digest.
    Database {
        db: Database,
        served: Arc<ServedCopies>,
    },
}

/// Bytes taken in by [`AttachmentStore::receive`].
pub enum Incoming {
    /// Kept already (as a file), under this digest.
    Kept(String),
    /// To be kept in the transaction that records their attachment, so no
    /// removal of the last attachment holding the same bytes can come
    /// between their keeping and their new attachment.
    InTransaction { sha256: String, bytes: Vec<u8> },
}

impl Incoming {
    pub fn sha256(&self) -> &str {
        match self {
            Incoming::Kept(sha256) | Incoming::InTransaction { sha256, .. } => sha256,
        }
    }

    /// Keeps the bytes in `conn`'s transaction, when that is where they go.
    pub fn keep(&self, conn: &mut DbConnection) -> QueryResult<()> {
        match self {
            Incoming::Kept(_) => Ok(()),
            Incoming::InTransaction { sha256, bytes } => queries::keep_content(conn, sha256, bytes),
        }
    }
}

/// A node's copies of the bytes it served from the database.
pub struct ServedCopies {
    files: FileStore,
    _directory: tempfile::TempDir,
}

impl AttachmentStore {
    /// Bytes kept in `db`, served through a new temporary directory.
    pub fn in_database(db: Database) -> io::Result<Self> {
        let directory = tempfile::Builder::new()
            .prefix("bulletin-attachments-")
            .tempdir()?;
        let files = FileStore::at(directory.path());
        Ok(AttachmentStore::Database {
            db,
            served: Arc::new(ServedCopies {
                files,
                _directory: directory,
            }),
        })
    }

    /// Takes `bytes` in: into their file at once, or, for the database,
    /// ready to be kept by the transaction that records their attachment.
    pub async fn receive(&self, bytes: Vec<u8>) -> Result<Incoming, ContentError> {
        match self {
            AttachmentStore::Files(files) => {
                let files = files.clone();
                Ok(Incoming::Kept(
                    web::block(move || files.put(&bytes)).await??,
                ))
            }
            AttachmentStore::Database { .. } => {
                let (sha256, bytes) = web::block(move || (digest(&bytes), bytes)).await?;
                Ok(Incoming::InTransaction { sha256, bytes })
            }
        }
    }

    /// A file holding the bytes kept under `sha256`, to serve.
    pub async fn file(&self, sha256: &str) -> Result<PathBuf, ContentError> {
        let (db, served) = match self {
            AttachmentStore::Files(files) => return Ok(files.path(sha256)),
            AttachmentStore::Database { db, served } => (db, served),
        };
        let path = served.files.path(sha256);
        let known = path.clone();
        if web::block(move || known.exists()).await? {
            return Ok(path);
        }
        let key = sha256.to_owned();
        let bytes = db
            .read(move |conn| queries::content(conn, &key))
            .await?
            .ok_or_else(|| ContentError::Missing(sha256.to_owned()))?;
        let served = Arc::clone(served);
        web::block(move || served.files.put(&bytes)).await??;
        Ok(path)
    }

    /// Forgets the bytes of these digests, each unless an attachment holds
    /// it again. A failure leaves unused bytes, never missing ones: it is
    /// logged, and the caller's answer stands.
    pub async fn remove_unused(&self, digests: Vec<String>) {
        if digests.is_empty() {
            return;
        }
        let removed = match self {
            AttachmentStore::Files(files) => remove_files(files.clone(), digests).await,
            AttachmentStore::Database { db, served } => {
                let forgotten = digests.clone();
                let rows = db
                    .write_quietly(move |conn| {
                        forgotten.iter().try_for_each(|sha256| {
                            queries::forget_unused_content(conn, sha256)
                                .map_err(|e| ContentError::from(StoreError::from(e)))
                        })
                    })
                    .await;
                // The copies this node served; the bytes they hold are gone.
                rows.and(remove_files(served.files.clone(), digests).await)
            }
        };
        if let Err(error) = removed {
            tracing::warn!(%error, "could not remove unused attachment bytes");
        }
    }
}

async fn remove_files(files: FileStore, digests: Vec<String>) -> Result<(), ContentError> {
    web::block(move || digests.iter().try_for_each(|sha256| files.remove(sha256))).await??;
    Ok(())
}

/// Whether a file is the temporary of a write that never finished.
fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .is_none_or(|name| name.to_string_lossy().starts_with('.'))
}

/// The digest bytes are kept under.
fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Files in a directory, spread over 256 subdirectories by digest. Every
/// call blocks: run it on the blocking pool.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    /// The store beside a database file.
    pub fn beside(database: &Path) -> Self {
        Self::at(
            &database
                .parent()
                .unwrap_or(Path::new("."))
                .join("attachments"),
        )
    }

    /// The store in `directory`.
    pub fn at(directory: &Path) -> Self {
        Self {
            root: directory.to_owned(),
        }
    }

    /// Where the file with this digest lives (spread over 256 directories).
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }

    /// Stores `bytes` unless the same bytes are there already; answers their digest.
    /// Written to a temporary name and renamed, so a file is whole or absent:
    /// a write that fails (a full disk) removes what it had written.
    pub fn put(&self, bytes: &[u8]) -> io::Result<String> {
        let sha256 = digest(bytes);
        let path = self.path(&sha256);
        if path.exists() {
            return Ok(sha256);
        }
        let directory = path.parent().expect("a stored file has a directory");
        std::fs::create_dir_all(directory)?;
        let temporary = directory.join(format!(".{sha256}.{}", uuid::Uuid::new_v4()));
        let written =
            write_synced(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, &path));
        if let Err(error) = written {
            // Best effort: the temporary may not exist if creating it failed.
            let _ = std::fs::remove_file(&temporary);
            return Err(error);
        }
        Ok(sha256)
    }

    /// Every file of this store, as its digest and bytes, each read when
    /// its turn comes.
    pub fn contents(
        &self,
    ) -> io::Result<impl ExactSizeIterator<Item = io::Result<(String, Vec<u8>)>> + Send + use<>>
    {
        let mut paths = Vec::new();
        if let Ok(spread) = std::fs::read_dir(&self.root) {
            for directory in spread {
                for file in std::fs::read_dir(directory?.path())? {
                    paths.push(file?.path());
                }
            }
        }
        paths.retain(|path| !is_temporary(path));
        Ok(paths.into_iter().map(|path| {
            let digest = path.file_name().unwrap_or_default().to_string_lossy();
            Ok((digest.into_owned(), std::fs::read(&path)?))
        }))
    }

    /// The directory the files are in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Stores every file of this store in `target` too (those it has are
    /// left as they are); answers how many files there were.
    pub fn copy_into(&self, target: &FileStore) -> io::Result<u64> {
        let mut files = 0;
        for content in self.contents()? {
            target.put(&content?.1)?;
            files += 1;
        }
        Ok(files)
    }

    /// Removes the file with this digest, if it is there.
    pub fn remove(&self, sha256: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(sha256)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Whether an I/O error means there is no room left for what was written.
pub fn is_out_of_space(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_stored_once_under_their_digest() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::beside(&dir.path().join("bulletin.db"));
        let first = store.put(b"%PDF-1.7 one").unwrap();
        let again = store.put(b"%PDF-1.7 one").unwrap();
        assert_eq!(first, again);
        assert_eq!(std::fs::read(store.path(&first)).unwrap(), b"%PDF-1.7 one");
        assert!(
            store
                .path(&first)
                .starts_with(dir.path().join("attachments"))
        );
        store.remove(&first).unwrap();
        store.remove(&first).unwrap();
        assert!(!store.path(&first).exists());
    }

    #[test]
    fn a_copy_into_another_store_brings_every_file_once() {
        let (from, to) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let source = FileStore::at(from.path());
        let target = FileStore::at(to.path());
        let kept = target.put(b"already there").unwrap();
        let digests = [
            source.put(b"one").unwrap(),
            source.put(b"two").unwrap(),
            source.put(b"already there").unwrap(),
        ];
        assert_eq!(source.copy_into(&target).unwrap(), 3);
        for digest in &digests {
            assert_eq!(
                std::fs::read(target.path(digest)).unwrap(),
                std::fs::read(source.path(digest)).unwrap()
            );
        }
        assert!(target.path(&kept).exists());
        assert_eq!(
            FileStore::at(&to.path().join("none"))
                .copy_into(&source)
                .unwrap(),
            0
        );
    }
}
