//! The IPC commands. Each is a thin adapter: read state, call the core, map the
//! result. Errors cross the IPC boundary as `{code, message}` with the core's
//! stable codes, so the UI never classifies errors by message text.

use serde::{Deserialize, Serialize};
use tauri::State;
use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::StoreError;

use crate::AppState;

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    /// A stable machine code ([`StoreError::code`]).
    pub code: String,
    /// A human-readable message (English).
    pub message: String,
}

impl From<&StoreError> for CommandError {
    fn from(error: &StoreError) -> Self {
        Self {
            code: error.code().to_string(),
            message: error.to_string(),
        }
    }
}

/// What `app_info` returns.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: &'static str,
    /// The data dir being looked at.
    pub data_dir: String,
    /// How it was chosen: `explicit`, `environment` or `default`.
    pub data_dir_origin: DataDirOrigin,
}

/// The app's version and the data dir it looks at.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, CommandError> {
    let location = state.location()?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: location.data_dir().to_string_lossy().into_owned(),
        data_dir_origin: location.origin(),
    })
}
