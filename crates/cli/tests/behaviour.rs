//! Exit codes, refusal paths, dry runs, read-only guarantees, recovery on the
//! fixture stores, round trips and usage errors.

mod common;

use common::{fixture_key, run, Store, STORES};
use serde_json::Value;

fn is_plain_json(path: &std::path::Path) -> bool {
    let text = std::fs::read_to_string(path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v.get("storageFormat").is_none()
}

fn sqlite_value(data_dir: &std::path::Path, key: &str) -> Option<String> {
    let conn = rusqlite::Connection::open_with_flags(
        data_dir.join("config-store.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .ok()?;
    conn.query_row(
        "SELECT value FROM config_entries WHERE storage_key = ?1",
        [key],
        |r| r.get(0),
    )
    .ok()
}

// ----------------------------------------------------------- read-only paths

#[test]
fn read_only_commands_write_nothing_on_any_store() {
    let key = fixture_key();
    for name in STORES {
        let s = Store::copy(name);
        let before = s.tree();
        for args in [
            vec!["inspect"],
            vec!["inspect", "--json"],
            vec!["report"],
            vec!["report", "--json"],
            vec!["settings", "show"],
            vec!["settings", "show", "--json"],
            vec!["threads", "list"],
            vec!["threads", "list", "--json"],
            vec!["recover", "--dry-run"],
            vec!["recover", "--dry-run", "--json"],
            vec!["recover", "--dry-run", "--key", "-"],
            vec!["recover", "--test-key", "--key", "-", "--json"],
            vec!["clear", "--dry-run"],
            vec!["clear", "--dry-run", "--json", "--backup", "b.json"],
            vec!["clear"],
            vec!["clear", "--json"],
        ] {
            let r = s.run_with(&args, Some(&key), &[]);
            assert!(
                [0, 2, 3].contains(&r.code),
                "{name} {args:?}: exit {} {}",
                r.code,
                r.stderr
            );
            assert_eq!(s.tree(), before, "{name} {args:?} changed files");
        }
    }
}

#[test]
fn clear_without_yes_refuses_and_changes_nothing() {
    for name in STORES {
        let s = Store::copy(name);
        let before = s.tree();
        let backup = s.root().join("backup.json");
        let r = s.run(&["clear", "--backup", backup.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}");
        assert!(
            r.stderr.contains("refusing to clear without --yes"),
            "{}",
            r.stderr
        );
        assert!(r.stdout.contains("Refused: nothing was changed"));
        let r = s.run(&["clear", "--json"]);
        assert_eq!(r.code, 2);
        let j = r.json();
        assert_eq!(j["refused"], true);
        assert_eq!(j["executed"], false);
        assert_eq!(j["removed"], Value::Array(vec![]));
        assert_eq!(j["backup"], Value::Null);
        assert_eq!(j["error"]["code"], "usage");
        assert!(j["planned"].is_array());
        assert!(j["kept"]["secretCount"].is_number());
        assert_eq!(s.tree(), before, "{name}: refusal changed files");
        assert!(!backup.exists());
    }
}

#[test]
fn clear_dry_run_shows_the_plan_and_exits_0() {
    let s = Store::copy("healthy");
    let before = s.tree();
    let r = s.run(&["clear", "--dry-run", "--yes", "--json"]);
    assert_eq!(r.code, 0);
    let j = r.json();
    assert_eq!(j["dryRun"], true);
    assert_eq!(j["refused"], false);
    assert_eq!(j["planned"].as_array().unwrap().len(), 4);
    assert_eq!(j["removed"], Value::Array(vec![]));
    assert_eq!(s.tree(), before);
}

#[test]
fn clear_with_yes_removes_the_plan_keeps_secrets_and_writes_the_backup() {
    let s = Store::copy("healthy");
    let backup = s.root().join("backup.json");
    let r = s.run(&[
        "clear",
        "--yes",
        "--backup",
        backup.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["executed"], true);
    assert_eq!(j["removed"].as_array().unwrap().len(), 4);
    assert_eq!(j["kept"]["secretCount"], 2);
    assert_eq!(j["secretsVerified"], true);
    assert_eq!(j["backup"], "[TMP]/backup.json");
    assert!(backup.is_file());
    assert!(!s.data_dir.join("settings-snapshot.json").exists());
    assert!(!s.data_dir.join("assistant-threads.json").exists());
    assert!(s.file_store_path("xworkmate.gateway.token").is_file());
    assert!(sqlite_value(&s.data_dir, "xworkmate.settings.snapshot").is_none());
    assert!(sqlite_value(&s.data_dir, "xworkmate.secrets.audit").is_some());
    // The backup restores through recovery.
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.json()["status"],
        "none",
        "backups outside the data dir are not scanned"
    );
    std::fs::copy(&backup, s.data_dir.join("assistant-state-backup.json")).unwrap();
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.json()["status"], "migrated");
    let r = s.run(&["threads", "list", "--json"]);
    assert_eq!(r.json().as_array().unwrap().len(), 2);
}

#[test]
fn clear_keeps_unknown_sqlite_keys_of_a_hand_built_store() {
    // A store as XWorkmate writes it, built by hand: SQLite with the three keys
    // of spec §3 plus a key from a newer version, mirrors, file secrets.
    let s = Store::empty("hand-built");
    std::fs::create_dir_all(&s.data_dir).unwrap();
    let settings = r#"{"appLanguage":"en","accountUsername":"ann","gatewayProfiles":[{"mode":"remote","host":"gw.example","port":443,"tls":true}],"newerField":{"a":1}}"#;
    let threads = r#"[{"sessionKey":"k1","title":"One","archived":false,"updatedAtMs":1700000000000.5,"messages":[{"id":"m","role":"user","text":"secret plan"}]}]"#;
    let audit = r#"[{"timeLabel":"09:00","action":"Saved","provider":"Gateway","target":"gateway_token","module":"Settings","status":"Success"}]"#;
    {
        let conn = rusqlite::Connection::open(s.data_dir.join("config-store.sqlite3")).unwrap();
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS config_entries (storage_key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at_ms INTEGER NOT NULL)",
        )
        .unwrap();
        for (k, v) in [
            ("xworkmate.settings.snapshot", settings),
            ("xworkmate.assistant.threads", threads),
            ("xworkmate.secrets.audit", audit),
            ("xworkmate.future.key", "{\"x\":1}"),
        ] {
            conn.execute(
                "INSERT INTO config_entries (storage_key, value, updated_at_ms) VALUES (?1, ?2, 1700000000000)",
                rusqlite::params![k, v],
            )
            .unwrap();
        }
    }
    std::fs::write(s.data_dir.join("settings-snapshot.json"), settings).unwrap();
    std::fs::write(s.data_dir.join("assistant-threads.json"), threads).unwrap();
    let p = s.file_store_path("xworkmate.gateway.token");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, "hand-built-token-value").unwrap();

    let r = s.run(&["inspect", "--json"]);
    assert_eq!(r.code, 0);
    let j = r.json();
    assert_eq!(j["database"]["integrity"], "ok");
    assert_eq!(j["settings"]["present"], true);
    assert_eq!(j["settings"]["source"], "database");
    assert_eq!(j["threads"]["count"], 1);
    assert_eq!(j["threads"]["messages"], 1);
    assert!(
        !r.stdout.contains("secret plan"),
        "inspect shows no message text"
    );
    let t = s.run(&["threads", "list", "--json"]).json();
    assert_eq!(t[0]["updatedAtMs"], 1700000000000.5);
    assert_eq!(t[0]["title"], "One");

    let r = s.run(&["clear", "--yes", "--json"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.json()["kept"]["otherSqliteKeys"][0],
        "xworkmate.future.key"
    );
    assert_eq!(
        sqlite_value(&s.data_dir, "xworkmate.future.key").as_deref(),
        Some("{\"x\":1}")
    );
    assert!(p.is_file());
}

// ----------------------------------------------------------------- recovery

#[test]
fn recover_migrates_the_sealed_store_with_a_key_file() {
    let s = Store::copy("sealed-with-key-file");
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["status"], "migrated");
    assert_eq!(j["keys"]["keyFileMoved"], true);
    assert!(is_plain_json(&s.data_dir.join("settings-snapshot.json")));
    assert!(is_plain_json(&s.data_dir.join("assistant-threads.json")));
    assert!(sqlite_value(&s.data_dir, "xworkmate.settings.snapshot").is_some());
    assert!(!s.data_dir.join("gateway-auth/local-state-key.txt").exists());
    assert!(s.file_store_path("xworkmate.local_state.key").is_file());
    assert!(s
        .data_dir
        .join(".xworkmate-diagnostics/last-recovery.json")
        .is_file());
    // A second run has nothing to do.
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["status"], "none");
    let r = s.run(&["report", "--json"]);
    let j = r.json();
    assert_eq!(j["status"], "none");
    assert_eq!(j["lastRecovery"]["report"]["status"], "none");
    assert!(j["lastRecovery"]["recordedAtMs"].is_number());
}

#[test]
fn recover_on_the_locked_store_exits_3_with_key_missing() {
    let s = Store::copy("locked");
    let before = s.tree();
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 3);
    let j = r.json();
    assert_eq!(j["status"], "locked_legacy_state");
    let sources = j["sources"].as_array().unwrap();
    assert!(!sources.is_empty());
    for src in sources {
        assert_eq!(src["state"], "locked");
        assert_eq!(src["reason"], "key_missing");
        for k in ["path", "kind", "document"] {
            assert!(src.get(k).is_some(), "{k}");
        }
    }
    assert!(j["sourcePath"].is_string());
    assert!(j["details"].is_string());
    // Only the last-recovery record is written.
    let after = s.tree();
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(
        added,
        vec![
            "locked/.xworkmate-diagnostics/",
            "locked/.xworkmate-diagnostics/last-recovery.json"
        ]
    );
    let r = s.run(&["recover", "--dry-run"]);
    assert_eq!(r.code, 3);
    let r = s.run(&["report", "--json"]);
    assert_eq!(r.code, 0, "report exits 0 even when locked");
    assert_eq!(r.json()["status"], "locked_legacy_state");
    assert_eq!(
        r.json()["lastRecovery"]["report"]["status"],
        "locked_legacy_state"
    );
}

#[test]
fn recover_with_the_key_from_stdin() {
    let s = Store::copy("sealed-with-key-file");
    std::fs::remove_file(s.data_dir.join("gateway-auth/local-state-key.txt")).unwrap();
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.json()["sources"][0]["reason"], "key_missing");

    let key = fixture_key();
    let r = s.run_with(
        &["recover", "--test-key", "--key", "-"],
        Some(&format!("{key}\n")),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = s.run_with(
        &["recover", "--dry-run", "--key", "-", "--json"],
        Some(&key),
        &[],
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["status"], "migrated");
    assert_eq!(r.json()["dryRun"], true);
    assert!(!is_plain_json(&s.data_dir.join("settings-snapshot.json")));

    let r = s.run_with(
        &["recover", "--key", "-", "--json"],
        Some(&format!("{key}\n")),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["status"], "migrated");
    assert_eq!(j["keys"]["supplied"], "present");
    assert_eq!(j["keys"]["suppliedKeyStored"], true);
    assert!(is_plain_json(&s.data_dir.join("settings-snapshot.json")));
    assert!(is_plain_json(&s.data_dir.join("assistant-threads.json")));
    assert_eq!(
        std::fs::read_to_string(s.file_store_path("xworkmate.local_state.key")).unwrap(),
        key
    );
}

#[test]
fn recover_with_a_key_file_and_a_wrong_key() {
    let s = Store::copy("sealed-with-key-file");
    let moved = s.root().join("key.txt");
    std::fs::rename(s.data_dir.join("gateway-auth/local-state-key.txt"), &moved).unwrap();
    let wrong = s.root().join("wrong.txt");
    std::fs::write(&wrong, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
    let r = s.run(&["recover", "--key-file", wrong.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.json()["sources"][0]["reason"], "key_mismatch");
    let r = s.run(&[
        "recover",
        "--test-key",
        "--key-file",
        wrong.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "a valid key that opens nothing");
    let r = s.run(&["recover", "--key-file", moved.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["status"], "migrated");
    let r = s.run(&["recover", "--key-file", "/nonexistent/key.txt", "--json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "not_found");
    assert!(r.stderr.contains("/nonexistent/key.txt"));
}

#[test]
fn recover_migrates_shared_preferences_and_the_sealed_backup() {
    let s = Store::copy("shared-preferences");
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.json()["status"], "migrated");
    let prefs =
        std::fs::read_to_string(s.data_dir.parent().unwrap().join("shared_preferences.json"))
            .unwrap();
    assert!(!prefs.contains("xworkmate.settings.snapshot"));
    assert_eq!(
        s.run(&["threads", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let s = Store::copy("sealed-backup-v2");
    let r = s.run(&["recover"]);
    assert_eq!(r.code, 0);
    assert!(is_plain_json(&s.data_dir.join("settings-snapshot.json")));
    let j = s.run(&["settings", "show", "--json"]).json();
    assert!(j.get("appLanguage").is_some());
}

/// The sealed store with a folder where the database should be: recovery can
/// read the sealed mirrors but cannot write (status `failed`).
fn store_with_an_unwritable_database() -> Store {
    let s = Store::copy("sealed-with-key-file");
    std::fs::create_dir(s.data_dir.join("config-store.sqlite3")).unwrap();
    s
}

#[test]
fn recover_failed_keeps_the_report_and_adds_the_error() {
    let s = store_with_an_unwritable_database();
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    // The report …
    assert_eq!(j["status"], "failed");
    assert_eq!(j["dryRun"], false);
    assert!(j["details"]
        .as_str()
        .unwrap()
        .contains("config-store.sqlite3"));
    assert!(!j["sources"].as_array().unwrap().is_empty());
    // … plus the error of the contract, named by the path at fault.
    assert_eq!(j["error"]["code"], "recovery_failed");
    let message = j["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("recovery failed in [TMP]/sealed-with-key-file: ")
            && message.contains("[TMP]/sealed-with-key-file/config-store.sqlite3"),
        "{message}"
    );
    // One line on stderr, the same message.
    assert_eq!(r.stderr, format!("xworkmate-diag: error: {message}\n"));

    // Without --json: the report for people, the same line on stderr.
    let t = s.run(&["recover"]);
    assert_eq!(t.code, 1);
    assert_eq!(t.stderr, r.stderr);
    assert!(t.stdout.contains("failed") && !t.stdout.contains("\"error\""));
    assert!(
        t.stdout.contains("recoverable (run failed)"),
        "{}",
        t.stdout
    );

    // A dry run says the same of the run it describes, and writes nothing.
    let before = s.tree();
    let d = s.run(&["recover", "--dry-run", "--json"]);
    assert_eq!(d.code, 1);
    let j = d.json();
    assert_eq!(j["status"], "failed");
    assert_eq!(j["dryRun"], true);
    assert_eq!(j["error"]["code"], "recovery_failed");
    assert!(j["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("recovery would fail in [TMP]/sealed-with-key-file: "));
    assert_eq!(d.stderr.lines().count(), 1);
    assert_eq!(s.tree(), before);
}

#[test]
fn other_exit_codes_of_recover_carry_no_error() {
    for (name, code) in [("healthy", 0), ("sealed-with-key-file", 0), ("locked", 3)] {
        let s = Store::copy(name);
        let r = s.run(&["recover", "--json"]);
        assert_eq!(r.code, code, "{name}");
        assert!(r.json().get("error").is_none(), "{name}");
        assert_eq!(r.stderr, "", "{name}");
    }
}

#[cfg(unix)]
#[test]
fn a_secret_that_cannot_be_checked_after_clear_is_never_called_verified() {
    // A secret file that is a link: links inside the data folder are not
    // followed, so the secret cannot be read before or after. Clear keeps it,
    // and says it could not be checked — never "every secret is still there".
    // (A secret missing afterwards, only possible if something else removed
    // it meanwhile, is the `secrets_missing` error: clear::verify_secrets is
    // unit-tested for it.)
    let s = Store::copy("healthy");
    let vault = s.file_store_path("xworkmate.vault.token");
    std::os::unix::fs::symlink(s.data_dir.join("settings-snapshot.json"), &vault).unwrap();
    let r = s.run(&["clear", "--yes", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["executed"], true);
    assert_eq!(j["secretsVerified"], false);
    assert_eq!(j["secretsUnchecked"], serde_json::json!(["vault_token"]));
    assert_eq!(j["secretsMissingAfter"], serde_json::json!([]));
    assert!(j.get("error").is_none());
    assert_eq!(j["removed"].as_array().unwrap().len(), 4);
    // The link itself is kept, as is every other secret.
    assert!(std::fs::symlink_metadata(&vault).is_ok());
    assert!(s.file_store_path("xworkmate.gateway.token").is_file());
    assert!(s.file_store_path("xworkmate.ai_gateway.api_key").is_file());

    // The same in text.
    let s = Store::copy("healthy");
    let vault = s.file_store_path("xworkmate.vault.token");
    std::os::unix::fs::symlink(s.data_dir.join("settings-snapshot.json"), &vault).unwrap();
    let t = s.run(&["clear", "--yes"]);
    assert_eq!(t.code, 0);
    assert!(
        t.stdout.contains("could not be checked: vault_token"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("every secret is still present"));

    // A clear that keeps every secret carries no error and says so.
    let s = Store::copy("healthy");
    let r = s.run(&["clear", "--yes", "--json"]);
    assert_eq!(r.code, 0);
    assert!(r.json().get("error").is_none());
    assert_eq!(r.json()["secretsVerified"], true);
    assert_eq!(r.stderr, "");
}

#[test]
fn test_key_with_an_invalid_key_is_an_error() {
    let s = Store::copy("locked");
    let r = s.run(&["recover", "--test-key", "--key", "not-a-key", "--json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "key_invalid");
    assert!(r.stderr.contains("the key given with --key"));
    assert!(
        !r.all_output().contains("not-a-key"),
        "the key is not echoed"
    );
}

// ------------------------------------------------------------ inspect edges

#[test]
fn inspect_a_missing_data_dir_is_a_finding_not_an_error() {
    let s = Store::empty("does-not-exist");
    let r = s.run(&["inspect", "--json"]);
    assert_eq!(r.code, 0);
    let j = r.json();
    assert_eq!(j["dataDirExists"], false);
    assert_eq!(j["database"]["exists"], false);
    assert_eq!(j["database"]["integrity"], "missing");
    assert_eq!(j["settings"]["source"], "none");
    assert_eq!(j["warnings"][0]["code"], "data_dir_missing");
    assert!(!s.data_dir.exists(), "inspect creates nothing");
    for args in [
        vec!["report"],
        vec!["settings", "show", "--json"],
        vec!["threads", "list", "--json"],
        vec!["recover", "--dry-run"],
        vec!["clear", "--dry-run"],
    ] {
        let r = s.run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(!s.data_dir.exists(), "{args:?} created the data dir");
    }
    assert_eq!(s.run(&["settings", "show", "--json"]).stdout.trim(), "{}");
    assert_eq!(s.run(&["threads", "list", "--json"]).stdout.trim(), "[]");
}

#[test]
fn inspect_a_corrupt_database_reports_corrupt_and_exits_0() {
    let s = Store::copy("healthy");
    let db = s.data_dir.join("config-store.sqlite3");
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 7) as u8)
        .collect();
    std::fs::write(&db, &garbage).unwrap();
    let before = s.tree();
    let r = s.run(&["inspect", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["database"]["exists"], true);
    assert_eq!(j["database"]["integrity"], "corrupt");
    assert_eq!(
        j["settings"]["source"], "mirror",
        "the mirror is read instead"
    );
    let r = s.run(&["inspect"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("corrupt"));
    assert_eq!(s.run(&["report"]).code, 0);
    // The read-only readers fall back to the mirrors.
    let r = s.run(&["settings", "show", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["appLanguage"], "zh");
    let r = s.run(&["threads", "list", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    assert_eq!(s.run(&["clear", "--dry-run"]).code, 0);
    assert_eq!(s.tree(), before);
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

// -------------------------------------------------------------- round trips

#[test]
fn settings_save_then_show_keeps_every_field_in_order() {
    let s = Store::copy("healthy");
    let doc =
        r#"{"zField":1,"appLanguage":"en","unknown":{"nested":[true,null,1.5]},"aField":"x"}"#;
    let input = s.root().join("in.json");
    std::fs::write(&input, doc).unwrap();
    let r = s.run(&["settings", "save", input.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shown = s.run(&["settings", "show", "--json"]);
    assert_eq!(shown.stdout.trim(), doc);
    assert_eq!(
        std::fs::read_to_string(s.data_dir.join("settings-snapshot.json")).unwrap(),
        doc
    );
    assert_eq!(
        sqlite_value(&s.data_dir, "xworkmate.settings.snapshot").as_deref(),
        Some(doc)
    );
    // Via stdin, and global options after the subcommand.
    let doc2 = r#"{"appLanguage":"zh"}"#;
    let r = run(
        &[
            "settings",
            "save",
            "-",
            "--data-dir",
            s.dir(),
            "--secrets",
            "file",
        ],
        Some(doc2),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(s.run(&["settings", "show", "--json"]).stdout.trim(), doc2);
}

#[test]
fn save_rejects_invalid_documents_and_names_the_input() {
    let s = Store::copy("healthy");
    let before = s.tree();
    for (cmd, text) in [
        ("settings", "not json"),
        ("settings", r#"{"other":1}"#),
        (
            "settings",
            r#"{"storageFormat":"xworkmate.sealed.local-state.v1","appLanguage":"en"}"#,
        ),
        ("threads", r#"{"a":1}"#),
        ("threads", "[1,2]"),
    ] {
        let r = s.run_with(&[cmd, "save", "-", "--json"], Some(text), &[]);
        assert_eq!(r.code, 1, "{cmd} {text}");
        assert_eq!(r.json()["error"]["code"], "invalid_input");
        assert!(
            r.stderr
                .starts_with("xworkmate-diag: error: stdin: invalid"),
            "{}",
            r.stderr
        );
        assert_eq!(r.stderr.trim_end().lines().count(), 1);
    }
    let r = s.run(&["settings", "save", "/nonexistent/settings.json"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("/nonexistent/settings.json"));
    assert_eq!(s.tree(), before);
}

#[test]
fn threads_save_then_list() {
    let s = Store::copy("healthy");
    let threads = r#"[{"sessionKey":"x","title":"新","archived":true,"updatedAtMs":1700000001000,"messages":[{},{},{}],"future":1},{"sessionKey":"y","messages":null}]"#;
    let r = s.run_with(&["threads", "save", "-"], Some(threads), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = s.run(&["threads", "list", "--json"]).json();
    assert_eq!(
        list,
        serde_json::json!([
            {"sessionKey":"x","title":"新","archived":true,"messageCount":3,"updatedAtMs":1700000001000.0},
            {"sessionKey":"y","title":null,"archived":false,"messageCount":0,"updatedAtMs":null}
        ])
    );
    assert_eq!(
        std::fs::read_to_string(s.data_dir.join("assistant-threads.json")).unwrap(),
        threads
    );
}

#[test]
fn english_counts_are_singular_or_plural() {
    let s = Store::copy("healthy");
    let one = r#"[{"sessionKey":"a","title":"A","archived":false,"messages":[{"id":"1"}]}]"#;
    assert_eq!(
        s.run_with(&["threads", "save", "-"], Some(one), &[]).code,
        0
    );
    let r = s.run(&["threads", "list"]);
    assert!(
        r.stdout
            .contains("1 thread (0 archived), 1 message; read from database"),
        "{}",
        r.stdout
    );
    let r = s.run(&["inspect"]);
    assert!(
        r.stdout.contains("1 thread (0 archived), 1 message;"),
        "{}",
        r.stdout
    );
    let none = r#"[{"sessionKey":"a","messages":[]},{"sessionKey":"b","archived":true}]"#;
    assert_eq!(
        s.run_with(&["threads", "save", "-"], Some(none), &[]).code,
        0
    );
    let r = s.run(&["threads", "list"]);
    assert!(
        r.stdout.contains("2 threads (1 archived), 0 messages;"),
        "{}",
        r.stdout
    );
}

// ------------------------------------------------------- options and errors

#[test]
fn usage_errors_exit_2() {
    let s = Store::copy("healthy");
    for args in [
        vec!["frobnicate"],
        vec!["inspect", "--no-such-flag"],
        vec!["--secrets", "vault", "inspect"],
        vec!["--lang", "fr", "inspect"],
        vec!["recover", "--key", "a", "--key-file", "b"],
        vec!["recover", "--test-key"],
        vec!["settings", "save"],
        vec!["threads"],
        vec!["export-report"],
        vec!["inspect", "extra"],
        vec!["--data-dir"],
        vec!["inspect", "--secrets"],
        vec!["inspet"],
    ] {
        let r = s.run(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(
            r.stderr.trim_end().lines().count(),
            1,
            "{args:?}: {}",
            r.stderr
        );
        // One clean line: our own pointer to --help, once; none of clap's.
        assert!(
            r.stderr.starts_with("xworkmate-diag: error: ")
                && r.stderr.trim_end().ends_with(" (see --help)")
                && r.stderr.matches("--help").count() == 1
                && !r.stderr.contains("For more information"),
            "{args:?}: {}",
            r.stderr
        );
        let mut with_json = args.clone();
        with_json.push("--json");
        let r = s.run(&with_json);
        assert_eq!(r.code, 2, "{with_json:?}");
        assert_eq!(r.json()["error"]["code"], "usage", "{with_json:?}");
    }
    let r = run(
        &["--data-dir", s.dir(), "--secrets", "bad", "inspect"],
        None,
        &[],
    );
    assert_eq!(
        r.stderr,
        "xworkmate-diag: error: invalid value 'bad' for '--secrets <MODE>' \
         [possible values: auto, keyring, file] (see --help)\n"
    );
    let r = s.run(&["inspet"]);
    assert!(
        r.stderr
            .contains("a similar subcommand exists: 'inspect' (see --help)"),
        "{}",
        r.stderr
    );
    let r = run(&[], None, &[]);
    assert_eq!(r.code, 2);
    let r = run(&["--help"], None, &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("export-report"));
    let r = run(&["--version"], None, &[]);
    assert_eq!(r.code, 0);
}

#[test]
fn global_options_before_or_after_the_subcommand() {
    let s = Store::copy("healthy");
    let a = run(
        &[
            "--json",
            "--data-dir",
            s.dir(),
            "--secrets",
            "file",
            "inspect",
        ],
        None,
        &[],
    );
    let b = run(
        &[
            "inspect",
            "--data-dir",
            s.dir(),
            "--secrets",
            "file",
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(a.code, 0);
    let (mut ja, mut jb) = (a.json(), b.json());
    ja["elapsedMs"] = Value::Null;
    jb["elapsedMs"] = Value::Null;
    assert_eq!(ja, jb);
}

#[test]
fn the_data_dir_comes_from_the_environment_without_the_flag() {
    let s = Store::copy("healthy");
    let r = run(
        &["inspect", "--json", "--secrets", "file"],
        None,
        &[("XWORKMATE_DATA_DIR", s.dir())],
    );
    assert_eq!(r.code, 0);
    let j = r.json();
    assert_eq!(j["dataDir"], s.dir());
    assert_eq!(j["dataDirOrigin"], "environment");
    assert_eq!(j["threads"]["count"], 2);
}

#[test]
fn language_follows_the_locale_and_the_flag() {
    let s = Store::copy("healthy");
    let zh = s.run_with(&["inspect"], None, &[("LANG", "zh_CN.UTF-8")]);
    assert!(zh.stdout.contains("数据库"));
    let zh = s.run_with(
        &["inspect"],
        None,
        &[("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_TW.UTF-8")],
    );
    assert!(zh.stdout.contains("数据库"), "LC_ALL wins over LANG");
    let en = s.run_with(
        &["inspect", "--lang", "en"],
        None,
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(en.stdout.contains("Database") && !en.stdout.contains("数据库"));
    let zh = s.run(&["--lang", "zh", "clear"]);
    assert!(zh.stdout.contains("已拒绝"));
    // JSON is the same in every language.
    let a = s.run_with(&["report", "--json"], None, &[("LANG", "zh_CN.UTF-8")]);
    let b = s.run(&["report", "--json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn no_colour_when_not_a_terminal() {
    let s = Store::copy("locked");
    // Without NO_COLOR as well: stdout is a pipe here.
    for args in [
        vec!["inspect"],
        vec!["report"],
        vec!["clear"],
        vec!["recover"],
    ] {
        let mut all = vec!["--data-dir", s.dir(), "--secrets", "file"];
        all.extend_from_slice(&args);
        let r = run(&all, None, &[("NO_COLOR", "")]);
        assert!(!r.stdout.contains('\u{1b}'), "{args:?}");
        assert!(!r.stderr.contains('\u{1b}'), "{args:?}");
    }
}

#[test]
fn export_report_is_redacted() {
    let s = Store::copy("healthy");
    let out = s.root().join("support.json");
    let r = s.run(&["export-report", "--out", out.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["out"], "[TMP]/support.json");
    let text = std::fs::read_to_string(&out).unwrap();
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["secrets"][0]["present"], true);
    assert!(report["secrets"][0].get("masked").is_none());
    for forbidden in [
        "••••",
        "sample-",
        "消息",
        "本地线程",
        "研发任务",
        "vector-user",
    ] {
        assert!(!text.contains(forbidden), "export contains {forbidden}");
    }
    let r = s.run(&[
        "export-report",
        "--out",
        "/nonexistent/dir/r.json",
        "--json",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("/nonexistent/dir"), "{}", r.stderr);
    assert!(r.json()["error"]["code"].is_string());
}

#[test]
fn inspect_json_has_the_contract_fields() {
    for name in STORES {
        let s = Store::copy(name);
        let j = s.run(&["inspect", "--json"]).json();
        assert!(j["dataDir"].is_string());
        assert!(j["database"]["exists"].is_boolean());
        assert!(
            ["ok", "corrupt", "missing"].contains(&j["database"]["integrity"].as_str().unwrap())
        );
        assert!(j["settings"]["present"].is_boolean());
        assert!(["database", "mirror", "none"].contains(&j["settings"]["source"].as_str().unwrap()));
        for k in ["count", "archived", "messages"] {
            assert!(j["threads"][k].is_number(), "{name} threads.{k}");
        }
        for e in j["secrets"]["entries"].as_array().unwrap() {
            assert!(e["name"].is_string());
            assert!(e["present"].is_boolean());
            assert!(["keyring", "file", "none"].contains(&e["backend"].as_str().unwrap()));
            assert!(e["masked"].is_string());
        }
        let r = s.run(&["report", "--json"]).json();
        assert!(
            ["none", "recoverable", "locked_legacy_state"].contains(&r["status"].as_str().unwrap())
        );
        assert!(r.get("lastRecovery").is_some());
        assert!(r.get("sourcePath").is_some());
        assert!(r["details"].is_string());
    }
}
