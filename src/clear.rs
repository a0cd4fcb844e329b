//! Clear local state (spec §8): plan, execute exactly the plan, verify that
//! every secret is still there. Secrets, the audit trail, unknown SQLite keys
//! and unrelated preferences are kept.
//!
//! Order of removal: legacy sources (SharedPreferences keys, the backup file),
//! then the mirror files, then the SQLite rows — the reverse of the read order
//! (SQLite → mirror → legacy). An interruption at any point leaves a prefix of
//! the read order intact, so the next read sees the same value as before the
//! clear started, never an older value resurrected from a lower source.

use crate::progress::Progress;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value;

use crate::db::{ConfigDb, AUDIT_KEY};
use crate::document::DocKind;
use crate::error::{Notice, NoticeCode, Result, StoreError};
use crate::fsutil::{self, FileMeta};
use crate::generation::{self, GenerationId};
use crate::paths::{self, DataLocation};
use crate::prefs::SharedPrefs;
use crate::secret::{Backend, SecretStore};
use crate::settings::{AuditEntry, OpenOptions, SettingsStore};

/// What one removal is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalKind {
    SqliteRow,
    File,
    Preference,
}

/// One planned (or done) removal.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Removal {
    pub kind: RemovalKind,
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub storage_key: Option<String>,
    pub bytes: u64,
}

/// Secrets kept, per backend.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptSecrets {
    pub backend: Backend,
    pub count: usize,
    pub names: Vec<String>,
}

/// What clear keeps.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Kept {
    pub secrets: Vec<KeptSecrets>,
    pub secret_count: usize,
    /// Entries in the audit trail (kept), when readable.
    pub audit_trail_entries: Option<usize>,
    /// Unknown SQLite keys (kept untouched).
    pub other_sqlite_keys: Vec<String>,
    /// Other preferences in the SharedPreferences file (kept).
    pub other_preferences: usize,
    /// `gateway-auth/` and everything in it.
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub gateway_auth: PathBuf,
    /// Generations B–D: `secrets/` and everything in it.
    #[serde(
        serialize_with = "crate::fsutil::lossy::opt_path",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub secrets_folder: Option<PathBuf>,
    /// Files this generation's clear would remove that another generation
    /// present still reads (its XWorkmate wrote them last): kept.
    pub for_other_generations: Vec<KeptForGeneration>,
}

/// A file kept because another generation present reads it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeptForGeneration {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub generation: GenerationId,
}

/// What a clear takes: everything that XWorkmate version's clear removes
/// (the default), or one part of it (generation A).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ClearScope {
    /// Settings and threads (and the old sealed state they came from).
    #[default]
    All,
    /// Threads only: the settings stay.
    Threads,
    /// Settings only: the threads stay.
    Settings,
    /// The archived threads only: the thread list is written again without them.
    ArchivedThreads,
    /// Threads last updated before a time: the thread list is written again
    /// without them (a thread with no time is kept).
    ThreadsBefore {
        #[serde(rename = "beforeMs")]
        before_ms: i64,
    },
}

impl ClearScope {
    /// The scopes that write the thread list again instead of removing it.
    pub fn rewrites(self) -> bool {
        matches!(
            self,
            ClearScope::ArchivedThreads | ClearScope::ThreadsBefore { .. }
        )
    }

    fn takes(self, doc: DocKind) -> bool {
        match self {
            ClearScope::All => true,
            ClearScope::Threads => doc == DocKind::Threads,
            ClearScope::Settings => doc == DocKind::Settings,
            ClearScope::ArchivedThreads | ClearScope::ThreadsBefore { .. } => false,
        }
    }

    /// The audit trail's words for what was cleared.
    fn audit_words(self) -> String {
        match self {
            ClearScope::All => "settings, threads".into(),
            ClearScope::Threads => "threads".into(),
            ClearScope::Settings => "settings".into(),
            ClearScope::ArchivedThreads => "archived threads".into(),
            ClearScope::ThreadsBefore { before_ms } => format!("threads before {before_ms}"),
        }
    }
}

/// A thread list written again without some threads (a selective clear).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadRewrite {
    /// Threads that stay.
    pub kept: usize,
    /// Threads that go, and their messages.
    pub removed: usize,
    pub messages_removed: usize,
}

/// What a clear means for the user, in counts: what goes, what XWorkmate
/// shows next time it starts. (What stays is `kept`: secrets by name.)
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ClearConsequences {
    /// Threads that go (those that version shows now), and their messages.
    pub threads: usize,
    pub messages: usize,
    /// Threads that stay (a selective clear).
    pub threads_kept: usize,
    /// The settings go back to XWorkmate's defaults.
    pub settings_reset: bool,
    /// The account the settings name (gone with them).
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub account: Option<String>,
    /// Gateway profiles in the settings (gone with them).
    pub gateway_profiles: usize,
    /// Old sealed state goes too: it can no longer be recovered.
    pub sealed_state_removed: bool,
}

/// The plan shown before anything is removed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClearPlan {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub data_dir: PathBuf,
    /// The generation this plan clears, the way its XWorkmate version's own
    /// clear does (by default the current one).
    pub generation: GenerationId,
    /// Every generation in the folder, oldest first.
    pub generations_present: Vec<GenerationId>,
    /// The folder of the generation cleared (the data dir, or on macOS the
    /// folder later versions use).
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub generation_dir: PathBuf,
    /// What this clear takes (everything, or a part).
    pub scope: ClearScope,
    /// In execution order.
    pub removals: Vec<Removal>,
    /// A selective clear of some threads: the thread list written again.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub rewrite: Option<ThreadRewrite>,
    pub consequences: ClearConsequences,
    pub total_bytes: u64,
    pub kept: Kept,
    /// Legacy sources in other candidate folders, left in place.
    #[serde(serialize_with = "crate::fsutil::lossy::paths")]
    pub left_in_place: Vec<PathBuf>,
    pub warnings: Vec<Notice>,
}

impl ClearPlan {
    pub fn is_empty(&self) -> bool {
        self.removals.is_empty() && self.rewrite.is_none_or(|r| r.removed == 0)
    }
}

/// The outcome of a clear.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClearOutcome {
    pub generation: GenerationId,
    pub scope: ClearScope,
    pub removed: Vec<Removal>,
    /// A selective clear of some threads: the thread list as written again.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub rewritten: Option<ThreadRewrite>,
    /// Planned items still there: empty unless the clear stopped part-way
    /// (`failure` says why). Rerunning clear finishes the job.
    pub remaining: Vec<Removal>,
    /// Why the clear stopped after it had begun removing (`null` when it ran
    /// to the end). An error before the first removal is an error instead,
    /// with nothing removed.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub failure: Option<ClearFailure>,
    pub kept: Kept,
    #[serde(serialize_with = "crate::fsutil::lossy::opt_path")]
    pub backup: Option<PathBuf>,
    /// Every secret present before was checked and is present after. False
    /// when one is missing *or could not be checked* (`secrets_unchecked`):
    /// a check that checked nothing is never "verified".
    pub secrets_verified: bool,
    /// Names of secrets that could not be read after the clear (a damaged or
    /// unreadable file, a link, a keyring that did not answer): kept, but
    /// whether they are still there cannot be told.
    pub secrets_unchecked: Vec<String>,
    /// Names of secrets that were present before and are missing now (always
    /// empty unless something else removed them meanwhile).
    pub secrets_missing_after: Vec<String>,
    pub warnings: Vec<Notice>,
}

/// Why a clear stopped part-way.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClearFailure {
    pub code: crate::ErrorCode,
    pub message: String,
}

impl ClearFailure {
    fn of(e: &StoreError) -> Self {
        Self {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The planned items not in `removed` that are still there, in plan order
/// (a file already gone before the clear is not "remaining").
fn remaining_of(plan: &ClearPlan, removed: &[Removal]) -> Vec<Removal> {
    plan.removals
        .iter()
        .filter(|r| !removed.contains(r))
        .filter(|r| r.kind != RemovalKind::File || std::fs::symlink_metadata(&r.path).is_ok())
        .cloned()
        .collect()
}

/// What clear removes from SharedPreferences (spec §8): the settings and the
/// threads. The audit trail there (`flutter.xworkmate.secrets.audit`) is kept,
/// as in SQLite: XWorkmate copies it into SQLite when it starts.
const CLEARED_PREF_KEYS: [&str; 2] = [crate::db::SETTINGS_KEY, crate::db::THREADS_KEY];
/// The SQLite keys clear knows (the rest are "other keys", kept untouched).
const KNOWN_SQLITE_KEYS: [&str; 3] = [crate::db::SETTINGS_KEY, crate::db::THREADS_KEY, AUDIT_KEY];

fn prefs_files(location: &DataLocation) -> Vec<PathBuf> {
    location.preference_files()
}

fn kept(
    location: &DataLocation,
    entries: &[crate::secret::SecretEntry],
    db: Option<&ConfigDb>,
    other_prefs: usize,
) -> Kept {
    let mut by_backend: Vec<KeptSecrets> = Vec::new();
    for e in entries.iter().filter(|e| e.present) {
        match by_backend.iter_mut().find(|k| k.backend == e.backend) {
            Some(k) => {
                k.count += 1;
                k.names.push(e.name.clone());
            }
            None => by_backend.push(KeptSecrets {
                backend: e.backend,
                count: 1,
                names: vec![e.name.clone()],
            }),
        }
    }
    let (audit, other_keys) = match db {
        Some(db) => {
            let audit = db
                .get(AUDIT_KEY)
                .ok()
                .flatten()
                .and_then(|e| serde_json::from_str::<Vec<Value>>(&e.value).ok())
                .map(|a| a.len());
            let others = db
                .sizes()
                .unwrap_or_default()
                .into_iter()
                .map(|(key, _)| key)
                .filter(|k| !KNOWN_SQLITE_KEYS.contains(&k.as_str()))
                .collect();
            (audit, others)
        }
        None => (None, Vec::new()),
    };
    Kept {
        secret_count: by_backend.iter().map(|k| k.count).sum(),
        secrets: by_backend,
        audit_trail_entries: audit,
        other_sqlite_keys: other_keys,
        other_preferences: other_prefs,
        gateway_auth: location.gateway_auth(),
        secrets_folder: None,
        for_other_generations: Vec::new(),
    }
}

/// Three-valued verification of the secrets there were before a clear:
/// returns (missing: present or unreadable before, absent after; could not
/// check: unreadable after). The rest are verified.
fn verify_secrets(
    before: &[String],
    after: &[crate::secret::SecretEntry],
) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut unchecked = Vec::new();
    for name in before {
        match after.iter().find(|e| &e.name == name) {
            Some(e) if e.present => {}
            Some(e) if e.problem.is_some() || e.hidden => unchecked.push(name.clone()),
            _ => missing.push(name.clone()),
        }
    }
    (missing, unchecked)
}

/// Refuses a backup path inside the data dir (clear could remove it, or it
/// could replace the database) and one that already exists (never replaced).
/// Checked before anything is written or removed.
pub fn check_backup_path(location: &DataLocation, path: &std::path::Path) -> Result<()> {
    check_output_path(location, path, "backup path")
}

/// Refuses an output file (`what`: "backup path", "export path") inside the
/// data dir — where XWorkmate or a clear could remove or misread it — and one
/// that already exists: an output never replaces a file.
pub fn check_output_path(
    location: &DataLocation,
    path: &std::path::Path,
    what: &str,
) -> Result<()> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    // Resolve symlinks in the folders: the file itself need not exist.
    let resolved = match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map(|p| p.join(name))
            .unwrap_or_else(|_| absolute.clone()),
        _ => absolute.clone(),
    };
    for folder in location.generation_dirs() {
        let canonical = folder.canonicalize().unwrap_or_else(|_| folder.clone());
        if resolved.starts_with(&canonical) {
            return Err(StoreError::OutputInsideDataFolder {
                what: what.into(),
                path: path.to_path_buf(),
                folder,
            });
        }
    }
    if std::fs::symlink_metadata(&absolute).is_ok() {
        return Err(StoreError::OutputExists {
            what: what.into(),
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Makes the plan for the current generation (the newest in the folder;
/// generation A when there is none). Read-only: nothing is created, moved or
/// migrated.
pub fn plan(location: &DataLocation, secrets: &SecretStore) -> Result<ClearPlan> {
    plan_generation(location, secrets, None)
}

/// Makes the plan for `generation` (default: the current one), the way that
/// XWorkmate version's own clear does (`generations.md`). Another generation
/// is cleared only when asked for by name; it must be in the folder.
pub fn plan_generation(
    location: &DataLocation,
    secrets: &SecretStore,
    generation: Option<GenerationId>,
) -> Result<ClearPlan> {
    plan_scoped(location, secrets, generation, ClearScope::All)
}

/// Makes the plan for `scope` of `generation` (see [`plan_generation`]). A
/// part of a clear is for generation A's data; it is refused while old sealed
/// state is present (XWorkmate would bring the part back from it at its next
/// start).
pub fn plan_scoped(
    location: &DataLocation,
    secrets: &SecretStore,
    generation: Option<GenerationId>,
    scope: ClearScope,
) -> Result<ClearPlan> {
    let _scope = generation::common::ReadScope::open();
    let located = generation::locate(location);
    let present: Vec<GenerationId> = located.iter().map(|l| l.id).collect();
    let id = match generation {
        None => present.last().copied().unwrap_or(GenerationId::A),
        Some(id) if present.contains(&id) => id,
        Some(id) => {
            return Err(StoreError::NoSuchGeneration(format!(
                "there is no generation {id} (XWorkmate {}) in {}; present: {}",
                id.versions(),
                location.data_dir().display(),
                if present.is_empty() {
                    "none".to_string()
                } else {
                    present
                        .iter()
                        .map(|g| g.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )))
        }
    };
    let dir = located
        .iter()
        .find(|l| l.id == id)
        .map_or_else(|| location.data_dir().to_path_buf(), |l| l.dir.clone());
    if scope.rewrites() && id != GenerationId::A {
        return Err(StoreError::SelectiveClearUnavailable(format!(
            "archived or older threads are cleared from XWorkmate 0.6.1's thread list (generation A); generation {id} (XWorkmate {}) clears its threads or its settings as a whole",
            id.versions()
        )));
    }
    let mut plan = match id {
        GenerationId::A => plan_a(location, secrets)?,
        _ => plan_files(location, id, &dir, &generation::present_in(&located, &dir)),
    };
    plan.generation = id;
    plan.generations_present = present;
    plan.generation_dir = dir;
    match (scope, id) {
        (ClearScope::All, _) => {}
        (_, GenerationId::A) => narrow_a(location, &mut plan, scope)?,
        _ => narrow_files(&mut plan, scope),
    }
    plan.consequences = consequences(location, &plan);
    Ok(plan)
}

/// Narrows a later generation's full plan to its threads (every task file,
/// the index, C's thread list) or its settings (the settings file, and B2's
/// copy in the user's config folder); the window state goes only with
/// everything.
fn narrow_files(plan: &mut ClearPlan, scope: ClearScope) {
    let tasks = plan.generation_dir.join("tasks");
    plan.scope = scope;
    plan.removals.retain(|r| match scope {
        ClearScope::Threads => r.path.starts_with(&tasks),
        ClearScope::Settings => r.path.ends_with(generation::common::SETTINGS_YAML),
        _ => true,
    });
    plan.total_bytes = plan.removals.iter().map(|r| r.bytes).sum();
}

/// Narrows generation A's full plan to `scope`.
fn narrow_a(location: &DataLocation, plan: &mut ClearPlan, scope: ClearScope) -> Result<()> {
    let legacy = plan
        .removals
        .iter()
        .any(|r| r.kind == RemovalKind::Preference || r.path == location.backup_file());
    if legacy {
        return Err(StoreError::SelectiveClearUnavailable(
            "old sealed state is still here, and XWorkmate would bring back what a part of a clear removes from it at its next start: recover it first, or clear everything".into(),
        ));
    }
    plan.scope = scope;
    plan.removals.retain(|r| {
        DocKind::ALL.iter().any(|d| {
            scope.takes(*d)
                && (r.storage_key.as_deref() == Some(d.storage_key())
                    || r.path == d.mirror_path(location))
        })
    });
    plan.total_bytes = plan.removals.iter().map(|r| r.bytes).sum();
    if scope.rewrites() {
        plan.rewrite = match crate::settings::read_document_readonly(location, DocKind::Threads)? {
            Some(doc) => Some(rewrite_threads(&doc.text, scope)?.1),
            None => None,
        };
    }
    Ok(())
}

/// The thread list without the threads `scope` takes: every other item's
/// exact text, in order, joined the way XWorkmate writes a list (no spaces).
pub fn rewrite_threads(text: &str, scope: ClearScope) -> Result<(String, ThreadRewrite)> {
    use serde_json::value::RawValue;
    let items: Vec<&RawValue> = serde_json::from_str(text.trim()).map_err(|e| {
        StoreError::invalid(
            "threads",
            format!("not a thread list: {}", crate::document::json_error(&e)),
        )
    })?;
    let mut out = String::with_capacity(text.len());
    let mut r = ThreadRewrite {
        kept: 0,
        removed: 0,
        messages_removed: 0,
    };
    out.push('[');
    for item in items {
        let thread = crate::document::thread_summary(item.get());
        let goes = thread.as_ref().is_some_and(|t| match scope {
            ClearScope::ArchivedThreads => t.archived,
            ClearScope::ThreadsBefore { before_ms } => {
                t.updated_at_ms.is_some_and(|u| u < before_ms as f64)
            }
            _ => false,
        });
        match (goes, thread) {
            (true, Some(t)) => {
                r.removed += 1;
                r.messages_removed += t.message_count;
            }
            (_, t) => {
                r.kept += usize::from(t.is_some());
                if out.len() > 1 {
                    out.push(',');
                }
                out.push_str(item.get());
            }
        }
    }
    out.push(']');
    Ok((out, r))
}

/// What `plan` means in counts (read-only).
fn consequences(location: &DataLocation, plan: &ClearPlan) -> ClearConsequences {
    use crate::document::Summary;
    let mut c = ClearConsequences::default();
    if plan.generation == GenerationId::A {
        let summary = |doc| {
            crate::settings::read_summary_readonly(location, doc)
                .ok()
                .flatten()
        };
        if let Some(r) = plan.rewrite {
            c.threads = r.removed;
            c.messages = r.messages_removed;
            c.threads_kept = r.kept;
            return c;
        }
        let removes = |doc: DocKind| {
            plan.removals.iter().any(|r| {
                r.storage_key.as_deref() == Some(doc.storage_key())
                    || r.path == doc.mirror_path(location)
            })
        };
        if let Some((_, Summary::Threads(t))) = summary(DocKind::Threads) {
            if removes(DocKind::Threads) {
                c.threads = t.count;
                c.messages = t.messages;
            } else {
                c.threads_kept = t.count;
            }
        }
        if removes(DocKind::Settings) {
            c.settings_reset = true;
            if let Some((_, Summary::Settings(s))) = summary(DocKind::Settings) {
                c.account = s.account_username;
                c.gateway_profiles = s.gateway_profiles.len();
            }
        }
        c.sealed_state_removed = plan
            .removals
            .iter()
            .any(|r| r.kind == RemovalKind::Preference || r.path == location.backup_file());
        return c;
    }
    // Generations B–D: the thread records and settings files it removes.
    let dir = &plan.generation_dir;
    let rel = |r: &Removal| {
        r.path
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let threads_go = plan.removals.iter().any(|r| {
        let rel = rel(r);
        rel.starts_with("tasks/")
    });
    if threads_go {
        if let Ok(records) = generation::get(plan.generation).thread_records(dir) {
            c.threads = records.len();
            c.messages = records
                .iter()
                .map(|v| {
                    v.get("contextState")
                        .and_then(|s| s.get("messages"))
                        .or_else(|| v.get("messages"))
                        .and_then(serde_json::Value::as_array)
                        .map_or(0, Vec::len)
                })
                .sum();
        }
    }
    c.settings_reset = plan
        .removals
        .iter()
        .any(|r| r.path.ends_with(generation::common::SETTINGS_YAML));
    if !threads_go && plan.scope == ClearScope::Settings {
        c.threads_kept = generation::get(plan.generation)
            .thread_records(dir)
            .map_or(0, |r| r.len());
    }
    c
}

/// Generations B–D: the files that version's clear removes; `secrets/`, the
/// audit file, and what another generation present reads are kept.
fn plan_files(
    location: &DataLocation,
    id: GenerationId,
    dir: &std::path::Path,
    present: &[GenerationId],
) -> ClearPlan {
    let mut removals = Vec::new();
    let mut for_other = Vec::new();
    let mut warnings = Vec::new();
    for f in generation::get(id).clear_files(location, dir, present) {
        let path = dir.join(&f.rel);
        match f.kept_for {
            Some(owner) => {
                warnings.push(Notice::about(
                    NoticeCode::KeptForAnotherGeneration,
                    f.rel.clone(),
                    format!(
                        "{} is kept: XWorkmate {} (generation {owner}) reads it",
                        f.rel,
                        owner.versions()
                    ),
                ));
                for_other.push(KeptForGeneration {
                    path,
                    generation: owner,
                });
            }
            None => {
                let meta = FileMeta::of(&path);
                removals.push(Removal {
                    kind: RemovalKind::File,
                    path,
                    storage_key: None,
                    bytes: meta.size.unwrap_or(0),
                });
            }
        }
    }
    let (names, _) = generation_secrets(dir);
    ClearPlan {
        data_dir: location.data_dir().to_path_buf(),
        scope: ClearScope::All,
        rewrite: None,
        consequences: ClearConsequences::default(),
        generation: id,
        generations_present: present.to_vec(),
        generation_dir: dir.to_path_buf(),
        total_bytes: removals.iter().map(|r| r.bytes).sum(),
        removals,
        kept: kept_files(location, id, dir, &names, for_other),
        left_in_place: Vec::new(),
        warnings,
    }
}

/// The secrets of `secrets/` (B–D): (present, could not be read).
fn generation_secrets(dir: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let mut findings = Vec::new();
    let all = generation::common::secrets(dir, &mut findings);
    let present = all
        .iter()
        .filter(|s| s.present)
        .map(|s| s.storage_key.clone())
        .collect();
    let unreadable = findings
        .into_iter()
        .filter(|f| f.code == crate::FindingCode::SecretUnreadable)
        .filter_map(|f| {
            all.iter()
                .find(|s| s.file == f.path)
                .map(|s| s.storage_key.clone())
        })
        .collect();
    (present, unreadable)
}

fn kept_files(
    location: &DataLocation,
    id: GenerationId,
    dir: &std::path::Path,
    secret_names: &[String],
    for_other: Vec<KeptForGeneration>,
) -> Kept {
    let audit_file = match id {
        GenerationId::B1 | GenerationId::B2 => generation::common::SECRET_AUDIT,
        _ => generation::common::AUDIT,
    };
    let audit = generation::common::audit(dir, audit_file, &mut Vec::new()).entries;
    let secrets = if secret_names.is_empty() {
        Vec::new()
    } else {
        vec![KeptSecrets {
            backend: Backend::File,
            count: secret_names.len(),
            names: secret_names.to_vec(),
        }]
    };
    Kept {
        secret_count: secret_names.len(),
        secrets,
        audit_trail_entries: audit,
        other_sqlite_keys: Vec::new(),
        other_preferences: 0,
        gateway_auth: location.gateway_auth(),
        secrets_folder: Some(dir.join(generation::common::SECRETS_DIR)),
        for_other_generations: for_other,
    }
}

/// Generation A's plan (spec §8).
fn plan_a(location: &DataLocation, secrets: &SecretStore) -> Result<ClearPlan> {
    let mut removals = Vec::new();
    let mut warnings = Vec::new();
    let mut other_prefs = 0;
    for path in prefs_files(location) {
        match SharedPrefs::load(&path) {
            Ok(Some(p)) => {
                let mut hits = 0;
                for key in CLEARED_PREF_KEYS {
                    if let Some(v) = p.get(key) {
                        hits += 1;
                        removals.push(Removal {
                            kind: RemovalKind::Preference,
                            path: path.clone(),
                            storage_key: Some(key.into()),
                            bytes: v.len() as u64,
                        });
                    }
                }
                other_prefs += p.len() - hits;
            }
            Ok(None) => {}
            Err(e) => warnings.push(Notice::new(
                NoticeCode::PrefsUnreadable,
                format!("SharedPreferences left as they are: {e}"),
            )),
        }
    }
    let mut files = vec![location.backup_file()];
    files.extend(DocKind::ALL.iter().map(|d| d.mirror_path(location)));
    for path in files {
        let meta = FileMeta::of(&path);
        if meta.exists && !meta.is_dir {
            removals.push(Removal {
                kind: RemovalKind::File,
                path,
                storage_key: None,
                bytes: meta.size.unwrap_or(0),
            });
        }
    }
    let db_path = location.database();
    // A database another program holds locked, or that cannot be read, is not
    // damaged: its rows are still there, so no clear is planned without them
    // (a damaged one is reported below, and the rest is cleared).
    let not_now = |e: &StoreError| {
        e.is_lock() || matches!(e, StoreError::Io { .. } | StoreError::InvalidInput { .. })
    };
    let db = match ConfigDb::open_ro(&db_path) {
        Ok(db) => db,
        Err(e) if not_now(&e) => return Err(e),
        Err(e) => {
            warnings.push(Notice::new(
                NoticeCode::DatabaseRows,
                format!("the database cannot be read, so its rows cannot be removed: {e}"),
            ));
            None
        }
    };
    if let Some(db) = &db {
        match db.sizes() {
            Ok(sizes) => {
                for doc in DocKind::ALL {
                    if let Some((key, bytes)) = sizes.iter().find(|(k, _)| k == doc.storage_key()) {
                        removals.push(Removal {
                            kind: RemovalKind::SqliteRow,
                            path: db_path.clone(),
                            storage_key: Some(key.clone()),
                            bytes: *bytes,
                        });
                    }
                }
            }
            Err(e) if not_now(&e) => return Err(e),
            Err(e) => warnings.push(Notice::new(
                NoticeCode::DatabaseRows,
                format!("the database cannot be read, so its rows cannot be removed: {e}"),
            )),
        }
    }
    let data_dir = location.data_dir();
    let mut left_in_place = Vec::new();
    for cand in location
        .recovery_candidates()
        .into_iter()
        .filter(|c| c != data_dir)
    {
        for name in [
            paths::DATABASE_FILE,
            paths::SETTINGS_MIRROR_FILE,
            paths::THREADS_MIRROR_FILE,
            paths::BACKUP_FILE,
        ] {
            let p = cand.join(name);
            if p.is_file() {
                left_in_place.push(p);
            }
        }
    }
    let entries = secrets.entries(false);
    for e in entries.iter().filter(|e| e.problem.is_some()) {
        warnings.push(Notice::about(NoticeCode::SecretUnchecked, e.name.clone(), format!("the secret {} could not be read ({}); it is kept, but its presence cannot be checked", e.name, e.problem.clone().unwrap_or_default())));
    }
    let kept = kept(location, &entries, db.as_ref(), other_prefs);
    Ok(ClearPlan {
        data_dir: data_dir.to_path_buf(),
        scope: ClearScope::All,
        rewrite: None,
        consequences: ClearConsequences::default(),
        generation: GenerationId::A,
        generations_present: Vec::new(),
        generation_dir: data_dir.to_path_buf(),
        total_bytes: removals.iter().map(|r| r.bytes).sum(),
        removals,
        kept,
        left_in_place,
        warnings,
    })
}

/// Writes a restorable backup of everything `plan` removes, before anything
/// is removed: a schema-1 plain backup (`settings`, `assistantThreads`, the
/// shape legacy recovery reads, from the readable documents) plus `removed`,
/// the raw text of every planned item (SQLite rows, mirrors, the legacy
/// backup, preference values) — so nothing is lost, readable or not. An item
/// whose text is exactly a top-level document's says so (`textOf`) instead
/// of holding a second copy. Written as a stream: no document is ever held
/// whole. Fails, before anything is removed, when a planned item cannot be
/// read.
pub fn write_backup(
    location: &DataLocation,
    plan: &ClearPlan,
    path: &std::path::Path,
) -> Result<()> {
    write_backup_with(location, plan, path, &Progress::new())
}

/// [`write_backup`], counting what it writes into `progress` and stopping
/// (`StoreError::Cancelled`, no file left) when it is cancelled.
fn write_backup_with(
    location: &DataLocation,
    plan: &ClearPlan,
    path: &std::path::Path,
    progress: &Progress,
) -> Result<()> {
    check_backup_path(location, path)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(StoreError::io(
                "cannot write the backup into",
                parent,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
    }
    let cannot = |what: &Removal, why: String| {
        StoreError::invalid(
            "backup",
            format!(
                "cannot back up {} ({why}); nothing was removed",
                what.path.display()
            ),
        )
    };
    let db = ConfigDb::open_ro(&location.database()).ok().flatten();
    let db = db.as_ref();

    // Where each item's text is read from (opened again for each pass).
    let source_of = |r: &Removal| -> Result<BackupSource> {
        Ok(match r.kind {
            // A link, FIFO or device in a planned place is not read (and so
            // the clear with a backup is refused before anything is removed).
            RemovalKind::File => match fsutil::check_readable(&r.path) {
                Ok(Some(meta)) => BackupSource::File(r.path.clone(), meta.len()),
                Ok(None) => return Err(cannot(r, "it is gone".into())),
                Err(e) => return Err(cannot(r, e.to_string())),
            },
            RemovalKind::Preference => BackupSource::Text(
                SharedPrefs::load(&r.path)
                    .map_err(|e| cannot(r, e.to_string()))?
                    .and_then(|p| {
                        r.storage_key
                            .as_deref()
                            .and_then(|k| p.get(k))
                            .map(str::to_string)
                    })
                    .ok_or_else(|| cannot(r, "the preference is gone".into()))?,
            ),
            RemovalKind::SqliteRow => {
                let key = r.storage_key.clone().unwrap_or_default();
                let bytes = db
                    .and_then(|d| d.open_value(&key).ok().flatten())
                    .map(|v| v.bytes)
                    .ok_or_else(|| cannot(r, "the row cannot be read".into()))?;
                BackupSource::Row(key, bytes)
            }
        })
    };
    let sources = plan
        .removals
        .iter()
        .map(source_of)
        .collect::<Result<Vec<_>>>()?;

    // The schema-1 documents legacy recovery reads are generation A's: the
    // readable one of each, database first.
    let mut top: Vec<(&'static str, BackupSource)> = Vec::new();
    if plan.generation == GenerationId::A {
        for doc in DocKind::ALL {
            let row = BackupSource::Row(
                doc.storage_key().to_string(),
                db.and_then(|d| d.open_value(doc.storage_key()).ok().flatten())
                    .map_or(0, |v| v.bytes),
            );
            let mirror = doc.mirror_path(location);
            let file = fsutil::check_readable(&mirror)
                .ok()
                .flatten()
                .map(|m| BackupSource::File(mirror, m.len()));
            let readable = std::iter::once(row).chain(file).find(|src| {
                matches!(
                    crate::document::classify_stream(doc, || src.open(db)),
                    Ok(crate::document::Stored::Plain(_))
                )
            });
            if let Some(src) = readable {
                top.push((
                    match doc {
                        DocKind::Settings => "settings",
                        DocKind::Threads => "assistantThreads",
                    },
                    src,
                ));
            }
        }
    }
    // An item whose text is exactly a top-level document's (a document
    // stored without surrounding whitespace, and its identical mirror).
    let text_of: Vec<Option<&'static str>> = sources
        .iter()
        .map(|src| {
            top.iter()
                .find(|(_, t)| {
                    src.len() == t.len()
                        && t.is_untrimmed(db)
                        && (src == t
                            || match (src.open(db), t.open(db)) {
                                (Ok(a), Ok(b)) => crate::stream::same_bytes(a, b).unwrap_or(false),
                                _ => false,
                            })
                })
                .map(|(name, _)| *name)
        })
        .collect();

    let json = |v: &dyn erased::Json| v.to_json();
    // What there is to write: the documents and every text not said by `textOf`.
    progress.add_total(
        top.iter().map(|(_, t)| t.len()).sum::<u64>()
            + sources
                .iter()
                .zip(&text_of)
                .filter(|(_, t)| t.is_none())
                .map(|(s, _)| s.len())
                .sum::<u64>(),
    );
    let mut failed: Option<StoreError> = None;
    let result = fsutil::write_new_with(path, Some(0o600), |w| {
        use std::io::Write as _;
        let w = &mut crate::progress::CountedWrite::new(w, progress);
        writeln!(w, "{{")?;
        writeln!(w, "  \"schemaVersion\": 1,")?;
        writeln!(
            w,
            "  \"appVersion\": {},",
            json(&format!(
                "xworkmate-diagnostics {}",
                env!("CARGO_PKG_VERSION")
            ))
        )?;
        writeln!(w, "  \"backupCreatedAtMs\": {},", fsutil::now_ms())?;
        writeln!(
            w,
            "  \"dataDir\": {},",
            json(&location.data_dir().to_string_lossy().into_owned())
        )?;
        for (name, src) in &top {
            write!(w, "  \"{name}\": ")?;
            crate::stream::copy_trimmed(src.open(db)?, w)?;
            writeln!(w, ",")?;
        }
        writeln!(w, "  \"generation\": {},", json(&plan.generation))?;
        writeln!(
            w,
            "  \"generationDir\": {},",
            json(&plan.generation_dir.to_string_lossy().into_owned())
        )?;
        write!(w, "  \"removed\": [")?;
        for (i, ((r, src), text_of)) in plan.removals.iter().zip(&sources).zip(&text_of).enumerate()
        {
            if i > 0 {
                write!(w, ",")?;
            }
            write!(
                w,
                "\n    {{\n      \"kind\": {},\n      \"path\": {},\n      \"storageKey\": {},\n",
                json(&r.kind),
                json(&r.path.to_string_lossy().into_owned()),
                json(&r.storage_key)
            )?;
            match text_of {
                Some(name) => write!(w, "      \"textOf\": \"{name}\"")?,
                None => {
                    write!(w, "      \"text\": ")?;
                    let text = src
                        .open(db)
                        .map(crate::stream::Utf8Checked::new)
                        .and_then(|t| crate::stream::write_json_string(t, w));
                    if let Err(e) = text {
                        let why = if e.kind() == std::io::ErrorKind::InvalidData {
                            "not UTF-8 text".to_string()
                        } else {
                            e.to_string()
                        };
                        failed = Some(cannot(r, why));
                        return Err(e);
                    }
                }
            }
            write!(w, "\n    }}")?;
            if i == 0 {
                crate::fault::point("file.half_written");
            }
        }
        if plan.removals.is_empty() {
            crate::fault::point("file.half_written");
            writeln!(w, "]")?;
        } else {
            writeln!(w, "\n  ]")?;
        }
        writeln!(w, "}}")?;
        // Written whole: it is synced and linked in, then the removals
        // follow — no cancel from here (one that came just now stops it, and
        // its temporary file goes).
        if !progress.writing() {
            return Err(crate::progress::cancelled_error());
        }
        Ok(())
    });
    // Never over an existing file (`write_new_with`): a second clear must
    // not replace the first, full backup with an empty one.
    match (result, failed) {
        (Err(e), _) if crate::progress::was_cancelled(&e) => Err(StoreError::Cancelled),
        (Err(_), Some(why)) => Err(why),
        (result, _) => result,
    }
}

/// Small values of the backup, as JSON.
mod erased {
    pub trait Json {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_else(|_| "null".into())
        }
    }
}

/// Where a backed-up text is read from.
#[derive(Debug, PartialEq, Eq)]
enum BackupSource {
    /// A database row (its key, its size).
    Row(String, u64),
    /// A file (its path, its size).
    File(PathBuf, u64),
    /// A text already read (a preference value).
    Text(String),
}

impl BackupSource {
    fn len(&self) -> u64 {
        match self {
            BackupSource::Row(_, n) | BackupSource::File(_, n) => *n,
            BackupSource::Text(t) => t.len() as u64,
        }
    }

    fn open<'a>(
        &'a self,
        db: Option<&'a ConfigDb>,
    ) -> std::io::Result<Box<dyn std::io::Read + 'a>> {
        Ok(match self {
            BackupSource::Row(key, _) => Box::new(
                db.and_then(|d| d.open_value(key).ok().flatten())
                    .ok_or_else(|| std::io::Error::other("the row cannot be read"))?,
            ),
            BackupSource::File(path, _) => Box::new(std::fs::File::open(path)?),
            BackupSource::Text(t) => Box::new(t.as_bytes()),
        })
    }

    /// True when the text has no whitespace around it (its trimmed copy is
    /// the text itself): its first and last bytes are read.
    fn is_untrimmed(&self, db: Option<&ConfigDb>) -> bool {
        use std::io::{Read, Seek, SeekFrom};
        let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let ends = || -> std::io::Result<(u8, u8)> {
            let mut first = [0u8; 1];
            let mut last = [0u8; 1];
            match self {
                BackupSource::Text(t) => {
                    let b = t.as_bytes();
                    return match (b.first(), b.last()) {
                        (Some(f), Some(l)) => Ok((*f, *l)),
                        _ => Err(std::io::ErrorKind::UnexpectedEof.into()),
                    };
                }
                BackupSource::File(path, _) => {
                    let mut f = std::fs::File::open(path)?;
                    f.read_exact(&mut first)?;
                    f.seek(SeekFrom::End(-1))?;
                    f.read_exact(&mut last)?;
                }
                BackupSource::Row(key, _) => {
                    let mut v = db
                        .and_then(|d| d.open_value(key).ok().flatten())
                        .ok_or_else(|| std::io::Error::other("the row cannot be read"))?;
                    v.read_exact(&mut first)?;
                    v.seek(SeekFrom::End(-1))?;
                    v.read_exact(&mut last)?;
                }
            }
            Ok((first[0], last[0]))
        };
        ends().is_ok_and(|(f, l)| !ws(f) && !ws(l))
    }
}

/// Executes exactly `plan` (items already gone are skipped), after writing
/// `backup` when given; then verifies that every secret is still present and
/// appends a Diagnostics entry to the audit trail.
pub fn execute(
    location: &DataLocation,
    secrets: &SecretStore,
    plan: &ClearPlan,
    backup: Option<&std::path::Path>,
) -> Result<ClearOutcome> {
    execute_with_progress(location, secrets, plan, backup, &Progress::new())
}

/// [`execute`], counting the backup it writes into `progress`. A cancel is
/// honoured while the backup is written (no backup file is left, nothing is
/// removed: `StoreError::Cancelled`) and refused from the first removal on.
pub fn execute_with_progress(
    location: &DataLocation,
    secrets: &SecretStore,
    plan: &ClearPlan,
    backup: Option<&std::path::Path>,
    progress: &Progress,
) -> Result<ClearOutcome> {
    if plan.data_dir != location.data_dir() {
        return Err(StoreError::StalePlan(
            "it was made for another data folder".into(),
        ));
    }
    // Before anything, the backup included: XWorkmate would undo the clear.
    crate::guard::refuse_if_running(location)?;
    // A plan that removes nothing needs no backup (and writes none).
    let backup = backup.filter(|_| !plan.is_empty());
    if let Some(b) = backup {
        check_backup_path(location, b)?;
    }
    // Nothing is removed through a link inside the data folder: checked for
    // every item before the first one goes.
    for r in &plan.removals {
        location.refuse_links(&r.path)?;
    }
    if plan.generation != GenerationId::A {
        return execute_files(location, plan, backup, progress);
    }
    if plan.rewrite.is_some() {
        return execute_rewrite(location, secrets, plan, backup, progress);
    }
    let before = secrets_before(secrets);
    if let Some(b) = backup {
        write_backup_with(location, plan, b, progress)?;
    }
    // From here on it removes: no cancel (one that came just now stops it).
    if !progress.writing() {
        return Err(StoreError::Cancelled);
    }
    // 0. The database's write lock, before anything is removed (bounded wait:
    // the busy timeout). Another program holding it means nothing is removed,
    // rather than files now and the rows never. The rows go last, in this
    // same transaction, keeping the reverse read order.
    let rows: Vec<&Removal> = plan
        .removals
        .iter()
        .filter(|r| r.kind == RemovalKind::SqliteRow)
        .collect();
    let mut db = if rows.is_empty() {
        None
    } else {
        Some(ConfigDb::open_rw(&location.database())?)
    };
    let mut lock = match db.as_mut() {
        Some(db) => Some(db.write_lock()?),
        None => None,
    };
    let mut removed = Vec::new();
    let mut warnings = plan.warnings.clone();
    // From here on something may have been removed: a failure is reported
    // with what was removed and what remains, never as a bare error.
    let failure = remove_a(plan, &rows, &mut lock, &mut removed)
        .err()
        .map(|e| ClearFailure::of(&e));
    drop(lock);
    drop(db);
    // 5. verify secrets (presence checks only)
    let after_entries = secrets.entries(false);
    let (missing, unchecked) = verify_secrets(&before, &after_entries);
    // 6. audit (a database that cannot be opened is reported, not fatal: the
    // removals above are done and must be reported). A clear that removed
    // nothing from a folder without a database creates nothing.
    let audit_wanted = !removed.is_empty() || location.database().exists();
    let status = if failure.is_some() {
        "Incomplete"
    } else if missing.is_empty() {
        "Success"
    } else {
        "Secrets missing"
    };
    let audited = if !audit_wanted {
        Ok(())
    } else {
        SettingsStore::open(location, OpenOptions::default()).and_then(|store| {
            store.append_audit(&AuditEntry::diagnostics(
                "Cleared",
                &plan.scope.audit_words(),
                status,
            ))
        })
    };
    if let Err(e) = audited {
        warnings.push(Notice::new(
            NoticeCode::AuditNotUpdated,
            format!("the audit trail was not updated: {e}"),
        ));
    }
    let db = ConfigDb::open_ro(&location.database()).ok().flatten();
    let other_prefs = plan.kept.other_preferences;
    Ok(ClearOutcome {
        generation: GenerationId::A,
        scope: plan.scope,
        rewritten: None,
        remaining: if failure.is_some() {
            remaining_of(plan, &removed)
        } else {
            Vec::new()
        },
        failure,
        removed,
        kept: kept(location, &after_entries, db.as_ref(), other_prefs),
        backup: backup.map(|b| b.to_path_buf()),
        secrets_verified: missing.is_empty() && unchecked.is_empty(),
        secrets_unchecked: unchecked,
        secrets_missing_after: missing,
        warnings,
    })
}

/// Generation A's removals in the reverse read order: preferences, then the
/// backup file and mirrors, then the rows in the transaction `lock` holds.
/// `removed` grows with each item gone, also when a later step fails.
fn remove_a(
    plan: &ClearPlan,
    rows: &[&Removal],
    lock: &mut Option<crate::db::WriteLock<'_>>,
    removed: &mut Vec<Removal>,
) -> Result<()> {
    // 1. preferences
    let mut pref_paths: Vec<&PathBuf> = plan
        .removals
        .iter()
        .filter(|r| r.kind == RemovalKind::Preference)
        .map(|r| &r.path)
        .collect();
    pref_paths.dedup();
    for path in pref_paths {
        let keys: Vec<&str> = plan
            .removals
            .iter()
            .filter(|r| r.kind == RemovalKind::Preference && &r.path == path)
            .filter_map(|r| r.storage_key.as_deref())
            .collect();
        if let Some(mut prefs) = SharedPrefs::load(path)? {
            let gone = prefs.remove(&keys)?;
            removed.extend(
                plan.removals
                    .iter()
                    .filter(|r| {
                        r.kind == RemovalKind::Preference
                            && &r.path == path
                            && r.storage_key.as_ref().is_some_and(|k| gone.contains(k))
                    })
                    .cloned(),
            );
        }
    }
    // 2. backup file, then 3. mirrors (plan order)
    for r in plan.removals.iter().filter(|r| r.kind == RemovalKind::File) {
        if fsutil::remove_durable(&r.path)? {
            removed.push(r.clone());
        }
    }
    // 4. SQLite rows, in the transaction that has held the lock since step 0
    if let Some(lock) = lock.take() {
        let keys: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.storage_key.as_deref())
            .collect();
        lock.delete_and_commit(&keys)?;
        removed.extend(rows.iter().map(|r| (*r).clone()));
    }
    Ok(())
}

/// The secrets there before a clear (present, or present but unreadable):
/// what `verify_secrets` checks afterwards.
fn secrets_before(secrets: &SecretStore) -> Vec<String> {
    secrets
        .entries(false)
        .into_iter()
        .filter(|e| e.present || e.problem.is_some())
        .map(|e| e.name)
        .collect()
}

/// A selective clear of some threads: the thread list is written again
/// without them (SQLite row, then mirror: the crash-safe path every save
/// takes), after the backup of the whole list as it was; then checked.
fn execute_rewrite(
    location: &DataLocation,
    secrets: &SecretStore,
    plan: &ClearPlan,
    backup: Option<&std::path::Path>,
    progress: &Progress,
) -> Result<ClearOutcome> {
    let doc = DocKind::Threads;
    location.refuse_links(&doc.mirror_path(location))?;
    generation::refuse_if_a_is_not_current(location)?;
    let current = crate::settings::read_document_readonly(location, doc)?
        .ok_or_else(|| StoreError::StalePlan("the thread list is gone".into()))?;
    let (text, done) = rewrite_threads(&current.text, plan.scope)?;
    if Some(done) != plan.rewrite {
        return Err(StoreError::StalePlan(
            "the thread list changed since the plan was made".into(),
        ));
    }
    let before = secrets_before(secrets);
    if let Some(b) = backup {
        // The whole list as it was: its row and its mirror, restorable.
        let mut whole = plan_a(location, secrets)?;
        whole.removals.retain(|r| {
            r.storage_key.as_deref() == Some(doc.storage_key())
                || r.path == doc.mirror_path(location)
        });
        write_backup_with(location, &whole, b, progress)?;
    }
    if !progress.writing() {
        return Err(StoreError::Cancelled);
    }
    let store = SettingsStore::open(location, OpenOptions::default())?;
    store.write_document(doc, &text)?;
    let mut warnings = plan.warnings.clone();
    let now = crate::settings::read_summary_readonly(location, doc)?;
    let verified =
        matches!(now, Some((_, crate::document::Summary::Threads(ref t))) if t.count == done.kept);
    if !verified {
        return Err(StoreError::invalid(
            "threads",
            "the thread list written again does not read back as planned",
        ));
    }
    let after_entries = secrets.entries(false);
    let (missing, unchecked) = verify_secrets(&before, &after_entries);
    let status = if missing.is_empty() {
        "Success"
    } else {
        "Secrets missing"
    };
    if let Err(e) = store.append_audit(&AuditEntry::diagnostics(
        "Cleared",
        &plan.scope.audit_words(),
        status,
    )) {
        warnings.push(Notice::new(
            NoticeCode::AuditNotUpdated,
            format!("the audit trail was not updated: {e}"),
        ));
    }
    drop(store);
    let db = ConfigDb::open_ro(&location.database()).ok().flatten();
    Ok(ClearOutcome {
        generation: GenerationId::A,
        scope: plan.scope,
        removed: Vec::new(),
        rewritten: Some(done),
        remaining: Vec::new(),
        failure: None,
        kept: kept(
            location,
            &after_entries,
            db.as_ref(),
            plan.kept.other_preferences,
        ),
        backup: backup.map(|b| b.to_path_buf()),
        secrets_verified: missing.is_empty() && unchecked.is_empty(),
        secrets_unchecked: unchecked,
        secrets_missing_after: missing,
        warnings,
    })
}

/// Generations B–D: removes exactly the planned files (after the backup),
/// then checks that every secret in `secrets/` is still there. Writes
/// nothing else: XWorkmate's own clear of these layouts writes no audit
/// entry either.
fn execute_files(
    location: &DataLocation,
    plan: &ClearPlan,
    backup: Option<&std::path::Path>,
    progress: &Progress,
) -> Result<ClearOutcome> {
    let dir = plan.generation_dir.as_path();
    // The plan must still be this generation's: a file it names that is now
    // a newer generation's own (rewritten meanwhile) stops the clear.
    let located = generation::locate(location);
    let present = generation::present_in(&located, dir);
    for r in &plan.removals {
        let rel = r
            .path
            .strip_prefix(dir)
            .unwrap_or(&r.path)
            .to_string_lossy()
            .into_owned();
        if let Some(owner) = generation::owner_of(dir, &rel, &present) {
            if owner != plan.generation && r.path.exists() {
                return Err(StoreError::StalePlan(format!(
                    "{rel} now belongs to generation {owner}"
                )));
            }
        }
    }
    let (before, before_unreadable) = generation_secrets(dir);
    if let Some(b) = backup {
        write_backup_with(location, plan, b, progress)?;
    }
    if !progress.writing() {
        return Err(StoreError::Cancelled);
    }
    // Clearing the current generation removes what tells it apart from an
    // older one left beside it: record it first, so that an interrupted or
    // second clear never takes the older one for the current.
    if present.last() == Some(&plan.generation) {
        generation::record_current(dir, plan.generation)?;
    }
    let mut removed = Vec::new();
    let mut failure = None;
    for r in &plan.removals {
        match fsutil::remove_durable(&r.path) {
            Ok(true) => removed.push(r.clone()),
            Ok(false) => {}
            Err(e) => {
                failure = Some(ClearFailure::of(&e));
                break;
            }
        }
    }
    let (after, after_unreadable) = generation_secrets(dir);
    let mut missing = Vec::new();
    let mut unchecked = Vec::new();
    for name in before.iter().chain(&before_unreadable) {
        if after.contains(name) {
            continue;
        }
        if after_unreadable.contains(name) {
            unchecked.push(name.clone());
        } else {
            missing.push(name.clone());
        }
    }
    Ok(ClearOutcome {
        scope: plan.scope,
        rewritten: None,
        generation: plan.generation,
        remaining: if failure.is_some() {
            remaining_of(plan, &removed)
        } else {
            Vec::new()
        },
        failure,
        removed,
        kept: kept_files(
            location,
            plan.generation,
            dir,
            &after,
            plan.kept.for_other_generations.clone(),
        ),
        backup: backup.map(|b| b.to_path_buf()),
        secrets_verified: missing.is_empty() && unchecked.is_empty(),
        secrets_unchecked: unchecked,
        secrets_missing_after: missing,
        warnings: plan.warnings.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::{Backend, SecretEntry};

    fn entry(name: &str, present: bool, problem: Option<&str>) -> SecretEntry {
        SecretEntry {
            name: name.into(),
            storage_key: name.into(),
            present,
            backend: if present {
                Backend::File
            } else {
                Backend::None
            },
            problem: problem.map(str::to_string),
            hidden: false,
            masked: None,
        }
    }

    #[test]
    fn verification_is_three_valued() {
        let before: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let after = [
            entry("a", true, None),
            entry("b", false, None),
            entry("c", false, Some("cannot read")),
        ];
        let (missing, unchecked) = verify_secrets(&before, &after);
        // d is not even listed afterwards: missing too.
        assert_eq!(missing, vec!["b".to_string(), "d".to_string()]);
        assert_eq!(unchecked, vec!["c".to_string()]);
        let (missing, unchecked) = verify_secrets(&before[..1], &after);
        assert!(missing.is_empty() && unchecked.is_empty());
    }
}
