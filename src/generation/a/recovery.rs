//! Legacy recovery (spec §6–7): find legacy sources in the candidate folders,
//! open sealed values with every available key, recover each missing or
//! unreadable document from the first source that yields it, migrate
//! SharedPreferences and legacy secret files, and describe it all in a
//! recovery report. [`assess`] and dry runs never write.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::{ConfigDb, AUDIT_KEY};
use crate::document::{self, DocKind, Stored};
use crate::error::{Notice, NoticeCode, Result, StoreError};
use crate::fsutil;
use crate::paths::{self, DataLocation};
use crate::prefs::SharedPrefs;
use crate::progress::{Counted, Progress};
use crate::sealed::{Envelope, LocalStateKey, BACKUP_AADS, LOCAL_STATE_KEY};
use crate::secret::{SecretStore, SecretValue};
use crate::settings::{AuditEntry, OpenOptions, SettingsStore};
use crate::unseal::{unseal, Candidate, Unsealed};

/// Outcome status (spec §7). `recoverable` is used only by [`assess`].
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryStatus {
    None,
    Recoverable,
    Migrated,
    LockedLegacyState,
    Failed,
}

/// Kind of a legacy source.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Database,
    Mirror,
    Backup,
    SharedPreferences,
}

/// Which document(s) a source holds.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceDocument {
    Settings,
    Threads,
    Both,
}

impl From<DocKind> for SourceDocument {
    fn from(d: DocKind) -> Self {
        match d {
            DocKind::Settings => SourceDocument::Settings,
            DocKind::Threads => SourceDocument::Threads,
        }
    }
}

/// State of a source.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceState {
    Plain,
    Unsealed,
    Locked,
    Unreadable,
}

/// Why a sealed source is locked.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    KeyMissing,
    KeyMismatch,
    KeyInvalid,
    Malformed,
}

/// Where a key came from.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyOrigin {
    SecureStorage,
    KeyFile,
    Supplied,
}

/// One legacy source examined.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SourceReport {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub kind: SourceKind,
    pub document: SourceDocument,
    pub state: SourceState,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub reason: Option<LockReason>,
    /// The key that opened it, for `unsealed` sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub opened_with: Option<KeyOrigin>,
    /// One sentence on what was found (never content).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub detail: Option<String>,
}

/// What happened (or would happen) to one document.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentAction {
    /// Current value readable; untouched.
    Kept,
    /// Recovered from a legacy source.
    Recovered,
    /// Needed, but every source that could supply it is locked.
    Locked,
    /// Needed, but no source holds it.
    NotFound,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DocumentOutcome {
    pub document: DocKind,
    pub action: DocumentAction,
    /// The source that supplied (or would supply) it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    #[serde(serialize_with = "crate::fsutil::lossy::opt_path")]
    pub from: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub from_kind: Option<SourceKind>,
    /// Number of threads recovered, for the thread list.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub thread_count: Option<usize>,
}

/// State of a key location.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyState {
    Present,
    Missing,
    Invalid,
    Unavailable,
}

/// Where keys were looked for (presence only; never a key).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyReport {
    pub secure_storage: KeyState,
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub key_file: PathBuf,
    pub key_file_state: KeyState,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub supplied: Option<KeyState>,
    /// The key file was moved into secure storage by this run.
    pub key_file_moved: bool,
    /// The supplied key was stored in secure storage by this run.
    pub supplied_key_stored: bool,
}

/// The recovery report (spec §7).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RecoveryReport {
    pub status: RecoveryStatus,
    #[serde(serialize_with = "crate::fsutil::lossy::opt_path")]
    pub source_path: Option<PathBuf>,
    pub details: String,
    pub dry_run: bool,
    pub sources: Vec<SourceReport>,
    pub documents: Vec<DocumentOutcome>,
    pub keys: KeyReport,
    /// Folders scanned, in order.
    #[serde(serialize_with = "crate::fsutil::lossy::paths")]
    pub candidates: Vec<PathBuf>,
    /// Legacy plain secret files moved (or, in a dry run, to move) into secure
    /// storage, by secret name.
    pub secret_files_moved: Vec<String>,
    /// Legacy secret files (and the key file) that stay where they are because
    /// there is nowhere XWorkmate would read their value from (spec §5), with
    /// why; in a dry run, those that would stay.
    #[serde(default)]
    pub secret_files_kept: Vec<crate::secret::KeptFile>,
    /// Storage keys migrated out of SharedPreferences.
    pub preferences_migrated: Vec<String>,
    /// Non-fatal problems (e.g. the audit trail could not be appended).
    pub warnings: Vec<Notice>,
}

/// The last real recovery run, as kept for support.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LastRecovery {
    pub recorded_at_ms: i64,
    pub report: RecoveryReport,
}

/// What recovery works on.
pub struct RecoveryContext<'a> {
    pub location: &'a DataLocation,
    pub secrets: &'a SecretStore,
    /// A candidate key the user supplied (base64url), tried after the others.
    pub supplied_key: Option<&'a str>,
}

// ----------------------------------------------------------------- analysis

struct Keys {
    list: Vec<(KeyOrigin, LocalStateKey)>,
    invalid: usize,
    report: KeyReport,
    key_file_key: Option<LocalStateKey>,
    supplied_key: Option<LocalStateKey>,
}

fn gather_keys(ctx: &RecoveryContext<'_>) -> Keys {
    let mut list = Vec::new();
    let mut invalid = 0;
    let secure_storage = match ctx.secrets.locate_strict(LOCAL_STATE_KEY) {
        Ok(Some((_, v))) => match LocalStateKey::from_b64url(v.expose()) {
            Some(k) => {
                list.push((KeyOrigin::SecureStorage, k));
                KeyState::Present
            }
            None => {
                invalid += 1;
                KeyState::Invalid
            }
        },
        Ok(None) => KeyState::Missing,
        Err(_) => KeyState::Unavailable,
    };
    let key_file = ctx.location.local_state_key_file();
    let mut key_file_key = None;
    let key_file_state = match fsutil::read_optional(&key_file) {
        Ok(Some(text)) => {
            let text = zeroize::Zeroizing::new(text);
            match LocalStateKey::from_b64url(&text) {
                Some(k) => {
                    key_file_key = Some(k.clone());
                    list.push((KeyOrigin::KeyFile, k));
                    KeyState::Present
                }
                None => {
                    invalid += 1;
                    KeyState::Invalid
                }
            }
        }
        Ok(None) => KeyState::Missing,
        Err(_) => KeyState::Unavailable,
    };
    let mut supplied_key = None;
    let supplied = ctx
        .supplied_key
        .map(|text| match LocalStateKey::from_b64url(text) {
            Some(k) => {
                supplied_key = Some(k.clone());
                list.push((KeyOrigin::Supplied, k));
                KeyState::Present
            }
            None => {
                invalid += 1;
                KeyState::Invalid
            }
        });
    Keys {
        list,
        invalid,
        report: KeyReport {
            secure_storage,
            key_file,
            key_file_state,
            supplied,
            key_file_moved: false,
            supplied_key_stored: false,
        },
        key_file_key,
        supplied_key,
    }
}

/// A value found in a source for one document.
#[derive(Clone)]
enum Found {
    /// Readable plain text (from plain or unsealed data).
    Text(String, Option<KeyOrigin>),
    /// A readable plain value, not held (a thread list can be hundreds of
    /// MiB): read again only if recovery writes it. With its thread count.
    Plain(PlainAt, Option<usize>),
    /// A sealed value that opened as a readable document, not held: opened
    /// again (as a stream) only if recovery writes it.
    Sealed(SealedAt, Option<usize>),
    Locked(LockReason, String),
    Unreadable(String),
}

/// Where a stored value is: a database row or a file.
#[derive(Clone)]
enum PlainAt {
    Row(PathBuf, &'static str),
    File(PathBuf),
}

impl PlainAt {
    /// Its text (trimmed), read again.
    fn load(&self) -> Option<String> {
        let text = match self {
            PlainAt::Row(db, key) => ConfigDb::open_ro(db).ok()??.get(key).ok()??.value,
            PlainAt::File(path) => fsutil::read_optional(path).ok()??,
        };
        Some(text.trim().to_string())
    }

    /// Reads it again as a stream.
    fn with_reader<T>(&self, f: impl FnOnce(&mut dyn std::io::Read) -> T) -> Result<T> {
        let gone = |p: &Path| {
            StoreError::io(
                "cannot read",
                p,
                std::io::Error::new(std::io::ErrorKind::NotFound, "the value is gone"),
            )
        };
        match self {
            PlainAt::Row(db, key) => {
                let conn = ConfigDb::open_ro(db)?.ok_or_else(|| gone(db))?;
                let mut value = conn.open_value(key)?.ok_or_else(|| gone(db))?;
                Ok(f(&mut value))
            }
            PlainAt::File(path) => {
                let mut file = std::fs::File::open(path)
                    .map_err(|e| StoreError::io("cannot read", path, e))?;
                Ok(f(&mut file))
            }
        }
    }
}

/// A sealed value that opened: where it is, which key opened it, and its
/// tag — the same tag opening again under that key is the same plaintext.
#[derive(Clone)]
struct SealedAt {
    at: PlainAt,
    /// Index into the keys tried (with the document's AAD), and whose it is.
    key: usize,
    origin: KeyOrigin,
    mac: [u8; 16],
    len: u64,
    /// Its plaintext, when the analysis kept it (a run that writes).
    kept: Option<std::sync::Arc<String>>,
}

/// What recovery writes for a document: text it holds, or a value it reads
/// again (plain, or sealed and opened again) when it writes.
enum Payload {
    Text(String),
    Plain(PlainAt),
    Sealed(SealedAt),
}

impl Payload {
    /// The document's text, and whether it was checked already in this run
    /// (a sealed value that opens with the same key and tag is the plaintext
    /// the analysis parsed; a plain value may have changed since).
    fn load(&self, doc: DocKind, keys: &Keys) -> Result<(Cow<'_, str>, bool)> {
        match self {
            Payload::Text(t) => Ok((Cow::Borrowed(t), false)),
            Payload::Plain(at) => at.load().map(|t| (Cow::Owned(t), false)).ok_or_else(|| {
                StoreError::StalePlan(format!("the {} recovery read is gone", doc.as_str()))
            }),
            Payload::Sealed(SealedAt {
                kept: Some(text), ..
            }) => Ok((Cow::Borrowed(text.trim()), true)),
            Payload::Sealed(s) => {
                let changed = || {
                    StoreError::StalePlan(format!(
                        "the sealed {} changed while recovery read it; run recovery again",
                        doc.as_str()
                    ))
                };
                let candidates = candidates(keys, doc);
                let mut text = Vec::with_capacity(s.len.min(fsutil::MAX_STORE_FILE_BYTES) as usize);
                let opened = s
                    .at
                    .with_reader(|r| unseal(r, &candidates, s.key, |p| p.read_to_end(&mut text)))?;
                match opened {
                    Ok(Unsealed::Opened {
                        by,
                        seen: Some(Ok(_)),
                        mac,
                        ..
                    }) if by == s.key && mac == s.mac => {}
                    Ok(_) => return Err(changed()),
                    Err(e) => return Err(StoreError::io("cannot read", s.at.path(), e)),
                }
                let text = String::from_utf8(text).map_err(|_| changed())?;
                Ok((Cow::Owned(trimmed(text)), true))
            }
        }
    }
}

impl PlainAt {
    fn path(&self) -> &Path {
        match self {
            PlainAt::Row(db, _) => db,
            PlainAt::File(p) => p,
        }
    }
}

/// The keys to try on a document's sealed value, in the order of `keys`.
fn candidates<'k>(keys: &'k Keys, doc: DocKind) -> Vec<Candidate<'k>> {
    keys.list
        .iter()
        .map(|(_, k)| (k, doc.storage_key().as_bytes()))
        .collect()
}

/// What `Found::Text` holds: the document trimmed (copied only if needed).
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

/// Whether an earlier source already has a value recovery could write for
/// `doc` (the plan takes the first one).
fn chosen_before(out: &[Source], doc: DocKind) -> bool {
    out.iter().any(|s| {
        s.docs.iter().any(|(d, f)| {
            *d == doc && matches!(f, Found::Text(..) | Found::Plain(..) | Found::Sealed(..))
        })
    })
}

fn thread_count(s: &document::Summary) -> Option<usize> {
    match s {
        document::Summary::Threads(t) => Some(t.count),
        _ => None,
    }
}

/// Classifies a stored value as a stream; a plain one is not held. A sealed
/// value as XWorkmate writes one is opened as a stream too, and not held;
/// any other sealed value is read whole and opened from the envelope read
/// here.
fn evaluate_stream<R: std::io::Read>(
    doc: DocKind,
    mut open: impl FnMut() -> std::io::Result<R>,
    size: u64,
    at: PlainAt,
    keys: &Keys,
    keep: bool,
) -> Option<Found> {
    if let Some(found) = unseal_stream(doc, &mut open, size, &at, keys, keep) {
        return Some(found);
    }
    match document::classify_stream_sized(doc, open, size) {
        Ok(Stored::Plain(s)) => Some(Found::Plain(at, thread_count(&s))),
        Ok(Stored::Sealed(env)) => Some(open_envelope(doc, &env, keys)),
        _ => None,
    }
}

/// Opens a sealed value as a stream, checking what the plaintext is as it is
/// decrypted (nothing is kept). `None`: not a sealed value as XWorkmate
/// writes one, or one that opened as something other than a readable
/// document — the whole reading says why.
fn unseal_stream<R: std::io::Read>(
    doc: DocKind,
    open: &mut impl FnMut() -> std::io::Result<R>,
    size: u64,
    at: &PlainAt,
    keys: &Keys,
    keep: bool,
) -> Option<Found> {
    let candidates = candidates(keys, doc);
    let mut lead = 0;
    // A second pass only when a key other than the first one opens it.
    for _ in 0..2 {
        // The plaintext, when it is to be kept.
        let mut kept = Vec::new();
        // Opened here, parsed on a second thread as it is decrypted.
        let (opened, parsed) = crate::stream::parse_aside(
            |pump| {
                open().and_then(|src| {
                    unseal(src, &candidates, lead, |plain| {
                        if keep {
                            // An envelope after all: about 3/4 of it is plaintext.
                            kept.reserve(
                                size.min(fsutil::MAX_STORE_FILE_BYTES) as usize / 4 * 3 + 3,
                            );
                            pump.copy_from(crate::stream::Tee::new(plain, &mut kept))
                        } else {
                            pump.copy_from(plain)
                        }
                    })
                })
            },
            |plain| document::classify_checked_stream(doc, plain),
        );
        return match opened.ok()? {
            Unsealed::Irregular => None,
            Unsealed::NotOpened => Some(Found::Locked(
                lock_reason(keys),
                "the sealed value cannot be opened".into(),
            )),
            Unsealed::Opened { by, seen: None, .. } => {
                lead = by;
                continue;
            }
            Unsealed::Opened {
                by,
                seen: Some(Ok(())),
                mac,
                len,
            } => match parsed {
                Ok(Stored::Plain(summary)) => Some(Found::Sealed(
                    SealedAt {
                        at: at.clone(),
                        key: by,
                        origin: keys.list[by].0,
                        mac,
                        len,
                        // All of it, checked as UTF-8 on its way to the parser.
                        kept: (keep && kept.len() as u64 == len)
                            .then(|| String::from_utf8(kept).ok())
                            .flatten()
                            .map(std::sync::Arc::new),
                    },
                    thread_count(&summary),
                )),
                _ => None,
            },
            Unsealed::Opened { .. } => None,
        };
    }
    None
}

struct Source {
    report: SourceReport,
    candidate: PathBuf,
    docs: Vec<(DocKind, Found)>,
}

fn lock_reason(keys: &Keys) -> LockReason {
    if !keys.list.is_empty() {
        LockReason::KeyMismatch
    } else if keys.invalid > 0 {
        LockReason::KeyInvalid
    } else {
        LockReason::KeyMissing
    }
}

fn open_with_keys(
    env: &Envelope,
    aads: &[&str],
    keys: &Keys,
) -> std::result::Result<(zeroize::Zeroizing<Vec<u8>>, KeyOrigin), LockReason> {
    for (origin, key) in &keys.list {
        for aad in aads {
            if let Ok(plain) = env.open(key, aad.as_bytes()) {
                return Ok((plain, *origin));
            }
        }
    }
    Err(lock_reason(keys))
}

/// Evaluates one stored text as `doc`.
fn evaluate(doc: DocKind, text: &str, keys: &Keys) -> Found {
    match document::classify(doc, text) {
        Stored::Plain(_) => Found::Text(text.trim().to_string(), None),
        Stored::Unreadable(why) => Found::Unreadable(why),
        Stored::Malformed(why) => Found::Locked(LockReason::Malformed, why),
        Stored::Sealed(env) => open_envelope(doc, &env, keys),
    }
}

/// Opens a sealed value with every key there is, and checks what it holds.
fn open_envelope(doc: DocKind, env: &crate::sealed::Envelope, keys: &Keys) -> Found {
    match open_with_keys(env, &[doc.storage_key()], keys) {
        // The opened document is what recovery writes in plain form: taken
        // as it is (a thread list can be hundreds of MiB), not copied.
        Ok((mut plain, origin)) => match String::from_utf8(std::mem::take(&mut *plain)) {
            Ok(t) => match document::validate(doc, &t) {
                Ok(_) if t.len() == t.trim().len() => Found::Text(t, Some(origin)),
                Ok(_) => Found::Text(t.trim().to_string(), Some(origin)),
                Err(why) => Found::Unreadable(format!("opened, but {why}")),
            },
            Err(_) => Found::Unreadable("opened, but not UTF-8 text".into()),
        },
        Err(reason) => Found::Locked(reason, "the sealed value cannot be opened".into()),
    }
}

fn push_doc_sources(
    out: &mut Vec<Source>,
    candidate: &Path,
    path: &Path,
    kind: SourceKind,
    docs: Vec<(DocKind, Found)>,
) {
    if docs.is_empty() {
        return;
    }
    // One report per state: documents in the same state share a `both` entry.
    let mut groups: Vec<Vec<(DocKind, Found)>> = Vec::new();
    for d in docs {
        let key = state_of(&d.1);
        match groups.iter_mut().find(|g| state_of(&g[0].1) == key) {
            Some(g) => g.push(d),
            None => groups.push(vec![d]),
        }
    }
    for g in groups {
        let document = if g.len() > 1 {
            SourceDocument::Both
        } else {
            g[0].0.into()
        };
        let (state, reason, opened_with, detail) = state_of(&g[0].1);
        out.push(Source {
            report: SourceReport {
                path: path.to_path_buf(),
                kind,
                document,
                state,
                reason,
                opened_with,
                detail,
            },
            candidate: candidate.to_path_buf(),
            docs: g,
        });
    }
}

fn state_of(
    f: &Found,
) -> (
    SourceState,
    Option<LockReason>,
    Option<KeyOrigin>,
    Option<String>,
) {
    match f {
        Found::Text(_, None) | Found::Plain(..) => (SourceState::Plain, None, None, None),
        Found::Text(_, Some(o)) => (SourceState::Unsealed, None, Some(*o), None),
        Found::Sealed(s, _) => (SourceState::Unsealed, None, Some(s.origin), None),
        Found::Locked(r, why) => (SourceState::Locked, Some(*r), None, Some(why.clone())),
        Found::Unreadable(why) => (SourceState::Unreadable, None, None, Some(why.clone())),
    }
}

fn scan_database(
    out: &mut Vec<Source>,
    candidate: &Path,
    keys: &Keys,
    keep: bool,
    progress: &Progress,
) {
    let path = candidate.join(paths::DATABASE_FILE);
    let db = match ConfigDb::open_ro(&path) {
        Ok(Some(db)) => db,
        Ok(None) => return,
        Err(e) => {
            push_doc_sources(
                out,
                candidate,
                &path,
                SourceKind::Database,
                vec![(DocKind::Settings, Found::Unreadable(e.to_string()))],
            );
            return;
        }
    };
    let mut docs = Vec::new();
    for doc in DocKind::ALL {
        let key = doc.storage_key();
        if let Some(size) = db.open_value(key).ok().flatten().map(|v| v.bytes) {
            let open = || {
                db.open_value(key)
                    .ok()
                    .flatten()
                    .map(|v| Counted::new(v, progress))
                    .ok_or_else(|| std::io::Error::other("the value is gone"))
            };
            let at = PlainAt::Row(path.clone(), key);
            let keep = keep && !chosen_before(out, doc);
            if let Some(f) = evaluate_stream(doc, open, size, at, keys, keep) {
                docs.push((doc, f));
                continue;
            }
        }
        // Cancelled: nothing more is read (the report is not used).
        if progress.is_cancelled() {
            return;
        }
        match db.get(doc.storage_key()) {
            Ok(Some(entry)) => docs.push((doc, evaluate(doc, &entry.value, keys))),
            Ok(None) => {}
            Err(e) => {
                docs = vec![(
                    DocKind::Settings,
                    Found::Unreadable(format!("database unreadable: {e}")),
                )];
                break;
            }
        }
    }
    push_doc_sources(out, candidate, &path, SourceKind::Database, docs);
}

fn scan_mirrors(
    out: &mut Vec<Source>,
    candidate: &Path,
    keys: &Keys,
    keep: bool,
    progress: &Progress,
) {
    for doc in DocKind::ALL {
        let path = candidate.join(doc.mirror_file_name());
        let plain = match fsutil::check_readable(&path) {
            Ok(Some(meta)) => evaluate_stream(
                doc,
                || std::fs::File::open(&path).map(|f| Counted::new(f, progress)),
                meta.len(),
                PlainAt::File(path.clone()),
                keys,
                keep && !chosen_before(out, doc),
            ),
            _ => None,
        };
        if plain.is_none() && progress.is_cancelled() {
            return;
        }
        let found = match plain {
            Some(f) => f,
            None => match fsutil::read_optional(&path) {
                Ok(Some(text)) => evaluate(doc, &text, keys),
                Ok(None) => continue,
                Err(e) => Found::Unreadable(e.to_string()),
            },
        };
        push_doc_sources(
            out,
            candidate,
            &path,
            SourceKind::Mirror,
            vec![(doc, found)],
        );
    }
}

/// The documents of a backup (schema 1, or schema 2's plaintext), each kept as
/// its raw JSON text so every number and key order survives exactly.
fn split_backup_plaintext(text: &str, origin: Option<KeyOrigin>) -> Vec<(DocKind, Found)> {
    #[derive(serde::Deserialize)]
    struct Parts<'a> {
        #[serde(borrow, default)]
        settings: Option<&'a serde_json::value::RawValue>,
        #[serde(borrow, default, rename = "assistantThreads")]
        threads: Option<&'a serde_json::value::RawValue>,
    }
    let parts: Parts<'_> = match serde_json::from_str(text) {
        Ok(p) => p,
        Err(e) => {
            let why = format!("not a backup document: {}", document::json_error(&e));
            return vec![
                (DocKind::Settings, Found::Unreadable(why.clone())),
                (DocKind::Threads, Found::Unreadable(why)),
            ];
        }
    };
    let mut docs = Vec::new();
    for (doc, raw) in [
        (DocKind::Settings, parts.settings),
        (DocKind::Threads, parts.threads),
    ] {
        let Some(raw) = raw.filter(|r| r.get().trim() != "null") else {
            continue;
        };
        let found = match document::classify(doc, raw.get()) {
            Stored::Plain(_) => Found::Text(raw.get().trim().to_string(), origin),
            Stored::Unreadable(why) | Stored::Malformed(why) => Found::Unreadable(why),
            Stored::Sealed(_) => Found::Unreadable("a sealed value inside the backup".into()),
        };
        docs.push((doc, found));
    }
    docs
}

fn scan_backup(out: &mut Vec<Source>, candidate: &Path, keys: &Keys) {
    let path = candidate.join(paths::BACKUP_FILE);
    let text = match fsutil::read_optional(&path) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(e) => {
            push_doc_sources(
                out,
                candidate,
                &path,
                SourceKind::Backup,
                vec![(DocKind::Settings, Found::Unreadable(e.to_string()))],
            );
            return;
        }
    };
    let both_unreadable = |why: String| {
        vec![
            (DocKind::Settings, Found::Unreadable(why.clone())),
            (DocKind::Threads, Found::Unreadable(why)),
        ]
    };
    let both_locked = |r: LockReason, why: String| {
        vec![
            (DocKind::Settings, Found::Locked(r, why.clone())),
            (DocKind::Threads, Found::Locked(r, why)),
        ]
    };
    let docs = match serde_json::from_str::<Value>(&text) {
        Err(e) => both_unreadable(format!("backup is not JSON: {}", document::json_error(&e))),
        Ok(v) => match v.get("schemaVersion").and_then(Value::as_i64) {
            Some(1) => split_backup_plaintext(&text, None),
            Some(2) => match v.get("sealedState").and_then(Value::as_str) {
                None => both_locked(
                    LockReason::Malformed,
                    "schema 2 backup without sealedState".into(),
                ),
                Some(sealed) => match Envelope::from_text(sealed) {
                    Err(why) => both_locked(LockReason::Malformed, why),
                    Ok(env) => match open_with_keys(&env, &BACKUP_AADS, keys) {
                        Err(reason) => {
                            both_locked(reason, "the sealed backup cannot be opened".into())
                        }
                        Ok((plain, origin)) => match std::str::from_utf8(&plain) {
                            Ok(inner) => split_backup_plaintext(inner, Some(origin)),
                            Err(_) => both_unreadable("opened, but not UTF-8 text".into()),
                        },
                    },
                },
            },
            other => both_unreadable(format!("unknown backup schemaVersion {other:?}")),
        },
    };
    push_doc_sources(out, candidate, &path, SourceKind::Backup, docs);
}

fn scan_prefs(out: &mut Vec<Source>, candidate: &Path, path: &Path, keys: &Keys) {
    let docs = match SharedPrefs::load(path) {
        Ok(None) => return,
        Err(e) => vec![(DocKind::Settings, Found::Unreadable(e.to_string()))],
        Ok(Some(p)) => DocKind::ALL
            .iter()
            .filter_map(|doc| {
                p.get(doc.storage_key())
                    .map(|t| (*doc, evaluate(*doc, t, keys)))
            })
            .collect(),
    };
    push_doc_sources(out, candidate, path, SourceKind::SharedPreferences, docs);
}

struct Analysis {
    keys: Keys,
    candidates: Vec<PathBuf>,
    sources: Vec<Source>,
    /// Per document: is the current value readable (and from where)?
    current_sqlite_readable: [bool; 2],
    current_mirror_readable: [bool; 2],
    /// Prefs files that recovery migrates from and cleans.
    prefs_files: Vec<PathBuf>,
    /// Why the data dir's own database cannot be used, when it exists but is damaged.
    current_db_problem: Option<String>,
    /// The data dir's database holds an audit trail.
    current_audit: bool,
    /// What could not even be looked at in the data dir (permission denied,
    /// an I/O error): "nothing to recover" cannot be said then.
    access_problems: Vec<String>,
}

fn idx(doc: DocKind) -> usize {
    match doc {
        DocKind::Settings => 0,
        DocKind::Threads => 1,
    }
}

/// Looks at every source. With `keep` (a run that writes), the opened
/// plaintext of the sealed value recovery would write is kept, so that it
/// is not opened twice; a dry run keeps nothing.
fn analyze(ctx: &RecoveryContext<'_>, keep: bool, progress: &Progress) -> Analysis {
    let keys = gather_keys(ctx);
    let candidates = ctx.location.recovery_candidates();
    let mut sources = Vec::new();
    let prefs_files = ctx.location.preference_files();
    // What there is to read: the databases and mirrors (their values are
    // read as streams, and counted).
    for cand in &candidates {
        for name in [
            paths::DATABASE_FILE,
            paths::SETTINGS_MIRROR_FILE,
            paths::THREADS_MIRROR_FILE,
        ] {
            if let Ok(meta) = std::fs::metadata(cand.join(name)) {
                progress.add_total(meta.len());
            }
        }
    }
    for cand in &candidates {
        if progress.is_cancelled() {
            break;
        }
        scan_database(&mut sources, cand, &keys, keep, progress);
        scan_mirrors(&mut sources, cand, &keys, keep, progress);
        scan_backup(&mut sources, cand, &keys);
        let prefs = cand.join(paths::SHARED_PREFERENCES_FILE);
        scan_prefs(&mut sources, cand, &prefs, &keys);
    }
    for p in &prefs_files {
        if !candidates
            .iter()
            .any(|c| c.join(paths::SHARED_PREFERENCES_FILE) == *p)
        {
            let parent = p.parent().unwrap_or(Path::new("")).to_path_buf();
            scan_prefs(&mut sources, &parent, p, &keys);
        }
    }
    let data_dir = ctx.location.data_dir();
    let mut sqlite = [false; 2];
    let mut mirror = [false; 2];
    for s in &sources {
        if s.candidate != data_dir || s.report.state != SourceState::Plain {
            continue;
        }
        for (doc, _) in &s.docs {
            match s.report.kind {
                SourceKind::Database => sqlite[idx(*doc)] = true,
                SourceKind::Mirror => mirror[idx(*doc)] = true,
                _ => {}
            }
        }
    }
    let (current_db_problem, current_audit) = match ConfigDb::open_ro(&ctx.location.database()) {
        Ok(None) => (None, false),
        Ok(Some(db)) => match db.get(AUDIT_KEY) {
            Ok(audit) => (None, audit.is_some()),
            Err(e) => (Some(e.to_string()), false),
        },
        Err(e) => (Some(e.to_string()), false),
    };
    let mut access_problems = Vec::new();
    if let Err(e) = std::fs::read_dir(data_dir) {
        if e.kind() != std::io::ErrorKind::NotFound {
            access_problems.push(format!("cannot list {}: {e}", data_dir.display()));
        }
    }
    let fixed = [
        ctx.location.database(),
        ctx.location.settings_mirror(),
        ctx.location.threads_mirror(),
        ctx.location.backup_file(),
    ];
    for path in fixed {
        if let Err(e @ StoreError::Io { .. }) = fsutil::check_readable(&path) {
            access_problems.push(e.to_string());
        }
    }
    Analysis {
        access_problems,
        current_db_problem,
        current_audit,
        keys,
        candidates,
        sources,
        current_sqlite_readable: sqlite,
        current_mirror_readable: mirror,
        prefs_files,
    }
}

struct Plan {
    outcomes: Vec<DocumentOutcome>,
    /// Text to write per recovered document, and the key it needed.
    writes: Vec<(DocKind, Payload, Option<KeyOrigin>)>,
    /// Documents whose SQLite entry is restored from the plain mirror.
    restore_from_mirror: Vec<DocKind>,
    source_path: Option<PathBuf>,
    first_locked: Option<PathBuf>,
}

fn plan(a: &Analysis) -> Plan {
    let mut p = Plan {
        outcomes: Vec::new(),
        writes: Vec::new(),
        restore_from_mirror: Vec::new(),
        source_path: None,
        first_locked: None,
    };
    for doc in DocKind::ALL {
        let i = idx(doc);
        if a.current_sqlite_readable[i] || a.current_mirror_readable[i] {
            if !a.current_sqlite_readable[i] && a.current_db_problem.is_none() {
                p.restore_from_mirror.push(doc);
            }
            p.outcomes.push(DocumentOutcome {
                document: doc,
                action: DocumentAction::Kept,
                from: None,
                from_kind: None,
                thread_count: None,
            });
            continue;
        }
        let mut chosen = None;
        let mut locked = None;
        for s in &a.sources {
            for (d, f) in &s.docs {
                if *d != doc {
                    continue;
                }
                match f {
                    Found::Text(text, origin) if chosen.is_none() => {
                        let count = match document::classify(doc, text) {
                            Stored::Plain(summary) => thread_count(&summary),
                            _ => None,
                        };
                        chosen = Some((s, Payload::Text(text.clone()), *origin, count))
                    }
                    Found::Plain(at, count) if chosen.is_none() => {
                        chosen = Some((s, Payload::Plain(at.clone()), None, *count))
                    }
                    Found::Sealed(at, count) if chosen.is_none() => {
                        chosen = Some((s, Payload::Sealed(at.clone()), Some(at.origin), *count))
                    }
                    Found::Locked(..) if locked.is_none() => locked = Some(s),
                    _ => {}
                }
            }
        }
        if let Some((s, text, origin, thread_count)) = chosen {
            p.source_path.get_or_insert_with(|| s.candidate.clone());
            p.outcomes.push(DocumentOutcome {
                document: doc,
                action: DocumentAction::Recovered,
                from: Some(s.report.path.clone()),
                from_kind: Some(s.report.kind),
                thread_count,
            });
            p.writes.push((doc, text, origin));
        } else if let Some(s) = locked {
            p.first_locked.get_or_insert_with(|| s.candidate.clone());
            p.outcomes.push(DocumentOutcome {
                document: doc,
                action: DocumentAction::Locked,
                from: Some(s.report.path.clone()),
                from_kind: Some(s.report.kind),
                thread_count: None,
            });
        } else {
            p.outcomes.push(DocumentOutcome {
                document: doc,
                action: DocumentAction::NotFound,
                from: None,
                from_kind: None,
                thread_count: None,
            });
        }
    }
    p
}

fn doc_list(outcomes: &[DocumentOutcome], action: DocumentAction) -> String {
    outcomes
        .iter()
        .filter(|o| o.action == action)
        .map(|o| o.document.as_str())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn build_report(
    a: &Analysis,
    p: &Plan,
    status: RecoveryStatus,
    dry_run: bool,
    details: String,
) -> RecoveryReport {
    RecoveryReport {
        status,
        source_path: if status == RecoveryStatus::LockedLegacyState && p.source_path.is_none() {
            p.first_locked.clone()
        } else {
            p.source_path.clone()
        },
        details,
        dry_run,
        sources: a.sources.iter().map(|s| s.report.clone()).collect(),
        documents: p.outcomes.clone(),
        keys: a.keys.report.clone(),
        candidates: a.candidates.clone(),
        secret_files_moved: Vec::new(),
        secret_files_kept: Vec::new(),
        preferences_migrated: Vec::new(),
        warnings: Vec::new(),
    }
}

fn locked_details(a: &Analysis, p: &Plan) -> String {
    let locked = doc_list(&p.outcomes, DocumentAction::Locked);
    let reason = a
        .sources
        .iter()
        .find(|s| s.report.state == SourceState::Locked)
        .and_then(|s| s.report.reason);
    let why = match reason {
        Some(LockReason::KeyMissing) => {
            "no local-state key was found in secure storage or gateway-auth/local-state-key.txt"
        }
        Some(LockReason::KeyMismatch) => "the available key does not open it",
        Some(LockReason::KeyInvalid) => "the only keys found are not 32-byte base64url keys",
        Some(LockReason::Malformed) => "the sealed data is damaged",
        None => "it cannot be opened",
    };
    let unavailable = if a.keys.report.secure_storage == KeyState::Unavailable {
        " Secure storage could not be read (the keyring is unavailable), so a key stored there was not tried."
    } else {
        ""
    };
    format!(
        "The {locked} cannot be recovered: sealed legacy state was found, but {why}.{unavailable}"
    )
}

/// Read-only assessment (the `report` surface): what a recovery run would
/// find. Status is `none`, `recoverable` or `locked_legacy_state`.
pub fn assess(ctx: &RecoveryContext<'_>) -> RecoveryReport {
    assessed(&analyze(ctx, false, &Progress::new()))
}

/// [`assess`], counting what it reads into `progress`; `Cancelled` when a
/// cancel stopped it.
pub fn assess_with_progress(
    ctx: &RecoveryContext<'_>,
    progress: &Progress,
) -> Result<RecoveryReport> {
    let a = analyze(ctx, false, progress);
    progress.go_on()?;
    Ok(assessed(&a))
}

fn assessed(a: &Analysis) -> RecoveryReport {
    let p = plan(a);
    let (status, details) = if p
        .outcomes
        .iter()
        .any(|o| o.action == DocumentAction::Locked)
    {
        (RecoveryStatus::LockedLegacyState, locked_details(a, &p))
    } else if !p.writes.is_empty() {
        (
            RecoveryStatus::Recoverable,
            format!(
                "The {} can be recovered from legacy state.",
                doc_list(&p.outcomes, DocumentAction::Recovered)
            ),
        )
    } else if !a.access_problems.is_empty() {
        (RecoveryStatus::Failed, access_details(a))
    } else {
        (RecoveryStatus::None, none_details(&p))
    };
    build_report(a, &p, status, true, details)
}

/// What could not be looked at: recovery cannot tell whether anything needs
/// recovering, so it does not say "nothing to recover".
fn access_details(a: &Analysis) -> String {
    format!(
        "Recovery could not check the data folder, so it cannot tell whether anything needs recovering: {}. Nothing was changed.",
        a.access_problems.join("; ")
    )
}

fn none_details(p: &Plan) -> String {
    let missing = doc_list(&p.outcomes, DocumentAction::NotFound);
    if missing.is_empty() {
        "Every document is readable; nothing needs recovering.".into()
    } else {
        format!("Nothing to recover: no legacy source holds the {missing}.")
    }
}

/// Runs legacy recovery. With `dry_run`, computes the same report and writes
/// nothing. Never returns an error: I/O failures give status `failed`.
pub fn run(ctx: &RecoveryContext<'_>, dry_run: bool) -> RecoveryReport {
    run_with_progress(ctx, dry_run, &Progress::new())
        .expect("a recovery nobody can cancel is not cancelled")
}

/// [`run`], counting what it reads into `progress` and stopping, with
/// [`StoreError::Cancelled`], when it is cancelled while it still only
/// looks: nothing is written then, not even the last-run record. Once it
/// writes, it runs to its end.
pub fn run_with_progress(
    ctx: &RecoveryContext<'_>,
    dry_run: bool,
    progress: &Progress,
) -> Result<RecoveryReport> {
    run_inner(ctx, dry_run, progress).ok_or(StoreError::Cancelled)
}

/// `None`: cancelled before anything was written.
fn run_inner(
    ctx: &RecoveryContext<'_>,
    dry_run: bool,
    progress: &Progress,
) -> Option<RecoveryReport> {
    let a = analyze(ctx, !dry_run, progress);
    // Cancelled while looking: stop. A run that goes on from here may write
    // (if only the last-run record), so it is no longer cancelled.
    let go_on = if dry_run {
        !progress.is_cancelled()
    } else {
        progress.writing()
    };
    if !go_on {
        return None;
    }
    // One folder too high: recovery would write where XWorkmate never looks
    // (a dry run says what a real run would do: the same).
    if let Err(e) = crate::generation::refuse_if_one_level_too_high(ctx.location) {
        let p = plan(&a);
        return Some(build_report(
            &a,
            &p,
            RecoveryStatus::Failed,
            dry_run,
            e.to_string(),
        ));
    }
    if !dry_run {
        // XWorkmate would undo the recovery: write nothing, not even the
        // last-run record (callers refuse before this with the error code
        // `xworkmate_running`).
        if let Err(e) = crate::guard::refuse_if_running(ctx.location)
            .and_then(|()| crate::generation::refuse_if_a_is_not_current(ctx.location))
        {
            let p = plan(&a);
            return Some(build_report(
                &a,
                &p,
                RecoveryStatus::Failed,
                false,
                e.to_string(),
            ));
        }
    }
    let p = plan(&a);
    let locked = p
        .outcomes
        .iter()
        .any(|o| o.action == DocumentAction::Locked);
    let status = if locked {
        RecoveryStatus::LockedLegacyState
    } else if !p.writes.is_empty() {
        RecoveryStatus::Migrated
    } else if !a.access_problems.is_empty() {
        // Could not check is never "nothing to recover"; nothing is written.
        return Some(build_report(
            &a,
            &p,
            RecoveryStatus::Failed,
            dry_run,
            access_details(&a),
        ));
    } else {
        RecoveryStatus::None
    };
    let details = if locked {
        let recovered = doc_list(&p.outcomes, DocumentAction::Recovered);
        let mut d = locked_details(&a, &p);
        if !recovered.is_empty() {
            d = format!(
                "{d} The {recovered} {} recovered.",
                if dry_run { "would be" } else { "were" }
            );
        }
        d
    } else if !p.writes.is_empty() {
        let recovered = doc_list(&p.outcomes, DocumentAction::Recovered);
        if dry_run {
            format!("The {recovered} would be recovered and written in plain form to SQLite and the mirror.")
        } else {
            format!("The {recovered} were recovered and written in plain form to SQLite and the mirror.")
        }
    } else {
        none_details(&p)
    };
    let mut report = build_report(&a, &p, status, dry_run, details);
    if let Some(problem) = a
        .current_db_problem
        .as_ref()
        .filter(|_| !p.writes.is_empty())
    {
        report.status = RecoveryStatus::Failed;
        report.details = format!(
            "The database {} is damaged ({problem}), so recovery cannot write to it; move it aside and run recovery again.",
            ctx.location.database().display()
        );
        if !dry_run {
            if let Err(e) = save_last(ctx.location, &report) {
                report.warnings.push(Notice::new(
                    NoticeCode::ReportNotKept,
                    format!("the report could not be kept for support: {e}"),
                ));
            }
        }
        return Some(report);
    }
    if dry_run {
        let legacy: Vec<(PathBuf, String)> = ctx
            .secrets
            .legacy_files()
            .into_iter()
            .filter_map(|path| {
                let file = path.file_name()?.to_string_lossy().into_owned();
                crate::secret::LEGACY_SECRET_FILES
                    .iter()
                    .find(|(f, _)| *f == file)
                    .and_then(|(_, k)| crate::secret::secret_name(k))
                    .map(|name| (path, name))
            })
            .collect();
        match ctx.secrets.move_target() {
            Ok(_) => report.secret_files_moved = legacy.into_iter().map(|(_, n)| n).collect(),
            Err(kept) => {
                report.secret_files_kept = legacy
                    .into_iter()
                    .map(|(path, name)| crate::secret::KeptFile {
                        name,
                        path,
                        reason: kept.reason,
                    })
                    .collect()
            }
        }
        report.preferences_migrated = prefs_keys_to_migrate(&a, &p);
        return Some(report);
    }
    if let Err(e) = execute(ctx, &a, &p, &mut report) {
        report.status = RecoveryStatus::Failed;
        report.details = format!("Recovery stopped: {e}");
    }
    if let Err(e) = save_last(ctx.location, &report) {
        report.warnings.push(Notice::new(
            NoticeCode::ReportNotKept,
            format!("the report could not be kept for support: {e}"),
        ));
    }
    Some(report)
}

/// The SharedPreferences keys recovery removes — the same rule in a dry run
/// and a real run: a key goes once SQLite holds a readable value for it (as
/// XWorkmate does), which after the run is the case for every document that is
/// readable in SQLite, restored from its mirror, or recovered; the audit trail
/// goes once SQLite has one (or gets the preferences' one).
fn prefs_keys_to_migrate(a: &Analysis, p: &Plan) -> Vec<String> {
    let readable_after = |doc: DocKind| {
        a.current_sqlite_readable[idx(doc)]
            || p.restore_from_mirror.contains(&doc)
            || p.writes.iter().any(|(d, ..)| *d == doc)
    };
    let mut out: Vec<String> = Vec::new();
    for path in &a.prefs_files {
        let Ok(Some(prefs)) = SharedPrefs::load(path) else {
            continue;
        };
        let mut keys: Vec<&str> = DocKind::ALL
            .iter()
            .filter(|d| prefs.get(d.storage_key()).is_some() && readable_after(**d))
            .map(|d| d.storage_key())
            .collect();
        if let Some(t) = prefs.get(AUDIT_KEY) {
            if a.current_audit || serde_json::from_str::<Vec<Value>>(t).is_ok() {
                keys.push(AUDIT_KEY);
            }
        }
        for k in keys {
            if !out.iter().any(|o| o == k) {
                out.push(k.to_string());
            }
        }
    }
    out
}

fn execute(
    ctx: &RecoveryContext<'_>,
    a: &Analysis,
    p: &Plan,
    report: &mut RecoveryReport,
) -> Result<()> {
    let prefs_present = a.prefs_files.iter().any(|f| {
        SharedPrefs::load(f).ok().flatten().is_some_and(|p| {
            DocKind::ALL
                .iter()
                .any(|d| p.get(d.storage_key()).is_some())
                || p.get(AUDIT_KEY).is_some()
        })
    });
    let key_file_present = a.keys.report.key_file_state == KeyState::Present;
    let needs_store = !p.writes.is_empty() || !p.restore_from_mirror.is_empty() || prefs_present;
    let mut changed = false;
    let store = if needs_store {
        Some(SettingsStore::open(ctx.location, OpenOptions::default())?)
    } else {
        None
    };
    if let Some(store) = &store {
        for doc in &p.restore_from_mirror {
            if let Some(l) = store.read_document(*doc)? {
                store.put_entry(doc.storage_key(), &l.text)?;
                changed = true;
            }
        }
        for (doc, payload, _) in &p.writes {
            match payload.load(*doc, &a.keys)? {
                (text, true) => store.write_document_checked(*doc, &text)?,
                (text, false) => store.write_document(*doc, &text)?,
            }
            changed = true;
        }
        // SharedPreferences: migrate the audit trail when SQLite has none, then
        // remove every key SQLite now holds a readable value for.
        for path in &a.prefs_files {
            // An unreadable preferences file is reported as a source; left as it is.
            let Ok(Some(mut prefs)) = SharedPrefs::load(path) else {
                continue;
            };
            if store.entry(AUDIT_KEY)?.is_none() {
                if let Some(t) = prefs
                    .get(AUDIT_KEY)
                    .filter(|t| serde_json::from_str::<Vec<Value>>(t).is_ok())
                {
                    store.put_entry(AUDIT_KEY, t)?;
                }
            }
            let mut removable: Vec<&str> = Vec::new();
            for doc in DocKind::ALL {
                if prefs.get(doc.storage_key()).is_some()
                    && store.entry(doc.storage_key())?.is_some_and(|e| {
                        matches!(document::classify(doc, &e.value), Stored::Plain(_))
                    })
                {
                    removable.push(doc.storage_key());
                }
            }
            if prefs.get(AUDIT_KEY).is_some() && store.entry(AUDIT_KEY)?.is_some() {
                removable.push(AUDIT_KEY);
            }
            let removed = prefs.remove(&removable)?;
            changed |= !removed.is_empty();
            report.preferences_migrated.extend(removed);
        }
    }
    // Keys: move the key file / store the supplied key only if it opened
    // something and secure storage holds no key, after verifying the write.
    let used: Vec<KeyOrigin> = a
        .sources
        .iter()
        .filter_map(|s| s.report.opened_with)
        .collect();
    if a.keys.report.secure_storage == KeyState::Missing {
        let candidate = if key_file_present && used.contains(&KeyOrigin::KeyFile) {
            a.keys.key_file_key.clone().map(|k| (KeyOrigin::KeyFile, k))
        } else if used.contains(&KeyOrigin::Supplied) {
            a.keys
                .supplied_key
                .clone()
                .map(|k| (KeyOrigin::Supplied, k))
        } else {
            None
        };
        if let Some((origin, key)) = candidate {
            let value =
                SecretValue::new(key.expose_b64url().as_str()).expect("a key is never empty");
            match ctx.secrets.store_for_xworkmate(LOCAL_STATE_KEY, &value) {
                Ok(_) => {
                    changed = true;
                    if origin == KeyOrigin::KeyFile {
                        ctx.location
                            .refuse_links(&ctx.location.local_state_key_file())?;
                        fsutil::remove_durable(&ctx.location.local_state_key_file())?;
                        report.keys.key_file_moved = true;
                    } else {
                        report.keys.supplied_key_stored = true;
                    }
                }
                Err(kept) if origin == KeyOrigin::KeyFile => {
                    let path = ctx.location.local_state_key_file();
                    report.warnings.push(Notice::about(
                        NoticeCode::LegacyFileKept,
                        "local_state_key",
                        format!("{} stays where it is: {kept}", path.display()),
                    ));
                    report.secret_files_kept.push(crate::secret::KeptFile {
                        name: "local_state_key".into(),
                        path,
                        reason: kept.reason,
                    });
                }
                Err(kept) => report.warnings.push(Notice::new(
                    NoticeCode::KeyNotStored,
                    format!("the key could not be stored where XWorkmate reads it: {kept}"),
                )),
            }
        }
    }
    match ctx.secrets.migrate_legacy_files() {
        Ok(migration) => {
            changed |= !migration.moved.is_empty();
            report.secret_files_moved = migration.moved;
            for kept in migration.kept {
                report.warnings.push(Notice::about(
                    NoticeCode::LegacyFileKept,
                    kept.name.clone(),
                    format!(
                        "{} stays where it is: {}",
                        kept.path.display(),
                        kept.reason.sentence()
                    ),
                ));
                report.secret_files_kept.push(kept);
            }
            for name in migration.conflicts {
                report.warnings.push(Notice::about(NoticeCode::LegacyFileConflict, name.clone(), format!("the legacy file of {name} holds a different value than secure storage, so it was left in place")));
            }
        }
        Err(e) => report.warnings.push(Notice::new(
            NoticeCode::LegacyFilesNotMoved,
            format!("legacy secret files were not moved: {e}"),
        )),
    }
    if changed {
        let store = match store {
            Some(s) => s,
            None => SettingsStore::open(ctx.location, OpenOptions::default())?,
        };
        let status = match report.status {
            RecoveryStatus::Migrated => "Success",
            RecoveryStatus::LockedLegacyState => "Locked",
            _ => "Success",
        };
        let target = report
            .documents
            .iter()
            .filter(|o| o.action == DocumentAction::Recovered)
            .map(|o| o.document.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let target = if target.is_empty() {
            "legacy state".to_string()
        } else {
            target
        };
        if let Err(e) = store.append_audit(&AuditEntry::diagnostics("Recovered", &target, status)) {
            report.warnings.push(Notice::new(
                NoticeCode::AuditNotUpdated,
                format!("the audit trail was not updated: {e}"),
            ));
        }
    }
    Ok(())
}

fn save_last(location: &DataLocation, report: &RecoveryReport) -> Result<()> {
    if !location.data_dir().exists() {
        return Ok(());
    }
    // This tool's own folder: private (0700), whatever the umask.
    location.refuse_links(&location.last_recovery_file())?;
    fsutil::ensure_dir(&location.diagnostics_dir(), true)?;
    let last = LastRecovery {
        recorded_at_ms: fsutil::now_ms(),
        report: report.clone(),
    };
    let text = serde_json::to_vec_pretty(&last).expect("reports serialize");
    fsutil::write_atomic(&location.last_recovery_file(), &text, Some(0o600))
}

/// The last real recovery run kept for support, if any.
pub fn last_report(location: &DataLocation) -> Result<Option<LastRecovery>> {
    let path = location.last_recovery_file();
    match fsutil::read_optional(&path)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
            StoreError::invalid(
                path.display().to_string(),
                format!("unreadable report: {e}"),
            )
        }),
    }
}

/// Result of testing a candidate key without writing anything.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyTest {
    /// The text is base64url of exactly 32 bytes.
    pub valid: bool,
    /// Locked sources (before) that this key opens.
    pub opens: Vec<SourceReport>,
    /// Locked sources this key does not open.
    pub still_locked: Vec<SourceReport>,
    /// What recovery with this key would do.
    pub would_recover: Vec<DocKind>,
}

/// Tests a candidate key against the locked sources. Writes nothing.
pub fn test_key(location: &DataLocation, secrets: &SecretStore, key: &str) -> KeyTest {
    if LocalStateKey::from_b64url(key).is_none() {
        return KeyTest {
            valid: false,
            opens: Vec::new(),
            still_locked: Vec::new(),
            would_recover: Vec::new(),
        };
    }
    let before = assess(&RecoveryContext {
        location,
        secrets,
        supplied_key: None,
    });
    let after = assess(&RecoveryContext {
        location,
        secrets,
        supplied_key: Some(key),
    });
    let mut opens = Vec::new();
    let mut still_locked = Vec::new();
    for s in after.sources.iter() {
        let was_locked = before
            .sources
            .iter()
            .any(|b| b.path == s.path && b.state == SourceState::Locked);
        if s.opened_with == Some(KeyOrigin::Supplied) {
            opens.push(s.clone());
        } else if was_locked && s.state == SourceState::Locked {
            still_locked.push(s.clone());
        }
    }
    let would_recover = after
        .documents
        .iter()
        .filter(|d| {
            d.action == DocumentAction::Recovered
                && d.from
                    .as_ref()
                    .is_some_and(|f| opens.iter().any(|o| &o.path == f))
        })
        .map(|d| d.document)
        .collect();
    KeyTest {
        valid: true,
        opens,
        still_locked,
        would_recover,
    }
}

/// A document's text the way a dry run opens it: the current readable value
/// (SQLite, else the mirror), else the first legacy source the plan would
/// recover it from (with the stored keys and the supplied one). Read-only:
/// nothing is written, moved or migrated. `Ok(None)` when there is none; an
/// error when it is there but no key opens it.
pub fn open_document(ctx: &RecoveryContext<'_>, doc: DocKind) -> Result<Option<String>> {
    if let Some(d) = crate::settings::read_document_readonly(ctx.location, doc)? {
        return Ok(Some(d.text));
    }
    let a = analyze(ctx, true, &Progress::new());
    let p = plan(&a);
    if let Some((_, payload, _)) = p.writes.iter().find(|(d, _, _)| *d == doc) {
        return payload
            .load(doc, &a.keys)
            .map(|(text, _)| Some(text.into_owned()));
    }
    if p.outcomes
        .iter()
        .any(|o| o.document == doc && o.action == DocumentAction::Locked)
    {
        return Err(StoreError::invalid(
            doc.as_str(),
            "it is sealed legacy state and no key opens it: give the key that sealed it (--key or --key-file)",
        ));
    }
    Ok(None)
}

/// XWorkmate's load flow for one document: SQLite → mirror → legacy recovery.
pub fn load_with_recovery(
    store: &SettingsStore,
    secrets: &SecretStore,
    doc: DocKind,
) -> Result<(Option<crate::settings::LoadedDoc>, Option<RecoveryReport>)> {
    if let Some(d) = store.load_document(doc)? {
        return Ok((Some(d), None));
    }
    let report = run(
        &RecoveryContext {
            location: store.location(),
            secrets,
            supplied_key: None,
        },
        false,
    );
    Ok((store.read_document(doc)?, Some(report)))
}
