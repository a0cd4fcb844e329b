//! Spec §6–§7: legacy recovery on copies of every fixture store, with the
//! file-backed secure storage.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{json, Value};
use xworkmate_store::db::{AUDIT_KEY, SETTINGS_KEY, THREADS_KEY};
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, *};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::DataLocation;

/// `xworkmate.local_state.key` in the file store.
const KEY_FILE_NAME: &str = "eHdvcmttYXRlLmxvY2FsX3N0YXRlLmtleQ.txt";

fn secrets(dir: &Path) -> SecretStore {
    SecretStore::new(&DataLocation::explicit(dir), SecretsMode::File)
}

fn assess_dir(dir: &Path, key: Option<&str>) -> RecoveryReport {
    let loc = DataLocation::explicit(dir);
    let s = secrets(dir);
    recovery::assess(&RecoveryContext {
        location: &loc,
        secrets: &s,
        supplied_key: key,
    })
}

fn run_dir(dir: &Path, key: Option<&str>, dry_run: bool) -> RecoveryReport {
    let loc = DataLocation::explicit(dir);
    let s = secrets(dir);
    recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &s,
            supplied_key: key,
        },
        dry_run,
    )
}

fn plaintext(case: &str) -> String {
    vector_case(case)["plaintext"].as_str().unwrap().to_string()
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn source<'a>(r: &'a RecoveryReport, path: &Path) -> Vec<&'a SourceReport> {
    r.sources.iter().filter(|s| s.path == path).collect()
}

fn outcome(r: &RecoveryReport, doc: DocKind) -> &DocumentOutcome {
    r.documents
        .iter()
        .find(|d| d.document == doc)
        .expect("an outcome per document")
}

/// Asserts both documents are plain in SQLite and in the mirror, and equal to
/// the vectors' plaintexts.
fn assert_plain_documents(dir: &Path) {
    for (key, mirror, case) in [
        (SETTINGS_KEY, "settings-snapshot.json", "settings"),
        (THREADS_KEY, "assistant-threads.json", "threads"),
    ] {
        let expected = plaintext(case);
        assert_same_json(
            &db_value(dir, key).unwrap_or_else(|| panic!("{key} in SQLite")),
            &expected,
        );
        assert_same_json(&read(dir.join(mirror)), &expected);
    }
}

// ---------------------------------------------------------------- healthy

#[test]
fn healthy_store_needs_nothing_and_looking_writes_nothing() {
    let (_g, dir) = store_copy("healthy");
    let before = snapshot(&dir);
    let a = assess_dir(&dir, None);
    assert_eq!(a.status, RecoveryStatus::None, "{a:#?}");
    assert!(
        a.documents.iter().all(|d| d.action == DocumentAction::Kept),
        "{a:#?}"
    );
    assert_eq!(snapshot(&dir), before, "assess wrote something");
    let d = run_dir(&dir, None, true);
    assert_eq!(d.status, RecoveryStatus::None, "{d:#?}");
    assert!(d.dry_run);
    assert_eq!(snapshot(&dir), before, "a dry run wrote something");
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::None, "{r:#?}");
    assert_eq!(
        db_value(&dir, SETTINGS_KEY),
        before_value(&before, &dir, "settings-snapshot.json")
    );
    assert_eq!(
        xworkmate_store::db::ConfigDb::open_ro(&dir.join("config-store.sqlite3"))
            .unwrap()
            .unwrap()
            .get(SETTINGS_KEY)
            .unwrap()
            .unwrap()
            .updated_at_ms,
        1_700_000_000_000,
        "the readable settings entry was not rewritten"
    );
}

fn before_value(snap: &[(PathBuf, Vec<u8>)], dir: &Path, name: &str) -> Option<String> {
    snap.iter()
        .find(|(p, _)| p == &dir.join(name))
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap().trim().to_string())
}

// --------------------------------------------------- sealed-with-key-file

#[test]
fn sealed_with_key_file_assess_and_dry_run_write_nothing() {
    let (_g, dir) = store_copy("sealed-with-key-file");
    let before = snapshot(&dir);
    let a = assess_dir(&dir, None);
    assert_eq!(a.status, RecoveryStatus::Recoverable, "{a:#?}");
    assert_eq!(a.keys.key_file_state, KeyState::Present);
    assert_eq!(a.keys.secure_storage, KeyState::Missing);
    for name in ["settings-snapshot.json", "assistant-threads.json"] {
        let s = source(&a, &dir.join(name));
        assert_eq!(s.len(), 1, "{a:#?}");
        assert_eq!(s[0].kind, SourceKind::Mirror);
        assert_eq!(s[0].state, SourceState::Unsealed);
        assert_eq!(s[0].opened_with, Some(KeyOrigin::KeyFile));
    }
    assert_eq!(snapshot(&dir), before, "assess wrote something");
    let d = run_dir(&dir, None, true);
    assert_eq!(d.status, RecoveryStatus::Migrated, "{d:#?}");
    assert!(d.dry_run);
    assert!(!d.keys.key_file_moved);
    assert_eq!(snapshot(&dir), before, "a dry run wrote something");
    assert!(recovery::last_report(&DataLocation::explicit(&dir))
        .unwrap()
        .is_none());
}

#[test]
fn sealed_with_key_file_is_migrated_and_the_key_moved() {
    let (_g, dir) = store_copy("sealed-with-key-file");
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert!(!r.dry_run);
    assert_eq!(r.source_path.as_deref(), Some(dir.as_path()));
    assert_eq!(
        outcome(&r, DocKind::Settings).action,
        DocumentAction::Recovered
    );
    assert_eq!(
        outcome(&r, DocKind::Threads).action,
        DocumentAction::Recovered
    );
    assert_eq!(outcome(&r, DocKind::Threads).thread_count, Some(2));
    assert_plain_documents(&dir);

    // The key: moved into file secure storage, key file deleted.
    assert!(r.keys.key_file_moved, "{r:#?}");
    let stored = dir.join("gateway-auth/secure-storage").join(KEY_FILE_NAME);
    assert_eq!(read(&stored).trim(), fixture_key());
    #[cfg(unix)]
    assert_eq!(mode_of(&stored), 0o600);
    assert!(!dir.join("gateway-auth/local-state-key.txt").exists());
    // Other secrets untouched.
    assert_eq!(
        read(dir.join("gateway-auth/secure-storage/eHdvcmttYXRlLmdhdGV3YXkudG9rZW4.txt")),
        "sample-gateway-token-0001"
    );

    // The audit trail records it, as the diagnostics module.
    let audit: Value = serde_json::from_str(&db_value(&dir, AUDIT_KEY).unwrap()).unwrap();
    let audit = audit.as_array().unwrap();
    assert!(!audit.is_empty());
    assert_eq!(audit[0]["module"], "Diagnostics");
    for k in [
        "timeLabel",
        "action",
        "provider",
        "target",
        "module",
        "status",
    ] {
        assert!(audit[0][k].is_string(), "{k} in {}", audit[0]);
    }

    // The report is kept for support.
    let last = recovery::last_report(&DataLocation::explicit(&dir))
        .unwrap()
        .expect("kept");
    assert_eq!(last.report, r);

    // The report never carries plaintext or the key.
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains(&fixture_key()));
    assert!(
        !text.contains("vector-user") && !text.contains("消息"),
        "{text}"
    );

    // Second run: nothing left to do; the key now comes from secure storage.
    let before = snapshot(&dir);
    let again = run_dir(&dir, None, true);
    assert_eq!(again.status, RecoveryStatus::None, "{again:#?}");
    assert_eq!(again.keys.secure_storage, KeyState::Present);
    assert_eq!(again.keys.key_file_state, KeyState::Missing);
    assert_eq!(snapshot(&dir), before);
    let again = run_dir(&dir, None, false);
    assert_eq!(again.status, RecoveryStatus::None, "{again:#?}");
    assert_plain_documents(&dir);
}

// ------------------------------------------------------- sealed-backup-v2

#[test]
fn sealed_backup_v2_is_migrated_from_the_backup() {
    let (_g, dir) = store_copy("sealed-backup-v2");
    let backup = dir.join("assistant-state-backup.json");
    let backup_bytes = std::fs::read(&backup).unwrap();
    let a = assess_dir(&dir, None);
    assert_eq!(a.status, RecoveryStatus::Recoverable, "{a:#?}");
    assert_eq!(a.keys.secure_storage, KeyState::Present);
    let b = source(&a, &backup);
    assert_eq!(b.len(), 1, "{a:#?}");
    assert_eq!(b[0].kind, SourceKind::Backup);
    assert_eq!(b[0].document, SourceDocument::Both);
    assert_eq!(b[0].state, SourceState::Unsealed);
    assert_eq!(b[0].opened_with, Some(KeyOrigin::SecureStorage));

    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    for doc in DocKind::ALL {
        let o = outcome(&r, doc);
        assert_eq!(o.action, DocumentAction::Recovered);
        assert_eq!(o.from.as_deref(), Some(backup.as_path()));
        assert_eq!(o.from_kind, Some(SourceKind::Backup));
    }
    assert_plain_documents(&dir);
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        backup_bytes,
        "the backup is left in place"
    );
    assert!(!r.keys.key_file_moved);
    assert_eq!(
        read(dir.join("gateway-auth/secure-storage").join(KEY_FILE_NAME)).trim(),
        fixture_key()
    );
    assert_eq!(run_dir(&dir, None, false).status, RecoveryStatus::None);
}

#[test]
fn a_schema_2_backup_with_the_reader_aad_also_opens() {
    let (_g, dir) = store_copy("sealed-backup-v2");
    let case = vector_case("backup-inner-reader-aad");
    let backup = json!({
        "schemaVersion": 2,
        "appVersion": "0.6.1",
        "backupCreatedAtMs": 1700000000000i64,
        "sealedState": case["envelope"].as_str().unwrap(),
    });
    std::fs::write(dir.join("assistant-state-backup.json"), backup.to_string()).unwrap();
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    let inner: Value = serde_json::from_str(case["plaintext"].as_str().unwrap()).unwrap();
    assert_same_json(
        &db_value(&dir, SETTINGS_KEY).unwrap(),
        &inner["settings"].to_string(),
    );
    assert_same_json(
        &db_value(&dir, THREADS_KEY).unwrap(),
        &inner["assistantThreads"].to_string(),
    );
}

// ------------------------------------------------------------------ locked

#[test]
fn locked_store_reports_key_missing() {
    let (_g, dir) = store_copy("locked");
    let before = snapshot(&dir);
    let a = assess_dir(&dir, None);
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState, "{a:#?}");
    let mirror = source(&a, &dir.join("settings-snapshot.json"));
    assert_eq!(mirror.len(), 1, "{a:#?}");
    assert_eq!(mirror[0].kind, SourceKind::Mirror);
    assert_eq!(mirror[0].state, SourceState::Locked);
    assert_eq!(mirror[0].reason, Some(LockReason::KeyMissing));
    let backup = source(&a, &dir.join("assistant-state-backup.json"));
    assert!(!backup.is_empty(), "{a:#?}");
    for b in &backup {
        assert_eq!(b.document, SourceDocument::Both);
        assert_eq!(b.kind, SourceKind::Backup);
        assert_eq!(b.state, SourceState::Locked);
        assert_eq!(b.reason, Some(LockReason::KeyMissing));
    }
    assert!(!a.details.is_empty());
    assert!(a.source_path.is_some());
    assert_eq!(snapshot(&dir), before);

    let d = run_dir(&dir, None, true);
    assert_eq!(d.status, RecoveryStatus::LockedLegacyState);
    assert_eq!(snapshot(&dir), before);

    // A real run changes no document and keeps every legacy source.
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::LockedLegacyState, "{r:#?}");
    for name in ["settings-snapshot.json", "assistant-state-backup.json"] {
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            std::fs::read(fixtures().join("stores/locked").join(name)).unwrap()
        );
    }
    assert!(db_value_opt(&dir, SETTINGS_KEY).is_none());
}

fn db_value_opt(dir: &Path, key: &str) -> Option<String> {
    if dir.join("config-store.sqlite3").exists() {
        db_value(dir, key)
    } else {
        None
    }
}

#[test]
fn a_wrong_32_byte_key_is_key_mismatch() {
    let (_g, dir) = store_copy("locked");
    let wrong = xworkmate_store::sealed::encode_b64url(&[0x5a; 32]);
    let a = assess_dir(&dir, Some(&wrong));
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState, "{a:#?}");
    assert_eq!(a.keys.supplied, Some(KeyState::Present));
    let locked: Vec<_> = a
        .sources
        .iter()
        .filter(|s| s.state == SourceState::Locked)
        .collect();
    assert!(!locked.is_empty());
    assert!(
        locked
            .iter()
            .all(|s| s.reason == Some(LockReason::KeyMismatch)),
        "{a:#?}"
    );

    // The same with a wrong key in secure storage, and in the key file.
    let (_g2, dir2) = store_copy("locked");
    secrets(&dir2)
        .write(
            "xworkmate.local_state.key",
            &xworkmate_store::secret::SecretValue::new(wrong.clone()).unwrap(),
        )
        .unwrap();
    let a = assess_dir(&dir2, None);
    assert_eq!(a.keys.secure_storage, KeyState::Present);
    assert!(a
        .sources
        .iter()
        .filter(|s| s.state == SourceState::Locked)
        .all(|s| s.reason == Some(LockReason::KeyMismatch)));
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState);

    let (_g3, dir3) = store_copy("locked");
    std::fs::write(dir3.join("gateway-auth/local-state-key.txt"), &wrong).unwrap();
    let r = run_dir(&dir3, None, false);
    assert_eq!(r.status, RecoveryStatus::LockedLegacyState);
    assert!(r
        .sources
        .iter()
        .filter(|s| s.state == SourceState::Locked)
        .all(|s| s.reason == Some(LockReason::KeyMismatch)));
    // A key that opened nothing is not moved.
    assert!(!r.keys.key_file_moved);
    assert!(dir3.join("gateway-auth/local-state-key.txt").exists());
    assert!(!dir3
        .join("gateway-auth/secure-storage")
        .join(KEY_FILE_NAME)
        .exists());
}

#[test]
fn only_non_32_byte_keys_is_key_invalid() {
    let (_g, dir) = store_copy("locked");
    let a = assess_dir(&dir, Some("AQIDBA"));
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState);
    assert_eq!(a.keys.supplied, Some(KeyState::Invalid));
    let locked: Vec<_> = a
        .sources
        .iter()
        .filter(|s| s.state == SourceState::Locked)
        .collect();
    assert!(!locked.is_empty());
    assert!(
        locked
            .iter()
            .all(|s| s.reason == Some(LockReason::KeyInvalid)),
        "{a:#?}"
    );

    // A 16-byte key in the key file.
    std::fs::write(
        dir.join("gateway-auth/local-state-key.txt"),
        xworkmate_store::sealed::encode_b64url(&[1; 16]),
    )
    .unwrap();
    let a = assess_dir(&dir, None);
    assert_eq!(a.keys.key_file_state, KeyState::Invalid);
    assert!(
        a.sources
            .iter()
            .filter(|s| s.state == SourceState::Locked)
            .all(|s| s.reason == Some(LockReason::KeyInvalid)),
        "{a:#?}"
    );

    // A non-32-byte key in secure storage only.
    let (_g2, dir2) = store_copy("locked");
    std::fs::write(
        dir2.join("gateway-auth/secure-storage").join(KEY_FILE_NAME),
        xworkmate_store::sealed::encode_b64url(&[1; 31]),
    )
    .unwrap();
    let a = assess_dir(&dir2, None);
    assert_eq!(a.keys.secure_storage, KeyState::Invalid);
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState);
    assert!(
        a.sources
            .iter()
            .filter(|s| s.state == SourceState::Locked)
            .all(|s| s.reason == Some(LockReason::KeyInvalid)),
        "{a:#?}"
    );
    // A valid (if wrong) key next to an invalid one makes it a mismatch.
    let wrong = xworkmate_store::sealed::encode_b64url(&[2; 32]);
    let a = assess_dir(&dir2, Some(&wrong));
    assert!(
        a.sources
            .iter()
            .filter(|s| s.state == SourceState::Locked)
            .all(|s| s.reason == Some(LockReason::KeyMismatch)),
        "{a:#?}"
    );
}

#[test]
fn a_broken_envelope_is_malformed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = [
        r#"{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"***","cipherText":"AA","mac":"AA"}"#,
        r#"{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"AAAAAAAAAAA","cipherText":"AAAA","mac":"AAAAAAAAAAAAAAAAAAAAAA"}"#,
        r#"{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"AQIDBAUGBwgJCgsM","cipherText":"AAAA","mac":"AAAA"}"#,
        r#"{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"AQIDBAUGBwgJCgsM"}"#,
    ];
    for text in bad {
        std::fs::write(dir.join("settings-snapshot.json"), text).unwrap();
        for key in [None, Some(fixture_key())] {
            let a = assess_dir(&dir, key.as_deref());
            assert_eq!(
                a.status,
                RecoveryStatus::LockedLegacyState,
                "{text}: {a:#?}"
            );
            let s = source(&a, &dir.join("settings-snapshot.json"));
            assert_eq!(s.len(), 1);
            assert_eq!(s[0].state, SourceState::Locked, "{text}");
            assert_eq!(s[0].reason, Some(LockReason::Malformed), "{text}");
        }
    }
    // A sealed backup whose sealedState is broken.
    std::fs::remove_file(dir.join("settings-snapshot.json")).unwrap();
    std::fs::write(
        dir.join("assistant-state-backup.json"),
        json!({"schemaVersion": 2, "appVersion": "0.6.0", "backupCreatedAtMs": 1, "sealedState": bad[1]}).to_string(),
    )
    .unwrap();
    let a = assess_dir(&dir, Some(&fixture_key()));
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState, "{a:#?}");
    assert!(source(&a, &dir.join("assistant-state-backup.json"))
        .iter()
        .all(|s| s.state == SourceState::Locked && s.reason == Some(LockReason::Malformed)));
    // ...or is not JSON at all.
    std::fs::write(
        dir.join("assistant-state-backup.json"),
        json!({"schemaVersion": 2, "appVersion": "0.6.0", "backupCreatedAtMs": 1,
               "sealedState": "{\"storageFormat\":\"xworkmate.sealed.local-state.v1\",\"nonce\":\"AQ"})
        .to_string(),
    )
    .unwrap();
    let a = assess_dir(&dir, Some(&fixture_key()));
    assert_eq!(a.status, RecoveryStatus::LockedLegacyState, "{a:#?}");
    let b = source(&a, &dir.join("assistant-state-backup.json"));
    assert!(!b.is_empty());
    assert!(b
        .iter()
        .all(|s| s.state == SourceState::Locked && s.reason == Some(LockReason::Malformed)));
}

// ---------------------------------------------------------------- test_key

#[test]
fn test_key_on_the_locked_fixture_writes_nothing() {
    let (_g, dir) = store_copy("locked");
    let loc = DataLocation::explicit(&dir);
    let s = secrets(&dir);
    let before = snapshot(&dir);
    let t = recovery::test_key(&loc, &s, &fixture_key());
    assert!(t.valid);
    // The locked fixture is sealed with a key other than the vectors' key
    // (checked independently with Python's AES-GCM): the vectors' key opens nothing.
    assert!(t.opens.is_empty(), "{t:#?}");
    assert!(!t.still_locked.is_empty());
    assert!(t.would_recover.is_empty());
    let bad = recovery::test_key(&loc, &s, "AQID");
    assert!(!bad.valid);
    assert_eq!(snapshot(&dir), before, "test_key wrote something");
}

#[test]
fn test_key_with_the_right_key_opens_the_sources_and_writes_nothing() {
    // sealed-with-key-file without its key file: locked until the key is supplied.
    let (_g, dir) = store_copy("sealed-with-key-file");
    std::fs::remove_file(dir.join("gateway-auth/local-state-key.txt")).unwrap();
    assert_eq!(
        assess_dir(&dir, None).status,
        RecoveryStatus::LockedLegacyState
    );
    let loc = DataLocation::explicit(&dir);
    let s = secrets(&dir);
    let before = snapshot(&dir);
    let t = recovery::test_key(&loc, &s, &fixture_key());
    assert!(t.valid);
    let mut opened: Vec<PathBuf> = t.opens.iter().map(|o| o.path.clone()).collect();
    opened.sort();
    assert_eq!(
        opened,
        vec![
            dir.join("assistant-threads.json"),
            dir.join("settings-snapshot.json")
        ]
    );
    assert!(t.still_locked.is_empty(), "{t:#?}");
    let mut would = t.would_recover.clone();
    would.sort();
    assert_eq!(would, vec![DocKind::Settings, DocKind::Threads]);
    assert_eq!(snapshot(&dir), before, "test_key wrote something");

    // Recovery with the supplied key: migrated, and the key stored (no key was stored).
    let r = run_dir(&dir, Some(&fixture_key()), false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert!(r.keys.supplied_key_stored);
    assert_plain_documents(&dir);
    assert_eq!(
        read(dir.join("gateway-auth/secure-storage").join(KEY_FILE_NAME)).trim(),
        fixture_key()
    );
}

// ------------------------------------------------------ shared preferences

#[test]
fn shared_preferences_are_migrated_and_removed() {
    let (_g, root) = store_copy("shared-preferences");
    let dir = root.join("prefs-root/xworkmate");
    let prefs_path = root.join("prefs-root/shared_preferences.json");
    let prefs_before: Value = serde_json::from_str(&read(&prefs_path)).unwrap();
    let before = snapshot(&root);

    let a = assess_dir(&dir, None);
    assert_eq!(a.status, RecoveryStatus::Recoverable, "{a:#?}");
    let p = source(&a, &prefs_path);
    assert!(!p.is_empty(), "{a:#?}");
    assert!(p
        .iter()
        .all(|s| s.kind == SourceKind::SharedPreferences && s.state == SourceState::Plain));
    let d = run_dir(&dir, None, true);
    assert_eq!(d.status, RecoveryStatus::Migrated);
    assert_eq!(snapshot(&root), before, "assess / dry run wrote something");

    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    for (key, mirror) in [
        (SETTINGS_KEY, "settings-snapshot.json"),
        (THREADS_KEY, "assistant-threads.json"),
    ] {
        let expected = prefs_before[format!("flutter.{key}")].as_str().unwrap();
        assert_same_json(&db_value(&dir, key).unwrap(), expected);
        assert_same_json(&read(dir.join(mirror)), expected);
    }
    let prefs_after: Value = serde_json::from_str(&read(&prefs_path)).unwrap();
    let obj = prefs_after.as_object().unwrap();
    assert!(
        obj.keys().all(|k| !k.starts_with("flutter.xworkmate.")),
        "{prefs_after}"
    );
    assert_eq!(obj.get("flutter.other.key"), Some(&json!("kept")));
    assert_eq!(obj.len(), 1);
    let mut migrated = r.preferences_migrated.clone();
    migrated.sort();
    assert_eq!(
        migrated,
        vec![THREADS_KEY.to_string(), SETTINGS_KEY.to_string()]
    );

    assert_eq!(run_dir(&dir, None, false).status, RecoveryStatus::None);
}

#[test]
fn preferences_are_removed_once_sqlite_holds_a_readable_value() {
    // SQLite already readable: the preference value is not written, but removed.
    let (_g, root) = store_copy("shared-preferences");
    let dir = root.join("prefs-root/xworkmate");
    let mine = r#"{"appLanguage":"en","accountUsername":"already-here"}"#;
    {
        let store = xworkmate_store::settings::SettingsStore::open(
            &DataLocation::explicit(&dir),
            Default::default(),
        )
        .unwrap();
        store.write_document(DocKind::Settings, mine).unwrap();
    }
    let r = run_dir(&dir, None, false);
    assert_eq!(
        outcome(&r, DocKind::Settings).action,
        DocumentAction::Kept,
        "{r:#?}"
    );
    assert_eq!(
        outcome(&r, DocKind::Threads).action,
        DocumentAction::Recovered
    );
    assert_eq!(db_value(&dir, SETTINGS_KEY).unwrap(), mine);
    let prefs: Value =
        serde_json::from_str(&read(root.join("prefs-root/shared_preferences.json"))).unwrap();
    assert!(
        prefs.get("flutter.xworkmate.settings.snapshot").is_none(),
        "{prefs}"
    );
    assert!(
        prefs.get("flutter.xworkmate.assistant.threads").is_none(),
        "{prefs}"
    );
    assert_eq!(prefs["flutter.other.key"], "kept");
}

// ------------------------------------------------ never overwrite, per doc

#[test]
fn readable_current_state_is_never_overwritten() {
    let (_g, dir) = store_copy("healthy");
    // An extra sealed backup (openable: key in secure storage) and a plain one.
    std::fs::copy(
        fixtures().join("stores/sealed-backup-v2/assistant-state-backup.json"),
        dir.join("assistant-state-backup.json"),
    )
    .unwrap();
    secrets(&dir)
        .write(
            "xworkmate.local_state.key",
            &xworkmate_store::secret::SecretValue::new(fixture_key()).unwrap(),
        )
        .unwrap();
    let before_db = std::fs::read(dir.join("config-store.sqlite3")).unwrap();
    let before_settings = std::fs::read(dir.join("settings-snapshot.json")).unwrap();
    let before_threads = std::fs::read(dir.join("assistant-threads.json")).unwrap();
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::None, "{r:#?}");
    assert!(r.documents.iter().all(|d| d.action == DocumentAction::Kept));
    assert_eq!(
        std::fs::read(dir.join("config-store.sqlite3")).unwrap(),
        before_db
    );
    assert_eq!(
        std::fs::read(dir.join("settings-snapshot.json")).unwrap(),
        before_settings
    );
    assert_eq!(
        std::fs::read(dir.join("assistant-threads.json")).unwrap(),
        before_threads
    );

    // A plain (schema 1) backup with different content does not win either.
    let (_g2, dir2) = store_copy("healthy");
    std::fs::write(
        dir2.join("assistant-state-backup.json"),
        json!({"schemaVersion": 1, "appVersion": "0.5.0", "backupCreatedAtMs": 1,
               "settings": {"appLanguage": "en", "accountUsername": "from-backup"},
               "assistantThreads": [{"sessionKey": "from-backup", "messages": []}]})
        .to_string(),
    )
    .unwrap();
    let before = std::fs::read(dir2.join("config-store.sqlite3")).unwrap();
    let r = run_dir(&dir2, None, false);
    assert_eq!(r.status, RecoveryStatus::None, "{r:#?}");
    assert_eq!(
        std::fs::read(dir2.join("config-store.sqlite3")).unwrap(),
        before
    );
    assert!(!db_value(&dir2, SETTINGS_KEY)
        .unwrap()
        .contains("from-backup"));
}

#[test]
fn recovery_works_per_document() {
    // Settings gone from SQLite and mirror; threads readable. A plain backup
    // supplies the settings only; the threads are left alone.
    let (_g, dir) = store_copy("healthy");
    xworkmate_store::db::ConfigDb::open_rw(&dir.join("config-store.sqlite3"))
        .unwrap()
        .delete(&[SETTINGS_KEY])
        .unwrap();
    std::fs::remove_file(dir.join("settings-snapshot.json")).unwrap();
    let backup_settings =
        r#"{"appLanguage":"en","accountUsername":"from-backup","zUnknown":{"b":1,"a":2}}"#;
    std::fs::write(
        dir.join("assistant-state-backup.json"),
        format!(
            r#"{{"schemaVersion":1,"appVersion":"0.5.0","backupCreatedAtMs":1,"settings":{backup_settings},"assistantThreads":[{{"sessionKey":"from-backup","messages":[]}}]}}"#
        ),
    )
    .unwrap();
    let threads_before = db_value(&dir, THREADS_KEY).unwrap();
    let threads_mirror_before = std::fs::read(dir.join("assistant-threads.json")).unwrap();
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert_eq!(
        outcome(&r, DocKind::Settings).action,
        DocumentAction::Recovered
    );
    assert_eq!(
        outcome(&r, DocKind::Settings).from_kind,
        Some(SourceKind::Backup)
    );
    assert_eq!(outcome(&r, DocKind::Threads).action, DocumentAction::Kept);
    assert_same_json(&db_value(&dir, SETTINGS_KEY).unwrap(), backup_settings);
    assert_same_json(&read(dir.join("settings-snapshot.json")), backup_settings);
    assert_eq!(db_value(&dir, THREADS_KEY).unwrap(), threads_before);
    assert_eq!(
        std::fs::read(dir.join("assistant-threads.json")).unwrap(),
        threads_mirror_before
    );
    assert!(dir.join("assistant-state-backup.json").exists());
}

#[test]
fn legacy_sources_in_the_parent_candidate_are_found_and_left_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let parent = tmp.path().join("plus.svc.xworkmate");
    let dir = parent.join("xworkmate");
    std::fs::create_dir_all(&dir).unwrap();
    let threads = r#"[{"sessionKey":"in-parent","messages":[]}]"#;
    std::fs::write(parent.join("assistant-threads.json"), threads).unwrap();
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert_eq!(r.source_path.as_deref(), Some(parent.as_path()));
    assert_same_json(&db_value(&dir, THREADS_KEY).unwrap(), threads);
    assert_eq!(read(parent.join("assistant-threads.json")), threads);
}

// ------------------------------------------------------------- candidates

#[test]
fn an_explicit_data_dir_never_scans_default_support_roots() {
    let (_g, dir) = store_copy("locked");
    let parent = dir.parent().unwrap().to_path_buf();
    let expected = vec![
        dir.clone(),
        parent.clone(),
        dir.join("xworkmate"),
        parent.join("xworkmate"),
    ];
    assert_eq!(assess_dir(&dir, None).candidates, expected);
    assert_eq!(run_dir(&dir, None, true).candidates, expected);
    assert_eq!(DataLocation::explicit(&dir).recovery_candidates(), expected);
    let from_env = DataLocation::resolve_with(None, Some(dir.clone())).unwrap();
    assert_eq!(from_env.recovery_candidates(), expected);
    let r = assess_dir(&dir, None);
    assert!(
        r.sources.iter().all(|s| s.path.starts_with(&parent)),
        "{r:#?}"
    );
}

// ------------------------------------------------------------ corrupt db

#[test]
fn a_corrupt_sqlite_file_does_not_panic() {
    let (_g, dir) = store_copy("healthy");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 37 % 253) as u8).collect();
    std::fs::write(dir.join("config-store.sqlite3"), &garbage).unwrap();
    let before = snapshot(&dir);
    let a = assess_dir(&dir, None);
    let db = source(&a, &dir.join("config-store.sqlite3"));
    assert!(!db.is_empty(), "{a:#?}");
    assert!(db
        .iter()
        .all(|s| s.kind == SourceKind::Database && s.state == SourceState::Unreadable));
    // The plain mirrors are readable, so nothing needs recovering.
    assert_eq!(a.status, RecoveryStatus::None, "{a:#?}");
    let d = run_dir(&dir, None, true);
    assert_eq!(d.status, RecoveryStatus::None, "{d:#?}");
    assert_eq!(snapshot(&dir), before);
    // A real run agrees with the dry run: nothing needs recovering, and the
    // damaged database and the mirrors are left as they were.
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::None, "{r:#?}");
    assert_eq!(
        std::fs::read(dir.join("config-store.sqlite3")).unwrap(),
        garbage
    );
    for name in ["settings-snapshot.json", "assistant-threads.json"] {
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            std::fs::read(fixtures().join("stores/healthy").join(name)).unwrap()
        );
    }
}

#[test]
fn legacy_secret_files_are_moved_by_a_real_run_only() {
    let (_g, dir) = store_copy("healthy");
    std::fs::write(
        dir.join("gateway-auth/vault-token.txt"),
        "legacy-vault-token\n",
    )
    .unwrap();
    let before = snapshot(&dir);
    let d = run_dir(&dir, None, true);
    assert_eq!(d.secret_files_moved, vec!["vault_token".to_string()]);
    assert_eq!(snapshot(&dir), before);
    let r = run_dir(&dir, None, false);
    // Secret-file moves alone do not change the status (spec §7).
    assert_eq!(r.status, RecoveryStatus::None, "{r:#?}");
    assert_eq!(r.secret_files_moved, vec!["vault_token".to_string()]);
    assert!(!dir.join("gateway-auth/vault-token.txt").exists());
    assert_eq!(
        read(dir.join("gateway-auth/secure-storage/eHdvcmttYXRlLnZhdWx0LnRva2Vu.txt")),
        "legacy-vault-token"
    );
}

#[test]
fn sealed_sqlite_entries_are_opened_and_rewritten_plain() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    {
        let store = xworkmate_store::settings::SettingsStore::open(
            &DataLocation::explicit(&dir),
            Default::default(),
        )
        .unwrap();
        // Sealed values as an older app left them in SQLite (written raw).
        store
            .put_entry(
                SETTINGS_KEY,
                vector_case("settings")["envelope"].as_str().unwrap(),
            )
            .unwrap();
        store
            .put_entry(
                THREADS_KEY,
                vector_case("threads")["envelope"].as_str().unwrap(),
            )
            .unwrap();
    }
    std::fs::create_dir_all(dir.join("gateway-auth")).unwrap();
    std::fs::write(dir.join("gateway-auth/local-state-key.txt"), fixture_key()).unwrap();
    let a = assess_dir(&dir, None);
    assert_eq!(a.status, RecoveryStatus::Recoverable, "{a:#?}");
    let db = source(&a, &dir.join("config-store.sqlite3"));
    assert_eq!(db.len(), 1, "{a:#?}");
    assert_eq!(db[0].document, SourceDocument::Both);
    assert_eq!(db[0].state, SourceState::Unsealed);
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert_eq!(
        outcome(&r, DocKind::Settings).from_kind,
        Some(SourceKind::Database)
    );
    assert_plain_documents(&dir);
    assert!(r.keys.key_file_moved);
}

#[test]
fn the_key_file_stays_when_secure_storage_already_holds_a_key() {
    // Secure storage holds a (wrong) key; the key file holds the right one.
    let (_g, dir) = store_copy("sealed-with-key-file");
    let wrong = xworkmate_store::sealed::encode_b64url(&[0x11; 32]);
    secrets(&dir)
        .write(
            "xworkmate.local_state.key",
            &xworkmate_store::secret::SecretValue::new(wrong.clone()).unwrap(),
        )
        .unwrap();
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert!(r
        .sources
        .iter()
        .filter(|s| s.state == SourceState::Unsealed)
        .all(|s| s.opened_with == Some(KeyOrigin::KeyFile)));
    assert_plain_documents(&dir);
    assert!(!r.keys.key_file_moved);
    assert_eq!(
        read(dir.join("gateway-auth/local-state-key.txt")).trim(),
        fixture_key()
    );
    assert_eq!(
        read(dir.join("gateway-auth/secure-storage").join(KEY_FILE_NAME)).trim(),
        wrong
    );
}

#[test]
fn a_supplied_key_is_not_stored_when_another_key_opened_everything() {
    let (_g, dir) = store_copy("sealed-with-key-file");
    let r = run_dir(&dir, Some(&fixture_key()), false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert!(r.keys.key_file_moved);
    assert!(!r.keys.supplied_key_stored);
    assert_eq!(
        read(dir.join("gateway-auth/secure-storage").join(KEY_FILE_NAME)).trim(),
        fixture_key()
    );
}

#[test]
fn the_audit_trail_in_shared_preferences_is_migrated_too() {
    let (_g, root) = store_copy("shared-preferences");
    let dir = root.join("prefs-root/xworkmate");
    let prefs_path = root.join("prefs-root/shared_preferences.json");
    let mut prefs: Value = serde_json::from_str(&read(&prefs_path)).unwrap();
    let trail = r#"[{"timeLabel":"09:00","action":"Updated","provider":"Vault","target":"vault_token","module":"Settings","status":"Success"}]"#;
    prefs["flutter.xworkmate.secrets.audit"] = json!(trail);
    std::fs::write(&prefs_path, prefs.to_string()).unwrap();
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    let audit: Value = serde_json::from_str(&db_value(&dir, AUDIT_KEY).unwrap()).unwrap();
    let audit = audit.as_array().unwrap();
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(
        audit[0]["module"], "Diagnostics",
        "the run's own entry is newest"
    );
    assert_eq!(audit[1]["target"], "vault_token");
    let after: Value = serde_json::from_str(&read(&prefs_path)).unwrap();
    assert!(
        after.get("flutter.xworkmate.secrets.audit").is_none(),
        "{after}"
    );
    assert_eq!(after["flutter.other.key"], "kept");
}

#[test]
fn shared_prefs_removal_keeps_other_preferences_in_order() {
    use xworkmate_store::prefs::SharedPrefs;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("shared_preferences.json");
    let text = r#"{"flutter.z":"1","flutter.xworkmate.settings.snapshot":"{\"appLanguage\":\"en\"}","flutter.a":2,"flutter.xworkmate.assistant.threads":"[]","flutter.m":{"n":[1,2]}}"#;
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    let mut prefs = SharedPrefs::load(&path).unwrap().unwrap();
    assert_eq!(prefs.get(SETTINGS_KEY), Some("{\"appLanguage\":\"en\"}"));
    assert_eq!(prefs.get(THREADS_KEY), Some("[]"));
    assert_eq!(prefs.get(AUDIT_KEY), None);
    let removed = prefs
        .remove(&[SETTINGS_KEY, THREADS_KEY, AUDIT_KEY])
        .unwrap();
    assert_eq!(
        removed,
        vec![SETTINGS_KEY.to_string(), THREADS_KEY.to_string()]
    );
    assert_same_json(
        &read(&path),
        r#"{"flutter.z":"1","flutter.a":2,"flutter.m":{"n":[1,2]}}"#,
    );
    #[cfg(unix)]
    assert_eq!(mode_of(&path), 0o640, "the file keeps its permissions");
    assert!(SharedPrefs::load(&tmp.path().join("missing.json"))
        .unwrap()
        .is_none());
    std::fs::write(tmp.path().join("bad.json"), "nope").unwrap();
    assert!(SharedPrefs::load(&tmp.path().join("bad.json")).is_err());
}

#[test]
fn a_corrupt_database_that_recovery_must_write_to_fails_in_dry_and_real_runs_alike() {
    let (_g, dir) = store_copy("sealed-with-key-file");
    std::fs::write(dir.join("config-store.sqlite3"), vec![0x5au8; 8192]).unwrap();
    let before = snapshot(&dir);
    let d = run_dir(&dir, None, true);
    assert_eq!(d.status, RecoveryStatus::Failed, "{d:#?}");
    assert!(d.details.contains("config-store.sqlite3"), "{}", d.details);
    assert_eq!(snapshot(&dir), before, "a dry run writes nothing");
    let r = run_dir(&dir, None, false);
    assert_eq!(r.status, RecoveryStatus::Failed, "{r:#?}");
    // Nothing of the store was touched: the sealed mirrors and the key file stay.
    for name in [
        "settings-snapshot.json",
        "assistant-threads.json",
        "gateway-auth/local-state-key.txt",
        "config-store.sqlite3",
    ] {
        let path = dir.join(name);
        let old = &before.iter().find(|(p, _)| *p == path).unwrap().1;
        assert_eq!(&std::fs::read(&path).unwrap(), old, "{name} changed");
    }
}
