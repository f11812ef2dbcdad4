//! One memory map of the database for all of this process's connections,
//! kept across commits.
//!
//! SQLite maps the file once per connection, and drops that map when the
//! connection begins a read after any other connection committed
//! (`pagerBeginReadTransaction` unfetches offset 0, no page), in case the
//! file was cut and grown back meanwhile; the next reads fault every page
//! they touch back in. Under a newsroom's writes (hundreds of commits a
//! second, each seen by every pooled reader) that was 10 to 14 % of the
//! server's time at 100,000 articles, in the kernel (`exc_page_fault`,
//! `unmap_page_range`). Kept per connection instead, ten maps of 2 GiB
//! held 34 MiB of page tables and counted each cached page of the file up
//! to ten times in the resident set.
//!
//! So this VFS, SQLite's own but for `xFetch`, `xUnfetch` and `xClose`,
//! hands out pages from one read-only shared map per file, as long as
//! SQLite's ceiling whatever `mmap_size` a connection set (the server sets
//! the ceiling, or no map at all), made at the first page asked for and
//! unmapped when its last connection closes. A shared map shows the file
//! as it is written (pages the log keeper copies in show at once); what a
//! stale map risks is reaching past the file's end, where a read kills the
//! process. So each connection reads through it only up to the file's size
//! when it first asked for a page after the last change it saw, as
//! SQLite's own map does: a reader reads only pages its snapshot holds, and
//! SQLite cuts the file only to the newest snapshot's size once no reader
//! holds an older one. Pages further on (the file grown since, past the
//! ceiling) are read by calls. The map is made from the file's name, so
//! it is kept only while that name still leads to the file SQLite has
//! open: a file renamed over it would have had its pages read as this one's.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::ptr;
use std::sync::{Arc, Mutex, Once, OnceLock, Weak};

use libsqlite3_sys as ffi;

use crate::support::lock;

/// The most of the file a map covers: SQLite's compiled ceiling
/// (`SQLITE_MAX_MMAP_SIZE`), which a larger `mmap_size` is cut to.
pub(super) const MAP_CEILING: u64 = 0x7fff_0000;

/// Bytes past a page handed out that must be in the file too: SQLite may
/// read a few beyond a page of a damaged database (its own VFS keeps 256).
const SLACK_PAST_PAGE: i64 = 256;

/// A file mapped read-only and shared, `MAP_CEILING` bytes long whatever
/// its size.
struct SharedMap {
    start: *mut u8,
}

// SAFETY: the map is read-only and lives until dropped; the pointer is
// only an address to offset from.
unsafe impl Send for SharedMap {}
// SAFETY: as above.
unsafe impl Sync for SharedMap {}

/// A file, by its device and inode: a path may name another file later.
type FileId = (u64, u64);

/// The maps made, each with its file; a process opens one or two.
static MAPS: Mutex<Vec<(FileId, Weak<SharedMap>)>> = Mutex::new(Vec::new());

impl SharedMap {
    /// The map of the file at `path`, made by its first connection to ask.
    fn of(path: &CStr) -> Option<Arc<Self>> {
        let file = std::fs::File::open(std::ffi::OsStr::from_bytes(path.to_bytes())).ok()?;
        let meta = file.metadata().ok()?;
        let mut maps = lock(&MAPS);
        maps.retain(|(_, map)| map.strong_count() > 0);
        let id = (meta.dev(), meta.ino());
        if let Some(map) = maps
            .iter()
            .find(|(of, _)| *of == id)
            .and_then(|(_, map)| map.upgrade())
        {
            return Some(map);
        }
        // SAFETY: a new read-only shared map of an open file; mapping past
        // its end is allowed, and nothing reads there (`Kept::readable`).
        let start = unsafe {
            libc::mmap(
                ptr::null_mut(),
                MAP_CEILING as usize,
                libc::PROT_READ,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        if start == libc::MAP_FAILED {
            return None;
        }
        let map = Arc::new(SharedMap {
            start: start.cast(),
        });
        maps.push((id, Arc::downgrade(&map)));
        Some(map)
    }
}

impl Drop for SharedMap {
    fn drop(&mut self) {
        // SAFETY: the map this made; its last reader is closing, so no page
        // handed out is in use.
        unsafe { libc::munmap(self.start.cast(), MAP_CEILING as usize) };
    }
}

/// What a main database file opened through this VFS keeps after SQLite's
/// own file.
#[repr(C)]
struct Kept {
    /// The methods SQLite gave it, which do the rest.
    original: *const ffi::sqlite3_io_methods,
    /// Its name, as SQLite keeps it until the file is closed.
    name: *const c_char,
    map: Option<Arc<SharedMap>>,
    /// How far into the map this connection reads: the file's size when it
    /// first asked for a page since the last change it saw (negative: not
    /// asked since).
    readable: i64,
}

/// Where `Kept` starts in a file of this VFS: after SQLite's own file,
/// aligned for its fields. Set once, before the VFS is registered.
static KEPT_AT: OnceLock<usize> = OnceLock::new();

/// Makes this VFS the one every connection opened from now on uses.
pub(super) fn use_for_new_connections() {
    static REGISTERED: Once = Once::new();
    REGISTERED.call_once(|| {
        // SAFETY: the default VFS lives as long as the process; the copy
        // registered is leaked, so it does too, and SQLite is told of it
        // before this process opens a file through it.
        unsafe {
            let unix = ffi::sqlite3_vfs_find(ptr::null());
            if unix.is_null() {
                return;
            }
            let align = align_of::<Kept>();
            let kept_at =
                *KEPT_AT.get_or_init(|| ((*unix).szOsFile as usize).div_ceil(align) * align);
            let mut vfs = *unix;
            vfs.szOsFile = (kept_at + size_of::<Kept>()) as c_int;
            vfs.zName = c"unix-shared-map".as_ptr();
            vfs.pAppData = unix.cast();
            vfs.pNext = ptr::null_mut();
            vfs.xOpen = Some(open);
            ffi::sqlite3_vfs_register(Box::into_raw(Box::new(vfs)), 1);
        }
    });
}

/// Where a file of this VFS keeps its `Kept`.
///
/// # Safety
/// `file` is a file of this VFS (`szOsFile` bytes).
unsafe fn place_of_kept(file: *mut ffi::sqlite3_file) -> *mut Kept {
    let kept_at = *KEPT_AT.get().expect("set before any file is opened");
    unsafe { file.cast::<u8>().add(kept_at).cast() }
}

/// # Safety
/// `file` is a file `open` gave these methods.
unsafe fn kept_of<'a>(file: *mut ffi::sqlite3_file) -> &'a mut Kept {
    unsafe { &mut *place_of_kept(file) }
}

/// Opens `name` through SQLite's own VFS; a main database gets methods
/// that read through the shared map.
unsafe extern "C" fn open(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    // SAFETY: SQLite calls this with its arguments for the VFS it found,
    // this one, and `file` of `szOsFile` bytes.
    unsafe {
        let unix: *mut ffi::sqlite3_vfs = (*vfs).pAppData.cast();
        let Some(unix_open) = (*unix).xOpen else {
            return ffi::SQLITE_CANTOPEN;
        };
        let opened = unix_open(unix, name, file, flags, out_flags);
        let methods = (*file).pMethods;
        if opened != ffi::SQLITE_OK
            || flags & ffi::SQLITE_OPEN_MAIN_DB == 0
            || name.is_null()
            || methods.is_null()
        {
            return opened;
        }
        if let Some(sharing) = sharing_map(methods) {
            place_of_kept(file).write(Kept {
                original: methods,
                name,
                map: None,
                readable: -1,
            });
            (*file).pMethods = sharing;
        }
        opened
    }
}

/// `original` with `fetch`, `unfetch` and `close` in place of its own, made
/// once for each set of methods SQLite hands out; `None` for a set that
/// maps nothing.
///
/// # Safety
/// `original` lives as long as the process, as SQLite's methods do.
unsafe fn sharing_map(
    original: *const ffi::sqlite3_io_methods,
) -> Option<*const ffi::sqlite3_io_methods> {
    static MADE: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    // SAFETY: as the caller promised.
    let methods = unsafe { *original };
    if methods.iVersion < 3 || methods.xFetch.is_none() || methods.xClose.is_none() {
        return None;
    }
    let mut made = lock(&MADE);
    if let Some(&(_, sharing)) = made.iter().find(|(from, _)| *from == original as usize) {
        return Some(sharing as *const _);
    }
    let sharing = Box::into_raw(Box::new(ffi::sqlite3_io_methods {
        xFetch: Some(fetch),
        xUnfetch: Some(unfetch),
        xClose: Some(close),
        ..methods
    }));
    made.push((original as usize, sharing as usize));
    Some(sharing)
}

/// A page of the file in the shared map, or none (SQLite then reads it by
/// a call): past what this connection may read of it, or no map.
unsafe extern "C" fn fetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    len: c_int,
    page: *mut *mut c_void,
) -> c_int {
    // SAFETY: only files `open` gave these methods reach here.
    unsafe {
        *page = ptr::null_mut();
        let kept = kept_of(file);
        if kept.readable < 0 {
            kept.readable = readable_now(file, kept);
        }
        if let Some(map) = &kept.map
            && offset >= 0
            && offset + i64::from(len) + SLACK_PAST_PAGE <= kept.readable
        {
            *page = map.start.add(offset as usize).cast();
        }
        ffi::SQLITE_OK
    }
}

/// How far this connection may read through the map from now on: the
/// file's size, within the map (made here if it is not yet); 0 without one.
///
/// # Safety
/// `file` is a file `open` gave these methods, `kept` its own.
unsafe fn readable_now(file: *mut ffi::sqlite3_file, kept: &mut Kept) -> i64 {
    if kept.map.is_none() {
        // SAFETY: SQLite keeps the name until the file is closed.
        let map = SharedMap::of(unsafe { CStr::from_ptr(kept.name) });
        // The map is of the file the name leads to now, opened after SQLite
        // opened its own: kept only if that is still SQLite's file. (Renamed
        // over, the name leads to another file, whose pages would be read as
        // this one's, and reading past its end kills the process.)
        // SAFETY: as above.
        kept.map = map.filter(|_| !unsafe { has_moved(file, kept) });
    }
    let mut size = 0;
    // SAFETY: the original methods of this open file.
    let sized = unsafe {
        (*kept.original)
            .xFileSize
            .map(|file_size| file_size(file, &mut size))
    };
    match (&kept.map, sized) {
        (Some(_), Some(ffi::SQLITE_OK)) => size.min(MAP_CEILING as i64),
        _ => 0,
    }
}

/// Whether the file's name no longer leads to the file SQLite has open
/// (SQLite's own test, `SQLITE_FCNTL_HAS_MOVED`); moved if it cannot tell.
///
/// # Safety
/// `file` is a file `open` gave these methods, `kept` its own.
unsafe fn has_moved(file: *mut ffi::sqlite3_file, kept: &Kept) -> bool {
    let mut moved: c_int = 1;
    // SAFETY: the original methods of this open file, asked what SQLite's
    // unix files answer, into an `int`.
    let asked = unsafe {
        (*kept.original)
            .xFileControl
            .map(|control| control(file, ffi::SQLITE_FCNTL_HAS_MOVED, (&raw mut moved).cast()))
    };
    asked != Some(ffi::SQLITE_OK) || moved != 0
}

/// A page handed out needs nothing back; the whole map "dropped" (another
/// connection committed) means reading the file's size again before the
/// next page.
unsafe extern "C" fn unfetch(
    file: *mut ffi::sqlite3_file,
    _offset: i64,
    page: *mut c_void,
) -> c_int {
    if page.is_null() {
        // SAFETY: only files `open` gave these methods reach here.
        unsafe { kept_of(file).readable = -1 };
    }
    ffi::SQLITE_OK
}

/// Lets go of the map (unmapped with its last connection), then closes the
/// file as SQLite does.
unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: only files `open` gave these methods reach here; `Kept` is
    // dropped once, here, and SQLite uses the file no more.
    unsafe {
        let kept = kept_of(file);
        let original = kept.original;
        ptr::drop_in_place(kept);
        match (*original).xClose {
            Some(unix_close) => unix_close(file),
            None => ffi::SQLITE_OK,
        }
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Total {
        #[diesel(sql_type = BigInt)]
        total: i64,
    }

    fn total(conn: &mut SqliteConnection) -> i64 {
        diesel::sql_query("SELECT count(*) + coalesce(sum(n), 0) AS total FROM t")
            .get_result::<Total>(conn)
            .unwrap()
            .total
    }

    /// A file connection reading through the map, as the pool's readers do.
    fn mapped(file: &std::path::Path) -> SqliteConnection {
        let mut conn = super::super::establish(file.to_str().unwrap()).unwrap();
        conn.batch_execute(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA mmap_size = {MAP_CEILING};"
        ))
        .unwrap();
        conn
    }

    /// How many connections read `file` through its map now.
    fn readers_of_the_map_of(file: &std::path::Path) -> usize {
        let meta = std::fs::metadata(file).unwrap();
        let id = (meta.dev(), meta.ino());
        lock(&MAPS)
            .iter()
            .filter(|(of, _)| *of == id)
            .map(|(_, map)| map.strong_count())
            .sum()
    }

    /// A table of `rows` rows of 500 bytes, all in the file (none in the log).
    fn filled(file: &std::path::Path, rows: i64) -> SqliteConnection {
        let mut writer = mapped(file);
        writer
            .batch_execute(&format!(
                "CREATE TABLE t (n INTEGER NOT NULL, pad TEXT NOT NULL);
                 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows})
                 INSERT INTO t SELECT 1, printf('%.500c', 'x') FROM s;
                 PRAGMA wal_checkpoint(TRUNCATE);"
            ))
            .unwrap();
        writer
    }

    /// Sets every row's `n`, rewriting the pages in place (the file keeps
    /// its size), and copies them into the file.
    fn set_every_n(writer: &mut SqliteConnection, n: i64) {
        writer
            .batch_execute(&format!(
                "UPDATE t SET n = {n}; PRAGMA wal_checkpoint(TRUNCATE);"
            ))
            .unwrap();
    }

    #[test]
    fn one_map_serves_every_connection_to_a_file_and_goes_with_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let mut writer = filled(&file, 100);
        assert_eq!(
            readers_of_the_map_of(&file),
            0,
            "mapped at the first page read"
        );
        assert_eq!(total(&mut writer), 200);
        assert_eq!(readers_of_the_map_of(&file), 1);
        let mut reader = mapped(&file);
        assert_eq!(total(&mut reader), 200);
        assert_eq!(readers_of_the_map_of(&file), 2);
        drop(writer);
        assert_eq!(readers_of_the_map_of(&file), 1);
        drop(reader);
        assert_eq!(readers_of_the_map_of(&file), 0);
    }

    /// A file of `rows` rows in its directory, its writer, and a reader
    /// that has read them through the map.
    struct Mapped {
        dir: tempfile::TempDir,
        writer: SqliteConnection,
        reader: SqliteConnection,
    }

    fn written_and_read(rows: i64) -> Mapped {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let writer = filled(&file, rows);
        let mut reader = mapped(&file);
        assert_eq!(total(&mut reader), rows + rows);
        Mapped {
            dir,
            writer,
            reader,
        }
    }

    #[test]
    fn a_connection_whose_file_was_renamed_over_reads_its_own_file_not_the_new_one() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let _writer = filled(&file, 100);
        let other = dir.path().join("b.db");
        drop(filled(&other, 3000));
        // Opened before the rename, its first page read after it.
        let mut reader = super::super::establish(file.to_str().unwrap()).unwrap();
        std::fs::rename(&other, &file).unwrap();
        reader
            .batch_execute(&format!("PRAGMA mmap_size = {MAP_CEILING};"))
            .unwrap();
        assert_eq!(total(&mut reader), 200);
        assert_eq!(
            readers_of_the_map_of(&file),
            0,
            "the file now at the name is not mapped for it"
        );
    }

    #[test]
    fn a_reader_sees_each_commit_copied_into_the_mapped_file() {
        // The directory is kept to the end: the files live in it.
        let Mapped {
            dir: _dir,
            mut writer,
            mut reader,
        } = written_and_read(2000);
        // Each commit is copied into the file in place, its size unchanged:
        // the reader reads the new pages where it read the old ones.
        for n in 2..=4 {
            set_every_n(&mut writer, n);
            assert_eq!(total(&mut reader), 2000 + 2000 * n);
        }
        // Grown: read to its new end.
        writer
            .batch_execute(
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000)
                 INSERT INTO t SELECT 1, printf('%.500c', 'y') FROM s;
                 PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .unwrap();
        assert_eq!(total(&mut reader), 4000 + 2000 * 4 + 2000);
    }

    #[test]
    fn a_reader_reads_a_file_cut_short_through_the_shared_map() {
        let Mapped {
            dir,
            mut writer,
            mut reader,
        } = written_and_read(4000);
        let file = dir.path().join("a.db");
        for n in 2..=3 {
            set_every_n(&mut writer, n);
            assert_eq!(total(&mut reader), 4000 + 4000 * n);
        }
        let before = std::fs::metadata(&file).unwrap().len();
        writer
            .batch_execute(
                "DELETE FROM t WHERE rowid > 10; VACUUM; PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .unwrap();
        assert!(std::fs::metadata(&file).unwrap().len() < before / 10);
        assert_eq!(total(&mut reader), 10 + 10 * 3);
    }
}
