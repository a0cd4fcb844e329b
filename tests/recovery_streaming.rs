//! Recovery opens a sealed value as XWorkmate writes it as a stream
//! (`unseal`): what it writes, and what it reports, is what the whole-text
//! reading gives — for thread lists many chunks long, in a mirror and in a
//! SQLite row, opened by a key that is not the first one tried, and for
//! values that open to something that is not a document.

mod common;

use std::path::Path;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;
use xworkmate_store::db::{ConfigDb, THREADS_KEY};
use xworkmate_store::document::DocKind;
use xworkmate_store::recovery::{self, *};
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::DataLocation;

const RIGHT: [u8; 32] = [0x42; 32];
const WRONG: [u8; 32] = [0x24; 32];

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An envelope sealed with `aes-gcm`, its fields in XWorkmate's order.
fn seal(key: &[u8; 32], plain: &[u8], aad: &str) -> (String, String) {
    let nonce = [9u8; 12];
    let mut out = Aes256Gcm::new_from_slice(key)
        .unwrap()
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: aad.as_bytes(),
            },
        )
        .unwrap();
    let mac = out.split_off(out.len() - 16);
    let envelope = format!(
        r#"{{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"{}","cipherText":"{}","mac":"{}"}}"#,
        b64(&nonce),
        b64(&out),
        b64(&mac)
    );
    (envelope, STANDARD.encode(&out))
}

/// A thread list of about `mb` MiB: many of the stream's chunks.
fn threads(mb: usize) -> String {
    let long = "消息 lorem ipsum \\\"quoted\\\" ".repeat(40);
    let mut items = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < mb << 20 {
        let item = format!(
            r#"{{"sessionKey":"s{i}","title":"线程 {i}","messages":[{{"role":"user","text":"{long}"}}],"future":{{"n":1.50}}}}"#
        );
        size += item.len() + 1;
        items.push(item);
        i += 1;
    }
    format!("[{}]", items.join(","))
}

fn run_dir(dir: &Path, key: Option<&str>, dry_run: bool) -> RecoveryReport {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: key,
        },
        dry_run,
    )
}

/// A store an old build left: the thread list sealed in its mirror, the
/// wrong key in the key file (tried first), the right one supplied.
fn sealed_store(dir: &Path, envelope: &str) {
    std::fs::write(dir.join("assistant-threads.json"), envelope).unwrap();
    std::fs::create_dir_all(dir.join("gateway-auth")).unwrap();
    std::fs::write(dir.join("gateway-auth/local-state-key.txt"), b64(&WRONG)).unwrap();
}

fn threads_outcome(r: &RecoveryReport) -> &DocumentOutcome {
    r.documents
        .iter()
        .find(|d| d.document == DocKind::Threads)
        .unwrap()
}

#[test]
fn a_long_sealed_mirror_opened_by_the_second_key_is_written_exactly() {
    let plain = threads(3);
    let count = serde_json::from_str::<Vec<serde_json::Value>>(&plain)
        .unwrap()
        .len();
    let (envelope, _) = seal(&RIGHT, plain.as_bytes(), THREADS_KEY);
    let tmp = tempfile::tempdir().unwrap();
    sealed_store(tmp.path(), &envelope);
    let right = b64(&RIGHT);

    // The dry run writes nothing and says what the run does.
    let before = snapshot(tmp.path());
    let dry = run_dir(tmp.path(), Some(&right), true);
    assert_eq!(snapshot(tmp.path()), before, "a dry run writes nothing");
    assert_eq!(dry.status, RecoveryStatus::Migrated);
    assert_eq!(threads_outcome(&dry).thread_count, Some(count));

    let report = run_dir(tmp.path(), Some(&right), false);
    assert_eq!(
        report.status,
        RecoveryStatus::Migrated,
        "{}",
        report.details
    );
    assert_eq!(threads_outcome(&report).action, DocumentAction::Recovered);
    assert_eq!(threads_outcome(&report).thread_count, Some(count));
    let src = report
        .sources
        .iter()
        .find(|s| s.path.ends_with("assistant-threads.json"))
        .unwrap();
    assert_eq!(src.state, SourceState::Unsealed);
    assert_eq!(src.opened_with, Some(KeyOrigin::Supplied));
    assert_eq!(dry.documents, report.documents);
    // Byte for byte, in SQLite and in the mirror.
    assert_eq!(db_value(tmp.path(), THREADS_KEY).as_deref(), Some(&*plain));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("assistant-threads.json")).unwrap(),
        plain
    );
}

#[test]
fn a_sealed_row_in_sqlite_is_opened_as_a_stream_too() {
    let plain = threads(1);
    let (envelope, _) = seal(&RIGHT, plain.as_bytes(), THREADS_KEY);
    let tmp = tempfile::tempdir().unwrap();
    let db = ConfigDb::open_rw(&tmp.path().join("config-store.sqlite3")).unwrap();
    db.upsert(THREADS_KEY, &envelope, 1).unwrap();
    drop(db);
    let report = run_dir(tmp.path(), Some(&b64(&RIGHT)), false);
    assert_eq!(
        report.status,
        RecoveryStatus::Migrated,
        "{}",
        report.details
    );
    assert_eq!(db_value(tmp.path(), THREADS_KEY).as_deref(), Some(&*plain));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("assistant-threads.json")).unwrap(),
        plain
    );
}

/// What the whole-text reading says of these, the stream says too: the
/// same state and the same words.
#[test]
fn envelopes_read_either_way_are_reported_alike() {
    let plain = threads(1);
    let (good, std_alphabet) = seal(&RIGHT, plain.as_bytes(), THREADS_KEY);
    let ct = serde_json::from_str::<serde_json::Value>(&good).unwrap()["cipherText"]
        .as_str()
        .unwrap()
        .to_string();
    let (not_a_list, _) = seal(&RIGHT, br#"{"not":"a list"}"#, THREADS_KEY);
    let (broken_list, _) = seal(&RIGHT, b"[1, 2", THREADS_KEY);
    let cases = [
        // As XWorkmate writes it: streamed.
        ("streamed", good.clone(), SourceState::Unsealed, None),
        // Another alphabet, an extra field: read whole, the same outcome.
        (
            "standard alphabet",
            good.replace(&ct, &std_alphabet),
            SourceState::Unsealed,
            None,
        ),
        (
            "extra field",
            good.replace("}", r#","extra":[1,{"a":null}]}"#),
            SourceState::Unsealed,
            None,
        ),
        (
            "not a thread list",
            not_a_list,
            SourceState::Unreadable,
            Some("opened, but"),
        ),
        (
            "a cut thread list",
            broken_list,
            SourceState::Unreadable,
            Some("opened, but not a thread list"),
        ),
        (
            "damaged base64",
            good.replace(&ct[10..14], "!!!!"),
            SourceState::Locked,
            Some("cipherText is not base64url"),
        ),
    ];
    for (name, envelope, state, words) in cases {
        let tmp = tempfile::tempdir().unwrap();
        sealed_store(tmp.path(), &envelope);
        let report = run_dir(tmp.path(), Some(&b64(&RIGHT)), true);
        let src = report
            .sources
            .iter()
            .find(|s| s.path.ends_with("assistant-threads.json"))
            .unwrap_or_else(|| panic!("{name}: no source"));
        assert_eq!(src.state, state, "{name}: {:?}", src.detail);
        match words {
            Some(w) => assert!(
                src.detail.as_deref().is_some_and(|d| d.starts_with(w)),
                "{name}: {:?}",
                src.detail
            ),
            None => assert_eq!(src.detail, None, "{name}"),
        }
    }
}

/// No key opens it: locked, with the reason the whole reading gives.
#[test]
fn a_sealed_value_no_key_opens_is_locked() {
    let plain = threads(1);
    let (envelope, _) = seal(&RIGHT, plain.as_bytes(), THREADS_KEY);
    let tmp = tempfile::tempdir().unwrap();
    sealed_store(tmp.path(), &envelope);
    let report = run_dir(tmp.path(), None, false);
    assert_eq!(report.status, RecoveryStatus::LockedLegacyState);
    let src = report
        .sources
        .iter()
        .find(|s| s.path.ends_with("assistant-threads.json"))
        .unwrap();
    assert_eq!(src.reason, Some(LockReason::KeyMismatch));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("assistant-threads.json")).unwrap(),
        envelope,
        "a locked value is left as it is"
    );
}

fn run_with(
    dir: &Path,
    key: Option<&str>,
    dry_run: bool,
    progress: &xworkmate_store::progress::Progress,
) -> xworkmate_store::Result<RecoveryReport> {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    recovery::run_with_progress(
        &RecoveryContext {
            location: &loc,
            secrets: &secrets,
            supplied_key: key,
        },
        dry_run,
        progress,
    )
}

/// A recovery counts what it reads, and a cancel while it only looks stops
/// it with nothing written — not even its last-run record.
#[test]
fn recovery_reports_progress_and_a_cancel_while_looking_writes_nothing() {
    use xworkmate_store::progress::Progress;
    let plain = threads(6);
    let (envelope, _) = seal(&RIGHT, plain.as_bytes(), THREADS_KEY);
    let tmp = tempfile::tempdir().unwrap();
    sealed_store(tmp.path(), &envelope);
    let right = b64(&RIGHT);
    let before = snapshot(tmp.path());

    // A dry run counts the sealed mirror it opened.
    let progress = Progress::new();
    run_with(tmp.path(), Some(&right), true, &progress).unwrap();
    let seen = progress.snapshot();
    assert!(seen.total >= envelope.len() as u64, "{seen:?}");
    assert!(seen.done >= envelope.len() as u64 / 2, "{seen:?}");
    assert!(!seen.writing && !seen.cancelled);

    // Cancelled before it starts: nothing read, nothing written.
    let progress = Progress::new();
    assert!(progress.cancel());
    let r = run_with(tmp.path(), Some(&right), false, &progress);
    assert!(
        matches!(r, Err(xworkmate_store::StoreError::Cancelled)),
        "{r:?}"
    );
    assert_eq!(snapshot(tmp.path()), before);

    // Cancelled part-way through the reading.
    let progress = Progress::new();
    let outcome = std::thread::scope(|scope| {
        let run = scope.spawn(|| run_with(tmp.path(), Some(&right), false, &progress));
        let mut honoured = None;
        while !run.is_finished() {
            let now = progress.snapshot();
            if now.done > 0 && honoured.is_none() {
                honoured = Some(progress.cancel());
            }
            std::thread::yield_now();
        }
        (run.join().unwrap(), honoured)
    });
    match outcome {
        (Err(xworkmate_store::StoreError::Cancelled), Some(true)) => {
            eprintln!("cancelled while reading");
            assert_eq!(
                snapshot(tmp.path()),
                before,
                "a cancelled recovery writes nothing"
            );
        }
        // Too late: it was writing already, and finished.
        (Ok(report), Some(false) | None) => {
            assert_eq!(report.status, RecoveryStatus::Migrated);
            assert_eq!(db_value(tmp.path(), THREADS_KEY).as_deref(), Some(&*plain));
        }
        (r, honoured) => panic!("{honoured:?}: {r:?}"),
    }
}
