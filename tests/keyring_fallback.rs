//! Auto mode falls back to the file store, within a bounded time, when the
//! Secret Service is absent or hangs. (Own test binary: libdbus reads the
//! bus address once per process.)

use std::time::{Duration, Instant};

use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::secret::{
    Backend, KeyringSecureStorage, SecretStore, SecretValue, SecretsMode,
};
use xworkmate_store::DataLocation;

#[test]
fn falls_back_within_bounds_when_no_bus_exists() {
    let dir = tempfile::tempdir().unwrap();
    // This machine's own folder (auto mode uses the keyring only there).
    let loc = DataLocation::with_origin(dir.path().join("data"), DataDirOrigin::Default);
    // libdbus reads the bus address once per process: this binary only ever
    // sees a bus address with nothing behind it.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", dir.path().join("no-such-bus").display()),
    );
    let store = SecretStore::with_keyring(
        &loc,
        SecretsMode::Auto,
        Some(KeyringSecureStorage::with_account("test.absent")),
    );
    let start = Instant::now();
    let backend = store
        .write(
            "xworkmate.gateway.token",
            &SecretValue::new("fallback-token-1").unwrap(),
        )
        .unwrap();
    assert_eq!(backend, Backend::File);
    assert!(start.elapsed() < Duration::from_secs(4));
    let (b, v) = store.locate("xworkmate.gateway.token").unwrap().unwrap();
    assert_eq!((b, v.expose()), (Backend::File, "fallback-token-1"));
    let health = store.keyring_health().unwrap();
    assert!(!health.reachable);
    assert!(health
        .error
        .unwrap()
        .contains("cannot reach the Secret Service"));
    // keyring-only mode reports the failure instead of silently using files.
    let strict = SecretStore::with_keyring(
        &loc,
        SecretsMode::Keyring,
        Some(KeyringSecureStorage::with_account("test.absent")),
    );
    assert_eq!(
        strict.locate("xworkmate.gateway.token").unwrap_err().code(),
        "secure_storage_error"
    );
}

#[test]
fn an_unreachable_keyring_is_not_reported_as_a_missing_key() {
    // The same process-wide bus address with nothing behind it.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/xworkmate-test-bus",
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("sealed");
    std::fs::create_dir_all(&data).unwrap();
    let sealed = xworkmate_testkit::store("sealed-with-key-file").join("settings-snapshot.json");
    std::fs::copy(sealed, data.join("settings-snapshot.json")).unwrap();
    let loc = DataLocation::with_origin(&data, DataDirOrigin::Default);
    let store = SecretStore::with_keyring(
        &loc,
        SecretsMode::Auto,
        Some(KeyringSecureStorage::with_account("test.unavailable")),
    );
    let report = xworkmate_store::recovery::assess(&xworkmate_store::recovery::RecoveryContext {
        location: &loc,
        secrets: &store,
        supplied_key: None,
    });
    assert_eq!(
        report.keys.secure_storage,
        xworkmate_store::recovery::KeyState::Unavailable
    );
    assert!(
        report.details.contains("keyring is unavailable"),
        "{}",
        report.details
    );
}
