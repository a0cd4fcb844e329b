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
