//! XWorkmate's local persistence in Rust: the data dir layout, SettingsStore,
//! SecretStore, legacy recovery, clear and inspect. The CLI (`xworkmate-diag`)
//! and the Tauri app are thin shells over this crate; see ARCHITECTURE.md.

pub mod error;
pub mod paths;

pub use error::{Result, StoreError};
pub use paths::DataLocation;
pub mod fsutil;
pub mod sealed;
pub mod secret;
pub mod db;
pub mod document;
pub mod settings;
pub mod prefs;
pub mod recovery;
