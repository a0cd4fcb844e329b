//! SecretStore (spec §5): the storage-client abstraction with the OS keyring,
//! the file fallback `gateway-auth/secure-storage/` and an in-memory client for
//! tests; secret values that cannot leak; masking; legacy secret files; device
//! identity and device tokens.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Result, StoreError};
use crate::fsutil::{self, SECRET_FILE_MODE};
use crate::paths::DataLocation;
use crate::sealed::{encode_b64url, LOCAL_STATE_KEY};

/// A secret value: trimmed text that never Debug-prints, never serializes and is
/// zeroized on drop. Read it with the deliberately named [`SecretValue::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Zeroizing<String>);

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(••••••)")
    }
}

impl SecretValue {
    /// Wraps a value, trimmed. `None` for empty text (never stored).
    pub fn new(text: impl Into<String>) -> Option<Self> {
        let text = Zeroizing::new(text.into());
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| SecretValue(Zeroizing::new(trimmed.to_string())))
    }

    /// The secret text. Callers must not print, log or serialize it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The display mask of spec §5.
    pub fn masked(&self) -> String {
        mask(self.expose())
    }
}

/// Masks a secret for display (spec §5): empty → `Not set`; up to 6 chars →
/// `••••••`; otherwise first 3 + `••••` + last 3.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0 => "Not set".to_string(),
        1..=6 => "••••••".to_string(),
        n => {
            let head: String = chars[..3].iter().collect();
            let tail: String = chars[n - 3..].iter().collect();
            format!("{head}••••{tail}")
        }
    }
}

/// The logical secrets of spec §5 with fixed storage keys.
pub const KNOWN_SECRETS: [(&str, &str); 9] = [
    ("gateway_token", "xworkmate.gateway.token"),
    ("gateway_password", "xworkmate.gateway.password"),
    ("ai_gateway_api_key", "xworkmate.ai_gateway.api_key"),
    ("vault_token", "xworkmate.vault.token"),
    ("ollama_cloud_api_key", "xworkmate.ollama.cloud.api_key"),
    ("device_id", DEVICE_ID_KEY),
    ("device_public_key", DEVICE_PUBLIC_KEY_KEY),
    ("device_private_key", DEVICE_PRIVATE_KEY_KEY),
    ("local_state_key", LOCAL_STATE_KEY),
];

pub const DEVICE_ID_KEY: &str = "xworkmate.gateway.device.id";
pub const DEVICE_PUBLIC_KEY_KEY: &str = "xworkmate.gateway.device.public_key";
pub const DEVICE_PRIVATE_KEY_KEY: &str = "xworkmate.gateway.device.private_key";
pub const DEVICE_TOKEN_PREFIX: &str = "xworkmate.gateway.device_token.";

/// Pre-secure-storage secret files in `gateway-auth/` and their storage keys.
pub const LEGACY_SECRET_FILES: [(&str, &str); 5] = [
    ("gateway-token.txt", "xworkmate.gateway.token"),
    ("gateway-password.txt", "xworkmate.gateway.password"),
    ("ollama-cloud-api-key.txt", "xworkmate.ollama.cloud.api_key"),
    ("vault-token.txt", "xworkmate.vault.token"),
    ("ai-gateway-api-key.txt", "xworkmate.ai_gateway.api_key"),
];

/// The old device-identity file (v0.2 – v0.6, not read by v0.6.1; spec §5):
/// plain JSON holding the private key. A legacy secret file: listed, never
/// read, printed, moved or removed by this tool.
pub const DEVICE_IDENTITY_FILE: &str = "gateway-device-identity.json";
/// Old device-token files: `gateway-device-token.<deviceId>.<role>.txt`.
pub const DEVICE_TOKEN_FILE_PREFIX: &str = "gateway-device-token.";

/// A legacy file name as shown: the device id inside a device-token file's
/// name is itself a secret, so it is masked (`dev••••123`), with or without a
/// role after it.
pub fn shown_legacy_file_name(name: &str) -> String {
    let Some(rest) = name
        .strip_prefix(DEVICE_TOKEN_FILE_PREFIX)
        .and_then(|r| r.strip_suffix(".txt"))
    else {
        return name.to_string();
    };
    match rest.rsplit_once('.') {
        Some((device_id, role)) if !device_id.is_empty() => {
            format!("{DEVICE_TOKEN_FILE_PREFIX}{}.{role}.txt", mask(device_id))
        }
        _ => format!("{DEVICE_TOKEN_FILE_PREFIX}{}.txt", mask(rest)),
    }
}

/// Storage key of a device token (role defaults to `operator`).
pub fn device_token_key(device_id: &str, role: Option<&str>) -> String {
    format!(
        "{DEVICE_TOKEN_PREFIX}{device_id}.{}",
        role.unwrap_or("operator")
    )
}

/// The diagnostics name of a storage key (spec §5), if it is a secret's key.
pub fn secret_name(storage_key: &str) -> Option<String> {
    if let Some((name, _)) = KNOWN_SECRETS.iter().find(|(_, k)| *k == storage_key) {
        return Some((*name).to_string());
    }
    let rest = storage_key.strip_prefix(DEVICE_TOKEN_PREFIX)?;
    let role = rest.rsplit_once('.').map(|(_, r)| r).unwrap_or("operator");
    Some(format!("gateway_device_token_{role}"))
}

/// A storage key as shown in diagnostics: a device token's key carries the
/// device id, which is itself a secret (spec §5), so it is masked there.
pub(crate) fn displayed_key(key: &str) -> String {
    match key
        .strip_prefix(DEVICE_TOKEN_PREFIX)
        .and_then(|rest| rest.rsplit_once('.'))
    {
        Some((device_id, role)) => format!("{DEVICE_TOKEN_PREFIX}{}.{role}", mask(device_id)),
        // No role: everything after the prefix is the device id.
        None => match key.strip_prefix(DEVICE_TOKEN_PREFIX) {
            Some(device_id) => format!("{DEVICE_TOKEN_PREFIX}{}", mask(device_id)),
            None => key.to_string(),
        },
    }
}

/// Where a secret lives.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Keyring,
    File,
    Memory,
    None,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Keyring => "keyring",
            Backend::File => "file",
            Backend::Memory => "memory",
            Backend::None => "none",
        }
    }
}

/// One secure-storage implementation.
pub trait SecureStorageClient: Send + Sync {
    fn backend(&self) -> Backend;
    fn read(&self, key: &str) -> Result<Option<SecretValue>>;
    fn write(&self, key: &str, value: &SecretValue) -> Result<()>;
    fn delete(&self, key: &str) -> Result<()>;
    /// Every storage key held.
    fn keys(&self) -> Result<Vec<String>>;
}

// ---------------------------------------------------------------- file client

/// The file fallback: `<dir>/<base64url(key)>.txt`, 0600 files in 0700 dirs.
#[derive(Debug, Clone)]
pub struct FileSecureStorage {
    dir: PathBuf,
}

impl FileSecureStorage {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds `key`.
    pub fn path_for(&self, key: &str) -> PathBuf {
        self.dir
            .join(format!("{}.txt", encode_b64url(key.as_bytes())))
    }

    /// The data folder: `<data>/gateway-auth/secure-storage` → `<data>`.
    fn root(&self) -> PathBuf {
        self.dir
            .parent()
            .and_then(Path::parent)
            .map_or_else(|| self.dir.clone(), Path::to_path_buf)
    }

    fn ensure_dirs(&self) -> Result<()> {
        fsutil::refuse_links(&self.root(), &self.dir)?;
        if let Some(parent) = self.dir.parent() {
            fsutil::ensure_dir(parent, true)?;
        }
        fsutil::ensure_dir(&self.dir, true)
    }
}

impl SecureStorageClient for FileSecureStorage {
    fn backend(&self) -> Backend {
        Backend::File
    }

    fn read(&self, key: &str) -> Result<Option<SecretValue>> {
        Ok(fsutil::read_optional(&self.path_for(key))?
            .map(Zeroizing::new)
            .and_then(|t| SecretValue::new(t.as_str())))
    }

    fn write(&self, key: &str, value: &SecretValue) -> Result<()> {
        self.ensure_dirs()?;
        fsutil::refuse_links(&self.root(), &self.path_for(key))?;
        fsutil::write_atomic(
            &self.path_for(key),
            value.expose().as_bytes(),
            Some(SECRET_FILE_MODE),
        )
    }

    fn delete(&self, key: &str) -> Result<()> {
        fsutil::refuse_links(&self.root(), &self.path_for(key))?;
        fsutil::remove_durable(&self.path_for(key)).map(|_| ())
    }

    fn keys(&self) -> Result<Vec<String>> {
        let rd = match std::fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(StoreError::io("cannot list", &self.dir, e)),
        };
        let mut keys = Vec::new();
        for entry in rd.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".txt") else {
                continue;
            };
            if let Some(key) =
                crate::sealed::decode_b64url(stem).and_then(|b| String::from_utf8(b).ok())
            {
                keys.push(key);
            }
        }
        keys.sort();
        Ok(keys)
    }
}

// -------------------------------------------------------------- memory client

/// In-memory secure storage, for tests only.
#[derive(Debug, Default)]
pub struct MemorySecureStorage {
    map: Mutex<BTreeMap<String, SecretValue>>,
}

impl SecureStorageClient for MemorySecureStorage {
    fn backend(&self) -> Backend {
        Backend::Memory
    }
    fn read(&self, key: &str) -> Result<Option<SecretValue>> {
        Ok(self.map.lock().unwrap().get(key).cloned())
    }
    fn write(&self, key: &str, value: &SecretValue) -> Result<()> {
        self.map
            .lock()
            .unwrap()
            .insert(key.to_string(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<()> {
        self.map.lock().unwrap().remove(key);
        Ok(())
    }
    fn keys(&self) -> Result<Vec<String>> {
        Ok(self.map.lock().unwrap().keys().cloned().collect())
    }
}

// ------------------------------------------------------------- keyring client

/// Health of the OS keyring as seen by one probe.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyringHealth {
    /// The service that was asked (`secret-service`, `macos-keychain`, …).
    pub service: String,
    /// True when the keyring answered in time.
    pub reachable: bool,
    /// How long the probe took.
    pub elapsed_ms: u64,
    /// Why it is unreachable, in one sentence.
    pub error: Option<String>,
    /// The item whose values are read (Linux): XWorkmate's own (`xdg:schema
    /// = '`), else the only other item carrying its `account`. Label and
    /// schema only, never the secret.
    pub item: Option<KeyringItemInfo>,
    /// Other items carrying XWorkmate's `account` (Linux). XWorkmate does not
    /// read them; this tool never writes them.
    pub other_items: Vec<KeyringItemInfo>,
}

/// A keyring item that carries XWorkmate's `account` (spec §5), as inspect
/// shows it: never its secret.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyringItemInfo {
    pub label: String,
    /// Its `xdg:schema` attribute (`'` on real installs), if it has one.
    pub schema: Option<String>,
    /// True for the item XWorkmate itself reads (`xdg:schema = '`).
    pub read_by_xworkmate: bool,
}

/// Default bound on one keyring call.
pub const DEFAULT_KEYRING_TIMEOUT: Duration = Duration::from_secs(3);

/// The OS keyring, laid out as XWorkmate's Flutter build lays it out. Every
/// call runs on a helper thread and is bounded by `timeout`; after a timeout
/// the client reports itself unreachable for the rest of its life, so a dead
/// bus costs one timeout, not one per secret.
pub struct KeyringSecureStorage {
    inner: Arc<os_keyring::Native>,
    timeout: Duration,
    down: Mutex<Option<String>>,
}

impl std::fmt::Debug for KeyringSecureStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringSecureStorage")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl KeyringSecureStorage {
    /// The keyring item XWorkmate uses.
    pub fn xworkmate() -> Self {
        Self::with_account(os_keyring::FLUTTER_ACCOUNT)
    }

    /// A keyring client over another account name (tests use their own so they
    /// never touch a real install's item).
    pub fn with_account(account: &str) -> Self {
        Self {
            inner: Arc::new(os_keyring::Native::new(account)),
            timeout: DEFAULT_KEYRING_TIMEOUT,
            down: Mutex::new(None),
        }
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Why the keyring is considered down, if it is.
    pub fn down_reason(&self) -> Option<String> {
        self.down.lock().unwrap().clone()
    }

    fn call<T: Send + 'static>(
        &self,
        op: impl FnOnce(&os_keyring::Native) -> std::result::Result<T, String> + Send + 'static,
    ) -> Result<T> {
        if let Some(reason) = self.down_reason() {
            return Err(keyring_error(reason));
        }
        let inner = Arc::clone(&self.inner);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("keyring-call".into())
            .spawn(move || {
                let _ = tx.send(op(&inner));
            })
            .map_err(|e| keyring_error(format!("cannot start keyring thread: {e}")))?;
        match rx.recv_timeout(self.timeout) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(message)) => Err(keyring_error(message)),
            Err(_) => {
                let reason = format!(
                    "the keyring did not answer within {} ms",
                    self.timeout.as_millis()
                );
                *self.down.lock().unwrap() = Some(reason.clone());
                Err(keyring_error(reason))
            }
        }
    }

    /// The items carrying XWorkmate's `account`, XWorkmate's own first
    /// (Linux; elsewhere none are listed).
    pub fn items(&self) -> Result<Vec<KeyringItemInfo>> {
        self.call(|n| n.items())
    }

    /// Reads `key` from the item XWorkmate itself reads, and only from it:
    /// the read-back after a move (an item XWorkmate cannot see proves nothing).
    pub fn read_xworkmates(&self, key: &str) -> Result<Option<SecretValue>> {
        let key = key.to_string();
        self.call(move |n| n.read_xworkmates(&key))
    }

    /// Asks the keyring for XWorkmate's item without reading any secret.
    pub fn probe(&self) -> KeyringHealth {
        let start = Instant::now();
        let result = self.items();
        let elapsed_ms = start.elapsed().as_millis() as u64;
        let (items, error) = match result {
            Ok(items) => (items, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        // The item read: XWorkmate's, else a lone other one (as `find`).
        let read = items.first().is_some_and(|i| i.read_by_xworkmate) || items.len() == 1;
        let mut items = items.into_iter();
        KeyringHealth {
            service: os_keyring::SERVICE_NAME.to_string(),
            reachable: error.is_none(),
            elapsed_ms,
            error,
            item: if read { items.next() } else { None },
            other_items: items.collect(),
        }
    }
}

fn keyring_error(message: String) -> StoreError {
    StoreError::SecureStorage {
        backend: "keyring".into(),
        message,
    }
}

impl SecureStorageClient for KeyringSecureStorage {
    fn backend(&self) -> Backend {
        Backend::Keyring
    }
    fn read(&self, key: &str) -> Result<Option<SecretValue>> {
        let key = key.to_string();
        self.call(move |n| n.read(&key))
    }
    fn write(&self, key: &str, value: &SecretValue) -> Result<()> {
        let key = key.to_string();
        let value = value.clone();
        self.call(move |n| n.write(&key, &value))
    }
    fn delete(&self, key: &str) -> Result<()> {
        let key = key.to_string();
        self.call(move |n| n.delete(&key))
    }
    fn keys(&self) -> Result<Vec<String>> {
        self.call(|n| n.keys())
    }
}

#[cfg(target_os = "linux")]
mod os_keyring {
    //! Secret Service: one item with `account = plus.svc.xworkmate.secureStorage`
    //! whose secret is a JSON object mapping storage key → value (what
    //! flutter_secure_storage writes on Linux).
    use std::collections::HashMap;

    use dbus_secret_service::{EncryptionType, Item, SecretService};
    use serde_json::{Map, Value};
    use zeroize::Zeroizing;

    use super::{KeyringItemInfo, SecretValue};

    pub const FLUTTER_ACCOUNT: &str = "plus.svc.xworkmate.secureStorage";
    /// The `xdg:schema` value real installs carry (spec §5: a bug of
    /// flutter_secure_storage_linux 1.2.3 turns the intended schema name,
    /// `plus.svc.xworkmate/FlutterSecureStorage`, into a single apostrophe). XWorkmate looks its
    /// item up by this value + `account`: an item with any other schema is
    /// invisible to it.
    pub const XWORKMATE_SCHEMA: &str = "'";
    pub const SERVICE_NAME: &str = "secret-service";

    pub struct Native {
        account: String,
    }

    type R<T> = std::result::Result<T, String>;

    fn connect() -> R<SecretService> {
        // A zero prompt timeout: a locked collection is reported, never prompted for.
        SecretService::connect_with_max_prompt_timeout(EncryptionType::Dh, 0)
            .map_err(|e| format!("cannot reach the Secret Service: {e}"))
    }

    /// The items that carry XWorkmate's `account`, as found.
    struct Found<'a> {
        /// The item whose values are read: XWorkmate's (schema `'`), else the
        /// only item there is (several others: none, since which one would
        /// be a guess).
        chosen: Option<Item<'a>>,
        /// What was found, XWorkmate's item first.
        infos: Vec<KeyringItemInfo>,
    }

    impl Found<'_> {
        fn chosen_is_xworkmates(&self) -> bool {
            self.chosen.is_some() && self.infos.first().is_some_and(|i| i.read_by_xworkmate)
        }
    }

    impl Native {
        pub fn new(account: &str) -> Self {
            Self {
                account: account.to_string(),
            }
        }

        /// Finds the items by `account` alone (spec §5): several may match,
        /// and the one XWorkmate reads is the one with `xdg:schema = '`.
        fn find<'a>(&self, ss: &'a SecretService) -> R<Found<'a>> {
            let found = ss
                .search_items(HashMap::from([("account", self.account.as_str())]))
                .map_err(|e| format!("Secret Service search failed: {e}"))?;
            if found.unlocked.is_empty() && !found.locked.is_empty() {
                return Err("the keyring collection holding XWorkmate's secrets is locked".into());
            }
            let mut described = Vec::new();
            for item in found.unlocked {
                let attributes = item
                    .get_attributes()
                    .map_err(|e| format!("cannot read a keyring item's attributes: {e}"))?;
                let schema = attributes.get("xdg:schema").cloned();
                let info = KeyringItemInfo {
                    label: item.get_label().unwrap_or_default(),
                    read_by_xworkmate: schema.as_deref() == Some(XWORKMATE_SCHEMA),
                    schema,
                };
                described.push((item, info));
            }
            // XWorkmate's item first, then the others in a stable order.
            described.sort_by(|(_, a), (_, b)| {
                b.read_by_xworkmate
                    .cmp(&a.read_by_xworkmate)
                    .then_with(|| a.label.cmp(&b.label))
                    .then_with(|| a.schema.cmp(&b.schema))
            });
            let infos: Vec<KeyringItemInfo> = described.iter().map(|(_, i)| i.clone()).collect();
            let readable = infos.first().is_some_and(|i| i.read_by_xworkmate) || infos.len() == 1;
            Ok(Found {
                chosen: readable
                    .then(|| described.into_iter().next().map(|(item, _)| item))
                    .flatten(),
                infos,
            })
        }

        fn load(&self, item: &Item<'_>) -> R<Map<String, Value>> {
            let bytes = Zeroizing::new(
                item.get_secret()
                    .map_err(|e| format!("cannot read the keyring item: {e}"))?,
            );
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Map::new());
            }
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(map)) => Ok(map),
                _ => Err("the keyring item is not a JSON object of storage keys".into()),
            }
        }

        /// Writes the map back into XWorkmate's own item, the way the plugin
        /// writes it: keys sorted, one member per line. Never creates an item
        /// (XWorkmate would not see one this tool made) and never writes into
        /// an item XWorkmate does not read.
        fn store(&self, found: Found<'_>, map: &Map<String, Value>) -> R<()> {
            if !found.chosen_is_xworkmates() {
                return Err(if found.infos.is_empty() {
                    "XWorkmate's keyring item does not exist, and this tool never creates one"
                        .into()
                } else {
                    "the only keyring item is one XWorkmate does not read; nothing is written into it"
                        .into()
                });
            }
            let item = found.chosen.expect("checked above");
            let json = Zeroizing::new(flutter_json(map));
            item.set_secret(json.as_bytes(), "text/plain")
                .map_err(|e| format!("cannot update the keyring item: {e}"))
        }

        pub fn items(&self) -> R<Vec<KeyringItemInfo>> {
            let ss = connect()?;
            Ok(self.find(&ss)?.infos)
        }

        pub fn read(&self, key: &str) -> R<Option<SecretValue>> {
            let ss = connect()?;
            match self.find(&ss)?.chosen {
                Some(item) => self.value_of(&item, key),
                None => Ok(None),
            }
        }

        /// One value of an item's map (the rest of the map is wiped).
        fn value_of(&self, item: &Item<'_>, key: &str) -> R<Option<SecretValue>> {
            let map = self.load(item)?;
            let value = map
                .get(key)
                .and_then(Value::as_str)
                .and_then(SecretValue::new);
            zeroize_map(map);
            Ok(value)
        }

        /// Reads only from XWorkmate's own item (a read-back after a write).
        pub fn read_xworkmates(&self, key: &str) -> R<Option<SecretValue>> {
            let ss = connect()?;
            let found = self.find(&ss)?;
            if !found.chosen_is_xworkmates() {
                return Ok(None);
            }
            self.value_of(found.chosen.as_ref().expect("checked above"), key)
        }

        pub fn write(&self, key: &str, value: &SecretValue) -> R<()> {
            let ss = connect()?;
            let found = self.find(&ss)?;
            let mut map = match (&found.chosen, found.chosen_is_xworkmates()) {
                (Some(item), true) => self.load(item)?,
                _ => Map::new(),
            };
            map.insert(key.to_string(), Value::String(value.expose().to_string()));
            let result = self.store(found, &map);
            zeroize_map(map);
            result
        }

        pub fn delete(&self, key: &str) -> R<()> {
            let ss = connect()?;
            let found = self.find(&ss)?;
            if !found.chosen_is_xworkmates() {
                return Ok(());
            }
            let mut map = self.load(found.chosen.as_ref().expect("checked above"))?;
            if map.shift_remove(key).is_none() {
                zeroize_map(map);
                return Ok(());
            }
            let result = self.store(found, &map);
            zeroize_map(map);
            result
        }

        pub fn keys(&self) -> R<Vec<String>> {
            let ss = connect()?;
            let Some(item) = self.find(&ss)?.chosen else {
                return Ok(Vec::new());
            };
            let map = self.load(&item)?;
            let keys = map.keys().cloned().collect();
            zeroize_map(map);
            Ok(keys)
        }
    }

    /// The item's secret as flutter_secure_storage_linux writes it: a JSON
    /// object with its keys sorted, one member per line (nlohmann's
    /// `dump(1)`-style layout is not needed: the plugin parses any JSON).
    pub(super) fn flutter_json(map: &Map<String, Value>) -> String {
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort();
        let mut out = String::from("{");
        for (i, key) in keys.iter().enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&serde_json::to_string(key).expect("a string serializes"));
            out.push(':');
            out.push_str(&serde_json::to_string(&map[*key]).expect("a value serializes"));
        }
        out.push_str(if keys.is_empty() { "}" } else { "\n}" });
        out
    }

    fn zeroize_map(map: Map<String, Value>) {
        for (_, v) in map {
            if let Value::String(s) = v {
                drop(Zeroizing::new(s));
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod os_keyring {
    //! macOS and Windows (spec §5). Neither is ever written from here:
    //! - macOS: XWorkmate's items live in the data-protection keychain, which
    //!   only apps signed into XWorkmate's access group can read; from outside
    //!   they are "not visible" (never "not set").
    //! - Windows: one file, `flutter_secure_storage.dat` beside the data dir
    //!   (a DPAPI blob, current user, no entropy, of compact JSON); read with
    //!   `CryptUnprotectData`, never written (the plugin deletes a file it
    //!   cannot decrypt or parse).
    //!
    //! Not built on the Linux CI machine: kept small; the JSON handling is
    //! [`super::parse_windows_store`], tested everywhere.
    use super::{KeyringItemInfo, SecretValue};

    type R<T> = std::result::Result<T, String>;

    pub const FLUTTER_ACCOUNT: &str = "flutter_secure_storage_service";
    #[cfg(target_os = "macos")]
    pub const SERVICE_NAME: &str = "macos-keychain";
    #[cfg(not(target_os = "macos"))]
    pub const SERVICE_NAME: &str = "windows-secure-storage";

    pub struct Native;

    impl Native {
        pub fn new(_account: &str) -> Self {
            Native
        }

        /// No items to list; answers whether the store can be asked.
        pub fn items(&self) -> R<Vec<KeyringItemInfo>> {
            #[cfg(target_os = "windows")]
            windows::load()?;
            Ok(Vec::new())
        }

        pub fn read(&self, key: &str) -> R<Option<SecretValue>> {
            #[cfg(target_os = "macos")]
            {
                let _ = key;
                Err(super::KEYCHAIN_HIDDEN.into())
            }
            #[cfg(target_os = "windows")]
            {
                Ok(windows::load()?.remove(key))
            }
            #[cfg(not(any(target_os = "macos", target_os = "windows")))]
            {
                let _ = key;
                Ok(None)
            }
        }

        pub fn read_xworkmates(&self, key: &str) -> R<Option<SecretValue>> {
            self.read(key)
        }

        /// Never (see the module's documentation).
        pub fn write(&self, _key: &str, _value: &SecretValue) -> R<()> {
            Err(
                "XWorkmate's secure storage on this system is never written from outside XWorkmate"
                    .into(),
            )
        }

        /// Never (see the module's documentation).
        pub fn delete(&self, _key: &str) -> R<()> {
            Err(
                "XWorkmate's secure storage on this system is never changed from outside XWorkmate"
                    .into(),
            )
        }

        pub fn keys(&self) -> R<Vec<String>> {
            #[cfg(target_os = "windows")]
            {
                Ok(windows::load()?.into_keys().collect())
            }
            #[cfg(not(target_os = "windows"))]
            {
                Ok(Vec::new())
            }
        }
    }

    #[cfg(target_os = "windows")]
    mod windows {
        use std::collections::BTreeMap;

        use windows_sys::Win32::Foundation::LocalFree;
        use windows_sys::Win32::Security::Cryptography::{CryptUnprotectData, CRYPT_INTEGER_BLOB};
        use zeroize::Zeroizing;

        use crate::platform::Platform;
        use crate::secret::SecretValue;

        /// `%APPDATA%\plus.svc\XWorkmate\flutter_secure_storage.dat`: the
        /// default data dir's parent.
        fn store_file() -> Option<std::path::PathBuf> {
            Some(
                Platform::current()
                    .data_dir()?
                    .parent()?
                    .join("flutter_secure_storage.dat"),
            )
        }

        /// The map of storage key → value; empty when there is no file.
        pub fn load() -> Result<BTreeMap<String, SecretValue>, String> {
            let Some(path) = store_file() else {
                return Ok(BTreeMap::new());
            };
            let blob = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
                Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            };
            let plain = unprotect(&blob)?;
            super::super::parse_windows_store(&plain)
        }

        /// DPAPI, current user, no entropy, no prompt.
        fn unprotect(blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, String> {
            let input = CRYPT_INTEGER_BLOB {
                cbData: blob.len() as u32,
                pbData: blob.as_ptr() as *mut u8,
            };
            let mut output = CRYPT_INTEGER_BLOB {
                cbData: 0,
                pbData: std::ptr::null_mut(),
            };
            // SAFETY: `input` points at `blob`, alive for the call; `output`
            // is filled by DPAPI with a LocalAlloc'ed buffer freed below.
            let ok = unsafe {
                CryptUnprotectData(
                    &input,
                    std::ptr::null_mut(),
                    std::ptr::null(),
                    std::ptr::null(),
                    std::ptr::null(),
                    0,
                    &mut output,
                )
            };
            if ok == 0 {
                return Err(format!(
                    "the Windows secure storage file cannot be decrypted for this user: {}",
                    std::io::Error::last_os_error()
                ));
            }
            // SAFETY: DPAPI returned `cbData` bytes at `pbData`.
            let plain = unsafe {
                let bytes =
                    std::slice::from_raw_parts(output.pbData, output.cbData as usize).to_vec();
                std::ptr::write_bytes(output.pbData, 0, output.cbData as usize);
                LocalFree(output.pbData as _);
                bytes
            };
            Ok(Zeroizing::new(plain))
        }
    }
}

/// True where XWorkmate's keyring values cannot be seen by another program
/// (macOS: the data-protection keychain).
pub const KEYRING_HIDES_VALUES: bool = cfg!(target_os = "macos");

/// What a macOS keychain secret is from outside XWorkmate (spec §5).
pub const KEYCHAIN_HIDDEN: &str =
    "kept in XWorkmate's macOS keychain, which only XWorkmate can read: not visible from outside XWorkmate";

/// The decrypted contents of XWorkmate's Windows secure storage file: compact
/// JSON `{"<storage key>": "<value>", …}` (spec §5). Values that are not
/// text are skipped; anything but a JSON object is an error (which names no
/// content).
pub fn parse_windows_store(
    plain: &[u8],
) -> std::result::Result<BTreeMap<String, SecretValue>, String> {
    match serde_json::from_slice::<serde_json::Value>(plain) {
        Ok(serde_json::Value::Object(map)) => Ok(map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => SecretValue::new(s).map(|v| (k, v)),
                _ => None,
            })
            .collect()),
        Ok(_) => Err("the Windows secure storage file does not hold a JSON object".into()),
        Err(e) => Err(format!(
            "the Windows secure storage file is not JSON: {}",
            crate::document::json_error(&e)
        )),
    }
}

// ---------------------------------------------------------------- the store

/// Which secure storage to use.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SecretsMode {
    /// OS keyring with a bounded wait, falling back to the file store.
    #[default]
    Auto,
    /// Only the OS keyring.
    Keyring,
    /// Only `<data dir>/gateway-auth/secure-storage/`.
    File,
    /// In memory (tests only).
    Memory,
}

impl std::str::FromStr for SecretsMode {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "auto" => Ok(SecretsMode::Auto),
            "keyring" => Ok(SecretsMode::Keyring),
            "file" => Ok(SecretsMode::File),
            other => Err(format!(
                "unknown secrets backend {other:?} (expected auto, keyring or file)"
            )),
        }
    }
}

/// A secret's presence, as inspect shows it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SecretEntry {
    /// Diagnostics name (spec §5).
    pub name: String,
    pub storage_key: String,
    pub present: bool,
    pub backend: Backend,
    /// Why the secret could not be read (a damaged or unreadable file, the
    /// keyring in `keyring` mode): it may be there, but nobody can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub problem: Option<String>,
    /// True for a secret kept where no program but XWorkmate can see it (the
    /// macOS data-protection keychain, spec §5): not "not set", but unknown
    /// from outside XWorkmate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub hidden: bool,
    /// The spec §5 mask; `None` when masks are not wanted (exports).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub masked: Option<String>,
}

/// What [`SecretStore::migrate_legacy_files`] did, by secret name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyMigration {
    /// Files moved into secure storage (and removed).
    pub moved: Vec<String>,
    /// Files left in place because secure storage holds a different value.
    pub conflicts: Vec<String>,
    /// Files left in place because there is nowhere XWorkmate would read
    /// their value from (spec §5), with why.
    pub kept: Vec<KeptFile>,
}

/// Why a secret cannot be moved where XWorkmate will read it, so that the
/// legacy file holding it stays (spec §5, "Where a secret may be moved").
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeptReason {
    /// A folder given explicitly, in `auto` mode: its own file store is read,
    /// but nothing is moved into it unless `--secrets file` was chosen.
    FileStoreNotChosen,
    /// Linux: XWorkmate's keyring item does not exist (this tool never
    /// creates one: XWorkmate would not see it).
    NoKeyringItem,
    /// Linux: the only keyring item is one XWorkmate does not read.
    KeyringItemInvisible,
    /// The keyring did not answer, or failed.
    KeyringUnavailable,
    /// macOS: XWorkmate's keychain items cannot be written from outside XWorkmate.
    KeychainNotWritable,
    /// Windows: XWorkmate's `flutter_secure_storage.dat` is never written here.
    WindowsStoreNotWritable,
    /// The value was written but did not read back.
    NotVerified,
}

impl KeptReason {
    /// One English sentence, for support.
    pub fn sentence(self) -> &'static str {
        match self {
            KeptReason::FileStoreNotChosen => "the folder was given explicitly, so its file store is read but nothing is moved into it unless the file store is chosen (--secrets file)",
            KeptReason::NoKeyringItem => "XWorkmate's keyring item does not exist, and this tool never creates one (XWorkmate would not see it)",
            KeptReason::KeyringItemInvisible => "the only keyring item is one XWorkmate does not read, so nothing is written into it",
            KeptReason::KeyringUnavailable => "the keyring did not answer",
            KeptReason::KeychainNotWritable => "XWorkmate's keychain items cannot be written from outside XWorkmate",
            KeptReason::WindowsStoreNotWritable => "XWorkmate's Windows secure storage file is never written by this tool",
            KeptReason::NotVerified => "the value did not read back after writing it",
        }
    }
}

/// Why a secret could not be moved: the reason and the detail (an error
/// message that names no secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub reason: KeptReason,
    pub detail: Option<String>,
}

impl Kept {
    fn new(reason: KeptReason) -> Self {
        Self {
            reason,
            detail: None,
        }
    }
    fn because(reason: KeptReason, detail: impl std::fmt::Display) -> Self {
        Self {
            reason,
            detail: Some(detail.to_string()),
        }
    }
}

impl std::fmt::Display for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.reason.sentence())?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

/// A legacy secret file that stayed where it is, and why.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct KeptFile {
    /// The secret's name (spec §5).
    pub name: String,
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
    pub reason: KeptReason,
}

/// Device identity (spec §5). Its Debug output masks every field.
#[derive(Clone)]
pub struct DeviceIdentity {
    pub device_id: String,
    pub public_key: String,
    pub private_key: SecretValue,
}

impl std::fmt::Debug for DeviceIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceIdentity")
            .field("device_id", &mask(&self.device_id))
            .field("public_key", &mask(&self.public_key))
            .field("private_key", &self.private_key)
            .finish()
    }
}

/// The SecretStore: secure storage for one data dir.
pub struct SecretStore {
    location: DataLocation,
    /// The mode in effect: `auto` on a folder given explicitly is `file`.
    mode: SecretsMode,
    /// The mode asked for (`file` chosen by name makes the file store a place
    /// secrets may be moved into).
    requested: SecretsMode,
    keyring: Option<KeyringSecureStorage>,
    file: FileSecureStorage,
    memory: Option<MemorySecureStorage>,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretStore")
            .field("data_dir", &self.location.data_dir())
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl SecretStore {
    /// A store for `location` in `mode`. Nothing is touched until used.
    pub fn new(location: &DataLocation, mode: SecretsMode) -> Self {
        Self::with_keyring(location, mode, None)
    }

    /// A store with a given keyring client (tests pass one with their own account
    /// or a short timeout).
    ///
    /// A folder given explicitly (`--data-dir`, `XWORKMATE_DATA_DIR`, "Open
    /// another data folder…") is, as a rule, someone else's copy: in `auto`
    /// mode its secrets are its own file store, never this machine's keyring
    /// (spec §5); the keyring is used for it only when asked for by name.
    pub fn with_keyring(
        location: &DataLocation,
        requested: SecretsMode,
        keyring: Option<KeyringSecureStorage>,
    ) -> Self {
        let mode = if requested == SecretsMode::Auto && location.is_explicit() {
            SecretsMode::File
        } else {
            requested
        };
        Self {
            location: location.clone(),
            mode,
            requested,
            // Auto and keyring modes always have a keyring client (the default one
            // when none is given); the other modes never touch the keyring.
            keyring: matches!(mode, SecretsMode::Auto | SecretsMode::Keyring)
                .then(|| keyring.unwrap_or_else(KeyringSecureStorage::xworkmate)),
            file: FileSecureStorage::new(location.secure_storage_dir()),
            memory: (mode == SecretsMode::Memory).then(MemorySecureStorage::default),
        }
    }

    /// The mode in effect (`file` for `auto` on a folder given explicitly).
    pub fn mode(&self) -> SecretsMode {
        self.mode
    }

    /// Where a secret moved out of a legacy file would go so that XWorkmate
    /// reads it (spec §5), or why there is no such place. Only reads.
    pub fn move_target(&self) -> std::result::Result<Backend, Kept> {
        match self.mode {
            SecretsMode::Memory => Ok(Backend::Memory),
            SecretsMode::File if self.requested == SecretsMode::File => Ok(Backend::File),
            SecretsMode::File => Err(Kept::new(KeptReason::FileStoreNotChosen)),
            SecretsMode::Keyring | SecretsMode::Auto => {
                if cfg!(target_os = "macos") {
                    return Err(Kept::new(KeptReason::KeychainNotWritable));
                }
                if cfg!(target_os = "windows") {
                    return Err(Kept::new(KeptReason::WindowsStoreNotWritable));
                }
                let keyring = self.keyring.as_ref().expect("keyring modes have a client");
                match keyring.items() {
                    Err(e) => Err(Kept::because(KeptReason::KeyringUnavailable, e)),
                    Ok(items) if items.iter().any(|i| i.read_by_xworkmate) => Ok(Backend::Keyring),
                    Ok(items) if items.is_empty() => Err(Kept::new(KeptReason::NoKeyringItem)),
                    Ok(_) => Err(Kept::new(KeptReason::KeyringItemInvisible)),
                }
            }
        }
    }

    /// The value of `key` where [`SecretStore::move_target`] would put it.
    fn read_at_target(&self, target: Backend, key: &str) -> Result<Option<SecretValue>> {
        match target {
            Backend::Memory => self.memory.as_ref().expect("memory mode").read(key),
            Backend::File => self.file.read(key),
            Backend::Keyring => self
                .keyring
                .as_ref()
                .expect("keyring modes have a client")
                .read_xworkmates(key),
            Backend::None => Ok(None),
        }
    }

    /// Stores a secret where XWorkmate will read it (spec §5) and reads it
    /// back from there: the file store only when it was chosen by name; on
    /// Linux XWorkmate's existing keyring item (never a new one); nowhere
    /// else. Callers delete a legacy file only after this succeeded.
    pub fn store_for_xworkmate(
        &self,
        key: &str,
        value: &SecretValue,
    ) -> std::result::Result<Backend, Kept> {
        let target = self.move_target()?;
        let written = match target {
            Backend::Memory => self.memory.as_ref().expect("memory mode").write(key, value),
            Backend::File => self.file.write(key, value),
            Backend::Keyring => self
                .keyring
                .as_ref()
                .expect("keyring modes have a client")
                .write(key, value),
            Backend::None => unreachable!("move_target never answers None"),
        };
        written.map_err(|e| match target {
            Backend::Keyring => Kept::because(KeptReason::KeyringUnavailable, e),
            _ => Kept::because(KeptReason::NotVerified, e),
        })?;
        match self.read_at_target(target, key) {
            Ok(Some(stored)) if &stored == value => Ok(target),
            Ok(_) => Err(Kept::new(KeptReason::NotVerified)),
            Err(e) => Err(Kept::because(KeptReason::NotVerified, e)),
        }
    }

    pub fn file_storage(&self) -> &FileSecureStorage {
        &self.file
    }

    /// Creates `gateway-auth/secure-storage` (0700). Write paths call this.
    pub fn initialize(&self) -> Result<()> {
        self.location
            .refuse_links(&self.location.secure_storage_dir())?;
        fsutil::ensure_dir(&self.location.gateway_auth(), true)?;
        fsutil::ensure_dir(&self.location.secure_storage_dir(), true)
    }

    /// Keyring health, if this store uses the keyring.
    pub fn keyring_health(&self) -> Option<KeyringHealth> {
        self.keyring.as_ref().map(|k| k.probe())
    }

    /// Why the keyring was given up on in this store's life, if it was.
    pub fn keyring_fallback_reason(&self) -> Option<String> {
        self.keyring.as_ref().and_then(|k| k.down_reason())
    }

    /// The clients to read from, in order.
    fn readers(&self) -> Vec<&dyn SecureStorageClient> {
        match self.mode {
            SecretsMode::Memory => vec![self.memory.as_ref().unwrap() as &dyn SecureStorageClient],
            SecretsMode::File => vec![&self.file],
            SecretsMode::Keyring => vec![self.keyring.as_ref().unwrap()],
            SecretsMode::Auto => {
                let mut v: Vec<&dyn SecureStorageClient> = Vec::new();
                if let Some(k) = &self.keyring {
                    v.push(k);
                }
                v.push(&self.file);
                v
            }
        }
    }

    /// Reads a secret and where it was found, without migrating anything (a
    /// presence check). In `auto` mode a keyring failure falls through to the
    /// file store; in `keyring` mode it is an error.
    pub fn locate(&self, key: &str) -> Result<Option<(Backend, SecretValue)>> {
        self.locate_with(key, false)
    }

    /// Like [`SecretStore::locate`], but when the secret was not found and a
    /// backend could not be asked (auto mode with the keyring down), that is an
    /// error rather than "absent": nobody can tell whether it is stored.
    pub fn locate_strict(&self, key: &str) -> Result<Option<(Backend, SecretValue)>> {
        self.locate_with(key, true)
    }

    fn locate_with(&self, key: &str, strict: bool) -> Result<Option<(Backend, SecretValue)>> {
        let readers = self.readers();
        let fallback_exists = readers.len() > 1;
        let mut failure = None;
        for client in readers {
            match client.read(key) {
                Ok(Some(v)) => return Ok(Some((client.backend(), v))),
                Ok(None) => {}
                // In auto mode a keyring failure falls through to the file
                // store (a timeout is recorded as the keyring's down reason).
                Err(_) if !strict && fallback_exists && client.backend() == Backend::Keyring => {}
                Err(e) => failure = failure.or(Some(e)),
            }
        }
        failure.map_or(Ok(None), Err)
    }

    /// Reads a secret. When it is absent and a legacy plain secret file holds
    /// it, the value is moved into secure storage first (written, read back, and
    /// only then the file removed).
    pub fn read(&self, key: &str) -> Result<Option<SecretValue>> {
        if let Some((_, v)) = self.locate(key)? {
            return Ok(Some(v));
        }
        if let Some((file, _)) = LEGACY_SECRET_FILES.iter().find(|(_, k)| *k == key) {
            let path = self.location.gateway_auth().join(file);
            if let Some(text) = fsutil::read_optional(&path)?.map(Zeroizing::new) {
                if let Some(value) = SecretValue::new(text.as_str()) {
                    // The file goes only once XWorkmate can read the value
                    // elsewhere; otherwise it stays, and is the value.
                    if self.store_for_xworkmate(key, &value).is_ok() {
                        self.location.refuse_links(&path)?;
                        fsutil::remove_durable(&path)?;
                    }
                    return Ok(Some(value));
                }
            }
        }
        Ok(None)
    }

    /// Writes a secret to the preferred backend (auto: keyring, else file).
    pub fn write(&self, key: &str, value: &SecretValue) -> Result<Backend> {
        match self.mode {
            SecretsMode::Memory => self
                .memory
                .as_ref()
                .unwrap()
                .write(key, value)
                .map(|_| Backend::Memory),
            SecretsMode::File => self.file.write(key, value).map(|_| Backend::File),
            SecretsMode::Keyring => self
                .keyring
                .as_ref()
                .unwrap()
                .write(key, value)
                .map(|_| Backend::Keyring),
            SecretsMode::Auto => {
                if let Some(k) = &self.keyring {
                    if k.write(key, value).is_ok() {
                        return Ok(Backend::Keyring);
                    }
                }
                self.file.write(key, value).map(|_| Backend::File)
            }
        }
    }

    /// Removes a secret from every backend of this store.
    pub fn delete(&self, key: &str) -> Result<()> {
        for client in self.readers() {
            client.delete(key)?;
        }
        Ok(())
    }

    /// Moves every legacy plain secret file into secure storage: the value is
    /// written and read back, and only then the file removed. A file whose
    /// secret is already stored with a *different* value is left in place and
    /// reported as a conflict (never deleted: it may be the only copy).
    pub fn migrate_legacy_files(&self) -> Result<LegacyMigration> {
        let mut out = LegacyMigration::default();
        let present: Vec<(PathBuf, &str)> = LEGACY_SECRET_FILES
            .iter()
            .map(|(file, key)| (self.location.gateway_auth().join(file), *key))
            .filter(|(path, _)| path.exists())
            .collect();
        if present.is_empty() {
            return Ok(out);
        }
        // Where XWorkmate would read a moved value; without such a place every
        // file stays (XWorkmate migrates them itself at its next start).
        let target = match self.move_target() {
            Ok(target) => target,
            Err(kept) => {
                out.kept = present
                    .into_iter()
                    .map(|(path, key)| KeptFile {
                        name: secret_name(key).unwrap_or_else(|| key.to_string()),
                        path,
                        reason: kept.reason,
                    })
                    .collect();
                return Ok(out);
            }
        };
        for (path, key) in present {
            let name = secret_name(key).unwrap_or_else(|| key.to_string());
            let value = fsutil::read_optional(&path)?
                .map(Zeroizing::new)
                .and_then(|t| SecretValue::new(t.as_str()));
            if let Some(value) = value {
                match self.read_at_target(target, key) {
                    Ok(None) => {
                        if let Err(kept) = self.store_for_xworkmate(key, &value) {
                            out.kept.push(KeptFile {
                                name,
                                path,
                                reason: kept.reason,
                            });
                            continue;
                        }
                    }
                    Ok(Some(stored)) if stored == value => {}
                    Ok(Some(_)) => {
                        out.conflicts.push(name);
                        continue;
                    }
                    Err(_) => {
                        out.kept.push(KeptFile {
                            name,
                            path,
                            reason: match target {
                                Backend::Keyring => KeptReason::KeyringUnavailable,
                                _ => KeptReason::NotVerified,
                            },
                        });
                        continue;
                    }
                }
            }
            // Stored where XWorkmate reads it (or empty, so nothing to keep):
            // the file can go.
            self.location.refuse_links(&path)?;
            fsutil::remove_durable(&path)?;
            out.moved.push(name);
        }
        Ok(out)
    }

    /// Every legacy secret file present, as shown (device ids in names
    /// masked): the plain secret files recovery moves, and the old
    /// device-identity files (v0.2 – v0.6), which stay. Never reads them.
    pub fn legacy_files_shown(&self) -> Vec<PathBuf> {
        let dir = self.location.gateway_auth();
        let mut out = self.legacy_files();
        let mut device: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                (name == DEVICE_IDENTITY_FILE
                    || (name.starts_with(DEVICE_TOKEN_FILE_PREFIX) && name.ends_with(".txt")))
                .then(|| dir.join(shown_legacy_file_name(&name)))
            })
            .collect();
        device.sort();
        out.extend(device);
        out
    }

    /// Legacy plain secret files present (never read by presence checks).
    pub fn legacy_files(&self) -> Vec<PathBuf> {
        LEGACY_SECRET_FILES
            .iter()
            .map(|(f, _)| self.location.gateway_auth().join(f))
            .filter(|p| p.exists())
            .collect()
    }

    /// Every storage key held in any backend of this store.
    pub fn stored_keys(&self) -> Vec<(Backend, String)> {
        let mut out = Vec::new();
        for client in self.readers() {
            if let Ok(keys) = client.keys() {
                out.extend(keys.into_iter().map(|k| (client.backend(), k)));
            }
        }
        out
    }

    /// Presence of every logical secret (spec §5), including device tokens
    /// found in storage. `with_masks` adds the spec §5 mask. Never migrates.
    pub fn entries(&self, with_masks: bool) -> Vec<SecretEntry> {
        let mut keys: Vec<String> = KNOWN_SECRETS.iter().map(|(_, k)| k.to_string()).collect();
        for (_, k) in self.stored_keys() {
            if k.starts_with(DEVICE_TOKEN_PREFIX) && !keys.contains(&k) {
                keys.push(k);
            }
        }
        keys.into_iter()
            .map(|key| {
                let (found, problem) = match self.locate(&key) {
                    Ok(found) => (found, None),
                    Err(e) => (None, Some(e.to_string())),
                };
                let hidden = found.is_none() && self.keyring.is_some() && KEYRING_HIDES_VALUES;
                let problem = if hidden { None } else { problem };
                SecretEntry {
                    hidden,
                    problem,
                    name: secret_name(&key).unwrap_or_else(|| key.clone()),
                    present: found.is_some(),
                    backend: found.as_ref().map_or(Backend::None, |(b, _)| *b),
                    // A hidden secret has no mask: "Not set" would be wrong.
                    masked: (with_masks && !hidden)
                        .then(|| found.as_ref().map_or_else(|| mask(""), |(_, v)| v.masked())),
                    storage_key: displayed_key(&key),
                }
            })
            .collect()
    }

    // ---- device identity and tokens

    pub fn device_identity(&self) -> Result<Option<DeviceIdentity>> {
        let id = self.read(DEVICE_ID_KEY)?;
        let public = self.read(DEVICE_PUBLIC_KEY_KEY)?;
        let private = self.read(DEVICE_PRIVATE_KEY_KEY)?;
        Ok(match (id, public, private) {
            (Some(id), Some(public), Some(private_key)) => Some(DeviceIdentity {
                device_id: id.expose().to_string(),
                public_key: public.expose().to_string(),
                private_key,
            }),
            _ => None,
        })
    }

    pub fn save_device_identity(&self, identity: &DeviceIdentity) -> Result<()> {
        let id = SecretValue::new(identity.device_id.as_str())
            .ok_or_else(|| StoreError::invalid("device id", "empty"))?;
        let public = SecretValue::new(identity.public_key.as_str())
            .ok_or_else(|| StoreError::invalid("device public key", "empty"))?;
        self.write(DEVICE_ID_KEY, &id)?;
        self.write(DEVICE_PUBLIC_KEY_KEY, &public)?;
        self.write(DEVICE_PRIVATE_KEY_KEY, &identity.private_key)?;
        Ok(())
    }

    pub fn device_token(&self, device_id: &str, role: Option<&str>) -> Result<Option<SecretValue>> {
        self.read(&device_token_key(device_id, role))
    }

    pub fn save_device_token(
        &self,
        device_id: &str,
        role: Option<&str>,
        token: &SecretValue,
    ) -> Result<()> {
        self.write(&device_token_key(device_id, role), token)
            .map(|_| ())
    }

    pub fn delete_device_token(&self, device_id: &str, role: Option<&str>) -> Result<()> {
        self.delete(&device_token_key(device_id, role))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_follow_the_spec() {
        assert_eq!(mask(""), "Not set");
        assert_eq!(mask("abc"), "••••••");
        assert_eq!(mask("abcdef"), "••••••");
        assert_eq!(mask("token-secret"), "tok••••ret");
        assert_eq!(mask("密钥密钥密钥密钥"), "密钥密••••钥密钥");
    }

    #[test]
    fn secret_value_never_debug_prints() {
        let v = SecretValue::new("  hunter2-long-secret ").unwrap();
        assert_eq!(v.expose(), "hunter2-long-secret");
        assert!(!format!("{v:?}").contains("hunter2"));
        assert!(SecretValue::new("   ").is_none());
    }

    #[test]
    fn file_names_are_unpadded_base64url_of_the_key() {
        let f = FileSecureStorage::new("/x");
        assert_eq!(
            f.path_for("xworkmate.gateway.token"),
            PathBuf::from("/x/eHdvcmttYXRlLmdhdGV3YXkudG9rZW4.txt")
        );
    }

    #[test]
    fn the_windows_store_is_a_json_map_of_text_values() {
        let map = parse_windows_store(
            br#"{"xworkmate.gateway.token":"tok-123456789","xworkmate.vault.token":"","n":1}"#,
        )
        .unwrap();
        assert_eq!(map.len(), 1, "empty and non-text values are not secrets");
        assert_eq!(map["xworkmate.gateway.token"].expose(), "tok-123456789");
        let err = parse_windows_store(b"[\"tok-123456789\"]").unwrap_err();
        assert!(!err.contains("tok-123456789"));
        let err = parse_windows_store(b"{\"a\":\"secret-text-x\"").unwrap_err();
        assert!(
            err.contains("not JSON") && !err.contains("secret-text-x"),
            "{err}"
        );
    }

    #[test]
    fn device_ids_in_legacy_file_names_are_masked() {
        assert_eq!(
            shown_legacy_file_name("gateway-device-token.device-1234567.operator.txt"),
            "gateway-device-token.dev••••567.operator.txt"
        );
        // Without a role the whole middle is the id, masked too.
        assert_eq!(
            shown_legacy_file_name("gateway-device-token.device-1234567.txt"),
            "gateway-device-token.dev••••567.txt"
        );
        assert_eq!(shown_legacy_file_name("vault-token.txt"), "vault-token.txt");
        assert_eq!(
            shown_legacy_file_name(DEVICE_IDENTITY_FILE),
            "gateway-device-identity.json"
        );
    }

    #[test]
    fn names_of_device_tokens() {
        assert_eq!(
            secret_name(&device_token_key("dev1", None)).as_deref(),
            Some("gateway_device_token_operator")
        );
        assert_eq!(
            secret_name("xworkmate.vault.token").as_deref(),
            Some("vault_token")
        );
        assert_eq!(secret_name("xworkmate.settings.snapshot"), None);
    }
}
