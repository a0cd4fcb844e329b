//! Auto mode falls back to the file store, within a bounded time, when the
//! Secret Service is absent or hangs. (Own test binary: it changes the
//! process's D-Bus address.)

use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};

use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::secret::{
    Backend, KeyringSecureStorage, SecretStore, SecretValue, SecretsMode,
};
use xworkmate_store::DataLocation;

#[test]
fn falls_back_within_bounds_when_the_bus_never_answers() {
    let dir = tempfile::tempdir().unwrap();
    // This machine's own folder (auto mode uses the keyring only there).
    let loc = DataLocation::with_origin(dir.path().join("data"), DataDirOrigin::Default);
    // A "bus" that accepts connections and never says a word.
    let sock = dir.path().join("silent-bus");
    let listener = UnixListener::bind(&sock).unwrap();
    std::thread::spawn(move || {
        let mut conns = Vec::new();
        for c in listener.incoming() {
            conns.push(c);
        }
    });
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", sock.display()),
    );
    let keyring =
        KeyringSecureStorage::with_account("test.hang").with_timeout(Duration::from_millis(700));
    let store = SecretStore::with_keyring(&loc, SecretsMode::Auto, Some(keyring));
    let start = Instant::now();
    let backend = store
        .write(
            "xworkmate.vault.token",
            &SecretValue::new("fallback-vault-2").unwrap(),
        )
        .unwrap();
    assert_eq!(backend, Backend::File);
    let health = store.keyring_health().unwrap();
    assert!(!health.reachable);
    let why = health.error.unwrap();
    assert!(why.contains("did not answer"), "{why}");
    // Once given up on, the keyring costs no further waits.
    let entries = store.entries(false);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "took {:?}",
        start.elapsed()
    );
    let vault = entries.iter().find(|e| e.name == "vault_token").unwrap();
    assert_eq!((vault.present, vault.backend), (true, Backend::File));
    assert!(store.keyring_fallback_reason().is_some());
    let strict = SecretStore::with_keyring(
        &loc,
        SecretsMode::Keyring,
        Some(
            KeyringSecureStorage::with_account("test.hang")
                .with_timeout(Duration::from_millis(300)),
        ),
    );
    assert_eq!(
        strict.locate("xworkmate.vault.token").unwrap_err().code(),
        "secure_storage_error"
    );
}
