//! Test-only helpers shared by every test crate of the workspace (the core's
//! `tests/`, the CLI's, the app's and the real-window tests): where the fixture
//! data is, and writable copies of the fixture stores.
//!
//! The fixtures live in the repository, in `tests/fixtures/` (a copy of the
//! independent vectors and sample stores, see its README), so a clone alone
//! passes its tests. `XWORKMATE_FIXTURES` may point at another copy.

use std::path::{Path, PathBuf};

/// The repository's root (this crate is `crates/testkit`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository root")
}

/// The fixtures folder: `XWORKMATE_FIXTURES` when set, else the repository's
/// `tests/fixtures`. Panics with a clear message when it holds no stores.
pub fn fixtures() -> PathBuf {
    let dir = std::env::var_os("XWORKMATE_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("tests/fixtures"));
    assert!(
        dir.join("stores").is_dir() && dir.join("sealed-vectors.json").is_file(),
        "no fixtures at {} (expected stores/ and sealed-vectors.json); \
         unset XWORKMATE_FIXTURES to use the repository's tests/fixtures",
        dir.display()
    );
    dir
}

/// The fixture store `name` (read-only: copy it before anything writes).
pub fn store(name: &str) -> PathBuf {
    let dir = fixtures().join("stores").join(name);
    assert!(dir.is_dir(), "no fixture store {}", dir.display());
    dir
}

/// The names of the fixture stores.
pub const STORES: [&str; 5] = [
    "healthy",
    "locked",
    "sealed-with-key-file",
    "sealed-backup-v2",
    "shared-preferences",
];

/// The hand-built stores of generations B1–D and mixed folders
/// (`stores/GENERATIONS.md`); their facts are in `generations.json`.
pub const GENERATION_STORES: [&str; 11] = [
    "gen-b1",
    "gen-b2",
    "gen-c",
    "gen-d",
    "gen-a-plus-c",
    "gen-a-plus-b1",
    "gen-c-plus-d",
    "gen-c-bad-record",
    "gen-b2-wrong-index",
    "gen-d-with-b1-taskfile",
    "gen-b1-stale-tmp",
];

/// `sealed-vectors.json`, parsed.
pub fn vectors() -> serde_json::Value {
    let path = fixtures().join("sealed-vectors.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("sealed-vectors.json is JSON")
}

/// The fixtures' local-state key (`key_b64url`: base64url, no padding).
pub fn fixture_key() -> String {
    vectors()["key_b64url"]
        .as_str()
        .expect("key_b64url")
        .to_string()
}

/// Copies a tree; files become 0600 and folders 0700, as XWorkmate leaves
/// them (the fixtures may be read-only, e.g. a read-only `XWORKMATE_FIXTURES`).
pub fn copy_tree(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dst)?;
    set_mode(dst, 0o700)?;
    for entry in std::fs::read_dir(src)? {
        let entry = entry?;
        let to = dst.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &to)?;
        } else {
            std::fs::write(&to, std::fs::read(entry.path())?)?;
            set_mode(&to, 0o600)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// A writable copy of the fixture store `name` at `<tmp>/<name>`; returns the
/// temp dir (removed when dropped) and the copy's root.
pub fn store_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("a temp dir");
    let root = tmp.path().join(name);
    copy_tree(&store(name), &root).expect("copy the fixture store");
    (tmp, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_holds_every_fixture_store() {
        // Not through `fixtures()`: this checks the repository's own copy,
        // whatever XWORKMATE_FIXTURES says.
        let dir = repo_root().join("tests/fixtures");
        for name in STORES.iter().chain(&GENERATION_STORES) {
            assert!(dir.join("stores").join(name).is_dir(), "{name} is missing");
        }
        assert!(dir.join("generations.json").is_file());
        let v: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("sealed-vectors.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(v["key_b64url"].as_str().map(str::len), Some(43));
        assert!(!v["cases"].as_array().unwrap().is_empty());
    }

    #[test]
    fn a_copy_is_private_and_complete() {
        let (_tmp, root) = store_copy("healthy");
        assert!(root.join("config-store.sqlite3").is_file());
        assert!(root.join("gateway-auth/secure-storage").is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&root), 0o700);
            assert_eq!(mode(&root.join("settings-snapshot.json")), 0o600);
        }
    }
}
