//! Permission denied, for real: the CLI run as an unprivileged user (`nobody`,
//! through setpriv) on a folder only root may read. Every command says what it
//! could not read or write, with a code; "could not check" is never "ok";
//! nothing changes. Needs root to switch users (skipped with a message
//! otherwise).

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::*;

fn as_nobody(args: &[&str]) -> Option<Run> {
    let root = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&root.stdout).trim() != "0" {
        eprintln!("skipped: not root, cannot run the CLI as another user");
        return None;
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(BIN)
        .args(args)
        .env_remove("XWORKMATE_DATA_DIR")
        .env("NO_COLOR", "1")
        .env("HOME", "/nonexistent")
        .output()
        .ok()?;
    Some(Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    })
}

#[test]
fn a_folder_the_user_may_not_read_is_reported_and_never_changed() {
    let s = Store::copy("healthy");
    // The temp folder may be entered by anyone; the store (0700, root) not.
    std::fs::set_permissions(s.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let before = s.tree();
    let dir = s.dir().to_string();
    let Some(r) = as_nobody(&["--data-dir", &dir, "--secrets", "file", "inspect", "--json"]) else {
        return;
    };
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["database"]["integrity"], "unreadable", "{}", r.stdout);
    assert_ne!(j["threads"]["count"], 2);
    assert!(
        j["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "database_unreadable"),
        "{}",
        r.stdout
    );

    let r = as_nobody(&[
        "--data-dir",
        &dir,
        "--secrets",
        "file",
        "clear",
        "--yes",
        "--json",
    ])
    .unwrap();
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(
        r.json()["error"]["code"],
        "permission_denied",
        "{}",
        r.stdout
    );

    let r = as_nobody(&["--data-dir", &dir, "--secrets", "file", "recover", "--json"]).unwrap();
    assert_eq!(r.code, 1, "{}", r.stdout);

    let r = as_nobody(&[
        "--data-dir",
        &dir,
        "--secrets",
        "file",
        "settings",
        "save",
        "-",
    ])
    .unwrap();
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(s.tree(), before, "nothing changed");
}
