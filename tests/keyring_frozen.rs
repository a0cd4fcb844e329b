//! A frozen Secret Service: the real gnome-keyring on this binary's private
//! bus, stopped with SIGSTOP (the process is there, the bus forwards every
//! call, nothing ever answers). Inspect, the clear plan and clear itself each
//! wait at most one keyring deadline — once a call has not answered, the
//! keyring is given up on for the life of the store — and what could not be
//! checked is never reported as fine. (Own test binary: it stops its keyring.)

mod private_keyring;

use std::process::Command;
use std::time::{Duration, Instant};

use xworkmate_store::clear;
use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::secret::{KeyringSecureStorage, SecretStore, SecretsMode};
use xworkmate_store::{inspect, DataLocation, FindingCode};

const ACCOUNT: &str = "plus.svc.xworkmate.secureStorage";
const DEADLINE: Duration = Duration::from_millis(800);

/// The pid that owns `org.freedesktop.secrets` on the private bus.
fn secret_service_pid() -> u32 {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--dest=org.freedesktop.DBus",
            "--print-reply",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.freedesktop.secrets",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .last()
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no pid in {text}"))
}

/// Stops a process for its lifetime; continues it when dropped (also on a
/// failed assert), so the watchdog can end it.
struct Stopped(u32);

impl Stopped {
    fn new(pid: u32) -> Self {
        let ok = Command::new("kill")
            .args(["-STOP", &pid.to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        Stopped(pid)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-CONT", &self.0.to_string()])
            .status();
    }
}

#[test]
fn a_frozen_secret_service_costs_one_deadline_and_is_never_called_ok() {
    private_keyring::ensure();
    private_keyring::secret_tool_store(
        "plus.svc.xworkmate/FlutterSecureStorage",
        &[("account", ACCOUNT), ("xdg:schema", "'")],
        r#"{"xworkmate.vault.token":"frozen-vault-token-1"}"#,
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store("healthy"), &dir).unwrap();
    // This machine's folder, the keyring by name.
    let loc = DataLocation::with_origin(&dir, DataDirOrigin::Default);
    let store = || {
        SecretStore::with_keyring(
            &loc,
            SecretsMode::Keyring,
            Some(KeyringSecureStorage::xworkmate().with_timeout(DEADLINE)),
        )
    };
    let _stopped = Stopped::new(secret_service_pid());

    // Inspect: one store, at most one deadline (plus slack for the rest).
    let start = Instant::now();
    let i = inspect::inspect(&loc, &store());
    let took = start.elapsed();
    assert!(took < DEADLINE * 3, "inspect took {took:?}");
    let health = i.secrets.keyring.as_ref().expect("keyring health");
    assert!(!health.reachable, "{health:?}");
    assert!(
        i.warnings
            .iter()
            .any(|w| w.code == FindingCode::KeyringUnavailable
                || w.code == FindingCode::SecretUnreadable),
        "{:?}",
        i.warnings
    );
    assert!(
        i.secrets.entries.iter().all(|e| !e.present),
        "nothing is claimed present that could not be read"
    );

    // Clear: plan and execute with one store — one deadline in all.
    let secrets = store();
    let start = Instant::now();
    let plan = clear::plan(&loc, &secrets).unwrap();
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    let took = start.elapsed();
    assert!(took < DEADLINE * 3, "clear took {took:?}");
    assert!(!outcome.removed.is_empty());
    // The secrets could not be checked: never "verified".
    assert!(!outcome.secrets_verified, "{outcome:?}");
    assert!(!outcome.secrets_unchecked.is_empty(), "{outcome:?}");
    assert!(outcome.secrets_missing_after.is_empty(), "{outcome:?}");
}
