//! Regression tests for defects found in review (one test per finding).

mod common;

use std::path::Path;

use common::*;
use serde_json::{json, Value};
use xworkmate_store::clear;
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus};
use xworkmate_store::secret::{DeviceIdentity, SecretStore, SecretValue, SecretsMode};
use xworkmate_store::settings::{
    read_document_readonly, OpenOptions, SettingsStore, ThreadPersistQueue,
};
use xworkmate_store::{inspect, support, DataLocation};

fn file_secrets(dir: &Path) -> (DataLocation, SecretStore) {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (loc, secrets)
}

fn make_wal_db(dir: &Path) -> rusqlite::Connection {
    std::fs::create_dir_all(dir).unwrap();
    let conn = rusqlite::Connection::open(dir.join("config-store.sqlite3")).unwrap();
    conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    conn.execute_batch(xworkmate_store::db::SCHEMA_SQL).unwrap();
    conn.execute(
        "INSERT INTO config_entries VALUES ('xworkmate.settings.snapshot', '{\"appLanguage\":\"en\"}', 1)",
        [],
    )
    .unwrap();
    conn
}

#[test]
fn read_only_surfaces_create_nothing_beside_a_wal_database() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    drop(make_wal_db(&dir)); // closed cleanly: only the database file remains
    let before = snapshot(&dir);
    assert_eq!(before.len(), 1, "{before:?}");
    let (loc, secrets) = file_secrets(&dir);
    let i = inspect::inspect(&loc, &secrets);
    assert_eq!(
        i.settings.summary.unwrap().app_language.as_deref(),
        Some("en")
    );
    assert!(read_document_readonly(&loc, DocKind::Settings)
        .unwrap()
        .is_some());
    let ctx = RecoveryContext {
        location: &loc,
        secrets: &secrets,
        supplied_key: None,
    };
    recovery::assess(&ctx);
    recovery::run(&ctx, true);
    clear::plan(&loc, &secrets).unwrap();
    support::support_report(&loc, &secrets);
    assert_eq!(snapshot(&dir), before, "no -wal/-shm files were created");
}

#[test]
fn a_wal_database_is_read_with_its_uncheckpointed_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let writer = make_wal_db(&dir);
    writer
        .execute(
            "UPDATE config_entries SET value = '{\"appLanguage\":\"zh\"}' WHERE storage_key = 'xworkmate.settings.snapshot'",
            [],
        )
        .unwrap();
    assert!(dir.join("config-store.sqlite3-wal").exists());
    let (loc, _) = file_secrets(&dir);
    let doc = read_document_readonly(&loc, DocKind::Settings)
        .unwrap()
        .unwrap();
    assert!(doc.text.contains("zh"), "{}", doc.text);
    drop(writer);
}

#[test]
fn the_clear_backup_holds_everything_clear_removes() {
    let (_g, dir) = store_copy("locked"); // sealed mirror + sealed backup: nothing readable
    let prefs = dir.parent().unwrap().join("shared_preferences.json");
    std::fs::write(
        &prefs,
        r#"{"flutter.xworkmate.assistant.threads":"[{\"sessionKey\":\"only-copy\"}]","other":1}"#,
    )
    .unwrap();
    let legacy = std::fs::read_to_string(dir.join("assistant-state-backup.json")).unwrap();
    let (loc, secrets) = file_secrets(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("b.json");
    clear::execute(&loc, &secrets, &plan, Some(&backup)).unwrap();
    assert!(!dir.join("assistant-state-backup.json").exists());
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&backup).unwrap()).unwrap();
    let texts: Vec<&str> = b["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&legacy.as_str()),
        "the legacy backup is in the backup"
    );
    assert!(
        texts.iter().any(|t| t.contains("only-copy")),
        "the preference value is in the backup"
    );
    assert_eq!(texts.len(), plan.removals.len());
}

#[test]
fn clear_with_a_backup_refuses_before_removing_what_it_cannot_back_up() {
    let (_g, dir) = store_copy("healthy");
    std::fs::write(
        dir.join("settings-snapshot.json"),
        b"{\"appLanguage\":\"\xf6\"}",
    )
    .unwrap();
    let before = snapshot(&dir);
    let (loc, secrets) = file_secrets(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    let out = tempfile::tempdir().unwrap();
    let err = clear::execute(&loc, &secrets, &plan, Some(&out.path().join("b.json"))).unwrap_err();
    assert!(err.to_string().contains("settings-snapshot.json"), "{err}");
    assert_eq!(snapshot(&dir), before, "nothing was removed");
}

#[test]
fn a_legacy_secret_file_that_differs_from_the_stored_one_is_kept() {
    let (_g, dir) = store_copy("healthy"); // gateway token stored in the file store
    let legacy = dir.join("gateway-auth/gateway-token.txt");
    std::fs::write(&legacy, "legacy-token-BBBB").unwrap();
    let (loc, secrets) = file_secrets(&dir);
    let r = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert!(legacy.exists(), "the only copy of that value is kept");
    assert!(
        r.secret_files_moved.is_empty(),
        "{:?}",
        r.secret_files_moved
    );
    assert!(
        r.warnings.iter().any(
            |w| w.code == xworkmate_store::NoticeCode::LegacyFileConflict
                && w.subject.as_deref() == Some("gateway_token")
        ),
        "{:?}",
        r.warnings
    );
    // The same value is simply removed as moved.
    std::fs::write(&legacy, "sample-gateway-token-0001\n").unwrap();
    assert_eq!(
        secrets.migrate_legacy_files().unwrap().moved,
        vec!["gateway_token".to_string()]
    );
    assert!(!legacy.exists());
}

#[cfg(unix)]
#[test]
fn a_data_dir_that_is_not_utf8_is_reported_not_a_panic() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp
        .path()
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9"))
        .join("xworkmate");
    copy_dir(&fixtures().join("stores/sealed-with-key-file"), &dir);
    let (loc, secrets) = file_secrets(&dir);
    let i = inspect::inspect(&loc, &secrets);
    assert!(serde_json::to_string(&i).unwrap().contains("caf\u{fffd}"));
    let r = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(r.status, RecoveryStatus::Migrated);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(recovery::last_report(&loc).unwrap().is_some());
    serde_json::to_string(&support::support_report(&loc, &secrets)).unwrap();
}

#[test]
fn clear_on_a_damaged_database_removes_the_rest_and_reports_it() {
    let (_g, dir) = store_copy("healthy");
    std::fs::write(dir.join("config-store.sqlite3"), vec![0x5au8; 8192]).unwrap();
    let (loc, secrets) = file_secrets(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert!(
        plan.warnings.iter().any(|w| w.message.contains("database")),
        "{:?}",
        plan.warnings
    );
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert_eq!(outcome.removed.len(), 2, "both mirrors");
    assert!(!dir.join("settings-snapshot.json").exists());
    assert!(
        outcome.warnings.iter().any(|w| w.message.contains("audit")),
        "{:?}",
        outcome.warnings
    );
    assert!(outcome.secrets_verified);
}

#[test]
fn dry_run_and_real_run_remove_the_same_preferences() {
    let (_g, dir) = store_copy("healthy");
    // Prefs: a locked sealed settings value and an audit trail; SQLite has both readable.
    let sealed =
        std::fs::read_to_string(fixtures().join("stores/locked/settings-snapshot.json")).unwrap();
    let prefs = dir.parent().unwrap().join("shared_preferences.json");
    let body = json!({
        "flutter.xworkmate.settings.snapshot": sealed,
        "flutter.xworkmate.secrets.audit": "[]",
        "flutter.unrelated": true,
    });
    std::fs::write(&prefs, body.to_string()).unwrap();
    let (loc, secrets) = file_secrets(&dir);
    let ctx = RecoveryContext {
        location: &loc,
        secrets: &secrets,
        supplied_key: None,
    };
    let dry = recovery::run(&ctx, true);
    let real = recovery::run(&ctx, false);
    let mut a = dry.preferences_migrated.clone();
    let mut b = real.preferences_migrated.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(b.len(), 2, "{b:?}");
}

#[test]
fn reports_never_quote_document_content() {
    let (_g, dir) = store_copy("healthy");
    std::fs::write(
        dir.join("assistant-threads.json"),
        // Not an array: unreadable even for XWorkmate's lenient reader.
        r#"{"sessionKey":"a","messages":"PRIVATE MESSAGE TEXT"}"#,
    )
    .unwrap();
    let mut conn = rusqlite::Connection::open(dir.join("config-store.sqlite3")).unwrap();
    conn.execute(
        "DELETE FROM config_entries WHERE storage_key = 'xworkmate.assistant.threads'",
        [],
    )
    .unwrap();
    drop(conn.transaction().unwrap());
    drop(conn);
    let (loc, secrets) = file_secrets(&dir);
    let text = serde_json::to_string(&support::support_report(&loc, &secrets)).unwrap();
    assert!(text.contains("unreadable"), "the finding is there");
    assert!(!text.contains("PRIVATE MESSAGE TEXT"));
    let text = serde_json::to_string(&inspect::inspect(&loc, &secrets)).unwrap();
    assert!(!text.contains("PRIVATE MESSAGE TEXT"));
}

#[test]
fn an_unreadable_secret_is_a_finding_not_absent() {
    let (_g, dir) = store_copy("healthy");
    let (loc, secrets) = file_secrets(&dir);
    let f = secrets.file_storage().path_for("xworkmate.gateway.token");
    std::fs::write(&f, b"tok\xffen").unwrap();
    let i = inspect::inspect(&loc, &secrets);
    let e = i
        .secrets
        .entries
        .iter()
        .find(|e| e.name == "gateway_token")
        .unwrap();
    assert!(!e.present);
    assert!(e.problem.is_some());
    assert!(i.warnings.iter().any(|w| w.code == "secret_unreadable"));
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert!(plan
        .warnings
        .iter()
        .any(|w| w.code == xworkmate_store::NoticeCode::SecretUnchecked
            && w.subject.as_deref() == Some("gateway_token")));
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    // Still there, still unreadable: kept, and reported as not checked — a
    // check that checked nothing is never "verified".
    assert!(!outcome.secrets_verified);
    assert_eq!(outcome.secrets_unchecked, vec!["gateway_token".to_string()]);
    assert!(outcome.secrets_missing_after.is_empty());
    assert!(f.exists());
}

#[test]
fn every_invalid_thread_save_fails_even_when_a_newer_valid_one_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(
        SettingsStore::open(&DataLocation::explicit(tmp.path()), OpenOptions::default()).unwrap(),
    );
    let queue = ThreadPersistQueue::new(store.clone());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let big: Vec<Value> = (0..20_000)
        .map(|i| json!({"sessionKey": format!("b{i}"), "messages": []}))
        .collect();
    let f0 = queue.save(Value::Array(big));
    let f1 = queue.save(json!({"not": "a list"}));
    let last = json!([{"sessionKey": "last", "messages": []}]);
    let f2 = queue.save(last.clone());
    let (r0, r1, r2) = rt.block_on(async { (f0.await, f1.await, f2.await) });
    assert!(r0.is_ok() && r2.is_ok());
    assert!(r1.is_err(), "the invalid save is reported");
    assert_eq!(store.load_threads().unwrap(), Some(last));
}

#[test]
fn device_identity_debug_masks_every_field() {
    let id = DeviceIdentity {
        device_id: "device-id-123456789".into(),
        public_key: "public-key-abcdefgh".into(),
        private_key: SecretValue::new("private-key-zyxwvut").unwrap(),
    };
    let text = format!("{id:?}");
    for secret in [
        "device-id-123456789",
        "public-key-abcdefgh",
        "private-key-zyxwvut",
    ] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[test]
fn clearing_a_missing_data_dir_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("not-there");
    let (loc, secrets) = file_secrets(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert!(plan.is_empty());
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert!(outcome.removed.is_empty());
    assert!(!dir.exists(), "clear created the data dir");
}
