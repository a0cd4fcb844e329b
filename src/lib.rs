//! XWorkmate's local persistence in Rust: the data dir layout, SettingsStore,
//! SecretStore, legacy recovery, clear, inspect and support reports. The CLI
//! (`xworkmate-diag`) and the Tauri app are thin shells over this crate; see
//! ARCHITECTURE.md.
//!
//! The operations the diagnostics surfaces call:
//! - [`inspect::inspect`] — read-only overview;
//! - [`support::locked_report`] — read-only locked-recovery report;
//! - [`recovery::run`] (with `dry_run`) and [`recovery::test_key`];
//! - [`clear::plan`], [`clear::execute`];
//! - [`support::export`] — the redacted support report.

pub mod clear;
pub mod codes;
pub mod error;
pub mod export;
pub mod fault;
pub mod fsutil;
pub mod generation;
pub mod guard;
pub mod inspect;
pub mod paths;
pub mod platform;
pub mod progress;
pub mod restore;
pub mod secret;
pub mod stream;
pub mod support;

// Generation A's modules, at the crate root where the shells have always
// found them.
pub use generation::a::{db, document, prefs, rebuild, recovery, sealed, settings, unseal};

pub use codes::{ErrorCode, FindingCode, NoticeCode};
pub use error::{Notice, Result, StoreError};
pub use paths::DataLocation;
pub use secret::{SecretStore, SecretsMode};
