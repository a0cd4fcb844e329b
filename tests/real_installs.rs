//! What real XWorkmate installs hold and do (spec §4, §5, §8), on copies of
//! the fixture stores changed the way XWorkmate changes them: the audit trail
//! in SharedPreferences survives a clear; a thread list XWorkmate can load is
//! readable, so recovery never replaces it; old device-identity files are
//! legacy secret files, listed with their device ids masked and never read.

mod common;

use common::*;
use serde_json::json;
use xworkmate_store::clear;
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, DocumentAction, RecoveryContext};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::{inspect, support, DataLocation};

fn file_store(dir: &std::path::Path) -> (DataLocation, SecretStore) {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (loc, secrets)
}

#[test]
fn clear_keeps_the_audit_trail_in_shared_preferences() {
    let (_g, root) = store_copy("shared-preferences");
    let prefs_path = root.join("prefs-root/shared_preferences.json");
    let mut prefs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&prefs_path).unwrap()).unwrap();
    let trail = json!([{"timeLabel":"09:00","action":"Saved","provider":"Gateway","target":"gateway_token","module":"Settings","status":"Success"}]).to_string();
    prefs["flutter.xworkmate.secrets.audit"] = json!(trail);
    std::fs::write(&prefs_path, prefs.to_string()).unwrap();
    let (loc, secrets) = file_store(&root.join("prefs-root/xworkmate"));

    let plan = clear::plan(&loc, &secrets).unwrap();
    let pref_keys: Vec<_> = plan
        .removals
        .iter()
        .filter(|r| r.kind == clear::RemovalKind::Preference)
        .filter_map(|r| r.storage_key.clone())
        .collect();
    assert_eq!(
        pref_keys,
        vec!["xworkmate.settings.snapshot", "xworkmate.assistant.threads"]
    );
    clear::execute(&loc, &secrets, &plan, None).unwrap();
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&prefs_path).unwrap()).unwrap();
    assert_eq!(
        after["flutter.xworkmate.secrets.audit"],
        json!(trail),
        "the audit trail stays"
    );
    assert!(after.get("flutter.xworkmate.settings.snapshot").is_none());
    assert!(after.get("flutter.xworkmate.assistant.threads").is_none());
    assert!(after.get("flutter.other.key").is_some());
}

#[test]
fn a_thread_list_xworkmate_can_load_is_never_replaced_by_recovery() {
    let (_g, dir) = store_copy("healthy");
    // Lenient, as XWorkmate reads it: a number and a string item (skipped), a
    // numeric sessionKey, messages that are not an array.
    let lenient = r#"[{"sessionKey":42,"title":"kept","messages":"n/a","archived":false},7,"x"]"#;
    let conn = rusqlite::Connection::open(dir.join("config-store.sqlite3")).unwrap();
    conn.execute(
        "UPDATE config_entries SET value = ?1 WHERE storage_key = 'xworkmate.assistant.threads'",
        [lenient],
    )
    .unwrap();
    drop(conn);
    std::fs::write(dir.join("assistant-threads.json"), lenient).unwrap();
    // A legacy backup that could "supply" a thread list.
    std::fs::copy(
        xworkmate_testkit::store("sealed-backup-v2").join("assistant-state-backup.json"),
        dir.join("assistant-state-backup.json"),
    )
    .unwrap();
    let (loc, secrets) = file_store(&dir);

    let i = inspect::inspect(&loc, &secrets);
    assert!(i.threads.present);
    assert_eq!(i.threads.count, 1);
    assert_eq!(i.threads.threads[0].session_key, "42");
    assert_eq!(i.threads.messages, 0);

    let report = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    let threads = report
        .documents
        .iter()
        .find(|d| d.document == DocKind::Threads)
        .unwrap();
    assert_eq!(threads.action, DocumentAction::Kept, "{report:?}");
    assert_eq!(
        db_value(&dir, "xworkmate.assistant.threads").as_deref(),
        Some(lenient)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("assistant-threads.json")).unwrap(),
        lenient
    );
}

#[test]
fn old_device_identity_files_are_listed_masked_and_never_read() {
    let (_g, dir) = store_copy("healthy");
    let auth = dir.join("gateway-auth");
    let private = "PRIVATE-KEY-SENTINEL-9f3a";
    std::fs::write(
        auth.join("gateway-device-identity.json"),
        json!({"deviceId":"device-1234567","publicKey":"pub","privateKey":private}).to_string(),
    )
    .unwrap();
    std::fs::write(
        auth.join("gateway-device-token.device-1234567.operator.txt"),
        "DEVICE-TOKEN-SENTINEL-77",
    )
    .unwrap();
    std::fs::write(
        auth.join("gateway-device-token.device-1234567.txt"),
        "DEVICE-TOKEN-SENTINEL-78",
    )
    .unwrap();
    let (loc, secrets) = file_store(&dir);

    let i = inspect::inspect(&loc, &secrets);
    let names: Vec<String> = i
        .secrets
        .legacy_files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec![
            "gateway-device-identity.json",
            "gateway-device-token.dev••••567.operator.txt",
            "gateway-device-token.dev••••567.txt",
        ]
    );
    assert!(i.warnings.iter().any(|w| w.code == "legacy_secret_files"));
    let inspect_json = serde_json::to_string(&i).unwrap();
    let report_json = serde_json::to_string(&support::support_report(&loc, &secrets)).unwrap();
    for text in [&inspect_json, &report_json] {
        for secret in [
            private,
            "DEVICE-TOKEN-SENTINEL-77",
            "DEVICE-TOKEN-SENTINEL-78",
            "device-1234567",
        ] {
            assert!(!text.contains(secret), "a report shows {secret}");
        }
    }

    // Recovery and clear leave them where they are.
    recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    let plan = clear::plan(&loc, &secrets).unwrap();
    clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert!(auth.join("gateway-device-identity.json").exists());
    assert!(auth
        .join("gateway-device-token.device-1234567.operator.txt")
        .exists());
    assert!(auth
        .join("gateway-device-token.device-1234567.txt")
        .exists());
}
