//! Spec §1 and §7 with the OS default location. Environment variables are
//! process-global, so this binary holds a single test that points HOME and
//! the XDG folders at a temporary directory before anything resolves them.
//! (Linux only: the XDG variables are the Linux layout of spec §1.)
#![cfg(target_os = "linux")]

mod common;

use common::*;
use xworkmate_store::db::SETTINGS_KEY;
use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::{OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

#[test]
fn default_location_fallback_and_support_roots() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let data_home = tmp.path().join("xdg-data");
    let state_home = tmp.path().join("xdg-state");
    std::fs::create_dir_all(&home).unwrap();
    std::env::set_var("HOME", &home);
    std::env::set_var("XDG_DATA_HOME", &data_home);
    std::env::set_var("XDG_STATE_HOME", &state_home);
    std::env::remove_var("XWORKMATE_DATA_DIR");

    // §1: Linux data dir is $XDG_DATA_HOME/plus.svc.xworkmate/xworkmate.
    let default_dir = data_home.join("plus.svc.xworkmate").join("xworkmate");
    let default = DataLocation::resolve(None).unwrap();
    assert_eq!(default.data_dir(), default_dir.as_path());
    assert!(!default.is_explicit());

    // A bad explicit path fails fast without the fallback...
    let file = tmp.path().join("regular-file");
    std::fs::write(&file, b"x").unwrap();
    let bad = DataLocation::explicit(file.join("xworkmate"));
    let err = SettingsStore::open(&bad, OpenOptions::default()).unwrap_err();
    assert_eq!(err.code(), "database_unavailable");
    assert!(
        !default_dir.exists(),
        "nothing was created at the default location"
    );

    // ...and opens the default location with it.
    let store = SettingsStore::open(
        &bad,
        OpenOptions {
            fallback_to_default_location: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!store.is_in_memory());
    assert_eq!(store.location().data_dir(), default_dir.as_path());
    assert!(default_dir.join("config-store.sqlite3").is_file());
    store
        .save_settings(&serde_json::json!({"appLanguage": "en"}))
        .unwrap();
    assert!(default_dir.join("settings-snapshot.json").is_file());
    assert!(db_value(&default_dir, SETTINGS_KEY).is_some());
    drop(store);
    assert!(
        home.read_dir().unwrap().next().is_none(),
        "HOME itself untouched"
    );

    // §7: the default support root ($XDG_STATE_HOME/plus.svc.xworkmate/xworkmate)
    // is scanned only when the data dir was not given explicitly.
    let support_root = state_home.join("plus.svc.xworkmate").join("xworkmate");
    assert!(default.recovery_candidates().contains(&support_root));
    let elsewhere = tmp.path().join("copy").join("xworkmate");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let explicit = DataLocation::explicit(&elsewhere);
    assert!(!explicit.recovery_candidates().contains(&support_root));
    let from_env = DataLocation::resolve_with(None, Some(elsewhere.clone())).unwrap();
    assert!(from_env.is_explicit());
    assert!(!from_env.recovery_candidates().contains(&support_root));

    // Legacy threads in the support root: found for the default location only.
    std::fs::create_dir_all(&support_root).unwrap();
    let threads = r#"[{"sessionKey":"from-support-root","messages":[]}]"#;
    std::fs::write(support_root.join("assistant-threads.json"), threads).unwrap();

    let secrets = SecretStore::new(&explicit, SecretsMode::File);
    let r = recovery::assess(&RecoveryContext {
        location: &explicit,
        secrets: &secrets,
        supplied_key: None,
    });
    assert_eq!(r.status, RecoveryStatus::None, "{r:#?}");
    assert!(!r.candidates.contains(&support_root));
    assert!(
        r.sources.iter().all(|s| !s.path.starts_with(&state_home)),
        "{r:#?}"
    );

    let secrets = SecretStore::new(&default, SecretsMode::File);
    let ctx = RecoveryContext {
        location: &default,
        secrets: &secrets,
        supplied_key: None,
    };
    let r = recovery::assess(&ctx);
    assert_eq!(r.status, RecoveryStatus::Recoverable, "{r:#?}");
    assert!(r.candidates.contains(&support_root));
    let r = recovery::run(&ctx, false);
    assert_eq!(r.status, RecoveryStatus::Migrated, "{r:#?}");
    assert_eq!(r.source_path.as_deref(), Some(support_root.as_path()));
    assert_same_json(
        &db_value(&default_dir, "xworkmate.assistant.threads").unwrap(),
        threads,
    );
    assert_same_json(
        &std::fs::read_to_string(default_dir.join("assistant-threads.json")).unwrap(),
        threads,
    );
    // The source in the other folder is left in place.
    assert!(support_root.join("assistant-threads.json").is_file());
}
