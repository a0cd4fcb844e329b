//! kill -9 during every write operation. Each operation runs in a child
//! process (this test binary, re-executed) on a fresh copy of a fixture store
//! and is killed
//! - at every crash point it passes (`XWORKMATE_CRASH_AT=n`: the core sends
//!   itself SIGKILL there — after a temp file is created, half written,
//!   synced, renamed; before and after each row is deleted, each upsert, each
//!   commit; before and after each removal), and
//! - at random moments (a real SIGKILL from here after a random delay within
//!   the operation's measured duration), `XWORKMATE_KILL_TRIALS` times
//!   (default 60; `scripts/soak` runs 500).
//!
//! After every kill the store is checked: each document reads (the way
//! XWorkmate reads it) as before or as after the operation — never torn,
//! never lost, never an older value brought back —, the database passes
//! `quick_check`, every secret present before is present, and a backup being
//! written is absent or whole. Then the operation runs again to completion
//! and the store must equal the uninterrupted result. The figures are
//! printed per operation; any failure fails the test.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use xworkmate_store::clear;
use xworkmate_store::db::ConfigDb;
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::{read_document_readonly, OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

const OP_ENV: &str = "XWORKMATE_FAULT_OP";
const DIR_ENV: &str = "XWORKMATE_FAULT_DIR";
const BACKUP_ENV: &str = "XWORKMATE_FAULT_BACKUP";

/// The write operations under test: (name, fixture store).
const OPS: [(&str, &str); 7] = [
    ("recover", "sealed-with-key-file"),
    ("clear", "healthy"),
    ("clear_with_backup", "healthy"),
    ("settings_save", "healthy"),
    ("threads_save", "healthy"),
    ("clear_generation_d", "gen-c-plus-d"),
    ("rebuild", DAMAGED_DB),
];

/// The healthy store with a database that is not one (`rebuild`).
const DAMAGED_DB: &str = "healthy with a damaged database";

/// The damaged database's bytes: never lost, at its place or kept.
fn damaged_bytes() -> Vec<u8> {
    vec![b'Z'; 12288]
}

fn open(dir: &Path) -> (DataLocation, SecretStore) {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (loc, secrets)
}

/// The new document a save writes: the stored one with one field changed.
fn edited(dir: &Path, doc: DocKind) -> String {
    let (loc, _) = open(dir);
    let text = read_document_readonly(&loc, doc).unwrap().unwrap().text;
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    match doc {
        DocKind::Settings => v["appLanguage"] = "en".into(),
        DocKind::Threads => v[0]["title"] = "renamed by the fault suite".into(),
    }
    serde_json::to_string(&v).unwrap()
}

/// The child: one operation on `XWORKMATE_FAULT_DIR`, then exit 0. Run only by
/// the parent below (it is `#[ignore]`d and does nothing without its env).
#[test]
#[ignore]
fn child() {
    let Some(op) = std::env::var_os(OP_ENV) else {
        return;
    };
    let dir = PathBuf::from(std::env::var_os(DIR_ENV).unwrap());
    let (loc, secrets) = open(&dir);
    // The parent times its random kills from this line.
    {
        use std::io::Write;
        let mut err = std::io::stderr();
        let _ = writeln!(err, "start");
        let _ = err.flush();
    }
    let start = Instant::now();
    match op.to_str().unwrap() {
        "recover" => {
            let r = recovery::run(
                &RecoveryContext {
                    location: &loc,
                    secrets: &secrets,
                    supplied_key: None,
                },
                false,
            );
            assert!(
                matches!(r.status, RecoveryStatus::Migrated | RecoveryStatus::None),
                "{r:?}"
            );
        }
        "clear" | "clear_generation_d" => {
            let plan = clear::plan(&loc, &secrets).unwrap();
            clear::execute(&loc, &secrets, &plan, None).unwrap();
        }
        "clear_with_backup" => {
            let plan = clear::plan(&loc, &secrets).unwrap();
            let backup = PathBuf::from(std::env::var_os(BACKUP_ENV).unwrap());
            // A rerun after a kill: the first backup (whole, or never linked
            // in) must not be replaced; a new name is taken.
            let path = (0..)
                .map(|n| backup.with_extension(format!("{n}.json")))
                .find(|p| !p.exists())
                .unwrap();
            clear::execute(&loc, &secrets, &plan, Some(&path)).unwrap();
        }
        "settings_save" => {
            let store = SettingsStore::open(&loc, OpenOptions::default()).unwrap();
            store
                .write_document(DocKind::Settings, &edited(&dir, DocKind::Settings))
                .unwrap();
        }
        "threads_save" => {
            let store = SettingsStore::open(&loc, OpenOptions::default()).unwrap();
            store
                .write_document(DocKind::Threads, &edited(&dir, DocKind::Threads))
                .unwrap();
        }
        "rebuild" => {
            // A rerun after the new database is in place has nothing to do.
            let db = loc.database();
            if xworkmate_store::inspect::database_integrity(&db).0
                == xworkmate_store::inspect::Integrity::Corrupt
            {
                xworkmate_store::rebuild::execute(&loc).unwrap();
            }
        }
        other => panic!("unknown operation {other}"),
    }
    eprintln!("done {}", start.elapsed().as_micros());
}

/// What the checks compare.
#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    /// Each document as XWorkmate reads it (None: no readable document).
    docs: BTreeMap<&'static str, Option<String>>,
    /// Each source on its own — the SQLite row and the mirror file of each
    /// document —, so that a torn mirror behind a good row is seen too.
    sources: BTreeMap<String, Option<Vec<u8>>>,
    /// Secrets present, by name.
    secrets: Vec<String>,
    /// For file-layout generations: every file's bytes (relative path).
    files: BTreeMap<PathBuf, Vec<u8>>,
}

fn files_below(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                // This tool's own folder (its generation record): not the store's.
                if p.file_name().is_some_and(|n| n == ".xworkmate-diagnostics") {
                    continue;
                }
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

fn state(op: &str, dir: &Path) -> State {
    let (loc, secrets) = open(dir);
    let mut docs = BTreeMap::new();
    for doc in DocKind::ALL {
        let text = read_document_readonly(&loc, doc).unwrap().map(|d| d.text);
        docs.insert(doc.as_str(), text);
    }
    let mut names: Vec<String> = secrets
        .entries(false)
        .into_iter()
        .filter(|e| e.present)
        .map(|e| e.name)
        .collect();
    names.sort();
    let mut sources = BTreeMap::new();
    let db = ConfigDb::open_ro(&loc.database()).ok().flatten();
    for doc in DocKind::ALL {
        let row = db
            .as_ref()
            .and_then(|d| d.get(doc.storage_key()).ok().flatten())
            .map(|e| e.value.into_bytes());
        sources.insert(format!("row {}", doc.as_str()), row);
        let mirror = std::fs::read(doc.mirror_path(&loc)).ok();
        sources.insert(format!("mirror {}", doc.as_str()), mirror);
    }
    let files = if op == "clear_generation_d" {
        files_below(dir)
    } else {
        BTreeMap::new()
    };
    State {
        docs,
        sources,
        secrets: names,
        files,
    }
}

/// How a store after a kill compares with before and after.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    kills: usize,
    failures: usize,
    lost: usize,
    torn: usize,
    resurrected: usize,
}

/// Checks a killed store; returns problems (empty: fine).
fn check_killed(op: &str, dir: &Path, before: &State, after: &State, t: &mut Tally) -> Vec<String> {
    let mut problems = Vec::new();
    let now = state(op, dir);
    for (doc, value) in &now.docs {
        let (b, a) = (&before.docs[doc], &after.docs[doc]);
        if value == b || value == a {
            continue;
        }
        if value.is_none() {
            t.lost += 1;
            problems.push(format!(
                "{doc} is gone (before: {}, after: {})",
                b.is_some(),
                a.is_some()
            ));
        } else {
            t.torn += 1;
            problems.push(format!("{doc} reads as neither before nor after"));
        }
    }
    for (source, value) in &now.sources {
        let (b, a) = (&before.sources[source], &after.sources[source]);
        if value != b && value != a {
            if value.is_none() {
                t.lost += 1;
                problems.push(format!("the {source} is gone"));
            } else {
                t.torn += 1;
                problems.push(format!("the {source} is neither as before nor as after"));
            }
        }
    }
    for name in &before.secrets {
        if !now.secrets.contains(name) {
            problems.push(format!("the secret {name} is missing"));
        }
    }
    let db = dir.join("config-store.sqlite3");
    // `rebuild` starts from a damaged database: still in place is "before".
    let damaged_in_place =
        op == "rebuild" && std::fs::read(&db).is_ok_and(|b| b == damaged_bytes());
    if db.exists() && !damaged_in_place {
        match ConfigDb::open_ro(&db) {
            Ok(Some(c)) => {
                if let Err(e) = c.quick_check() {
                    problems.push(format!("the database fails quick_check: {e}"));
                }
            }
            Ok(None) => {}
            Err(e) => problems.push(format!("the database cannot be opened: {e}")),
        }
    }
    if op == "clear_generation_d" {
        // Each file: as before, or gone if the plan removes it; nothing else.
        for (path, bytes) in &now.files {
            match before.files.get(path) {
                Some(b) if b == bytes => {}
                Some(_) => {
                    t.torn += 1;
                    problems.push(format!("{} changed", path.display()));
                }
                None => problems.push(format!("{} appeared", path.display())),
            }
        }
        for path in before.files.keys() {
            if !now.files.contains_key(path) && after.files.contains_key(path) {
                t.lost += 1;
                problems.push(format!(
                    "{} was removed but is not in the plan",
                    path.display()
                ));
            }
        }
    }
    problems
}

fn copy(store: &str) -> (tempfile::TempDir, PathBuf) {
    if store == DAMAGED_DB {
        let (g, dir) = xworkmate_testkit::store_copy("healthy");
        std::fs::write(dir.join("config-store.sqlite3"), damaged_bytes()).unwrap();
        return (g, dir);
    }
    xworkmate_testkit::store_copy(store)
}

/// `rebuild`: the damaged database is at its place or kept, whole.
fn damaged_kept(dir: &Path) -> bool {
    let want = damaged_bytes();
    if std::fs::read(dir.join("config-store.sqlite3")).is_ok_and(|b| b == want) {
        return true;
    }
    std::fs::read_dir(dir.join(".xworkmate-diagnostics"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| std::fs::read(e.path()).is_ok_and(|b| b == want))
}

/// Runs the child on `dir`; `crash_at` sets a crash point, `kill_after` kills
/// it from here that long after the operation started. Returns (killed,
/// exited ok, how long the operation took when it finished).
fn run_child(
    op: &str,
    dir: &Path,
    backup: &Path,
    crash_at: Option<u64>,
    kill_after: Option<Duration>,
) -> (bool, bool, Option<Duration>) {
    use std::io::{BufRead, Read};
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        "child",
        "--test-threads=1",
        "--nocapture",
    ])
    .env(OP_ENV, op)
    .env(DIR_ENV, dir)
    .env(BACKUP_ENV, backup)
    .env_remove("XWORKMATE_CRASH_AT")
    .env_remove("XWORKMATE_CRASH_LOG")
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    if let Some(n) = crash_at {
        cmd.env("XWORKMATE_CRASH_AT", n.to_string());
    }
    let mut child = cmd.spawn().expect("the child starts");
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut text = String::new();
    if let Some(delay) = kill_after {
        // Wait for the operation to start, then kill it `delay` into it.
        let mut line = String::new();
        let _ = err.read_line(&mut line);
        text.push_str(&line);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
    }
    let _ = err.read_to_string(&mut text);
    let status = child.wait().unwrap();
    let killed = status.signal() == Some(9);
    let ok = status.success();
    if !killed && !ok {
        eprintln!("{op}: the child failed: {text}");
    }
    let took = text
        .lines()
        .find_map(|l| l.strip_prefix("done "))
        .and_then(|us| us.trim().parse().ok())
        .map(Duration::from_micros);
    (killed, ok, took)
}

/// A small deterministic PRNG (xorshift64*), seeded per run and printed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// One kill: check the killed store, then rerun to completion and compare.
#[allow(clippy::too_many_arguments)]
fn one_kill(
    op: &str,
    store: &str,
    before: &State,
    after: &State,
    crash_at: Option<u64>,
    kill_after: Option<Duration>,
    t: &mut Tally,
    log: &mut Vec<String>,
) -> bool {
    let (_g, dir) = copy(store);
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("backup");
    let (killed, ok, _) = run_child(op, &dir, &backup, crash_at, kill_after);
    if !killed {
        if !ok {
            t.failures += 1;
            log.push(format!("{op}: the operation failed without a kill"));
        }
        return false;
    }
    t.kills += 1;
    let what = match (crash_at, kill_after) {
        (Some(n), _) => format!("crash point {n}"),
        (_, Some(d)) => format!("SIGKILL after {d:?}"),
        _ => unreachable!(),
    };
    let mut problems = check_killed(op, &dir, before, after, t);
    if op == "rebuild" && !damaged_kept(&dir) {
        t.lost += 1;
        problems.push("the damaged database is neither in place nor kept".into());
    }
    // A backup being written is absent or whole.
    if let Ok(rd) = std::fs::read_dir(out.path()) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("backup.") && name.ends_with(".json") {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    t.torn += 1;
                    problems.push(format!("the backup {name} is torn"));
                }
            }
        }
    }
    // The rerun completes and gives the uninterrupted result.
    let (_, rerun_ok, _) = run_child(op, &dir, &backup, None, None);
    if !rerun_ok {
        problems.push("the rerun failed".into());
    } else {
        let final_state = state(op, &dir);
        if final_state.docs != after.docs {
            t.resurrected += 1;
            problems.push(format!(
                "after the rerun the documents differ from the uninterrupted result: {:?}",
                final_state
                    .docs
                    .iter()
                    .map(|(k, v)| (k, v.as_ref().map(String::len)))
                    .collect::<Vec<_>>()
            ));
        }
        if op == "clear_generation_d" && final_state.files != after.files {
            problems.push("after the rerun the files differ from the uninterrupted result".into());
        }
        for name in &before.secrets {
            if !final_state.secrets.contains(name) {
                problems.push(format!("after the rerun the secret {name} is missing"));
            }
        }
    }
    if !problems.is_empty() {
        t.failures += 1;
        log.push(format!("{op} ({what}): {}", problems.join("; ")));
    }
    true
}

#[test]
fn kill_9_during_every_write_leaves_a_consistent_store() {
    let trials: usize = std::env::var("XWORKMATE_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("XWORKMATE_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("kill -9 suite: {trials} random kills per operation, seed {seed} (XWORKMATE_KILL_SEED to repeat)");
    let mut rng = Rng(seed);
    let mut log = Vec::new();
    let mut rows = Vec::new();
    for (op, store) in OPS {
        // Before, and the uninterrupted result (timed).
        let (_b, bdir) = copy(store);
        let before = state(op, &bdir);
        let mut durations = Vec::new();
        let mut after = None;
        for _ in 0..3 {
            let (_a, adir) = copy(store);
            let out = tempfile::tempdir().unwrap();
            let (_, ok, took) = run_child(op, &adir, &out.path().join("backup"), None, None);
            assert!(ok, "{op}: the uninterrupted run fails");
            durations.push(took.expect("the child reports its time"));
            after = Some(state(op, &adir));
        }
        let after = after.unwrap();
        assert_ne!(before, after, "{op}: the operation changes nothing");
        durations.sort();
        let span = durations[1];

        let mut points = Tally::default();
        // Every crash point, until a run passes them all.
        let mut n = 1;
        while one_kill(
            op,
            store,
            &before,
            &after,
            Some(n),
            None,
            &mut points,
            &mut log,
        ) {
            n += 1;
            assert!(n < 500, "{op}: more than 500 crash points?");
        }
        let mut random = Tally::default();
        let mut attempts = 0;
        while random.kills < trials {
            attempts += 1;
            assert!(
                attempts < trials * 20,
                "{op}: kills keep missing the operation"
            );
            let delay = Duration::from_micros(rng.next() % (span.as_micros() as u64).max(1));
            one_kill(
                op,
                store,
                &before,
                &after,
                None,
                Some(delay),
                &mut random,
                &mut log,
            );
        }
        rows.push((op, points, random, span));
    }
    println!();
    println!(
        "{:<20} {:>12} {:>13} {:>9} {:>5} {:>5} {:>12} {:>10}",
        "operation",
        "crash points",
        "random kills",
        "failures",
        "lost",
        "torn",
        "resurrected",
        "run (ms)"
    );
    let mut failures = 0;
    for (op, p, r, span) in &rows {
        failures += p.failures + r.failures;
        println!(
            "{:<20} {:>12} {:>13} {:>9} {:>5} {:>5} {:>12} {:>10.1}",
            op,
            p.kills,
            r.kills,
            p.failures + r.failures,
            p.lost + r.lost,
            p.torn + r.torn,
            p.resurrected + r.resurrected,
            span.as_secs_f64() * 1000.0
        );
    }
    for line in &log {
        println!("FAILED {line}");
    }
    assert_eq!(
        failures,
        0,
        "{} failed trials (seed {seed}):\n{}",
        failures,
        log.join("\n")
    );
}
