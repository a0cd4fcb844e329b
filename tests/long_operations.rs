//! Restore, rebuild and the support-report export count their work into a
//! `Progress` (the app's bar, the CLI's line) and honour a cancel only while
//! nothing in the folder has changed: then they stop with `cancelled` and
//! leave nothing behind — no safety backup, no new database, no report, no
//! temp file. A run nobody cancels counts all it said it would.

mod common;

use common::*;
use xworkmate_store::clear;
use xworkmate_store::document::DocKind;
use xworkmate_store::progress::Progress;
use xworkmate_store::rebuild;
use xworkmate_store::restore;
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::SettingsStore;
use xworkmate_store::{support, DataLocation};

fn cancelled() -> Progress {
    let p = Progress::new();
    assert!(p.cancel());
    p
}

/// A healthy store cleared with a backup, then given a new thread list: a
/// restore of that backup replaces it (and saves it first).
fn cleared_then_used() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    DataLocation,
    std::path::PathBuf,
) {
    let (g, dir) = store_copy("healthy");
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let backup = g.path().join("backup.json");
    let plan = clear::plan(&loc, &secrets).unwrap();
    clear::execute(&loc, &secrets, &plan, Some(&backup)).unwrap();
    let store = SettingsStore::open(&loc, Default::default()).unwrap();
    store
        .write_document(
            DocKind::Threads,
            r#"[{"sessionKey":"new","title":"after the clear","messages":[]}]"#,
        )
        .unwrap();
    drop(store);
    (g, dir, loc, backup)
}

#[test]
fn a_restore_plan_counts_the_backup_and_a_cancel_stops_it() {
    let (_g, dir, loc, backup) = cleared_then_used();
    let before = snapshot(&dir);
    let err = restore::plan_with_progress(&loc, &backup, &cancelled()).unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");

    let progress = Progress::new();
    let plan = restore::plan_with_progress(&loc, &backup, &progress).unwrap();
    let seen = progress.snapshot();
    let size = std::fs::metadata(&backup).unwrap().len();
    // The backup read and parsed (twice its size), and the folder's
    // documents it compares with.
    assert!(seen.total > 2 * size, "{seen:?}");
    assert_eq!(seen.done, seen.total);
    assert!(!seen.writing, "a plan only reads");
    assert_eq!(plan.conflicts().len(), 1, "{plan:?}");
    assert_eq!(snapshot(&dir), before, "planning writes nothing");
}

#[test]
fn a_restore_cancelled_before_it_writes_leaves_no_safety_backup_and_changes_nothing() {
    let (_g, dir, loc, backup) = cleared_then_used();
    let plan = restore::plan(&loc, &backup).unwrap();
    let before = snapshot(&dir);
    let err = restore::execute_with_progress(&loc, &plan, true, None, &cancelled()).unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(
        snapshot(&dir),
        before,
        "nothing changed, nothing left behind"
    );
    let diagnostics = dir.join(".xworkmate-diagnostics");
    let left: Vec<_> = std::fs::read_dir(&diagnostics)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.iter()
            .all(|n| !n.to_string_lossy().contains("restore-backup")),
        "{left:?}"
    );

    // Not cancelled: it saves what it replaces, then writes, counting both.
    let progress = Progress::new();
    let done = restore::execute_with_progress(&loc, &plan, true, None, &progress).unwrap();
    let seen = progress.snapshot();
    assert!(seen.writing && seen.total > 0);
    assert_eq!(seen.done, seen.total);
    let safety = done.safety_backup.expect("it replaced readable data");
    assert!(safety.is_file());
    assert!(!done.restored.is_empty());
    // A cancel now is refused: it writes (or wrote) already.
    assert!(!progress.cancel());
}

#[test]
fn a_restore_cancelled_part_way_either_stops_with_nothing_changed_or_finishes() {
    let (_g, dir, loc, backup) = cleared_then_used();
    let plan = restore::plan(&loc, &backup).unwrap();
    let before = snapshot(&dir);
    let progress = Progress::new();
    let (result, honoured) = std::thread::scope(|scope| {
        let run =
            scope.spawn(|| restore::execute_with_progress(&loc, &plan, true, None, &progress));
        let mut honoured = None;
        while !run.is_finished() {
            if progress.snapshot().total > 0 && honoured.is_none() {
                honoured = Some(progress.cancel());
            }
            std::thread::yield_now();
        }
        (run.join().unwrap(), honoured)
    });
    match (result, honoured) {
        (Err(e), Some(true)) => {
            assert_eq!(e.code(), "cancelled", "{e}");
            assert_eq!(
                snapshot(&dir),
                before,
                "a cancelled restore changes nothing"
            );
        }
        (Ok(done), Some(false) | None) => {
            assert!(progress.snapshot().writing);
            assert!(!done.restored.is_empty());
        }
        (r, h) => panic!("{h:?}: {r:?}"),
    }
}

fn damaged() -> (tempfile::TempDir, std::path::PathBuf, DataLocation) {
    let (g, dir) = store_copy("healthy");
    std::fs::write(dir.join("config-store.sqlite3"), vec![0x5a; 12288]).unwrap();
    let loc = DataLocation::explicit(&dir);
    (g, dir, loc)
}

#[test]
fn a_rebuild_cancelled_before_it_moves_the_damaged_database_changes_nothing() {
    let (_g, dir, loc) = damaged();
    let before = snapshot(&dir);
    let progress = cancelled();
    let err = rebuild::plan_with_progress(&loc, &progress).unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    let err = rebuild::execute_with_progress(&loc, &progress).unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(
        snapshot(&dir),
        before,
        "no new database, no temp file, nothing kept"
    );

    let progress = Progress::new();
    let plan = rebuild::plan_with_progress(&loc, &progress).unwrap();
    let seen = progress.snapshot();
    assert!(seen.total > 0 && seen.done == seen.total && !seen.writing);
    assert_eq!((plan.threads, plan.settings), (2, true));

    let progress = Progress::new();
    let done = rebuild::execute_with_progress(&loc, &progress).unwrap();
    let seen = progress.snapshot();
    assert!(seen.writing && seen.done == seen.total, "{seen:?}");
    assert!(done.executed && done.kept_as.is_file());
    assert!(!progress.cancel(), "refused once the folder changes");
}

#[test]
fn a_cancelled_report_export_leaves_no_file() {
    let (_g, dir) = store_copy("healthy");
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("report.json");
    let before = snapshot(&dir);
    let err = support::export_with_progress(&loc, &secrets, &path, &cancelled()).unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);

    let progress = Progress::new();
    support::export_with_progress(&loc, &secrets, &path, &progress).unwrap();
    let seen = progress.snapshot();
    let written = std::fs::metadata(&path).unwrap().len();
    // The folder's documents and recovery's sources (each counted as far as
    // it was read), then the file.
    assert!(seen.total > written, "{seen:?}");
    assert!(seen.done > written && seen.done <= seen.total, "{seen:?}");
    assert_eq!(
        snapshot(&dir),
        before,
        "a report never writes to the folder"
    );
}
