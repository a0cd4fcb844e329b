//! Inspect: a strictly read-only overview of a data dir. Opens SQLite
//! read-only, creates nothing (not even a missing data dir), migrates nothing,
//! runs no recovery. Every large document is read and parsed once.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::codes::FindingCode;
use crate::db::{ConfigDb, EntryInfo, AUDIT_KEY};
use crate::document::{self, DocKind, SettingsSummary, Stored, Summary, ThreadSummary};
use crate::error::StoreError;
use crate::fsutil::{self, FileMeta};
use crate::paths::{self, DataDirOrigin, DataLocation};
use crate::prefs::SharedPrefs;
use crate::secret::{KeyringHealth, SecretEntry, SecretStore, SecretsMode};

/// The whole overview.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub data_dir: PathBuf,
    pub data_dir_origin: DataDirOrigin,
    pub data_dir_exists: bool,
    /// A running XWorkmate that uses this folder (spec §8), or null: while it
    /// runs, every write refuses (`xworkmate_running`); looking is allowed.
    pub xworkmate_running: Option<crate::guard::RunningApp>,
    pub files: Vec<NamedFile>,
    pub database: DatabaseReport,
    pub storage: Vec<KeyStatus>,
    pub settings: SettingsReport,
    pub threads: ThreadsReport,
    pub secrets: SecretsReport,
    pub legacy: LegacyReport,
    pub audit: AuditReport,
    pub warnings: Vec<Warning>,
    /// Every XWorkmate storage generation in the folder, the current (newest)
    /// one first (`generations.md`). The fields above describe generation A.
    pub generations: Vec<crate::generation::GenerationReport>,
    pub elapsed_ms: u64,
}

/// A problem inspect found, with a stable code the UI words.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub code: FindingCode,
    pub message: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedFile {
    pub name: String,
    #[serde(flatten)]
    pub meta: FileMeta,
}

/// Database integrity.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Integrity {
    Ok,
    /// The database itself is damaged.
    Corrupt,
    Missing,
    /// Another program holds a lock that keeps it from being read now (not
    /// damage: try again once that program is done).
    Locked,
    /// It cannot be read: permission denied, or not a regular file (not
    /// damage either).
    Unreadable,
}

/// The database's integrity, as inspect reports it, and what opening or
/// `PRAGMA quick_check` said when it is not ok. Read-only.
pub fn database_integrity(path: &std::path::Path) -> (Integrity, Option<String>) {
    match ConfigDb::open_ro(path) {
        Ok(Some(db)) => match db.quick_check() {
            Ok(()) => (Integrity::Ok, None),
            Err(e) => (integrity_of(&e), Some(e.to_string())),
        },
        Ok(None) => (Integrity::Missing, None),
        Err(e) => (integrity_of(&e), Some(e.to_string())),
    }
}

/// What a failure to open or check the database says about it.
fn integrity_of(e: &StoreError) -> Integrity {
    match e {
        StoreError::Io { .. } | StoreError::InvalidInput { .. } => Integrity::Unreadable,
        e if e.is_lock() => Integrity::Locked,
        _ => Integrity::Corrupt,
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseReport {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub exists: bool,
    pub integrity: Integrity,
    /// What `PRAGMA quick_check` (or opening) reported when not ok.
    pub problem: Option<String>,
    pub has_table: bool,
    pub entries: Vec<EntryInfo>,
}

/// A stored value's form.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    Plain,
    Sealed,
    Unreadable,
    Missing,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueReport {
    pub form: Form,
    pub bytes: Option<u64>,
    /// SQLite `updated_at_ms`, or the mirror's modification time.
    pub updated_at_ms: Option<i64>,
    pub problem: Option<String>,
}

/// SQLite vs mirror, in words the UI shows.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    InSync,
    MirrorOlder,
    MirrorNewer,
    MirrorMissing,
    DatabaseMissing,
    BothMissing,
    SealedLegacy,
    Unreadable,
    NoMirror,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyStatus {
    pub storage_key: String,
    pub sqlite: ValueReport,
    /// `None` for keys without a mirror file (the audit trail).
    pub mirror: Option<ValueReport>,
    pub relation: Relation,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Database,
    Mirror,
    None,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsReport {
    pub present: bool,
    pub source: Source,
    pub summary: Option<SettingsSummary>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadsReport {
    pub present: bool,
    pub source: Source,
    pub count: usize,
    pub archived: usize,
    pub messages: usize,
    /// Per-thread summaries (titles, counts; never message texts).
    pub threads: Vec<ThreadSummary>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretsReport {
    pub mode: SecretsMode,
    pub keyring: Option<KeyringHealth>,
    /// True when `auto` is using the file fallback because the keyring is down.
    pub using_file_fallback: bool,
    pub entries: Vec<SecretEntry>,
    #[serde(serialize_with = "crate::fsutil::lossy::paths")]
    pub legacy_files: Vec<PathBuf>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyReport {
    pub backup: Option<BackupReport>,
    pub shared_preferences: Option<PrefsReport>,
    pub key_in_secure_storage: bool,
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub key_file: PathBuf,
    pub key_file_present: bool,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub schema_version: Option<i64>,
    pub sealed: bool,
    pub problem: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrefsReport {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub readable: bool,
    pub xworkmate_keys: Vec<String>,
    pub other_entries: usize,
    pub problem: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditReport {
    pub entries: usize,
    pub readable: bool,
    pub latest: Option<serde_json::Value>,
}

struct Value2 {
    report: ValueReport,
    text: Option<String>,
    summary: Option<Summary>,
}

fn value_report(
    doc: Option<DocKind>,
    text: Option<String>,
    updated: Option<i64>,
    problem: Option<String>,
) -> Value2 {
    let Some(text) = text else {
        return Value2 {
            report: ValueReport {
                form: if problem.is_some() {
                    Form::Unreadable
                } else {
                    Form::Missing
                },
                bytes: None,
                updated_at_ms: updated,
                problem,
            },
            text: None,
            summary: None,
        };
    };
    let bytes = Some(text.len() as u64);
    let (form, problem, summary) = match doc {
        Some(doc) => match document::classify(doc, &text) {
            Stored::Plain(s) => (Form::Plain, None, Some(s)),
            Stored::Sealed(_) => (Form::Sealed, None, None),
            Stored::Malformed(why) => (
                Form::Sealed,
                Some(format!("damaged sealed value: {why}")),
                None,
            ),
            Stored::Unreadable(why) => (Form::Unreadable, Some(why), None),
        },
        None => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(_) => (Form::Plain, None, None),
            Err(e) => (
                Form::Unreadable,
                Some(format!("not JSON: {}", document::json_error(&e))),
                None,
            ),
        },
    };
    Value2 {
        report: ValueReport {
            form,
            bytes,
            updated_at_ms: updated,
            problem,
        },
        text: Some(text),
        summary,
    }
}

/// A stored document's report, read as a stream (nothing of a thread list's
/// text is kept): `open` gives the stream and its size, or `None` when the
/// value is missing; a read error (or text that is not UTF-8) is the value's
/// problem.
fn stream_report<R: std::io::Read>(
    doc: DocKind,
    opened: std::result::Result<Option<(R, u64)>, String>,
    mut reopen: impl FnMut() -> std::io::Result<R>,
    updated: Option<i64>,
    what: &dyn Fn(std::io::Error) -> String,
) -> Value2 {
    let (reader, bytes) = match opened {
        Ok(Some(v)) => v,
        Ok(None) => return value_report(None, None, updated, None),
        Err(why) => return value_report(None, None, updated, Some(why)),
    };
    let mut first = Some(reader);
    let mut open = || match first.take() {
        Some(r) => Ok(r),
        None => reopen(),
    };
    // A sealed value as XWorkmate writes one is checked as a stream (a
    // sealed thread list is hundreds of MiB); anything else is classified.
    let sealed = matches!(open().and_then(crate::unseal::is_envelope), Ok(true));
    let (form, problem, summary) = if sealed {
        (Form::Sealed, None, None)
    } else {
        match document::classify_stream_sized(doc, open, bytes) {
            Ok(Stored::Plain(s)) => (Form::Plain, None, Some(s)),
            Ok(Stored::Sealed(_)) => (Form::Sealed, None, None),
            Ok(Stored::Malformed(why)) => (
                Form::Sealed,
                Some(format!("damaged sealed value: {why}")),
                None,
            ),
            Ok(Stored::Unreadable(why)) => (Form::Unreadable, Some(why), None),
            Err(e) => (Form::Unreadable, Some(what(e)), None),
        }
    };
    Value2 {
        report: ValueReport {
            form,
            bytes: Some(bytes),
            updated_at_ms: updated,
            problem,
        },
        text: None,
        summary,
    }
}

/// Opens a mirror file as a stream, with its size.
fn open_mirror(
    path: &std::path::Path,
) -> std::result::Result<Option<(std::fs::File, u64)>, String> {
    match fsutil::check_readable(path) {
        Ok(None) => Ok(None),
        Err(e) => Err(e.to_string()),
        Ok(Some(meta)) => match std::fs::File::open(path) {
            Ok(f) => Ok(Some((f, meta.len()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::io("cannot read", path, e).to_string()),
        },
    }
}

/// Describes a stream's read error as the whole-file reads did.
fn read_problem(path: &std::path::Path, e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::InvalidData {
        StoreError::invalid(path.display().to_string(), "not UTF-8 text").to_string()
    } else {
        StoreError::io("cannot read", path, e).to_string()
    }
}

/// How a document's database value and mirror file relate, once their texts
/// are known to differ: two readable values of about the same size are
/// compared as JSON values, as streams.
fn relation(
    doc: DocKind,
    db: Option<&ConfigDb>,
    mirror_path: &std::path::Path,
    sqlite: &Value2,
    mirror: &Value2,
) -> Relation {
    use Form::*;
    match (sqlite.report.form, mirror.report.form) {
        (Missing, Missing) => Relation::BothMissing,
        (Sealed, _) | (_, Sealed) => Relation::SealedLegacy,
        (Unreadable, _) | (_, Unreadable) => Relation::Unreadable,
        (Plain, Missing) => Relation::MirrorMissing,
        (Missing, Plain) => Relation::DatabaseMissing,
        (Plain, Plain) => {
            let value = || db.and_then(|d| d.open_value(doc.storage_key()).ok().flatten());
            let file = || open_mirror(mirror_path).ok().flatten().map(|(f, _)| f);
            let (a, b) = (
                sqlite.report.bytes.unwrap_or(0),
                mirror.report.bytes.unwrap_or(0),
            );
            let same_value = || {
                a.abs_diff(b) < a / 2 + 64
                    && match (value(), file()) {
                        (Some(v), Some(f)) => matches!(
                            (crate::stream::json_value_hash(v), crate::stream::json_value_hash(f)),
                            (Ok(x), Ok(y)) if x == y
                        ),
                        _ => false,
                    }
            };
            if same_value() {
                Relation::InSync
            } else if mirror.report.updated_at_ms.unwrap_or(0)
                < sqlite.report.updated_at_ms.unwrap_or(0)
            {
                Relation::MirrorOlder
            } else {
                Relation::MirrorNewer
            }
        }
    }
}

/// Inspects a data dir. Never writes.
pub fn inspect(location: &DataLocation, secrets: &SecretStore) -> Inspection {
    let start = Instant::now();
    let data_dir = location.data_dir().to_path_buf();
    let mut warnings = Vec::new();
    let mut warn = |code: FindingCode, message: String| warnings.push(Warning { code, message });
    let data_dir_exists = data_dir.is_dir();
    if !data_dir_exists {
        warn(
            FindingCode::DataDirMissing,
            format!("{} does not exist", data_dir.display()),
        );
    }

    let named = [
        paths::DATABASE_FILE,
        paths::SETTINGS_MIRROR_FILE,
        paths::THREADS_MIRROR_FILE,
        paths::BACKUP_FILE,
        paths::GATEWAY_AUTH_DIR,
    ];
    let files: Vec<NamedFile> = named
        .iter()
        .map(|n| NamedFile {
            name: (*n).to_string(),
            meta: FileMeta::of(&data_dir.join(n)),
        })
        .chain(std::iter::once(NamedFile {
            name: format!("{}/{}", paths::GATEWAY_AUTH_DIR, paths::SECURE_STORAGE_DIR),
            meta: FileMeta::of(&location.secure_storage_dir()),
        }))
        .collect();
    // A link, FIFO, socket or device in a fixed place of the store: not read,
    // never followed (and a file far larger than any store: not read).
    for f in &files {
        let Ok(meta) = std::fs::symlink_metadata(&f.meta.path) else {
            continue;
        };
        let kind = meta.file_type();
        let expect_dir = f.name == paths::GATEWAY_AUTH_DIR || f.name.contains('/');
        let odd = if kind.is_symlink() {
            Some("a symbolic link")
        } else if expect_dir && !kind.is_dir() || !expect_dir && !kind.is_file() {
            Some(if kind.is_dir() {
                "a folder"
            } else {
                "not a regular file (a FIFO, socket or device)"
            })
        } else if !expect_dir && meta.len() > fsutil::MAX_STORE_FILE_BYTES {
            Some("larger than any real store (4 GiB)")
        } else {
            None
        };
        if let Some(what) = odd {
            warn(
                FindingCode::NotARegularFile,
                format!(
                    "{} is {what}: it is not read, and nothing is written through it",
                    f.name
                ),
            );
        }
    }

    // Database
    let db_path = location.database();
    let mut database = DatabaseReport {
        path: db_path.clone(),
        exists: db_path.exists(),
        integrity: Integrity::Missing,
        problem: None,
        has_table: false,
        entries: Vec::new(),
    };
    let db = match ConfigDb::open_ro(&db_path) {
        Ok(Some(db)) => match db.quick_check() {
            Ok(()) => {
                database.integrity = Integrity::Ok;
                database.has_table = db.has_table().unwrap_or(false);
                database.entries = db.entries().unwrap_or_default();
                Some(db)
            }
            Err(e) => {
                database.integrity = integrity_of(&e);
                database.problem = Some(e.to_string());
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            database.integrity = integrity_of(&e);
            database.problem = Some(e.to_string());
            None
        }
    };
    if matches!(
        database.integrity,
        Integrity::Locked | Integrity::Unreadable
    ) {
        warn(
            if database.integrity == Integrity::Locked {
                FindingCode::DatabaseLocked
            } else {
                FindingCode::DatabaseUnreadable
            },
            format!(
                "{} cannot be read now: {}",
                db_path.display(),
                database.problem.clone().unwrap_or_default()
            ),
        );
    }
    if db.as_ref().is_some_and(ConfigDb::interrupted_write) {
        warn(
            FindingCode::InterruptedWrite,
            format!(
                "{} has the rollback journal of an interrupted write; it was read as XWorkmate will read it: rolled back (XWorkmate rolls it back when it next opens the database)",
                db_path.display()
            ),
        );
    }
    if database.integrity == Integrity::Corrupt {
        warn(
            FindingCode::DatabaseCorrupt,
            format!(
                "{} is damaged: {}",
                db_path.display(),
                database.problem.clone().unwrap_or_default()
            ),
        );
    }

    // Per storage key
    let mut storage = Vec::new();
    let mut doc_values: Vec<(DocKind, Value2, Value2)> = Vec::new();
    let unread_db = match database.integrity {
        Integrity::Corrupt => Some("the database is damaged".to_string()),
        Integrity::Locked => Some("the database is locked by another program".to_string()),
        Integrity::Unreadable => Some("the database cannot be read".to_string()),
        Integrity::Ok | Integrity::Missing => None,
    };
    for doc in DocKind::ALL {
        let key = doc.storage_key();
        let key_problem = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                StoreError::invalid(key, "not UTF-8 text").to_string()
            } else {
                format!("{key} cannot be read: {e}")
            }
        };
        let sqlite = match db.as_ref().map(|d| d.open_value(key)) {
            Some(Ok(Some(v))) => {
                // Its time from the row list read above (reading it again
                // walks the value's overflow chain).
                let bytes = v.bytes;
                let updated = match database.entries.iter().find(|e| e.storage_key == key) {
                    Some(e) => Some(e.updated_at_ms),
                    None => db
                        .as_ref()
                        .and_then(|d| d.updated_at_ms(key).ok().flatten()),
                };
                let reopen = || {
                    db.as_ref()
                        .and_then(|d| d.open_value(key).ok().flatten())
                        .ok_or_else(|| std::io::Error::other("the value is gone"))
                };
                stream_report(doc, Ok(Some((v, bytes))), reopen, updated, &key_problem)
            }
            Some(Ok(None)) => value_report(None, None, None, None),
            // A damaged, locked or unreadable database: its values cannot be
            // read, which is not "missing".
            None if unread_db.is_some() => value_report(None, None, None, unread_db.clone()),
            None => value_report(None, None, None, None),
            Some(Err(e)) => value_report(None, None, None, Some(e.to_string())),
        };
        let mpath = doc.mirror_path(location);
        let meta = FileMeta::of(&mpath);
        // A mirror with the very text of a readable database value is that
        // value: compared as a stream, not read a second time.
        let same_text = sqlite.report.form == Form::Plain
            && match (
                db.as_ref().and_then(|d| d.open_value(key).ok().flatten()),
                open_mirror(&mpath),
            ) {
                (Some(v), Ok(Some((f, _)))) => crate::stream::same_trimmed(v, f).unwrap_or(false),
                _ => false,
            };
        let (mirror, relation) = if same_text {
            let mirror = Value2 {
                report: ValueReport {
                    form: Form::Plain,
                    bytes: Some(meta.size.unwrap_or(0)),
                    updated_at_ms: meta.modified_ms,
                    problem: None,
                },
                text: None,
                summary: sqlite.summary.clone(),
            };
            (mirror, Relation::InSync)
        } else {
            let mirror = stream_report(
                doc,
                open_mirror(&mpath),
                || std::fs::File::open(&mpath),
                meta.modified_ms,
                &|e| read_problem(&mpath, e),
            );
            let relation = relation(doc, db.as_ref(), &mpath, &sqlite, &mirror);
            (mirror, relation)
        };
        storage.push(KeyStatus {
            storage_key: key.into(),
            sqlite: sqlite.report.clone(),
            mirror: Some(mirror.report.clone()),
            relation,
        });
        doc_values.push((doc, sqlite, mirror));
    }
    let audit_value = match db.as_ref().map(|d| d.get(AUDIT_KEY)) {
        Some(Ok(Some(e))) => value_report(None, Some(e.value), Some(e.updated_at_ms), None),
        Some(Err(e)) => value_report(None, None, None, Some(e.to_string())),
        None if unread_db.is_some() => value_report(None, None, None, unread_db.clone()),
        _ => value_report(None, None, None, None),
    };
    storage.push(KeyStatus {
        storage_key: AUDIT_KEY.into(),
        sqlite: audit_value.report.clone(),
        mirror: None,
        relation: Relation::NoMirror,
    });
    for e in &database.entries {
        if !storage.iter().any(|s| s.storage_key == e.storage_key) {
            storage.push(KeyStatus {
                storage_key: e.storage_key.clone(),
                sqlite: ValueReport {
                    form: Form::Plain,
                    bytes: Some(e.bytes),
                    updated_at_ms: Some(e.updated_at_ms),
                    problem: None,
                },
                mirror: None,
                relation: Relation::NoMirror,
            });
        }
    }

    // Effective documents (read order SQLite → mirror)
    let mut settings = SettingsReport {
        present: false,
        source: Source::None,
        summary: None,
    };
    let mut threads = ThreadsReport {
        present: false,
        source: Source::None,
        count: 0,
        archived: 0,
        messages: 0,
        threads: Vec::new(),
    };
    for (doc, sqlite, mirror) in doc_values {
        let chosen = [(Source::Database, sqlite), (Source::Mirror, mirror)]
            .into_iter()
            .find_map(|(src, v)| v.summary.map(|s| (src, s)));
        match (doc, chosen) {
            (DocKind::Settings, Some((src, Summary::Settings(s)))) => {
                settings = SettingsReport {
                    present: true,
                    source: src,
                    summary: Some(s),
                }
            }
            (DocKind::Threads, Some((src, Summary::Threads(t)))) => {
                threads = ThreadsReport {
                    present: true,
                    source: src,
                    count: t.count,
                    archived: t.archived,
                    messages: t.messages,
                    threads: t.threads,
                }
            }
            _ => {}
        }
    }
    for s in &storage {
        match s.relation {
            Relation::SealedLegacy => warn(
                FindingCode::SealedLegacy,
                format!("{} holds sealed legacy state; run recovery", s.storage_key),
            ),
            Relation::Unreadable => warn(
                FindingCode::UnreadableValue,
                format!("{} has an unreadable value", s.storage_key),
            ),
            _ => {}
        }
    }

    // Audit
    let audit = match audit_value
        .text
        .as_deref()
        .map(serde_json::from_str::<Vec<serde_json::Value>>)
    {
        Some(Ok(list)) => AuditReport {
            entries: list.len(),
            readable: true,
            latest: list.into_iter().next(),
        },
        Some(Err(_)) => AuditReport {
            entries: 0,
            readable: false,
            latest: None,
        },
        None => AuditReport {
            entries: 0,
            readable: audit_value.report.problem.is_none(),
            latest: None,
        },
    };

    // Secrets (presence checks only: nothing migrates)
    let keyring = secrets.keyring_health();
    let using_file_fallback =
        secrets.mode() == SecretsMode::Auto && keyring.as_ref().is_some_and(|k| !k.reachable);
    if let Some(k) = keyring.as_ref().filter(|k| !k.reachable) {
        if secrets.mode() == SecretsMode::Auto {
            warn(
                FindingCode::KeyringUnavailable,
                format!(
                    "keyring unavailable, using file fallback: {}",
                    k.error.clone().unwrap_or_default()
                ),
            );
        } else {
            warn(
                FindingCode::KeyringUnavailable,
                format!(
                    "keyring unavailable: {}",
                    k.error.clone().unwrap_or_default()
                ),
            );
        }
    }
    // Linux: which keyring item was read, and items XWorkmate cannot see.
    if let Some(k) = keyring.as_ref().filter(|k| k.reachable) {
        let invisible = k
            .item
            .iter()
            .chain(&k.other_items)
            .filter(|i| !i.read_by_xworkmate);
        for item in invisible {
            warn(
                FindingCode::KeyringItemInvisible,
                format!(
                    "a keyring item labelled {:?} with xdg:schema {} carries XWorkmate's account, but XWorkmate does not read it{}",
                    item.label,
                    item.schema.as_deref().map_or("(none)".into(), |s| format!("{s:?}")),
                    if Some(item) == k.item.as_ref() {
                        "; the secrets shown as in the keyring are held in it, and nothing is ever written into it"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
    let entries = secrets.entries(true);
    for e in entries.iter().filter(|e| e.problem.is_some()) {
        warn(
            FindingCode::SecretUnreadable,
            format!(
                "{} could not be read: {}",
                e.name,
                e.problem.clone().unwrap_or_default()
            ),
        );
    }
    let legacy_files = secrets.legacy_files_shown();
    if !legacy_files.is_empty() {
        warn(
            FindingCode::LegacySecretFiles,
            match legacy_files.len() {
                1 => "1 legacy plain secret file in gateway-auth/".to_string(),
                n => format!("{n} legacy plain secret files in gateway-auth/"),
            },
        );
    }

    // Legacy
    let backup_path = location.backup_file();
    let backup = fsutil::read_optional(&backup_path)
        .ok()
        .flatten()
        .map(
            |text| match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => {
                    let schema = v.get("schemaVersion").and_then(serde_json::Value::as_i64);
                    BackupReport {
                        path: backup_path.clone(),
                        schema_version: schema,
                        sealed: v.get("sealedState").is_some(),
                        problem: None,
                    }
                }
                Err(e) => BackupReport {
                    path: backup_path.clone(),
                    schema_version: None,
                    sealed: false,
                    problem: Some(format!("not JSON: {}", document::json_error(&e))),
                },
            },
        );
    let shared_preferences =
        location
            .shared_preferences_file()
            .and_then(|p| match SharedPrefs::load(&p) {
                Ok(None) => None,
                Ok(Some(prefs)) => {
                    let keys: Vec<String> =
                        [crate::db::SETTINGS_KEY, crate::db::THREADS_KEY, AUDIT_KEY]
                            .iter()
                            .filter(|k| prefs.get(k).is_some())
                            .map(|k| k.to_string())
                            .collect();
                    Some(PrefsReport {
                        path: p,
                        readable: true,
                        other_entries: prefs.len() - keys.len(),
                        xworkmate_keys: keys,
                        problem: None,
                    })
                }
                Err(e) => Some(PrefsReport {
                    path: p,
                    readable: false,
                    xworkmate_keys: Vec::new(),
                    other_entries: 0,
                    problem: Some(e.to_string()),
                }),
            });
    let key_file = location.local_state_key_file();
    let legacy = LegacyReport {
        backup,
        shared_preferences,
        key_in_secure_storage: entries
            .iter()
            .any(|e| e.storage_key == crate::sealed::LOCAL_STATE_KEY && e.present),
        key_file_present: key_file.is_file(),
        key_file,
    };

    let xworkmate_running = crate::guard::detect(location);
    if let Some(app) = &xworkmate_running {
        warn(
            FindingCode::XworkmateRunning,
            format!(
                "XWorkmate is running (process {}); nothing can be changed until it is quit",
                app.pid
            ),
        );
    }

    let mut inspection = Inspection {
        data_dir,
        data_dir_origin: location.origin(),
        data_dir_exists,
        xworkmate_running,
        files,
        database,
        storage,
        settings,
        threads,
        secrets: SecretsReport {
            mode: secrets.mode(),
            keyring,
            using_file_fallback,
            entries,
            legacy_files,
        },
        legacy,
        audit,
        warnings,
        generations: Vec::new(),
        elapsed_ms: 0,
    };
    inspection.generations = crate::generation::inspect_all(location, &inspection);
    if let Some(sub) = crate::generation::store_in_subfolder(location) {
        inspection.warnings.push(Warning {
            code: FindingCode::StoreInSubfolder,
            message: format!(
                "{} holds no XWorkmate data, but {} does: the data folder is probably one level lower",
                data_dir_display(location),
                sub.display()
            ),
        });
    }
    inspection.elapsed_ms = start.elapsed().as_millis() as u64;
    inspection
}

fn data_dir_display(location: &DataLocation) -> String {
    location.data_dir().display().to_string()
}
