//! Benchmark: inspect of a store whose thread list is ~50 MiB (SQLite entry and
//! mirror). Prints the numbers; the target is "well under a second" in release.
//! Run: `cargo bench --bench inspect_large`.

use std::time::Instant;

use xworkmate_store::secret::{SecretStore, SecretsMode};
use xworkmate_store::settings::{OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let loc = DataLocation::explicit(dir.path());
    let store = SettingsStore::open(&loc, OpenOptions::default()).unwrap();
    let mut threads = String::from("[");
    let mut i = 0;
    while threads.len() < 50 * 1024 * 1024 {
        if i > 0 {
            threads.push(',');
        }
        threads.push_str(&format!(r#"{{"sessionKey":"draft:{i}","title":"线程 {i}","archived":{},"updatedAtMs":1700000000000.5,"executionTarget":"local","messageViewMode":"rendered","messages":["#, i % 7 == 0));
        for m in 0..20 {
            if m > 0 {
                threads.push(',');
            }
            threads.push_str(&format!(r#"{{"id":"m{m}","role":"user","text":"消息 {m} lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua","timestampMs":1700000000000,"toolCallId":null,"toolName":null,"stopReason":null,"pending":false,"error":false}}"#));
        }
        threads.push_str("]}");
        i += 1;
    }
    threads.push(']');
    store
        .put_entry("xworkmate.assistant.threads", &threads)
        .unwrap();
    std::fs::write(loc.threads_mirror(), &threads).unwrap();
    store
        .save_settings(&serde_json::json!({"appLanguage": "en"}))
        .unwrap();
    drop(store);
    let secrets = SecretStore::new(&loc, SecretsMode::File);
    let mb = threads.len() as f64 / (1024.0 * 1024.0);
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let report = xworkmate_store::inspect::inspect(&loc, &secrets);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(report.threads.count, i);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "inspect_large: thread list {mb:.1} MiB ({i} threads, SQLite + mirror): min {:.0} ms, median {:.0} ms, max {:.0} ms over {} runs",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}
