//! Regression tests for deviations from the spec found by independent testing.
mod common;

use common::*;
use serde_json::Value;
use xworkmate_store::db::SETTINGS_KEY;

use xworkmate_store::document::DocKind;
use xworkmate_store::settings::{OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

/// Spec §4: unknown fields must round-trip unchanged. A float with 16
/// significant digits changes by one ULP on load_settings → save_settings,
/// because serde_json is built without `float_roundtrip`.
#[test]
fn floats_survive_load_then_save_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = SettingsStore::open(&DataLocation::explicit(&dir), OpenOptions::default()).unwrap();
    let text = r#"{"appLanguage":"en","ratio":-969902.5498046875}"#;
    store.write_document(DocKind::Settings, text).unwrap();
    let loaded: Value = store.load_settings().unwrap().unwrap();
    store.save_settings(&loaded).unwrap();
    assert_eq!(db_value(&dir, SETTINGS_KEY).unwrap(), text);
}

/// Spec §4 ("unknown fields must round-trip unchanged") + §7 (recovered
/// documents written in plain form): recovery from a backup re-encodes the
/// settings through serde_json::Value, so a number that is not an exact
/// i64/u64/f64 changes its text (big integers become floats in exponent form).
#[test]
fn recovery_from_a_backup_keeps_numbers_unchanged() {
    use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus};
    use xworkmate_store::secret::{SecretStore, SecretsMode};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    std::fs::create_dir_all(&dir).unwrap();
    let settings =
        r#"{"appLanguage":"en","bigId":123456789012345678901234567890,"ratio":-969902.5498046875}"#;
    std::fs::write(
        dir.join("assistant-state-backup.json"),
        format!(r#"{{"schemaVersion":1,"appVersion":"0.5.0","backupCreatedAtMs":1,"settings":{settings},"assistantThreads":[]}}"#),
    )
    .unwrap();
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let r = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(r.status, RecoveryStatus::Migrated);
    let stored = db_value(&dir, SETTINGS_KEY).unwrap();
    assert!(
        stored.contains("123456789012345678901234567890"),
        "big integer changed: {stored}"
    );
    assert!(
        stored.contains("-969902.5498046875"),
        "float changed: {stored}"
    );
}

/// Spec §7: an unreadable legacy source is reported (`state: unreadable`); it
/// is not an I/O or database error that stops the run. A garbage
/// shared_preferences.json in the data dir's parent makes every real run
/// `failed` — even on a healthy store, and after documents were written.
#[test]
fn an_unreadable_preferences_file_does_not_fail_recovery() {
    use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus, SourceState};
    use xworkmate_store::secret::{SecretStore, SecretsMode};
    for (store, expected) in [
        ("healthy", RecoveryStatus::None),
        ("sealed-with-key-file", RecoveryStatus::Migrated),
    ] {
        let (_g, dir) = store_copy(store);
        let prefs = dir.parent().unwrap().join("shared_preferences.json");
        std::fs::write(&prefs, "this is not JSON").unwrap();
        let loc = DataLocation::explicit(&dir);
        let secrets = SecretStore::new(&loc, SecretsMode::File);
        let ctx = RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        };
        let a = recovery::assess(&ctx);
        assert!(a
            .sources
            .iter()
            .any(|s| s.path == prefs && s.state == SourceState::Unreadable));
        let r = recovery::run(&ctx, false);
        assert_eq!(r.status, expected, "{store}: {}", r.details);
        assert_eq!(std::fs::read_to_string(&prefs).unwrap(), "this is not JSON");
    }
}

/// Spec §7 read order "SQLite entry → mirror file": when SQLite cannot be read
/// (garbage file), the read-only reader must fall back to the plain mirror.
#[test]
fn read_document_readonly_falls_back_to_the_mirror_when_sqlite_is_garbage() {
    use xworkmate_store::settings::{read_document_readonly, DocSource};
    let (_g, dir) = store_copy("healthy");
    std::fs::write(dir.join("config-store.sqlite3"), vec![0x5au8; 8192]).unwrap();
    let loc = DataLocation::explicit(&dir);
    let doc = read_document_readonly(&loc, DocKind::Settings)
        .expect("no error: the mirror is readable")
        .expect("the mirror's settings");
    assert_eq!(doc.source, DocSource::Mirror);
}

/// Thread queue: a valid save that is coalesced with a newer, invalid one is
/// lost and reported as failed — "never lose data". Expected: the valid list
/// is written (and its future resolves Ok); only the invalid save fails.
#[test]
fn a_valid_thread_save_is_not_lost_when_a_newer_save_is_invalid() {
    use std::sync::Arc;
    use xworkmate_store::settings::ThreadPersistQueue;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = Arc::new(
        SettingsStore::open(&DataLocation::explicit(&dir), OpenOptions::default()).unwrap(),
    );
    let queue = ThreadPersistQueue::new(Arc::clone(&store));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Keep the worker busy so that the next two saves are coalesced.
    let big: Vec<Value> = (0..20_000)
        .map(|i| serde_json::json!({"sessionKey": format!("b{i}"), "messages": [{"text": "x".repeat(50)}]}))
        .collect();
    let f0 = queue.save(Value::Array(big));
    let valid = serde_json::json!([{"sessionKey": "valid", "messages": []}]);
    let fa = queue.save(valid.clone());
    let fb = queue.save(serde_json::json!({"not": "a thread list"}));
    let (r0, ra, rb) = rt.block_on(async { (f0.await, fa.await, fb.await) });
    assert!(r0.is_ok());
    assert!(rb.is_err(), "the invalid save fails");
    assert!(ra.is_ok(), "the valid save was reported failed: {ra:?}");
    assert_eq!(store.load_threads().unwrap(), Some(valid));
}
