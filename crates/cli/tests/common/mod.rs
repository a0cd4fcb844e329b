//! Helpers for the CLI tests: fixture stores copied to temp dirs, running the
//! built binary, normalising volatile output, file-tree snapshots.
#![allow(dead_code)]

pub mod text;
pub mod tour;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use base64::Engine;
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_xworkmate-diag");

#[allow(unused_imports)]
pub use xworkmate_testkit::{fixture_key, fixtures, STORES};

/// A fixture store copied into a fresh temp dir: `<tmp>/<name>/…`.
pub struct Store {
    pub tmp: tempfile::TempDir,
    pub name: String,
    /// The data dir (for `shared-preferences`: `prefs-root/xworkmate`).
    pub data_dir: PathBuf,
}

impl Store {
    pub fn copy(name: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let src = fixtures().join("stores").join(name);
        copy_tree(&src, &tmp.path().join(name));
        let data_dir = if name == "shared-preferences" {
            tmp.path().join(name).join("prefs-root/xworkmate")
        } else {
            tmp.path().join(name)
        };
        Store {
            tmp,
            name: name.to_string(),
            data_dir,
        }
    }

    /// An empty temp dir with a data dir path inside it (not created).
    pub fn empty(name: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data_dir = tmp.path().join(name);
        Store {
            tmp,
            name: name.to_string(),
            data_dir,
        }
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub fn dir(&self) -> &str {
        self.data_dir.to_str().unwrap()
    }

    /// Runs the CLI on this store with `--secrets file`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, None, &[])
    }

    pub fn run_with(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
        let mut all = vec!["--data-dir", self.dir(), "--secrets", "file"];
        all.extend_from_slice(args);
        run(&all, stdin, env).normalised(self.root())
    }

    /// Path → content digest of every file under the temp root.
    pub fn tree(&self) -> BTreeMap<String, String> {
        tree(self.root())
    }

    pub fn file_store_path(&self, storage_key: &str) -> PathBuf {
        self.data_dir
            .join("gateway-auth/secure-storage")
            .join(format!("{}.txt", b64(storage_key)))
    }
}

pub fn b64(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s.as_bytes())
}

/// Copies a tree; files become 0600 and folders 0700, as XWorkmate leaves them.
pub fn copy_tree(src: &Path, dst: &Path) {
    xworkmate_testkit::copy_tree(src, dst).unwrap();
}

/// Every file under `root`: relative path → size and a content hash.
pub fn tree(root: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            if e.file_type().unwrap().is_dir() {
                out.insert(format!("{rel}/"), String::new());
                walk(root, &p, out);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.insert(
                    rel,
                    format!("{} bytes, fnv {:016x}", bytes.len(), fnv(&bytes)),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Every file under `root` with its raw bytes.
pub fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(&p, out);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    walk(root, &mut out);
    out
}

/// One run of the binary.
#[derive(Debug, Clone)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }

    /// Replaces the temp root with `[TMP]` in stdout and stderr.
    pub fn normalised(mut self, root: &Path) -> Self {
        let root = root.to_str().unwrap();
        self.stdout = self.stdout.replace(root, "[TMP]");
        self.stderr = self.stderr.replace(root, "[TMP]");
        self
    }

    /// JSON stdout with volatile values (times, durations, file modes) replaced,
    /// pretty-printed.
    pub fn json_snapshot(&self) -> String {
        let mut v = self.json();
        normalise_json(&mut v);
        format!(
            "exit: {}\nstderr: {}\n{}",
            self.code,
            self.stderr.trim_end(),
            serde_json::to_string_pretty(&v).unwrap()
        )
    }

    /// Human stdout with volatile values replaced.
    pub fn text_snapshot(&self) -> String {
        format!(
            "exit: {}\nstderr: {}\n{}",
            self.code,
            self.stderr.trim_end(),
            normalise_text(&self.stdout)
        )
    }

    pub fn all_output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// Runs the binary with a clean environment: no locale, no colour, no data dir
/// variable, HOME in a temp dir.
pub fn run(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("XWORKMATE_DATA_DIR")
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(input) = stdin {
        // A command that does not read stdin may exit before it is written.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Keys whose values change from run to run.
const VOLATILE: [&str; 7] = [
    "os",
    "elapsedMs",
    "generatedAtMs",
    "recordedAtMs",
    "modifiedMs",
    "backupCreatedAtMs",
    "mode",
];

/// A timestamp later than the fixtures' (2023): written by this run.
fn is_fresh_ms(v: &Value) -> bool {
    v.as_f64().is_some_and(|n| n > 1_750_000_000_000.0)
}

pub fn normalise_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if VOLATILE.contains(&k.as_str()) && !child.is_null() {
                    *child = Value::String(format!("[{k}]"));
                } else if k.ends_with("Ms") && is_fresh_ms(child) {
                    *child = Value::String("[now]".into());
                } else if k == "timeLabel" && child.as_str().is_some_and(|s| s.len() == 16) {
                    *child = Value::String("[timeLabel]".into());
                } else {
                    normalise_json(child);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalise_json),
        _ => {}
    }
}

/// Replaces times written by this run, keeping the fixtures' 2023 times; and in
/// every block of lines (between blank lines) that shows a temp path, folds
/// runs of spaces, since column widths there depend on the temp dir's length.
pub fn normalise_text(s: &str) -> String {
    let re = regex::Regex::new(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2} UTC)?").unwrap();
    let s = re
        .replace_all(s, |c: &regex::Captures<'_>| {
            let m = c.get(0).unwrap().as_str();
            if m.starts_with("2023-") {
                m.to_string()
            } else {
                "[time]".to_string()
            }
        })
        .into_owned();
    let spaces = regex::Regex::new(r"(\S)  +").unwrap();
    let mut out = Vec::new();
    for block in s.split("\n\n") {
        if block.contains("[TMP]") {
            let folded: Vec<String> = block
                .lines()
                .map(|l| spaces.replace_all(l, "$1  ").into_owned())
                .collect();
            out.push(folded.join("\n"));
        } else {
            out.push(block.to_string());
        }
    }
    out.join("\n\n")
}
