//! The keyring client against the real gnome-keyring Secret Service (a private
//! instance, see `private_keyring`), with items written exactly the way
//! XWorkmate's flutter_secure_storage_linux 1.2.3 writes them (spec §5): label
//! `plus.svc.xworkmate/FlutterSecureStorage`, attributes `account` and
//! `xdg:schema = '`, a JSON map of storage keys. Each test uses its own
//! account, so the tests of this binary never see each other's items.

mod private_keyring;

use serde_json::Value;
use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::recovery::{self, RecoveryContext};
use xworkmate_store::secret::{
    Backend, KeptReason, KeyringSecureStorage, SecretStore, SecretValue, SecretsMode,
    SecureStorageClient,
};
use xworkmate_store::{inspect, DataLocation};

/// What real installs carry (the plugin's bug, spec §5).
const XWORKMATE_SCHEMA: &str = "'";
/// What the plugin meant to write: an item with it is invisible to XWorkmate.
const INTENDED_SCHEMA: &str = "plus.svc.xworkmate/FlutterSecureStorage";
const LABEL: &str = "plus.svc.xworkmate/FlutterSecureStorage";

/// An item the way XWorkmate writes it: keys sorted, one member per line.
fn xworkmate_item(account: &str, json: &str) {
    private_keyring::secret_tool_store(
        LABEL,
        &[("account", account), ("xdg:schema", XWORKMATE_SCHEMA)],
        json,
    );
}

fn map_of(attrs: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    let text = private_keyring::secret_tool_lookup(attrs).expect("the item exists");
    match serde_json::from_str(&text).unwrap() {
        Value::Object(m) => m,
        other => panic!("not a map: {other}"),
    }
}

fn xworkmate_map(account: &str) -> serde_json::Map<String, Value> {
    map_of(&[("account", account), ("xdg:schema", XWORKMATE_SCHEMA)])
}

/// This machine's own data folder at a temp path, with a store over `account`.
fn own_folder(account: &str, mode: SecretsMode) -> (tempfile::TempDir, DataLocation, SecretStore) {
    private_keyring::ensure();
    let dir = tempfile::tempdir().unwrap();
    let loc = DataLocation::with_origin(dir.path().join("xworkmate"), DataDirOrigin::Default);
    std::fs::create_dir_all(loc.gateway_auth()).unwrap();
    let store = SecretStore::with_keyring(
        &loc,
        mode,
        Some(KeyringSecureStorage::with_account(account)),
    );
    (dir, loc, store)
}

#[test]
fn reads_writes_and_deletes_in_the_item_xworkmate_reads() {
    private_keyring::ensure();
    let account = "test.real.secureStorage";
    xworkmate_item(
        account,
        "{\n\"xworkmate.gateway.token\":\"flutter-token-123456\",\n\"xworkmate.local_state.key\":\"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA\"\n}",
    );
    let client = KeyringSecureStorage::with_account(account);
    assert_eq!(
        client
            .read("xworkmate.gateway.token")
            .unwrap()
            .unwrap()
            .expose(),
        "flutter-token-123456"
    );
    assert!(client.read("xworkmate.vault.token").unwrap().is_none());
    let items = client.items().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].label, LABEL);
    assert_eq!(items[0].schema.as_deref(), Some(XWORKMATE_SCHEMA));
    assert!(items[0].read_by_xworkmate);

    // Writing updates the one item, keeps the other entries, and writes the
    // map as the plugin does: keys sorted, one member per line.
    client
        .write(
            "xworkmate.vault.token",
            &SecretValue::new("vault-abcdef-999").unwrap(),
        )
        .unwrap();
    let text = private_keyring::secret_tool_lookup(&[
        ("account", account),
        ("xdg:schema", XWORKMATE_SCHEMA),
    ])
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"{"));
    assert_eq!(lines.last(), Some(&"}"));
    assert_eq!(lines.len(), 5, "one member per line: {}", lines.len());
    assert!(lines[1].starts_with("\"xworkmate.gateway.token\""));
    assert!(lines[2].starts_with("\"xworkmate.local_state.key\""));
    assert!(lines[3].starts_with("\"xworkmate.vault.token\""));
    let map = xworkmate_map(account);
    assert_eq!(map["xworkmate.vault.token"], "vault-abcdef-999");
    assert_eq!(map.len(), 3);

    // Deleting removes one key only.
    client.delete("xworkmate.vault.token").unwrap();
    let map = xworkmate_map(account);
    assert!(!map.contains_key("xworkmate.vault.token"));
    assert_eq!(map["xworkmate.gateway.token"], "flutter-token-123456");
}

#[test]
fn never_creates_an_item() {
    private_keyring::ensure();
    let account = "test.nocreate.secureStorage";
    let client = KeyringSecureStorage::with_account(account);
    assert!(client.items().unwrap().is_empty());
    let err = client
        .write(
            "xworkmate.gateway.password",
            &SecretValue::new("pw-4242-4242").unwrap(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("never creates"), "{err}");
    assert!(private_keyring::secret_tool_lookup(&[("account", account)]).is_none());
    assert!(client.items().unwrap().is_empty());
}

#[test]
fn xworkmates_item_wins_over_a_decoy_with_the_intended_schema() {
    let account = "test.decoy.secureStorage";
    let (_dir, loc, store) = own_folder(account, SecretsMode::Auto);
    xworkmate_item(
        account,
        "{\n\"xworkmate.gateway.token\":\"real-token-abcdef\"\n}",
    );
    // A decoy: the schema the plugin meant to write, other values.
    private_keyring::secret_tool_store(
        "decoy",
        &[("account", account), ("xdg:schema", INTENDED_SCHEMA)],
        r#"{"xworkmate.gateway.token":"decoy-token-zzzzzz","xworkmate.vault.token":"decoy-vault-zzzz"}"#,
    );
    let (backend, token) = store.locate("xworkmate.gateway.token").unwrap().unwrap();
    assert_eq!(
        (backend, token.expose()),
        (Backend::Keyring, "real-token-abcdef")
    );
    assert!(store.locate("xworkmate.vault.token").unwrap().is_none());

    let report = inspect::inspect(&loc, &store);
    let keyring = report.secrets.keyring.as_ref().unwrap();
    let item = keyring.item.as_ref().unwrap();
    assert_eq!(
        (item.label.as_str(), item.schema.as_deref()),
        (LABEL, Some(XWORKMATE_SCHEMA))
    );
    assert_eq!(keyring.other_items.len(), 1);
    assert_eq!(
        keyring.other_items[0].schema.as_deref(),
        Some(INTENDED_SCHEMA)
    );
    let invisible: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.code == "keyring_item_invisible")
        .collect();
    assert_eq!(invisible.len(), 1, "{:?}", report.warnings);
    let json = serde_json::to_string(&report).unwrap();
    for secret in [
        "real-token-abcdef",
        "decoy-token-zzzzzz",
        "decoy-vault-zzzz",
    ] {
        assert!(!json.contains(secret), "inspect printed a secret");
    }

    // Writes go into XWorkmate's item, never the decoy.
    store
        .store_for_xworkmate(
            "xworkmate.vault.token",
            &SecretValue::new("moved-vault-1234").unwrap(),
        )
        .unwrap();
    assert_eq!(
        xworkmate_map(account)["xworkmate.vault.token"],
        "moved-vault-1234"
    );
    let decoy = map_of(&[("account", account), ("xdg:schema", INTENDED_SCHEMA)]);
    assert_eq!(decoy["xworkmate.vault.token"], "decoy-vault-zzzz");
}

#[test]
fn a_lone_item_xworkmate_cannot_see_is_read_but_never_written() {
    let account = "test.lone.secureStorage";
    let (_dir, loc, store) = own_folder(account, SecretsMode::Auto);
    let original = r#"{"xworkmate.local_state.key":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA"}"#;
    private_keyring::secret_tool_store(
        LABEL,
        &[("account", account), ("xdg:schema", INTENDED_SCHEMA)],
        original,
    );
    // Its local-state key may still open legacy data: it is read...
    let (backend, key) = store.locate("xworkmate.local_state.key").unwrap().unwrap();
    assert_eq!(backend, Backend::Keyring);
    assert_eq!(key.expose(), "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA");
    // ... shown as held in an item XWorkmate does not read ...
    let report = inspect::inspect(&loc, &store);
    let item = report
        .secrets
        .keyring
        .as_ref()
        .unwrap()
        .item
        .clone()
        .unwrap();
    assert!(!item.read_by_xworkmate);
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == "keyring_item_invisible"));
    // ... and nothing is ever written into it.
    let kept = store
        .store_for_xworkmate(
            "xworkmate.vault.token",
            &SecretValue::new("vault-9999-9999").unwrap(),
        )
        .unwrap_err();
    assert_eq!(kept.reason, KeptReason::KeyringItemInvisible);
    let text = private_keyring::secret_tool_lookup(&[
        ("account", account),
        ("xdg:schema", INTENDED_SCHEMA),
    ])
    .unwrap();
    assert_eq!(text, original);
}

#[test]
fn of_several_items_xworkmate_cannot_see_none_is_read() {
    let account = "test.several.secureStorage";
    let (_dir, loc, store) = own_folder(account, SecretsMode::Auto);
    for (label, value) in [
        ("first", "token-first-111111"),
        ("second", "token-second-22222"),
    ] {
        private_keyring::secret_tool_store(
            label,
            &[("account", account), ("xdg:schema", label)],
            &format!(r#"{{"xworkmate.gateway.token":"{value}"}}"#),
        );
    }
    // Which one would be a guess: neither is read, both are findings.
    assert!(store.locate("xworkmate.gateway.token").unwrap().is_none());
    let report = inspect::inspect(&loc, &store);
    let keyring = report.secrets.keyring.as_ref().unwrap();
    assert!(keyring.item.is_none());
    assert_eq!(keyring.other_items.len(), 2);
    assert_eq!(
        report
            .warnings
            .iter()
            .filter(|w| w.code == "keyring_item_invisible")
            .count(),
        2
    );
}

#[test]
fn recovery_moves_a_legacy_file_into_xworkmates_item_and_verifies_it() {
    let account = "test.move.secureStorage";
    let (_dir, loc, store) = own_folder(account, SecretsMode::Auto);
    xworkmate_item(
        account,
        "{\n\"xworkmate.gateway.token\":\"real-token-abcdef\"\n}",
    );
    let legacy = loc.gateway_auth().join("vault-token.txt");
    std::fs::write(&legacy, "legacy-vault-token-77\n").unwrap();

    let ctx = RecoveryContext {
        location: &loc,
        secrets: &store,
        supplied_key: None,
    };
    let dry = recovery::run(&ctx, true);
    assert_eq!(dry.secret_files_moved, vec!["vault_token".to_string()]);
    assert!(legacy.exists(), "a dry run moves nothing");

    let report = recovery::run(&ctx, false);
    assert_eq!(report.secret_files_moved, vec!["vault_token".to_string()]);
    assert!(
        report.secret_files_kept.is_empty(),
        "{:?}",
        report.secret_files_kept
    );
    assert!(
        !legacy.exists(),
        "the file goes once the item holds the value"
    );
    let map = xworkmate_map(account);
    assert_eq!(map["xworkmate.vault.token"], "legacy-vault-token-77");
    assert_eq!(map["xworkmate.gateway.token"], "real-token-abcdef");
    // Nothing landed in the file store.
    assert!(!store
        .file_storage()
        .path_for("xworkmate.vault.token")
        .exists());
}

#[test]
fn with_no_item_nothing_is_created_and_the_legacy_files_stay() {
    let account = "test.none.secureStorage";
    let (_dir, loc, store) = own_folder(account, SecretsMode::Auto);
    let legacy = loc.gateway_auth().join("gateway-token.txt");
    std::fs::write(&legacy, "legacy-gateway-token-5\n").unwrap();

    let ctx = RecoveryContext {
        location: &loc,
        secrets: &store,
        supplied_key: None,
    };
    let dry = recovery::run(&ctx, true);
    assert!(dry.secret_files_moved.is_empty());
    assert_eq!(dry.secret_files_kept.len(), 1);

    let report = recovery::run(&ctx, false);
    assert!(report.secret_files_moved.is_empty());
    assert_eq!(report.secret_files_kept.len(), 1);
    assert_eq!(report.secret_files_kept[0].name, "gateway_token");
    assert_eq!(report.secret_files_kept[0].path, legacy);
    assert_eq!(
        report.secret_files_kept[0].reason,
        KeptReason::NoKeyringItem
    );
    assert!(report.warnings.iter().any(|w| {
        w.code == xworkmate_store::NoticeCode::LegacyFileKept
            && w.subject.as_deref() == Some("gateway_token")
    }));
    assert_eq!(
        std::fs::read_to_string(&legacy).unwrap(),
        "legacy-gateway-token-5\n"
    );
    assert!(private_keyring::secret_tool_lookup(&[("account", account)]).is_none());
    assert!(!store
        .file_storage()
        .path_for("xworkmate.gateway.token")
        .exists());
}

#[test]
fn a_folder_given_explicitly_never_uses_this_machines_keyring_in_auto_mode() {
    private_keyring::ensure();
    // The engineer's own install: an item with XWorkmate's real account.
    let account = "plus.svc.xworkmate.secureStorage";
    xworkmate_item(
        account,
        "{\n\"xworkmate.gateway.token\":\"engineers-own-token\"\n}",
    );
    let copy = xworkmate_testkit::store_copy("healthy");
    let loc = DataLocation::explicit(&copy.1);
    let legacy = loc.gateway_auth().join("vault-token.txt");
    std::fs::write(&legacy, "customer-vault-token-1\n").unwrap();

    let store = SecretStore::new(&loc, SecretsMode::Auto);
    assert_eq!(store.mode(), SecretsMode::File);
    assert!(
        store.keyring_health().is_none(),
        "the keyring is not even asked"
    );
    let (backend, token) = store.locate("xworkmate.gateway.token").unwrap().unwrap();
    assert_eq!(backend, Backend::File);
    assert_ne!(token.expose(), "engineers-own-token");

    // Recovery reads that folder's file store but moves nothing into it.
    let report = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &store,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(report.secret_files_kept.len(), 1);
    assert_eq!(
        report.secret_files_kept[0].reason,
        KeptReason::FileStoreNotChosen
    );
    assert!(legacy.exists());
    assert_eq!(
        xworkmate_map(account)["xworkmate.gateway.token"],
        "engineers-own-token",
        "the engineer's item is unchanged"
    );
    assert_eq!(xworkmate_map(account).len(), 1);

    // Chosen by name, the file store is where secrets move.
    let chosen = SecretStore::new(&loc, SecretsMode::File);
    let report = recovery::run(
        &RecoveryContext {
            location: &loc,
            secrets: &chosen,
            supplied_key: None,
        },
        false,
    );
    assert_eq!(report.secret_files_moved, vec!["vault_token".to_string()]);
    assert!(!legacy.exists());
    assert_eq!(
        chosen
            .file_storage()
            .read("xworkmate.vault.token")
            .unwrap()
            .unwrap()
            .expose(),
        "customer-vault-token-1"
    );
}
