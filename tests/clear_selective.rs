//! A part of a clear (threads only, settings only, archived threads, threads
//! older than a date), checked byte by byte like a full clear: what it takes
//! is gone, every other byte of the folder is as it was (the audit trail
//! gains its entry), the thread list written again keeps each other thread's
//! exact text, the backup restores the whole, and a part is refused —
//! writing nothing — where XWorkmate would bring it back.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use xworkmate_store::clear::{self, ClearScope};
use xworkmate_store::db::{ConfigDb, AUDIT_KEY, SETTINGS_KEY, THREADS_KEY};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::DataLocation;

const SETTINGS_FILE: &str = "settings-snapshot.json";
const THREADS_FILE: &str = "assistant-threads.json";

fn row(dir: &Path, key: &str) -> Option<String> {
    ConfigDb::open_ro(&dir.join("config-store.sqlite3"))
        .unwrap()
        .and_then(|d| d.get(key).unwrap())
        .map(|e| e.value)
}

/// Every file but the database (compared by its rows), by path.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot(dir)
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().contains("config-store.sqlite3"))
        .collect()
}

fn without(mut f: Vec<(PathBuf, Vec<u8>)>, name: &str) -> Vec<(PathBuf, Vec<u8>)> {
    f.retain(|(p, _)| !p.ends_with(name));
    f
}

fn setup(store: &str) -> (tempfile::TempDir, PathBuf, DataLocation, SecretStore) {
    let (g, dir) = store_copy(store);
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (g, dir, loc, secrets)
}

fn run(
    loc: &DataLocation,
    secrets: &SecretStore,
    scope: ClearScope,
    backup: &Path,
) -> clear::ClearPlan {
    let plan = clear::plan_scoped(loc, secrets, None, scope).unwrap();
    let out = clear::execute(loc, secrets, &plan, Some(backup)).unwrap();
    assert!(out.secrets_verified && out.failure.is_none());
    assert_eq!(out.scope, scope);
    plan
}

#[test]
fn threads_only_takes_the_thread_list_and_nothing_else() {
    let (g, dir, loc, secrets) = setup("healthy");
    let before = files(&dir);
    let settings_row = row(&dir, SETTINGS_KEY);
    let plan = run(
        &loc,
        &secrets,
        ClearScope::Threads,
        &g.path().join("b.json"),
    );
    assert_eq!(plan.consequences.threads, 2);
    assert_eq!(plan.consequences.messages, 5);
    assert!(!plan.consequences.settings_reset);
    assert_eq!(plan.removals.len(), 2, "{:?}", plan.removals);
    assert_eq!(files(&dir), without(before, THREADS_FILE));
    assert_eq!(row(&dir, THREADS_KEY), None);
    assert_eq!(row(&dir, SETTINGS_KEY), settings_row);
    assert!(row(&dir, AUDIT_KEY).unwrap().contains("\"threads\""));
}

#[test]
fn settings_only_takes_the_settings_and_nothing_else() {
    let (g, dir, loc, secrets) = setup("healthy");
    let before = files(&dir);
    let threads_row = row(&dir, THREADS_KEY);
    let plan = run(
        &loc,
        &secrets,
        ClearScope::Settings,
        &g.path().join("b.json"),
    );
    let c = &plan.consequences;
    assert!(c.settings_reset);
    assert_eq!((c.threads, c.threads_kept), (0, 2));
    assert_eq!(c.account.as_deref(), Some("vector-user"));
    assert_eq!(c.gateway_profiles, 2);
    assert_eq!(files(&dir), without(before, SETTINGS_FILE));
    assert_eq!(row(&dir, SETTINGS_KEY), None);
    assert_eq!(row(&dir, THREADS_KEY), threads_row);
}

/// The items of a thread list, as their exact texts.
fn items(text: &str) -> Vec<String> {
    serde_json::from_str::<Vec<&serde_json::value::RawValue>>(text)
        .unwrap()
        .into_iter()
        .map(|r| r.get().to_string())
        .collect()
}

#[test]
fn archived_threads_go_and_every_other_thread_keeps_its_exact_text() {
    let (g, dir, loc, secrets) = setup("healthy");
    let before = files(&dir);
    let (settings_row, threads_row) = (row(&dir, SETTINGS_KEY), row(&dir, THREADS_KEY).unwrap());
    let backup = g.path().join("b.json");
    let plan = run(&loc, &secrets, ClearScope::ArchivedThreads, &backup);
    assert_eq!(plan.rewrite.map(|r| (r.kept, r.removed)), Some((1, 1)));
    let now = row(&dir, THREADS_KEY).unwrap();
    let kept: Vec<String> = items(&threads_row)
        .into_iter()
        .filter(|t| !t.contains("\"archived\":true"))
        .collect();
    assert_eq!(items(&now), kept);
    assert_eq!(
        now,
        format!("[{}]", kept.join(",")),
        "written as XWorkmate writes a list"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(THREADS_FILE)).unwrap(),
        now,
        "the mirror is the row"
    );
    assert_eq!(row(&dir, SETTINGS_KEY), settings_row);
    assert_eq!(
        without(files(&dir), THREADS_FILE),
        without(before.clone(), THREADS_FILE)
    );

    // The backup brings the whole list back, exactly.
    let restore = xworkmate_store::restore::plan(&loc, &backup).unwrap();
    xworkmate_store::restore::execute(&loc, &restore, true, Some(&g.path().join("safety.json")))
        .unwrap();
    assert_eq!(row(&dir, THREADS_KEY).unwrap(), threads_row);
    let ours = |f: Vec<(PathBuf, Vec<u8>)>| -> Vec<(PathBuf, Vec<u8>)> {
        f.into_iter()
            .filter(|(p, _)| !p.to_string_lossy().contains(".xworkmate-diagnostics"))
            .collect()
    };
    assert_eq!(ours(files(&dir)), ours(before), "every file as it was");
}

#[test]
fn threads_before_a_date_go_and_a_thread_without_a_time_stays() {
    let (g, dir, loc, secrets) = setup("healthy");
    let list = r#"[{"sessionKey":"old","updatedAtMs":1000,"messages":[{"role":"user","text":"a"}]},{"sessionKey":"new","updatedAtMs":9000000000000,"messages":[]},{"sessionKey":"timeless","messages":[]},7]"#;
    let store = xworkmate_store::settings::SettingsStore::open(&loc, Default::default()).unwrap();
    store
        .write_document(xworkmate_store::document::DocKind::Threads, list)
        .unwrap();
    drop(store);
    let plan = run(
        &loc,
        &secrets,
        ClearScope::ThreadsBefore { before_ms: 5000 },
        &g.path().join("b.json"),
    );
    assert_eq!(
        (plan.consequences.threads, plan.consequences.messages),
        (1, 1)
    );
    assert_eq!(plan.consequences.threads_kept, 2);
    assert_eq!(
        row(&dir, THREADS_KEY).unwrap(),
        r#"[{"sessionKey":"new","updatedAtMs":9000000000000,"messages":[]},{"sessionKey":"timeless","messages":[]},7]"#,
        "an item that is not a record is kept as it is"
    );
}

#[test]
fn a_part_is_refused_where_old_sealed_state_would_bring_it_back() {
    for store in ["sealed-backup-v2", "locked"] {
        let (_g, dir, loc, secrets) = setup(store);
        let before = snapshot(&dir);
        for scope in [
            ClearScope::Threads,
            ClearScope::Settings,
            ClearScope::ArchivedThreads,
        ] {
            let err = clear::plan_scoped(&loc, &secrets, None, scope).unwrap_err();
            assert_eq!(err.code(), "selective_clear_unavailable", "{store}: {err}");
        }
        assert_eq!(snapshot(&dir), before, "{store}: nothing written");
    }
}

#[test]
fn a_later_generation_clears_its_threads_or_its_settings_and_nothing_else() {
    for (store, scope) in [
        ("gen-c", ClearScope::Threads),
        ("gen-d", ClearScope::Threads),
        ("gen-c", ClearScope::Settings),
        ("gen-b1", ClearScope::Threads),
    ] {
        let (g, dir, loc, secrets) = setup(store);
        let before = snapshot(&dir);
        let plan = clear::plan_scoped(&loc, &secrets, None, scope).unwrap();
        assert!(!plan.removals.is_empty(), "{store} {scope:?}");
        let takes = |p: &Path| match scope {
            ClearScope::Threads => p.starts_with(dir.join("tasks")),
            _ => p.ends_with("config/settings.yaml"),
        };
        assert!(
            plan.removals.iter().all(|r| takes(&r.path)),
            "{store}: {:?}",
            plan.removals
        );
        assert_eq!(
            plan.consequences.settings_reset,
            scope == ClearScope::Settings
        );
        let out = clear::execute(&loc, &secrets, &plan, Some(&g.path().join("b.json"))).unwrap();
        assert!(out.secrets_verified && out.failure.is_none());
        // Every byte outside the part is as it was (this tool's own record aside).
        let ours = |p: &Path| p.to_string_lossy().contains(".xworkmate-diagnostics");
        let now = snapshot(&dir);
        for (p, bytes) in &before {
            if takes(p) && plan.removals.iter().any(|r| &r.path == p) {
                assert!(
                    !now.iter().any(|(q, _)| q == p),
                    "{store}: {} stayed",
                    p.display()
                );
            } else if !ours(p) {
                assert!(
                    now.iter().any(|(q, b)| q == p && b == bytes),
                    "{store}: {} changed",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn archived_or_older_threads_are_refused_for_a_later_generation() {
    let (_g, dir, loc, secrets) = setup("gen-c");
    let before = snapshot(&dir);
    for scope in [
        ClearScope::ArchivedThreads,
        ClearScope::ThreadsBefore { before_ms: 1 },
    ] {
        let err = clear::plan_scoped(&loc, &secrets, None, scope).unwrap_err();
        assert_eq!(err.code(), "selective_clear_unavailable", "{err}");
    }
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn a_plan_made_before_the_thread_list_changed_is_stale() {
    let (_g, _dir, loc, secrets) = setup("healthy");
    let plan = clear::plan_scoped(&loc, &secrets, None, ClearScope::ArchivedThreads).unwrap();
    let store = xworkmate_store::settings::SettingsStore::open(&loc, Default::default()).unwrap();
    store
        .write_document(
            xworkmate_store::document::DocKind::Threads,
            r#"[{"sessionKey":"x","archived":true}]"#,
        )
        .unwrap();
    drop(store);
    let err = clear::execute(&loc, &secrets, &plan, None).unwrap_err();
    assert_eq!(err.code(), "stale_plan", "{err}");
}
