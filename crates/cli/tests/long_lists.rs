//! A store of 4,500 threads (issue 14: `inspect` printed 4,552 lines with the
//! secrets and findings at the bottom): the short status, findings and
//! secrets come first; long lists stop after the newest 10 unless `--all`;
//! the JSON is unchanged (every thread).

mod common;

use common::Store;

const N: usize = 4_500;

fn big() -> Store {
    let s = Store::copy("healthy");
    let threads: Vec<serde_json::Value> = (0..N)
        .map(|n| {
            serde_json::json!({
                "sessionKey": format!("t{n:04}"),
                "title": format!("Thread {n}"),
                "archived": false,
                "updatedAtMs": 1_700_000_000_000_i64 + n as i64 * 1_000,
                "messages": [],
            })
        })
        .collect();
    let r = s.run_with(
        &["threads", "save", "-"],
        Some(&serde_json::to_string(&threads).unwrap()),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    s
}

fn position(text: &str, what: &str) -> usize {
    text.find(what)
        .unwrap_or_else(|| panic!("no '{what}' in:\n{text}"))
}

#[test]
fn inspect_and_threads_list_stay_short_unless_all() {
    let s = big();
    let r = s.run(&["inspect"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.stdout.lines().count();
    assert!(lines < 100, "{lines} lines:\n{}", r.stdout);
    // Status, findings and secrets before the long sections.
    let findings = position(&r.stdout, "\nFindings\n");
    let secrets = position(&r.stdout, "\nSecrets (mode: file)\n");
    let threads = position(&r.stdout, "\nThreads\n");
    assert!(findings < secrets && secrets < threads, "{}", r.stdout);
    // The newest 10, newest first, then how many more.
    let newest = position(&r.stdout, &format!("t{:04}", N - 1));
    let tenth = position(&r.stdout, &format!("t{:04}", N - 10));
    assert!(newest < tenth);
    assert!(!r.stdout.contains(&format!("t{:04}", N - 11)));
    assert!(
        r.stdout.contains(&format!(
            "… and {} more (use --all to see them all)",
            N - 10
        )),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&format!("{N} threads (0 archived)")));

    let all = s.run(&["inspect", "--all"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    for n in [0, 1234, N - 1] {
        assert!(all.stdout.contains(&format!("t{n:04} ")), "t{n:04}");
    }
    assert!(all.stdout.lines().count() > N);
    assert!(!all.stdout.contains("use --all"));

    // The JSON keeps every thread.
    let json = s.run(&["inspect", "--json"]).json();
    assert_eq!(json["threads"]["threads"].as_array().unwrap().len(), N);
    let json = s.run(&["threads", "list", "--json"]).json();
    assert_eq!(json.as_array().unwrap().len(), N);

    let list = s.run(&["threads", "list", "--lang", "zh"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(list.stdout.lines().count() < 20, "{}", list.stdout);
    assert!(
        list.stdout
            .contains(&format!("……另有 {} 项（加 --all 显示全部）", N - 10)),
        "{}",
        list.stdout
    );
    let list = s.run(&["threads", "list", "--all"]);
    assert!(list.stdout.lines().count() > N);
}
