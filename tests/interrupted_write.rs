//! An interrupted write is not corruption. A writer killed in the middle of a
//! transaction (XWorkmate's own crashes included) leaves a hot rollback
//! journal beside the database and half-written pages in it. Looking reads
//! the database as SQLite (and so XWorkmate) will: rolled back, in a private
//! copy, writing nothing; clear rolls it back in place and then removes the
//! rows, so they never come back.
//!
//! The killed writer is this test binary itself, started again to run the
//! ignored `killed_writer` test, which aborts in the middle of a transaction.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::snapshot;

use xworkmate_store::clear;
use xworkmate_store::inspect::{self, Integrity};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::DataLocation;

const DB_ENV: &str = "XWORKMATE_TEST_KILLED_WRITER_DB";

/// Run only as the child of `interrupted`: changes the database in a
/// transaction big enough to spill into the file, then dies without
/// committing or rolling back.
#[test]
#[ignore = "the killed writer: started by the other tests of this file"]
fn killed_writer() {
    let Some(db) = std::env::var_os(DB_ENV) else {
        return;
    };
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode=DELETE; PRAGMA cache_size=10; BEGIN IMMEDIATE;
         DELETE FROM config_entries WHERE storage_key = 'xworkmate.settings.snapshot';
         CREATE TABLE filler(x);",
    )
    .unwrap();
    for _ in 0..2000 {
        conn.execute("INSERT INTO filler VALUES (?1)", [&"x".repeat(1000)])
            .unwrap();
    }
    std::process::abort();
}

/// A copy of the healthy store whose database a killed writer left behind.
fn interrupted() -> (tempfile::TempDir, PathBuf) {
    let (g, dir) = xworkmate_testkit::store_copy("healthy");
    let db = dir.join("config-store.sqlite3");
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "killed_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB_ENV, &db)
        .output()
        .unwrap()
        .status;
    assert!(!status.success(), "the writer was to die, not finish");
    let journal = dir.join("config-store.sqlite3-journal");
    assert!(
        std::fs::metadata(&journal)
            .map(|m| m.len() > 0)
            .unwrap_or(false),
        "the killed writer left a hot journal"
    );
    (g, dir)
}

#[test]
fn looking_reads_an_interrupted_write_rolled_back_and_writes_nothing() {
    let (_g, dir) = interrupted();
    let before = snapshot(&dir);
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let i = inspect::inspect(&loc, &secrets);
    assert_eq!(
        i.database.integrity,
        Integrity::Ok,
        "{:?}",
        i.database.problem
    );
    assert!(
        i.warnings.iter().any(|w| w.code == "interrupted_write"),
        "{:?}",
        i.warnings
    );
    assert!(!i.warnings.iter().any(|w| w.code == "database_corrupt"));
    // The settings row the unfinished transaction deleted is there.
    assert!(i.settings.present);
    assert_eq!(i.threads.count, 2);
    assert_eq!(snapshot(&dir), before, "looking wrote something");
}

#[test]
fn clear_rolls_the_interrupted_write_back_then_removes_the_rows_for_good() {
    let (_g, dir) = interrupted();
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let plan = clear::plan(&loc, &secrets).unwrap();
    let rows = plan
        .removals
        .iter()
        .filter(|r| r.kind == clear::RemovalKind::SqliteRow)
        .count();
    assert_eq!(rows, 2, "the plan sees both rows: {:?}", plan.removals);
    clear::execute(&loc, &secrets, &plan, None).unwrap();
    let conn = rusqlite::Connection::open(dir.join("config-store.sqlite3")).unwrap();
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM config_entries WHERE storage_key IN ('xworkmate.settings.snapshot', 'xworkmate.assistant.threads')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "the rows came back");
    assert!(!dir.join("config-store.sqlite3-journal").exists());
    let filler: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'filler'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(filler, 0, "the unfinished transaction was rolled back");
}
