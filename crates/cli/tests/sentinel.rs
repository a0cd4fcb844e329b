//! Plants distinctive sentinel secrets in every secret backend the tests can
//! use (the file store `gateway-auth/secure-storage/`, the legacy plain secret
//! files, the local-state key file) and checks that no command's stdout or
//! stderr, in any mode, and no file any command writes (export, backup, last
//! recovery report, SQLite, mirrors, audit trail, preferences) contains one.
//! Only `inspect` may show the spec §5 mask (first 3 + •••• + last 3), so every
//! sentinel is checked in full and by a middle part that no mask contains.
//! (The OS keyring is not used here: the core has its own keyring tests, and
//! tests must never touch a real install's keyring item.)

mod common;

use common::{b64, files, fixture_key, Run, Store};

struct Sentinel {
    name: &'static str,
    value: String,
}

impl Sentinel {
    fn middle(&self) -> &str {
        let n = self.value.len();
        &self.value[4..n - 4]
    }
    fn mask(&self) -> String {
        format!(
            "{}••••{}",
            &self.value[..3],
            &self.value[self.value.len() - 3..]
        )
    }
}

fn sentinel(name: &'static str, n: u32) -> Sentinel {
    // SNT + 24 distinctive hex digits + END: the mask is `SNT••••END`.
    let mut x: u64 = 0x9E3779B97F4A7C15 ^ (n as u64).wrapping_mul(0xBF58476D1CE4E5B9);
    let mut hex = String::new();
    while hex.len() < 24 {
        x ^= x >> 31;
        x = x.wrapping_mul(0x94D049BB133111EB);
        hex.push_str(&format!("{:016x}", x));
    }
    hex.truncate(24);
    Sentinel {
        name,
        value: format!("SNT{hex}END"),
    }
}

fn assert_clean(what: &str, text: &str, sentinels: &[Sentinel], key: &str) {
    for s in sentinels {
        assert!(
            !text.contains(&s.value),
            "{what}: contains the {} sentinel",
            s.name
        );
        assert!(
            !text.contains(s.middle()),
            "{what}: contains part of the {} sentinel",
            s.name
        );
    }
    if key.len() > 30 {
        assert!(!text.contains(key), "{what}: contains the local-state key");
        assert!(
            !text.contains(&key[8..30]),
            "{what}: contains part of the local-state key"
        );
    }
}

#[test]
fn no_command_output_or_written_file_contains_a_secret() {
    let store = Store::copy("sealed-with-key-file");
    let dir = store.data_dir.clone();
    let key = fixture_key();
    let device_id = sentinel("device_id", 6);

    // File store (secure storage fallback).
    let planted = [
        ("gateway_password", "xworkmate.gateway.password", 1),
        ("ai_gateway_api_key", "xworkmate.ai_gateway.api_key", 2),
        ("ollama_cloud_api_key", "xworkmate.ollama.cloud.api_key", 3),
        (
            "device_public_key",
            "xworkmate.gateway.device.public_key",
            4,
        ),
        (
            "device_private_key",
            "xworkmate.gateway.device.private_key",
            5,
        ),
    ];
    let mut sentinels = Vec::new();
    std::fs::remove_file(store.file_store_path("xworkmate.gateway.token")).unwrap();
    for (name, storage_key, n) in planted {
        let s = sentinel(name, n);
        std::fs::write(store.file_store_path(storage_key), &s.value).unwrap();
        sentinels.push(s);
    }
    std::fs::write(
        store.file_store_path("xworkmate.gateway.device.id"),
        &device_id.value,
    )
    .unwrap();
    let token = sentinel("gateway_device_token_operator", 7);
    std::fs::write(
        store.file_store_path("xworkmate.gateway.device_token.dev-1.operator"),
        &token.value,
    )
    .unwrap();
    sentinels.push(token);
    sentinels.push(device_id);
    // Legacy plain secret files (moved into secure storage by recovery).
    for (name, file, n) in [
        ("gateway_token", "gateway-token.txt", 8),
        ("vault_token", "vault-token.txt", 9),
    ] {
        let s = sentinel(name, n);
        std::fs::write(
            dir.join("gateway-auth").join(file),
            format!("{}\n", s.value),
        )
        .unwrap();
        sentinels.push(s);
    }
    // The local-state key file holds the real key (it must open the mirrors).
    assert_eq!(
        std::fs::read_to_string(dir.join("gateway-auth/local-state-key.txt"))
            .unwrap()
            .trim(),
        key
    );

    let out = store.root().join("support.json");
    let backup = store.root().join("backup.json");
    let settings_in = store.root().join("settings-in.json");
    std::fs::write(
        &settings_in,
        r#"{"appLanguage":"en","aiGateway":{"apiKeyRef":"ai_gateway_api_key"}}"#,
    )
    .unwrap();
    let mut runs: Vec<(String, Run)> = Vec::new();
    let mut go = |args: &[&str], stdin: Option<&str>| {
        for lang in ["en", "zh"] {
            let mut all = args.to_vec();
            all.extend_from_slice(&["--lang", lang]);
            let r = store.run_with(&all, stdin, &[]);
            runs.push((format!("{args:?} ({lang})"), r));
        }
    };
    let inspect_first = store.run(&["inspect", "--json"]);
    go(&["inspect"], None);
    go(&["inspect", "--json"], None);
    go(&["report"], None);
    go(&["report", "--json"], None);
    go(&["settings", "show"], None);
    go(&["threads", "list", "--json"], None);
    go(&["export-report", "--out", out.to_str().unwrap()], None);
    go(&["recover", "--dry-run"], None);
    go(&["recover", "--dry-run", "--json"], None);
    go(&["recover", "--test-key", "--key", "-"], Some(&key));
    go(
        &["recover", "--test-key", "--key", "-", "--json"],
        Some(&format!("{}x", &key[..20])),
    );
    go(&["recover", "--test-key", "--key", &key, "--json"], None);
    go(&["clear", "--dry-run"], None);
    go(&["clear", "--json"], None);
    go(&["recover"], None);
    go(&["recover", "--json"], None);
    go(&["recover", "--key", "-", "--json"], Some(&key));
    go(&["report"], None);
    go(&["report", "--json"], None);
    go(&["inspect"], None);
    go(&["settings", "show", "--json"], None);
    go(&["threads", "list"], None);
    go(
        &["export-report", "--out", out.to_str().unwrap(), "--json"],
        None,
    );
    go(
        &["clear", "--yes", "--backup", backup.to_str().unwrap()],
        None,
    );
    go(
        &[
            "clear",
            "--yes",
            "--json",
            "--backup",
            backup.to_str().unwrap(),
        ],
        None,
    );
    go(&["settings", "save", settings_in.to_str().unwrap()], None);
    go(&["settings", "save", "-", "--json"], Some("not json"));
    go(&["threads", "save", "-"], Some("[]"));
    go(&["inspect", "--json"], None);
    go(&["export-report", "--out", out.to_str().unwrap()], None);

    // The sentinels were really planted: inspect sees them (masked).
    let j = inspect_first.json();
    let present: Vec<&str> = j["secrets"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["present"] == true)
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    for name in [
        "gateway_password",
        "ai_gateway_api_key",
        "ollama_cloud_api_key",
        "device_id",
        "device_public_key",
        "device_private_key",
        "gateway_device_token_operator",
    ] {
        assert!(present.contains(&name), "{name} not planted: {present:?}");
    }
    assert!(inspect_first.stdout.contains(&sentinels[0].mask()));
    assert_eq!(j["secrets"]["legacyFiles"].as_array().unwrap().len(), 2);
    // Recovery ran, moved the key and the legacy files, and the store is plain.
    assert!(dir
        .join(".xworkmate-diagnostics/last-recovery.json")
        .is_file());
    assert!(!dir.join("gateway-auth/local-state-key.txt").exists());
    let migrated = runs
        .iter()
        .find(|(what, _)| what.starts_with("[\"recover\"] (en)"))
        .map(|(_, r)| r.stdout.clone())
        .unwrap();
    assert!(
        migrated
            .lines()
            .any(|l| l.trim_start().starts_with("Status") && l.trim_end().ends_with(" migrated")),
        "{migrated}"
    );
    assert!(!dir.join("gateway-auth/gateway-token.txt").exists());
    assert!(out.is_file() && backup.is_file());

    for (what, r) in &runs {
        assert_clean(&format!("{what} stdout"), &r.stdout, &sentinels, &key);
        assert_clean(&format!("{what} stderr"), &r.stderr, &sentinels, &key);
        if !what.starts_with("[\"inspect\"") {
            assert!(
                !r.stdout.contains("••••"),
                "{what}: only inspect shows masks"
            );
        }
    }
    assert!(!std::fs::read_to_string(&out).unwrap().contains("••••"));

    // Every written file outside the secret folder.
    let secret_dir = dir.join("gateway-auth");
    let written = files(store.root());
    assert!(written
        .iter()
        .any(|(p, _)| p.ends_with("config-store.sqlite3")));
    for (path, bytes) in written {
        if path.starts_with(&secret_dir) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert_clean(&path.display().to_string(), &text, &sentinels, &key);
    }
    // The secret folder still holds every secret, under its file-store name.
    for name in [
        "xworkmate.gateway.token",
        "xworkmate.vault.token",
        "xworkmate.local_state.key",
    ] {
        assert!(
            secret_dir
                .join("secure-storage")
                .join(format!("{}.txt", b64(name)))
                .is_file(),
            "{name}"
        );
    }
}

/// Device tokens are stored under `xworkmate.gateway.device_token.<deviceId>.<role>`
/// (spec §5), and inspect's secret entries carry that storage key, so the device
/// id — itself a secret of spec §5 that inspect otherwise masks — shows in full.
/// Ignored until the core masks or drops device ids in `SecretEntry::storage_key`.
#[test]
fn the_device_id_in_a_device_token_key_is_not_shown() {
    let store = Store::copy("healthy");
    let device_id = sentinel("device_id", 11);
    std::fs::write(
        store.file_store_path("xworkmate.gateway.device.id"),
        &device_id.value,
    )
    .unwrap();
    let key = format!(
        "xworkmate.gateway.device_token.{}.operator",
        device_id.value
    );
    std::fs::write(store.file_store_path(&key), "device-token-value-1234").unwrap();
    for args in [
        vec!["inspect", "--json"],
        vec!["inspect"],
        vec!["clear", "--json"],
    ] {
        let r = store.run(&args);
        assert_clean(
            &format!("{args:?}"),
            &r.all_output(),
            std::slice::from_ref(&device_id),
            "",
        );
    }
}
