//! Spec §2–§4: the SettingsStore — SQLite first, the plain-JSON mirror beside
//! it, values trimmed, unknown fields and keys preserved, fail-fast opening, the
//! audit trail and the serialized thread queue.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use proptest::prelude::*;
use serde_json::{json, Value};
use xworkmate_store::db::{ConfigDb, AUDIT_KEY, SETTINGS_KEY, THREADS_KEY};
use xworkmate_store::document::DocKind;
use xworkmate_store::settings::{
    AuditEntry, DocSource, OpenOptions, SettingsStore, ThreadPersistQueue,
};
use xworkmate_store::DataLocation;

fn open(dir: &Path) -> SettingsStore {
    SettingsStore::open(&DataLocation::explicit(dir), OpenOptions::default()).expect("store opens")
}

fn mirror(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("mirror exists")
}

/// A settings object with unknown nested fields and keys in no sorted order.
fn odd_settings() -> String {
    r#"{"zzUnknown":{"nested":{"b":1,"a":[3,{"y":true,"x":null}],"Ω":"ü"}},"appLanguage":"en","middle":[{"k2":"v","k1":2.5}],"accountUsername":"odd-user","aaLast":-7,"gatewayProfiles":[{"tls":true,"port":443,"host":"h.example","futureField":{"q":"r"}}],"tokenRef":"gateway_token"}"#
        .to_string()
}

#[test]
fn first_use_creates_the_data_dir_and_exactly_the_spec_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/xworkmate");
    let store = open(&dir);
    assert!(!store.is_in_memory());
    assert_eq!(store.location().data_dir(), dir.as_path());
    let db_path = dir.join("config-store.sqlite3");
    assert!(db_path.is_file(), "config-store.sqlite3 created");
    drop(store);

    let db = ConfigDb::open_ro(&db_path)
        .unwrap()
        .expect("database exists");
    assert!(db.has_table().unwrap());
    assert!(
        db.entries().unwrap().is_empty(),
        "a new database holds no entries"
    );
    drop(db);

    // The schema itself (spec §3): one table, three columns, storage_key the key.
    let conn =
        rusqlite::Connection::open_with_flags(&db_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tables, vec!["config_entries".to_string()]);
    let cols: Vec<(String, String, bool, i64)> = conn
        .prepare("PRAGMA table_info(config_entries)")
        .unwrap()
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(5)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        cols,
        vec![
            ("storage_key".to_string(), "TEXT".to_string(), false, 1),
            ("value".to_string(), "TEXT".to_string(), true, 0),
            ("updated_at_ms".to_string(), "INTEGER".to_string(), true, 0),
        ]
    );
}

#[test]
fn settings_persist_across_instances_and_reopening_works() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let settings = json!({"appLanguage": "zh", "accountUsername": "persist"});
    {
        let store = open(&dir);
        store.save_settings(&settings).unwrap();
    }
    for _ in 0..3 {
        let store = open(&dir);
        assert_eq!(store.load_settings().unwrap(), Some(settings.clone()));
    }
    // Two instances on the same database at once.
    let a = open(&dir);
    let b = open(&dir);
    let newer = json!({"appLanguage": "en", "accountUsername": "second"});
    a.save_settings(&newer).unwrap();
    assert_eq!(b.load_settings().unwrap(), Some(newer));
}

#[test]
fn save_writes_sqlite_and_the_plain_mirror_with_the_same_content() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    let before = xworkmate_store::fsutil::now_ms();
    store
        .write_document(DocKind::Settings, &odd_settings())
        .unwrap();
    let threads = r#"[{"sessionKey":"s1","messages":[],"title":"T"}]"#;
    store.write_document(DocKind::Threads, threads).unwrap();
    let after = xworkmate_store::fsutil::now_ms();

    let sqlite = db_value(&dir, SETTINGS_KEY).unwrap();
    let file = mirror(&dir, "settings-snapshot.json");
    assert_same_json(&sqlite, &odd_settings());
    assert_same_json(&file, &odd_settings());
    assert_same_json(&db_value(&dir, THREADS_KEY).unwrap(), threads);
    assert_same_json(&mirror(&dir, "assistant-threads.json"), threads);
    // The mirror is plain JSON, not a sealed value.
    let v: Value = serde_json::from_str(&file).unwrap();
    assert!(v.get("storageFormat").is_none());
    // updated_at_ms is milliseconds since the epoch.
    let e = store.entry(SETTINGS_KEY).unwrap().unwrap();
    assert!(
        e.updated_at_ms >= before && e.updated_at_ms <= after,
        "{}",
        e.updated_at_ms
    );
}

#[test]
fn values_are_stored_trimmed_and_empty_values_are_never_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    store
        .put_entry("xworkmate.future.key", "  \n value with inner  space \t ")
        .unwrap();
    assert_eq!(
        store.entry("xworkmate.future.key").unwrap().unwrap().value,
        "value with inner  space"
    );
    assert!(store.put_entry("xworkmate.empty", "  ").is_err());
    assert!(store.put_entry("xworkmate.empty", "").is_err());
    assert!(store.entry("xworkmate.empty").unwrap().is_none());
    // An empty value never replaces an existing one.
    assert!(store.put_entry("xworkmate.future.key", " \n ").is_err());
    assert_eq!(
        store.entry("xworkmate.future.key").unwrap().unwrap().value,
        "value with inner  space"
    );

    let doc = "\n\n  {\"appLanguage\":\"en\"}  \n";
    store.write_document(DocKind::Settings, doc).unwrap();
    assert_eq!(
        db_value(&dir, SETTINGS_KEY).unwrap(),
        "{\"appLanguage\":\"en\"}"
    );
    assert_eq!(
        mirror(&dir, "settings-snapshot.json"),
        "{\"appLanguage\":\"en\"}"
    );
    assert!(store.write_document(DocKind::Settings, "   ").is_err());
    assert_eq!(
        db_value(&dir, SETTINGS_KEY).unwrap(),
        "{\"appLanguage\":\"en\"}"
    );
}

#[test]
fn unknown_fields_survive_with_their_key_order() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    let value: Value = serde_json::from_str(&odd_settings()).unwrap();
    store.save_settings(&value).unwrap();
    assert_same_json(&db_value(&dir, SETTINGS_KEY).unwrap(), &odd_settings());
    assert_same_json(&mirror(&dir, "settings-snapshot.json"), &odd_settings());
    let loaded = open(&dir).load_settings().unwrap().unwrap();
    assert_eq!(loaded, value);
    assert_eq!(keys_in_order(&loaded), keys_in_order(&value));
    // Saving what was loaded changes nothing.
    store.save_settings(&loaded).unwrap();
    assert_same_json(&db_value(&dir, SETTINGS_KEY).unwrap(), &odd_settings());
}

#[test]
fn the_healthy_fixture_round_trips_unchanged() {
    let (_g, dir) = store_copy("healthy");
    let original_settings = mirror(&dir, "settings-snapshot.json");
    let original_threads = mirror(&dir, "assistant-threads.json");
    let store = open(&dir);
    let s = store.load_settings().unwrap().unwrap();
    let t = store.load_threads().unwrap().unwrap();
    store.save_settings(&s).unwrap();
    store.save_threads(&t).unwrap();
    assert_same_json(&db_value(&dir, SETTINGS_KEY).unwrap(), &original_settings);
    assert_same_json(&mirror(&dir, "settings-snapshot.json"), &original_settings);
    assert_same_json(&db_value(&dir, THREADS_KEY).unwrap(), &original_threads);
    assert_same_json(&mirror(&dir, "assistant-threads.json"), &original_threads);
    // The audit trail was not touched by document saves.
    assert_eq!(store.audit_trail().unwrap().len(), 1);
}

#[test]
fn unknown_sqlite_keys_survive_a_settings_save() {
    let (_g, dir) = store_copy("healthy");
    let store = open(&dir);
    store
        .put_entry("xworkmate.newer.app.key", "{\"v\":2}")
        .unwrap();
    let audit_before = db_value(&dir, AUDIT_KEY).unwrap();
    store.save_settings(&json!({"appLanguage": "en"})).unwrap();
    store.save_threads(&json!([])).unwrap();
    drop(store);
    assert_eq!(
        db_value(&dir, "xworkmate.newer.app.key").as_deref(),
        Some("{\"v\":2}")
    );
    assert_eq!(db_value(&dir, AUDIT_KEY).unwrap(), audit_before);
    let db = ConfigDb::open_ro(&dir.join("config-store.sqlite3"))
        .unwrap()
        .unwrap();
    let entries = db.entries().unwrap();
    // `sizes` (which clear's plan reads: no time, so no walk of the values'
    // overflow chains) says the same keys and sizes.
    assert_eq!(
        db.sizes().unwrap(),
        entries
            .iter()
            .map(|e| (e.storage_key.clone(), e.bytes))
            .collect::<Vec<_>>()
    );
    let keys: Vec<String> = entries.into_iter().map(|e| e.storage_key).collect();
    assert_eq!(
        keys,
        vec![
            "xworkmate.assistant.threads",
            "xworkmate.newer.app.key",
            "xworkmate.secrets.audit",
            "xworkmate.settings.snapshot"
        ]
    );
}

#[test]
fn the_mirror_restores_a_missing_sqlite_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    store
        .write_document(DocKind::Settings, &odd_settings())
        .unwrap();
    let n = ConfigDb::open_rw(&dir.join("config-store.sqlite3"))
        .unwrap()
        .delete(&[SETTINGS_KEY])
        .unwrap();
    assert_eq!(n, 1);
    assert!(store.entry(SETTINGS_KEY).unwrap().is_none());

    // read_document is a read: it finds the mirror and writes nothing.
    let read = store.read_document(DocKind::Settings).unwrap().unwrap();
    assert_eq!(read.source, DocSource::Mirror);
    assert!(store.entry(SETTINGS_KEY).unwrap().is_none());

    let loaded = store.load_document(DocKind::Settings).unwrap().unwrap();
    assert_eq!(loaded.source, DocSource::Mirror);
    assert_same_json(&loaded.text, &odd_settings());
    assert_same_json(&db_value(&dir, SETTINGS_KEY).unwrap(), &odd_settings());
    let again = store.load_document(DocKind::Settings).unwrap().unwrap();
    assert_eq!(again.source, DocSource::Database);
}

#[test]
fn the_mirror_restores_an_unreadable_sqlite_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    let threads =
        r#"[{"sessionKey":"keep","messages":[{"id":"1","text":"x"}],"extra":{"b":1,"a":2}}]"#;
    store.write_document(DocKind::Threads, threads).unwrap();
    store.put_entry(THREADS_KEY, "{not json").unwrap();
    let loaded = store.load_document(DocKind::Threads).unwrap().unwrap();
    assert_eq!(loaded.source, DocSource::Mirror);
    assert_same_json(&db_value(&dir, THREADS_KEY).unwrap(), threads);
}

#[test]
fn plain_state_survives_an_unusable_sqlite_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    {
        let store = open(&dir);
        store
            .write_document(DocKind::Settings, &odd_settings())
            .unwrap();
    }
    let db_path = dir.join("config-store.sqlite3");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&db_path, &garbage).unwrap();

    // Fail fast, naming the database, and never overwrite the damaged file.
    let err =
        SettingsStore::open(&DataLocation::explicit(&dir), OpenOptions::default()).unwrap_err();
    assert_eq!(err.code(), "database_unavailable");
    assert!(
        err.to_string().contains(&db_path.display().to_string()),
        "{err}"
    );
    assert_eq!(std::fs::read(&db_path).unwrap(), garbage);

    // The plain mirror is still readable through the explicit in-memory fallback.
    let store = SettingsStore::open(
        &DataLocation::explicit(&dir),
        OpenOptions {
            allow_in_memory_fallback: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(store.is_in_memory());
    let doc = store.read_document(DocKind::Settings).unwrap().unwrap();
    assert_eq!(doc.source, DocSource::Mirror);
    assert_same_json(&doc.text, &odd_settings());
    assert_eq!(std::fs::read(&db_path).unwrap(), garbage);
    assert_same_json(&mirror(&dir, "settings-snapshot.json"), &odd_settings());
}

#[test]
fn opening_fails_fast_when_the_data_dir_cannot_exist() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-regular-file");
    std::fs::write(&file, b"not a folder").unwrap();
    let dir = file.join("xworkmate");
    let err =
        SettingsStore::open(&DataLocation::explicit(&dir), OpenOptions::default()).unwrap_err();
    assert_eq!(err.code(), "database_unavailable");
    let msg = err.to_string();
    assert!(
        msg.contains(&dir.display().to_string()),
        "message names the path: {msg}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"not a folder");
}

#[test]
fn the_in_memory_fallback_is_used_only_when_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-regular-file");
    std::fs::write(&file, b"x").unwrap();
    let dir = file.join("xworkmate");
    let loc = DataLocation::explicit(&dir);
    let store = SettingsStore::open(
        &loc,
        OpenOptions {
            allow_in_memory_fallback: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(store.is_in_memory());
    let s = json!({"appLanguage": "en", "x": [1, 2]});
    store.save_settings(&s).unwrap();
    assert_eq!(store.load_settings().unwrap(), Some(s));
    store
        .append_audit(&AuditEntry::diagnostics("Tested", "memory", "Success"))
        .unwrap();
    assert_eq!(store.audit_trail().unwrap().len(), 1);
    assert_eq!(
        snapshot(tmp.path()).len(),
        1,
        "nothing but the file itself exists"
    );

    // A usable path never falls back to memory.
    let ok = SettingsStore::open(
        &DataLocation::explicit(tmp.path().join("good")),
        OpenOptions {
            allow_in_memory_fallback: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!ok.is_in_memory());
}

fn audit(i: usize) -> AuditEntry {
    AuditEntry {
        time_label: format!("10:{i:02}"),
        action: "Updated".into(),
        provider: "Vault".into(),
        target: format!("target-{i}"),
        module: "Settings".into(),
        status: "Success".into(),
    }
}

#[test]
fn the_audit_trail_prepends_and_keeps_the_newest_40() {
    let (_g, dir) = store_copy("healthy");
    let store = open(&dir);
    let original = store.audit_trail().unwrap();
    assert_eq!(original.len(), 1);
    store.append_audit(&audit(0)).unwrap();
    let trail = store.audit_trail().unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0]["target"], "target-0");
    assert_eq!(trail[1], original[0], "older entries are kept unchanged");
    for i in 1..45 {
        store.append_audit(&audit(i)).unwrap();
    }
    let trail = store.audit_trail().unwrap();
    assert_eq!(trail.len(), 40);
    let targets: Vec<&str> = trail
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (5..45).rev().map(|i| format!("target-{i}")).collect();
    assert_eq!(targets, expected);
    // Entries are {timeLabel, action, provider, target, module, status}, all strings.
    let stored: Value = serde_json::from_str(&db_value(&dir, AUDIT_KEY).unwrap()).unwrap();
    let first = stored[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "action",
            "module",
            "provider",
            "status",
            "target",
            "timeLabel"
        ]
    );
    assert!(first.values().all(Value::is_string));
    assert_eq!(
        serde_json::from_value::<AuditEntry>(stored[0].clone()).unwrap(),
        audit(44)
    );
}

#[test]
fn an_unreadable_audit_trail_is_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    for bad in [r#"{"not":"an array"}"#, "garbage ["] {
        store.put_entry(AUDIT_KEY, bad).unwrap();
        assert!(store.append_audit(&audit(1)).is_err(), "{bad}");
        assert_eq!(db_value(&dir, AUDIT_KEY).as_deref(), Some(bad));
        assert!(store.audit_trail().is_err());
    }
}

#[test]
fn thread_records_keep_every_field() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    let threads = r#"[{"sessionKey":"draft:1","title":"线程 ✓","archived":true,"updatedAtMs":1700000000123.5,"executionTarget":"aiGatewayOnly","messageViewMode":"raw","messages":[{"id":"m1","role":"assistant","text":"hello","timestampMs":1700000000000,"toolCallId":"call-1","toolName":"search","stopReason":"end_turn","pending":false,"error":true,"unknownMsgField":{"z":1,"a":2}}],"discoveredSkills":[{"key":"s"}],"importedSkills":["i"],"selectedSkillKeys":["k"],"assistantModelId":"model-x","gatewayEntryState":{"state":"ok"},"futureThreadField":[1,"two",null]},{"sessionKey":"main","title":null,"archived":false,"updatedAtMs":5,"executionTarget":null,"messageViewMode":"rendered","messages":[]}]"#;
    store.write_document(DocKind::Threads, threads).unwrap();
    assert_same_json(&db_value(&dir, THREADS_KEY).unwrap(), threads);
    assert_same_json(&mirror(&dir, "assistant-threads.json"), threads);
    let loaded = open(&dir).load_threads().unwrap().unwrap();
    assert_same_json(&loaded.to_string(), threads);
    assert_eq!(loaded[0]["updatedAtMs"].as_f64(), Some(1700000000123.5));
}

#[test]
fn a_thousand_queued_saves_end_with_the_last_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = Arc::new(open(&dir));
    let queue = ThreadPersistQueue::new(Arc::clone(&store));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    const N: usize = 1200;
    let list = |i: usize| json!([{"sessionKey": format!("s-{i}"), "messages": []}]);
    // Submitted in order; all awaited at once.
    let futures: Vec<_> = (0..N).map(|i| queue.save(list(i))).collect();
    let results = rt.block_on(async {
        let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
        let mut out = Vec::new();
        for h in handles {
            out.push(h.await.unwrap());
        }
        out
    });
    assert_eq!(results.len(), N);
    assert!(results.iter().all(|r| r.is_ok()));
    let last = list(N - 1).to_string();
    assert_same_json(&db_value(&dir, THREADS_KEY).unwrap(), &last);
    assert_same_json(&mirror(&dir, "assistant-threads.json"), &last);
    assert_eq!(store.load_threads().unwrap(), Some(list(N - 1)));
    // Crash-safe writes leave no temp files behind.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

#[test]
fn queued_saves_from_many_tasks_never_end_with_an_older_list() {
    // Rounds of concurrent saves; after each round, one more save from the test
    // itself must be the final state (no late write overtakes it).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = Arc::new(open(&dir));
    let queue = Arc::new(ThreadPersistQueue::new(Arc::clone(&store)));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut handles = Vec::new();
        for t in 0..8 {
            let q = Arc::clone(&queue);
            handles.push(tokio::spawn(async move {
                for i in 0..150 {
                    q.save(json!([{"sessionKey": format!("t{t}-{i}"), "messages": []}]))
                        .await
                        .unwrap();
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        queue
            .save(json!([{"sessionKey": "final", "messages": []}]))
            .await
            .unwrap();
    });
    assert_eq!(
        store.load_threads().unwrap(),
        Some(json!([{"sessionKey": "final", "messages": []}]))
    );
    assert_same_json(
        &mirror(&dir, "assistant-threads.json"),
        r#"[{"sessionKey":"final","messages":[]}]"#,
    );
}

#[test]
fn documents_that_are_not_documents_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = open(&dir);
    // Not a settings snapshot (spec §4): no marker field, or a storageFormat field.
    assert!(store.save_settings(&json!({"x": 1})).is_err());
    assert!(store
        .save_settings(
            &json!({"appLanguage": "en", "storageFormat": "xworkmate.sealed.local-state.v1"})
        )
        .is_err());
    assert!(store.save_settings(&json!([1])).is_err());
    assert!(store.save_threads(&json!({"sessionKey": "x"})).is_err());
    assert!(store.entry(SETTINGS_KEY).unwrap().is_none());
    assert!(!dir.join("settings-snapshot.json").exists());
    for marker in [
        "appLanguage",
        "gateway",
        "gatewayProfiles",
        "aiGateway",
        "accountUsername",
        "assistantExecutionTarget",
    ] {
        let mut m = serde_json::Map::new();
        m.insert(marker.to_string(), json!("v"));
        store
            .save_settings(&Value::Object(m))
            .unwrap_or_else(|e| panic!("{marker}: {e}"));
    }
}

// ------------------------------------------------------------------ property

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        // Finite floats with few significant digits: serde_json (built without
        // `float_roundtrip`) parses longer ones only to within one ULP.
        (any::<i16>(), 0u32..6).prop_map(|(m, e)| json!(f64::from(m) / f64::from(1u32 << e) + 0.5)),
        "\\PC{0,12}".prop_map(Value::String),
        "[a-zA-Z0-9 \"\\\\/\\n\\t\u{4e2d}\u{1F600}é]{0,10}".prop_map(Value::String),
    ]
}

fn json_tree() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec(("[a-zA-Z_\u{4e00}-\u{4e10}é]{0,8}", inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn settings_object() -> impl Strategy<Value = Value> {
    proptest::collection::vec(("[a-zA-Z_\u{4e00}-\u{4e10}]{1,10}", json_tree()), 0..8).prop_map(
        |kv| {
            let mut m: serde_json::Map<String, Value> = kv
                .into_iter()
                .filter(|(k, _)| k != "storageFormat")
                .collect();
            m.insert("appLanguage".into(), json!("en"));
            Value::Object(m)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn arbitrary_settings_objects_survive_save_and_load(settings in settings_object()) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("xworkmate");
        let store = open(&dir);
        store.save_settings(&settings).unwrap();
        let loaded = store.load_settings().unwrap().unwrap();
        prop_assert_eq!(&loaded, &settings);
        prop_assert_eq!(keys_in_order(&loaded), keys_in_order(&settings));
        let from_mirror: Value = serde_json::from_str(&mirror(&dir, "settings-snapshot.json")).unwrap();
        prop_assert_eq!(&from_mirror, &settings);
        prop_assert_eq!(keys_in_order(&from_mirror), keys_in_order(&settings));
        let reopened = open(&dir).load_settings().unwrap().unwrap();
        prop_assert_eq!(reopened, settings);
    }
}
