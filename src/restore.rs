//! Restore what a clear removed, from the backup it wrote. Generation A's
//! documents (settings, threads) are written the way the store writes them —
//! SQLite, then the mirror — with the exact text that was stored (key order
//! and unknown fields kept); the files of generations B–D come back byte for
//! byte where that generation keeps them. Secrets are never in a backup and
//! never touched. A document or file that is readable now is replaced only
//! when asked for, after it has itself been backed up (in the same format, so
//! that backup can be restored too).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::clear::RemovalKind;
use crate::document::{self, DocKind, Stored};
use crate::error::{Result, StoreError};
use crate::fsutil;
use crate::generation::{self, GenerationId};
use crate::paths::DataLocation;
use crate::progress::Progress;
use crate::settings::{read_document_readonly, OpenOptions, SettingsStore};

/// A clear backup, as written by [`crate::clear::write_backup`], once read
/// and checked (`read_backup`; schema version 1).
#[derive(Debug, Clone)]
struct BackupFile {
    app_version: Option<String>,
    backup_created_at_ms: Option<i64>,
    data_dir: PathBuf,
    /// Absent in backups made before generations were known: A.
    generation: Option<GenerationId>,
    generation_dir: Option<PathBuf>,
    removed: Vec<BackedUp>,
    settings: Option<Box<serde_json::value::RawValue>>,
    assistant_threads: Option<Box<serde_json::value::RawValue>>,
}

/// One removed item of a backup, with its text (its own, or — `textOf` — the
/// exact text of the top-level document it names).
#[derive(Debug, Clone)]
struct BackedUp {
    kind: RemovalKind,
    path: PathBuf,
    storage_key: Option<String>,
    text: String,
}

/// What one restored item is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreKind {
    /// A generation-A document: SQLite row and mirror.
    Document,
    /// A file of generations B–D.
    File,
}

/// One item a restore writes.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreItem {
    pub kind: RestoreKind,
    /// Where it goes (A: the mirror file; the row goes to the database).
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub storage_key: Option<String>,
    pub bytes: u64,
    /// Something readable is there now: replaced only when asked for.
    pub replaces: bool,
    #[serde(skip)]
    text: String,
}

/// Why a restore leaves an item of the backup alone.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The folder holds it already, byte for byte.
    SameAsBackup,
    /// The old backup file or a SharedPreferences key: its documents come
    /// back from their own copies.
    LegacySource,
    /// Outside the folder the backup was made from (B2's user-settings copy).
    OutsideFolder,
    /// Not a file that generation's clear removes.
    NotClearedFile,
}

impl SkipReason {
    /// The sentence reports carry (`why`).
    pub fn sentence(self) -> &'static str {
        match self {
            SkipReason::SameAsBackup => "already as in the backup",
            SkipReason::LegacySource => "a legacy source (the old backup file, or a SharedPreferences key): the documents it held are restored from their own copies",
            SkipReason::OutsideFolder => "outside the folder the backup was made from (a user-settings copy): not restored",
            SkipReason::NotClearedFile => "not a file that generation's clear removes: not restored",
        }
    }
}

/// An item of the backup that a restore does not write, and why.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreSkip {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub reason: SkipReason,
    /// `reason` in an English sentence.
    pub why: String,
}

impl RestoreSkip {
    fn new(path: PathBuf, reason: SkipReason) -> Self {
        RestoreSkip {
            path,
            reason,
            why: reason.sentence().into(),
        }
    }
}

/// What a restore would do. Read-only to make.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestorePlan {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub backup: PathBuf,
    /// When the backup was made, and by which tool.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub created_at_ms: Option<i64>,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub made_by: Option<String>,
    /// The folder it was made from.
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub from_data_dir: PathBuf,
    /// The folder it restores into.
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub data_dir: PathBuf,
    /// The folder of that generation in it (B–D; A: the data dir).
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub generation_dir: PathBuf,
    pub generation: GenerationId,
    pub items: Vec<RestoreItem>,
    /// Threads in the backup (generation A's thread list, C's threads.json,
    /// or the task/thread files of B and D).
    pub thread_count: usize,
    pub settings_included: bool,
    pub skipped: Vec<RestoreSkip>,
}

impl RestoreItem {
    /// The generation-A document a `Document` item is.
    fn document(&self) -> DocKind {
        if self.storage_key.as_deref() == Some(DocKind::Settings.storage_key()) {
            DocKind::Settings
        } else {
            DocKind::Threads
        }
    }
}

impl RestorePlan {
    /// Items that would replace something readable now.
    pub fn conflicts(&self) -> Vec<&RestoreItem> {
        self.items.iter().filter(|i| i.replaces).collect()
    }
}

/// What a restore did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcome {
    pub restored: Vec<RestoreItem>,
    /// Where what it replaced was backed up first (when it replaced anything).
    #[serde(serialize_with = "crate::fsutil::lossy::opt_path")]
    pub safety_backup: Option<PathBuf>,
}

/// Larger than any backup this tool writes of a real store.
const MAX_BACKUP_BYTES: u64 = 4 << 30;

fn not_a_backup(path: &Path, why: impl Into<String>) -> StoreError {
    StoreError::NotABackup {
        path: path.to_path_buf(),
        why: why.into(),
    }
}

/// A backup as parsed: every field optional, so that what is missing or
/// wrong is said in words (in the order the checks below give), from one
/// parse of the file.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parsed {
    #[serde(default)]
    schema_version: Option<u32>,
    #[serde(default)]
    app_version: Option<String>,
    #[serde(default)]
    backup_created_at_ms: Option<i64>,
    #[serde(default)]
    data_dir: Option<PathBuf>,
    #[serde(default)]
    generation: Option<GenerationId>,
    #[serde(default)]
    generation_dir: Option<PathBuf>,
    #[serde(default)]
    removed: Option<Vec<ParsedItem>>,
    #[serde(default)]
    settings: Option<Box<serde_json::value::RawValue>>,
    #[serde(default)]
    assistant_threads: Option<Box<serde_json::value::RawValue>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ParsedItem {
    #[serde(default)]
    kind: Option<RemovalKind>,
    #[serde(default)]
    path: Option<PathBuf>,
    #[serde(default)]
    storage_key: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    text_of: Option<String>,
}

/// Reads and checks a backup: one parse (the raw documents kept as their
/// exact text: a `Value` would re-format them), the file's bytes dropped
/// after it. Its progress counts the file's bytes twice: read, then parsed;
/// a cancel is honoured while it reads and after the parse.
fn read_backup(path: &Path, progress: &Progress) -> Result<BackupFile> {
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| StoreError::io("cannot read", path, e))?;
    if !meta.is_file() {
        return Err(not_a_backup(path, "not a regular file"));
    }
    if meta.len() > MAX_BACKUP_BYTES {
        return Err(not_a_backup(path, "larger than any backup"));
    }
    progress.add_total(meta.len() * 2);
    let text = read_counted(path, meta.len(), progress)?;
    let parsed = serde_json::from_slice::<Parsed>(&text);
    let opens_an_object = text.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    drop(text);
    progress.advance(meta.len());
    progress.go_on()?;
    let fields =
        |e: &dyn std::fmt::Display| not_a_backup(path, format!("its fields do not fit ({e})"));
    let p = match parsed {
        Ok(p) => p,
        Err(e)
            if matches!(
                e.classify(),
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof
            ) =>
        {
            return Err(not_a_backup(
                path,
                format!("not JSON ({})", document::json_error(&e)),
            ))
        }
        Err(_) if !opens_an_object => return Err(not_a_backup(path, "not a JSON object")),
        Err(e) => return Err(fields(&document::json_error(&e))),
    };
    let (Some(items), Some(data_dir)) = (p.removed, p.data_dir) else {
        return Err(not_a_backup(
            path,
            "no `removed` list or `dataDir`: not written by clear (a support report, or another program's file?)",
        ));
    };
    if items
        .iter()
        .any(|i| i.text.is_none() && i.text_of.is_none())
    {
        return Err(not_a_backup(path, "an item of `removed` has no text"));
    }
    let schema_version = p
        .schema_version
        .ok_or_else(|| fields(&"missing field `schemaVersion`"))?;
    let mut removed = Vec::with_capacity(items.len());
    for item in items {
        let (Some(kind), Some(item_path)) = (item.kind, item.path) else {
            return Err(fields(&"an item of `removed` has no `kind` or `path`"));
        };
        let text = match item.text_of.as_deref() {
            // Its text is a top-level document's exact text.
            Some(name) => match name {
                "settings" => p.settings.as_ref(),
                "assistantThreads" => p.assistant_threads.as_ref(),
                _ => None,
            }
            .ok_or_else(|| {
                not_a_backup(
                    path,
                    format!("an item's text is that of `{name}`, which it does not hold"),
                )
            })?
            .get()
            .to_string(),
            None => item.text.unwrap_or_default(),
        };
        removed.push(BackedUp {
            kind,
            path: item_path,
            storage_key: item.storage_key,
            text,
        });
    }
    if schema_version != 1 {
        return Err(not_a_backup(
            path,
            format!("schema version {schema_version}, not 1"),
        ));
    }
    Ok(BackupFile {
        app_version: p.app_version,
        backup_created_at_ms: p.backup_created_at_ms,
        data_dir,
        generation: p.generation,
        generation_dir: p.generation_dir,
        removed,
        settings: p.settings,
        assistant_threads: p.assistant_threads,
    })
}

/// A whole file, read with its bytes counted; `Cancelled` once a cancel is
/// honoured.
fn read_counted(path: &Path, len: u64, progress: &Progress) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| StoreError::io("cannot read", path, e))?;
    let mut text = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    match crate::progress::Counted::new(file, progress).read_to_end(&mut text) {
        Ok(_) => Ok(text),
        Err(_) if progress.is_cancelled() => Err(StoreError::Cancelled),
        Err(e) => Err(StoreError::io("cannot read", path, e)),
    }
}

/// The plain text of a document among the backup's items: the SQLite row
/// first (exactly as stored), then the mirror, then the top-level copy.
fn document_text(b: &BackupFile, doc: DocKind) -> Option<String> {
    let plain = |t: &str| matches!(document::classify(doc, t), Stored::Plain(_));
    let row = b.removed.iter().find(|r| {
        r.kind == RemovalKind::SqliteRow && r.storage_key.as_deref() == Some(doc.storage_key())
    });
    let mirror = b.removed.iter().find(|r| {
        r.kind == RemovalKind::File
            && r.path
                .file_name()
                .is_some_and(|n| n == doc.mirror_file_name())
    });
    let top = match doc {
        DocKind::Settings => b.settings.as_ref(),
        DocKind::Threads => b.assistant_threads.as_ref(),
    }
    .map(|r| r.get());
    // Checked in place; only the one found is copied.
    row.map(|r| r.text.as_str())
        .into_iter()
        .chain(mirror.map(|r| r.text.as_str()))
        .chain(top)
        .find(|t| plain(t))
        .map(str::to_string)
}

/// The threads in a thread list's text: its items (an object: one), counted
/// without a `Value` of it (a list can be hundreds of MiB).
fn thread_count_of(text: &str) -> usize {
    use serde::de::IgnoredAny;
    let t = text.trim_start();
    if t.starts_with('[') {
        serde_json::from_str::<Vec<IgnoredAny>>(t).map_or(0, |items| items.len())
    } else if t.starts_with('{') {
        usize::from(serde_json::from_str::<IgnoredAny>(t).is_ok())
    } else {
        0
    }
}

/// Makes the plan. Read-only: nothing is written.
pub fn plan(location: &DataLocation, backup: &Path) -> Result<RestorePlan> {
    plan_with_progress(location, backup, &Progress::new())
}

/// [`plan`], counting what it reads into `progress` (the backup, then what
/// the folder holds now); a cancel stops it (`Cancelled`).
pub fn plan_with_progress(
    location: &DataLocation,
    backup: &Path,
    progress: &Progress,
) -> Result<RestorePlan> {
    // What it compares with in the folder (generation A's documents, about
    // their mirrors' sizes): in the total first, so the bar never goes back.
    let folder: Vec<(DocKind, u64)> = DocKind::ALL
        .into_iter()
        .map(|d| {
            let size = fsutil::FileMeta::of(&d.mirror_path(location)).size;
            (d, size.unwrap_or(0))
        })
        .collect();
    let folder_total: u64 = folder.iter().map(|f| f.1).sum();
    progress.add_total(folder_total);
    let b = read_backup(backup, progress)?;
    let generation = b.generation.unwrap_or(GenerationId::A);
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    let mut thread_count = 0;
    let mut settings_included = false;
    let mut generation_dir = location.data_dir().to_path_buf();
    let mut folder_read = 0;
    if generation == GenerationId::A {
        for doc in DocKind::ALL {
            let Some(text) = document_text(&b, doc) else {
                continue;
            };
            let current = read_document_readonly(location, doc).ok().flatten();
            let read = folder.iter().find(|f| f.0 == doc).map_or(0, |f| f.1);
            progress.advance(read);
            folder_read += read;
            progress.go_on()?;
            match doc {
                DocKind::Threads => thread_count = thread_count_of(&text),
                DocKind::Settings => settings_included = true,
            }
            if current.as_ref().is_some_and(|c| c.text == text.trim()) {
                skipped.push(RestoreSkip::new(
                    doc.mirror_path(location),
                    SkipReason::SameAsBackup,
                ));
                continue;
            }
            items.push(RestoreItem {
                kind: RestoreKind::Document,
                path: doc.mirror_path(location),
                storage_key: Some(doc.storage_key().to_string()),
                bytes: text.len() as u64,
                replaces: current.is_some_and(|c| c.text != text.trim()),
                text,
            });
        }
        for r in &b.removed {
            let is_doc = match r.kind {
                RemovalKind::SqliteRow => true,
                RemovalKind::File => DocKind::ALL.iter().any(|d| {
                    r.path
                        .file_name()
                        .is_some_and(|n| n == d.mirror_file_name())
                }),
                RemovalKind::Preference => false,
            };
            if !is_doc {
                skipped.push(RestoreSkip::new(r.path.clone(), SkipReason::LegacySource));
            }
        }
    } else {
        // Files come back where that generation keeps them in this folder.
        let located = generation::locate(location);
        let target_dir = located
            .iter()
            .find(|l| l.id == generation)
            .map_or_else(|| location.data_dir().to_path_buf(), |l| l.dir.clone());
        generation_dir = target_dir.clone();
        let from_dir = b
            .generation_dir
            .clone()
            .unwrap_or_else(|| b.data_dir.clone());
        for r in &b.removed {
            let Ok(rel) = r.path.strip_prefix(&from_dir) else {
                skipped.push(RestoreSkip::new(r.path.clone(), SkipReason::OutsideFolder));
                continue;
            };
            // Only what that generation's clear removes may come back.
            let rel_text = rel.to_string_lossy();
            let allowed = rel_text == generation::common::SETTINGS_YAML
                || rel_text == generation::common::UI_STATE
                || rel_text == generation::common::TASK_INDEX
                || rel_text == generation::common::THREADS_JSON
                || (rel_text.starts_with("tasks/")
                    && rel_text.ends_with(".json")
                    && !rel_text[6..].contains('/'));
            if !allowed
                || rel
                    .components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
            {
                skipped.push(RestoreSkip::new(r.path.clone(), SkipReason::NotClearedFile));
                continue;
            }
            let path = target_dir.join(rel);
            if rel_text == generation::common::THREADS_JSON {
                thread_count += thread_count_of(&r.text);
            } else if rel_text.starts_with("tasks/") && rel_text != generation::common::TASK_INDEX {
                thread_count += 1;
            } else if rel_text == generation::common::SETTINGS_YAML {
                settings_included = true;
            }
            let size = fsutil::FileMeta::of(&path).size.unwrap_or(0);
            progress.add_total(size);
            let now = std::fs::read(&path).ok();
            progress.advance(size);
            progress.go_on()?;
            if now.as_deref() == Some(r.text.as_bytes()) {
                skipped.push(RestoreSkip::new(path, SkipReason::SameAsBackup));
                continue;
            }
            let replaces = now.is_some();
            items.push(RestoreItem {
                kind: RestoreKind::File,
                bytes: r.text.len() as u64,
                path,
                storage_key: None,
                replaces,
                text: r.text.clone(),
            });
        }
    }
    // What it did not need to read of the folder counts as done.
    progress.advance(folder_total.saturating_sub(folder_read));
    progress.go_on()?;
    Ok(RestorePlan {
        backup: backup.to_path_buf(),
        created_at_ms: b.backup_created_at_ms,
        made_by: b.app_version,
        from_data_dir: b.data_dir,
        data_dir: location.data_dir().to_path_buf(),
        generation_dir,
        generation,
        items,
        thread_count,
        settings_included,
        skipped,
    })
}

/// Writes the plan. Refuses (nothing written) while XWorkmate runs, when the
/// plan would replace readable data and `replace` is false, and when a
/// generation-A restore targets a folder a newer XWorkmate now uses. With
/// `replace`, what is replaced is backed up first, to `safety` or else into
/// `.xworkmate-diagnostics/restore-backup-<time>.json`.
pub fn execute(
    location: &DataLocation,
    plan: &RestorePlan,
    replace: bool,
    safety: Option<&Path>,
) -> Result<RestoreOutcome> {
    execute_with_progress(location, plan, replace, safety, &Progress::new())
}

/// [`execute`], counting what it writes into `progress`: the safety backup,
/// then each item. A cancel is honoured until its first write to the store
/// (then nothing was changed and no safety backup is left); from then on it
/// is refused and the restore runs to its end.
pub fn execute_with_progress(
    location: &DataLocation,
    plan: &RestorePlan,
    replace: bool,
    safety: Option<&Path>,
    progress: &Progress,
) -> Result<RestoreOutcome> {
    if plan.data_dir != location.data_dir() {
        return Err(StoreError::StalePlan(
            "it was made for another data folder".into(),
        ));
    }
    crate::guard::refuse_if_running(location)?;
    if plan.generation == GenerationId::A {
        generation::refuse_if_a_is_not_current(location)?;
    }
    // The plan may be old: look again at what is there now.
    let fresh = plan_items_now(location, plan);
    let conflicts: Vec<&RestoreItem> = fresh.iter().filter(|i| i.replaces).collect();
    if !conflicts.is_empty() && !replace {
        return Err(StoreError::RestoreConflict(
            conflicts
                .iter()
                .map(|c| c.path.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    for item in &fresh {
        location.refuse_links(&item.path)?;
    }
    progress.add_total(fresh.iter().map(|i| i.bytes).sum());
    // Nothing in the folder is touched for a restore already cancelled.
    progress.go_on()?;
    let (safety_backup, made_dir) = if conflicts.is_empty() {
        (None, false)
    } else {
        let (path, made_dir) = write_safety_backup(location, plan, &conflicts, safety, progress)?;
        (Some(path), made_dir)
    };
    // From here on it writes to the store: no cancel (one that came just now
    // stops it, and the safety backup it no longer needs goes).
    if !progress.writing() {
        if let Some(b) = &safety_backup {
            let _ = fsutil::remove_durable(b);
            // The folder it made for it goes too.
            if made_dir {
                let _ = std::fs::remove_dir(location.diagnostics_dir());
            }
        }
        return Err(StoreError::Cancelled);
    }
    let mut restored = Vec::new();
    match plan.generation {
        GenerationId::A => {
            let store = SettingsStore::open(location, OpenOptions::default())?;
            for item in &fresh {
                let doc = item.document();
                store.write_document(doc, &item.text)?;
                progress.advance(item.bytes);
                restored.push(item.clone());
            }
        }
        _ => {
            for item in &fresh {
                if let Some(parent) = item.path.parent() {
                    fsutil::ensure_dir(parent, false)?;
                }
                fsutil::write_atomic(&item.path, item.text.as_bytes(), Some(0o600))?;
                progress.advance(item.bytes);
                restored.push(item.clone());
            }
        }
    }
    Ok(RestoreOutcome {
        restored,
        safety_backup,
    })
}

/// The plan's items with `replaces` as the disk is now.
fn plan_items_now(location: &DataLocation, plan: &RestorePlan) -> Vec<RestoreItem> {
    plan.items
        .iter()
        .map(|i| {
            let replaces = match i.kind {
                RestoreKind::Document => {
                    let doc = i.document();
                    read_document_readonly(location, doc)
                        .ok()
                        .flatten()
                        .is_some_and(|c| c.text != i.text.trim())
                }
                RestoreKind::File => {
                    std::fs::read(&i.path).is_ok_and(|now| now != i.text.as_bytes())
                }
            };
            RestoreItem {
                replaces,
                ..i.clone()
            }
        })
        .collect()
}

/// Backs up what a restore replaces, in the clear-backup format (so it can be
/// restored in turn). Never over an existing file. Returns where, and
/// whether it made `.xworkmate-diagnostics/` for it.
fn write_safety_backup(
    location: &DataLocation,
    plan: &RestorePlan,
    conflicts: &[&RestoreItem],
    to: Option<&Path>,
    progress: &Progress,
) -> Result<(PathBuf, bool)> {
    let now = fsutil::now_ms();
    let mut made_dir = false;
    let path = match to {
        Some(p) => {
            crate::clear::check_backup_path(location, p)?;
            p.to_path_buf()
        }
        None => {
            location.refuse_links(&location.diagnostics_dir().join("x"))?;
            // A cancel takes back the folder it made for it.
            made_dir = !location.diagnostics_dir().exists();
            fsutil::ensure_dir(&location.diagnostics_dir(), true)?;
            location
                .diagnostics_dir()
                .join(format!("restore-backup-{now}.json"))
        }
    };
    let mut removed = Vec::new();
    for c in conflicts {
        match c.kind {
            RestoreKind::Document => {
                let doc = c.document();
                if let Some(current) = read_document_readonly(location, doc)? {
                    removed.push(serde_json::json!({
                        "kind": "sqlite_row",
                        "path": location.database().to_string_lossy(),
                        "storageKey": doc.storage_key(),
                        "text": current.text,
                    }));
                }
            }
            RestoreKind::File => {
                if let Some(text) = fsutil::read_optional(&c.path)? {
                    removed.push(serde_json::json!({
                        "kind": "file",
                        "path": c.path.to_string_lossy(),
                        "storageKey": null,
                        "text": text,
                    }));
                }
            }
        }
    }
    let generation_dir = &plan.generation_dir;
    let doc = serde_json::json!({
        "schemaVersion": 1,
        "appVersion": format!("xworkmate-diagnostics {} (before a restore)", env!("CARGO_PKG_VERSION")),
        "backupCreatedAtMs": now,
        "dataDir": location.data_dir().to_string_lossy(),
        "generation": plan.generation,
        "generationDir": generation_dir.to_string_lossy(),
        "removed": removed,
    });
    let bytes = serde_json::to_vec_pretty(&doc)
        .map_err(|e| StoreError::invalid("backup", e.to_string()))?;
    progress.add_total(bytes.len() as u64);
    // Cancelled while it writes: its temporary file goes, nothing is left.
    let written = fsutil::write_new_with(&path, Some(0o600), |f| {
        crate::progress::write_all_counted(f, &bytes, progress)
    })
    .map_err(crate::progress::cancelled_or);
    match written {
        Err(StoreError::Cancelled) => {
            if made_dir {
                let _ = std::fs::remove_dir(location.diagnostics_dir());
            }
            Err(StoreError::Cancelled)
        }
        Err(e) => Err(e),
        Ok(()) => Ok((path, made_dir)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_backup` says of a file, or `ok`.
    fn says(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.json");
        std::fs::write(&path, text).unwrap();
        match read_backup(&path, &Progress::new()) {
            Ok(_) => "ok".into(),
            Err(StoreError::NotABackup { why, .. }) => why,
            Err(e) => format!("other: {e}"),
        }
    }

    #[test]
    fn each_wrong_file_is_named_in_words_from_one_parse() {
        let item = r#"{"kind":"file","path":"/d/a.json","storageKey":null,"text":"x"}"#;
        let ok = format!(r#"{{"schemaVersion":1,"dataDir":"/d","removed":[{item}]}}"#);
        assert_eq!(says(&ok), "ok");
        assert!(
            says("{broken").starts_with("not JSON ("),
            "{}",
            says("{broken")
        );
        assert_eq!(says("[1, 2]"), "not a JSON object");
        assert_eq!(says(r#""text""#), "not a JSON object");
        assert!(says(r#"{"reportVersion":1,"dataDir":"/d"}"#).starts_with("no `removed` list"));
        assert_eq!(
            says(r#"{"schemaVersion":1,"dataDir":"/d","removed":[{"kind":"file","path":"/d/a"}]}"#),
            "an item of `removed` has no text"
        );
        assert_eq!(
            says(&ok.replace(r#""schemaVersion":1"#, r#""schemaVersion":2"#)),
            "schema version 2, not 1"
        );
        assert!(says(&ok.replace(r#""schemaVersion":1,"#, "")).starts_with("its fields do not fit"));
        assert!(says(&ok.replace(r#""kind":"file""#, r#""kind":"nope""#))
            .starts_with("its fields do not fit"));
        assert_eq!(
            says(&ok.replace(r#""text":"x""#, r#""textOf":"settings""#)),
            "an item's text is that of `settings`, which it does not hold"
        );
        // An item's text may be a top-level document's exact text.
        let of = r#"{"schemaVersion":1,"dataDir":"/d","settings":{"b":1,  "a":2},"removed":[{"kind":"sqlite_row","path":"/d/config-store.sqlite3","storageKey":"xworkmate.settings.snapshot","textOf":"settings"}]}"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, of).unwrap();
        let b = read_backup(&path, &Progress::new()).unwrap();
        assert_eq!(b.removed[0].text, r#"{"b":1,  "a":2}"#, "exactly as stored");
    }
}
