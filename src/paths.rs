//! Where XWorkmate keeps its data (spec §1) and how that folder was chosen.
//! What each XWorkmate generation keeps inside it is that generation's own
//! (`crate::generation`); generation A's file names are in `generation::a`.

use std::path::{Path, PathBuf};

use crate::error::{Result, StoreError};
use crate::platform::Platform;

pub use crate::generation::a::{
    BACKUP_FILE, DATABASE_FILE, GATEWAY_AUTH_DIR, LOCAL_STATE_KEY_FILE, SECURE_STORAGE_DIR,
    SETTINGS_MIRROR_FILE, SHARED_PREFERENCES_FILE, THREADS_MIRROR_FILE,
};

/// Bundle / application identifier of XWorkmate.
pub const BUNDLE_ID: &str = "plus.svc.xworkmate";
/// Environment variable that overrides the data dir.
pub const DATA_DIR_ENV: &str = "XWORKMATE_DATA_DIR";

/// Folder of this project's own files (the last recovery report). XWorkmate
/// ignores it; clear keeps it.
pub const DIAGNOSTICS_DIR: &str = ".xworkmate-diagnostics";

/// How the data dir was chosen. Legacy recovery scans the default support
/// roots only for [`DataDirOrigin::Default`] (spec §7).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DataDirOrigin {
    /// Given on the command line or by the UI ("Open another data folder").
    Explicit,
    /// From `XWORKMATE_DATA_DIR`.
    Environment,
    /// The OS location of spec §1.
    Default,
}

/// A resolved data dir.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataLocation {
    data_dir: PathBuf,
    origin: DataDirOrigin,
    /// Other folders of the same install where later XWorkmate generations
    /// keep their data (macOS: `~/Library/Application Support/xworkmate`),
    /// for the default location only.
    extra_dirs: Vec<PathBuf>,
}

impl DataLocation {
    /// Resolves the data dir: `explicit`, else `XWORKMATE_DATA_DIR`, else the OS
    /// default. Nothing is created.
    pub fn resolve(explicit: Option<PathBuf>) -> Result<Self> {
        Self::resolve_with(explicit, std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
    }

    /// [`DataLocation::resolve`] with the environment value passed in (for tests).
    pub fn resolve_with(explicit: Option<PathBuf>, env: Option<PathBuf>) -> Result<Self> {
        if let Some(dir) = explicit.filter(|p| !p.as_os_str().is_empty()) {
            return Ok(Self::explicit(dir));
        }
        if let Some(dir) = env.filter(|p| !p.as_os_str().is_empty()) {
            return Ok(Self {
                data_dir: absolutize(dir),
                origin: DataDirOrigin::Environment,
                extra_dirs: Vec::new(),
            });
        }
        let platform = Platform::current();
        let dir = platform.data_dir().ok_or(StoreError::NoDataDir)?;
        let extra_dirs = platform
            .later_data_dir()
            .filter(|later| *later != dir)
            .into_iter()
            .collect();
        Ok(Self {
            data_dir: dir,
            origin: DataDirOrigin::Default,
            extra_dirs,
        })
    }

    /// An explicitly chosen data dir.
    pub fn explicit(dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: absolutize(dir.into()),
            origin: DataDirOrigin::Explicit,
            extra_dirs: Vec::new(),
        }
    }

    /// A data dir with the origin given (the app and tests: e.g. this
    /// machine's own folder at a chosen path).
    pub fn with_origin(dir: impl Into<PathBuf>, origin: DataDirOrigin) -> Self {
        Self {
            data_dir: absolutize(dir.into()),
            origin,
            extra_dirs: Vec::new(),
        }
    }

    /// Another folder of the same install where later generations keep their
    /// data (what the default location adds on macOS; tests use it on Linux).
    pub fn with_extra_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        let dir = absolutize(dir.into());
        if dir != self.data_dir && !self.extra_dirs.contains(&dir) {
            self.extra_dirs.push(dir);
        }
        self
    }

    /// Refuses a write at `path` through a link inside any of this location's
    /// folders ([`crate::fsutil::refuse_links`]).
    pub fn refuse_links(&self, path: &Path) -> Result<()> {
        for root in self.generation_dirs() {
            crate::fsutil::refuse_links(&root, path)?;
        }
        Ok(())
    }

    /// Every folder XWorkmate's generations may use for this location: the
    /// data dir first, then the extra ones.
    pub fn generation_dirs(&self) -> Vec<PathBuf> {
        std::iter::once(self.data_dir.clone())
            .chain(self.extra_dirs.iter().cloned())
            .collect()
    }

    /// XWorkmate 1.1.1's user-settings copy (Linux; the default location only).
    pub fn b2_user_settings(&self) -> Option<PathBuf> {
        if self.is_explicit() {
            return None;
        }
        Platform::current().b2_user_settings()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn origin(&self) -> DataDirOrigin {
        self.origin
    }

    /// True when the data dir was given explicitly (flag, UI, or environment).
    pub fn is_explicit(&self) -> bool {
        self.origin != DataDirOrigin::Default
    }

    pub fn diagnostics_dir(&self) -> PathBuf {
        self.data_dir.join(DIAGNOSTICS_DIR)
    }
    pub fn last_recovery_file(&self) -> PathBuf {
        self.diagnostics_dir().join("last-recovery.json")
    }
}

fn absolutize(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().map(|cwd| cwd.join(&p)).unwrap_or(p)
    }
}

/// The data dir XWorkmate v0.6.1 uses on this OS (spec §1; the rules per OS
/// are [`Platform::data_dir`]).
pub fn default_data_dir() -> Option<PathBuf> {
    Platform::current().data_dir()
}

/// Default support roots that older builds used (spec §1).
pub fn default_support_roots() -> Vec<PathBuf> {
    Platform::current().support_roots()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_beats_environment_beats_default() {
        let loc = DataLocation::resolve_with(Some("/a".into()), Some("/b".into())).unwrap();
        assert_eq!(loc.data_dir(), Path::new("/a"));
        assert_eq!(loc.origin(), DataDirOrigin::Explicit);
        let loc = DataLocation::resolve_with(None, Some("/b".into())).unwrap();
        assert_eq!(loc.data_dir(), Path::new("/b"));
        assert_eq!(loc.origin(), DataDirOrigin::Environment);
        let loc = DataLocation::resolve_with(None, None).unwrap();
        assert_eq!(loc.origin(), DataDirOrigin::Default);
        assert!(loc.data_dir().ends_with("plus.svc.xworkmate/xworkmate"));
    }

    #[test]
    fn candidates_of_explicit_dir_stay_inside_it() {
        let loc = DataLocation::explicit("/copy/plus.svc.xworkmate/xworkmate");
        assert_eq!(
            loc.recovery_candidates(),
            vec![
                PathBuf::from("/copy/plus.svc.xworkmate/xworkmate"),
                PathBuf::from("/copy/plus.svc.xworkmate"),
                PathBuf::from("/copy/plus.svc.xworkmate/xworkmate/xworkmate"),
            ]
        );
    }
}
