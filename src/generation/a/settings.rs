//! SettingsStore (spec §3, §4): SQLite first, then the plain-JSON durable mirror,
//! both written crash-safely; the audit trail; the serialized thread queue.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::{ConfigDb, Entry, AUDIT_KEY};
use crate::document::{self, DocKind, Stored, Summary};
use crate::error::{Result, StoreError};
use crate::fsutil;
use crate::paths::DataLocation;

/// Reads a document read-only, in the read order SQLite → mirror (only readable
/// plain values count). Opens SQLite read-only and creates nothing; this is what
/// the diagnostics surfaces (`settings show`, `threads list`) use.
pub fn read_document_readonly(location: &DataLocation, doc: DocKind) -> Result<Option<LoadedDoc>> {
    // An unreadable database is passed over like a missing entry: the read
    // order goes on to the mirror (inspect reports the damage).
    let entry = ConfigDb::open_ro(&location.database())
        .ok()
        .flatten()
        .and_then(|db| db.get(doc.storage_key()).ok().flatten());
    {
        if let Some(entry) = entry {
            if let Stored::Plain(summary) = document::classify(doc, &entry.value) {
                return Ok(Some(LoadedDoc {
                    text: entry.value.trim().to_string(),
                    source: DocSource::Database,
                    summary,
                }));
            }
        }
    }
    read_mirror(location, doc)
}

/// The summary of a document, read read-only in the same order as
/// [`read_document_readonly`], as a stream: a thread list of any size is never
/// held whole (`threads list`, the app's thread list).
pub fn read_summary_readonly(
    location: &DataLocation,
    doc: DocKind,
) -> Result<Option<(DocSource, document::Summary)>> {
    // Read on another thread while this one parses (`stream::read_ahead`).
    let summarise = |produce: &(dyn Fn(&mut crate::stream::Pump) -> std::io::Result<()> + Sync)| {
        crate::stream::read_ahead(
            |pump| produce(pump),
            |r| document::classify_checked_stream(doc, r),
        )
    };
    if let Some(db) = ConfigDb::open_ro(&location.database()).ok().flatten() {
        if db.open_value(doc.storage_key()).ok().flatten().is_some() {
            let db = std::sync::Mutex::new(db);
            let produce = |pump: &mut crate::stream::Pump| {
                let db = db
                    .lock()
                    .map_err(|_| std::io::Error::other("the database reader stopped"))?;
                let value = db
                    .open_value(doc.storage_key())
                    .map_err(std::io::Error::other)?
                    .ok_or_else(|| std::io::Error::other("the value is gone"))?;
                pump.copy_from(value)
            };
            if let Ok(Stored::Plain(summary)) = summarise(&produce) {
                return Ok(Some((DocSource::Database, summary)));
            }
        }
    }
    let path = doc.mirror_path(location);
    if fsutil::check_readable(&path)?.is_none() {
        return Ok(None);
    }
    let produce = |pump: &mut crate::stream::Pump| pump.copy_from(std::fs::File::open(&path)?);
    match summarise(&produce) {
        Ok(Stored::Plain(summary)) => Ok(Some((DocSource::Mirror, summary))),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Err(StoreError::invalid(
            path.display().to_string(),
            "not UTF-8 text",
        )),
        Err(e) => Err(StoreError::io("cannot read", &path, e)),
    }
}

fn read_mirror(location: &DataLocation, doc: DocKind) -> Result<Option<LoadedDoc>> {
    if let Some(text) = fsutil::read_optional(&doc.mirror_path(location))? {
        if let Stored::Plain(summary) = document::classify(doc, &text) {
            return Ok(Some(LoadedDoc {
                text: text.trim().to_string(),
                source: DocSource::Mirror,
                summary,
            }));
        }
    }
    Ok(None)
}

/// Options for opening a SettingsStore.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenOptions {
    /// When the database cannot be opened anywhere, use an in-memory database
    /// instead of failing (only when asked for explicitly).
    pub allow_in_memory_fallback: bool,
    /// When the given data dir cannot be used, try the OS default location
    /// (XWorkmate's own behaviour; the diagnostics tools never set it, so they
    /// never write somewhere the user did not point them to).
    pub fallback_to_default_location: bool,
}

/// Where a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocSource {
    Database,
    Mirror,
    None,
}

/// A readable document and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedDoc {
    pub text: String,
    pub source: DocSource,
    pub summary: Summary,
}

impl LoadedDoc {
    pub fn value(&self) -> Result<Value> {
        serde_json::from_str(&self.text)
            .map_err(|e| StoreError::invalid("stored document", e.to_string()))
    }
}

/// One audit trail entry (spec §4).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub time_label: String,
    pub action: String,
    pub provider: String,
    pub target: String,
    pub module: String,
    pub status: String,
}

impl AuditEntry {
    /// An entry by the diagnostics tools, stamped with the local time.
    pub fn diagnostics(action: &str, target: &str, status: &str) -> Self {
        AuditEntry {
            time_label: chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
            action: action.into(),
            provider: "Local state".into(),
            target: target.into(),
            module: "Diagnostics".into(),
            status: status.into(),
        }
    }
}

/// Maximum audit trail length.
pub const AUDIT_LIMIT: usize = 40;

/// The SettingsStore of one data dir (write side; see [`crate::inspect`] for the
/// read-only side).
#[derive(Debug)]
pub struct SettingsStore {
    location: DataLocation,
    db: Mutex<ConfigDb>,
    in_memory: bool,
}

impl SettingsStore {
    /// Opens the store, creating the data dir (0700) and database on first use.
    /// Fails fast, naming every path tried, unless the options allow fallbacks.
    pub fn open(location: &DataLocation, options: OpenOptions) -> Result<Self> {
        let mut candidates = vec![location.clone()];
        if options.fallback_to_default_location && location.is_explicit() {
            if let Ok(default) = DataLocation::resolve_with(None, None) {
                if default != *location {
                    candidates.push(default);
                }
            }
        }
        let mut tried: Vec<(PathBuf, String)> = Vec::new();
        for candidate in candidates {
            let path = candidate.database();
            let opened = candidate
                .refuse_links(&path)
                .and_then(|_| {
                    fsutil::ensure_dir(candidate.data_dir(), !candidate.data_dir().exists())
                })
                .and_then(|_| ConfigDb::open_rw(&path));
            match opened {
                Ok(db) => {
                    return Ok(Self {
                        location: candidate,
                        db: Mutex::new(db),
                        in_memory: false,
                    })
                }
                Err(e) => tried.push((path, e.to_string())),
            }
        }
        if options.allow_in_memory_fallback {
            return Ok(Self {
                location: location.clone(),
                db: Mutex::new(ConfigDb::open_in_memory()?),
                in_memory: true,
            });
        }
        Err(StoreError::DatabaseUnavailable { tried })
    }

    /// The data dir actually in use (differs from the requested one only after a
    /// default-location fallback).
    pub fn location(&self) -> &DataLocation {
        &self.location
    }

    /// True when running on the explicitly allowed in-memory fallback.
    pub fn is_in_memory(&self) -> bool {
        self.in_memory
    }

    fn db(&self) -> std::sync::MutexGuard<'_, ConfigDb> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The raw SQLite entry of a storage key.
    pub fn entry(&self, key: &str) -> Result<Option<Entry>> {
        self.db().get(key)
    }

    /// Upserts a raw SQLite entry (unknown keys are written as given).
    pub fn put_entry(&self, key: &str, value: &str) -> Result<()> {
        self.db().upsert(key, value, fsutil::now_ms())
    }

    /// Reads a document in the read order SQLite → mirror; only readable plain
    /// values count. Never writes.
    pub fn read_document(&self, doc: DocKind) -> Result<Option<LoadedDoc>> {
        if let Some(entry) = self.entry(doc.storage_key())? {
            if let Stored::Plain(summary) = document::classify(doc, &entry.value) {
                return Ok(Some(LoadedDoc {
                    text: entry.value,
                    source: DocSource::Database,
                    summary,
                }));
            }
        }
        read_mirror(&self.location, doc)
    }

    /// XWorkmate's load: SQLite, else the mirror — and a mirror value restores a
    /// missing or unreadable SQLite entry. (Legacy recovery on top of this is
    /// [`crate::recovery::load_with_recovery`].)
    pub fn load_document(&self, doc: DocKind) -> Result<Option<LoadedDoc>> {
        let loaded = self.read_document(doc)?;
        if let Some(l) = &loaded {
            if l.source == DocSource::Mirror {
                self.put_entry(doc.storage_key(), &l.text)?;
            }
        }
        Ok(loaded)
    }

    /// Writes a document: validated, trimmed, to SQLite, then to the mirror
    /// (temp + fsync + rename + folder fsync). The text is stored as given, so
    /// every field and its order survive.
    pub fn write_document(&self, doc: DocKind, text: &str) -> Result<()> {
        let text = text.trim();
        document::validate(doc, text).map_err(|why| StoreError::invalid(doc.as_str(), why))?;
        self.write_document_checked(doc, text)
    }

    /// [`SettingsStore::write_document`] of a trimmed text this run has
    /// checked already as it read it (recovery's opened sealed value: the
    /// same key and tag as when it was parsed), so it is not parsed again.
    pub(crate) fn write_document_checked(&self, doc: DocKind, text: &str) -> Result<()> {
        self.put_entry(doc.storage_key(), text)?;
        if !self.in_memory {
            self.location
                .refuse_links(&doc.mirror_path(&self.location))?;
            fsutil::write_atomic(
                &doc.mirror_path(&self.location),
                text.as_bytes(),
                Some(0o600),
            )?;
        }
        Ok(())
    }

    pub fn load_settings(&self) -> Result<Option<Value>> {
        self.load_document(DocKind::Settings)?
            .map(|d| d.value())
            .transpose()
    }

    pub fn save_settings(&self, settings: &Value) -> Result<()> {
        let text = serde_json::to_string(settings)
            .map_err(|e| StoreError::invalid("settings", e.to_string()))?;
        self.write_document(DocKind::Settings, &text)
    }

    pub fn load_threads(&self) -> Result<Option<Value>> {
        self.load_document(DocKind::Threads)?
            .map(|d| d.value())
            .transpose()
    }

    pub fn save_threads(&self, threads: &Value) -> Result<()> {
        let text = serde_json::to_string(threads)
            .map_err(|e| StoreError::invalid("threads", e.to_string()))?;
        document::validate_to_save(DocKind::Threads, &text)
            .map_err(|why| StoreError::invalid("threads", why))?;
        self.write_document(DocKind::Threads, &text)
    }

    /// The audit trail, newest first. An unreadable trail is an error, not an
    /// empty list.
    pub fn audit_trail(&self) -> Result<Vec<Value>> {
        match self.entry(AUDIT_KEY)? {
            None => Ok(Vec::new()),
            Some(e) => match serde_json::from_str::<Value>(&e.value) {
                Ok(Value::Array(a)) => Ok(a),
                _ => Err(StoreError::invalid("audit trail", "not a JSON array")),
            },
        }
    }

    /// Prepends an entry to the audit trail and keeps the newest 40, in one
    /// transaction. An unreadable trail is left untouched (error).
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<()> {
        let new = serde_json::to_value(entry).expect("audit entries serialize");
        let now = fsutil::now_ms();
        let mut db = self.db();
        let mut unreadable = false;
        db.with_transaction(|tx| {
            let current: Option<String> = tx
                .query_row(
                    "SELECT value FROM config_entries WHERE storage_key = ?1",
                    [AUDIT_KEY],
                    |r| r.get(0),
                )
                .or_else(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })?;
            let mut list = match current.as_deref().map(serde_json::from_str::<Value>) {
                None => Vec::new(),
                Some(Ok(Value::Array(a))) => a,
                Some(_) => {
                    unreadable = true;
                    return Ok(());
                }
            };
            list.insert(0, new);
            list.truncate(AUDIT_LIMIT);
            let text = Value::Array(list).to_string();
            tx.execute(
                "INSERT INTO config_entries (storage_key, value, updated_at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT(storage_key) DO UPDATE SET value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                rusqlite::params![AUDIT_KEY, text, now],
            )?;
            Ok(())
        })?;
        if unreadable {
            return Err(StoreError::invalid(
                "audit trail",
                "the stored trail is not a JSON array; it was left untouched",
            ));
        }
        Ok(())
    }
}

// -------------------------------------------------------------- thread queue

type Job = (Value, tokio::sync::oneshot::Sender<Result<()>>);

/// Serializes thread-list saves: saves are written in the order they were
/// submitted, by one worker, and a save that is overtaken by a newer one
/// before its turn is coalesced into it — so a late write can never overwrite
/// a newer thread list.
pub struct ThreadPersistQueue {
    tx: std::sync::mpsc::Sender<Job>,
}

impl ThreadPersistQueue {
    pub fn new(store: Arc<SettingsStore>) -> Self {
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("thread-persist".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    while let Ok(next) = rx.try_recv() {
                        batch.push(next);
                    }
                    // The newest valid list in the batch is written; older ones
                    // are superseded by it; invalid ones fail on their own.
                    let mut verdicts: Vec<Option<Result<()>>> =
                        batch.iter().map(|_| None).collect();
                    // Every save is validated; the newest valid one is written.
                    let mut chosen = None;
                    for (i, (value, _)) in batch.iter().enumerate() {
                        match document::classify_value(DocKind::Threads, value) {
                            Stored::Plain(_) => chosen = Some(i),
                            Stored::Unreadable(why) | Stored::Malformed(why) => {
                                verdicts[i] = Some(Err(StoreError::invalid("thread list", why)))
                            }
                            Stored::Sealed(_) => {
                                verdicts[i] = Some(Err(StoreError::invalid(
                                    "thread list",
                                    "sealed values are never written",
                                )))
                            }
                        }
                    }
                    let chosen =
                        chosen.map(|i| serde_json::to_string(&batch[i].0).unwrap_or_default());
                    let written = chosen.map(|text| store.write_document(DocKind::Threads, &text));
                    for (i, (_, done)) in batch.into_iter().enumerate() {
                        let verdict = verdicts[i].take().unwrap_or_else(|| match &written {
                            Some(Ok(())) => Ok(()),
                            Some(Err(e)) => Err(StoreError::invalid("thread save", e.to_string())),
                            None => Err(StoreError::invalid("thread save", "no list was written")),
                        });
                        let _ = done.send(verdict);
                    }
                }
            })
            .expect("cannot start the thread-persist worker");
        Self { tx }
    }

    /// Queues a save. The order of calls is the order of writes: the call
    /// enqueues immediately; the returned future resolves once the list (or a
    /// newer one) is on disk.
    pub fn save(&self, threads: Value) -> impl std::future::Future<Output = Result<()>> + Send {
        let (done, wait) = tokio::sync::oneshot::channel();
        let sent = self.tx.send((threads, done));
        async move {
            if sent.is_err() {
                return Err(StoreError::invalid(
                    "thread save",
                    "the persist worker stopped",
                ));
            }
            wait.await.unwrap_or_else(|_| {
                Err(StoreError::invalid(
                    "thread save",
                    "the persist worker stopped",
                ))
            })
        }
    }
}
