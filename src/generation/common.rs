//! What generations B1, B2, C and D share (`generations.md`, "Files"):
//! `encodeStableFileKey` file names, `secrets/<b64>.secret`, the audit files,
//! stale `*.tmp-*` files, the settings file's two forms, and the files no
//! pinned layout names.

use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use super::{read_text, Finding, GenerationAudit, GenerationReport, GenerationSecret};
use crate::codes::FindingCode;

pub const SETTINGS_YAML: &str = "config/settings.yaml";
pub const SECRET_AUDIT: &str = "config/secret-audit.json";
pub const AUDIT: &str = "config/audit.json";
pub const TASK_INDEX: &str = "tasks/index.json";
pub const THREADS_JSON: &str = "tasks/threads.json";
pub const UI_STATE: &str = "ui/state.json";
pub const SECRETS_DIR: &str = "secrets";
pub const SKILLS_CACHE: &str = "cache/single-agent-local-skills.json";
/// B2's schema version (index and task files).
pub const B2_VERSION: i64 = 20260328;
/// C and D's `TaskThread` schema version.
pub const TASK_THREAD_VERSION: i64 = 20260411;
/// C and D's settings `schemaVersion`.
pub const SETTINGS_SCHEMA_VERSION: i64 = 2;

/// XWorkmate's `encodeStableFileKey`: base64url of the UTF-8 bytes, no padding.
pub fn encode_stable_file_key(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// The key behind a file name made by [`encode_stable_file_key`], if it is one.
pub fn decode_stable_file_key(stem: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(stem.as_bytes()).ok()?;
    let key = String::from_utf8(bytes).ok()?;
    // Only the canonical spelling names a key (XWorkmate never writes another).
    (encode_stable_file_key(&key) == stem).then_some(key)
}

/// Names in a folder (relative to `dir`, sorted); empty when it is missing or
/// unreadable. Links are listed, never followed.
pub fn list(dir: &Path, rel_folder: &str) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(dir.join(rel_folder)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Is this a temp file of an atomic write (`<name>.tmp-<digits>`)?
pub fn is_temp_name(name: &str) -> bool {
    name.contains(".tmp-")
}

/// The secrets in `secrets/`: storage keys decoded from the file names,
/// presence, masks (never values). Findings: a secret file or the folder
/// readable by others (`secret_file_mode`), a file whose name is not a key.
pub fn secrets(dir: &Path, findings: &mut Vec<Finding>) -> Vec<GenerationSecret> {
    let mut out = Vec::new();
    mode_finding(dir, SECRETS_DIR, true, findings);
    for name in list(dir, SECRETS_DIR) {
        if is_temp_name(&name) {
            continue;
        }
        let rel = format!("{SECRETS_DIR}/{name}");
        let Some(key) = name
            .strip_suffix(".secret")
            .and_then(decode_stable_file_key)
        else {
            continue; // listed by `unknown_files`
        };
        mode_finding(dir, &rel, false, findings);
        let (present, masked) = match read_text(dir, &rel) {
            Ok(Some(text)) => {
                let v = text.trim();
                (
                    !v.is_empty(),
                    (!v.is_empty()).then(|| crate::secret::mask(v)),
                )
            }
            Ok(None) => (false, None),
            Err(why) => {
                findings.push(Finding {
                    code: FindingCode::SecretUnreadable,
                    path: rel.clone(),
                    message: format!("the secret file cannot be read: {why}"),
                });
                (false, None)
            }
        };
        out.push(GenerationSecret {
            storage_key: crate::secret::displayed_key(&key),
            file: rel,
            present,
            masked,
        });
    }
    out
}

/// `secret_file_mode` when a secret file or folder is readable by others.
#[cfg(unix)]
pub fn mode_finding(dir: &Path, rel: &str, is_dir: bool, findings: &mut Vec<Finding>) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(meta) = std::fs::symlink_metadata(dir.join(rel)) else {
        return;
    };
    if meta.is_dir() != is_dir || meta.file_type().is_symlink() {
        return;
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        findings.push(Finding {
            code: FindingCode::SecretFileMode,
            path: rel.to_string(),
            message: format!(
                "{rel} has mode {mode:04o}: other users of this computer can {} it (XWorkmate makes it {})",
                if is_dir { "list" } else { "read" },
                if is_dir { "0700" } else { "0600" }
            ),
        });
    }
}

#[cfg(not(unix))]
pub fn mode_finding(_dir: &Path, _rel: &str, _is_dir: bool, _findings: &mut Vec<Finding>) {}

/// An audit file: a JSON array (newest first, at most 40 entries).
pub fn audit(dir: &Path, rel: &str, findings: &mut Vec<Finding>) -> GenerationAudit {
    let entries = match read_text(dir, rel) {
        Ok(None) => None,
        Ok(Some(text)) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(a)) => Some(a.len()),
            _ => {
                findings.push(Finding {
                    code: FindingCode::AuditUnreadable,
                    path: rel.into(),
                    message: format!("{rel} is not a JSON array"),
                });
                None
            }
        },
        Err(why) => {
            findings.push(Finding {
                code: FindingCode::AuditUnreadable,
                path: rel.into(),
                message: why,
            });
            None
        }
    };
    GenerationAudit {
        entries,
        path: rel.into(),
    }
}

/// The settings file's form: which generations wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsForm {
    /// YAML (B1, B2): starts `---`, or any text that is not a JSON object.
    Yaml,
    /// Compact JSON (C, D).
    Json,
}

pub fn settings_form(text: &str) -> SettingsForm {
    if text.trim_start().starts_with('{') {
        SettingsForm::Json
    } else {
        SettingsForm::Yaml
    }
}

/// How C and D read `config/settings.yaml`: a JSON object with
/// `schemaVersion` 2; anything else silently means defaults.
pub fn read_json_settings(text: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    match obj.get("schemaVersion").and_then(Value::as_i64) {
        Some(SETTINGS_SCHEMA_VERSION) => Ok(()),
        Some(other) => Err(format!(
            "schemaVersion {other}, not {SETTINGS_SCHEMA_VERSION}"
        )),
        None => Err("no schemaVersion".into()),
    }
}

/// The settings snapshot's fields that hold text (or lists of text) in
/// generation A's snapshot, which B1 and B2 keep in YAML. A plain YAML scalar
/// that reads as a number or bool in one of them makes the whole snapshot
/// fall back to defaults.
const TEXT_FIELDS: [&str; 39] = [
    "accountBaseUrl",
    "accountUsername",
    "accountWorkspace",
    "address",
    "apiKeyRef",
    "appLanguage",
    "assistantArchivedTaskKeys",
    "assistantExecutionTarget",
    "assistantLastSessionKey",
    "assistantNavigationDestinations",
    "assistantPermissionLevel",
    "authMode",
    "availableModels",
    "baseUrl",
    "cliPath",
    "codeAgentRuntimeMode",
    "codexCliPath",
    "defaultModel",
    "defaultProvider",
    "endpoint",
    "framework",
    "host",
    "mode",
    "name",
    "namespace",
    "organization",
    "preferredMode",
    "proxyHost",
    "remoteBaseUrl",
    "remoteProjectRoot",
    "selectedAgentId",
    "selectedModels",
    "setupCode",
    "syncMessage",
    "syncState",
    "tokenRef",
    "vpnConnectionName",
    "workspace",
    "workspacePath",
];

/// How B1 and B2 read `config/settings.yaml` (YAML of the settings snapshot):
/// empty, unparsable, not a mapping, or a number/bool where text belongs →
/// defaults.
pub fn read_yaml_settings(text: &str) -> Result<(), String> {
    use yaml_rust2::{Yaml, YamlLoader};
    if text.trim().is_empty() {
        return Err("empty".into());
    }
    let docs = YamlLoader::load_from_str(text).map_err(|e| format!("not YAML: {e}"))?;
    let doc = docs.into_iter().next().ok_or("empty")?;
    if !matches!(doc, Yaml::Hash(_)) {
        return Err("not a mapping".into());
    }
    fn walk(y: &Yaml, path: &str) -> Result<(), String> {
        match y {
            Yaml::Hash(h) => {
                for (k, v) in h {
                    let key = k.as_str().unwrap_or("");
                    let here = if path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{path}.{key}")
                    };
                    let not_text =
                        |v: &Yaml| matches!(v, Yaml::Integer(_) | Yaml::Real(_) | Yaml::Boolean(_));
                    let bad = match v {
                        Yaml::Array(items) => items.iter().any(not_text),
                        v => not_text(v),
                    };
                    if TEXT_FIELDS.contains(&key) && bad {
                        return Err(format!("{here} reads as a number or bool, not text"));
                    }
                    walk(v, &here)?;
                }
                Ok(())
            }
            Yaml::Array(a) => a.iter().try_for_each(|v| walk(v, path)),
            _ => Ok(()),
        }
    }
    walk(&doc, "")
}

/// Can C or D load this `TaskThread` record (`TaskThread.fromJson`)? It
/// needs a complete workspace binding — `workspaceId`, `workspacePath` and
/// `workspaceKind` non-empty in `workspaceBinding`, else the legacy top-level
/// `workspaceId|threadId`, `workspacePath|workspaceRef`,
/// `workspaceKind|workspaceRefKind` — and a non-empty `executionBinding`
/// whose `executionMode` is not `auto`. `schemaVersion` is not checked.
pub fn task_thread_loadable(v: &Value) -> Result<(), String> {
    let obj = v.as_object().ok_or("not a JSON object")?;
    let text = |o: Option<&Value>| {
        o.and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    let binding = obj.get("workspaceBinding").and_then(Value::as_object);
    for (field, legacy) in [
        ("workspaceId", ["workspaceId", "threadId"]),
        ("workspacePath", ["workspacePath", "workspaceRef"]),
        ("workspaceKind", ["workspaceKind", "workspaceRefKind"]),
    ] {
        let nested = text(binding.and_then(|b| b.get(field)));
        let top = legacy.iter().any(|k| text(obj.get(*k)));
        if !nested && !top {
            return Err(format!("the workspace binding is incomplete (no {field})"));
        }
    }
    match obj.get("executionBinding").and_then(Value::as_object) {
        Some(b) if !b.is_empty() => {
            if b.get("executionMode").and_then(Value::as_str) == Some("auto") {
                return Err("the execution binding's mode is auto".into());
            }
        }
        _ => return Err("no execution binding".into()),
    }
    Ok(())
}

/// What a top-level `tasks/*.json` file is, by its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskFile {
    /// A generation-A-shaped thread record (`sessionKey`): B1's.
    B1Record,
    /// A `TaskThread` of schema 20260328: B2's.
    B2Record,
    /// A `TaskThread` of schema 20260411 that C/D can load: D's.
    TaskThread,
    /// Anything else: not JSON, not an object, another version, a record
    /// without its bindings. The reason.
    Other(String),
}

/// Classifies a task file's text.
pub fn classify_task_file(text: &str) -> TaskFile {
    let v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return TaskFile::Other(format!("not JSON: {e}")),
    };
    let Some(obj) = v.as_object() else {
        return TaskFile::Other("not a JSON object".into());
    };
    match obj.get("schemaVersion").and_then(Value::as_i64) {
        Some(B2_VERSION) => TaskFile::B2Record,
        Some(TASK_THREAD_VERSION) => match task_thread_loadable(&v) {
            Ok(()) => TaskFile::TaskThread,
            Err(why) => TaskFile::Other(why),
        },
        Some(other) => TaskFile::Other(format!("schemaVersion {other}")),
        None if obj.get("sessionKey").is_some_and(Value::is_string) => TaskFile::B1Record,
        None => match task_thread_loadable(&v) {
            Ok(()) => TaskFile::TaskThread,
            Err(why) => TaskFile::Other(why),
        },
    }
}

/// Open scopes, and each folder's task files read and classified.
type TaskFileCache = (
    usize,
    std::collections::HashMap<std::path::PathBuf, Vec<(String, TaskFile)>>,
);

thread_local! {
    /// Task files already read and classified, while a [`ReadScope`] is open.
    static TASK_FILES: std::cell::RefCell<TaskFileCache> =
        std::cell::RefCell::new((0, std::collections::HashMap::new()));
}

/// While one lives, a read-only operation (inspect, a clear plan, an export)
/// reads and classifies each folder's task files once, however many
/// generations ask. Dropped, the memory goes: nothing outlives the operation.
pub struct ReadScope(());

impl ReadScope {
    pub fn open() -> Self {
        TASK_FILES.with(|c| c.borrow_mut().0 += 1);
        ReadScope(())
    }
}

impl Drop for ReadScope {
    fn drop(&mut self) {
        TASK_FILES.with(|c| {
            let mut c = c.borrow_mut();
            c.0 -= 1;
            if c.0 == 0 {
                c.1.clear();
            }
        });
    }
}

/// The top-level task files of `tasks/` (every `*.json` but the index,
/// C's `threads.json`, and the `.invalid-`/`.migrated-`/`.tmp-` names), with
/// what each is; a file that cannot be read is `Other`.
pub fn task_files(dir: &Path) -> Vec<(String, TaskFile)> {
    let cached = TASK_FILES.with(|c| {
        let c = c.borrow();
        (c.0 > 0).then(|| c.1.get(dir).cloned()).flatten()
    });
    if let Some(files) = cached {
        return files;
    }
    let files = read_task_files(dir);
    TASK_FILES.with(|c| {
        let mut c = c.borrow_mut();
        if c.0 > 0 {
            c.1.insert(dir.to_path_buf(), files.clone());
        }
    });
    files
}

fn read_task_files(dir: &Path) -> Vec<(String, TaskFile)> {
    list(dir, "tasks")
        .into_iter()
        .filter(|n| {
            n.ends_with(".json")
                && n != "index.json"
                && n != "threads.json"
                && !n.contains(".invalid-")
                && !n.contains(".migrated-")
                && !is_temp_name(n)
        })
        .map(|n| {
            let rel = format!("tasks/{n}");
            let kind = match read_text(dir, &rel) {
                Ok(Some(text)) => classify_task_file(&text),
                Ok(None) => TaskFile::Other("gone".into()),
                Err(why) => TaskFile::Other(why),
            };
            (rel, kind)
        })
        .collect()
}

/// The records of the top-level task files of one kind, as stored.
pub fn task_records(dir: &Path, kind: &TaskFile) -> crate::Result<Vec<Value>> {
    let mut out = Vec::new();
    for (rel, k) in task_files(dir) {
        if &k != kind {
            continue;
        }
        let text = read_text(dir, &rel)
            .map_err(|why| crate::StoreError::invalid(rel.clone(), why))?
            .unwrap_or_default();
        out.push(
            serde_json::from_str(&text)
                .map_err(|e| crate::StoreError::invalid(rel.clone(), e.to_string()))?,
        );
    }
    Ok(out)
}

/// `tasks/index.json`, parsed: B's `{"version", "sessions"}` or D's
/// `{"version":1, "threadIds"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskIndex {
    Missing,
    B { version: Option<i64> },
    D,
    Unreadable(String),
}

pub fn task_index(dir: &Path) -> TaskIndex {
    let text = match read_text(dir, TASK_INDEX) {
        Ok(None) => return TaskIndex::Missing,
        Ok(Some(t)) => t,
        Err(why) => return TaskIndex::Unreadable(why),
    };
    let v: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return TaskIndex::Unreadable(format!("not JSON: {e}")),
    };
    let Some(obj) = v.as_object() else {
        return TaskIndex::Unreadable("not a JSON object".into());
    };
    if obj.get("threadIds").is_some() {
        TaskIndex::D
    } else if obj.get("sessions").is_some() {
        TaskIndex::B {
            version: obj.get("version").and_then(Value::as_i64),
        }
    } else {
        TaskIndex::Unreadable("neither sessions nor threadIds".into())
    }
}

/// The settings file's text and form, when it is there and readable.
pub fn settings_text(dir: &Path) -> Option<(String, SettingsForm)> {
    let text = read_text(dir, SETTINGS_YAML).ok()??;
    let form = settings_form(&text);
    Some((text, form))
}

/// In the folders of B, C and D, the `*.tmp-*` files an interrupted atomic
/// write left (`stale_temp_file`) and the files no pinned layout names
/// (`unknown_file`): listed on the current generation, never changed.
pub fn leftovers(dir: &Path, reports: &mut [GenerationReport]) {
    let Some(current) = reports.last_mut() else {
        return;
    };
    let mut unknown = Vec::new();
    let known = |folder: &str, name: &str| -> bool {
        let rel = format!("{folder}/{name}");
        match folder {
            "config" => [SETTINGS_YAML, SECRET_AUDIT, AUDIT].contains(&rel.as_str()),
            "ui" => rel == UI_STATE,
            "cache" => rel == SKILLS_CACHE,
            "secrets" => name
                .strip_suffix(".secret")
                .and_then(decode_stable_file_key)
                .is_some(),
            "tasks" => {
                name.ends_with(".json")
                    && !name.contains(".invalid-")
                    && !name.contains(".migrated-")
            }
            _ => false,
        }
    };
    let mut temps = Vec::new();
    for folder in ["config", "tasks", "ui", "cache", "secrets", "account"] {
        for name in list(dir, folder) {
            if is_temp_name(&name) {
                temps.push(format!("{folder}/{name}"));
            } else if !known(folder, &name) {
                unknown.push(format!("{folder}/{name}"));
            }
        }
    }
    for rel in temps {
        current.findings.push(Finding {
            code: FindingCode::StaleTempFile,
            message: format!("{rel} was left by an interrupted save; XWorkmate does not read it"),
            path: rel,
        });
    }
    for rel in unknown {
        current.findings.push(Finding {
            code: FindingCode::UnknownFile,
            message: format!(
                "{rel} is not part of any layout this tool knows (a newer XWorkmate version, or another program): listed, never changed"
            ),
            path: rel,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_file_keys_are_base64url_without_padding() {
        assert_eq!(encode_stable_file_key("main"), "bWFpbg");
        assert_eq!(decode_stable_file_key("bWFpbg").as_deref(), Some("main"));
        // `=` padding, or a non-canonical spelling, is not a key XWorkmate wrote.
        assert_eq!(decode_stable_file_key("bWFpbg=="), None);
        assert_eq!(decode_stable_file_key("bWFpbh"), None);
        let k = "xworkmate.gateway.profile.0.token";
        assert_eq!(
            decode_stable_file_key(&encode_stable_file_key(k)).as_deref(),
            Some(k)
        );
        let k = "会话 ☃";
        assert_eq!(
            decode_stable_file_key(&encode_stable_file_key(k)).as_deref(),
            Some(k)
        );
    }

    #[test]
    fn yaml_settings_as_b_reads_them() {
        assert!(read_yaml_settings("---\nhost: gateway.example.com\nport: 443\n").is_ok());
        assert!(read_yaml_settings("").is_err());
        assert!(read_yaml_settings("---\n- a\n").is_err());
        assert!(read_yaml_settings("---\nhost: [unclosed\n").is_err());
        // `2026` or `True` where text belongs → defaults.
        assert!(read_yaml_settings("---\nhost: 2026\n").is_err());
        assert!(read_yaml_settings("---\naiGateway:\n  name: True\n").is_err());
        assert!(read_yaml_settings("---\naiGateway:\n  name: true\n").is_err());
        assert!(read_yaml_settings("---\nhost: '2026'\n").is_ok());
    }

    #[test]
    fn json_settings_as_c_reads_them() {
        assert!(read_json_settings(r#"{"schemaVersion":2}"#).is_ok());
        assert!(read_json_settings(r#"{"schemaVersion":1}"#).is_err());
        assert!(read_json_settings("---\na: 1\n").is_err());
        assert!(read_json_settings("[]").is_err());
    }

    #[test]
    fn task_threads_need_their_bindings() {
        let ws =
            serde_json::json!({"workspaceId":"w","workspacePath":"/p","workspaceKind":"localFs"});
        let ok = serde_json::json!({"threadId":"t","workspaceBinding":ws,"executionBinding":{"executionMode":"agent"}});
        assert!(task_thread_loadable(&ok).is_ok());
        let no_exec = serde_json::json!({"threadId":"t","workspaceBinding":ws});
        assert!(task_thread_loadable(&no_exec).is_err());
        let auto =
            serde_json::json!({"workspaceBinding":ws,"executionBinding":{"executionMode":"auto"}});
        assert!(task_thread_loadable(&auto).is_err());
        let empty_exec = serde_json::json!({"workspaceBinding":ws,"executionBinding":{}});
        assert!(task_thread_loadable(&empty_exec).is_err());
        // The legacy top-level fields complete the binding.
        let legacy = serde_json::json!({"threadId":"t","workspaceRef":"/p","workspaceRefKind":"localFs","executionBinding":{"executionMode":"gateway"}});
        assert!(task_thread_loadable(&legacy).is_ok());
        let incomplete = serde_json::json!({"workspaceBinding":{"workspaceId":"w","workspacePath":""},"executionBinding":{"executionMode":"agent"}});
        assert!(task_thread_loadable(&incomplete).is_err());
        assert!(task_thread_loadable(&serde_json::json!([])).is_err());
    }
}
