//! A clear that stops part-way (an item that cannot be removed once the clear
//! has begun) says exactly what it removed and what remains, keeps the read
//! order (what remains reads as before), and a rerun finishes the job.

mod common;

use common::*;
use xworkmate_store::clear::{self, RemovalKind};
use xworkmate_store::document::DocKind;
use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::read_document_readonly;
use xworkmate_store::{DataLocation, ErrorCode};

fn open(dir: &std::path::Path) -> (DataLocation, SecretStore) {
    let loc = DataLocation::explicit(dir);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    (loc, secrets)
}

#[test]
fn generation_a_lists_removed_and_remaining_and_keeps_the_read_order() {
    let (_t, dir) = store_copy("healthy");
    let (loc, secrets) = open(&dir);
    let threads_before = read_document_readonly(&loc, DocKind::Threads)
        .unwrap()
        .unwrap()
        .text;
    let plan = clear::plan(&loc, &secrets).unwrap();
    // After the plan, the threads mirror becomes something unlink cannot remove.
    let mirror = dir.join("assistant-threads.json");
    std::fs::remove_file(&mirror).unwrap();
    std::fs::create_dir(&mirror).unwrap();
    std::fs::write(mirror.join("x"), "x").unwrap();

    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    let failure = outcome.failure.as_ref().expect("the clear stopped");
    assert_eq!(failure.code, ErrorCode::IoError, "{failure:?}");
    let removed: Vec<_> = outcome.removed.iter().map(|r| r.path.clone()).collect();
    assert_eq!(removed, vec![dir.join("settings-snapshot.json")]);
    // The directory in the mirror's place, and both rows (never deleted: the
    // rows go last).
    assert_eq!(outcome.remaining.len(), 3, "{:?}", outcome.remaining);
    assert_eq!(
        outcome
            .remaining
            .iter()
            .filter(|r| r.kind == RemovalKind::SqliteRow)
            .count(),
        2
    );
    assert_eq!(
        outcome.removed.len() + outcome.remaining.len(),
        plan.removals.len()
    );
    // What remains reads as before: nothing older brought back, nothing lost.
    let threads_now = read_document_readonly(&loc, DocKind::Threads)
        .unwrap()
        .unwrap()
        .text;
    assert_eq!(threads_now, threads_before);
    assert!(read_document_readonly(&loc, DocKind::Settings)
        .unwrap()
        .is_some());

    // Fixed, the rerun finishes.
    std::fs::remove_dir_all(&mirror).unwrap();
    let plan = clear::plan(&loc, &secrets).unwrap();
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert!(
        outcome.failure.is_none() && outcome.remaining.is_empty(),
        "{outcome:?}"
    );
    assert!(read_document_readonly(&loc, DocKind::Threads)
        .unwrap()
        .is_none());
}

#[test]
fn a_later_generation_lists_removed_and_remaining() {
    let (_t, dir) = store_copy("gen-c");
    let (loc, secrets) = open(&dir);
    let plan = clear::plan(&loc, &secrets).unwrap();
    assert_eq!(plan.removals.len(), 3);
    let second = plan.removals[1].path.clone();
    std::fs::remove_file(&second).unwrap();
    std::fs::create_dir(&second).unwrap();
    std::fs::write(second.join("x"), "x").unwrap();
    let outcome = clear::execute(&loc, &secrets, &plan, None).unwrap();
    assert!(outcome.failure.is_some());
    assert_eq!(outcome.removed, vec![plan.removals[0].clone()]);
    assert_eq!(outcome.remaining, plan.removals[1..].to_vec());
}
