//! Each connection keeps its memory map of the database across other
//! connections' commits.
//!
//! SQLite drops a connection's whole map of the file when it begins a read
//! after any other connection committed (`pagerBeginReadTransaction`
//! unfetches offset 0, no page), in case the file was cut and grown back
//! meanwhile. The next reads fault every page they touch back into the
//! process. Under a newsroom's writes (hundreds of commits a second, each
//! seen by every pooled reader) that was 10 to 14 % of the server's time
//! at 100,000 articles, in the kernel (`exc_page_fault`, `unmap_page_range`).
//!
//! On every Unix a shared map shows the file as it is written: pages the
//! log keeper copies into the file show through the map at once. What a
//! stale map risks is reaching past the file's end, where a read kills the
//! process; a reader reads only pages its snapshot holds, and SQLite cuts
//! the file only to the newest snapshot's size, once no reader holds an
//! older one. So this VFS, SQLite's own with that one call changed, keeps
//! the map while the file is the size it was (or both sizes are past what
//! a map covers), and lets SQLite drop it otherwise: a file grown is mapped
//! anew to its end, a file cut is not read through a map longer than it.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::{Mutex, Once, OnceLock};

use libsqlite3_sys as ffi;

use crate::support::lock;

/// The most of the file a connection maps: SQLite's compiled ceiling
/// (`SQLITE_MAX_MMAP_SIZE`), which a larger `mmap_size` is cut to.
pub(super) const MAP_CEILING: u64 = 0x7fff_0000;

/// What a main database file opened through this VFS keeps after SQLite's
/// own file: the methods SQLite gave it, and its size when its map was last
/// dropped.
#[repr(C)]
struct Kept {
    original: *const ffi::sqlite3_io_methods,
    size_when_dropped: i64,
}

/// Where `Kept` starts in a file of this VFS: after SQLite's own file,
/// aligned for its pointer. Set once, before the VFS is registered.
static KEPT_AT: OnceLock<usize> = OnceLock::new();

/// Makes this VFS the one every connection opened from now on uses, where
/// a shared map follows its file as written (every Unix: one cache holds
/// what is mapped and what is written).
pub(super) fn use_for_new_connections() {
    static REGISTERED: Once = Once::new();
    if cfg!(not(unix)) {
        return;
    }
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
            vfs.zName = c"unix-kept-map".as_ptr();
            vfs.pAppData = unix.cast();
            vfs.pNext = ptr::null_mut();
            vfs.xOpen = Some(open);
            ffi::sqlite3_vfs_register(Box::into_raw(Box::new(vfs)), 1);
        }
    });
}

/// SQLite's VFS under this one.
///
/// # Safety
/// `vfs` is the VFS `use_for_new_connections` registered.
unsafe fn unix_of(vfs: *mut ffi::sqlite3_vfs) -> *mut ffi::sqlite3_vfs {
    unsafe { (*vfs).pAppData.cast() }
}

/// # Safety
/// `file` is a file of this VFS.
unsafe fn kept_of(file: *mut ffi::sqlite3_file) -> *mut Kept {
    let kept_at = *KEPT_AT.get().expect("set before any file is opened");
    unsafe { file.cast::<u8>().add(kept_at).cast() }
}

/// Opens `name` through SQLite's own VFS; a main database gets methods
/// that keep its map.
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
        let unix = unix_of(vfs);
        let Some(unix_open) = (*unix).xOpen else {
            return ffi::SQLITE_CANTOPEN;
        };
        let opened = unix_open(unix, name, file, flags, out_flags);
        let methods = (*file).pMethods;
        if opened != ffi::SQLITE_OK || flags & ffi::SQLITE_OPEN_MAIN_DB == 0 || methods.is_null() {
            return opened;
        }
        if let Some(keeping) = keeping_map(methods) {
            kept_of(file).write(Kept {
                original: methods,
                size_when_dropped: -1,
            });
            (*file).pMethods = keeping;
        }
        opened
    }
}

/// `original` with `unfetch` in place of its own, made once for each set
/// of methods SQLite hands out; `None` for a set that maps nothing.
///
/// # Safety
/// `original` lives as long as the process, as SQLite's methods do.
unsafe fn keeping_map(
    original: *const ffi::sqlite3_io_methods,
) -> Option<*const ffi::sqlite3_io_methods> {
    static MADE: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
    // SAFETY: as the caller promised.
    let methods = unsafe { *original };
    if methods.iVersion < 3 || methods.xUnfetch.is_none() {
        return None;
    }
    let mut made = lock(&MADE);
    if let Some(&(_, keeping)) = made.iter().find(|(from, _)| *from == original as usize) {
        return Some(keeping as *const _);
    }
    let keeping = Box::into_raw(Box::new(ffi::sqlite3_io_methods {
        xUnfetch: Some(unfetch),
        ..methods
    }));
    made.push((original as usize, keeping as usize));
    Some(keeping)
}

/// SQLite's unfetch, but for the whole map of a file whose size allows
/// keeping it.
unsafe extern "C" fn unfetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    page: *mut c_void,
) -> c_int {
    // SAFETY: only files `open` gave these methods reach here, so `Kept`
    // follows SQLite's file, and its methods are the original ones.
    unsafe {
        let kept = &mut *kept_of(file);
        let original = &*kept.original;
        if page.is_null() && offset == 0 {
            let mut size = 0;
            let sized = original
                .xFileSize
                .map(|file_size| file_size(file, &mut size));
            if sized == Some(ffi::SQLITE_OK) && may_keep(kept.size_when_dropped, size) {
                return ffi::SQLITE_OK;
            }
            kept.size_when_dropped = if sized == Some(ffi::SQLITE_OK) {
                size
            } else {
                -1
            };
        }
        match original.xUnfetch {
            Some(unix_unfetch) => unix_unfetch(file, offset, page),
            None => ffi::SQLITE_OK,
        }
    }
}

/// Whether a map made after the file was `before` bytes still lies within
/// it at `now` bytes: the same size, or both past what a map covers (the
/// map stops at the ceiling, inside both).
fn may_keep(before: i64, now: i64) -> bool {
    let ceiling = MAP_CEILING as i64;
    now == before || (before >= ceiling && now >= before)
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

    /// A file connection reading through its map, as the pool's readers do.
    fn mapped(file: &std::path::Path) -> SqliteConnection {
        let mut conn = super::super::establish(file.to_str().unwrap()).unwrap();
        conn.batch_execute(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA mmap_size = {MAP_CEILING};"
        ))
        .unwrap();
        conn
    }

    #[test]
    fn only_a_map_that_still_lies_within_the_file_is_kept() {
        let ceiling = MAP_CEILING as i64;
        let cases = [
            (-1, 4096, false),
            (8192, 8192, true),
            (8192, 12288, false),
            (8192, 4096, false),
            (ceiling, ceiling + 4096, true),
            (ceiling + 8192, ceiling + 4096, false),
            (ceiling - 4096, ceiling + 4096, false),
        ];
        for (before, now, kept) in cases {
            assert_eq!(may_keep(before, now), kept, "{before} → {now}");
        }
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
    fn a_reader_sees_each_commit_copied_into_the_file_it_keeps_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let mut writer = filled(&file, 2000);
        let mut reader = mapped(&file);
        assert_eq!(total(&mut reader), 2000 + 2000);
        // The first commit seen drops the map; the next ones, the file
        // being the same size, keep it, and the reader must read the new
        // pages through it.
        for n in 2..=4 {
            set_every_n(&mut writer, n);
            assert_eq!(total(&mut reader), 2000 + 2000 * n);
        }
        // Grown: mapped anew to its end.
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
    fn a_reader_reads_a_file_cut_short_under_its_kept_map() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.db");
        let mut writer = filled(&file, 4000);
        let mut reader = mapped(&file);
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
