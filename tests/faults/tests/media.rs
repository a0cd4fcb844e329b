//! A full disk and a read-only mount, for real: a small tmpfs (needs root to
//! mount; skipped with a message otherwise). Every write fails with a clear
//! error, nothing is half written, and the store reads as before.

use std::path::{Path, PathBuf};
use std::process::Command;

use xworkmate_store::clear;
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::{read_document_readonly, OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

/// A tmpfs mounted for the test's lifetime; unmounted when dropped.
struct Tmpfs {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mnt");
        std::fs::create_dir(&path).unwrap();
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0755"),
                "tmpfs",
            ])
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root): the full-disk and read-only tests did not run");
            return None;
        }
        Some(Tmpfs { _dir: dir, path })
    }

    fn remount_read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.path)
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

fn docs(dir: &Path) -> Vec<Option<String>> {
    let loc = DataLocation::explicit(dir);
    DocKind::ALL
        .iter()
        .map(|d| read_document_readonly(&loc, *d).unwrap().map(|d| d.text))
        .collect()
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    walk(dir, &mut out);
    out.sort();
    out
}

/// Fills the file system until fewer than `leave` bytes are free.
fn fill(mnt: &Path, leave: u64) {
    use std::io::Write;
    let mut f = std::fs::File::create(mnt.join("filler")).unwrap();
    let chunk = vec![0u8; 4096];
    loop {
        let stat = Command::new("stat")
            .args(["-f", "-c", "%a %S"])
            .arg(mnt)
            .output()
            .unwrap();
        let text = String::from_utf8(stat.stdout).unwrap();
        let mut it = text.split_whitespace().map(|n| n.parse::<u64>().unwrap());
        let free = it.next().unwrap() * it.next().unwrap();
        if free < leave || f.write_all(&chunk).is_err() {
            break;
        }
    }
    let _ = f.sync_all();
}

#[test]
fn a_full_disk_fails_every_write_cleanly_and_loses_nothing() {
    let Some(fs) = Tmpfs::mount("512k") else {
        return;
    };
    let dir = fs.path.join("xworkmate");
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store("healthy"), &dir).unwrap();
    fill(&fs.path, 8 * 1024);
    let before_docs = docs(&dir);
    let before = files(&dir);
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);

    // A settings document far larger than the space left.
    let big = format!(
        r#"{{"appLanguage":"en","note":"{}"}}"#,
        "x".repeat(256 * 1024)
    );
    let err = SettingsStore::open(&loc, OpenOptions::default())
        .and_then(|s| s.write_document(DocKind::Settings, &big))
        .unwrap_err();
    assert!(
        err.to_string().contains("full") || err.to_string().contains("space"),
        "{err}"
    );
    assert_eq!(
        docs(&dir),
        before_docs,
        "a failed save changed what is read"
    );

    // A clear whose backup does not fit: refused before anything is removed.
    let backup = fs.path.join("backup.json");
    let plan = clear::plan(&loc, &secrets).unwrap();
    let big_threads = format!(
        r#"[{{"sessionKey":"main","title":"{}","messages":[]}}]"#,
        "t".repeat(1024)
    );
    let _ = big_threads;
    assert!(clear::execute(&loc, &secrets, &plan, Some(&backup)).is_err());
    assert!(!backup.exists(), "no half-written backup");
    assert_eq!(docs(&dir), before_docs);
    // No temp file is left behind by the failed writes.
    let after = files(&dir);
    let names: Vec<_> = after.iter().map(|(p, _)| p.clone()).collect();
    assert!(
        names.iter().all(|p| !p.to_string_lossy().contains(".tmp-")),
        "{names:?}"
    );
    assert_eq!(
        after
            .iter()
            .filter(|(p, _)| !p.ends_with("config-store.sqlite3"))
            .collect::<Vec<_>>(),
        before
            .iter()
            .filter(|(p, _)| !p.ends_with("config-store.sqlite3"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_read_only_mount_fails_every_write_before_anything_changes() {
    let Some(fs) = Tmpfs::mount("1m") else {
        return;
    };
    let dir = fs.path.join("xworkmate");
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store("sealed-with-key-file"), &dir).unwrap();
    let healthy = fs.path.join("healthy");
    xworkmate_testkit::copy_tree(&xworkmate_testkit::store("healthy"), &healthy).unwrap();
    fs.remount_read_only();
    let before = files(&fs.path);

    // Recovery: fails, says so, writes nothing.
    let loc = DataLocation::explicit(&dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let report = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(report.status, RecoveryStatus::Failed, "{report:?}");
    // Clear: refused before the first removal (the database cannot be locked
    // for writing).
    let loc = DataLocation::explicit(&healthy);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert!(clear::execute(&loc, &secrets, &plan, None).is_err());
    // Settings save.
    assert!(SettingsStore::open(&loc, OpenOptions::default())
        .and_then(|s| s.write_document(DocKind::Settings, r#"{"appLanguage":"en"}"#))
        .is_err());
    // Looking still works.
    assert_eq!(docs(&healthy).iter().filter(|d| d.is_some()).count(), 2);
    assert_eq!(files(&fs.path), before);
}
