//! Rebuilding a damaged database from what the folder still holds: the rows
//! SQLite can still read out of it, and the readable mirror files (which
//! XWorkmate writes after every save, so they hold the latest settings and
//! threads). The damaged database is never deleted: it is kept, with its
//! journal, in `.xworkmate-diagnostics/`, a folder XWorkmate ignores.
//!
//! The new database is written beside the old one under a temporary name,
//! synced, then renamed over it: at every moment the data dir holds either the
//! damaged database or the whole new one, and the damaged one is always kept.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::db::{ConfigDb, SCHEMA_SQL};
use crate::document::{self, DocKind, Stored};
use crate::error::{Result, StoreError};
use crate::fsutil;
use crate::generation;
use crate::inspect::Integrity;
use crate::paths::DataLocation;
use crate::progress::Progress;
use crate::settings::{AuditEntry, OpenOptions, SettingsStore};

/// Where a row of the new database comes from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSource {
    /// Read out of the damaged database.
    Database,
    /// The readable mirror file (the database's row could not be read).
    Mirror,
}

/// One row the new database gets.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuiltRow {
    pub storage_key: String,
    pub from: RowSource,
    pub bytes: u64,
}

/// What a rebuild does (a plan) or did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebuildReport {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub database: PathBuf,
    /// Why the database needs it (what opening or `quick_check` said).
    pub problem: String,
    pub rows: Vec<RebuiltRow>,
    /// Threads in the rebuilt thread list (none when it has none).
    pub threads: usize,
    pub settings: bool,
    /// Where the damaged database is kept (planned, or done).
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub kept_as: PathBuf,
    pub executed: bool,
}

/// Why the database needs a rebuild, or an error saying why not.
fn damage(location: &DataLocation) -> Result<String> {
    let path = location.database();
    let (integrity, problem) = crate::inspect::database_integrity(&path);
    match integrity {
        Integrity::Corrupt => Ok(problem.unwrap_or_else(|| "damaged".into())),
        Integrity::Ok => Err(StoreError::invalid(
            path.display().to_string(),
            "is not damaged: there is nothing to rebuild",
        )),
        Integrity::Missing => Err(StoreError::invalid(
            path.display().to_string(),
            "does not exist: XWorkmate creates it at its next start",
        )),
        Integrity::Locked | Integrity::Unreadable => Err(StoreError::invalid(
            path.display().to_string(),
            format!(
                "cannot be read now ({}), which is not damage: nothing was changed",
                problem.unwrap_or_default()
            ),
        )),
    }
}

/// The rows SQLite can still read out of the damaged database (best effort:
/// none when it cannot be opened at all), their bytes counted into
/// `progress`; `Cancelled` once a cancel is honoured.
fn salvage(path: &Path, progress: &Progress) -> Result<Vec<(String, String, i64)>> {
    let Ok(conn) = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return Ok(Vec::new());
    };
    let Ok(mut stmt) = conn.prepare("SELECT storage_key, value, updated_at_ms FROM config_entries")
    else {
        return Ok(Vec::new());
    };
    let Ok(rows) = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    }) else {
        return Ok(Vec::new());
    };
    // A damaged page ends the scan: the rows before it are kept.
    let mut kept = Vec::new();
    for row in rows.map_while(|r| r.ok()) {
        progress.advance(row.1.len() as u64);
        progress.go_on()?;
        kept.push(row);
    }
    Ok(kept)
}

/// A row of the new database: key, value, time, where it comes from.
type Row = (String, String, i64, RowSource);

/// What the new database holds: every salvaged row — a document's only when
/// it is readable — and each readable mirror for a document the database
/// could not give.
fn rows_of(
    location: &DataLocation,
    (db_bytes, mirrors): &Sizes,
    progress: &Progress,
) -> Result<(Vec<Row>, usize, bool)> {
    let mut rows: Vec<Row> = Vec::new();
    // What it reads (in the total already, see `report`): the database's
    // rows, then the mirrors it needs.
    let before = progress.snapshot().done;
    let salvaged = salvage(&location.database(), progress)?;
    // Pages that held no value (or were lost) count as read.
    let read = progress.snapshot().done.saturating_sub(before);
    progress.advance(db_bytes.saturating_sub(read));
    for (key, value, at) in salvaged {
        let doc = DocKind::ALL.into_iter().find(|d| d.storage_key() == key);
        if doc.is_some_and(|d| !matches!(document::classify(d, &value), Stored::Plain(_))) {
            continue;
        }
        rows.push((key, value, at, RowSource::Database));
    }
    let (mut threads, mut settings) = (0, false);
    for doc in DocKind::ALL {
        if !rows.iter().any(|r| r.0 == doc.storage_key()) {
            let path = doc.mirror_path(location);
            let read = fsutil::read_optional(&path)?;
            progress.go_on()?;
            if let Some(text) = read {
                if matches!(document::classify(doc, &text), Stored::Plain(_)) {
                    let at = crate::fsutil::FileMeta::of(&path)
                        .modified_ms
                        .unwrap_or_else(fsutil::now_ms);
                    rows.push((
                        doc.storage_key().into(),
                        text.trim().to_string(),
                        at,
                        RowSource::Mirror,
                    ));
                }
            }
        }
        // Read or not needed: done either way.
        progress.advance(mirrors.iter().find(|m| m.0 == doc).map_or(0, |m| m.1));
        if let Some(r) = rows.iter().find(|r| r.0 == doc.storage_key()) {
            match document::classify(doc, &r.1) {
                Stored::Plain(document::Summary::Threads(t)) => threads = t.count,
                Stored::Plain(document::Summary::Settings(_)) => settings = true,
                _ => {}
            }
        }
    }
    if !rows
        .iter()
        .any(|r| DocKind::ALL.iter().any(|d| d.storage_key() == r.0))
    {
        return Err(StoreError::invalid(
            location.database().display().to_string(),
            "is damaged, and neither it nor the mirror files hold readable settings or threads: nothing to rebuild it from (nothing was changed)",
        ));
    }
    Ok((rows, threads, settings))
}

/// The report of a rebuild, and the rows it writes (read once).
fn report(
    location: &DataLocation,
    executed: bool,
    kept_as: PathBuf,
    progress: &Progress,
) -> Result<(RebuildReport, Vec<Row>)> {
    // All it will count, first, so the bar never goes back: `quick_check`
    // reads the whole database (counted when it is done), the rows read out
    // of it, the mirrors, and for a rebuild what it writes (at most all of
    // that; what it did not write counts as done at the end).
    let sizes = sizes(location);
    let (db_bytes, mirrors) = &sizes;
    let mirror_bytes: u64 = mirrors.iter().map(|m| m.1).sum();
    progress.add_total(2 * db_bytes + mirror_bytes);
    let writing = if executed { db_bytes + mirror_bytes } else { 0 };
    progress.add_total(writing);
    let problem = damage(location)?;
    progress.advance(*db_bytes);
    progress.go_on()?;
    let (rows, threads, settings) = rows_of(location, &sizes, progress)?;
    // What it will not write of that estimate counts as done now; each row
    // it writes counts as it is written.
    let writes: u64 = rows.iter().map(|r| r.1.len() as u64).sum();
    progress.advance(writing.saturating_sub(writes));
    let report = RebuildReport {
        database: location.database(),
        problem,
        rows: rows
            .iter()
            .map(|(k, v, _, from)| RebuiltRow {
                storage_key: k.clone(),
                from: *from,
                bytes: v.len() as u64,
            })
            .collect(),
        threads,
        settings,
        kept_as,
        executed,
    };
    Ok((report, rows))
}

/// The database's size, and each document's mirror's.
type Sizes = (u64, Vec<(DocKind, u64)>);

fn sizes(location: &DataLocation) -> Sizes {
    let size = |p: &Path| crate::fsutil::FileMeta::of(p).size.unwrap_or(0);
    let mirrors = DocKind::ALL
        .into_iter()
        .map(|d| (d, size(&d.mirror_path(location))))
        .collect();
    (size(&location.database()), mirrors)
}

fn kept_path(location: &DataLocation) -> PathBuf {
    location
        .diagnostics_dir()
        .join(format!("damaged-{}-config-store.sqlite3", fsutil::now_ms()))
}

/// What a rebuild would do. Read-only.
pub fn plan(location: &DataLocation) -> Result<RebuildReport> {
    plan_with_progress(location, &Progress::new())
}

/// [`plan`], counting what it reads into `progress`; a cancel stops it
/// (`Cancelled`).
pub fn plan_with_progress(location: &DataLocation, progress: &Progress) -> Result<RebuildReport> {
    report(location, false, kept_path(location), progress).map(|(r, _)| r)
}

/// Rebuilds the damaged database: the new one is written under a temporary
/// name and synced; the damaged one (and its journal) is linked into
/// `.xworkmate-diagnostics/`; then the new one is renamed over it.
pub fn execute(location: &DataLocation) -> Result<RebuildReport> {
    execute_with_progress(location, &Progress::new())
}

/// [`execute`], counting what it reads and writes into `progress`. A cancel
/// is honoured until the damaged database is moved aside — while it reads,
/// and while it writes the new database under its temporary name (which
/// then goes): nothing in the folder changed. From then on it is refused.
pub fn execute_with_progress(
    location: &DataLocation,
    progress: &Progress,
) -> Result<RebuildReport> {
    crate::guard::refuse_if_running(location)?;
    generation::refuse_if_a_is_not_current(location)?;
    let db_path = location.database();
    location.refuse_links(&db_path)?;
    let kept_as = kept_path(location);
    let (mut done, rows) = report(location, true, kept_as.clone(), progress)?;
    // Nothing in the folder is touched for a rebuild already cancelled.
    progress.go_on()?;

    // 1. The new database, complete and synced, under a temporary name.
    let dir = location.data_dir();
    let tmp = dir.join(format!(
        ".config-store.sqlite3.rebuild-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&tmp);
    let written = (|| -> Result<()> {
        let conn = rusqlite::Connection::open(&tmp).map_err(|e| StoreError::db(&tmp, e))?;
        conn.execute_batch(SCHEMA_SQL)
            .map_err(|e| StoreError::db(&tmp, e))?;
        let tx = conn
            .unchecked_transaction()
            .map_err(|e| StoreError::db(&tmp, e))?;
        for (key, value, at, _) in &rows {
            tx.execute(
                "INSERT INTO config_entries (storage_key, value, updated_at_ms) VALUES (?1, ?2, ?3)",
                rusqlite::params![key, value, at],
            )
            .map_err(|e| StoreError::db(&tmp, e))?;
            progress.advance(value.len() as u64);
            progress.go_on()?;
        }
        tx.commit().map_err(|e| StoreError::db(&tmp, e))?;
        drop(conn);
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| StoreError::io("cannot write", &tmp, e))?;
        // It must read back whole before it replaces anything.
        let check = ConfigDb::open_ro(&tmp)?
            .ok_or_else(|| StoreError::invalid("rebuild", "the new database is gone"))?;
        check.quick_check()?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    crate::fault::point("rebuild.new_written");
    // From here on the folder changes: no cancel (one that came just now
    // stops it, and the new database goes).
    if !progress.writing() {
        let _ = std::fs::remove_file(&tmp);
        return Err(StoreError::Cancelled);
    }

    // 2. The damaged database and its sidecars, kept (linked, so the data
    // dir still has it until the rename).
    let keep = (|| -> Result<()> {
        fsutil::ensure_dir(&location.diagnostics_dir(), true)?;
        std::fs::hard_link(&db_path, &kept_as)
            .map_err(|e| StoreError::io("cannot keep", &db_path, e))?;
        // A journal or WAL of the damaged database must never be applied to
        // the new one: each is moved beside the kept copy.
        for suffix in ["-journal", "-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db_path.display()));
            if side.exists() {
                let to = PathBuf::from(format!("{}{suffix}", kept_as.display()));
                std::fs::rename(&side, &to).map_err(|e| StoreError::io("cannot keep", &side, e))?;
            }
        }
        fsutil::sync_dir(&location.diagnostics_dir())?;
        fsutil::sync_dir(dir)
    })();
    if let Err(e) = keep {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    crate::fault::point("rebuild.damaged_kept");

    // 3. The new database in its place.
    std::fs::rename(&tmp, &db_path).map_err(|e| StoreError::io("cannot replace", &db_path, e))?;
    fsutil::sync_dir(dir)?;
    crate::fault::point("rebuild.renamed");

    // 4. The audit trail says so (not fatal: the rebuild is done).
    if let Ok(store) = SettingsStore::open(location, OpenOptions::default()) {
        if let Err(e) =
            store.append_audit(&AuditEntry::diagnostics("Rebuilt", "database", "Success"))
        {
            done.problem = format!("{} (the audit trail was not updated: {e})", done.problem);
        }
    }
    Ok(done)
}
