//! Snapshot tests of the human and JSON output of every subcommand on copies of
//! the shared fixture stores. Temp paths become `[TMP]`; times written by the
//! run, durations and file modes are replaced (see `common`).

mod common;

use common::{fixture_key, Store, STORES};
use insta::assert_snapshot;

fn snap_name(store: &str, what: &str) -> String {
    format!("{what}__{store}")
}

#[test]
fn inspect_every_store() {
    for name in STORES {
        let s = Store::copy(name);
        let text = s.run(&["inspect"]);
        assert_eq!(text.code, 0, "{name}: {}", text.stderr);
        assert_snapshot!(snap_name(name, "inspect_text"), text.text_snapshot());
        let json = s.run(&["inspect", "--json"]);
        assert_eq!(json.code, 0, "{name}: {}", json.stderr);
        assert_snapshot!(snap_name(name, "inspect_json"), json.json_snapshot());
    }
}

#[test]
fn inspect_in_chinese() {
    let s = Store::copy("healthy");
    let r = s.run_with(&["inspect"], None, &[("LANG", "zh_CN.UTF-8")]);
    assert_eq!(r.code, 0);
    assert_snapshot!("inspect_text_zh__healthy", r.text_snapshot());
}

#[test]
fn report_every_store() {
    for name in STORES {
        let s = Store::copy(name);
        let text = s.run(&["report"]);
        assert_eq!(text.code, 0, "{name}: {}", text.stderr);
        assert_snapshot!(snap_name(name, "report_text"), text.text_snapshot());
        let json = s.run(&["report", "--json"]);
        assert_eq!(json.code, 0, "{name}: {}", json.stderr);
        assert_snapshot!(snap_name(name, "report_json"), json.json_snapshot());
    }
}

#[test]
fn report_in_chinese_and_after_a_run() {
    let s = Store::copy("locked");
    let r = s.run(&["--lang", "zh", "report"]);
    assert_snapshot!("report_text_zh__locked", r.text_snapshot());
    let s = Store::copy("sealed-with-key-file");
    assert_eq!(s.run(&["recover"]).code, 0);
    let r = s.run(&["report"]);
    assert_snapshot!(
        "report_text_after_recover__sealed-with-key-file",
        r.text_snapshot()
    );
    let r = s.run(&["report", "--json"]);
    assert_snapshot!(
        "report_json_after_recover__sealed-with-key-file",
        r.json_snapshot()
    );
}

#[test]
fn recover_dry_run_every_store() {
    for name in STORES {
        let s = Store::copy(name);
        let text = s.run(&["recover", "--dry-run"]);
        assert_snapshot!(
            snap_name(name, "recover_dry_run_text"),
            text.text_snapshot()
        );
        let json = s.run(&["recover", "--dry-run", "--json"]);
        assert_snapshot!(
            snap_name(name, "recover_dry_run_json"),
            json.json_snapshot()
        );
    }
}

#[test]
fn recover_every_store() {
    for name in STORES {
        let s = Store::copy(name);
        let json = s.run(&["recover", "--json"]);
        assert_snapshot!(snap_name(name, "recover_json"), json.json_snapshot());
        let s = Store::copy(name);
        let text = s.run(&["recover"]);
        assert_snapshot!(snap_name(name, "recover_text"), text.text_snapshot());
    }
}

#[test]
fn recover_dry_run_in_chinese() {
    let s = Store::copy("sealed-with-key-file");
    let r = s.run(&["--lang", "zh", "recover", "--dry-run"]);
    assert_eq!(r.code, 0);
    assert_snapshot!(
        "recover_dry_run_text_zh__sealed-with-key-file",
        r.text_snapshot()
    );
}

#[test]
fn recover_failed() {
    // A folder where the database should be: the run cannot write (exit 1).
    let s = Store::copy("sealed-with-key-file");
    std::fs::create_dir(s.data_dir.join("config-store.sqlite3")).unwrap();
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 1);
    assert_snapshot!("recover_failed_json", r.json_snapshot());
    let r = s.run(&["recover"]);
    assert_eq!(r.code, 1);
    assert_snapshot!("recover_failed_text", r.text_snapshot());
}

#[test]
fn recover_test_key() {
    // sealed-with-key-file without its key file: locked until the key is given.
    let s = Store::copy("sealed-with-key-file");
    std::fs::remove_file(s.data_dir.join("gateway-auth/local-state-key.txt")).unwrap();
    let key = fixture_key();
    let text = s.run_with(&["recover", "--test-key", "--key", "-"], Some(&key), &[]);
    assert_snapshot!("recover_test_key_text", text.text_snapshot());
    let json = s.run_with(
        &["recover", "--test-key", "--key", "-", "--json"],
        Some(&key),
        &[],
    );
    assert_snapshot!("recover_test_key_json", json.json_snapshot());
    let wrong = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let json = s.run(&["recover", "--test-key", "--key", wrong, "--json"]);
    assert_snapshot!("recover_test_key_wrong_json", json.json_snapshot());
    let json = s.run_with(
        &["recover", "--test-key", "--key", "-", "--json"],
        Some("short"),
        &[],
    );
    assert_snapshot!("recover_test_key_invalid_json", json.json_snapshot());
}

#[test]
fn clear_outputs() {
    let s = Store::copy("healthy");
    let r = s.run(&["clear"]);
    assert_snapshot!("clear_refused_text", r.text_snapshot());
    let r = s.run(&["clear", "--json"]);
    assert_snapshot!("clear_refused_json", r.json_snapshot());
    let r = s.run(&["clear", "--dry-run"]);
    assert_snapshot!("clear_dry_run_text", r.text_snapshot());
    let r = s.run(&["clear", "--dry-run", "--json"]);
    assert_snapshot!("clear_dry_run_json", r.json_snapshot());
    let backup = s.root().join("backup.json");
    let r = s.run(&[
        "clear",
        "--yes",
        "--backup",
        backup.to_str().unwrap(),
        "--json",
    ]);
    assert_snapshot!("clear_yes_json", r.json_snapshot());
    let r = s.run(&["clear", "--yes"]);
    assert_snapshot!("clear_yes_again_text", r.text_snapshot());

    let s = Store::copy("shared-preferences");
    let r = s.run(&["clear", "--yes", "--lang", "zh"]);
    assert_snapshot!("clear_yes_text_zh__shared-preferences", r.text_snapshot());
    let s = Store::copy("locked");
    let r = s.run(&["clear", "--dry-run"]);
    assert_snapshot!("clear_dry_run_text__locked", r.text_snapshot());
}

#[test]
fn export_report_outputs() {
    for name in ["healthy", "locked"] {
        let s = Store::copy(name);
        let out = s.root().join("support.json");
        let r = s.run(&["export-report", "--out", out.to_str().unwrap()]);
        assert_snapshot!(snap_name(name, "export_text"), r.text_snapshot());
        // A second export to the same path is refused; the first stays.
        let first = std::fs::read(&out).unwrap();
        let r = s.run(&["export-report", "--out", out.to_str().unwrap(), "--json"]);
        assert_eq!(r.code, 1);
        assert_eq!(r.json()["error"]["code"], "already_exists");
        assert_eq!(std::fs::read(&out).unwrap(), first);
        std::fs::remove_file(&out).unwrap();
        let r = s.run(&["export-report", "--out", out.to_str().unwrap(), "--json"]);
        assert_snapshot!(snap_name(name, "export_json"), r.json_snapshot());
        let written = std::fs::read_to_string(&out)
            .unwrap()
            .replace(s.root().to_str().unwrap(), "[TMP]");
        let file = common::Run {
            code: 0,
            stdout: written,
            stderr: String::new(),
        };
        assert_snapshot!(snap_name(name, "export_file"), file.json_snapshot());
    }
}

#[test]
fn settings_and_threads_outputs() {
    for name in ["healthy", "locked"] {
        let s = Store::copy(name);
        let r = s.run(&["settings", "show"]);
        assert_snapshot!(snap_name(name, "settings_show_text"), r.text_snapshot());
        let r = s.run(&["settings", "show", "--json"]);
        assert_snapshot!(snap_name(name, "settings_show_json"), r.json_snapshot());
        let r = s.run(&["threads", "list"]);
        assert_snapshot!(snap_name(name, "threads_list_text"), r.text_snapshot());
        let r = s.run(&["threads", "list", "--json"]);
        assert_snapshot!(snap_name(name, "threads_list_json"), r.json_snapshot());
    }
    let s = Store::copy("healthy");
    let r = s.run(&["threads", "list", "--lang", "zh"]);
    assert_snapshot!("threads_list_text_zh__healthy", r.text_snapshot());
}

#[test]
fn save_outputs() {
    let s = Store::empty("new-store");
    let settings = s.root().join("settings.json");
    std::fs::write(
        &settings,
        r#"{"appLanguage":"en","futureField":{"x":[1,2]}}"#,
    )
    .unwrap();
    let r = s.run(&["settings", "save", settings.to_str().unwrap()]);
    assert_snapshot!("settings_save_text", r.text_snapshot());
    let r = s.run(&["settings", "save", settings.to_str().unwrap(), "--json"]);
    assert_snapshot!("settings_save_json", r.json_snapshot());
    let threads = r#"[{"sessionKey":"a","title":"A","archived":false,"updatedAtMs":1700000000000,"messages":[{"id":"1","text":"hello"}]}]"#;
    let r = s.run_with(&["threads", "save", "-"], Some(threads), &[]);
    assert_snapshot!("threads_save_text", r.text_snapshot());
    let r = s.run_with(&["threads", "save", "-", "--json"], Some(threads), &[]);
    assert_snapshot!("threads_save_json", r.json_snapshot());
}

#[test]
fn error_outputs() {
    let s = Store::copy("healthy");
    let bad = s.root().join("bad.json");
    std::fs::write(&bad, r#"{"notSettings":true}"#).unwrap();
    let r = s.run(&["settings", "save", bad.to_str().unwrap(), "--json"]);
    assert_snapshot!("error_invalid_settings_json", r.json_snapshot());
    let r = s.run(&["threads", "save", "/nonexistent/threads.json"]);
    assert_snapshot!("error_missing_input_text", r.text_snapshot());
    let r = s.run(&["--json", "frobnicate"]);
    assert_snapshot!("error_usage_json", r.json_snapshot());
    let r = s.run(&["recover", "--key", "x", "--key-file", "y"]);
    assert_snapshot!("error_usage_conflict_text", r.text_snapshot());
    let r = common::run(
        &["--data-dir", s.dir(), "--secrets", "bad", "inspect"],
        None,
        &[],
    )
    .normalised(s.root());
    assert_snapshot!("error_usage_bad_value_text", r.text_snapshot());
}
