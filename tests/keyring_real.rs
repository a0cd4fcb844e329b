//! The keyring client against the real gnome-keyring Secret Service (a private
//! instance, see `private_keyring`).

mod private_keyring;

use serde_json::Value;
use xworkmate_store::secret::{
    Backend, KeyringSecureStorage, SecretStore, SecretValue, SecretsMode, SecureStorageClient,
};
use xworkmate_store::DataLocation;

const SCHEMA: &str = "plus.svc.xworkmate/FlutterSecureStorage";

fn map_of(account: &str) -> serde_json::Map<String, Value> {
    let text =
        private_keyring::secret_tool_lookup(&[("account", account)]).expect("the item exists");
    match serde_json::from_str(&text).unwrap() {
        Value::Object(m) => m,
        other => panic!("not a map: {other}"),
    }
}

#[test]
fn reads_the_item_flutter_secure_storage_writes() {
    private_keyring::ensure();
    // Exactly XWorkmate's account name: this keyring is private to the test.
    let account = "plus.svc.xworkmate.secureStorage";
    let flutter_json = r#"{"xworkmate.gateway.token":"flutter-token-123456","xworkmate.local_state.key":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA"}"#;
    private_keyring::secret_tool_store(
        account,
        &[("xdg:schema", SCHEMA), ("account", account)],
        flutter_json,
    );

    let client = KeyringSecureStorage::xworkmate();
    assert_eq!(
        client
            .read("xworkmate.gateway.token")
            .unwrap()
            .unwrap()
            .expose(),
        "flutter-token-123456"
    );
    assert!(client.read("xworkmate.vault.token").unwrap().is_none());

    // A real install's local-state key is visible to recovery through SecretStore.
    let dir = tempfile::tempdir().unwrap();
    let loc = DataLocation::explicit(dir.path());
    let store = SecretStore::new(&loc, SecretsMode::Keyring);
    let (backend, key) = store.locate("xworkmate.local_state.key").unwrap().unwrap();
    assert_eq!(backend, Backend::Keyring);
    assert_eq!(key.expose(), "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA");

    // Writing updates the single item and keeps the other entries.
    client
        .write(
            "xworkmate.vault.token",
            &SecretValue::new("vault-abcdef-999").unwrap(),
        )
        .unwrap();
    let map = map_of(account);
    assert_eq!(map["xworkmate.gateway.token"], "flutter-token-123456");
    assert_eq!(map["xworkmate.vault.token"], "vault-abcdef-999");
    assert_eq!(map.len(), 3);

    // Deleting removes one key only.
    client.delete("xworkmate.vault.token").unwrap();
    let map = map_of(account);
    assert!(!map.contains_key("xworkmate.vault.token"));
    assert_eq!(map["xworkmate.gateway.token"], "flutter-token-123456");
}

#[test]
fn creates_the_item_with_flutter_attributes_when_missing() {
    private_keyring::ensure();
    let account = "test.create.secureStorage";
    let client = KeyringSecureStorage::with_account(account);
    assert!(client.read("xworkmate.gateway.password").unwrap().is_none());
    client
        .write(
            "xworkmate.gateway.password",
            &SecretValue::new("pw-created-4242").unwrap(),
        )
        .unwrap();
    // libsecret finds it by the schema attribute too, as flutter_secure_storage would.
    let text = private_keyring::secret_tool_lookup(&[("xdg:schema", SCHEMA), ("account", account)])
        .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["xworkmate.gateway.password"], "pw-created-4242");
    assert_eq!(
        client.keys().unwrap(),
        vec!["xworkmate.gateway.password".to_string()]
    );
}

#[test]
fn auto_mode_uses_the_keyring_and_reports_health() {
    private_keyring::ensure();
    let dir = tempfile::tempdir().unwrap();
    let loc = DataLocation::explicit(dir.path());
    let store = SecretStore::with_keyring(
        &loc,
        SecretsMode::Auto,
        Some(KeyringSecureStorage::with_account(
            "test.auto.secureStorage",
        )),
    );
    let health = store.keyring_health().unwrap();
    assert!(health.reachable, "{health:?}");
    let backend = store
        .write(
            "xworkmate.ai_gateway.api_key",
            &SecretValue::new("ai-key-auto-777777").unwrap(),
        )
        .unwrap();
    assert_eq!(backend, Backend::Keyring);
    // Nothing landed in the file fallback.
    assert!(!store
        .file_storage()
        .path_for("xworkmate.ai_gateway.api_key")
        .exists());
    let e = store
        .entries(true)
        .into_iter()
        .find(|e| e.name == "ai_gateway_api_key")
        .unwrap();
    assert!(e.present);
    assert_eq!(e.backend, Backend::Keyring);
    assert_eq!(e.masked.as_deref(), Some("ai-••••777"));
    // A value only in the file fallback is still found in auto mode.
    store
        .file_storage()
        .write(
            "xworkmate.vault.token",
            &SecretValue::new("vault-file-only-1").unwrap(),
        )
        .unwrap();
    let e = store
        .entries(false)
        .into_iter()
        .find(|e| e.name == "vault_token")
        .unwrap();
    assert_eq!((e.present, e.backend), (true, Backend::File));
}
