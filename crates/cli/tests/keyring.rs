//! The OS keyring backend, with sentinel secrets: a private gnome-keyring
//! Secret Service on a private D-Bus session bus (the core's
//! `tests/private_keyring`), never the developer's own keyring. XWorkmate's
//! item (one Secret Service item, a JSON map of storage key → value) holds
//! sentinel values and the local-state key, written the way XWorkmate writes it
//! (`xdg:schema = '`, spec §5); every command runs with `--secrets keyring` and
//! `--secrets auto`, and no stdout, stderr or written file may contain a
//! sentinel (inspect may show masks). With `auto` on a folder given explicitly
//! (a support engineer's copy of a user's folder) the keyring is not used at
//! all: the engineer's own item is neither shown nor changed.
//!
//! Needs dbus-daemon, gnome-keyring-daemon and secret-tool (`scripts/setup`
//! installs them); without them the test fails and says so.

mod common;
#[path = "../../../tests/private_keyring/mod.rs"]
mod private_keyring;

use common::{files, fixture_key, Store};

const ACCOUNT: &str = "plus.svc.xworkmate.secureStorage";
/// The `xdg:schema` of XWorkmate's real item (spec §5).
const SCHEMA: &str = "'";

#[test]
fn keyring_sentinels_never_leave_the_keyring() {
    private_keyring::ensure();
    let key = fixture_key();
    let sentinels = [
        "KRG7c1f04d2a9e8b35f6e0d17END",
        "KRG2b9e61f0c7d4a8e3b5f92END",
        "KRG5d0a3c8e1f7b2946d0ce8END",
    ];
    let map = serde_json::json!({
        "xworkmate.gateway.token": sentinels[0],
        "xworkmate.ai_gateway.api_key": sentinels[1],
        "xworkmate.gateway.device.private_key": sentinels[2],
        "xworkmate.local_state.key": key,
    });
    private_keyring::secret_tool_store(
        ACCOUNT,
        &[("xdg:schema", SCHEMA), ("account", ACCOUNT)],
        &map.to_string(),
    );

    let store = Store::copy("sealed-with-key-file");
    let dir = store.data_dir.clone();
    std::fs::remove_file(dir.join("gateway-auth/local-state-key.txt")).unwrap();
    std::fs::remove_file(store.file_store_path("xworkmate.gateway.token")).unwrap();
    let out = store.root().join("support.json");
    let backup = store.root().join("backup.json");

    let mut outputs = Vec::new();
    for mode in ["keyring", "auto"] {
        let r = common::run(
            &[
                "--data-dir",
                store.dir(),
                "--secrets",
                mode,
                "inspect",
                "--json",
            ],
            None,
            &[],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let j = r.json();
        let entry = |name: &str| {
            j["secrets"]["entries"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["name"] == name)
                .unwrap()
                .clone()
        };
        if mode == "keyring" {
            assert_eq!(j["secrets"]["mode"], "keyring");
            assert_eq!(entry("gateway_token")["backend"], "keyring");
            assert_eq!(entry("gateway_token")["masked"], "KRG••••END");
            assert_eq!(entry("local_state_key")["present"], true);
            assert_eq!(j["secrets"]["keyring"]["item"]["schema"], SCHEMA);
            assert_eq!(j["secrets"]["keyring"]["item"]["readByXworkmate"], true);
        } else {
            // auto on a folder given explicitly: that folder's file store only.
            assert_eq!(j["secrets"]["mode"], "file");
            assert_eq!(j["secrets"]["keyring"], serde_json::Value::Null);
            assert_eq!(entry("gateway_token")["present"], false);
            assert_eq!(entry("gateway_token")["backend"], "none");
            assert_eq!(entry("local_state_key")["present"], false);
        }
        outputs.push(r);
        for args in [
            vec!["inspect"],
            vec!["report", "--json"],
            vec!["recover", "--dry-run"],
            vec!["export-report", "--out", out.to_str().unwrap()],
            vec!["clear", "--json"],
        ] {
            // Each export makes a new file (an existing one is never replaced).
            let _ = std::fs::remove_file(&out);
            let mut all = vec!["--data-dir", store.dir(), "--secrets", mode];
            all.extend_from_slice(&args);
            let r = common::run(&all, None, &[]);
            // 3: in auto mode the key (only in the keyring) is not looked
            // for, so the sealed state is locked.
            let expected: &[i32] = if mode == "auto" { &[0, 2, 3] } else { &[0, 2] };
            assert!(expected.contains(&r.code), "{args:?}: {}", r.stderr);
            outputs.push(r);
        }
    }
    // A real run: the key in the keyring opens the sealed mirrors.
    let r = common::run(
        &[
            "--data-dir",
            store.dir(),
            "--secrets",
            "keyring",
            "recover",
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["status"], "migrated");
    assert_eq!(r.json()["sources"][0]["openedWith"], "secure_storage");
    outputs.push(r);
    let r = common::run(
        &[
            "--data-dir",
            store.dir(),
            "--secrets",
            "keyring",
            "clear",
            "--yes",
            "--backup",
            backup.to_str().unwrap(),
            "--json",
        ],
        None,
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["kept"]["secrets"][0]["backend"], "keyring");
    assert_eq!(r.json()["secretsVerified"], true);
    outputs.push(r);

    for r in &outputs {
        for s in sentinels.iter().copied().chain([key.as_str()]) {
            assert!(
                !r.stdout.contains(s),
                "stdout has a keyring secret:\n{}",
                r.stdout
            );
            assert!(!r.stderr.contains(s), "stderr has a keyring secret");
            assert!(!r.stdout.contains(&s[4..s.len() - 4]));
        }
    }
    for (path, bytes) in files(store.root()) {
        let text = String::from_utf8_lossy(&bytes);
        for s in sentinels.iter().copied().chain([key.as_str()]) {
            assert!(
                !text.contains(&s[4..s.len() - 4]),
                "{} has a keyring secret",
                path.display()
            );
        }
    }
    // Secrets stay in the keyring item.
    let text = private_keyring::secret_tool_lookup(&[("account", ACCOUNT)]).unwrap();
    for s in sentinels {
        assert!(text.contains(s));
    }
}
