//! `clear --only PART` and `clear --threads-before DATE`: the plan says what
//! goes in plain words, the part is cleared and the rest stays, and a part
//! that cannot be cleared here is refused with its code, writing nothing.

mod common;

use common::*;
use serde_json::Value;

fn dir_arg(s: &Store) -> String {
    s.data_dir.to_string_lossy().into_owned()
}

#[test]
fn only_archived_threads_says_what_goes_and_writes_the_list_again() {
    let s = Store::copy("healthy");
    let d = dir_arg(&s);
    let plan = run(
        &[
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "clear",
            "--dry-run",
            "--only",
            "archived-threads",
        ],
        None,
        &[],
    );
    assert_eq!(plan.code, 0, "{}", plan.all_output());
    assert!(
        plan.stdout.contains("Remove 1 thread (3 messages)."),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.contains("Keep 1 thread."), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("shows 1 thread and your settings"),
        "{}",
        plan.stdout
    );

    let done = run(
        &[
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "--json",
            "clear",
            "--yes",
            "--only",
            "archived-threads",
        ],
        None,
        &[],
    );
    assert_eq!(done.code, 0, "{}", done.all_output());
    let v: Value = serde_json::from_str(&done.stdout).unwrap();
    assert_eq!(v["scope"]["kind"], "archivedThreads");
    assert_eq!(v["rewritten"]["kept"], 1);
    assert_eq!(v["rewritten"]["removed"], 1);
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
    let threads: Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(threads.as_array().unwrap().len(), 1);
    assert_eq!(threads[0]["archived"], false);
}

#[test]
fn threads_before_a_date_and_only_settings_in_chinese() {
    let s = Store::copy("healthy");
    let d = dir_arg(&s);
    // The fixture's threads were last updated in 2023.
    let r = run(
        &[
            "--lang",
            "zh",
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "clear",
            "--dry-run",
            "--threads-before",
            "2024-01-01",
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.all_output());
    assert!(
        r.stdout.contains("删除 2 个线程（5 条消息）。"),
        "{}",
        r.stdout
    );
    let r = run(
        &[
            "--lang",
            "zh",
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "clear",
            "--dry-run",
            "--only",
            "settings",
        ],
        None,
        &[],
    );
    assert!(r.stdout.contains("保留 2 个线程。"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("账号 vector-user、2 个网关配置随之删除。"),
        "{}",
        r.stdout
    );
    let bad = run(
        &[
            "--data-dir",
            &d,
            "clear",
            "--dry-run",
            "--threads-before",
            "last tuesday",
        ],
        None,
        &[],
    );
    assert_eq!(bad.code, 2, "{}", bad.all_output());
}

#[test]
fn a_part_is_refused_with_its_code_where_old_sealed_data_is() {
    let s = Store::copy("locked");
    let d = dir_arg(&s);
    let before = files(&s.data_dir);
    let r = run(
        &[
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "--json",
            "clear",
            "--yes",
            "--only",
            "threads",
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.all_output());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["error"]["code"], "selective_clear_unavailable", "{v}");
    let zh = run(
        &[
            "--lang",
            "zh",
            "--data-dir",
            &d,
            "--secrets",
            "file",
            "clear",
            "--yes",
            "--only",
            "threads",
        ],
        None,
        &[],
    );
    assert!(
        zh.stderr.contains("这里不能只清理这一部分"),
        "{}",
        zh.stderr
    );
    assert_eq!(files(&s.data_dir), before, "nothing written");
}
