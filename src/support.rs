//! Support surfaces: the locked-recovery report (`report`) and the redacted
//! support report (`export-report`), which carries presence only — no secret,
//! no mask, no message text, no thread title, no account name.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::generation::GenerationId;

use crate::error::{Result, StoreError};
use crate::fsutil;
use crate::inspect::{self, Integrity, Relation, Warning};
use crate::paths::{DataDirOrigin, DataLocation};
use crate::progress::Progress;
use crate::recovery::{self, LastRecovery, RecoveryContext, RecoveryReport};
use crate::secret::{Backend, KeyringHealth, SecretStore};

/// The read-only locked-recovery report: what recovery would find, plus the
/// last real run.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockedRecoveryReport {
    #[serde(flatten)]
    pub assessment: RecoveryReport,
    pub last_recovery: Option<LastRecovery>,
    /// Why the last run's record could not be read, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub last_recovery_error: Option<String>,
    /// The XWorkmate generations in the folder, oldest first: legacy recovery
    /// concerns generation A's data only, which a newer current generation
    /// (the last) does not read.
    pub generations_present: Vec<GenerationId>,
}

/// One generation in the support report: counts and finding codes only.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerationPresence {
    pub id: GenerationId,
    pub current: bool,
    pub versions: String,
    pub settings_present: bool,
    pub settings_readable: bool,
    /// Threads that version will show.
    pub thread_count: usize,
    /// Thread records on disk.
    pub threads_stored: usize,
    pub secrets_present: usize,
    pub audit_entries: Option<usize>,
    pub findings: Vec<FindingPresence>,
}

/// A finding in the support report: its code and the file (a secret file's
/// name, which encodes its key, is shown as `secrets/` only).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingPresence {
    pub code: crate::FindingCode,
    pub path: String,
}

pub fn locked_report(location: &DataLocation, secrets: &SecretStore) -> LockedRecoveryReport {
    locked_report_with_progress(location, secrets, &Progress::new())
        .expect("a report nobody can cancel is not cancelled")
}

/// [`locked_report`], counting what it reads into `progress`; `Cancelled`
/// when a cancel stopped it.
pub fn locked_report_with_progress(
    location: &DataLocation,
    secrets: &SecretStore,
    progress: &Progress,
) -> Result<LockedRecoveryReport> {
    let assessment = recovery::assess_with_progress(
        &RecoveryContext {
            location,
            secrets,
            supplied_key: None,
        },
        progress,
    )?;
    Ok(locked_report_of(location, assessment))
}

fn locked_report_of(
    location: &DataLocation,
    assessment: recovery::RecoveryReport,
) -> LockedRecoveryReport {
    let (last_recovery, last_recovery_error) = match recovery::last_report(location) {
        Ok(l) => (l, None),
        Err(e) => (None, Some(e.to_string())),
    };
    LockedRecoveryReport {
        assessment,
        last_recovery,
        last_recovery_error,
        generations_present: crate::generation::locate(location)
            .into_iter()
            .map(|l| l.id)
            .collect(),
    }
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretPresence {
    pub name: String,
    pub present: bool,
    pub backend: Backend,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoragePresence {
    pub storage_key: String,
    pub sqlite: inspect::Form,
    pub sqlite_bytes: Option<u64>,
    pub mirror: Option<inspect::Form>,
    pub mirror_bytes: Option<u64>,
    pub relation: Relation,
}

/// The redacted support report.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportReport {
    /// The report format's version ([`REPORT_VERSION`]); `report --from`
    /// refuses a newer one.
    #[serde(default = "first_version")]
    pub report_version: u64,
    pub generated_at_ms: i64,
    pub tool: String,
    pub os: String,
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub data_dir: PathBuf,
    pub data_dir_origin: DataDirOrigin,
    pub data_dir_exists: bool,
    pub database_integrity: Integrity,
    pub database_problem: Option<String>,
    pub storage: Vec<StoragePresence>,
    pub settings_present: bool,
    pub settings_source: inspect::Source,
    pub app_language: Option<String>,
    pub gateway_profile_count: usize,
    pub threads_present: bool,
    pub thread_count: usize,
    pub archived_thread_count: usize,
    pub message_count: usize,
    pub secrets: Vec<SecretPresence>,
    pub keyring: Option<KeyringHealth>,
    pub legacy_secret_file_count: usize,
    pub backup_schema_version: Option<i64>,
    pub shared_preferences_keys: Vec<String>,
    pub key_in_secure_storage: bool,
    pub key_file_present: bool,
    pub audit_entries: usize,
    pub recovery: RecoveryReport,
    pub last_recovery: Option<LastRecovery>,
    pub warnings: Vec<Warning>,
    /// Every XWorkmate generation in the folder, the current one first.
    pub generations: Vec<GenerationPresence>,
    /// What to do, per locked source (the lines the app shows, in English),
    /// so that support can read the report offline.
    #[serde(default)]
    pub next_steps: Vec<NextStep>,
}

/// One "what to do" line of a report.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NextStep {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub reason: crate::recovery::LockReason,
    pub what_to_do: String,
}

/// The app's "what to do" for a lock reason, in English.
pub fn what_to_do(reason: crate::recovery::LockReason) -> &'static str {
    use crate::recovery::LockReason::*;
    match reason {
        KeyMissing => "No key was found on this computer. Find the key of the old installation (gateway-auth/local-state-key.txt in a backup, or the old computer's keyring) and test it under Legacy recovery.",
        KeyMismatch => "A key was found, but it belongs to another installation. Test the key of the installation that wrote this data under Legacy recovery.",
        KeyInvalid => "The key that was found is damaged or is not a key. Paste the right key under Legacy recovery.",
        Malformed => "The sealed data itself is damaged, so no key can open it. Send the report to support; if the data is not needed, Clear lets XWorkmate start fresh.",
    }
}

/// The version of the support report this build writes and reads.
pub const REPORT_VERSION: u64 = 1;

fn first_version() -> u64 {
    1
}

/// Reads a support report a user exported (`report --from`, the app's "Open a
/// report…"): a file that is not one is `not_a_report`, one of a newer version
/// `unsupported_report_version`. Nothing of this machine is looked at.
pub fn open_report(path: &Path) -> Result<SupportReport> {
    let not = |why: String| StoreError::NotAReport {
        path: path.to_path_buf(),
        why,
    };
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| StoreError::io("cannot read", path, e))?;
    if !meta.is_file() {
        return Err(not("not a regular file".into()));
    }
    if meta.len() > 256 << 20 {
        return Err(not("far larger than any report".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| StoreError::io("cannot read", path, e))?;
    let v: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| not(format!("not JSON ({})", crate::document::json_error(&e))))?;
    let obj = v
        .as_object()
        .ok_or_else(|| not("not a JSON object".into()))?;
    let is_ours = obj
        .get("tool")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|t| t.starts_with("xworkmate-diagnostics"));
    if !is_ours || !obj.contains_key("recovery") {
        return Err(not(
            "no `tool` of xworkmate-diagnostics or no `recovery`: not an exported support report (a clear backup, or another program's file?)".into(),
        ));
    }
    let version = obj
        .get("reportVersion")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(1);
    if version > REPORT_VERSION {
        return Err(StoreError::UnsupportedReportVersion {
            path: path.to_path_buf(),
            version,
            supported: REPORT_VERSION,
        });
    }
    serde_json::from_value(v).map_err(|e| {
        not(format!(
            "its fields do not fit ({})",
            crate::document::json_error(&e)
        ))
    })
}

/// Builds the redacted support report. Read-only.
pub fn support_report(location: &DataLocation, secrets: &SecretStore) -> SupportReport {
    support_report_with_progress(location, secrets, &Progress::new())
        .expect("a report nobody can cancel is not cancelled")
}

/// [`support_report`], counting what it reads into `progress`: recovery's
/// sources as they are read, then the store's documents (counted once
/// inspecting them is done: it reads each once). A cancel stops it
/// (`Cancelled`) while recovery's sources are read and after each part.
pub fn support_report_with_progress(
    location: &DataLocation,
    secrets: &SecretStore,
    progress: &Progress,
) -> Result<SupportReport> {
    let documents: u64 = std::iter::once(location.database())
        .chain(crate::document::DocKind::ALL.map(|d| d.mirror_path(location)))
        .map(|p| fsutil::FileMeta::of(&p).size.unwrap_or(0))
        .sum();
    // Known before anything is counted, so the bar never goes back.
    progress.add_total(documents);
    let locked = locked_report_with_progress(location, secrets, progress)?;
    let i = inspect::inspect(location, secrets);
    progress.advance(documents);
    progress.go_on()?;
    Ok(report_of(i, locked))
}

fn report_of(i: inspect::Inspection, locked: LockedRecoveryReport) -> SupportReport {
    SupportReport {
        report_version: REPORT_VERSION,
        generated_at_ms: fsutil::now_ms(),
        tool: format!("xworkmate-diagnostics {}", env!("CARGO_PKG_VERSION")),
        os: std::env::consts::OS.to_string(),
        data_dir: i.data_dir,
        data_dir_origin: i.data_dir_origin,
        data_dir_exists: i.data_dir_exists,
        database_integrity: i.database.integrity,
        database_problem: i.database.problem,
        storage: i
            .storage
            .iter()
            .map(|s| StoragePresence {
                storage_key: s.storage_key.clone(),
                sqlite: s.sqlite.form,
                sqlite_bytes: s.sqlite.bytes,
                mirror: s.mirror.as_ref().map(|m| m.form),
                mirror_bytes: s.mirror.as_ref().and_then(|m| m.bytes),
                relation: s.relation,
            })
            .collect(),
        settings_present: i.settings.present,
        settings_source: i.settings.source,
        app_language: i
            .settings
            .summary
            .as_ref()
            .and_then(|s| s.app_language.clone()),
        gateway_profile_count: i
            .settings
            .summary
            .as_ref()
            .map_or(0, |s| s.gateway_profiles.len()),
        threads_present: i.threads.present,
        thread_count: i.threads.count,
        archived_thread_count: i.threads.archived,
        message_count: i.threads.messages,
        secrets: i
            .secrets
            .entries
            .iter()
            .map(|e| SecretPresence {
                name: e.name.clone(),
                present: e.present,
                backend: e.backend,
            })
            .collect(),
        keyring: i.secrets.keyring,
        legacy_secret_file_count: i.secrets.legacy_files.len(),
        backup_schema_version: i.legacy.backup.as_ref().and_then(|b| b.schema_version),
        shared_preferences_keys: i
            .legacy
            .shared_preferences
            .map(|p| p.xworkmate_keys)
            .unwrap_or_default(),
        key_in_secure_storage: i.legacy.key_in_secure_storage,
        key_file_present: i.legacy.key_file_present,
        audit_entries: i.audit.entries,
        next_steps: locked
            .assessment
            .sources
            .iter()
            .filter_map(|s| {
                s.reason.map(|reason| NextStep {
                    path: s.path.clone(),
                    reason,
                    what_to_do: what_to_do(reason).to_string(),
                })
            })
            .collect(),
        recovery: locked.assessment,
        last_recovery: locked.last_recovery,
        warnings: i.warnings,
        generations: i
            .generations
            .iter()
            .map(|g| GenerationPresence {
                id: g.id,
                current: g.current,
                versions: g.versions.clone(),
                settings_present: g.settings.present,
                settings_readable: g.settings.readable,
                thread_count: g.threads.count,
                threads_stored: g.threads.stored,
                secrets_present: g.secrets.iter().filter(|s| s.present).count(),
                audit_entries: g.audit.entries,
                findings: g
                    .findings
                    .iter()
                    .map(|f| FindingPresence {
                        code: f.code,
                        path: if f.path.starts_with("secrets/") {
                            "secrets/".into()
                        } else {
                            f.path.clone()
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Writes the redacted support report to `out` (crash-safe), and returns it.
pub fn export(location: &DataLocation, secrets: &SecretStore, out: &Path) -> Result<SupportReport> {
    export_with_progress(location, secrets, out, &Progress::new())
}

/// [`export`], with its progress (see [`support_report_with_progress`], then
/// the file written); a cancel is honoured until the file is written whole
/// under its temporary name — then no file is left — and refused from then
/// on, while it is synced and linked in under its name.
pub fn export_with_progress(
    location: &DataLocation,
    secrets: &SecretStore,
    out: &Path,
    progress: &Progress,
) -> Result<SupportReport> {
    let report = support_report_with_progress(location, secrets, progress)?;
    let bytes = serde_json::to_vec_pretty(&report)
        .map_err(|e| StoreError::invalid("support report", e.to_string()))?;
    progress.add_total(bytes.len() as u64);
    // Never over an existing file (refused with the path named).
    fsutil::write_new_with(out, Some(0o600), |f| {
        crate::progress::write_all_counted(f, &bytes, progress)?;
        if !progress.writing() {
            return Err(crate::progress::cancelled_error());
        }
        Ok(())
    })
    .map_err(crate::progress::cancelled_or)?;
    Ok(report)
}
