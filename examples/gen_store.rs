//! Generates a realistic generation-A store for the benchmarks: a thread list
//! of about SIZE_MB MiB (long chat messages, Chinese and English), written the
//! way XWorkmate writes it (SQLite row + mirror), plus settings and an audit
//! trail. `cargo run --release --example gen_store -- SIZE_MB DIR [--sealed]`.
//!
//! `--sealed`: the store an old build left — no database, the thread list in
//! its mirror file sealed (AES-256-GCM, the legacy envelope) with the key in
//! `gateway-auth/local-state-key.txt`, and plain settings: what `recover`
//! opens and writes back in plain form.
//!
//! `gen_store --unseal DIR OUT`: the recover benchmark's floor for the
//! decryption — the sealed thread list of a `--sealed` store opened the
//! plain way (read whole, base64-decoded, `aes-gcm` in memory), its
//! plaintext written to OUT.

use xworkmate_store::settings::{OpenOptions, SettingsStore};
use xworkmate_store::DataLocation;

fn main() {
    let mut args = std::env::args().skip(1);
    if std::env::args().nth(1).as_deref() == Some("--unseal") {
        let dir = std::path::PathBuf::from(std::env::args().nth(2).expect("DIR"));
        let out = std::env::args().nth(3).expect("OUT");
        let text = std::fs::read_to_string(dir.join("assistant-threads.json")).unwrap();
        let key = std::fs::read_to_string(dir.join("gateway-auth/local-state-key.txt")).unwrap();
        std::fs::write(out, unseal_plainly(&text, key.trim())).unwrap();
        return;
    }
    let mb: usize = args.next().and_then(|a| a.parse().ok()).expect("SIZE_MB");
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    let sealed = args.next().as_deref() == Some("--sealed");
    std::fs::create_dir_all(&dir).unwrap();
    let loc = DataLocation::explicit(&dir);
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
    let settings = r#"{"appLanguage":"zh","accountUsername":"bench-user","gatewayProfiles":[{"mode":"local","host":"127.0.0.1","port":18789,"tls":false}]}"#;
    if sealed {
        seal_into(&dir, &threads, settings);
    } else {
        let store = SettingsStore::open(&loc, OpenOptions::default()).unwrap();
        store
            .write_document(xworkmate_store::document::DocKind::Threads, &threads)
            .unwrap();
        store
            .write_document(xworkmate_store::document::DocKind::Settings, settings)
            .unwrap();
    }
    println!("{} threads, {:.1} MiB", i, threads.len() as f64 / 1048576.0);
}

/// Writes the thread list sealed into its mirror (AAD: its storage key), the
/// key into `gateway-auth/local-state-key.txt`, and the settings mirror plain.
fn seal_into(dir: &std::path::Path, threads: &str, settings: &str) {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};
    use xworkmate_store::sealed::{encode_b64url, SEALED_FORMAT};
    let key: [u8; 32] = std::array::from_fn(|i| i as u8 + 1);
    let nonce: [u8; 12] = std::array::from_fn(|i| i as u8 + 7);
    let cipher = Aes256Gcm::new_from_slice(&key).unwrap();
    let mut sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: threads.as_bytes(),
                aad: xworkmate_store::db::THREADS_KEY.as_bytes(),
            },
        )
        .unwrap();
    let mac = sealed.split_off(sealed.len() - 16);
    let envelope = serde_json::json!({
        "storageFormat": SEALED_FORMAT,
        "nonce": encode_b64url(&nonce),
        "cipherText": encode_b64url(&sealed),
        "mac": encode_b64url(&mac),
    });
    std::fs::write(dir.join("assistant-threads.json"), envelope.to_string()).unwrap();
    std::fs::write(dir.join("settings-snapshot.json"), settings).unwrap();
    let auth = dir.join("gateway-auth");
    std::fs::create_dir_all(&auth).unwrap();
    std::fs::write(auth.join("local-state-key.txt"), encode_b64url(&key)).unwrap();
}

/// The floor's decryption: the envelope's fields borrowed from the text,
/// the cipher text decoded once and decrypted in place with `aes-gcm`.
fn unseal_plainly(text: &str, key: &str) -> Vec<u8> {
    use aes_gcm::aead::{AeadInPlace, KeyInit};
    use aes_gcm::{Aes256Gcm, Nonce, Tag};
    use xworkmate_store::sealed::decode_b64url;
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Env<'a> {
        nonce: &'a str,
        cipher_text: &'a str,
        mac: &'a str,
    }
    let env: Env<'_> = serde_json::from_str(text).unwrap();
    let key = decode_b64url(key).unwrap();
    let mut data = decode_b64url(env.cipher_text).unwrap();
    Aes256Gcm::new_from_slice(&key)
        .unwrap()
        .decrypt_in_place_detached(
            Nonce::from_slice(&decode_b64url(env.nonce).unwrap()),
            xworkmate_store::db::THREADS_KEY.as_bytes(),
            &mut data,
            Tag::from_slice(&decode_b64url(env.mac).unwrap()),
        )
        .unwrap();
    data
}
