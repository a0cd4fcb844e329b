//! A private, unlocked gnome-keyring Secret Service on a private D-Bus session
//! bus, started once per test binary — so keyring tests use the real OS
//! keyring service but never a developer's own keyring. Both daemons are
//! stopped by a watchdog when the test process exits.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub struct PrivateKeyring {
    pub bus_address: String,
    pub runtime_dir: PathBuf,
}

static KEYRING: OnceLock<PrivateKeyring> = OnceLock::new();

/// Starts the private keyring (once) and points this process at it.
pub fn ensure() -> &'static PrivateKeyring {
    KEYRING.get_or_init(start)
}

// The watchdog outlives this process on purpose, so it is never waited for.
#[allow(clippy::zombie_processes)]
fn start() -> PrivateKeyring {
    let root = std::env::temp_dir().join(format!("xwm-keyring-{}", std::process::id()));
    let runtime_dir = root.join("run");
    let data_home = root.join("data");
    for d in [&runtime_dir, &data_home] {
        std::fs::create_dir_all(d).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
    }
    let out = Command::new("dbus-daemon")
        .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
        .env_remove("DISPLAY")
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("XDG_DATA_HOME", &data_home)
        .stderr(Stdio::inherit())
        .output()
        .expect(
            "dbus-daemon is required for the keyring tests (Debian package dbus); run scripts/test",
        );
    assert!(out.status.success(), "dbus-daemon failed to start");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let bus_address = lines.next().expect("bus address").trim().to_string();
    let bus_pid = lines.next().expect("bus pid").trim().to_string();
    // Watchdog: stop the bus (and with it the keyring daemon) when we exit.
    let me = std::process::id();
    let root = root.display();
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 {me} 2>/dev/null; do sleep 1; done; kill {bus_pid} 2>/dev/null; rm -rf {root}"
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Command::new("gnome-keyring-daemon")
        .args(["--unlock", "--components=secrets"])
        .env_remove("DISPLAY")
        .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("XDG_DATA_HOME", &data_home)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon is required for the keyring tests (Debian package gnome-keyring); run scripts/test");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"test-password").unwrap();
    }
    let _ = child.wait();
    // Point this process at the private bus before any keyring use.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus_address);
    std::env::set_var("XDG_RUNTIME_DIR", &runtime_dir);
    std::env::remove_var("DISPLAY");
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let owned = Command::new("dbus-send")
            .args([
                "--session",
                "--dest=org.freedesktop.DBus",
                "--print-reply",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
            .unwrap_or(false);
        if owned {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the Secret Service did not appear on the private bus"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    PrivateKeyring {
        bus_address,
        runtime_dir,
    }
}

/// Stores a secret the way libsecret (and so flutter_secure_storage) does,
/// with `secret-tool`.
pub fn secret_tool_store(label: &str, attrs: &[(&str, &str)], secret: &str) {
    ensure();
    use std::io::Write;
    let mut cmd = Command::new("secret-tool");
    cmd.arg("store").arg(format!("--label={label}"));
    for (k, v) in attrs {
        cmd.arg(k).arg(v);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .spawn()
        .expect("secret-tool (libsecret-tools) is required");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(secret.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "secret-tool store failed");
}

/// Looks a secret up with `secret-tool`.
pub fn secret_tool_lookup(attrs: &[(&str, &str)]) -> Option<String> {
    ensure();
    let mut cmd = Command::new("secret-tool");
    cmd.arg("lookup");
    for (k, v) in attrs {
        cmd.arg(k).arg(v);
    }
    let out = cmd.output().unwrap();
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).unwrap())
}
