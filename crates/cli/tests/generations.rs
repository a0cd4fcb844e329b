//! The CLI on folders of later XWorkmate generations: inspect names each,
//! clear clears the current one (another only with --generation), and
//! `threads export` gives the threads back, in text and JSON, zh and en.

mod common;

use common::*;
use insta::assert_snapshot;
use xworkmate_testkit::GENERATION_STORES;

#[test]
fn inspect_names_every_generation_current_first() {
    let s = Store::copy("gen-a-plus-c");
    let r = s.run(&["inspect", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    let ids: Vec<&str> = j["generations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["C", "A"]);
    assert_eq!(j["generations"][0]["current"], true);
    assert_eq!(j["generations"][0]["threads"]["count"], 3);
    // The top-level fields still describe generation A, as before.
    assert_eq!(j["threads"]["count"], 2);
    for (lang, current, left) in [
        (
            "en",
            "Generation C (XWorkmate 1.0.0-beta.2 – 1.1.7) — current",
            "threads_left_behind",
        ),
        (
            "zh",
            "存储版本 C（XWorkmate 1.0.0-beta.2 – 1.1.7）——当前",
            "threads_left_behind",
        ),
    ] {
        let r = s.run(&["inspect", "--lang", lang]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains(current), "{lang}: {}", r.stdout);
        assert!(r.stdout.contains(left), "{lang}: {}", r.stdout);
        let c = r.stdout.find("1.0.0-beta.2").unwrap();
        let a = r.stdout.find("0.5 – 0.6.1").unwrap();
        assert!(c < a, "{lang}: the current generation comes first");
    }
}

#[test]
fn clear_takes_the_current_generation_and_another_only_by_name() {
    let s = Store::copy("gen-a-plus-c");
    let r = s.run(&["clear", "--dry-run", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["generation"], "C");
    assert_eq!(j["generationsPresent"], serde_json::json!(["A", "C"]));
    let planned: Vec<&str> = j["planned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert!(
        planned
            .iter()
            .all(|p| !p.ends_with("assistant-threads.json")),
        "{planned:?}"
    );

    let before = s.tree();
    let r = s.run(&["clear", "--yes", "--generation", "b2", "--json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["error"]["code"], "no_such_generation");
    let r = s.run(&["clear", "--yes", "--generation", "Z"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(s.tree(), before, "a refused clear changes nothing");

    let r = s.run(&["clear", "--yes", "--generation", "A", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["generation"], "A");
    let after = s.tree();
    assert!(
        after.contains_key("gen-a-plus-c/tasks/threads.json"),
        "C's threads stay"
    );
    assert!(!after.contains_key("gen-a-plus-c/assistant-threads.json"));
}

#[test]
fn threads_export_writes_only_the_chosen_file() {
    let s = Store::copy("gen-c-plus-d");
    let before = s.tree();
    let outs = tempfile::tempdir().unwrap();
    let out = outs.path().join("c-threads.md");
    let r = s.run(&[
        "threads",
        "export",
        "--generation",
        "C",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["generation"], "C");
    assert_eq!(j["format"], "md");
    assert_eq!(j["threads"], 3);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains("季度复盘 — Q2"), "{md}");
    assert_eq!(s.tree(), before);
    // Never over an existing file.
    let r = s.run(&["threads", "export", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    // Into the data folder: refused.
    let inside = s.data_dir.join("tasks/x.json");
    let r = s.run(&["threads", "export", "--out", inside.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(!inside.exists());
    let r = s.run(&[
        "threads",
        "export",
        "--lang",
        "zh",
        "--out",
        outs.path().join("d.html").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("线程已导出"), "{}", r.stdout);
}

#[test]
fn nothing_is_written_into_generation_a_when_a_newer_xworkmate_is_current() {
    let s = Store::copy("gen-a-plus-c");
    let before = s.tree();
    let r = s.run(&["recover", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.json()["error"]["code"], "newer_generation_current");
    let settings = s.root().join("s.json");
    std::fs::write(&settings, r#"{"appLanguage":"en"}"#).unwrap();
    let r = s.run(&["settings", "save", settings.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("generation C"), "{}", r.stderr);
    std::fs::remove_file(&settings).unwrap();
    assert_eq!(s.tree(), before);
    // Looking is still allowed.
    assert_eq!(s.run(&["recover", "--dry-run"]).code, 0);
}

/// Snapshots of inspect (text and JSON), the clear plan (text and JSON) and the
/// Markdown export on every hand-built generation store.
#[test]
fn snapshots_of_every_generation_store() {
    for name in GENERATION_STORES {
        let s = Store::copy(name);
        let before = s.tree();
        for (what, args) in [
            ("inspect_text", vec!["inspect"]),
            ("inspect_json", vec!["inspect", "--json"]),
            ("clear_plan_text", vec!["clear", "--dry-run"]),
            ("clear_plan_json", vec!["clear", "--dry-run", "--json"]),
        ] {
            let r = s.run(&args);
            assert_eq!(r.code, 0, "{name} {args:?}: {}", r.stderr);
            let snap = if what.ends_with("json") {
                r.json_snapshot()
            } else {
                r.text_snapshot()
            };
            assert_snapshot!(format!("{what}__{name}"), snap);
        }
        let outs = tempfile::tempdir().unwrap();
        let md = outs.path().join("threads.md");
        let r = s.run(&["threads", "export", "--out", md.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        assert_snapshot!(
            format!("export_md__{name}"),
            std::fs::read_to_string(&md).unwrap()
        );
        assert_eq!(s.tree(), before, "{name}: looking wrote something");
    }
}

#[test]
fn xworkmate_1_1_1_reads_its_user_settings_copy_first_and_its_clear_removes_it() {
    // The default location on Linux, in a temp home.
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let config = home.path().join("config");
    let dir = data.join("plus.svc.xworkmate/xworkmate");
    copy_tree(&fixtures().join("stores/gen-b2"), &dir);
    let copy = config.join("xworkmate/config/settings.yaml");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    // `2026` where text belongs: 1.1.1 falls back to defaults.
    std::fs::write(&copy, "---\nworkspacePath: 2026\n").unwrap();
    let state = home.path().join("state");
    let env = [
        ("HOME", home.path().to_str().unwrap()),
        ("XDG_DATA_HOME", data.to_str().unwrap()),
        ("XDG_CONFIG_HOME", config.to_str().unwrap()),
        ("XDG_STATE_HOME", state.to_str().unwrap()),
    ];
    let r = run(&["--secrets", "file", "inspect", "--json"], None, &env);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let b2 = &r.json()["generations"][0];
    assert_eq!(b2["id"], "B2");
    assert_eq!(b2["settings"]["path"], copy.to_str().unwrap());
    assert_eq!(b2["settings"]["readable"], false);
    assert!(b2["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "will_reset_to_defaults"));
    let r = run(
        &["--secrets", "file", "clear", "--dry-run", "--json"],
        None,
        &env,
    );
    let planned: Vec<String> = r.json()["planned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_string())
        .collect();
    assert!(
        planned.contains(&copy.to_str().unwrap().to_string()),
        "{planned:?}"
    );
    // An explicit folder (a copy sent to support) never reaches this
    // machine's copy.
    let r = run(
        &[
            "--data-dir",
            dir.to_str().unwrap(),
            "clear",
            "--dry-run",
            "--json",
        ],
        None,
        &env,
    );
    assert!(!r.stdout.contains(copy.to_str().unwrap()), "{}", r.stdout);
}
