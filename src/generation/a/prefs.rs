//! SharedPreferences of pre-SQLite builds (spec §6): `shared_preferences.json`
//! (Linux/Windows) or the macOS user-defaults plist, with the storage keys of
//! §3 under the prefix `flutter.`. Read for recovery; keys are removed (the
//! rest of the file kept, in order) once SQLite holds their value.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Result, StoreError};
use crate::fsutil;

pub const PREFIX: &str = "flutter.";

/// The storage keys of spec §3 as they appear in the preferences.
pub fn pref_key(storage_key: &str) -> String {
    format!("{PREFIX}{storage_key}")
}

enum Body {
    Json(Map<String, Value>),
    Plist(plist::Dictionary),
}

/// A loaded preferences file.
pub struct SharedPrefs {
    path: PathBuf,
    body: Body,
}

impl std::fmt::Debug for SharedPrefs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedPrefs")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SharedPrefs {
    /// Loads a preferences file; `Ok(None)` when absent; an error (naming the
    /// file) when it cannot be read or parsed.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        let is_plist = path.extension().is_some_and(|e| e == "plist");
        if crate::fsutil::check_readable(path)?.is_none() {
            return Ok(None);
        }
        let body = if is_plist {
            let v = plist::Value::from_file(path)
                .map_err(|e| StoreError::invalid(path.display().to_string(), e.to_string()))?;
            match v {
                plist::Value::Dictionary(d) => Body::Plist(d),
                _ => {
                    return Err(StoreError::invalid(
                        path.display().to_string(),
                        "not a dictionary",
                    ))
                }
            }
        } else {
            let text = fsutil::read_optional(path)?.unwrap_or_default();
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => Body::Json(m),
                Ok(_) => {
                    return Err(StoreError::invalid(
                        path.display().to_string(),
                        "not a JSON object",
                    ))
                }
                Err(e) => {
                    return Err(StoreError::invalid(
                        path.display().to_string(),
                        format!("not JSON: {}", crate::document::json_error(&e)),
                    ))
                }
            }
        };
        Ok(Some(Self {
            path: path.to_path_buf(),
            body,
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The string value stored for a storage key (without the prefix).
    pub fn get(&self, storage_key: &str) -> Option<&str> {
        let k = pref_key(storage_key);
        match &self.body {
            Body::Json(m) => m.get(&k).and_then(Value::as_str),
            Body::Plist(d) => d.get(&k).and_then(plist::Value::as_string),
        }
    }

    /// Number of entries in the file.
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Json(m) => m.len(),
            Body::Plist(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes storage keys and rewrites the file crash-safely, keeping every
    /// other preference. Returns the keys that were present.
    pub fn remove(&mut self, storage_keys: &[&str]) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        for key in storage_keys {
            let k = pref_key(key);
            let hit = match &mut self.body {
                Body::Json(m) => m.shift_remove(&k).is_some(),
                Body::Plist(d) => d.remove(&k).is_some(),
            };
            if hit {
                removed.push((*key).to_string());
            }
        }
        if removed.is_empty() {
            return Ok(removed);
        }
        let bytes = match &self.body {
            Body::Json(m) => serde_json::to_vec(m).expect("preferences serialize"),
            Body::Plist(d) => {
                let mut out = Vec::new();
                plist::to_writer_binary(&mut out, &plist::Value::Dictionary(d.clone())).map_err(
                    |e| StoreError::invalid(self.path.display().to_string(), e.to_string()),
                )?;
                out
            }
        };
        let mode = file_mode(&self.path);
        fsutil::write_atomic(&self.path, &bytes, mode)?;
        Ok(removed)
    }
}

fn file_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macos_plist_keys_are_read_and_removed_keeping_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plus.svc.xworkmate.plist");
        let mut d = plist::Dictionary::new();
        d.insert(
            "flutter.xworkmate.settings.snapshot".into(),
            plist::Value::String(r#"{"appLanguage":"en"}"#.into()),
        );
        d.insert(
            "flutter.xworkmate.assistant.threads".into(),
            plist::Value::String("[]".into()),
        );
        d.insert(
            "NSWindow Frame main".into(),
            plist::Value::String("0 0 800 600".into()),
        );
        plist::Value::Dictionary(d).to_file_binary(&path).unwrap();

        let mut prefs = SharedPrefs::load(&path).unwrap().unwrap();
        assert_eq!(
            prefs.get("xworkmate.settings.snapshot"),
            Some(r#"{"appLanguage":"en"}"#)
        );
        assert_eq!(prefs.len(), 3);
        let removed = prefs
            .remove(&["xworkmate.settings.snapshot", "xworkmate.secrets.audit"])
            .unwrap();
        assert_eq!(removed, vec!["xworkmate.settings.snapshot".to_string()]);

        let again = SharedPrefs::load(&path).unwrap().unwrap();
        assert_eq!(again.get("xworkmate.settings.snapshot"), None);
        assert_eq!(again.get("xworkmate.assistant.threads"), Some("[]"));
        assert_eq!(again.len(), 2, "unrelated preferences are kept");
    }

    #[test]
    fn garbage_preferences_are_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared_preferences.json");
        std::fs::write(&path, "not json").unwrap();
        let err = SharedPrefs::load(&path).unwrap_err();
        assert!(err.to_string().contains("shared_preferences.json"), "{err}");
        assert!(SharedPrefs::load(&dir.path().join("missing.json"))
            .unwrap()
            .is_none());
    }
}
