//! Every command of the CLI, in one language, on copies of the fixture stores:
//! the human output of each (stdout and stderr), grouped by command, for the
//! Chinese snapshots (`chinese.rs`) and the glossary checks (`glossary.rs`).

use std::path::Path;

use super::text::stored_texts;
use super::{fixture_key, run, Run, Store, STORES};
use xworkmate_testkit::GENERATION_STORES;

/// One run of the tour.
pub struct Case {
    /// The snapshot it belongs to (`inspect`, `errors`, `help`, …).
    pub group: &'static str,
    /// The command line, as shown in the snapshot (`[TMP]` for the temp root).
    pub command: String,
    pub run: Run,
    /// The user's texts (thread titles) the output may show as they are.
    pub stored: Vec<String>,
}

impl Case {
    pub fn snapshot(&self) -> String {
        format!("$ {}\n{}", self.command, self.run.text_snapshot())
    }
}

/// The snapshot text of a group: each case's command and output.
pub fn group_snapshot(cases: &[Case], group: &str) -> String {
    cases
        .iter()
        .filter(|c| c.group == group)
        .map(Case::snapshot)
        .collect::<Vec<_>>()
        .join("\n\n────────\n\n")
}

pub const GROUPS: [&str; 21] = [
    "inspect",
    "inspect_all",
    "threads_list",
    "threads_list_all",
    "settings_show",
    "report",
    "report_from",
    "recover_dry_run",
    "recover",
    "recover_test_key",
    "clear_dry_run",
    "clear_refused",
    "clear_yes",
    "restore_dry_run",
    "restore_refused",
    "restore_yes",
    "export_report",
    "saves",
    "threads_export",
    "errors",
    "help",
];

struct Tour {
    lang: &'static str,
    cases: Vec<Case>,
    /// The titles of each store (by data folder), read once.
    stored: std::collections::HashMap<String, Vec<String>>,
}

impl Tour {
    /// Runs `args` on `store` (with `--lang`), as `group`.
    fn on(&mut self, group: &'static str, store: &Store, args: &[&str]) -> Run {
        self.with(group, store, args, None, &[])
    }

    fn with(
        &mut self,
        group: &'static str,
        store: &Store,
        args: &[&str],
        stdin: Option<&str>,
        env: &[(&str, &str)],
    ) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--lang", self.lang]);
        let r = store.run_with(&all, stdin, env);
        let stored = self
            .stored
            .entry(store.dir().to_string())
            .or_insert_with(|| stored_of(store))
            .clone();
        self.push(
            group,
            store.root(),
            store.dir(),
            &all,
            env,
            r.clone(),
            stored,
        );
        r
    }

    /// A run without the store's `--data-dir`/`--secrets` (usage errors
    /// about them, `--lang` left out on purpose).
    fn raw(&mut self, group: &'static str, store: &Store, args: &[&str], env: &[(&str, &str)]) {
        let r = run(args, None, env).normalised(store.root());
        self.push(group, store.root(), "", args, env, r, Vec::new());
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        group: &'static str,
        root: &Path,
        dir: &str,
        args: &[&str],
        env: &[(&str, &str)],
        run: Run,
        stored: Vec<String>,
    ) {
        let root = root.to_str().unwrap();
        let mut command: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        command.push("xworkmate-diag".into());
        if !dir.is_empty() {
            command.push(format!("--data-dir {dir} --secrets file"));
        }
        command.extend(args.iter().map(|a| a.to_string()));
        self.cases.push(Case {
            group,
            command: command.join(" ").replace(root, "[TMP]"),
            run,
            stored,
        });
    }
}

/// The user's texts a store's output may show.
fn stored_of(store: &Store) -> Vec<String> {
    let json = |args: &[&str]| {
        serde_json::from_str(&store.run(args).stdout).unwrap_or(serde_json::Value::Null)
    };
    stored_texts(
        &json(&["inspect", "--json"]),
        &json(&["settings", "show", "--json"]),
    )
}

/// A copy of `healthy` with 25 threads (more than a list shows without
/// `--all`), saved through the CLI.
fn big_store() -> Store {
    let s = Store::copy("healthy");
    let threads: Vec<serde_json::Value> = (1..=25)
        .map(|n| {
            serde_json::json!({
                "sessionKey": format!("thread-{n:02}"),
                "title": format!("第 {n} 个线程"),
                "archived": n % 5 == 0,
                "updatedAtMs": 1_700_000_000_000_i64 + n * 60_000,
                "messages": [{"id": "1", "text": "…"}],
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

/// Every command in `lang` (`zh` or `en`).
pub fn tour(lang: &'static str) -> Vec<Case> {
    let mut t = Tour {
        lang,
        cases: Vec::new(),
        stored: Default::default(),
    };
    let every: Vec<&str> = STORES
        .iter()
        .chain(GENERATION_STORES.iter())
        .copied()
        .collect();

    // Read-only commands on every store.
    for name in &every {
        let s = Store::copy(name);
        t.on("inspect", &s, &["inspect"]);
        t.on("report", &s, &["report"]);
        t.on("recover_dry_run", &s, &["recover", "--dry-run"]);
        t.on("clear_dry_run", &s, &["clear", "--dry-run"]);
    }
    let s = Store::copy("healthy");
    if lang == "zh" {
        // The language from the locale; Traditional Chinese says it is
        // Simplified, once.
        for locale in ["zh_CN.UTF-8", "zh_TW.UTF-8"] {
            let r = s.run_with(&["inspect"], None, &[("LANG", locale)]);
            let stored = stored_of(&s);
            t.push(
                "inspect",
                s.root(),
                s.dir(),
                &["inspect"],
                &[("LANG", locale)],
                r,
                stored,
            );
        }
    }

    // Long lists.
    let big = big_store();
    t.on("inspect_all", &big, &["inspect"]);
    t.on("inspect_all", &big, &["inspect", "--all"]);
    t.on("threads_list_all", &big, &["threads", "list"]);
    t.on("threads_list_all", &big, &["threads", "list", "--all"]);
    for name in ["healthy", "locked"] {
        let s = Store::copy(name);
        t.on("threads_list", &s, &["threads", "list"]);
        t.on("settings_show", &s, &["settings", "show"]);
    }

    // Recovery.
    for name in ["sealed-with-key-file", "locked", "shared-preferences"] {
        t.on("recover", &Store::copy(name), &["recover"]);
    }
    let s = Store::copy("sealed-with-key-file");
    std::fs::remove_file(s.data_dir.join("gateway-auth/local-state-key.txt")).unwrap();
    let key = fixture_key();
    t.with(
        "recover_test_key",
        &s,
        &["recover", "--test-key", "--key", "-"],
        Some(&key),
        &[],
    );
    t.on(
        "recover_test_key",
        &s,
        &[
            "recover",
            "--test-key",
            "--key",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ],
    );
    t.with(
        "recover_test_key",
        &s,
        &["recover", "--dry-run", "--key", "-"],
        Some(&key),
        &[],
    );

    // Clear, then restore from its backup.
    let s = Store::copy("healthy");
    t.on("clear_refused", &s, &["clear"]);
    let backup = s.root().join("backup.json");
    let backup = backup.to_str().unwrap();
    t.on("clear_yes", &s, &["clear", "--yes", "--backup", backup]);
    t.on("clear_yes", &s, &["clear", "--yes"]);
    t.on("restore_dry_run", &s, &["restore", backup, "--dry-run"]);
    t.on("restore_refused", &s, &["restore", backup]);
    t.on("restore_yes", &s, &["restore", backup, "--yes"]);
    // Everything is back: nothing to write.
    t.on("restore_dry_run", &s, &["restore", backup, "--dry-run"]);
    // Other settings now: a restore would replace them, only with --replace.
    let settings = s.root().join("other-settings.json");
    std::fs::write(&settings, r#"{"appLanguage":"en"}"#).unwrap();
    let r = s.run(&["settings", "save", settings.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    t.on("restore_dry_run", &s, &["restore", backup, "--dry-run"]);
    t.on("restore_refused", &s, &["restore", backup, "--yes"]);
    let safety = s.root().join("replaced.json");
    t.on(
        "restore_yes",
        &s,
        &[
            "restore",
            backup,
            "--yes",
            "--replace",
            "--backup",
            safety.to_str().unwrap(),
        ],
    );
    let s = Store::copy("shared-preferences");
    t.on("clear_yes", &s, &["clear", "--yes"]);
    let s = Store::copy("gen-c-plus-d");
    t.on(
        "clear_dry_run",
        &s,
        &["clear", "--dry-run", "--generation", "C"],
    );

    // Support reports.
    for name in ["healthy", "locked"] {
        let s = Store::copy(name);
        let out = s.root().join("support.json");
        let out = out.to_str().unwrap();
        t.on("export_report", &s, &["export-report", "--out", out]);
        t.on("report_from", &s, &["report", "--from", out]);
    }

    // Saves and exports.
    let s = Store::empty("new-store");
    let settings = s.root().join("settings.json");
    std::fs::write(&settings, r#"{"appLanguage":"zh"}"#).unwrap();
    t.on(
        "saves",
        &s,
        &["settings", "save", settings.to_str().unwrap()],
    );
    t.with(
        "saves",
        &s,
        &["threads", "save", "-"],
        Some(r#"[{"sessionKey":"a","title":"A","archived":false,"updatedAtMs":1700000000000,"messages":[]}]"#),
        &[],
    );
    let s = Store::copy("gen-c-plus-d");
    for (generation, file) in [("C", "c.md"), ("D", "d.html")] {
        let out = s.root().join(file);
        t.on(
            "threads_export",
            &s,
            &[
                "threads",
                "export",
                "--generation",
                generation,
                "--out",
                out.to_str().unwrap(),
            ],
        );
    }

    errors(&mut t);
    help(&mut t);
    t.cases
}

/// Every kind of error a person can meet, on stderr.
fn errors(t: &mut Tour) {
    let s = Store::copy("healthy");
    let e = "errors";
    let lang = t.lang;
    t.on(e, &s, &["frobnicate"]);
    t.on(e, &s, &["inspec"]);
    t.on(e, &s, &["inspect", "--foo"]);
    t.on(e, &s, &["settings"]);
    t.on(e, &s, &["restore"]);
    t.on(e, &s, &["recover", "--key", "x", "--key-file", "y"]);
    t.on(e, &s, &["clear", "--generation", "Q"]);
    t.on(
        e,
        &s,
        &["threads", "export", "--out", "x.txt", "--format", "pdf"],
    );
    t.on(e, &s, &["recover", "--test-key"]);
    // A key typed in the wrong place is not echoed.
    t.on(e, &s, &["inspect", "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0"]);
    t.raw(
        e,
        &s,
        &[
            "--data-dir",
            s.dir(),
            "--secrets",
            "bad",
            "inspect",
            "--lang",
            lang,
        ],
        &[],
    );
    // --lang itself is wrong: the language comes from the locale.
    let locale = if lang == "zh" { "zh_CN.UTF-8" } else { "C" };
    t.raw(
        e,
        &s,
        &["--data-dir", s.dir(), "--lang", "fr", "inspect"],
        &[("LANG", locale)],
    );
    t.on(e, &s, &["threads", "save", "/nonexistent/threads.json"]);
    let bad = s.root().join("bad.json");
    std::fs::write(&bad, r#"{"notSettings":true}"#).unwrap();
    t.on(e, &s, &["settings", "save", bad.to_str().unwrap()]);
    t.on(e, &s, &["recover", "--test-key", "--key", "short"]);
    t.with(
        e,
        &s,
        &["recover", "--test-key", "--key", "-"],
        Some("short"),
        &[],
    );
    t.on(
        e,
        &s,
        &[
            "recover",
            "--test-key",
            "--key-file",
            "/nonexistent/key.txt",
        ],
    );
    let out = s.root().join("support.json");
    std::fs::write(&out, "{}").unwrap();
    t.on(e, &s, &["export-report", "--out", out.to_str().unwrap()]);
    t.on(e, &s, &["report", "--from", bad.to_str().unwrap()]);
    t.on(e, &s, &["restore", bad.to_str().unwrap(), "--dry-run"]);
    t.on(e, &s, &["clear", "--generation", "B2", "--dry-run"]);
    let none = Store::empty("nothing-here");
    t.on(
        e,
        &none,
        &["threads", "export", "--out", "/nonexistent/x.html"],
    );
    let c = Store::copy("gen-a-plus-c");
    t.on(e, &c, &["recover"]);
    let settings = c.root().join("settings.json");
    std::fs::write(&settings, r#"{"appLanguage":"zh"}"#).unwrap();
    t.on(e, &c, &["settings", "save", settings.to_str().unwrap()]);
    let inside = c.data_dir.join("x.html");
    t.on(
        e,
        &c,
        &["threads", "export", "--out", inside.to_str().unwrap()],
    );
    let outside = c.root().join("threads.html");
    std::fs::write(&outside, "").unwrap();
    t.on(
        e,
        &c,
        &["threads", "export", "--out", outside.to_str().unwrap()],
    );
    t.on(
        e,
        &c,
        &["clear", "--yes", "--backup", outside.to_str().unwrap()],
    );
    let f = Store::copy("sealed-with-key-file");
    std::fs::create_dir(f.data_dir.join("config-store.sqlite3")).unwrap();
    t.on(e, &f, &["recover"]);
}

/// `--help` of every command (and `-h` and `help <command>`).
fn help(t: &mut Tour) {
    let s = Store::copy("healthy");
    let h = "help";
    for path in [
        "",
        "inspect",
        "report",
        "recover",
        "clear",
        "export-report",
        "restore",
        "settings",
        "settings show",
        "settings save",
        "threads",
        "threads list",
        "threads save",
        "threads export",
    ] {
        let mut args: Vec<&str> = path.split_whitespace().collect();
        args.push("--help");
        t.on(h, &s, &args);
    }
    t.on(h, &s, &["-h"]);
    t.on(h, &s, &["clear", "-h"]);
    // `help` takes every later word as a command name: --lang goes first.
    let lang = t.lang;
    t.raw(h, &s, &["--lang", lang, "help", "threads", "export"], &[]);
}
