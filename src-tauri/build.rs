//! Reads tauri.conf.json (beside this file), generates
//! the permissions of this app's commands and checks `capabilities/`.

use std::path::Path;

// emit_build_commit(): the commit for the About line.
include!("../crates/build-info/commit.rs");

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
    "export_threads",
    "restore_plan",
    "restore_execute",
    "rebuild_database",
    "set_language",
    "painted",
    "progress",
    "cancel",
    "open_report",
    "export_report",
    "copy_report",
    "copy_data_dir",
    "open_data_dir",
    "choose_data_dir",
];

fn main() {
    emit_build_commit();
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
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
