//! Round trips: clear with a backup, then restore it — the documents come back
//! exactly (generation A: the stored text, key order kept, in SQLite and the
//! mirror; generations B–D: every file byte for byte); restoring over readable
//! data refuses without --replace and backs it up first with it; a dry run
//! writes nothing. And a support report exported on one store, opened with
//! `report --from`, shows the same status, sources and findings; garbage and
//! foreign files are refused with their own codes.

mod common;

use common::*;

fn row(dir: &std::path::Path, key: &str) -> Option<String> {
    let c = rusqlite::Connection::open_with_flags(
        dir.join("config-store.sqlite3"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .ok()?;
    c.query_row(
        "SELECT value FROM config_entries WHERE storage_key = ?1",
        [key],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn clear_then_restore_brings_generation_a_back_exactly() {
    let s = Store::copy("healthy");
    let dir = s.data_dir.clone();
    let keys = ["xworkmate.settings.snapshot", "xworkmate.assistant.threads"];
    let rows_before: Vec<_> = keys.iter().map(|k| row(&dir, k)).collect();
    let mirrors_before: Vec<_> = ["settings-snapshot.json", "assistant-threads.json"]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("bk.json");
    let r = s.run(&["clear", "--yes", "--backup", backup.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(row(&dir, keys[0]).is_none());

    // Without --yes: the plan, exit 2, nothing written. A dry run: exit 0.
    let before = s.tree();
    let r = s.run(&["restore", backup.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let j = r.json();
    assert_eq!(j["generation"], "A");
    assert_eq!(j["threadCount"], 2);
    assert_eq!(j["settingsIncluded"], true);
    assert_eq!(j["items"].as_array().unwrap().len(), 2);
    let r = s.run(&["restore", backup.to_str().unwrap(), "--dry-run"]);
    assert_eq!(r.code, 0);
    assert_eq!(s.tree(), before, "looking wrote something");

    let r = s.run(&["restore", backup.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let rows_after: Vec<_> = keys.iter().map(|k| row(&dir, k)).collect();
    assert_eq!(
        rows_after, rows_before,
        "the rows are the stored texts again"
    );
    let mirrors_after: Vec<_> = ["settings-snapshot.json", "assistant-threads.json"]
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect();
    for (a, b) in mirrors_after.iter().zip(&mirrors_before) {
        let (a, b): (serde_json::Value, serde_json::Value) = (
            serde_json::from_slice(a).unwrap(),
            serde_json::from_slice(b).unwrap(),
        );
        // Equal as JSON, key order included (preserve_order).
        assert_eq!(a.to_string(), b.to_string());
    }
}

#[test]
fn restore_over_readable_data_refuses_then_backs_it_up_first_with_replace() {
    let s = Store::copy("healthy");
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("bk.json");
    assert_eq!(
        s.run(&["clear", "--yes", "--backup", backup.to_str().unwrap()])
            .code,
        0
    );
    // XWorkmate (here: settings save) writes new settings after the clear.
    let newer = out.path().join("new.json");
    std::fs::write(
        &newer,
        r#"{"appLanguage":"en","note":"written after the clear"}"#,
    )
    .unwrap();
    assert_eq!(
        s.run(&["settings", "save", newer.to_str().unwrap()]).code,
        0
    );
    let before = s.tree();
    let r = s.run(&["restore", backup.to_str().unwrap(), "--yes", "--json"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(r.json()["error"]["code"], "restore_conflict");
    assert_eq!(s.tree(), before, "a refused restore writes nothing");

    let safety = out.path().join("before-restore.json");
    let r = s.run(&[
        "restore",
        backup.to_str().unwrap(),
        "--yes",
        "--replace",
        "--backup",
        safety.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let saved = std::fs::read_to_string(&safety).unwrap();
    assert!(saved.contains("written after the clear"), "{saved}");
    // The safety backup is itself a backup restore reads.
    let r = s.run(&["restore", safety.to_str().unwrap(), "--dry-run", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1);
}

#[test]
fn clear_then_restore_brings_a_later_generation_back_byte_for_byte() {
    for store in ["gen-c", "gen-d", "gen-b1"] {
        let s = Store::copy(store);
        let before = s.tree();
        let out = tempfile::tempdir().unwrap();
        let backup = out.path().join("bk.json");
        let r = s.run(&["clear", "--yes", "--backup", backup.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{store}: {}", r.stderr);
        assert_ne!(s.tree(), before);
        let r = s.run(&["restore", backup.to_str().unwrap(), "--yes"]);
        assert_eq!(r.code, 0, "{store}: {}{}", r.stdout, r.stderr);
        let mut after = s.tree();
        // This tool's record of the generation it cleared stays.
        after.retain(|k, _| !k.contains(".xworkmate-diagnostics"));
        assert_eq!(after, before, "{store}: not byte for byte");
    }
}

#[test]
fn garbage_and_foreign_files_are_refused_with_their_own_codes() {
    let s = Store::copy("healthy");
    let out = tempfile::tempdir().unwrap();
    let garbage = out.path().join("garbage.json");
    std::fs::write(&garbage, "{not json").unwrap();
    let foreign = out.path().join("foreign.json");
    std::fs::write(&foreign, r#"{"name":"another program","items":[1,2]}"#).unwrap();
    let report = out.path().join("report.json");
    assert_eq!(
        s.run(&["export-report", "--out", report.to_str().unwrap()])
            .code,
        0
    );
    let before = s.tree();
    for (file, code) in [
        (&garbage, "not_a_backup"),
        (&foreign, "not_a_backup"),
        (&report, "not_a_backup"),
    ] {
        let r = s.run(&["restore", file.to_str().unwrap(), "--yes", "--json"]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert_eq!(r.json()["error"]["code"], code);
    }
    let backup = out.path().join("bk.json");
    assert_eq!(s.run(&["clear", "--dry-run"]).code, 0);
    for (file, code) in [(&garbage, "not_a_report"), (&foreign, "not_a_report")] {
        let r = s.run(&["report", "--from", file.to_str().unwrap(), "--json"]);
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert_eq!(r.json()["error"]["code"], code);
    }
    let newer = out.path().join("newer.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    v["reportVersion"] = 99.into();
    std::fs::write(&newer, v.to_string()).unwrap();
    let r = s.run(&["report", "--from", newer.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "unsupported_report_version");
    let _ = backup;
    assert_eq!(s.tree(), before);
}

#[test]
fn a_report_opened_from_a_file_shows_what_the_live_one_showed() {
    // A locked store: the interesting report.
    let s = Store::copy("locked");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("report.json");
    assert_eq!(
        s.run(&["export-report", "--out", file.to_str().unwrap()])
            .code,
        0
    );
    let raw = |r: &Run| serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap();
    // Not normalised: the report file names the real folder.
    let live = raw(&run(
        &["--data-dir", s.dir(), "report", "--json"],
        None,
        &[],
    ));
    // Opened elsewhere: another machine, no data folder at all.
    let elsewhere = Store::empty("nothing-here");
    let r = elsewhere.run(&["report", "--from", file.to_str().unwrap(), "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let opened = raw(&r);
    assert_eq!(opened["recovery"]["status"], live["status"]);
    assert_eq!(opened["recovery"]["sources"], live["sources"]);
    assert_eq!(opened["reportVersion"], 1);
    let steps = opened["nextSteps"].as_array().unwrap();
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(steps.iter().all(|s| s["reason"] == "key_missing"
        && s["whatToDo"].as_str().unwrap().contains("Legacy recovery")));
    assert_eq!(opened["dataDir"], s.dir());
    for lang in ["en", "zh"] {
        let r = elsewhere.run(&["report", "--from", file.to_str().unwrap(), "--lang", lang]);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains(s.dir()),
            "{lang}: whose report: {}",
            r.stdout
        );
        assert!(
            r.stdout.contains("key_missing")
                || r.stdout.contains("key missing")
                || r.stdout.contains("缺少"),
            "{lang}: {}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("nothing-here"),
            "{lang}: this machine's folder is mixed in"
        );
    }
}
