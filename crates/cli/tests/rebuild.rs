//! `rebuild-database`: the plan (read-only, exit 2 without --yes), the
//! rebuild from the mirrors in both languages, and the refusal of a healthy
//! database with nothing written.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn a_damaged_database_is_rebuilt_from_the_mirrors() {
    let s = Store::copy("healthy");
    let d = s.data_dir.to_string_lossy().into_owned();
    std::fs::write(s.data_dir.join("config-store.sqlite3"), vec![b'Z'; 12288]).unwrap();
    let before = files(&s.data_dir);
    let plan = run(
        &["--data-dir", &d, "--secrets", "file", "rebuild-database"],
        None,
        &[],
    );
    assert_eq!(plan.code, 2, "{}", plan.all_output());
    assert!(
        plan.stdout.contains("Settings, and 2 threads."),
        "{}",
        plan.stdout
    );
    assert_eq!(files(&s.data_dir), before, "the plan writes nothing");
    let inspect = run(
        &["--data-dir", &d, "--secrets", "file", "inspect"],
        None,
        &[],
    );
    assert!(
        inspect.stdout.contains("rebuild-database"),
        "{}",
        inspect.stdout
    );

    let done = run(
        &[
            "--lang",
            "zh",
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "rebuild-database",
            "--yes",
        ],
        None,
        &[],
    );
    assert_eq!(done.code, 0, "{}", done.all_output());
    assert!(
        done.stdout.contains("设置，以及 2 个线程。"),
        "{}",
        done.stdout
    );
    let list = run(
        &[
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "--json",
            "threads",
            "list",
        ],
        None,
        &[],
    );
    assert_eq!(
        serde_json::from_str::<Value>(&list.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let again = run(
        &[
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "--json",
            "rebuild-database",
            "--yes",
        ],
        None,
        &[],
    );
    assert_eq!(again.code, 1, "{}", again.all_output());
    let v: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(v["error"]["code"], "invalid_input");
}
