//! The app's commands through Tauri's real IPC path (command routing, the ACL
//! of `capabilities/`, serialization) on the mock runtime: no window, no display.

mod common;

use common::invoke;
use serde_json::json;
use tauri::test::{mock_builder, MockRuntime};
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use xworkmate_diagnostics::{build_app, context, AppState};
use xworkmate_store::{DataLocation, StoreError};

/// The app with tauri.conf.json's window (label "main"), the one that
/// capabilities/default.json grants; `label` renames it.
fn app_with_window(state: AppState, label: &str) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = build_app(mock_builder(), state)
        .build(context())
        .expect("the app builds");
    let mut config = app.config().app.windows[0].clone();
    assert_eq!(config.label, "main");
    config.label = label.to_string();
    let window = WebviewWindowBuilder::from_config(&app, &config)
        .and_then(|w| w.build())
        .expect("the window builds");
    (app, window)
}

fn app(state: AppState) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    app_with_window(state, "main")
}

#[test]
fn app_info_reports_the_explicit_data_dir() {
    let dir = std::env::temp_dir().join("xworkmate-ipc-test");
    let (_app, window) = app(AppState::new(Some(dir.clone())));
    let info = invoke(&window, "app_info", json!({})).expect("app_info succeeds");
    // The commit this app was built from: 12 hex digits (or "unknown" outside git).
    let commit = info["commit"].as_str().expect("commit is a string");
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
    assert_eq!(
        info,
        json!({
            "version": env!("CARGO_PKG_VERSION"),
            "commit": commit,
            "dataDir": dir.to_str().unwrap(),
            "dataDirOrigin": "explicit",
            // auto on a folder given explicitly is that folder's file store.
            "secretsMode": "file",
            "systemLocale": info["systemLocale"],
        })
    );
}

#[test]
fn unknown_commands_are_refused() {
    let (_app, window) = app(AppState::new(Some("/d".into())));
    let error = invoke(&window, "clear_everything", json!({})).expect_err("refused");
    assert!(
        error.as_str().is_some_and(|e| e.contains("not found")),
        "{error}"
    );
}

#[test]
fn app_info_reports_how_the_data_dir_was_chosen() {
    let dir = std::env::temp_dir().join("from-env");
    let resolved = DataLocation::resolve_with(None, Some(dir.clone()));
    let (_app, window) = app(AppState::from_resolved(resolved));
    let info = invoke(&window, "app_info", json!({})).expect("app_info succeeds");
    assert_eq!(info["dataDir"], json!(dir.to_str().unwrap()));
    assert_eq!(info["dataDirOrigin"], json!("environment"));
}

#[test]
fn errors_reach_the_ui_as_code_and_message() {
    let (_app, window) = app(AppState::from_resolved(Err(StoreError::NoDataDir)));
    let error = invoke(&window, "app_info", json!({})).expect_err("no data dir");
    assert_eq!(error["code"], json!("no_data_dir"));
    assert_eq!(
        error["message"],
        json!(StoreError::NoDataDir.to_string()),
        "{error}"
    );
}

#[test]
fn windows_without_the_capability_cannot_call_commands() {
    let (_app, window) = app_with_window(AppState::new(Some("/d".into())), "other");
    let error = invoke(&window, "app_info", json!({})).expect_err("refused");
    assert!(
        error.as_str().is_some_and(|e| e.contains("not allowed")),
        "{error}"
    );
}

#[test]
fn tauri_core_apis_are_not_granted_to_the_page() {
    let (_app, window) = app(AppState::new(Some("/d".into())));
    for cmd in [
        "plugin:app|version",
        "plugin:window|close",
        "plugin:tray|new",
    ] {
        let error = invoke(&window, cmd, json!({})).expect_err(cmd);
        assert!(
            error
                .as_str()
                .is_some_and(|e| e.contains("not allowed") || e.contains("not found")),
            "{cmd}: {error}"
        );
    }
}
