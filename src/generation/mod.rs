//! XWorkmate's storage generations (`generations.md`): what each version keeps
//! in the data dir. Generation A (≤ 0.6.1) is the one this crate writes and
//! recovers; B1 (0.7), B2 (1.1.1), C (1.0.0-beta.2 … 1.1.7) and D (1.1.9 and
//! later) are recognised, inspected the way their own XWorkmate version reads
//! them, and cleared the way that version's own clear does.
//!
//! Every generation is one [`Generation`] in [`REGISTRY`], and every one is
//! described by the same report shape, [`GenerationReport`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::codes::FindingCode;
use crate::error::Result;
use crate::fsutil;
use crate::inspect::Inspection;
use crate::paths::DataLocation;

pub mod a;
mod b;
mod cd;
pub mod common;

pub use common::{decode_stable_file_key, encode_stable_file_key};

/// A generation's name.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
pub enum GenerationId {
    A,
    B1,
    B2,
    C,
    D,
}

impl GenerationId {
    /// Oldest first.
    pub const ALL: [GenerationId; 5] = [
        GenerationId::A,
        GenerationId::B1,
        GenerationId::B2,
        GenerationId::C,
        GenerationId::D,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GenerationId::A => "A",
            GenerationId::B1 => "B1",
            GenerationId::B2 => "B2",
            GenerationId::C => "C",
            GenerationId::D => "D",
        }
    }

    /// The XWorkmate versions that write this layout.
    pub fn versions(self) -> &'static str {
        match self {
            GenerationId::A => "0.5 – 0.6.1",
            GenerationId::B1 => "0.7",
            GenerationId::B2 => "1.1.1",
            GenerationId::C => "1.0.0-beta.2 – 1.1.7",
            GenerationId::D => "1.1.9 and later",
        }
    }

    /// Parses `A`, `b1`, … (case-insensitive).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for GenerationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A finding about one generation: what that XWorkmate version will do with
/// what is on disk.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub code: FindingCode,
    /// The file or folder it concerns, relative to the data dir.
    pub path: String,
    /// An English sentence for support; the front ends word the code.
    pub message: String,
}

/// The settings file as that version reads it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationSettings {
    pub present: bool,
    /// That version reads it (false: it starts with defaults and overwrites it).
    pub readable: bool,
    /// Relative to the data dir (A: the database row and its mirror).
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub bytes: Option<u64>,
}

/// The threads as that version shows them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationThreads {
    /// The threads that version will show: 0 when it will delete or ignore them.
    pub count: usize,
    /// Thread records on disk (readable by this tool), shown or not.
    pub stored: usize,
    /// Where it keeps them, relative to the data dir.
    pub files: Vec<String>,
}

/// A secret of this generation: presence only, never a value.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationSecret {
    /// The storage key, decoded from the file name (`secrets/<b64>.secret`),
    /// or A's storage key.
    pub storage_key: String,
    /// Relative to the data dir (empty for A's secure storage).
    pub file: String,
    /// The value is set (a file that is empty reads as "not set").
    pub present: bool,
    /// The masked value (spec §5), when present and shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub masked: Option<String>,
}

/// A generation's audit trail.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationAudit {
    /// Entries, when the file is there and readable.
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub entries: Option<usize>,
    pub path: String,
}

/// One file of a generation.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationFile {
    /// Relative to the data dir.
    pub path: String,
    pub bytes: u64,
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub modified_ms: Option<i64>,
}

/// One generation found in a data dir: the same shape for every generation.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationReport {
    pub id: GenerationId,
    /// The newest generation present: what the installed XWorkmate reads.
    pub current: bool,
    /// The XWorkmate versions that write this layout.
    pub versions: String,
    /// The folder it is in.
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    /// The files that show this generation is here (relative).
    pub detected_by: Vec<String>,
    pub files: Vec<GenerationFile>,
    pub settings: GenerationSettings,
    pub threads: GenerationThreads,
    pub secrets: Vec<GenerationSecret>,
    pub audit: GenerationAudit,
    pub findings: Vec<Finding>,
}

/// What a generation's inspection may look at.
pub struct Scan<'a> {
    pub location: &'a DataLocation,
    /// The generation-A overview, already made (inspect's top-level fields).
    pub a: &'a Inspection,
    /// The folder this generation is in.
    pub dir: &'a Path,
    /// The generations present in that same folder, oldest first (they share
    /// files: the settings file, `secrets/`, the task index).
    pub present: &'a [GenerationId],
    /// The newest generation of the whole install.
    pub current: GenerationId,
}

impl Scan<'_> {
    pub fn dir(&self) -> &Path {
        self.dir
    }

    /// Is `id` the newest generation of the install?
    pub fn is_current(&self, id: GenerationId) -> bool {
        self.current == id
    }
}

/// A generation found, and the folder it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub id: GenerationId,
    pub dir: PathBuf,
    /// The files that show it (relative to `dir`).
    pub by: Vec<String>,
}

/// Every generation of this install, oldest first, each in its folder: the
/// data dir, then (for the default location) the other folders later
/// versions use (macOS: `~/Library/Application Support/xworkmate`). A
/// generation found in the data dir is not looked for elsewhere.
pub fn locate(location: &DataLocation) -> Vec<Located> {
    let mut out: Vec<Located> = Vec::new();
    for dir in location.generation_dirs() {
        for (id, by) in detect(&dir) {
            if !out.iter().any(|l| l.id == id) {
                out.push(Located {
                    id,
                    dir: dir.clone(),
                    by,
                });
            }
        }
    }
    out.sort_by_key(|l| l.id);
    out
}

/// The ids of `located` in `dir`, oldest first.
pub fn present_in(located: &[Located], dir: &Path) -> Vec<GenerationId> {
    located
        .iter()
        .filter(|l| l.dir == dir)
        .map(|l| l.id)
        .collect()
}

/// One file a generation's clear removes, or keeps because another
/// generation present reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearFile {
    pub rel: String,
    /// Set when the file stays: the generation that still reads it.
    pub kept_for: Option<GenerationId>,
}

/// One XWorkmate storage generation.
pub trait Generation: Sync {
    fn id(&self) -> GenerationId;
    /// The files (relative) that show this generation is in `dir`; empty when
    /// it is not.
    fn detect(&self, dir: &Path) -> Vec<String>;
    /// The generation as its XWorkmate version reads it. Never writes.
    fn inspect(&self, scan: &Scan<'_>) -> GenerationReport;
    /// The files that version's own clear removes, in removal order, with
    /// those another generation present still reads marked as kept (not for
    /// A, whose clear is [`crate::clear`]'s own).
    fn clear_files(
        &self,
        location: &DataLocation,
        dir: &Path,
        present: &[GenerationId],
    ) -> Vec<ClearFile>;
    /// Every thread record of this generation, as stored, for export.
    fn thread_records(&self, dir: &Path) -> Result<Vec<Value>>;
}

/// Every generation, oldest first. A new generation is one line here.
pub static REGISTRY: [&dyn Generation; 5] =
    [&a::GenA, &b::GenB::B1, &b::GenB::B2, &cd::GenC, &cd::GenD];

pub fn get(id: GenerationId) -> &'static dyn Generation {
    REGISTRY
        .iter()
        .copied()
        .find(|g| g.id() == id)
        .expect("every generation is registered")
}

/// This tool's record of the generation in use, written before it clears a
/// B–D generation (in its own folder, which XWorkmate ignores): once that
/// version's files are cleared, nothing else on disk tells it apart from the
/// older generation it left beside it (1.1.9's cleared folder looks like
/// 1.1.7's), and a second clear must not take the older one for the current.
pub const GENERATION_RECORD: &str = ".xworkmate-diagnostics/generation.json";

/// The generation the record names, if there is a readable record.
pub fn recorded(dir: &Path) -> Option<GenerationId> {
    let text = read_text(dir, GENERATION_RECORD).ok()??;
    let v: Value = serde_json::from_str(&text).ok()?;
    v.get("current")
        .and_then(Value::as_str)
        .and_then(GenerationId::parse)
        .filter(|g| *g != GenerationId::A)
}

/// Writes the record (crash-safe), unless it already names `id`.
pub(crate) fn record_current(dir: &Path, id: GenerationId) -> Result<()> {
    if recorded(dir) == Some(id) {
        return Ok(());
    }
    let folder = dir.join(crate::paths::DIAGNOSTICS_DIR);
    fsutil::refuse_links(dir, &dir.join(GENERATION_RECORD))?;
    fsutil::ensure_dir(&folder, true)?;
    let text = serde_json::json!({
        "current": id.as_str(),
        "versions": id.versions(),
        "recordedAtMs": fsutil::now_ms(),
        "why": "written by xworkmate-diagnostics before it cleared this generation's files",
    });
    fsutil::write_atomic(
        &dir.join(GENERATION_RECORD),
        format!("{text:#}\n").as_bytes(),
        Some(0o600),
    )
}

/// The generations present in `dir`, oldest first, with what shows each. A
/// generation this tool cleared (its record) stays present — and current —
/// until a newer one shows.
pub fn detect(dir: &Path) -> Vec<(GenerationId, Vec<String>)> {
    let mut found: Vec<(GenerationId, Vec<String>)> = REGISTRY
        .iter()
        .filter_map(|g| {
            let by = g.detect(dir);
            (!by.is_empty()).then_some((g.id(), by))
        })
        .collect();
    if let Some(g) = recorded(dir) {
        let newest = found.last().map(|(id, _)| *id);
        if newest.is_none_or(|n| n < g) {
            found.push((g, vec![GENERATION_RECORD.to_string()]));
        }
    }
    found
}

/// Inspects every generation present; the newest is `current`. Never writes.
pub fn inspect_all(location: &DataLocation, a: &Inspection) -> Vec<GenerationReport> {
    let _scope = common::ReadScope::open();
    let found = locate(location);
    let Some(current) = found.last().map(|l| l.id) else {
        return Vec::new();
    };
    let mut reports: Vec<GenerationReport> = found
        .iter()
        .map(|l| {
            let present = present_in(&found, &l.dir);
            let scan = Scan {
                location,
                a,
                dir: &l.dir,
                present: &present,
                current,
            };
            let mut r = get(l.id).inspect(&scan);
            r.detected_by = l.by.clone();
            r.current = scan.is_current(l.id);
            r
        })
        .collect();
    left_behind(&mut reports);
    let current_dir = found.last().map(|l| l.dir.clone()).unwrap_or_default();
    common::leftovers(&current_dir, &mut reports);
    // The current one first, then the older ones, newest first.
    reports.reverse();
    reports
}

/// Threads an older generation left that the current one does not show.
fn left_behind(reports: &mut [GenerationReport]) {
    let Some(current) = reports.last().map(|r| r.id) else {
        return;
    };
    for r in reports.iter_mut().filter(|r| r.id != current) {
        if r.threads.stored > 0 {
            r.findings.push(Finding {
                code: FindingCode::ThreadsLeftBehind,
                path: r.threads.files.first().cloned().unwrap_or_default(),
                message: format!(
                    "{} threads of XWorkmate {} are here; XWorkmate {} does not show them (it never migrated them)",
                    r.threads.stored,
                    r.id.versions(),
                    current.versions()
                ),
            });
        }
    }
}

/// The generation that owns a file several generations name: the one whose
/// XWorkmate wrote it last, i.e. the newest present that reads it (for the
/// task index and task files, by their content).
pub(crate) fn owner_of(dir: &Path, rel: &str, present: &[GenerationId]) -> Option<GenerationId> {
    use common::{TaskFile, TaskIndex};
    use GenerationId::*;
    let newest = |ids: &[GenerationId]| present.iter().rev().find(|p| ids.contains(p)).copied();
    if Path::new(rel).is_absolute() {
        // A file outside the folder (B2's user-settings copy): only the
        // generation that lists it reads it.
        return None;
    }
    match rel {
        common::SETTINGS_YAML => newest(&[B1, B2, C, D]),
        common::UI_STATE | common::AUDIT => newest(&[C, D]),
        common::THREADS_JSON => newest(&[C]),
        common::SECRET_AUDIT => newest(&[B1, B2]),
        common::TASK_INDEX => match common::task_index(dir) {
            TaskIndex::D => newest(&[D]),
            TaskIndex::B { .. } => newest(&[B1, B2]),
            _ => newest(&[B1, B2, D]),
        },
        r if r.starts_with("tasks/") => {
            let kind = read_text(dir, r)
                .ok()
                .flatten()
                .map(|t| common::classify_task_file(&t));
            match kind {
                Some(TaskFile::TaskThread) => newest(&[D]),
                Some(TaskFile::B2Record) => newest(&[B2]),
                Some(TaskFile::B1Record) => newest(&[B1]),
                _ => present.last().copied(),
            }
        }
        _ => present.last().copied(),
    }
}

/// Refuses a write into generation A's files when a newer generation is the
/// current one: the installed XWorkmate no longer reads them.
pub fn refuse_if_a_is_not_current(location: &DataLocation) -> Result<()> {
    match locate(location).last().map(|l| l.id) {
        Some(g) if g != GenerationId::A => Err(crate::StoreError::NewerGenerationCurrent {
            current: g,
            versions: g.versions(),
        }),
        _ => Ok(()),
    }
}

/// `id`'s clear list: each file removed, unless another generation present
/// owns it ([`owner_of`]), then kept for that one.
pub(crate) fn clear_list(
    dir: &Path,
    id: GenerationId,
    present: &[GenerationId],
    rels: Vec<String>,
) -> Vec<ClearFile> {
    rels.into_iter()
        .map(|rel| ClearFile {
            kept_for: owner_of(dir, &rel, present).filter(|o| *o != id),
            rel,
        })
        .collect()
}

/// When `location` holds no store of any generation but its `xworkmate/`
/// subfolder does, that subfolder: the folder given is one level too high.
pub fn store_in_subfolder(location: &DataLocation) -> Option<PathBuf> {
    let dir = location.data_dir();
    if !locate(location).is_empty() {
        return None;
    }
    let sub = dir.join("xworkmate");
    (!detect(&sub).is_empty()).then_some(sub)
}

/// Refuses a write when the folder given is one level too high: XWorkmate
/// would never read what is written there.
pub fn refuse_if_one_level_too_high(location: &DataLocation) -> Result<()> {
    match store_in_subfolder(location) {
        Some(sub) => Err(crate::StoreError::invalid(
            location.data_dir().display().to_string(),
            format!(
                "holds no XWorkmate data, but {} does: that is probably the data folder (choose it instead); nothing was written",
                sub.display()
            ),
        )),
        None => Ok(()),
    }
}

/// The newest generation present in `dir`, if any.
pub fn current(dir: &Path) -> Option<GenerationId> {
    detect(dir).last().map(|(id, _)| *id)
}

pub(crate) fn file_of(dir: &Path, rel: &str) -> Option<GenerationFile> {
    let path = dir.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if meta.is_dir() {
        return None;
    }
    Some(GenerationFile {
        path: rel.to_string(),
        bytes: meta.len(),
        modified_ms: meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_millis() as i64),
    })
}

/// Relative names present, from a list.
pub(crate) fn present_files(dir: &Path, rels: &[&str]) -> Vec<String> {
    rels.iter()
        .filter(|r| std::fs::symlink_metadata(dir.join(r)).is_ok())
        .map(|r| r.to_string())
        .collect()
}

/// Reads a file of a generation as text: `Ok(None)` when absent; a link,
/// FIFO, device or huge file is an error (never followed or opened).
pub(crate) fn read_text(dir: &Path, rel: &str) -> std::result::Result<Option<String>, String> {
    fsutil::read_optional(&dir.join(rel)).map_err(|e| e.to_string())
}

/// Distinct paths, in order.
pub(crate) fn dedup(files: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    files
        .into_iter()
        .filter(|f| seen.insert(f.clone()))
        .collect()
}
