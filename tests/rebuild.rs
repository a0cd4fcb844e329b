//! Rebuilding a damaged database from what the folder still holds: the rows
//! SQLite reads out of it and the readable mirrors. The damaged database is
//! kept byte for byte; the mirrors and secrets are not touched; a folder with
//! nothing to rebuild from, or a database that is not damaged, is refused
//! with nothing written; the plan writes nothing.

mod common;

use std::path::Path;

use common::*;
use xworkmate_store::db::{ConfigDb, AUDIT_KEY, SETTINGS_KEY, THREADS_KEY};
use xworkmate_store::inspect::{database_integrity, Integrity};
use xworkmate_store::rebuild::{self, RowSource};
use xworkmate_store::DataLocation;

fn damaged(how: &str) -> (tempfile::TempDir, std::path::PathBuf, DataLocation) {
    let (g, dir) = store_copy("healthy");
    let db = dir.join("config-store.sqlite3");
    match how {
        "not a database" => std::fs::write(&db, vec![0x5a; 12288]).unwrap(),
        "last page" => {
            let mut bytes = std::fs::read(&db).unwrap();
            let n = bytes.len();
            bytes[n - 4096..].fill(0xff);
            std::fs::write(&db, bytes).unwrap();
        }
        _ => unreachable!(),
    }
    let loc = DataLocation::explicit(&dir);
    (g, dir, loc)
}

fn row(dir: &Path, key: &str) -> Option<String> {
    ConfigDb::open_ro(&dir.join("config-store.sqlite3"))
        .unwrap()
        .and_then(|d| d.get(key).unwrap())
        .map(|e| e.value)
}

#[test]
fn a_database_that_is_not_one_is_rebuilt_from_the_mirrors_and_kept() {
    let (_g, dir, loc) = damaged("not a database");
    let db = dir.join("config-store.sqlite3");
    assert_eq!(database_integrity(&db).0, Integrity::Corrupt);
    let damaged_bytes = std::fs::read(&db).unwrap();
    let before = snapshot(&dir);
    let plan = rebuild::plan(&loc).unwrap();
    assert_eq!(snapshot(&dir), before, "the plan writes nothing");
    assert!(
        plan.rows.iter().all(|r| r.from == RowSource::Mirror),
        "{plan:?}"
    );
    assert_eq!((plan.threads, plan.settings), (2, true));

    let done = rebuild::execute(&loc).unwrap();
    assert!(done.executed);
    assert_eq!(database_integrity(&db).0, Integrity::Ok);
    for (key, file) in [
        (THREADS_KEY, "assistant-threads.json"),
        (SETTINGS_KEY, "settings-snapshot.json"),
    ] {
        let mirror = std::fs::read_to_string(dir.join(file)).unwrap();
        assert_eq!(row(&dir, key).unwrap(), mirror.trim(), "{key}");
    }
    assert!(row(&dir, AUDIT_KEY).unwrap().contains("Rebuilt"));
    assert_eq!(
        std::fs::read(&done.kept_as).unwrap(),
        damaged_bytes,
        "kept byte for byte"
    );
    assert!(done.kept_as.starts_with(dir.join(".xworkmate-diagnostics")));
    // Everything else is as it was.
    let others = |s: Vec<(std::path::PathBuf, Vec<u8>)>| -> Vec<_> {
        s.into_iter()
            .filter(|(p, _)| {
                !p.to_string_lossy().contains("config-store.sqlite3")
                    && !p.to_string_lossy().contains(".xworkmate-diagnostics")
            })
            .collect()
    };
    assert_eq!(others(snapshot(&dir)), others(before));
}

#[test]
fn rows_sqlite_still_reads_are_kept_and_the_rest_comes_from_the_mirrors() {
    let (_g, dir, loc) = damaged("last page");
    let db = dir.join("config-store.sqlite3");
    if database_integrity(&db).0 != Integrity::Corrupt {
        // The last page held nothing quick_check looks at: not damaged.
        assert_eq!(rebuild::plan(&loc).unwrap_err().code(), "invalid_input");
        return;
    }
    let done = rebuild::execute(&loc).unwrap();
    assert_eq!(database_integrity(&db).0, Integrity::Ok);
    assert!(
        row(&dir, THREADS_KEY).is_some() && row(&dir, SETTINGS_KEY).is_some(),
        "{done:?}"
    );
}

#[test]
fn a_healthy_database_or_nothing_to_rebuild_from_is_refused_writing_nothing() {
    let (_g, dir) = store_copy("healthy");
    let loc = DataLocation::explicit(&dir);
    let before = snapshot(&dir);
    assert_eq!(rebuild::execute(&loc).unwrap_err().code(), "invalid_input");
    assert_eq!(snapshot(&dir), before);

    let (_g, dir, loc) = damaged("not a database");
    std::fs::remove_file(dir.join("assistant-threads.json")).unwrap();
    std::fs::write(dir.join("settings-snapshot.json"), "{ torn").unwrap();
    let before = snapshot(&dir);
    let err = rebuild::execute(&loc).unwrap_err();
    assert!(
        err.to_string().contains("nothing to rebuild it from"),
        "{err}"
    );
    assert_eq!(snapshot(&dir), before);
}
