//! Generates a realistic generation-A store for the benchmarks: a thread list
//! of about SIZE_MB MiB (long chat messages, Chinese and English), written the
//! way XWorkmate writes it (SQLite row + mirror), plus settings and an audit
//! trail. `cargo run --release --example gen_store -- SIZE_MB DIR`.

use xworkmate_store::settings::{OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: usize = args.next().and_then(|a| a.parse().ok()).expect("SIZE_MB");
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let loc = DataLocation::explicit(&dir);
    let store = SettingsStore::open(&loc, OpenOptions::default()).unwrap();
    let target = mb * 1024 * 1024;
    let mut threads = String::with_capacity(target + 4096);
    threads.push('[');
    let mut i = 0usize;
    let long = "消息内容 lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ".repeat(8);
    while threads.len() < target {
        if i > 0 {
            threads.push(',');
        }
        threads.push_str(&format!(
            r#"{{"sessionKey":"draft:{i}","title":"线程 {i} — benchmark","archived":{},"updatedAtMs":1700000000000.5,"executionTarget":"local","messageViewMode":"rendered","discoveredSkills":[],"importedSkills":[],"selectedSkillKeys":[],"assistantModelId":"gpt-5.4-mini","gatewayEntryState":null,"messages":["#,
            i % 7 == 0
        ));
        for m in 0..24 {
            if m > 0 {
                threads.push(',');
            }
            threads.push_str(&format!(
                r#"{{"id":"m{m}","role":"{}","text":"{long} #{m}","timestampMs":1700000000000,"toolCallId":null,"toolName":null,"stopReason":null,"pending":false,"error":false}}"#,
                if m % 2 == 0 { "user" } else { "assistant" }
            ));
        }
        threads.push_str("]}");
        i += 1;
    }
    threads.push(']');
    store
        .write_document(xworkmate_store::document::DocKind::Threads, &threads)
        .unwrap();
    store
        .write_document(
            xworkmate_store::document::DocKind::Settings,
            r#"{"appLanguage":"zh","accountUsername":"bench-user","gatewayProfiles":[{"mode":"local","host":"127.0.0.1","port":18789,"tls":false}]}"#,
        )
        .unwrap();
    println!("{} threads, {:.1} MiB", i, threads.len() as f64 / 1048576.0);
}
