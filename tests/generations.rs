//! Every XWorkmate generation on hand-built stores (`tests/fixtures/stores/gen-*`,
//! byte for byte as each version writes them; `GENERATIONS.md`), against the
//! facts in `tests/fixtures/generations.json`: which generations are there and
//! which is current, what each version will show, its secrets, audit and
//! findings, and what its clear removes and keeps — with every byte outside the
//! plan unchanged.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use xworkmate_store::clear::{self, RemovalKind};
use xworkmate_store::generation::{GenerationId, GenerationReport};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::{inspect, DataLocation, FindingCode};

fn expectations() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(fixtures().join("generations.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn open(dir: &Path) -> (DataLocation, SecretStore) {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (loc, secrets)
}

fn id(text: &str) -> GenerationId {
    GenerationId::parse(text).unwrap_or_else(|| panic!("generation {text}"))
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn report(gens: &[GenerationReport], g: GenerationId) -> &GenerationReport {
    gens.iter().find(|r| r.id == g).unwrap()
}

/// Every file below `dir`, relative, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot(dir)
        .into_iter()
        .filter(|(p, _)| p.is_file())
        .map(|(p, b)| (p.strip_prefix(dir).unwrap().to_path_buf(), b))
        .collect()
}

#[test]
fn every_store_is_recognised_and_read_as_its_version_reads_it() {
    let all = expectations();
    assert!(all.len() >= 11, "{} stores", all.len());
    for (name, want) in &all {
        let (_g, dir) = store_copy(name);
        let (loc, secrets) = open(&dir);
        let i = inspect::inspect(&loc, &secrets);
        let gens = &i.generations;
        let ids: BTreeSet<String> = gens.iter().map(|g| g.id.to_string()).collect();
        assert_eq!(ids, strings(&want["generations"]), "{name}: generations");
        // The current one first, and only it current.
        assert_eq!(gens[0].id, id(want["current"].as_str().unwrap()), "{name}");
        assert!(gens[0].current, "{name}");
        assert!(gens[1..].iter().all(|g| !g.current), "{name}");
        for (g, n) in want["threads"].as_object().unwrap() {
            let r = report(gens, id(g));
            assert_eq!(
                r.threads.count as u64,
                n.as_u64().unwrap(),
                "{name}: {g} threads"
            );
        }
        for (g, readable) in want["settingsReadable"].as_object().unwrap() {
            let r = report(gens, id(g));
            assert!(r.settings.present, "{name}: {g} settings present");
            assert_eq!(
                r.settings.readable,
                readable.as_bool().unwrap(),
                "{name}: {g}"
            );
        }
        for (g, keys) in want["secrets"].as_object().unwrap() {
            let r = report(gens, id(g));
            let have: BTreeSet<String> = r
                .secrets
                .iter()
                .filter(|s| s.present)
                .map(|s| s.storage_key.clone())
                .collect();
            assert_eq!(have, strings(keys), "{name}: {g} secrets");
            // Presence and masks only: no value is ever in the report.
            let json = serde_json::to_string(r).unwrap();
            assert!(
                !json.contains("fixture-"),
                "{name}: a secret value leaked: {json}"
            );
        }
        for (g, n) in want["audit"].as_object().unwrap() {
            let r = report(gens, id(g));
            assert_eq!(
                r.audit.entries.map(|e| e as u64),
                n.as_u64(),
                "{name}: {g} audit"
            );
        }
        for (g, codes) in want["findings"].as_object().unwrap() {
            let r = report(gens, id(g));
            let have: BTreeSet<String> = r
                .findings
                .iter()
                .map(|f| f.code.to_string())
                .filter(|c| c != "keyring_unavailable")
                .collect();
            assert_eq!(
                have,
                strings(codes),
                "{name}: {g} findings {:?}",
                r.findings
            );
        }
    }
}

#[test]
fn clear_removes_what_that_version_removes_and_not_a_byte_more() {
    for (name, want) in &expectations() {
        for (g, removes) in want["clearRemoves"].as_object().unwrap() {
            let g = id(g);
            let (_t, dir) = store_copy(name);
            let (loc, secrets) = open(&dir);
            let current = g == id(want["current"].as_str().unwrap());
            let plan = if current {
                clear::plan(&loc, &secrets).unwrap()
            } else {
                clear::plan_generation(&loc, &secrets, Some(g)).unwrap()
            };
            assert_eq!(plan.generation, g, "{name}: {g}");
            let rel = |p: &Path| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
            let planned: BTreeSet<String> = plan
                .removals
                .iter()
                .filter(|r| r.kind == RemovalKind::File)
                .map(|r| rel(&r.path))
                .collect();
            assert_eq!(planned, strings(removes), "{name}: clear of {g}");
            let keeps: BTreeMap<String, String> = plan
                .kept
                .for_other_generations
                .iter()
                .map(|k| (rel(&k.path), k.generation.to_string()))
                .collect();
            let want_keeps: BTreeMap<String, String> = want["clearKeeps"]
                .get(g.as_str())
                .and_then(Value::as_object)
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(keeps, want_keeps, "{name}: clear of {g} keeps");

            // Run it, with a backup, and compare every byte outside the plan.
            let before = files(&dir);
            let backup_dir = tempfile::tempdir().unwrap();
            let backup = backup_dir.path().join("backup.json");
            let outcome = clear::execute(&loc, &secrets, &plan, Some(&backup)).unwrap();
            assert!(outcome.secrets_verified, "{name}: {g}: {outcome:?}");
            assert_eq!(outcome.generation, g);
            let after = files(&dir);
            let removed: BTreeSet<PathBuf> = planned.iter().map(PathBuf::from).collect();
            for (path, bytes) in &before {
                if removed.contains(path) {
                    assert!(
                        !after.contains_key(path),
                        "{name}: {g}: {path:?} is still there"
                    );
                } else if g == GenerationId::A && path.ends_with("config-store.sqlite3") {
                    // A's rows are removed inside the database.
                } else {
                    assert_eq!(
                        after.get(path),
                        Some(bytes),
                        "{name}: {g}: {path:?} changed"
                    );
                }
            }
            // Nothing new appears but this tool's record of the generation
            // it cleared (in its own folder, which XWorkmate ignores).
            for path in after.keys() {
                assert!(
                    before.contains_key(path)
                        || path == Path::new(xworkmate_store::generation::GENERATION_RECORD),
                    "{name}: {g}: {path:?} appeared"
                );
            }
            // The backup holds every removed file's text: its own, or the
            // exact text of the top-level document it names (`textOf`).
            let text = std::fs::read_to_string(&backup).unwrap();
            let b: Value = serde_json::from_str(&text).unwrap();
            let raw: std::collections::HashMap<String, Box<serde_json::value::RawValue>> =
                serde_json::from_str(&text).unwrap();
            assert_eq!(b["generation"], g.as_str());
            for r in b["removed"].as_array().unwrap() {
                if r["kind"] == "file" {
                    let p = Path::new(r["path"].as_str().unwrap());
                    let original = &before[p.strip_prefix(&dir).unwrap()];
                    let held = match r["textOf"].as_str() {
                        Some(name) => raw[name].get(),
                        None => r["text"].as_str().unwrap(),
                    };
                    assert_eq!(held.as_bytes(), &original[..], "{name}: {p:?}");
                }
            }
        }
    }
}

#[test]
fn a_mixed_folder_clears_the_current_generation_and_never_the_pre_upgrade_data() {
    let (_t, dir) = store_copy("gen-a-plus-c");
    let (loc, secrets) = open(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert_eq!(plan.generation, GenerationId::C);
    assert_eq!(
        plan.generations_present,
        vec![GenerationId::A, GenerationId::C]
    );
    assert!(plan
        .removals
        .iter()
        .all(|r| r.kind == RemovalKind::File && !r.path.ends_with("assistant-threads.json")));
    clear::execute(&loc, &secrets, &plan, None).unwrap();
    // The 0.6 threads are still there, and still read; C (its audit trail
    // and secrets kept) is still the current generation.
    let i = inspect::inspect(&loc, &secrets);
    assert_eq!(i.threads.count, 2);
    assert_eq!(i.generations[0].id, GenerationId::C);
    assert_eq!(i.generations[0].threads.count, 0);
    let a = report(&i.generations, GenerationId::A);
    assert_eq!(a.threads.count, 2);
    assert!(a
        .findings
        .iter()
        .any(|f| f.code == FindingCode::ThreadsLeftBehind));
}

#[test]
fn a_generation_not_in_the_folder_cannot_be_cleared() {
    let (_t, dir) = store_copy("gen-c");
    let (loc, secrets) = open(&dir);
    let before = files(&dir);
    let err = clear::plan_generation(&loc, &secrets, Some(GenerationId::A)).unwrap_err();
    assert_eq!(err.code(), "no_such_generation");
    assert_eq!(files(&dir), before);
}

#[test]
fn secret_files_readable_by_others_are_a_finding() {
    use std::os::unix::fs::PermissionsExt;
    let (_t, dir) = store_copy("gen-d");
    let secret = std::fs::read_dir(dir.join("secrets"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (loc, secrets) = open(&dir);
    let i = inspect::inspect(&loc, &secrets);
    let d = report(&i.generations, GenerationId::D);
    let f: Vec<_> = d
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::SecretFileMode)
        .collect();
    assert_eq!(f.len(), 1, "{:?}", d.findings);
    assert!(f[0].path.starts_with("secrets/") && f[0].message.contains("0644"));
}

#[test]
fn inspect_of_any_generation_writes_nothing() {
    for name in expectations().keys() {
        let (_t, dir) = store_copy(name);
        let before = files(&dir);
        let (loc, secrets) = open(&dir);
        let _ = inspect::inspect(&loc, &secrets);
        let _ = clear::plan(&loc, &secrets).unwrap();
        assert_eq!(files(&dir), before, "{name}");
    }
}

#[test]
fn every_thread_of_every_generation_exports_readably_and_nothing_else_is_written() {
    use xworkmate_store::export::{export_threads, ExportFormat};
    for name in expectations().keys() {
        let (_t, dir) = store_copy(name);
        let (loc, secrets) = open(&dir);
        let i = inspect::inspect(&loc, &secrets);
        let before = files(&dir);
        let out_dir = tempfile::tempdir().unwrap();
        for g in &i.generations {
            let json = out_dir.path().join(format!("{}.json", g.id));
            let e = export_threads(&loc, &secrets, Some(g.id), ExportFormat::Json, &json, None)
                .unwrap();
            assert_eq!(e.threads, g.threads.stored, "{name}: {}", g.id);
            let records: Vec<Value> =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            assert_eq!(records.len(), g.threads.stored, "{name}: {}", g.id);
            let html = out_dir.path().join(format!("{}.html", g.id));
            export_threads(&loc, &secrets, Some(g.id), ExportFormat::Html, &html, None).unwrap();
            let page = std::fs::read_to_string(&html).unwrap();
            assert!(!page.to_ascii_lowercase().contains("<script"), "{name}");
            let md = out_dir.path().join(format!("{}.md", g.id));
            export_threads(&loc, &secrets, Some(g.id), ExportFormat::Md, &md, None).unwrap();
            let text = std::fs::read_to_string(&md).unwrap();
            for r in &records {
                let title = r["title"].as_str().unwrap_or("");
                if !title.is_empty() {
                    assert!(text.contains(title), "{name}: {title} not in the Markdown");
                    let escaped = title.replace('&', "&amp;").replace('<', "&lt;");
                    assert!(page.contains(&escaped), "{name}: {title} not in the HTML");
                }
            }
        }
        assert_eq!(
            files(&dir),
            before,
            "{name}: the export wrote into the store"
        );
    }
}

#[test]
fn an_export_is_never_written_into_the_data_folder_or_over_a_file() {
    use xworkmate_store::export::{export_threads, ExportFormat};
    let (_t, dir) = store_copy("gen-d");
    let (loc, secrets) = open(&dir);
    // Generation D deletes what it cannot read at the top of tasks/.
    let inside = dir.join("tasks/export.json");
    let err = export_threads(&loc, &secrets, None, ExportFormat::Json, &inside, None).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(!inside.exists());
    let out = tempfile::tempdir().unwrap();
    let taken = out.path().join("threads.html");
    std::fs::write(&taken, "mine").unwrap();
    assert!(export_threads(&loc, &secrets, None, ExportFormat::Html, &taken, None).is_err());
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "mine");
}

#[test]
fn sealed_generation_a_threads_export_with_the_key_and_write_nothing_to_the_store() {
    use xworkmate_store::export::{export_threads, ExportFormat};
    let (_t, dir) = store_copy("sealed-with-key-file");
    std::fs::remove_file(dir.join("gateway-auth/local-state-key.txt")).unwrap();
    let (loc, secrets) = open(&dir);
    let before = files(&dir);
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("a.json");
    let locked = export_threads(
        &loc,
        &secrets,
        Some(GenerationId::A),
        ExportFormat::Json,
        &path,
        None,
    );
    assert!(locked.is_err() && !path.exists());
    let key = fixture_key();
    let e = export_threads(
        &loc,
        &secrets,
        Some(GenerationId::A),
        ExportFormat::Json,
        &path,
        Some(&key),
    )
    .unwrap();
    assert!(e.threads > 0, "{e:?}");
    assert_eq!(files(&dir), before);
}

#[test]
fn later_generations_in_another_folder_of_the_install_are_found_and_cleared_there() {
    // macOS: 0.6.1 in the sandbox container, 1.1.7 in
    // ~/Library/Application Support/xworkmate (the default location has both).
    let (_a, a_dir) = store_copy("healthy");
    let (_c, c_dir) = store_copy("gen-c");
    let loc = DataLocation::explicit(&a_dir).with_extra_dir(&c_dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let i = inspect::inspect(&loc, &secrets);
    let ids: Vec<_> = i
        .generations
        .iter()
        .map(|g| (g.id, g.path.clone()))
        .collect();
    assert_eq!(
        ids,
        vec![
            (GenerationId::C, c_dir.clone()),
            (GenerationId::A, a_dir.clone())
        ]
    );
    assert_eq!(i.generations[0].threads.count, 3);
    let before_a = files(&a_dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert_eq!(plan.generation, GenerationId::C);
    assert_eq!(plan.generation_dir, c_dir);
    assert!(
        plan.removals.iter().all(|r| r.path.starts_with(&c_dir)),
        "{plan:?}"
    );
    // A backup is refused inside either folder.
    let inside = c_dir.join("backup.json");
    assert!(clear::execute(&loc, &secrets, &plan, Some(&inside)).is_err());
    assert!(!inside.exists());
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert_eq!(outcome.removed.len(), 3);
    assert!(!c_dir.join("tasks/threads.json").exists());
    assert_eq!(files(&a_dir), before_a, "0.6.1's folder is untouched");
    // Writing into A while C is current is refused.
    assert_eq!(
        xworkmate_store::generation::refuse_if_a_is_not_current(&loc)
            .unwrap_err()
            .code(),
        "newer_generation_current"
    );
}

#[test]
fn after_clearing_the_current_generation_a_second_clear_never_takes_the_older_one() {
    // 1.1.9 (D) over 1.1.7 (C): once D's files are cleared, the folder looks
    // like C's; the record keeps D current, so C's threads.json stays.
    let (_t, dir) = store_copy("gen-c-plus-d");
    let (loc, secrets) = open(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert_eq!(plan.generation, GenerationId::D);
    clear::execute(&loc, &secrets, &plan, None).unwrap();
    let i = inspect::inspect(&loc, &secrets);
    assert_eq!(i.generations[0].id, GenerationId::D);
    assert_eq!(i.generations[0].threads.count, 0);
    let c = report(&i.generations, GenerationId::C);
    assert!(c
        .findings
        .iter()
        .any(|f| f.code == FindingCode::ThreadsLeftBehind));
    let again = clear::plan(&loc, &secrets).unwrap();
    assert_eq!(again.generation, GenerationId::D);
    assert!(again.removals.is_empty(), "{again:?}");
    assert!(dir.join("tasks/threads.json").exists());
}

#[test]
fn a_folder_one_level_too_high_is_said_and_nothing_is_written_into_it() {
    for store in ["sealed-with-key-file", "gen-c"] {
        let parent = tempfile::tempdir().unwrap();
        xworkmate_testkit::copy_tree(
            &xworkmate_testkit::store(store),
            &parent.path().join("xworkmate"),
        )
        .unwrap();
        let before = files(parent.path());
        let (loc, secrets) = open(parent.path());
        let i = inspect::inspect(&loc, &secrets);
        let w: Vec<_> = i
            .warnings
            .iter()
            .filter(|w| w.code == FindingCode::StoreInSubfolder)
            .collect();
        assert_eq!(w.len(), 1, "{store}: {:?}", i.warnings);
        assert!(w[0].message.contains("xworkmate"), "{}", w[0].message);
        // Recovery (dry or real) does not take the subfolder's legacy data into
        // the parent, where XWorkmate never looks.
        for dry_run in [true, false] {
            let r = xworkmate_store::recovery::run(
                &xworkmate_store::recovery::RecoveryContext {
                    location: &loc,
                    secrets: &secrets,
                    supplied_key: None,
                },
                dry_run,
            );
            assert_eq!(
                r.status,
                xworkmate_store::recovery::RecoveryStatus::Failed,
                "{store}: {r:?}"
            );
            assert!(
                r.details.contains("probably the data folder"),
                "{}",
                r.details
            );
        }
        assert_eq!(
            files(parent.path()),
            before,
            "{store}: something was written"
        );
    }
    // The right folder has no such finding.
    let (_t, dir) = store_copy("healthy");
    let (loc, secrets) = open(&dir);
    let i = inspect::inspect(&loc, &secrets);
    assert!(i
        .warnings
        .iter()
        .all(|w| w.code != FindingCode::StoreInSubfolder));
}
