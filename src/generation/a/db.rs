//! The SQLite database `config-store.sqlite3` (spec §3): one table of
//! storage key → value, written with upserts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::error::{Result, StoreError};
use crate::fsutil;

pub const SCHEMA_SQL: &str = "CREATE TABLE IF NOT EXISTS config_entries (
  storage_key   TEXT PRIMARY KEY,
  value         TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
)";

/// Storage keys of spec §3.
pub const SETTINGS_KEY: &str = "xworkmate.settings.snapshot";
pub const THREADS_KEY: &str = "xworkmate.assistant.threads";
pub const AUDIT_KEY: &str = "xworkmate.secrets.audit";

/// One row of `config_entries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub value: String,
    pub updated_at_ms: i64,
}

/// A stored value, read as a stream ([`ConfigDb::open_value`]).
pub struct ValueStream<'c> {
    /// The value's size in bytes.
    pub bytes: u64,
    reader: ValueReader<'c>,
}

enum ValueReader<'c> {
    Blob(rusqlite::blob::Blob<'c>),
    Whole(std::io::Cursor<Vec<u8>>),
}

impl std::io::Seek for ValueStream<'_> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        match &mut self.reader {
            ValueReader::Blob(b) => b.seek(pos),
            ValueReader::Whole(c) => c.seek(pos),
        }
    }
}

impl std::io::Read for ValueStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match &mut self.reader {
            ValueReader::Blob(b) => b.read(buf),
            ValueReader::Whole(c) => c.read(buf),
        }
    }
}

/// One row's key and size, as listed by inspect and clear plans.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryInfo {
    pub storage_key: String,
    pub bytes: u64,
    pub updated_at_ms: i64,
}

/// An open `config-store.sqlite3`.
#[derive(Debug)]
pub struct ConfigDb {
    conn: Connection,
    path: PathBuf,
    /// The private copy a WAL database is read from (removed on drop).
    _copy: Option<tempfile::TempDir>,
    /// A rollback journal of an interrupted write (a killed writer,
    /// XWorkmate's own crash) was found beside the database: it was read as
    /// SQLite will read it, rolled back in a private copy.
    interrupted_write: bool,
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The rollback journal beside a database, when one is there with content:
/// a write was interrupted, and the next read-write open rolls it back.
pub fn hot_journal(db: &Path) -> Option<PathBuf> {
    let journal = sidecar(db, "-journal");
    match fsutil::check_readable(&journal) {
        Ok(Some(meta)) if meta.len() > 0 => Some(journal),
        _ => None,
    }
}

/// The database's write lock, held from [`ConfigDb::write_lock`].
pub struct WriteLock<'a> {
    tx: rusqlite::Transaction<'a>,
    path: PathBuf,
}

impl WriteLock<'_> {
    /// Deletes the rows of `keys` and commits.
    pub fn delete_and_commit(self, keys: &[&str]) -> Result<usize> {
        let mut n = 0;
        for key in keys {
            n += self
                .tx
                .execute("DELETE FROM config_entries WHERE storage_key = ?1", [key])
                .map_err(|e| StoreError::db(&self.path, e))?;
            crate::fault::point("db.row_deleted");
        }
        self.tx
            .commit()
            .map_err(|e| StoreError::db(&self.path, e))?;
        crate::fault::point("db.committed");
        Ok(n)
    }
}

impl ConfigDb {
    /// Opens (creating if needed) the database for writing and ensures the table.
    pub fn open_rw(path: &Path) -> Result<Self> {
        // A database this tool creates is private (0600), like the mirrors
        // and secret files beside it; SQLite gives its journals the same mode.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(fsutil::SECRET_FILE_MODE)
                .open(path)
            {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(StoreError::io("cannot create", path, e)),
            }
        }
        // A link in the database's place is never followed (SQLite refuses it).
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NOFOLLOW;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::db(path, e))?;
        // SQLite quietly opens a file it may not write (a read-only mount, a
        // write-protected file) read-only: say so now, before anything else.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::io(
                "cannot write (read-only)",
                path,
                std::io::Error::from(std::io::ErrorKind::ReadOnlyFilesystem),
            ));
        }
        Self::prepare(conn, path, true)
    }

    /// An in-memory database (only when a caller explicitly asks for it).
    pub fn open_in_memory() -> Result<Self> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| StoreError::db(&path, e))?;
        Self::prepare(conn, &path, true)
    }

    /// Opens an existing database read-only; creates nothing in its folder.
    /// `Ok(None)` when the file does not exist.
    ///
    /// A database in WAL mode cannot be read in place without SQLite creating
    /// `-shm`/`-wal` files beside it, so such a database (with its `-wal` file,
    /// if any) is copied to a private temporary folder and the copy is read.
    pub fn open_ro(path: &Path) -> Result<Option<Self>> {
        let mut header = [0u8; 20];
        // A FIFO, device or link in the database's place is not opened.
        if fsutil::check_readable(path)?.is_none() {
            return Ok(None);
        }
        match std::fs::File::open(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::io("cannot read", path, e)),
            Ok(mut f) => {
                use std::io::Read;
                // A short file is not a database; SQLite reports that below.
                let _ = f.read(&mut header);
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let is_wal = &header[..16] == b"SQLite format 3\0" && (header[18] == 2 || header[19] == 2);
        let journal = hot_journal(path);
        if !is_wal && journal.is_none() {
            let conn =
                Connection::open_with_flags(path, flags).map_err(|e| StoreError::db(path, e))?;
            return Self::prepare(conn, path, false).map(Some);
        }
        let copy = tempfile::Builder::new()
            .prefix("xworkmate-ro-")
            .tempdir()
            .map_err(|e| StoreError::io("cannot create a temporary folder for", path, e))?;
        let target = copy.path().join("config-store.sqlite3");
        std::fs::copy(path, &target).map_err(|e| StoreError::io("cannot read", path, e))?;
        // The -wal or the hot -journal beside it (a FIFO or link there is not
        // read either).
        for suffix in ["-wal", "-journal"] {
            let side = sidecar(path, suffix);
            fsutil::check_readable(&side)?;
            match std::fs::copy(&side, sidecar(&target, suffix)) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::io("cannot read", side, e)),
            }
        }
        // The copy is ours: opening it read-write lets SQLite apply the WAL,
        // or roll the interrupted write back, as it will in place.
        let conn = Connection::open(&target).map_err(|e| StoreError::db(path, e))?;
        let mut db = Self::prepare(conn, path, false)?;
        db._copy = Some(copy);
        db.interrupted_write = journal.is_some();
        Ok(Some(db))
    }

    fn prepare(conn: Connection, path: &Path, create: bool) -> Result<Self> {
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::db(path, e))?;
        if create {
            conn.execute_batch(SCHEMA_SQL)
                .map_err(|e| StoreError::db(path, e))?;
        }
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            _copy: None,
            interrupted_write: false,
        })
    }

    /// True when a rollback journal of an interrupted write was found (and
    /// rolled back in a private copy for reading).
    pub fn interrupted_write(&self) -> bool {
        self.interrupted_write
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA quick_check`: `Ok(())` when the database is sound, else the
    /// problems SQLite reports.
    /// `PRAGMA quick_check`: `Err` when the database cannot be checked (a
    /// SQLite error, e.g. a lock) or is damaged (SQLITE_CORRUPT naming the
    /// problems SQLite found).
    pub fn quick_check(&self) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check")
            .map_err(|e| StoreError::db(&self.path, e))?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| StoreError::db(&self.path, e))?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(())
        } else {
            Err(StoreError::Database {
                path: self.path.clone(),
                source: rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                    Some(rows.join("; ")),
                ),
            })
        }
    }

    /// True when the `config_entries` table exists.
    pub fn has_table(&self) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'config_entries'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > 0)
            .map_err(|e| StoreError::db(&self.path, e))
    }

    pub fn get(&self, key: &str) -> Result<Option<Entry>> {
        if !self.has_table()? {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT value, updated_at_ms FROM config_entries WHERE storage_key = ?1",
                [key],
                |r| {
                    Ok(Entry {
                        value: r.get(0)?,
                        updated_at_ms: r.get(1)?,
                    })
                },
            )
            .optional()
            .map_err(|e| StoreError::db(&self.path, e))
    }

    /// A value read as a stream (SQLite's incremental blob I/O), so that a
    /// thread list of any size is never held whole: its size, its time, and
    /// a reader. A value that is not text (or a table or database this can
    /// not stream from) is read whole instead, through [`ConfigDb::get`].
    pub fn open_value(&self, key: &str) -> Result<Option<ValueStream<'_>>> {
        if !self.has_table()? {
            return Ok(None);
        }
        let db = |e| StoreError::db(&self.path, e);
        let utf8 = self
            .conn
            .query_row("PRAGMA encoding", [], |r| r.get::<_, String>(0))
            .map_err(db)?
            == "UTF-8";
        let row = self
            .conn
            .query_row(
                // Neither its size nor `updated_at_ms` (stored after the
                // value: reading it walks the whole overflow chain of a
                // large value): the blob handle knows the size.
                "SELECT rowid, typeof(value) FROM config_entries WHERE storage_key = ?1",
                [key],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .optional();
        match row {
            Ok(None) => return Ok(None),
            Ok(Some((rowid, kind))) if utf8 && kind == "text" => {
                let blob = self
                    .conn
                    .blob_open(rusqlite::MAIN_DB, "config_entries", "value", rowid, true)
                    .map_err(db)?;
                return Ok(Some(ValueStream {
                    bytes: blob.len() as u64,
                    reader: ValueReader::Blob(blob),
                }));
            }
            // Not text, another encoding, or no rowid (WITHOUT ROWID): whole.
            Ok(Some(_)) | Err(_) => {}
        }
        Ok(self.get(key)?.map(|e| ValueStream {
            bytes: e.value.len() as u64,
            reader: ValueReader::Whole(std::io::Cursor::new(e.value.into_bytes())),
        }))
    }

    /// When a value was written (`updated_at_ms`). Reading it walks a large
    /// value's overflow chain (the column is stored after the value), so it
    /// is asked for once, apart from the value's streams.
    pub fn updated_at_ms(&self, key: &str) -> Result<Option<i64>> {
        if !self.has_table()? {
            return Ok(None);
        }
        self.conn
            .query_row(
                "SELECT updated_at_ms FROM config_entries WHERE storage_key = ?1",
                [key],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map_err(|e| StoreError::db(&self.path, e))
    }

    /// Every row's key and size.
    pub fn entries(&self) -> Result<Vec<EntryInfo>> {
        if !self.has_table()? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT storage_key, octet_length(value), updated_at_ms FROM config_entries ORDER BY storage_key")
            .map_err(|e| StoreError::db(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(EntryInfo {
                    storage_key: r.get(0)?,
                    bytes: r.get::<_, i64>(1)? as u64,
                    updated_at_ms: r.get(2)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| StoreError::db(&self.path, e))?;
        Ok(rows)
    }

    /// Each row's key and its value's size in bytes, without its time:
    /// `updated_at_ms` is stored after the value, and reading it walks the
    /// value's whole overflow chain (`entries` does; this reads only the
    /// record headers).
    pub fn sizes(&self) -> Result<Vec<(String, u64)>> {
        if !self.has_table()? {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT storage_key, octet_length(value) FROM config_entries ORDER BY storage_key",
            )
            .map_err(|e| StoreError::db(&self.path, e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| StoreError::db(&self.path, e))?;
        Ok(rows)
    }

    /// Upserts a value, trimmed; an empty value is never written.
    pub fn upsert(&self, key: &str, value: &str, now_ms: i64) -> Result<()> {
        let value = value.trim();
        if value.is_empty() {
            return Err(StoreError::invalid(key, "an empty value is never written"));
        }
        crate::fault::point("db.before_upsert");
        let done = self
            .conn
            .execute(
                "INSERT INTO config_entries (storage_key, value, updated_at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(storage_key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                params![key, value, now_ms],
            )
            .map(|_| ())
            .map_err(|e| StoreError::db(&self.path, e));
        crate::fault::point("db.upserted");
        done
    }

    /// Deletes rows in one transaction. Returns how many existed.
    pub fn delete(&mut self, keys: &[&str]) -> Result<usize> {
        self.write_lock()?.delete_and_commit(keys)
    }

    /// Takes the database's write lock now (`BEGIN IMMEDIATE`, waiting at most
    /// the busy timeout), for a caller that must know it can write before it
    /// changes anything else. Dropped without [`WriteLock::delete_and_commit`],
    /// it rolls back.
    pub fn write_lock(&mut self) -> Result<WriteLock<'_>> {
        let path = self.path.clone();
        // What is deleted under this lock is overwritten with zeros, so
        // cleared text does not stay readable in the file's free pages.
        self.conn
            .pragma_update(None, "secure_delete", "ON")
            .map_err(|e| StoreError::db(&path, e))?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| StoreError::db(&path, e))?;
        Ok(WriteLock { tx, path })
    }

    /// Runs `f` inside an immediate transaction (read-modify-write without lost
    /// updates from other connections).
    pub fn with_transaction<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| StoreError::db(&self.path, e))?;
        let out = f(&tx).map_err(|e| StoreError::db(&self.path, e))?;
        crate::fault::point("db.before_commit");
        tx.commit().map_err(|e| StoreError::db(&self.path, e))?;
        crate::fault::point("db.committed");
        Ok(out)
    }
}
