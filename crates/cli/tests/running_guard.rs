//! The running guard (spec §8), with a real process: a copy of `tail` named
//! `xworkmate` that holds a file of the data dir open, as XWorkmate holds its
//! database. Every write refuses with `xworkmate_running` and changes no byte
//! (not even `.xworkmate-diagnostics/`); looking works and says XWorkmate is
//! running; an `xworkmate` holding another folder does not block; once it has
//! exited, the same command works.
#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Store;

/// A process whose executable is named `xworkmate`, holding `file` open.
struct FakeXWorkmate {
    child: Child,
    _bin: tempfile::TempDir,
}

impl FakeXWorkmate {
    fn holding(file: &Path) -> Self {
        let bin = tempfile::tempdir().unwrap();
        let exe = bin.path().join("xworkmate");
        let tail = ["/usr/bin/tail", "/bin/tail"]
            .into_iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .expect("coreutils' tail");
        std::fs::copy(&tail, &exe).unwrap();
        // Another test thread forking while the copy was open for writing
        // keeps it "busy" (ETXTBSY) until that child execs: try again.
        let mut tries = 0;
        let child = loop {
            match Command::new(&exe)
                .args(["-f", "-s", "3600"])
                .arg(file)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
            {
                Ok(child) => break child,
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("cannot start the fake xworkmate: {e}"),
            }
        };
        let me = FakeXWorkmate { child, _bin: bin };
        // Wait until the kernel lists the open file.
        let target = file.canonicalize().unwrap();
        let fd_dir = PathBuf::from(format!("/proc/{}/fd", me.pid()));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let open = std::fs::read_dir(&fd_dir)
                .map(|d| {
                    d.flatten()
                        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|t| t == target))
                })
                .unwrap_or(false);
            if open {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the fake xworkmate never opened {}",
                file.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        me
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn quit(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for FakeXWorkmate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file and folder under `root`, with the files' bytes.
fn everything(root: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Option<Vec<u8>>)>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                out.push((p.clone(), None));
                walk(&p, out);
            } else {
                out.push((p.clone(), Some(std::fs::read(&p).unwrap())));
            }
        }
    }
    walk(root, &mut out);
    out.sort();
    out
}

#[test]
fn every_write_refuses_while_xworkmate_holds_the_folder_and_changes_no_byte() {
    let store = Store::copy("sealed-with-key-file");
    let settings = store.root().join("settings.json");
    std::fs::write(&settings, r#"{"appLanguage":"en"}"#).unwrap();
    let threads = store.root().join("threads.json");
    std::fs::write(&threads, "[]").unwrap();
    let backup = store.root().join("backup.json");
    let xworkmate = FakeXWorkmate::holding(&store.data_dir.join("settings-snapshot.json"));
    let pid = xworkmate.pid();
    let before = everything(store.root());

    let writes: Vec<Vec<&str>> = vec![
        vec!["recover", "--json"],
        vec!["clear", "--yes", "--json"],
        vec![
            "clear",
            "--yes",
            "--backup",
            backup.to_str().unwrap(),
            "--json",
        ],
        vec!["settings", "save", settings.to_str().unwrap(), "--json"],
        vec!["threads", "save", threads.to_str().unwrap(), "--json"],
    ];
    for args in &writes {
        let r = store.run(args);
        assert_eq!(r.code, 1, "{args:?}: {}", r.stdout);
        let error = &r.json()["error"];
        assert_eq!(error["code"], "xworkmate_running", "{args:?}: {}", r.stdout);
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(&pid.to_string()), "{message}");
        assert!(message.contains("quit XWorkmate"), "{message}");
        assert_eq!(
            everything(store.root()),
            before,
            "{args:?} changed something"
        );
    }
    // In text, too: one line on stderr naming the process.
    let r = store.run(&["recover"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&format!("process {pid}")), "{}", r.stderr);

    // Looking is allowed and says so; dry runs work.
    let r = store.run(&["inspect", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["xworkmateRunning"]["pid"], pid);
    assert_eq!(j["xworkmateRunning"]["holdsDataDir"], true);
    assert!(j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "xworkmate_running"));
    for args in [
        vec!["report", "--json"],
        vec!["recover", "--dry-run", "--json"],
        vec!["clear", "--dry-run", "--json"],
    ] {
        let r = store.run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    }
    assert_eq!(everything(store.root()), before, "looking wrote something");

    // Once XWorkmate has quit, the same command works.
    xworkmate.quit();
    let r = store.run(&["recover", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["status"], "migrated");
    assert_eq!(
        store.run(&["inspect", "--json"]).json()["xworkmateRunning"],
        serde_json::Value::Null
    );
}

#[test]
fn an_xworkmate_holding_another_folder_does_not_block() {
    let store = Store::copy("healthy");
    let other = Store::copy("healthy");
    let _xworkmate = FakeXWorkmate::holding(&other.data_dir.join("config-store.sqlite3"));
    let settings = store.root().join("settings.json");
    std::fs::write(&settings, r#"{"appLanguage":"en","accountUsername":"u"}"#).unwrap();
    let r = store.run(&["settings", "save", settings.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        store.run(&["inspect", "--json"]).json()["xworkmateRunning"],
        serde_json::Value::Null
    );
    // ... while the folder it holds is guarded.
    let r = other.run(&["settings", "save", settings.to_str().unwrap(), "--json"]);
    assert_eq!(r.json()["error"]["code"], "xworkmate_running");
}
