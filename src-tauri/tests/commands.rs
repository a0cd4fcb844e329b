//! Every command on the mock runtime (Tauri's real IPC path, no window), on
//! copies of the fixture stores, with the file secret store.

mod common;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tauri::test::{mock_builder, MockRuntime};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use xworkmate_diagnostics::{build_app, context, AppState};
use xworkmate_store::secret::SecretsMode;

const FIXTURE_KEY: &str = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA";

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    out: PathBuf,
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn open(store: &str) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(store);
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store(store), &dir).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let state = AppState::new(Some(dir.clone()))
        .with_secrets_mode(SecretsMode::File)
        .with_save_paths(Some(out.join("backup.json")), Some(out.join("report.json")))
        .with_threads_path(Some(out.join("threads.html")));
    let app = build_app(mock_builder(), state).build(context()).unwrap();
    let config = app.config().app.windows[0].clone();
    let window = WebviewWindowBuilder::from_config(&app, &config)
        .unwrap()
        .build()
        .unwrap();
    Fixture {
        _tmp: tmp,
        dir,
        out,
        _app: app,
        window,
    }
}

fn invoke(f: &Fixture, cmd: &str, body: Value) -> Result<Value, Value> {
    common::invoke(&f.window, cmd, body)
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn inspect_shows_the_healthy_store_and_writes_nothing() {
    let f = open("healthy");
    let before = files(&f.dir);
    let i = invoke(&f, "inspect", json!({})).unwrap();
    assert_eq!(i["database"]["integrity"], "ok");
    assert_eq!(i["threads"]["count"], 2);
    assert_eq!(i["settings"]["source"], "database");
    let token = i["secrets"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "gateway_token")
        .unwrap();
    assert_eq!(token["present"], true);
    assert_eq!(token["backend"], "file");
    assert_eq!(token["masked"], "sam••••001");
    assert!(!i.to_string().contains("sample-gateway-token-0001"));
    let r = invoke(&f, "locked_report", json!({})).unwrap();
    assert_eq!(r["status"], "none");
    assert_eq!(files(&f.dir), before);
}

#[test]
fn preview_then_recover_the_sealed_store() {
    let f = open("sealed-with-key-file");
    let before = files(&f.dir);
    let preview = invoke(
        &f,
        "recover",
        json!({"dryRun": true, "useCandidateKey": false}),
    )
    .unwrap();
    assert_eq!(preview["status"], "migrated");
    assert_eq!(preview["dryRun"], true);
    assert_eq!(files(&f.dir), before, "Preview writes nothing");
    let run = invoke(
        &f,
        "recover",
        json!({"dryRun": false, "useCandidateKey": false}),
    )
    .unwrap();
    assert_eq!(run["status"], "migrated");
    let mirror = std::fs::read_to_string(f.dir.join("settings-snapshot.json")).unwrap();
    assert!(mirror.contains("\"appLanguage\""), "plain afterwards");
    assert!(!f.dir.join("gateway-auth/local-state-key.txt").exists());
    let report = invoke(&f, "locked_report", json!({})).unwrap();
    assert_eq!(report["lastRecovery"]["report"]["status"], "migrated");
}

#[test]
fn a_locked_store_recovers_with_a_tested_key() {
    let f = open("sealed-with-key-file");
    // Without its key file the store is locked (key_missing).
    std::fs::remove_file(f.dir.join("gateway-auth/local-state-key.txt")).unwrap();
    let r = invoke(&f, "locked_report", json!({})).unwrap();
    assert_eq!(r["status"], "locked_legacy_state");
    assert!(r["sources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["reason"] == "key_missing"));
    // Recovering with a candidate key before testing one is an error.
    let e = invoke(
        &f,
        "recover",
        json!({"dryRun": false, "useCandidateKey": true}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "key_invalid");
    let bad = invoke(&f, "test_key", json!({"key": "not-a-key"})).unwrap();
    assert_eq!(bad["test"]["valid"], false);
    let before = files(&f.dir);
    let good = invoke(&f, "test_key", json!({"key": FIXTURE_KEY})).unwrap();
    assert_eq!(good["source"], "pasted");
    assert_eq!(good["test"]["valid"], true);
    assert_eq!(good["test"]["opens"].as_array().unwrap().len(), 2);
    assert!(
        !good.to_string().contains(FIXTURE_KEY),
        "the key is never sent back"
    );
    assert_eq!(files(&f.dir), before, "testing a key writes nothing");
    let run = invoke(
        &f,
        "recover",
        json!({"dryRun": false, "useCandidateKey": true}),
    )
    .unwrap();
    assert_eq!(run["status"], "migrated");
    assert_eq!(run["keys"]["suppliedKeyStored"], true);
    // The key did its job: it is no longer kept in the app's memory.
    let e = invoke(
        &f,
        "recover",
        json!({"dryRun": false, "useCandidateKey": true}),
    )
    .unwrap_err();
    assert_eq!(e["code"], "key_invalid");
}

#[test]
fn clear_executes_the_plan_after_a_backup_and_keeps_secrets() {
    let f = open("healthy");
    let e = invoke(&f, "clear_execute", json!({"backup": false})).unwrap_err();
    assert_eq!(e["code"], "stale_plan", "no plan yet");
    let plan = invoke(&f, "clear_plan", json!({})).unwrap();
    assert_eq!(plan["removals"].as_array().unwrap().len(), 4);
    assert_eq!(plan["kept"]["secretCount"], 2);
    let done = invoke(&f, "clear_execute", json!({"backup": true})).unwrap();
    assert_eq!(done["secretsVerified"], true);
    assert_eq!(done["backup"], json!(f.out.join("backup.json")));
    let backup: Value =
        serde_json::from_slice(&std::fs::read(f.out.join("backup.json")).unwrap()).unwrap();
    assert_eq!(backup["assistantThreads"].as_array().unwrap().len(), 2);
    assert!(!f.dir.join("settings-snapshot.json").exists());
    assert!(f
        .dir
        .join("gateway-auth/secure-storage/eHdvcmttYXRlLmdhdGV3YXkudG9rZW4.txt")
        .exists());
    let i = invoke(&f, "inspect", json!({})).unwrap();
    assert_eq!(i["threads"]["present"], false);
    assert_eq!(i["settings"]["present"], false);
    // The plan is used once.
    assert_eq!(
        invoke(&f, "clear_execute", json!({"backup": false})).unwrap_err()["code"],
        "stale_plan"
    );
}

#[test]
fn export_writes_the_redacted_report_where_the_command_line_said() {
    let f = open("healthy");
    let path = invoke(&f, "export_report", json!({})).unwrap();
    assert_eq!(path, json!(f.out.join("report.json")));
    let text = std::fs::read_to_string(f.out.join("report.json")).unwrap();
    for secret in [
        "sample-gateway-token-0001",
        "sample-ai-gateway-key-0002",
        "sam••••001",
        "消息 0",
    ] {
        assert!(!text.contains(secret), "{secret} leaked into the report");
    }
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["threadCount"], 2);
}

#[test]
fn the_ui_tells_the_shell_its_language() {
    let f = open("healthy");
    assert_eq!(
        invoke(&f, "set_language", json!({"lang": "zh"})).unwrap(),
        Value::Null
    );
    assert_eq!(
        invoke(&f, "set_language", json!({"lang": "en"})).unwrap(),
        Value::Null
    );
}

#[test]
fn a_damaged_database_is_rebuilt_from_the_mirrors() {
    let f = open("healthy");
    std::fs::write(f.dir.join("config-store.sqlite3"), vec![b'Z'; 12288]).unwrap();
    let plan = invoke(&f, "rebuild_database", json!({"dryRun": true})).unwrap();
    assert_eq!(plan["executed"], false);
    assert_eq!(plan["threads"], 2);
    let done = invoke(&f, "rebuild_database", json!({"dryRun": false})).unwrap();
    assert_eq!(done["executed"], true, "{done}");
    let seen = invoke(&f, "inspect", json!({})).unwrap();
    assert_eq!(seen["database"]["integrity"], "ok");
    assert_eq!(seen["threads"]["count"], 2);
}

#[test]
fn a_part_of_a_clear_is_planned_with_its_consequences_and_executed() {
    let f = open("healthy");
    let plan = invoke(
        &f,
        "clear_plan",
        json!({"scope": {"kind": "archivedThreads"}}),
    )
    .unwrap();
    assert_eq!(plan["scope"]["kind"], "archivedThreads");
    assert_eq!(plan["rewrite"]["removed"], 1);
    assert_eq!(plan["consequences"]["threads"], 1);
    assert_eq!(plan["consequences"]["threadsKept"], 1);
    let done = invoke(&f, "clear_execute", json!({"backup": false})).unwrap();
    assert_eq!(done["rewritten"]["kept"], 1, "{done}");
    let plan = invoke(&f, "clear_plan", json!({})).unwrap();
    assert_eq!(plan["consequences"]["threads"], 1);
    assert_eq!(plan["consequences"]["account"], "vector-user");
    let g = open("gen-c");
    invoke(&g, "clear_plan", json!({})).unwrap();
    assert_eq!(
        invoke(
            &g,
            "clear_plan",
            json!({"scope": {"kind": "archivedThreads"}})
        )
        .unwrap_err()["code"],
        "selective_clear_unavailable"
    );
    // The refused plan left no earlier one to execute.
    assert_eq!(
        invoke(&g, "clear_execute", json!({"backup": false})).unwrap_err()["code"],
        "stale_plan"
    );
}

#[test]
fn an_upgraded_folder_clears_the_current_generation_and_exports_the_old_threads() {
    let f = open("gen-a-plus-c");
    let plan = invoke(&f, "clear_plan", json!({})).unwrap();
    assert_eq!(plan["generation"], "C");
    assert_eq!(plan["generationsPresent"], json!(["A", "C"]));
    let plan = invoke(&f, "clear_plan", json!({"generation": "A"})).unwrap();
    assert_eq!(plan["generation"], "A");
    assert_eq!(
        invoke(&f, "clear_plan", json!({"generation": "D"})).unwrap_err()["code"],
        "no_such_generation"
    );
    let before = files(&f.dir);
    let done = invoke(&f, "export_threads", json!({"generation": "A"})).unwrap();
    assert_eq!(done["generation"], "A");
    assert_eq!(done["format"], "html");
    assert_eq!(done["threads"], 2);
    let page = std::fs::read_to_string(f.out.join("threads.html")).unwrap();
    assert!(page.contains("研发任务"), "{page}");
    assert_eq!(
        files(&f.dir),
        before,
        "exporting writes nothing into the store"
    );
    // The same path again: never replaced.
    assert_eq!(
        invoke(&f, "export_threads", json!({"generation": "A"})).unwrap_err()["code"],
        "already_exists"
    );
}

#[test]
fn clear_with_a_backup_then_restore_it_and_open_a_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("healthy");
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store("healthy"), &dir).unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let backup = out.join("backup.json");
    let report = out.join("report.json");
    let state = AppState::new(Some(dir.clone()))
        .with_secrets_mode(SecretsMode::File)
        .with_save_paths(Some(backup.clone()), Some(report.clone()))
        .with_open_paths(Some(backup.clone()), Some(report.clone()));
    let app = build_app(mock_builder(), state).build(context()).unwrap();
    let config = app.config().app.windows[0].clone();
    let window = WebviewWindowBuilder::from_config(&app, &config)
        .unwrap()
        .build()
        .unwrap();
    let call = |cmd: &str, body: Value| common::invoke(&window, cmd, body);
    let threads_before = std::fs::read(dir.join("assistant-threads.json")).unwrap();
    call("clear_plan", json!({})).unwrap();
    call("clear_execute", json!({"backup": true})).unwrap();
    assert!(!dir.join("assistant-threads.json").exists());
    let plan = call("restore_plan", json!({})).unwrap();
    assert_eq!(plan["generation"], "A");
    assert_eq!(plan["threadCount"], 2);
    let done = call("restore_execute", json!({"replace": false})).unwrap();
    assert_eq!(done["restored"].as_array().unwrap().len(), 2);
    let a: Value =
        serde_json::from_slice(&std::fs::read(dir.join("assistant-threads.json")).unwrap())
            .unwrap();
    let b: Value = serde_json::from_slice(&threads_before).unwrap();
    assert_eq!(a.to_string(), b.to_string());
    // A stale second execute: no plan any more.
    assert_eq!(
        call("restore_execute", json!({"replace": false})).unwrap_err()["code"],
        "stale_plan"
    );
    // The report: exported, then opened.
    call("export_report", json!({})).unwrap();
    let opened = call("open_report", json!({})).unwrap();
    assert_eq!(opened["reportVersion"], 1);
    assert_eq!(opened["threadCount"], 2);
}
