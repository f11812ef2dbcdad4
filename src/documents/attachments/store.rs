//! Content-addressed files on disk: each stored once, named by its SHA-256,
//! in `attachments/` beside the database (the database holds only the name).
//! Every call blocks: run it on the blocking pool.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

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
        let sha256 = hex::encode(Sha256::digest(bytes));
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

    /// Stores every file of this store in `target` too (those it has are
    /// left as they are); answers how many files there were.
    pub fn copy_into(&self, target: &FileStore) -> io::Result<u64> {
        let Ok(spread) = std::fs::read_dir(&self.root) else {
            return Ok(0);
        };
        let mut files = 0;
        for directory in spread {
            for file in std::fs::read_dir(directory?.path())? {
                let path = file?.path();
                // Temporaries of writes that never finished start with a dot.
                if path
                    .file_name()
                    .is_some_and(|name| !name.to_string_lossy().starts_with('.'))
                {
                    target.put(&std::fs::read(&path)?)?;
                    files += 1;
                }
            }
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
