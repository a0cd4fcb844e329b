//! Typed errors of the store. Every variant has a stable machine code (see
//! [`StoreError::code`]) that the CLI's `--json` output and the app's IPC
//! errors carry, so that front ends never classify errors by message text.

use std::path::PathBuf;

pub use crate::codes::{ErrorCode, NoticeCode};

/// Errors of the persistence core.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No data dir could be determined (no explicit path, no environment variable,
    /// no home directory).
    #[error("cannot determine the XWorkmate data folder: no --data-dir, no XWORKMATE_DATA_DIR and no home directory")]
    NoDataDir,

    /// The database could not be opened at any candidate path.
    #[error("cannot open the settings database; tried: {}", display_paths(tried))]
    DatabaseUnavailable {
        /// Every path tried, with the reason it failed.
        tried: Vec<(PathBuf, String)>,
    },

    /// A SQLite error on an open database.
    #[error("database error in {path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// A file system error, with the path at fault.
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Input that is not what it should be (e.g. a settings document that is not a
    /// JSON object). `what` names the input.
    #[error("invalid {what}: {message}")]
    InvalidInput { what: String, message: String },

    /// A candidate key that is not base64url of exactly 32 bytes.
    #[error("the key is not valid: it must be base64url text of exactly 32 bytes")]
    KeyInvalid,

    /// The secure storage backend failed.
    #[error("secure storage ({backend}) failed: {message}")]
    SecureStorage { backend: String, message: String },

    /// XWorkmate is running on the data dir: it would undo (or half undo) any
    /// write, so nothing is written (spec §8).
    #[error("XWorkmate is running (process {pid}, {name}) and uses this data folder: quit XWorkmate first, then try again; nothing was changed")]
    XWorkmateRunning { pid: u32, name: String },

    /// A newer XWorkmate generation is current in this folder: generation A's
    /// files are no longer read by the installed XWorkmate, so nothing is
    /// written into them (recovery and saves would write where it will not look).
    #[error("this folder's XWorkmate is {versions} (generation {current}), which does not read generation A's files (XWorkmate 0.6.1): nothing was written; preview, test a key or export the threads instead")]
    NewerGenerationCurrent {
        current: crate::generation::GenerationId,
        versions: &'static str,
    },

    /// The generation asked for is not in this folder, or cannot be cleared.
    #[error("{0}")]
    NoSuchGeneration(String),

    /// A file this tool would write (a backup, an export) already exists: it
    /// is never replaced.
    #[error("{what} {} already exists: it is never replaced; choose another name", path.display())]
    OutputExists { what: String, path: PathBuf },

    /// A file this tool would write is inside a data folder, where XWorkmate
    /// or a clear could remove or overwrite it.
    #[error("{what} {} is inside the data folder {}: choose a place outside it (XWorkmate or a clear could remove or overwrite what is there)", path.display(), folder.display())]
    OutputInsideDataFolder {
        what: String,
        path: PathBuf,
        folder: PathBuf,
    },

    /// A part of a clear (threads only, settings only, archived or older
    /// threads) cannot be done here (`0` says why); nothing was removed.
    #[error("{0}")]
    SelectiveClearUnavailable(String),

    /// A file given as a clear backup is not one (`what` says why).
    #[error("{path} is not a backup made by clear: {why}")]
    NotABackup { path: PathBuf, why: String },

    /// A restore would replace readable current data without `replace`.
    #[error("restoring would replace data that is readable now ({0}); nothing was written — ask for it with --replace (the current data is backed up first)")]
    RestoreConflict(String),

    /// A file given as a support report is not one.
    #[error("{path} is not a support report: {why}")]
    NotAReport { path: PathBuf, why: String },

    /// A support report of a newer version.
    #[error("{path} is a support report of version {version}; this tool reads version {supported} and older — update it")]
    UnsupportedReportVersion {
        path: PathBuf,
        version: u64,
        supported: u64,
    },

    /// The operation was cancelled before it wrote anything.
    #[error("cancelled before anything was written")]
    Cancelled,

    /// The caller asked to write with a plan that no longer matches the disk.
    #[error("the clear plan is out of date: {0}; make a new plan")]
    StalePlan(String),
}

fn display_paths(tried: &[(PathBuf, String)]) -> String {
    tried
        .iter()
        .map(|(p, why)| format!("{} ({why})", p.display()))
        .collect::<Vec<_>>()
        .join("; ")
}

impl StoreError {
    /// A stable, machine-readable code for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            StoreError::NoDataDir => ErrorCode::NoDataDir,
            StoreError::DatabaseUnavailable { .. } => ErrorCode::DatabaseUnavailable,
            StoreError::Database { .. } => ErrorCode::DatabaseError,
            StoreError::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound => ErrorCode::NotFound,
                std::io::ErrorKind::PermissionDenied => ErrorCode::PermissionDenied,
                std::io::ErrorKind::AlreadyExists => ErrorCode::AlreadyExists,
                _ => ErrorCode::IoError,
            },
            StoreError::InvalidInput { .. } => ErrorCode::InvalidInput,
            StoreError::KeyInvalid => ErrorCode::KeyInvalid,
            StoreError::SecureStorage { .. } => ErrorCode::SecureStorageError,
            StoreError::StalePlan(_) => ErrorCode::StalePlan,
            StoreError::Cancelled => ErrorCode::Cancelled,
            StoreError::XWorkmateRunning { .. } => ErrorCode::XworkmateRunning,
            StoreError::NoSuchGeneration(_) => ErrorCode::NoSuchGeneration,
            StoreError::OutputExists { .. } => ErrorCode::AlreadyExists,
            StoreError::OutputInsideDataFolder { .. } => ErrorCode::InvalidInput,
            StoreError::SelectiveClearUnavailable(_) => ErrorCode::SelectiveClearUnavailable,
            StoreError::NotABackup { .. } => ErrorCode::NotABackup,
            StoreError::RestoreConflict(_) => ErrorCode::RestoreConflict,
            StoreError::NotAReport { .. } => ErrorCode::NotAReport,
            StoreError::UnsupportedReportVersion { .. } => ErrorCode::UnsupportedReportVersion,
            StoreError::NewerGenerationCurrent { .. } => ErrorCode::NewerGenerationCurrent,
        }
    }

    /// True for SQLite's "busy" and "locked": another program holds the
    /// database; nothing is wrong with it.
    pub fn is_lock(&self) -> bool {
        matches!(
            self,
            StoreError::Database { source, .. } if matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        )
    }

    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn db(path: impl Into<PathBuf>, source: rusqlite::Error) -> Self {
        StoreError::Database {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn invalid(what: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::InvalidInput {
            what: what.into(),
            message: message.into(),
        }
    }
}

/// A non-fatal note of a write operation (clear plan/outcome, recovery
/// report): a stable code the front ends word in their own language, the
/// secret it concerns when it concerns one, and an English sentence for support.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub code: NoticeCode,
    /// The secret's name (spec §5), for codes about one secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub subject: Option<String>,
    pub message: String,
}

impl Notice {
    pub fn new(code: NoticeCode, message: impl Into<String>) -> Self {
        Self {
            code,
            subject: None,
            message: message.into(),
        }
    }

    pub fn about(code: NoticeCode, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            subject: Some(subject.into()),
            message: message.into(),
        }
    }
}

/// Result alias of the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
