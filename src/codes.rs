//! One typed code system. Every machine word the front ends act on — an
//! inspect finding, a notice of a write, an error — is a variant of one of the
//! enums here, serialized in `snake_case` and exported to TypeScript
//! (`ui/src/bindings/`), where the UI's word tables are `Record`s over these
//! unions: a code without words in either language fails the UI's build.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The code as it appears in JSON.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

codes! {
    /// What inspect found: a code per finding (`Inspection.warnings`, and each
    /// generation's `findings`).
    pub enum FindingCode {
        /// The data dir does not exist.
        DataDirMissing = "data_dir_missing",
        /// The database is damaged (`PRAGMA quick_check` failed, or not SQLite).
        DatabaseCorrupt = "database_corrupt",
        /// Another program holds a lock on the database; not damage.
        DatabaseLocked = "database_locked",
        /// The database cannot be read (permission, not a regular file).
        DatabaseUnreadable = "database_unreadable",
        /// A hot rollback journal: an interrupted write XWorkmate rolls back.
        InterruptedWrite = "interrupted_write",
        /// A document is sealed legacy state: run recovery.
        SealedLegacy = "sealed_legacy",
        /// A document's value cannot be read.
        UnreadableValue = "unreadable_value",
        /// The keyring could not be reached.
        KeyringUnavailable = "keyring_unavailable",
        /// A keyring item XWorkmate does not read (wrong schema).
        KeyringItemInvisible = "keyring_item_invisible",
        /// A secret could not be read.
        SecretUnreadable = "secret_unreadable",
        /// Legacy `gateway-auth/` secret files are present.
        LegacySecretFiles = "legacy_secret_files",
        /// XWorkmate is running on this folder.
        XworkmateRunning = "xworkmate_running",
        /// That XWorkmate version will ignore the settings file and overwrite
        /// it with defaults on its next save.
        WillResetToDefaults = "will_reset_to_defaults",
        /// Generation C: one record it cannot read hides every thread.
        WillDropAllThreads = "will_drop_all_threads",
        /// Generation B2: an index or task file of another version makes it
        /// delete every task file.
        WillDeleteTaskFiles = "will_delete_task_files",
        /// Generation D: a top-level `tasks/*.json` it cannot read is deleted
        /// at its next start.
        WillDeleteUnreadableTaskFiles = "will_delete_unreadable_task_files",
        /// A `*.tmp-*` file left by a crash.
        StaleTempFile = "stale_temp_file",
        /// A secret file or folder readable by others.
        SecretFileMode = "secret_file_mode",
        /// Threads an older generation left behind that the current XWorkmate
        /// does not show.
        ThreadsLeftBehind = "threads_left_behind",
        /// A file of a layout this tool does not know (a newer version): listed,
        /// never changed.
        UnknownFile = "unknown_file",
        /// A fixed path of the store is a link, FIFO, device or huge file: not
        /// read, never followed.
        NotARegularFile = "not_a_regular_file",
        /// The audit trail cannot be read by that version.
        AuditUnreadable = "audit_unreadable",
        /// Generation C/D: `ui/state.json` is not valid JSON, which stops
        /// XWorkmate's start-up with an error.
        WillFailToStart = "will_fail_to_start",
        /// The folder holds no store, but its `xworkmate/` subfolder does:
        /// probably one folder too high. Nothing is written into it.
        StoreInSubfolder = "store_in_subfolder",
    }
}

codes! {
    /// Codes of a [`crate::Notice`]: a non-fatal note of a write operation.
    pub enum NoticeCode {
        /// SharedPreferences could not be read; left as they are.
        PrefsUnreadable = "prefs_unreadable",
        /// The database cannot be read, so its rows cannot be removed.
        DatabaseRows = "database_rows",
        /// A secret could not be read; kept, but its presence cannot be checked.
        SecretUnchecked = "secret_unchecked",
        /// The audit trail was not updated.
        AuditNotUpdated = "audit_not_updated",
        /// A legacy secret file (or the key file) stays where it is: there is
        /// nowhere XWorkmate would read its value from (spec §5).
        LegacyFileKept = "legacy_file_kept",
        /// The key could not be stored where XWorkmate reads it; left where it was.
        KeyNotStored = "key_not_stored",
        /// A legacy secret file differs from secure storage; left in place.
        LegacyFileConflict = "legacy_file_conflict",
        /// Legacy secret files were not moved.
        LegacyFilesNotMoved = "legacy_files_not_moved",
        /// The recovery report could not be kept for support.
        ReportNotKept = "report_not_kept",
        /// A file another generation present still reads is kept.
        KeptForAnotherGeneration = "kept_for_another_generation",
    }
}

codes! {
    /// Error codes: those of [`crate::StoreError::code`] and the few the shells
    /// add (`usage` in the CLI; `cancelled`, `internal`, `clipboard_error`,
    /// `open_failed` in the app).
    pub enum ErrorCode {
        NoDataDir = "no_data_dir",
        DatabaseUnavailable = "database_unavailable",
        DatabaseError = "database_error",
        NotFound = "not_found",
        PermissionDenied = "permission_denied",
        AlreadyExists = "already_exists",
        IoError = "io_error",
        InvalidInput = "invalid_input",
        KeyInvalid = "key_invalid",
        SecureStorageError = "secure_storage_error",
        StalePlan = "stale_plan",
        XworkmateRunning = "xworkmate_running",
        /// The generation asked for is not in this folder, or cannot be cleared.
        NoSuchGeneration = "no_such_generation",
        /// A part of a clear cannot be done here (old sealed state is
        /// present, or the generation is cleared whole); nothing was removed.
        SelectiveClearUnavailable = "selective_clear_unavailable",
        /// A newer generation is current: generation A's files are not
        /// written (recovery, saves).
        NewerGenerationCurrent = "newer_generation_current",
        /// `recover` ran and failed (its report says what was found).
        RecoveryFailed = "recovery_failed",
        /// A secret present before a clear is missing after it.
        SecretsMissing = "secrets_missing",
        /// A clear stopped part-way: its result lists what was removed and
        /// what remains.
        ClearIncomplete = "clear_incomplete",
        /// A file given as a clear backup is not one.
        NotABackup = "not_a_backup",
        /// A restore would replace readable current data, and `--replace`
        /// (the dialog's checkbox) was not given: nothing was written.
        RestoreConflict = "restore_conflict",
        /// A file given as a support report is not one.
        NotAReport = "not_a_report",
        /// A support report of a newer version than this tool reads.
        UnsupportedReportVersion = "unsupported_report_version",
        /// CLI: wrong arguments.
        Usage = "usage",
        /// App: the user cancelled a dialog.
        Cancelled = "cancelled",
        /// App: the operation's thread stopped.
        Internal = "internal",
        /// App: the clipboard could not be written.
        ClipboardError = "clipboard_error",
        /// App: the file manager could not be opened.
        OpenFailed = "open_failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_the_code_text_and_round_trips() {
        for c in FindingCode::ALL {
            let j = serde_json::to_string(c).unwrap();
            assert_eq!(j, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<FindingCode>(&j).unwrap(), *c);
        }
        for c in ErrorCode::ALL {
            let j = serde_json::to_string(c).unwrap();
            assert_eq!(j, format!("\"{c}\""));
        }
        for c in NoticeCode::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for s in FindingCode::ALL.iter().map(|c| c.as_str()) {
            assert!(seen.insert(s), "{s}");
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
        }
    }
}
