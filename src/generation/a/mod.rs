//! Generation A (XWorkmate ≤ 0.6.1, spec `storage-formats.md`): SQLite +
//! JSON mirrors + secure storage + sealed legacy state. Its own modules: the
//! database, the documents, the sealed envelope, SharedPreferences, the
//! settings store, and legacy recovery (which concerns generation-A data only).

use std::path::{Path, PathBuf};

use crate::paths::{default_support_roots, DataLocation};
use crate::platform::Platform;

pub mod db;
pub mod document;
pub mod prefs;
pub mod rebuild;
pub mod recovery;
pub mod sealed;
pub mod settings;
pub mod unseal;

/// File names inside the data dir (spec §2).
pub const DATABASE_FILE: &str = "config-store.sqlite3";
pub const SETTINGS_MIRROR_FILE: &str = "settings-snapshot.json";
pub const THREADS_MIRROR_FILE: &str = "assistant-threads.json";
pub const BACKUP_FILE: &str = "assistant-state-backup.json";
pub const GATEWAY_AUTH_DIR: &str = "gateway-auth";
pub const SECURE_STORAGE_DIR: &str = "secure-storage";
pub const LOCAL_STATE_KEY_FILE: &str = "local-state-key.txt";
pub const SHARED_PREFERENCES_FILE: &str = "shared_preferences.json";

/// Generation A's files in a data dir (spec §2).
impl DataLocation {
    pub fn database(&self) -> PathBuf {
        self.data_dir().join(DATABASE_FILE)
    }
    pub fn settings_mirror(&self) -> PathBuf {
        self.data_dir().join(SETTINGS_MIRROR_FILE)
    }
    pub fn threads_mirror(&self) -> PathBuf {
        self.data_dir().join(THREADS_MIRROR_FILE)
    }
    pub fn backup_file(&self) -> PathBuf {
        self.data_dir().join(BACKUP_FILE)
    }
    pub fn gateway_auth(&self) -> PathBuf {
        self.data_dir().join(GATEWAY_AUTH_DIR)
    }
    pub fn secure_storage_dir(&self) -> PathBuf {
        self.gateway_auth().join(SECURE_STORAGE_DIR)
    }
    pub fn local_state_key_file(&self) -> PathBuf {
        self.gateway_auth().join(LOCAL_STATE_KEY_FILE)
    }
    /// The application support root that holds `shared_preferences.json` on
    /// Linux/Windows: the data dir's parent (spec §6).
    pub fn shared_preferences_file(&self) -> Option<PathBuf> {
        self.data_dir()
            .parent()
            .map(|p| p.join(SHARED_PREFERENCES_FILE))
    }

    /// The SharedPreferences files of pre-SQLite builds that belong to this
    /// data dir, in read order (spec §6): `shared_preferences.json` in its
    /// parent (Linux, Windows), and on macOS the user-defaults plist of its
    /// sandbox container (or, for the default location, this machine's).
    pub fn preference_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self.shared_preferences_file().into_iter().collect();
        files.extend(Platform::current().preference_plists(self.data_dir(), !self.is_explicit()));
        files
    }

    /// The folders legacy recovery scans, in order (spec §7): the data dir, its
    /// parent, each with `/xworkmate` appended, then — only for the default
    /// location — the default support roots. Duplicates are removed.
    pub fn recovery_candidates(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        let mut push = |p: PathBuf| {
            if !out.contains(&p) {
                out.push(p);
            }
        };
        push(self.data_dir().to_path_buf());
        let parent = self.data_dir().parent().map(Path::to_path_buf);
        if let Some(parent) = &parent {
            push(parent.clone());
        }
        push(self.data_dir().join("xworkmate"));
        if let Some(parent) = parent {
            push(parent.join("xworkmate"));
        }
        if !self.is_explicit() {
            for root in default_support_roots() {
                push(root);
            }
        }
        out
    }
}

/// Generation A in the generation registry. Its inspection is inspect's
/// top-level report (the JSON contract), its clear is [`crate::clear`]'s own,
/// and its legacy recovery stays its own API ([`recovery`]).
pub struct GenA;

/// Generation A's files in a data dir, relative.
const A_FILES: [&str; 5] = [
    DATABASE_FILE,
    SETTINGS_MIRROR_FILE,
    THREADS_MIRROR_FILE,
    BACKUP_FILE,
    GATEWAY_AUTH_DIR,
];

impl super::Generation for GenA {
    fn id(&self) -> super::GenerationId {
        super::GenerationId::A
    }

    fn detect(&self, dir: &Path) -> Vec<String> {
        super::present_files(dir, &A_FILES)
    }

    fn inspect(&self, scan: &super::Scan<'_>) -> super::GenerationReport {
        use super::{
            Finding, GenerationAudit, GenerationSecret, GenerationSettings, GenerationThreads,
        };
        use crate::inspect::Source;
        let a = scan.a;
        let dir = scan.dir();
        let mut findings: Vec<Finding> = a
            .warnings
            .iter()
            // About the folder, not about generation A.
            .filter(|w| {
                !matches!(
                    w.code,
                    crate::FindingCode::XworkmateRunning | crate::FindingCode::DataDirMissing
                )
            })
            .map(|w| Finding {
                code: w.code,
                path: String::new(),
                message: w.message.clone(),
            })
            .collect();
        let store = format!("{GATEWAY_AUTH_DIR}/{SECURE_STORAGE_DIR}");
        super::common::mode_finding(dir, &store, true, &mut findings);
        for name in super::common::list(dir, &store) {
            super::common::mode_finding(dir, &format!("{store}/{name}"), false, &mut findings);
        }
        let doc_files = |mirror: &str| super::present_files(dir, &[DATABASE_FILE, mirror]);
        super::GenerationReport {
            id: super::GenerationId::A,
            current: false,
            versions: super::GenerationId::A.versions().into(),
            path: dir.to_path_buf(),
            detected_by: Vec::new(),
            files: A_FILES
                .iter()
                .filter_map(|f| super::file_of(dir, f))
                .collect(),
            settings: GenerationSettings {
                present: a.settings.present,
                readable: a.settings.source != Source::None,
                path: SETTINGS_MIRROR_FILE.into(),
                bytes: None,
            },
            threads: GenerationThreads {
                count: a.threads.count,
                stored: a.threads.count,
                files: doc_files(THREADS_MIRROR_FILE),
            },
            secrets: a
                .secrets
                .entries
                .iter()
                .filter(|e| e.present)
                .map(|e| GenerationSecret {
                    storage_key: crate::secret::displayed_key(&e.storage_key),
                    file: String::new(),
                    present: true,
                    masked: e.masked.clone(),
                })
                .collect(),
            audit: GenerationAudit {
                entries: a.audit.readable.then_some(a.audit.entries),
                path: DATABASE_FILE.into(),
            },
            findings,
        }
    }

    fn clear_files(
        &self,
        _location: &DataLocation,
        _dir: &Path,
        _present: &[super::GenerationId],
    ) -> Vec<super::ClearFile> {
        Vec::new()
    }

    fn thread_records(&self, dir: &Path) -> crate::Result<Vec<serde_json::Value>> {
        let location = DataLocation::explicit(dir);
        match settings::read_document_readonly(&location, document::DocKind::Threads)? {
            None => Ok(Vec::new()),
            Some(doc) => match serde_json::from_str(&doc.text) {
                Ok(serde_json::Value::Array(items)) => Ok(items),
                _ => Err(crate::StoreError::invalid(
                    THREADS_MIRROR_FILE,
                    "not a JSON array",
                )),
            },
        }
    }
}
