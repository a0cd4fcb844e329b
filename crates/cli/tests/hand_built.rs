//! Every row of the command table on a store built by hand as XWorkmate (a
//! sealed-state build upgraded from a SharedPreferences build) leaves it:
//!
//! - `config-store.sqlite3` whose settings row is a sealed envelope (spec §6),
//!   plus the audit trail and a key from a newer version;
//! - the thread list only in the parent folder's `shared_preferences.json`, as
//!   `flutter.xworkmate.assistant.threads` (a JSON string), beside other
//!   preferences;
//! - the local-state key in file secure storage, a gateway token there too;
//! - a legacy plain secret file `gateway-auth/vault-token.txt`.

mod common;

use std::path::{Path, PathBuf};

use common::{b64, files, Run, Store};
use serde_json::{json, Value};

const SETTINGS_KEY: &str = "xworkmate.settings.snapshot";
const THREADS_KEY: &str = "xworkmate.assistant.threads";
const AUDIT_KEY: &str = "xworkmate.secrets.audit";
const FUTURE_KEY: &str = "xworkmate.future.flags";
const FUTURE_VALUE: &str = r#"{"beta":true,"rollout":[1,2,3]}"#;
const FUTURE_UPDATED_MS: i64 = 1_700_000_000_123;

const GATEWAY_TOKEN: &str = "hand-built-gateway-token-7f3a91";
const VAULT_TOKEN: &str = "hand-built-vault-token-9c1e55";
const MESSAGE_TEXT: &str = "hand-built message text: the quarterly plan";

/// The thread list as the pre-SQLite build kept it in SharedPreferences.
const THREADS: &str = r#"[{"sessionKey":"main","title":"Release checklist","archived":false,"updatedAtMs":1700000100000.5,"executionTarget":"remote","messageViewMode":"rendered","messages":[{"id":"m1","role":"user","text":"hand-built message text: the quarterly plan","timestampMs":1700000090000,"toolCallId":null,"toolName":null,"stopReason":null,"pending":false,"error":false},{"id":"m2","role":"assistant","text":"ok","timestampMs":1700000095000,"toolCallId":null,"toolName":null,"stopReason":"stop","pending":false,"error":false}],"selectedSkillKeys":["docs"]},{"sessionKey":"draft:local-7","title":"Old notes","archived":true,"updatedAtMs":1690000000000,"executionTarget":null,"messageViewMode":"raw","messages":[{"id":"m3","role":"user","text":"x","timestampMs":1690000000000,"toolCallId":null,"toolName":null,"stopReason":null,"pending":false,"error":false}]}]"#;

const AUDIT: &str = r#"[{"timeLabel":"2023-11-14 22:13","action":"Saved","provider":"Gateway","target":"gateway_token","module":"Settings","status":"Success"}]"#;

/// The fixture's sealed settings envelope and its plaintext (sealed-vectors.json).
fn sealed_settings() -> (String, String) {
    let fixtures = common::fixtures();
    let envelope = std::fs::read_to_string(
        fixtures.join("stores/sealed-with-key-file/settings-snapshot.json"),
    )
    .unwrap()
    .trim()
    .to_string();
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures.join("sealed-vectors.json")).unwrap(),
    )
    .unwrap();
    let case = vectors["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["aad"] == SETTINGS_KEY)
        .expect("a settings case in sealed-vectors.json");
    assert_eq!(
        serde_json::from_str::<Value>(case["envelope"].as_str().unwrap()).unwrap(),
        serde_json::from_str::<Value>(&envelope).unwrap(),
        "the store fixture's envelope is the vectors' settings case"
    );
    (envelope, case["plaintext"].as_str().unwrap().to_string())
}

/// `<tmp>/support/` (the application support root) holding
/// `shared_preferences.json` and the data dir `xworkmate/`.
fn build() -> Store {
    let tmp = tempfile::tempdir().unwrap();
    let data_dir = tmp.path().join("support/xworkmate");
    std::fs::create_dir_all(&data_dir).unwrap();
    let s = Store {
        tmp,
        name: "hand-built".into(),
        data_dir,
    };
    let (envelope, _) = sealed_settings();
    {
        let conn = rusqlite::Connection::open(s.data_dir.join("config-store.sqlite3")).unwrap();
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS config_entries (
               storage_key   TEXT PRIMARY KEY,
               value         TEXT NOT NULL,
               updated_at_ms INTEGER NOT NULL
             );",
        )
        .unwrap();
        for (k, v, at) in [
            (SETTINGS_KEY, envelope.as_str(), 1_700_000_000_000),
            (AUDIT_KEY, AUDIT, 1_700_000_000_001),
            (FUTURE_KEY, FUTURE_VALUE, FUTURE_UPDATED_MS),
        ] {
            conn.execute(
                "INSERT INTO config_entries (storage_key, value, updated_at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(storage_key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                rusqlite::params![k, v, at],
            )
            .unwrap();
        }
    }
    let prefs = json!({
        "flutter.xworkmate.assistant.threads": THREADS,
        "flutter.windowWidth": 1280,
        "flutter.lastRoute": "/assistant",
    });
    write(
        &prefs_path(&s),
        serde_json::to_string(&prefs).unwrap().as_bytes(),
    );
    write(
        &s.file_store_path("xworkmate.local_state.key"),
        common::fixture_key().as_bytes(),
    );
    write(
        &s.file_store_path("xworkmate.gateway.token"),
        GATEWAY_TOKEN.as_bytes(),
    );
    write(
        &s.data_dir.join("gateway-auth/vault-token.txt"),
        VAULT_TOKEN.as_bytes(),
    );
    s
}

/// Writes a file as XWorkmate does: owner-only.
fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn prefs_path(s: &Store) -> PathBuf {
    s.data_dir.parent().unwrap().join("shared_preferences.json")
}

fn prefs(s: &Store) -> Value {
    serde_json::from_str(&std::fs::read_to_string(prefs_path(s)).unwrap()).unwrap()
}

/// A row of `config_entries`: value and `updated_at_ms`.
fn row(s: &Store, key: &str) -> Option<(String, i64)> {
    let conn = rusqlite::Connection::open_with_flags(
        s.data_dir.join("config-store.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row(
        "SELECT value, updated_at_ms FROM config_entries WHERE storage_key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .ok()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Runs a command, checks its exit code and that no secret value reached
/// stdout or stderr (masks only in inspect).
fn go(s: &Store, args: &[&str], stdin: Option<&str>, exit: i32) -> Run {
    let r = s.run_with(args, stdin, &[]);
    assert_eq!(r.code, exit, "{args:?}: {}\n{}", r.stderr, r.stdout);
    let key = common::fixture_key();
    for secret in [GATEWAY_TOKEN, VAULT_TOKEN, key.as_str()] {
        assert!(
            !r.all_output().contains(secret),
            "{args:?} shows a secret value"
        );
    }
    if args[0] != "inspect" {
        assert!(!r.stdout.contains("••••"), "{args:?}: only inspect masks");
    }
    r
}

#[test]
fn every_command_on_a_store_built_as_xworkmate_would() {
    let s = build();
    let (_, settings_plain) = sealed_settings();
    let secure = |k: &str| s.file_store_path(k);

    // ------------------------------------------------------------- inspect
    let r = go(&s, &["inspect", "--json"], None, 0);
    let j = r.json();
    assert_eq!(j["database"]["exists"], true);
    assert_eq!(j["database"]["integrity"], "ok");
    let storage = |key: &str| {
        j["storage"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["storageKey"] == key)
            .unwrap_or_else(|| panic!("storage {key}: {}", j["storage"]))
            .clone()
    };
    assert_eq!(storage(SETTINGS_KEY)["sqlite"]["form"], "sealed");
    assert_eq!(storage(SETTINGS_KEY)["relation"], "sealed_legacy");
    assert_eq!(storage(THREADS_KEY)["sqlite"]["form"], "missing");
    assert_eq!(j["settings"]["present"], false, "sealed is not readable");
    assert_eq!(j["settings"]["source"], "none");
    assert_eq!(j["threads"]["count"], 0, "the threads are only in prefs");
    let codes: Vec<&str> = j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"sealed_legacy"), "{codes:?}");
    let entry = |name: &str| {
        j["secrets"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("secret {name}"))
            .clone()
    };
    assert_eq!(entry("gateway_token")["present"], true);
    assert_eq!(entry("gateway_token")["backend"], "file");
    assert_eq!(entry("gateway_token")["masked"], "han••••a91");
    assert_eq!(entry("local_state_key")["present"], true);
    let legacy_files: Vec<&str> = j["secrets"]["legacyFiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        legacy_files
            .iter()
            .any(|p| p.ends_with("gateway-auth/vault-token.txt")),
        "{legacy_files:?}"
    );
    assert_eq!(j["legacy"]["keyInSecureStorage"], true);
    assert_eq!(
        j["legacy"]["sharedPreferences"]["xworkmateKeys"],
        json!([THREADS_KEY])
    );
    let t = go(&s, &["inspect"], None, 0);
    assert!(t.stdout.contains("sealed_legacy"), "{}", t.stdout);
    assert!(t.stdout.contains("han••••a91"));
    assert!(!t.stdout.contains(MESSAGE_TEXT));

    // -------------------------------------------------------------- report
    let j = go(&s, &["report", "--json"], None, 0).json();
    assert_eq!(j["status"], "recoverable");
    assert_eq!(j["lastRecovery"], Value::Null);
    let sources = j["sources"].as_array().unwrap();
    let source = |kind: &str| {
        sources
            .iter()
            .find(|x| x["kind"] == kind)
            .unwrap_or_else(|| panic!("source {kind}: {sources:?}"))
            .clone()
    };
    assert_eq!(source("database")["document"], "settings");
    assert_eq!(source("database")["state"], "unsealed");
    assert_eq!(source("shared_preferences")["document"], "threads");
    assert_eq!(source("shared_preferences")["state"], "plain");
    assert_eq!(j["keys"]["secureStorage"], "present");
    let actions: Vec<(&str, &str)> = j["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["document"].as_str().unwrap(),
                d["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [("settings", "recovered"), ("threads", "recovered")]
    );
    go(&s, &["report"], None, 0);

    // ---------------------------------------------------- recover --dry-run
    let before = files(s.root());
    let j = go(&s, &["recover", "--dry-run", "--json"], None, 0).json();
    assert_eq!(j["status"], "migrated");
    assert_eq!(j["dryRun"], true);
    assert_eq!(j["preferencesMigrated"], json!([THREADS_KEY]));
    assert_eq!(j["secretFilesMoved"], json!(["vault_token"]));
    let t = go(&s, &["recover", "--dry-run"], None, 0);
    assert!(
        t.stdout.contains("would migrate (migrated)"),
        "{}",
        t.stdout
    );
    go(&s, &["--lang", "zh", "recover", "--dry-run"], None, 0);
    // Testing a key writes nothing either. The key in secure storage opens
    // everything sealed, so nothing is locked for the tested key to open
    // (exit 3: it opens nothing).
    let key = common::fixture_key();
    let j = go(
        &s,
        &["recover", "--test-key", "--key", "-", "--json"],
        Some(&key),
        3,
    )
    .json();
    assert_eq!(j["valid"], true);
    assert_eq!(j["stillLocked"], json!([]));
    assert!(
        files(s.root()) == before,
        "a dry run wrote something (every file's bytes compared)"
    );

    // ------------------------------------------------------------- recover
    let j = go(&s, &["recover", "--json"], None, 0).json();
    assert_eq!(j["status"], "migrated");
    assert_eq!(j["dryRun"], false);
    assert!(j.get("error").is_none());
    assert_eq!(j["preferencesMigrated"], json!([THREADS_KEY]));
    assert_eq!(j["secretFilesMoved"], json!(["vault_token"]));
    assert_eq!(j["keys"]["keyFileMoved"], false);
    // Settings: plain, in SQLite and the mirror, exactly the sealed plaintext.
    let (settings_row, _) = row(&s, SETTINGS_KEY).unwrap();
    assert_eq!(settings_row, settings_plain.trim());
    assert_eq!(
        read(&s.data_dir.join("settings-snapshot.json")),
        settings_plain.trim()
    );
    // Threads: from the preferences into SQLite and the mirror, unchanged …
    let (threads_row, _) = row(&s, THREADS_KEY).unwrap();
    assert_eq!(threads_row, THREADS);
    assert_eq!(read(&s.data_dir.join("assistant-threads.json")), THREADS);
    // … and gone from the preferences, whose other keys stay.
    assert_eq!(
        prefs(&s),
        json!({"flutter.windowWidth": 1280, "flutter.lastRoute": "/assistant"})
    );
    // The legacy vault token moved into secure storage.
    assert!(!s.data_dir.join("gateway-auth/vault-token.txt").exists());
    assert_eq!(read(&secure("xworkmate.vault.token")).trim(), VAULT_TOKEN);
    // Untouched: the unknown key, the key and the token in secure storage.
    assert_eq!(
        row(&s, FUTURE_KEY),
        Some((FUTURE_VALUE.to_string(), FUTURE_UPDATED_MS))
    );
    assert_eq!(
        read(&secure("xworkmate.local_state.key")).trim(),
        common::fixture_key()
    );
    assert_eq!(
        read(&secure("xworkmate.gateway.token")).trim(),
        GATEWAY_TOKEN
    );
    assert!(s
        .data_dir
        .join(".xworkmate-diagnostics/last-recovery.json")
        .is_file());
    // Nothing left to do.
    let j = go(&s, &["recover", "--json"], None, 0).json();
    assert_eq!(j["status"], "none");
    let j = go(&s, &["report", "--json"], None, 0).json();
    assert_eq!(j["status"], "none");
    assert_eq!(j["lastRecovery"]["report"]["status"], "none");

    // ------------------------------------- settings show / threads list after
    let r = go(&s, &["settings", "show", "--json"], None, 0);
    assert_eq!(r.stdout.trim_end(), settings_plain.trim());
    let t = go(&s, &["settings", "show"], None, 0);
    assert!(t.stdout.contains("Read from") && t.stdout.contains("database"));
    let j = go(&s, &["threads", "list", "--json"], None, 0).json();
    assert_eq!(
        j,
        json!([
            {"sessionKey": "main", "title": "Release checklist", "archived": false,
             "messageCount": 2, "updatedAtMs": 1700000100000.5},
            {"sessionKey": "draft:local-7", "title": "Old notes", "archived": true,
             "messageCount": 1, "updatedAtMs": 1690000000000.0}
        ])
    );
    let t = go(&s, &["threads", "list"], None, 0);
    assert!(
        t.stdout.contains("2 threads (1 archived), 3 messages"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains(MESSAGE_TEXT));
    let j = go(&s, &["inspect", "--json"], None, 0).json();
    assert_eq!(j["settings"]["source"], "database");
    assert_eq!(j["threads"]["count"], 2);
    assert_eq!(j["threads"]["archived"], 1);
    assert_eq!(j["threads"]["messages"], 3);
    assert_eq!(j["secrets"]["legacyFiles"], json!([]));

    // ------------------------------------------------------- export-report
    let out = s.root().join("support-report.json");
    let j = go(
        &s,
        &["export-report", "--out", out.to_str().unwrap(), "--json"],
        None,
        0,
    )
    .json();
    assert_eq!(j["recoveryStatus"], "none");
    assert_eq!(j["databaseIntegrity"], "ok");
    let report = read(&out);
    let key = common::fixture_key();
    for forbidden in [
        GATEWAY_TOKEN,
        VAULT_TOKEN,
        key.as_str(),
        MESSAGE_TEXT,
        "Release checklist",
        "han••••a91",
        "••••",
    ] {
        assert!(
            !report.contains(forbidden),
            "the report contains {forbidden}"
        );
    }
    serde_json::from_str::<Value>(&report).expect("the report is JSON");
    // An existing file is never replaced: refused, the first report kept.
    let r = go(
        &s,
        &["export-report", "--out", out.to_str().unwrap(), "--json"],
        None,
        1,
    );
    assert_eq!(r.json()["error"]["code"], "already_exists");
    assert_eq!(read(&out), report);
    std::fs::remove_file(&out).unwrap();
    go(
        &s,
        &["export-report", "--out", out.to_str().unwrap()],
        None,
        0,
    );

    // ------------------------------------------------ clear --yes --backup
    let before = files(s.root());
    let j = go(&s, &["clear", "--dry-run", "--json"], None, 0).json();
    assert_eq!(j["executed"], false);
    let planned: Vec<(&str, Option<&str>)> = j["planned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap(), p["storageKey"].as_str()))
        .collect();
    assert!(
        planned.contains(&("sqlite_row", Some(SETTINGS_KEY))),
        "{planned:?}"
    );
    assert!(
        planned.contains(&("sqlite_row", Some(THREADS_KEY))),
        "{planned:?}"
    );
    assert!(!planned.iter().any(|(_, k)| *k == Some(FUTURE_KEY)));
    go(&s, &["clear"], None, 2);
    assert!(files(s.root()) == before, "a refused or dry clear wrote");

    let backup = s.root().join("backup.json");
    let j = go(
        &s,
        &[
            "clear",
            "--yes",
            "--backup",
            backup.to_str().unwrap(),
            "--json",
        ],
        None,
        0,
    )
    .json();
    assert_eq!(j["executed"], true);
    assert_eq!(j["secretsVerified"], true);
    assert_eq!(j["secretsMissingAfter"], json!([]));
    assert!(j.get("error").is_none());
    assert_eq!(j["backup"], "[TMP]/backup.json");
    assert_eq!(j["kept"]["otherSqliteKeys"], json!([FUTURE_KEY]));
    let kept: Vec<&str> = j["kept"]["secrets"][0]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for name in ["gateway_token", "vault_token", "local_state_key"] {
        assert!(kept.contains(&name), "{name} not kept: {kept:?}");
    }
    // Secrets and everything unknown stay; local state is gone.
    assert_eq!(
        read(&secure("xworkmate.gateway.token")).trim(),
        GATEWAY_TOKEN
    );
    assert_eq!(read(&secure("xworkmate.vault.token")).trim(), VAULT_TOKEN);
    assert_eq!(read(&secure("xworkmate.local_state.key")).trim(), key);
    assert_eq!(
        row(&s, FUTURE_KEY),
        Some((FUTURE_VALUE.to_string(), FUTURE_UPDATED_MS))
    );
    assert!(row(&s, AUDIT_KEY).is_some());
    assert!(row(&s, SETTINGS_KEY).is_none() && row(&s, THREADS_KEY).is_none());
    assert!(!s.data_dir.join("settings-snapshot.json").exists());
    assert!(!s.data_dir.join("assistant-threads.json").exists());
    assert_eq!(
        prefs(&s),
        json!({"flutter.windowWidth": 1280, "flutter.lastRoute": "/assistant"})
    );
    // The backup is a restorable schema-1 backup of what was cleared.
    let b: Value = serde_json::from_str(&read(&backup)).unwrap();
    assert_eq!(b["schemaVersion"], 1);
    assert_eq!(
        b["settings"],
        serde_json::from_str::<Value>(&settings_plain).unwrap()
    );
    assert_eq!(b["assistantThreads"].as_array().unwrap().len(), 2);
    for secret in [GATEWAY_TOKEN, VAULT_TOKEN, key.as_str()] {
        assert!(!read(&backup).contains(secret), "the backup holds a secret");
    }
    let j = go(&s, &["inspect", "--json"], None, 0).json();
    assert_eq!(j["settings"]["present"], false);
    assert_eq!(j["threads"]["count"], 0);
    go(&s, &["settings", "show"], None, 0);
    assert_eq!(
        go(&s, &["settings", "show", "--json"], None, 0)
            .stdout
            .trim_end(),
        "{}"
    );
    assert_eq!(
        go(&s, &["threads", "list", "--json"], None, 0).json(),
        json!([])
    );

    // ------------------------------- settings save / threads save round trip
    let settings_file = s.root().join("settings-in.json");
    std::fs::write(&settings_file, &settings_plain).unwrap();
    let j = go(
        &s,
        &[
            "settings",
            "save",
            settings_file.to_str().unwrap(),
            "--json",
        ],
        None,
        0,
    )
    .json();
    assert_eq!(j["saved"], "settings");
    let r = go(&s, &["settings", "show", "--json"], None, 0);
    assert_eq!(r.stdout.trim_end(), settings_plain.trim());
    assert_eq!(row(&s, SETTINGS_KEY).unwrap().0, settings_plain.trim());
    assert_eq!(
        read(&s.data_dir.join("settings-snapshot.json")),
        settings_plain.trim()
    );
    go(&s, &["threads", "save", "-"], Some(THREADS), 0);
    assert_eq!(row(&s, THREADS_KEY).unwrap().0, THREADS);
    assert_eq!(read(&s.data_dir.join("assistant-threads.json")), THREADS);
    assert_eq!(
        go(&s, &["threads", "list", "--json"], None, 0).json()[1]["sessionKey"],
        "draft:local-7"
    );
    // Still untouched after all of it.
    assert_eq!(
        row(&s, FUTURE_KEY),
        Some((FUTURE_VALUE.to_string(), FUTURE_UPDATED_MS))
    );
    assert_eq!(
        read(&secure("xworkmate.gateway.token")).trim(),
        GATEWAY_TOKEN
    );
    assert_eq!(
        secure("xworkmate.gateway.token").file_name().unwrap(),
        format!("{}.txt", b64("xworkmate.gateway.token")).as_str()
    );
}
