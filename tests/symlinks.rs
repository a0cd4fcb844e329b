//! Links inside the data folder are never followed for writes: a linked
//! `gateway-auth/`, `.xworkmate-diagnostics/`, database or `tasks/` pointing
//! outside the folder makes the write refuse (or keep what it would have
//! moved), and nothing outside changes — not a byte, not a mode.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};

use common::*;
use xworkmate_store::clear;
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, RecoveryContext};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::{OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

/// Every file and folder below `dir` with its bytes and mode.
fn outside_state(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut out = BTreeMap::new();
    fn walk(d: &Path, out: &mut BTreeMap<PathBuf, (Vec<u8>, u32)>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let mode = meta.permissions().mode();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                out.insert(p.clone(), (target.into_os_string().into_encoded_bytes(), 0));
            } else if meta.is_dir() {
                out.insert(p.clone(), (Vec::new(), mode));
                walk(&p, out);
            } else {
                out.insert(p.clone(), (std::fs::read(&p).unwrap(), mode));
            }
        }
    }
    walk(dir, &mut out);
    out
}

/// Moves `name` of the store outside and puts a link to it in its place.
fn link_out(store: &Path, name: &str, outside: &Path) -> PathBuf {
    let target = outside.join(name.replace('/', "_"));
    std::fs::rename(store.join(name), &target).unwrap();
    symlink(&target, store.join(name)).unwrap();
    target
}

fn open(dir: &Path) -> (DataLocation, SecretStore) {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (loc, secrets)
}

#[test]
fn recovery_never_writes_removes_or_chmods_through_a_linked_gateway_auth() {
    let (_t, dir) = store_copy("sealed-with-key-file");
    let outside = tempfile::tempdir().unwrap();
    link_out(&dir, "gateway-auth", outside.path());
    // Wider modes outside, which a chmod through the link would change.
    for (p, _) in outside_state(outside.path()) {
        let mode = if p.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let before = outside_state(outside.path());
    let (loc, secrets) = open(&dir);
    let report = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(outside_state(outside.path()), before, "{report:?}");
}

#[test]
fn the_recovery_report_is_never_written_into_a_linked_diagnostics_folder() {
    let (_t, dir) = store_copy("healthy");
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.join(".xworkmate-diagnostics")).unwrap();
    link_out(&dir, ".xworkmate-diagnostics", outside.path());
    let before = outside_state(outside.path());
    let (loc, secrets) = open(&dir);
    let report = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(outside_state(outside.path()), before);
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code == xworkmate_store::NoticeCode::ReportNotKept),
        "{:?}",
        report.warnings
    );
}

#[test]
fn a_linked_database_is_never_opened_for_writing() {
    let (_t, dir) = store_copy("healthy");
    let outside = tempfile::tempdir().unwrap();
    link_out(&dir, "config-store.sqlite3", outside.path());
    let before = outside_state(outside.path());
    let (loc, _) = open(&dir);
    let err = SettingsStore::open(&loc, OpenOptions::default())
        .and_then(|s| s.write_document(DocKind::Settings, r#"{"appLanguage":"en"}"#))
        .unwrap_err();
    assert!(!err.to_string().is_empty());
    assert_eq!(outside_state(outside.path()), before);
}

#[test]
fn clear_removes_nothing_through_a_linked_tasks_folder() {
    let (_t, dir) = store_copy("gen-c-plus-d");
    let outside = tempfile::tempdir().unwrap();
    link_out(&dir, "tasks", outside.path());
    let before = outside_state(outside.path());
    let inside_before = outside_state(&dir);
    let (loc, secrets) = open(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert!(
        plan.removals
            .iter()
            .any(|r| r.path.starts_with(dir.join("tasks"))),
        "{plan:?}"
    );
    let err = clear::execute(&loc, &secrets, &plan, None).unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(outside_state(&dir), inside_before, "nothing was removed");
    assert_eq!(outside_state(outside.path()), before);
}

#[test]
fn links_fifos_and_folders_in_fixed_places_are_findings() {
    let (_t, dir) = store_copy("healthy");
    let outside = tempfile::tempdir().unwrap();
    link_out(&dir, "settings-snapshot.json", outside.path());
    std::fs::remove_file(dir.join("assistant-threads.json")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("assistant-threads.json"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::create_dir(dir.join("assistant-state-backup.json")).unwrap();
    let (loc, secrets) = open(&dir);
    let i = xworkmate_store::inspect::inspect(&loc, &secrets);
    let odd: Vec<_> = i
        .warnings
        .iter()
        .filter(|w| w.code == xworkmate_store::FindingCode::NotARegularFile)
        .map(|w| w.message.clone())
        .collect();
    assert_eq!(odd.len(), 3, "{odd:?}");
    assert!(odd.iter().any(|m| m.contains("symbolic link")));
    assert!(odd.iter().any(|m| m.contains("FIFO")));
    assert!(odd.iter().any(|m| m.contains("a folder")));
}
