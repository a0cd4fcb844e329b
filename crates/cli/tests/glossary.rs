//! GLOSSARY.md's table, read as it is: no avoid-word in the CLI's texts —
//! neither in the string literals and help texts of its source, nor in the
//! output of any command in English or Chinese — and Chinese punctuation
//! after Chinese characters (in the source's literals and in Chinese output).

mod common;

use std::path::Path;

use common::text::{ascii_punctuation_after_cjk, avoid_words, glossary, is_cjk, literals};
use common::tour::tour;

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

#[test]
fn the_table_is_read() {
    let rows = glossary();
    assert!(rows.len() >= 15, "{rows:?}");
    let row = |thing: &str| {
        rows.iter()
            .find(|r| r.thing.contains(thing))
            .unwrap_or_else(|| panic!("no row for '{thing}'"))
    };
    let thread = row("conversation");
    assert!(thread.avoid_zh.contains(&"会话".to_string()));
    assert!(thread.avoid_en.contains(&"session".to_string()));
    assert!(row("JSON copy").avoid_zh.contains(&"镜像".to_string()));
    assert!(row("see what would happen")
        .avoid_zh
        .contains(&"演练".to_string()));
    assert!(row("list of past writes")
        .avoid_en
        .contains(&"audit log".to_string()));
}

#[test]
fn the_checks_find_avoid_words() {
    let rows = glossary();
    let none: Vec<String> = Vec::new();
    for bad in [
        "会话已导出",
        "镜像文件",
        "恢复——演练",
        "清除本地状态",
        "本地状态密钥",
        "XWorkmate 数据目录",
        "Last session",
        "SESSION KEY",
        "the audit log",
        "Credentials",
    ] {
        assert!(!avoid_words(bad, &none, &rows).is_empty(), "{bad}");
    }
    for ok in [
        "xworkmate.account.session.token",
        "gateway_password",
        "assistantLastSessionKey",
        "线程已导出",
        "清理本地数据",
    ] {
        assert!(avoid_words(ok, &none, &rows).is_empty(), "{ok}");
    }
}

#[test]
fn the_source_s_texts_use_the_glossary_s_words() {
    let rows = glossary();
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(SRC)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    assert!(files.iter().any(|p| p.ends_with("human.rs")), "{files:?}");
    let mut count = 0;
    for file in &files {
        // cli.rs's doc comments are the English --help.
        let docs = file.ends_with("cli.rs");
        for (line, text) in literals(file, docs) {
            count += 1;
            let at = format!("{}:{line}", rel(file));
            for hit in avoid_words(&text, &[], &rows) {
                problems.push(format!("{at}: {hit}"));
            }
            if text.chars().any(is_cjk) {
                for l in ascii_punctuation_after_cjk(&text) {
                    problems.push(format!("{at}: ASCII punctuation after Chinese: {l}"));
                }
            }
        }
    }
    assert!(
        count > 500,
        "only {count} literals found: the scanner is broken"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn rel(p: &Path) -> String {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(p)
        .display()
        .to_string()
}

/// The scanner finds literals of every kind, and only literals.
#[test]
fn the_scanner_reads_rust_literals() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.rs");
    std::fs::write(
        &file,
        "/// A doc.\nfn f<'a>(x: &'a str) -> char {\n    // \"not this\"\n    let _ = (\"one\", r#\"two \"2\"\"#, \"three \\\n        continued\", '\"', '\\'');\n    'x'\n}\n",
    )
    .unwrap();
    let texts: Vec<String> = literals(&file, true).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        texts,
        ["A doc.", "one", "two \"2\"", "three continued"],
        "{texts:?}"
    );
}

#[test]
fn every_command_s_output_in_both_languages_avoids_the_avoid_words() {
    let rows = glossary();
    let mut problems = Vec::new();
    for lang in ["en", "zh"] {
        for c in tour(lang) {
            let out = format!("{}\n{}", c.run.stdout, c.run.stderr);
            for hit in avoid_words(&out, &c.stored, &rows) {
                problems.push(format!("[{lang}] {}\n    {hit}", c.command));
            }
            if lang == "zh" {
                for l in ascii_punctuation_after_cjk(&out) {
                    problems.push(format!("[zh] {}\n    ASCII punctuation: {l}", c.command));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
