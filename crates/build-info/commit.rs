// Included by the build scripts of the binaries (crates/cli/build.rs and
// src-tauri/build.rs), so that `--version` and the app's About line name the
// commit they were built from. Only the binaries carry it: a new commit then
// rebuilds two leaf crates, not the core and everything over it.
//
// The commit is `XWORKMATE_COMMIT` when set (a build from a source archive),
// else `git rev-parse --short=12 HEAD` of the checkout, else "unknown".

/// Sets `XWORKMATE_COMMIT` for the crate being built (read with `env!`).
fn emit_build_commit() {
    println!("cargo:rerun-if-env-changed=XWORKMATE_COMMIT");
    let manifest = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&manifest)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
    };
    let commit = match std::env::var("XWORKMATE_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_string(),
        _ => {
            // Rebuild when HEAD moves: HEAD itself, the branch it names, packed refs.
            if let Some(dir) = git(&["rev-parse", "--absolute-git-dir"]) {
                let dir = std::path::Path::new(&dir);
                println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
                println!("cargo:rerun-if-changed={}", dir.join("packed-refs").display());
                if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
                    println!("cargo:rerun-if-changed={}", dir.join(branch).display());
                }
            }
            git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into())
        }
    };
    // Only hex digits (or "unknown") reach the binary.
    let commit = if commit.chars().all(|c| c.is_ascii_hexdigit()) {
        commit
    } else {
        "unknown".into()
    };
    println!("cargo:rustc-env=XWORKMATE_COMMIT={commit}");
}
