//! Reads ../tauri.conf.json (at the repository root, beside `ui/`), generates
//! the permissions of this app's commands and checks `capabilities/`.

use std::path::Path;

/// Every `#[tauri::command]` of `src/commands.rs`. A command missing here gets
/// no `allow-*` permission, so the UI cannot call it.
const COMMANDS: &[&str] = &[
    "app_info",
    "inspect",
    "locked_report",
    "recover",
    "test_key",
    "forget_candidate_key",
    "clear_plan",
    "clear_execute",
    "export_report",
    "copy_report",
    "copy_data_dir",
    "open_data_dir",
    "choose_data_dir",
];

fn main() {
    // `generate_context!` embeds ui/dist; without it the error would be an
    // obscure one from the macro.
    let index = Path::new("../ui/dist/index.html");
    if !index.exists() {
        panic!(
            "ui/dist/index.html is missing: build the UI first \
             (`npm ci && npm run build` in ui/, or run scripts/test or scripts/run)"
        );
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("../tauri.conf.json")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
