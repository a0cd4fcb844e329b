//! Shared helpers of the integration tests: fixture locations and copies.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

#[allow(unused_imports)]
pub use xworkmate_testkit::{fixture_key, fixtures, store_copy, vectors};

/// Copies a tree (files 0600, folders 0700).
pub fn copy_dir(from: &Path, to: &Path) {
    xworkmate_testkit::copy_tree(from, to).unwrap();
}

/// Every file below `dir` with its bytes, for "nothing was written" checks.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(d: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push((p.clone(), Vec::new()));
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

/// The case of `sealed-vectors.json` named `name` (from `cases` or `negative`).
pub fn vector_case(name: &str) -> serde_json::Value {
    let v = vectors();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["negative"].as_array().unwrap())
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no vector case {name}"))
        .clone()
}

/// The raw SQLite value of `key` in `<dir>/config-store.sqlite3`, read-only.
pub fn db_value(dir: &Path, key: &str) -> Option<String> {
    xworkmate_store::db::ConfigDb::open_ro(&dir.join("config-store.sqlite3"))
        .unwrap()
        .and_then(|db| db.get(key).unwrap())
        .map(|e| e.value)
}

/// Every object key of `v` with its path, in document order — for checking
/// that key order survived (serde_json's `Value` equality ignores it).
pub fn keys_in_order(v: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, child) in m {
                    let p = format!("{at}/{k}");
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    walk(child, &format!("{at}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

/// Asserts two JSON texts hold the same value with the same key order.
pub fn assert_same_json(actual: &str, expected: &str) {
    let a: serde_json::Value = serde_json::from_str(actual).expect("actual is JSON");
    let e: serde_json::Value = serde_json::from_str(expected).expect("expected is JSON");
    assert_eq!(a, e, "JSON values differ");
    assert_eq!(keys_in_order(&a), keys_in_order(&e), "key order differs");
}

/// Unix permission bits of a path.
#[cfg(unix)]
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}
