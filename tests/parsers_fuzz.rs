//! Property tests of every parser, seeded with the fixtures: thousands of
//! mutations (bit flips, deleted, inserted and duplicated bytes, truncation)
//! of real inputs — sealed envelopes, the legacy backup, SharedPreferences
//! (JSON and plist), settings and thread documents, B's YAML settings, task
//! files and indexes, C's threads.json — must each give a value or an error,
//! never a panic or a hang; and whole stores with one mutated file must
//! inspect, plan a clear, assess recovery and export without a panic.
//! `XWORKMATE_FUZZ_ITERS` sets the count per input (default 300); the seed is
//! printed (`XWORKMATE_FUZZ_SEED` repeats a run).

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use common::*;
use xworkmate_store::document::{self, DocKind};
use xworkmate_store::generation::common as gen;
use xworkmate_store::prefs::SharedPrefs;
use xworkmate_store::recovery::{self, RecoveryContext};
use xworkmate_store::sealed::{Envelope, LocalStateKey};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::{clear, export, inspect, DataLocation};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SIGNIFICANT: &[u8] = b"{}[]\":,\\0123456789-.eEtrufalsn \n\t'#|>&*!%@`\xff\xc3";

/// One to four random mutations of `input`.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 if !v.is_empty() => {
                let i = rng.below(v.len());
                v.remove(i);
            }
            2 => v.insert(at, SIGNIFICANT[rng.below(SIGNIFICANT.len())]),
            3 => v.truncate(at),
            4 if !v.is_empty() => {
                let from = rng.below(v.len());
                let to = (from + 1 + rng.below(16)).min(v.len());
                let slice = v[from..to].to_vec();
                let at = at.min(v.len());
                v.splice(at..at, slice);
            }
            _ => {
                // Nest deeper: a bracket storm.
                let at = at.min(v.len());
                v.splice(at..at, b"[[[[{\"a\":".iter().copied());
            }
        }
    }
    v
}

fn iterations() -> usize {
    std::env::var("XWORKMATE_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn seed() -> u64 {
    let s = std::env::var("XWORKMATE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("parsers fuzz: seed {s} (XWORKMATE_FUZZ_SEED to repeat)");
    s
}

/// Runs `f` on mutations of `seed_input`; a panic fails with the input.
fn fuzz(name: &str, rng: &mut Rng, seed_input: &[u8], f: impl Fn(&[u8])) {
    for _ in 0..iterations() {
        let input = mutate(rng, seed_input);
        if catch_unwind(AssertUnwindSafe(|| f(&input))).is_err() {
            panic!(
                "{name}: a parser panicked on this input:\n{}",
                String::from_utf8_lossy(&input)
            );
        }
    }
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn in_memory_parsers_never_panic() {
    let mut rng = Rng(seed());
    let key = LocalStateKey::from_b64url(&fixture_key()).unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();

    // Sealed envelopes (every vector's envelope) and their opening.
    let vectors = vectors();
    let mut envelopes = Vec::new();
    fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if m.contains_key("ciphertext") || m.contains_key("nonce") {
                    out.push(v.to_string());
                }
                m.values().for_each(|x| collect(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            serde_json::Value::String(s) if s.contains("\"nonce\"") => out.push(s.clone()),
            _ => {}
        }
    }
    collect(&vectors, &mut envelopes);
    envelopes.push(text(&fixture(
        "stores/sealed-with-key-file/settings-snapshot.json",
    )));
    assert!(!envelopes.is_empty());
    for env in &envelopes {
        fuzz("envelope", &mut rng, env.as_bytes(), |b| {
            if let Ok(e) = Envelope::from_text(&text(b)) {
                let _ = e.open(&key, b"xworkmate.settings.snapshot");
            }
        });
    }
    // Documents: settings, threads (plain, sealed), the legacy backup.
    for (doc, path) in [
        (DocKind::Settings, "stores/healthy/settings-snapshot.json"),
        (DocKind::Threads, "stores/healthy/assistant-threads.json"),
        (
            DocKind::Settings,
            "stores/sealed-backup-v2/assistant-state-backup.json",
        ),
        (
            DocKind::Threads,
            "stores/sealed-with-key-file/assistant-threads.json",
        ),
    ] {
        fuzz(path, &mut rng, &fixture(path), |b| {
            let t = text(b);
            let _ = document::classify(doc, &t);
            let _ = document::validate(doc, &t);
            let _ = document::validate_to_save(doc, &t);
        });
    }
    // Later generations: YAML and JSON settings, task files, indexes, threads.json.
    for path in [
        "stores/gen-b1/config/settings.yaml",
        "stores/gen-c/config/settings.yaml",
        "stores/gen-b1/tasks/bWFpbg.json",
        "stores/gen-b2/tasks/bWFpbg.json",
        "stores/gen-b2/tasks/index.json",
        "stores/gen-d/tasks/index.json",
        "stores/gen-c/tasks/threads.json",
    ] {
        fuzz(path, &mut rng, &fixture(path), |b| {
            let t = text(b);
            let _ = gen::read_yaml_settings(&t);
            let _ = gen::read_json_settings(&t);
            let _ = gen::classify_task_file(&t);
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) {
                let _ = gen::task_thread_loadable(&v);
            }
        });
    }
}

#[test]
fn shared_preferences_files_never_panic() {
    let mut rng = Rng(seed());
    let dir = tempfile::tempdir().unwrap();
    let json = fixture("stores/shared-preferences/prefs-root/shared_preferences.json");
    // A plist written the way macOS writes user defaults (XML form).
    let plist = br#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict><key>flutter.xworkmate.settings.snapshot</key><string>{"appLanguage":"zh"}</string><key>other</key><integer>3</integer></dict></plist>"#;
    for (name, seed_input) in [
        ("shared_preferences.json", json.as_slice()),
        ("x.plist", plist.as_slice()),
    ] {
        let path: PathBuf = dir.path().join(name);
        fuzz(name, &mut rng, seed_input, |b| {
            std::fs::write(&path, b).unwrap();
            if let Ok(Some(p)) = SharedPrefs::load(&path) {
                let _ = p.get("xworkmate.settings.snapshot");
            }
        });
    }
}

/// Every file of a store, relative.
fn store_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(root: &Path, d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn stores_with_a_mutated_file_never_panic_any_looking_operation() {
    let mut rng = Rng(seed());
    let rounds = (iterations() / 10).max(10);
    for store in [
        "healthy",
        "sealed-with-key-file",
        "sealed-backup-v2",
        "gen-b1",
        "gen-b2",
        "gen-c",
        "gen-c-plus-d",
    ] {
        let (_t, dir) = store_copy(store);
        let files: Vec<PathBuf> = store_files(&dir)
            .into_iter()
            .filter(|p| !p.ends_with("config-store.sqlite3"))
            .collect();
        for _ in 0..rounds {
            let rel = &files[rng.below(files.len())];
            let path = dir.join(rel);
            let original = std::fs::read(&path).unwrap();
            std::fs::write(&path, mutate(&mut rng, &original)).unwrap();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let loc = DataLocation::explicit(&dir);
                let secrets = SecretStore::new(&loc, SecretsMode::File);
                let _ = inspect::inspect(&loc, &secrets);
                let _ = clear::plan(&loc, &secrets);
                let _ = recovery::assess(&RecoveryContext {
                    location: &loc,
                    secrets: &secrets,
                    supplied_key: None,
                });
                let out = tempfile::tempdir().unwrap();
                let _ = export::export_threads(
                    &loc,
                    &secrets,
                    None,
                    export::ExportFormat::Html,
                    &out.path().join("t.html"),
                    None,
                );
            }));
            let mutated = std::fs::read(&path).unwrap();
            std::fs::write(&path, &original).unwrap();
            if outcome.is_err() {
                panic!(
                    "{store}: a panic with {} mutated to:\n{}",
                    rel.display(),
                    String::from_utf8_lossy(&mutated)
                );
            }
        }
    }
}
