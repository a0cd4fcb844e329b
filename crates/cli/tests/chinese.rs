//! Every command in `--lang zh`, on copies of the fixture stores: one insta
//! snapshot per command (`tour::GROUPS`), each run checked to be Chinese —
//! no English phrase left (`text::english_runs`: three or more English words
//! in a row outside paths, codes, key names, options, numbers and text in
//! backticks), Chinese punctuation after Chinese characters, and none of
//! GLOSSARY.md's avoid-words.

mod common;

use common::text::{ascii_punctuation_after_cjk, avoid_words, english_runs, glossary};
use common::tour::{group_snapshot, tour, GROUPS};

#[test]
fn every_command_in_chinese() {
    let cases = tour("zh");
    let rows = glossary();
    let mut problems = Vec::new();
    for c in &cases {
        let out = format!("{}\n{}", c.run.stdout, c.run.stderr);
        for line in english_runs(&out, &c.stored) {
            problems.push(format!("{}\n    English: {line}", c.command));
        }
        for line in ascii_punctuation_after_cjk(&out) {
            problems.push(format!("{}\n    ASCII punctuation: {line}", c.command));
        }
        for hit in avoid_words(&out, &c.stored, &rows) {
            problems.push(format!("{}\n    {hit}", c.command));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for group in GROUPS {
        assert!(
            cases.iter().any(|c| c.group == group),
            "the tour has no '{group}'"
        );
        insta::assert_snapshot!(format!("zh_{group}"), group_snapshot(&cases, group));
    }
}

/// The checks catch what they are for.
#[test]
fn the_checks_catch_english_and_ascii_punctuation() {
    let none: Vec<String> = Vec::new();
    assert_eq!(
        english_runs(
            "  说明  The settings and threads cannot be recovered",
            &none
        )
        .len(),
        1
    );
    assert_eq!(english_runs("  原因  key missing", &none).len(), 0);
    assert_eq!(
        english_runs("  状态  nothing to recover（none）", &none).len(),
        1
    );
    for ok in [
        "  ! 旧版数据仍是已加密状态。用 `recover --dry-run` 预览恢复能找回哪些数据。（sealed_legacy）",
        "  settings-snapshot.json  副本文件  设置  已锁定  缺少解密密钥",
        "存储版本 D（XWorkmate 1.1.9 及更高版本）——当前",
        "  --data-dir <DIR>  数据文件夹（其中有 config-store.sqlite3）",
        "  密钥  2（xworkmate.gateway.token、xworkmate.ai_gateway.api_key）",
        "  明文 1.8 KiB  2023-11-14 22:13:20 UTC",
    ] {
        assert!(english_runs(ok, &none).is_empty(), "{ok}");
        assert!(ascii_punctuation_after_cjk(ok).is_empty(), "{ok}");
    }
    // A stored title is the user's, not ours.
    let title = vec!["Release notes draft".to_string()];
    assert!(english_runs("  main  Release notes draft  否", &title).is_empty());
    assert_eq!(
        english_runs("  main  Release notes draft  否", &none).len(),
        1
    );
    for bad in [
        "密钥(模式：文件)",
        "安全存储中: 否",
        "将恢复 (migrated)",
        "已拒绝!",
        "设置, 线程",
    ] {
        assert_eq!(ascii_punctuation_after_cjk(bad).len(), 1, "{bad}");
    }
}
