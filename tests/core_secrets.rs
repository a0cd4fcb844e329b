//! Spec §5 (and §8's "presence checks are reads"): the SecretStore with the
//! file-backed secure storage and the in-memory client.

mod common;

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use xworkmate_store::secret::*;
use xworkmate_store::DataLocation;

fn file_store(dir: &Path) -> SecretStore {
    SecretStore::new(&DataLocation::explicit(dir), SecretsMode::File)
}

fn secret(text: &str) -> SecretValue {
    SecretValue::new(text).expect("non-empty secret")
}

/// `gateway-auth/secure-storage/<base64url-nopad(key)>.txt`, computed here.
fn secure_file(dir: &Path, key: &str) -> PathBuf {
    dir.join("gateway-auth")
        .join("secure-storage")
        .join(format!("{}.txt", URL_SAFE_NO_PAD.encode(key.as_bytes())))
}

fn entry<'a>(entries: &'a [SecretEntry], name: &str) -> &'a SecretEntry {
    entries
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no entry {name} in {entries:?}"))
}

#[test]
fn file_store_layout_modes_and_trimming() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = file_store(&dir);
    let backend = store
        .write("xworkmate.gateway.token", &secret("  tok-en-value \n"))
        .unwrap();
    assert_eq!(backend, Backend::File);
    let path = dir.join("gateway-auth/secure-storage/eHdvcmttYXRlLmdhdGV3YXkudG9rZW4.txt");
    assert_eq!(path, secure_file(&dir, "xworkmate.gateway.token"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "tok-en-value");
    #[cfg(unix)]
    {
        assert_eq!(mode_of(&path), 0o600);
        assert_eq!(mode_of(&dir.join("gateway-auth")), 0o700);
        assert_eq!(mode_of(&dir.join("gateway-auth/secure-storage")), 0o700);
    }
    // No padding even where base64 would pad; key bytes are UTF-8.
    for key in [
        "xworkmate.vault.token",
        "xworkmate.gateway.device_token.dev-1.operator",
        "k",
    ] {
        store.write(key, &secret("v")).unwrap();
        let p = secure_file(&dir, key);
        assert!(p.is_file(), "{}", p.display());
        assert!(!p.file_name().unwrap().to_string_lossy().contains('='));
    }
    // A value with surrounding whitespace written by someone else reads trimmed.
    std::fs::write(
        secure_file(&dir, "xworkmate.vault.token"),
        "\n  vault-secret  \n",
    )
    .unwrap();
    assert_eq!(
        store
            .read("xworkmate.vault.token")
            .unwrap()
            .unwrap()
            .expose(),
        "vault-secret"
    );
    // Empty values are never stored.
    assert!(SecretValue::new("   ").is_none());
    assert!(SecretValue::new("").is_none());
    std::fs::write(secure_file(&dir, "xworkmate.gateway.password"), "  \n").unwrap();
    assert!(store.read("xworkmate.gateway.password").unwrap().is_none());
}

#[test]
fn file_secrets_persist_across_instances() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    file_store(&dir)
        .write("xworkmate.ai_gateway.api_key", &secret("sk-persist-123"))
        .unwrap();
    let again = file_store(&dir);
    assert_eq!(
        again
            .read("xworkmate.ai_gateway.api_key")
            .unwrap()
            .unwrap()
            .expose(),
        "sk-persist-123"
    );
    let (backend, v) = again
        .locate("xworkmate.ai_gateway.api_key")
        .unwrap()
        .unwrap();
    assert_eq!(backend, Backend::File);
    assert_eq!(v.expose(), "sk-persist-123");
    again.delete("xworkmate.ai_gateway.api_key").unwrap();
    assert!(file_store(&dir)
        .read("xworkmate.ai_gateway.api_key")
        .unwrap()
        .is_none());
    assert!(!secure_file(&dir, "xworkmate.ai_gateway.api_key").exists());
}

#[test]
fn memory_store_keeps_secrets_in_memory_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = SecretStore::new(&DataLocation::explicit(&dir), SecretsMode::Memory);
    assert_eq!(
        store
            .write("xworkmate.gateway.token", &secret(" mem-token-1 "))
            .unwrap(),
        Backend::Memory
    );
    assert_eq!(
        store
            .read("xworkmate.gateway.token")
            .unwrap()
            .unwrap()
            .expose(),
        "mem-token-1"
    );
    assert!(!dir.exists(), "the memory store touches no files");
    let e = store.entries(true);
    let gt = entry(&e, "gateway_token");
    assert!(gt.present);
    assert_eq!(gt.backend, Backend::Memory);
    assert_eq!(gt.masked.as_deref(), Some("mem••••n-1"));
    let fresh = SecretStore::new(&DataLocation::explicit(&dir), SecretsMode::Memory);
    assert!(fresh.read("xworkmate.gateway.token").unwrap().is_none());
}

#[test]
fn a_legacy_secret_file_is_migrated_on_read_and_deleted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    std::fs::create_dir_all(dir.join("gateway-auth")).unwrap();
    let legacy = dir.join("gateway-auth/gateway-token.txt");
    std::fs::write(&legacy, "legacy-token-value\n").unwrap();
    let store = file_store(&dir);

    // Presence checks never migrate (spec §8).
    assert!(store.locate("xworkmate.gateway.token").unwrap().is_none());
    let _ = store.entries(true);
    let _ = store.entries(false);
    let _ = store.stored_keys();
    assert_eq!(store.legacy_files(), vec![legacy.clone()]);
    assert!(
        legacy.is_file(),
        "presence checks left the legacy file in place"
    );
    assert!(!secure_file(&dir, "xworkmate.gateway.token").exists());

    // A read migrates: into secure storage, then the file is deleted.
    let v = store.read("xworkmate.gateway.token").unwrap().unwrap();
    assert_eq!(v.expose(), "legacy-token-value");
    assert!(!legacy.exists());
    assert_eq!(
        std::fs::read_to_string(secure_file(&dir, "xworkmate.gateway.token")).unwrap(),
        "legacy-token-value"
    );
    let again = file_store(&dir);
    assert_eq!(
        again
            .read("xworkmate.gateway.token")
            .unwrap()
            .unwrap()
            .expose(),
        "legacy-token-value"
    );
    assert!(again.legacy_files().is_empty());
}

#[test]
fn migrate_legacy_files_moves_every_legacy_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let auth = dir.join("gateway-auth");
    std::fs::create_dir_all(&auth).unwrap();
    let files = [
        (
            "gateway-token.txt",
            "xworkmate.gateway.token",
            "gateway_token",
        ),
        (
            "gateway-password.txt",
            "xworkmate.gateway.password",
            "gateway_password",
        ),
        (
            "ollama-cloud-api-key.txt",
            "xworkmate.ollama.cloud.api_key",
            "ollama_cloud_api_key",
        ),
        ("vault-token.txt", "xworkmate.vault.token", "vault_token"),
        (
            "ai-gateway-api-key.txt",
            "xworkmate.ai_gateway.api_key",
            "ai_gateway_api_key",
        ),
    ];
    for (file, _, name) in files {
        std::fs::write(auth.join(file), format!("  value-of-{name}  \n")).unwrap();
    }
    let store = file_store(&dir);
    let mut moved = store.migrate_legacy_files().unwrap().moved;
    moved.sort();
    let mut names: Vec<String> = files.iter().map(|(_, _, n)| n.to_string()).collect();
    names.sort();
    assert_eq!(moved, names);
    for (file, key, name) in files {
        assert!(!auth.join(file).exists(), "{file} deleted");
        assert_eq!(
            std::fs::read_to_string(secure_file(&dir, key)).unwrap(),
            format!("value-of-{name}")
        );
        #[cfg(unix)]
        assert_eq!(mode_of(&secure_file(&dir, key)), 0o600);
    }
    assert!(
        store.migrate_legacy_files().unwrap().moved.is_empty(),
        "a second run has nothing to move"
    );
}

#[test]
fn device_identity_and_tokens_persist_in_the_file_store() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    {
        let store = file_store(&dir);
        assert!(store.device_identity().unwrap().is_none());
        store
            .save_device_identity(&DeviceIdentity {
                device_id: "dev-42".into(),
                public_key: "pub-key-base64".into(),
                private_key: secret("private-key-material-xyz"),
            })
            .unwrap();
        store
            .save_device_token("dev-42", None, &secret("operator-token-abc"))
            .unwrap();
        store
            .save_device_token("dev-42", Some("node"), &secret("node-token-def"))
            .unwrap();
    }
    for (key, value) in [
        ("xworkmate.gateway.device.id", "dev-42"),
        ("xworkmate.gateway.device.public_key", "pub-key-base64"),
        (
            "xworkmate.gateway.device.private_key",
            "private-key-material-xyz",
        ),
        (
            "xworkmate.gateway.device_token.dev-42.operator",
            "operator-token-abc",
        ),
        (
            "xworkmate.gateway.device_token.dev-42.node",
            "node-token-def",
        ),
    ] {
        assert_eq!(
            std::fs::read_to_string(secure_file(&dir, key)).unwrap(),
            value,
            "{key}"
        );
    }
    assert_eq!(
        device_token_key("dev-42", None),
        "xworkmate.gateway.device_token.dev-42.operator"
    );

    let store = file_store(&dir);
    let id = store.device_identity().unwrap().unwrap();
    assert_eq!(id.device_id, "dev-42");
    assert_eq!(id.public_key, "pub-key-base64");
    assert_eq!(id.private_key.expose(), "private-key-material-xyz");
    assert_eq!(
        store
            .device_token("dev-42", None)
            .unwrap()
            .unwrap()
            .expose(),
        "operator-token-abc"
    );
    assert_eq!(
        store
            .device_token("dev-42", Some("operator"))
            .unwrap()
            .unwrap()
            .expose(),
        "operator-token-abc"
    );
    assert_eq!(
        store
            .device_token("dev-42", Some("node"))
            .unwrap()
            .unwrap()
            .expose(),
        "node-token-def"
    );
    assert!(store.device_token("other", None).unwrap().is_none());

    let entries = store.entries(false);
    assert!(entry(&entries, "device_id").present);
    assert!(entry(&entries, "device_public_key").present);
    assert!(entry(&entries, "device_private_key").present);
    assert!(entry(&entries, "gateway_device_token_operator").present);
    assert!(entry(&entries, "gateway_device_token_node").present);

    store.delete_device_token("dev-42", None).unwrap();
    assert!(file_store(&dir)
        .device_token("dev-42", None)
        .unwrap()
        .is_none());
    assert!(!secure_file(&dir, "xworkmate.gateway.device_token.dev-42.operator").exists());
    assert!(file_store(&dir)
        .device_token("dev-42", Some("node"))
        .unwrap()
        .is_some());
}

#[test]
fn masks_follow_spec_section_5() {
    assert_eq!(mask(""), "Not set");
    assert_eq!(mask("a"), "••••••");
    assert_eq!(mask("abcdef"), "••••••");
    assert_eq!(mask("abcdefg"), "abc••••efg");
    assert_eq!(mask("token-secret"), "tok••••ret");

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = file_store(&dir);
    store
        .write("xworkmate.gateway.token", &secret("token-secret"))
        .unwrap();
    store
        .write("xworkmate.vault.token", &secret("abcdef"))
        .unwrap();
    let with = store.entries(true);
    assert_eq!(
        entry(&with, "gateway_token").masked.as_deref(),
        Some("tok••••ret")
    );
    assert_eq!(
        entry(&with, "vault_token").masked.as_deref(),
        Some("••••••")
    );
    let absent = entry(&with, "gateway_password");
    assert!(!absent.present);
    assert_eq!(absent.backend, Backend::None);
    assert_eq!(absent.masked.as_deref(), Some("Not set"));

    let without = store.entries(false);
    assert!(without.iter().all(|e| e.masked.is_none()), "{without:?}");
    let exported = serde_json::to_string(&without).unwrap();
    assert!(!exported.contains("masked"), "{exported}");
    assert!(!exported.contains("token-secret") && !exported.contains("tok••••ret"));
    assert!(entry(&without, "gateway_token").present);
}

#[test]
fn the_healthy_fixtures_secrets_are_present_in_the_file_store() {
    let (_g, dir) = store_copy("healthy");
    let before = snapshot(&dir);
    let store = file_store(&dir);
    let entries = store.entries(false);
    for name in ["gateway_token", "ai_gateway_api_key"] {
        let e = entry(&entries, name);
        assert!(e.present, "{name}");
        assert_eq!(e.backend, Backend::File, "{name}");
        assert_eq!(e.backend.as_str(), "file");
    }
    for name in [
        "gateway_password",
        "vault_token",
        "ollama_cloud_api_key",
        "device_id",
        "device_private_key",
    ] {
        let e = entry(&entries, name);
        assert!(!e.present, "{name}");
        assert_eq!(e.backend, Backend::None);
    }
    let masked = store.entries(true);
    assert_eq!(
        entry(&masked, "gateway_token").masked.as_deref(),
        Some("sam••••001")
    );
    assert_eq!(
        entry(&masked, "ai_gateway_api_key").masked.as_deref(),
        Some("sam••••002")
    );
    assert_eq!(
        store
            .read("xworkmate.gateway.token")
            .unwrap()
            .unwrap()
            .expose(),
        "sample-gateway-token-0001"
    );
    assert_eq!(snapshot(&dir), before, "reading secrets wrote nothing");
}

#[test]
fn debug_output_never_contains_a_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("xworkmate");
    let store = file_store(&dir);
    let v = secret("super-secret-value-123");
    store.write("xworkmate.gateway.token", &v).unwrap();
    let read = store.read("xworkmate.gateway.token").unwrap().unwrap();
    let id = DeviceIdentity {
        device_id: "dev".into(),
        public_key: "pub".into(),
        private_key: secret("private-secret-material-456"),
    };
    let key = xworkmate_store::sealed::LocalStateKey::from_b64url(&fixture_key()).unwrap();
    let entries = store.entries(true);
    let outputs = [
        format!("{v:?}"),
        format!("{v:#?}"),
        format!("{read:?}"),
        format!("{store:?}"),
        format!("{store:#?}"),
        format!("{id:?}"),
        format!("{key:?}"),
        format!("{entries:?}"),
        format!("{:?}", store.locate("xworkmate.gateway.token").unwrap()),
        format!(
            "{:?}",
            SecretStore::new(&DataLocation::explicit(&dir), SecretsMode::Memory)
        ),
    ];
    for out in outputs {
        assert!(!out.contains("super-secret"), "{out}");
        assert!(!out.contains("value-123"), "{out}");
        assert!(!out.contains("private-secret"), "{out}");
        assert!(!out.contains(&fixture_key()), "{out}");
    }
}
