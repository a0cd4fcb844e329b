//! Hostile and odd folders (issue "Hardening"): a FIFO or a symbolic link in a
//! fixed place of the store is a finding — never read blocking, never
//! followed —; a key longer than any key is `key_invalid` without being read
//! to its end; stored text cannot drive the terminal; a device id is masked
//! wherever it shows, with or without a role. Every command here runs under a
//! deadline, so a hang fails the test instead of stalling the suite.
#![cfg(unix)]

mod common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Store, BIN};

/// Runs the CLI on `store` (file secret store) and fails if it takes longer
/// than 20 s (the child is killed).
fn run_bounded(store: &Store, args: &[&str]) -> common::Run {
    let mut child = Command::new(BIN)
        .args(["--data-dir", store.dir(), "--secrets", "file"])
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} hung (killed after 20 s)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    common::Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

#[test]
fn fifos_in_the_store_are_findings_and_nothing_hangs() {
    let s = Store::copy("healthy");
    mkfifo(&s.data_dir.join("settings-snapshot.json"));
    mkfifo(&s.data_dir.join("assistant-state-backup.json"));
    mkfifo(&s.data_dir.join("gateway-auth/local-state-key.txt"));
    let r = run_bounded(&s, &["inspect", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let settings = j["storage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["storageKey"] == "xworkmate.settings.snapshot")
        .unwrap()
        .clone();
    assert_eq!(settings["mirror"]["form"], "unreadable", "{settings}");
    assert!(settings["mirror"]["problem"]
        .as_str()
        .unwrap()
        .contains("not a regular file"));
    for args in [
        vec!["report", "--json"],
        vec!["recover", "--dry-run", "--json"],
        vec!["clear", "--dry-run", "--json"],
        vec!["settings", "show", "--json"],
    ] {
        let r = run_bounded(&s, &args);
        assert!([0, 1, 3].contains(&r.code), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn a_fifo_in_the_database_place_does_not_hang() {
    let s = Store::copy("healthy");
    mkfifo(&s.data_dir.join("config-store.sqlite3"));
    let r = run_bounded(&s, &["inspect", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["database"]["integrity"], "unreadable");
    let r = run_bounded(&s, &["threads", "list", "--json"]);
    assert!([0, 1].contains(&r.code), "{}", r.stderr);
}

#[test]
fn a_symlinked_mirror_is_not_followed_and_a_clear_backup_refuses_it() {
    let s = Store::copy("healthy");
    let outside = s.root().join("outside.json");
    let sentinel = "OUTSIDE-SENTINEL-5a1f";
    std::fs::write(
        &outside,
        format!(r#"[{{"sessionKey":"{sentinel}","title":"{sentinel}","messages":[]}}]"#),
    )
    .unwrap();
    let mirror = s.data_dir.join("assistant-threads.json");
    std::fs::remove_file(&mirror).unwrap();
    std::os::unix::fs::symlink(&outside, &mirror).unwrap();

    let r = run_bounded(&s, &["inspect", "--json"]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains(sentinel), "the link was followed");
    let r = run_bounded(&s, &["inspect"]);
    assert!(!r.stdout.contains(sentinel), "the link was followed");

    let backup = s.root().join("bk.json");
    let before = s.tree();
    let r = run_bounded(
        &s,
        &[
            "clear",
            "--yes",
            "--backup",
            backup.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(s.tree(), before, "a refused clear removes nothing");
    assert!(!backup.exists());
    // Without a backup, clear removes the link itself, never its target.
    let r = run_bounded(&s, &["clear", "--yes", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(std::fs::symlink_metadata(&mirror).is_err());
    assert!(std::fs::read_to_string(&outside)
        .unwrap()
        .contains(sentinel));
}

#[test]
fn a_key_file_longer_than_any_key_is_key_invalid_without_reading_it_all() {
    let s = Store::copy("locked");
    let r = run_bounded(
        &s,
        &["recover", "--test-key", "--key-file", "/dev/zero", "--json"],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.json()["error"]["code"], "key_invalid");
    let big = s.root().join("big.txt");
    std::fs::write(&big, "A".repeat(5000)).unwrap();
    let r = run_bounded(
        &s,
        &[
            "recover",
            "--test-key",
            "--key-file",
            big.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(r.json()["error"]["code"], "key_invalid");
}

#[test]
fn stored_text_cannot_drive_the_terminal() {
    let s = Store::copy("healthy");
    let threads = s.root().join("threads.json");
    std::fs::write(
        &threads,
        r#"[{"sessionKey":"k\u001b]0;pwned\u0007","title":"evil \u001b[2J\u001b[31mred","messages":[]}]"#,
    )
    .unwrap();
    let r = run_bounded(&s, &["threads", "save", threads.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for args in [vec!["threads", "list"], vec!["inspect"]] {
        let r = run_bounded(&s, &args);
        assert_eq!(r.code, 0);
        assert!(!r.stdout.contains('\u{1b}'), "{args:?} printed an escape");
        assert!(!r.stdout.contains('\u{7}'), "{args:?} printed a bell");
        assert!(r.stdout.contains("\\u{1b}[2J"), "{args:?}: {}", r.stdout);
    }
}

#[test]
fn a_device_id_without_a_role_is_masked_too() {
    let s = Store::copy("healthy");
    let key = "xworkmate.gateway.device_token.device-abcdef-123456";
    std::fs::write(s.file_store_path(key), "device-token-value-1").unwrap();
    let r = run_bounded(&s, &["inspect", "--json"]);
    assert!(!r.stdout.contains("device-abcdef-123456"), "{}", r.stdout);
    assert!(r
        .stdout
        .contains("xworkmate.gateway.device_token.dev••••456"));
}

#[test]
fn a_data_folder_whose_name_is_not_utf8_never_panics_after_the_write() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"xworkmate-\xff\xfe");
    let dir = tmp.path().join(name);
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store("healthy"), &dir).unwrap();
    let settings = tmp.path().join("settings.json");
    std::fs::write(&settings, r#"{"appLanguage":"en"}"#).unwrap();
    let out = dir
        .parent()
        .unwrap()
        .join(std::ffi::OsStr::from_bytes(b"report-\xff.json"));
    let run = |args: &[&std::ffi::OsStr]| {
        let o = Command::new(BIN)
            .arg("--data-dir")
            .arg(&dir)
            .args(["--secrets", "file", "--json"])
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let json: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stderr}"));
        (o.status.code(), json)
    };
    let os = |s: &str| std::ffi::OsString::from(s);
    let (code, j) = run(&[&os("settings"), &os("save"), settings.as_os_str()]);
    assert_eq!(code, Some(0));
    assert!(j["dataDir"]
        .as_str()
        .unwrap()
        .contains("xworkmate-\u{fffd}"));
    let (code, j) = run(&[&os("export-report"), &os("--out"), out.as_os_str()]);
    assert_eq!(code, Some(0), "{j}");
    assert!(out.is_file());
    let (code, j) = run(&[&os("clear"), &os("--yes")]);
    assert_eq!(code, Some(0), "{j}");
    assert_eq!(j["executed"], true);
    let (code, _) = run(&[&os("inspect")]);
    assert_eq!(code, Some(0));
}

#[test]
fn clear_takes_the_database_lock_first_and_removes_nothing_when_it_cannot() {
    let s = Store::copy("healthy");
    // Read before the lock is taken: closing any descriptor of the database
    // file in this process would drop the lock (POSIX record locks).
    let before = s.tree();
    // Another program holding the write lock (a reserved lock, as a writer
    // mid-transaction holds it).
    let holder = rusqlite::Connection::open(s.data_dir.join("config-store.sqlite3")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let r = run_bounded(&s, &["clear", "--yes", "--json"]);
    let waited = started.elapsed();
    // Once the other program lets go, the folder is as it was.
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("locked"),
        "{}",
        r.stdout
    );
    assert!(
        waited < Duration::from_secs(15),
        "a bounded wait: {waited:?}"
    );
    assert_eq!(
        s.tree(),
        before,
        "nothing was removed: not the mirrors, not the backup"
    );
    // And the same command now clears everything.
    let r = run_bounded(&s, &["clear", "--yes", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["removed"].as_array().unwrap().len(), 4);
}

#[test]
fn a_key_typed_as_a_stray_argument_is_not_echoed() {
    let s = Store::copy("locked");
    let key = common::fixture_key();
    for args in [
        vec!["recover", key.as_str()],
        vec!["recover", "--test-key", key.as_str()],
        vec!["inspect", key.as_str(), "--json"],
    ] {
        let r = run_bounded(&s, &args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(!r.stderr.contains(&key), "{args:?}: {}", r.stderr);
        assert!(!r.stdout.contains(&key), "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains("not shown"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn a_locked_database_is_locked_not_corrupt_and_clear_removes_nothing() {
    let s = Store::copy("healthy");
    let before = s.tree();
    // Another program mid-commit: an exclusive lock keeps even readers out.
    let holder = rusqlite::Connection::open(s.data_dir.join("config-store.sqlite3")).unwrap();
    holder
        .execute_batch("PRAGMA journal_mode=DELETE; BEGIN EXCLUSIVE")
        .unwrap();
    let inspect = run_bounded(&s, &["inspect", "--json"]);
    let clear = run_bounded(&s, &["clear", "--yes", "--json"]);
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);

    assert_eq!(inspect.code, 0, "{}", inspect.stderr);
    let j = inspect.json();
    assert_eq!(j["database"]["integrity"], "locked", "{}", j["database"]);
    let codes: Vec<&str> = j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"database_locked"), "{codes:?}");
    assert!(!codes.contains(&"database_corrupt"), "{codes:?}");
    // Its values could not be read: not "missing".
    let settings = &j["storage"][0]["sqlite"];
    assert_eq!(settings["form"], "unreadable", "{settings}");

    assert_eq!(clear.code, 1, "{}", clear.stdout);
    assert!(clear.stderr.contains("locked"), "{}", clear.stderr);
    assert_eq!(s.tree(), before, "nothing was removed");
}
