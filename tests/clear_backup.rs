//! Where clear's backup may go: never inside the data folder (clear would
//! remove it, or it would replace the database), never over an existing file
//! (a second clear must not replace the first, full backup), and not at all
//! for a plan that removes nothing. Each refusal happens before anything is
//! removed.

mod common;

use common::*;
use xworkmate_store::clear;
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::DataLocation;

fn healthy() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    DataLocation,
    SecretStore,
) {
    let (g, dir) = store_copy("healthy");
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (g, dir, loc, secrets)
}

#[test]
fn a_backup_inside_the_data_folder_is_refused_before_anything_is_removed() {
    let (_g, dir, loc, secrets) = healthy();
    let before = snapshot(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    for inside in [
        dir.join("backup.json"),
        dir.join("config-store.sqlite3"),
        dir.join("gateway-auth/backup.json"),
    ] {
        let err = clear::execute(&loc, &secrets, &plan, Some(&inside)).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{err}");
        assert!(err.to_string().contains("inside the data folder"), "{err}");
        assert_eq!(
            snapshot(&dir),
            before,
            "{} changed the folder",
            inside.display()
        );
    }
}

#[test]
fn an_existing_file_is_never_replaced_and_a_second_clear_keeps_the_first_backup() {
    let (g, dir, loc, secrets) = healthy();
    let backup = g.path().join("bk.json");
    std::fs::write(&backup, "someone else's file").unwrap();
    let before = snapshot(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    let err = clear::execute(&loc, &secrets, &plan, Some(&backup)).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        "someone else's file"
    );
    assert_eq!(snapshot(&dir), before, "nothing was removed");

    // The first real clear writes the full backup...
    std::fs::remove_file(&backup).unwrap();
    let outcome = clear::execute(&loc, &secrets, &plan, Some(&backup)).unwrap();
    assert_eq!(outcome.backup.as_deref(), Some(backup.as_path()));
    let full = std::fs::read(&backup).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&full).unwrap();
    assert_eq!(v["assistantThreads"].as_array().map(Vec::len), Some(2));
    // ... and clearing again (nothing left to remove) writes no backup: the
    // first one stays as it was.
    let again = clear::plan(&loc, &secrets).unwrap();
    assert!(again.is_empty());
    let outcome = clear::execute(&loc, &secrets, &again, Some(&backup)).unwrap();
    assert_eq!(outcome.backup, None);
    assert_eq!(std::fs::read(&backup).unwrap(), full);
}

#[cfg(unix)]
#[test]
fn what_this_tool_creates_is_private() {
    use xworkmate_store::settings::{OpenOptions, SettingsStore};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let loc = DataLocation::explicit(&dir);
    let store = SettingsStore::open(&loc, OpenOptions::default()).unwrap();
    store
        .save_settings(&serde_json::json!({"appLanguage": "en"}))
        .unwrap();
    assert_eq!(mode_of(&loc.database()), 0o600, "a new database is private");
    assert_eq!(mode_of(&dir.join("settings-snapshot.json")), 0o600);
    // The last recovery run's record: a private folder, a private file.
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    xworkmate_store::recovery::run(
        &xworkmate_store::recovery::RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(mode_of(&loc.diagnostics_dir()), 0o700);
    assert_eq!(mode_of(&loc.last_recovery_file()), 0o600);
}

#[test]
fn cleared_text_does_not_stay_in_the_database_file() {
    let (_g, dir, loc, secrets) = healthy();
    let db = dir.join("config-store.sqlite3");
    let needle = "of draft:local-1".as_bytes();
    let holds = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        holds(&std::fs::read(&db).unwrap()),
        "the fixture holds the text"
    );
    let plan = clear::plan(&loc, &secrets).unwrap();
    clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert!(
        !holds(&std::fs::read(&db).unwrap()),
        "cleared message text is still in the database's free pages"
    );
}

/// The stored text of `key`, exactly.
fn row_text(loc: &DataLocation, key: &str) -> Option<String> {
    xworkmate_store::db::ConfigDb::open_ro(&loc.database())
        .unwrap()
        .and_then(|d| d.get(key).unwrap())
        .map(|e| e.value)
}

/// Clears `dir` with a backup, checks that the backup holds the thread list
/// `copies` times, restores it, and checks that every byte came back.
fn clear_backup_restore(dir: &std::path::Path, copies: usize) {
    use xworkmate_store::db::{SETTINGS_KEY, THREADS_KEY};
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let files = ["assistant-threads.json", "settings-snapshot.json"];
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    let before: Vec<Vec<u8>> = files.iter().map(|f| read(f)).collect();
    let rows = [row_text(&loc, THREADS_KEY), row_text(&loc, SETTINGS_KEY)];
    let thread_list = rows[0].clone().expect("a thread list row");

    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup.json");
    let plan = clear::plan(&loc, &secrets).unwrap();
    clear::execute(&loc, &secrets, &plan, Some(&backup)).unwrap();
    assert!(!dir.join(files[0]).exists() && row_text(&loc, THREADS_KEY).is_none());

    let text = std::fs::read_to_string(&backup).unwrap();
    let b: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Once verbatim (the schema-1 document), and in `removed` only as a
    // reference unless a copy differs in its bytes.
    assert_eq!(text.matches(thread_list.trim()).count(), 1);
    let escaped = serde_json::to_string(&thread_list).unwrap();
    let escaped = &escaped[1..escaped.len() - 1];
    assert_eq!(text.matches(escaped).count(), copies - 1);
    let threads_items: Vec<&serde_json::Value> = b["removed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["storageKey"] == THREADS_KEY || r["path"].as_str().unwrap().ends_with(files[0])
        })
        .collect();
    assert_eq!(threads_items.len(), 2);
    assert_eq!(
        threads_items
            .iter()
            .filter(|r| r["textOf"] == "assistantThreads")
            .count(),
        3 - copies
    );

    let restore = xworkmate_store::restore::plan(&loc, &backup).unwrap();
    xworkmate_store::restore::execute(&loc, &restore, false, None).unwrap();
    let after: Vec<Vec<u8>> = files.iter().map(|f| read(f)).collect();
    if copies == 1 {
        assert!(after == before, "the mirror files came back byte for byte");
    } else {
        // Restore writes a document as XWorkmate does: the row's text, in
        // the database and in the mirror.
        assert!(
            after[0] == thread_list.as_bytes(),
            "the mirror is the row's text"
        );
    }
    assert!(
        [row_text(&loc, THREADS_KEY), row_text(&loc, SETTINGS_KEY)] == rows,
        "the rows came back exactly"
    );
}

#[test]
fn each_removed_document_is_in_the_backup_once_and_comes_back_exactly() {
    let (_g, dir, _loc, _secrets) = healthy();
    clear_backup_restore(&dir, 1);
}

#[test]
fn a_mirror_that_differs_in_a_byte_keeps_its_own_text_in_the_backup() {
    let (_g, dir, _loc, _secrets) = healthy();
    // The same list, written with a trailing newline: not the same bytes.
    let mirror = dir.join("assistant-threads.json");
    let mut text = std::fs::read(&mirror).unwrap();
    text.push(b'\n');
    std::fs::write(&mirror, text).unwrap();
    clear_backup_restore(&dir, 2);
}

/// A clear with a backup counts the backup it writes; a cancel while it
/// writes it leaves no backup file and removes nothing; from the first
/// removal on, a cancel is refused.
#[test]
fn a_cancel_while_the_backup_is_written_leaves_no_file_and_removes_nothing() {
    use xworkmate_store::progress::Progress;
    let (_g, dir, loc, secrets) = healthy();
    // A thread list long enough to be cancelled part-way.
    let item = format!(
        r#"{{"sessionKey":"s","title":"t","messages":[{{"role":"user","text":"{}"}}]}}"#,
        "x".repeat(4096)
    );
    let threads = format!("[{}]", vec![item; 1500].join(","));
    let store = xworkmate_store::settings::SettingsStore::open(&loc, Default::default()).unwrap();
    store
        .write_document(xworkmate_store::document::DocKind::Threads, &threads)
        .unwrap();
    drop(store);
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup.json");
    let plan = clear::plan(&loc, &secrets).unwrap();
    let before = snapshot(&dir);

    // Cancelled before it starts: no backup, nothing removed.
    let progress = Progress::new();
    assert!(progress.cancel());
    let err =
        clear::execute_with_progress(&loc, &secrets, &plan, Some(&backup), &progress).unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    assert!(!backup.exists());
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "no temp file left"
    );
    assert_eq!(snapshot(&dir), before);

    // Cancelled part-way through the backup (or, too late, it finishes).
    let progress = Progress::new();
    let (result, honoured) = std::thread::scope(|scope| {
        let run = scope.spawn(|| {
            clear::execute_with_progress(&loc, &secrets, &plan, Some(&backup), &progress)
        });
        let mut honoured = None;
        while !run.is_finished() {
            if progress.snapshot().done > 0 && honoured.is_none() {
                honoured = Some(progress.cancel());
            }
            std::thread::yield_now();
        }
        (run.join().unwrap(), honoured)
    });
    match (result, honoured) {
        (Err(e), Some(true)) => {
            eprintln!("cancelled part-way");
            assert_eq!(e.code(), "cancelled", "{e}");
            assert!(!backup.exists());
            assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
            assert_eq!(snapshot(&dir), before, "a cancelled clear removes nothing");
        }
        (Ok(outcome), Some(false) | None) => {
            assert!(backup.exists());
            assert!(!outcome.removed.is_empty());
            assert!(progress.snapshot().writing);
        }
        (r, h) => panic!("{h:?}: {r:?}"),
    }
}

/// A threads export counts the threads it writes; cancelled, it leaves no
/// file (it is written under a temporary name) and says so.
#[test]
fn a_cancelled_threads_export_leaves_no_file() {
    use xworkmate_store::export::{export_threads_with_progress, ExportFormat};
    use xworkmate_store::progress::Progress;
    let (_g, dir, loc, secrets) = healthy();
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("threads.html");
    let before = snapshot(&dir);

    let progress = Progress::new();
    assert!(progress.cancel());
    let err = export_threads_with_progress(
        &loc,
        &secrets,
        None,
        ExportFormat::Html,
        &path,
        None,
        &progress,
    )
    .unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "no file, no temp file"
    );
    assert_eq!(snapshot(&dir), before);

    let progress = Progress::new();
    let done = export_threads_with_progress(
        &loc,
        &secrets,
        None,
        ExportFormat::Html,
        &path,
        None,
        &progress,
    )
    .unwrap();
    let seen = progress.snapshot();
    assert_eq!(
        (seen.done, seen.total),
        (done.threads as u64, done.threads as u64)
    );
    assert!(done.threads > 0 && path.exists());
}
