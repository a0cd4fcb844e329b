//! Where XWorkmate's folders are on each OS (spec §1, §6), as pure functions
//! of a [`Platform`]: the OS, the base folders path_provider starts from, and
//! which folders exist. The real one is [`Platform::current`]; tests build
//! any, so the macOS and Windows rules are tested on every machine.

use std::path::{Path, PathBuf};

use crate::paths::BUNDLE_ID;

/// The operating systems XWorkmate ships for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    /// The OS this build runs on (others are treated as Linux).
    pub fn current() -> Self {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(target_os = "windows") {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

/// What path_provider works from.
#[derive(Debug, Clone, Default)]
pub struct Platform {
    pub os: Option<Os>,
    /// The home folder (macOS: `~`).
    pub home: Option<PathBuf>,
    /// Linux `$XDG_DATA_HOME` (default `~/.local/share`).
    pub xdg_data_home: Option<PathBuf>,
    /// Linux `$XDG_STATE_HOME` (default `~/.local/state`).
    pub xdg_state_home: Option<PathBuf>,
    /// Linux `$XDG_CONFIG_HOME` (default `~/.config`).
    pub xdg_config_home: Option<PathBuf>,
    /// Windows `%APPDATA%` (roaming).
    pub appdata: Option<PathBuf>,
    /// Windows `%LOCALAPPDATA%`.
    pub local_appdata: Option<PathBuf>,
    /// Folders that exist (when `None`, the real file system is asked).
    pub existing: Option<Vec<PathBuf>>,
}

/// The macOS sandbox container of XWorkmate's release builds.
fn container(home: &Path) -> PathBuf {
    home.join("Library/Containers").join(BUNDLE_ID).join("Data")
}

impl Platform {
    /// This machine, from its environment.
    pub fn current() -> Self {
        let base = directories::BaseDirs::new();
        let os = Os::current();
        Platform {
            os: Some(os),
            home: base.as_ref().map(|b| b.home_dir().to_path_buf()),
            xdg_data_home: (os == Os::Linux)
                .then(|| base.as_ref().map(|b| b.data_dir().to_path_buf()))
                .flatten(),
            xdg_state_home: (os == Os::Linux)
                .then(|| {
                    base.as_ref()
                        .and_then(|b| b.state_dir().map(Path::to_path_buf))
                })
                .flatten(),
            xdg_config_home: (os == Os::Linux)
                .then(|| base.as_ref().map(|b| b.config_dir().to_path_buf()))
                .flatten(),
            appdata: (os == Os::Windows)
                .then(|| base.as_ref().map(|b| b.data_dir().to_path_buf()))
                .flatten(),
            local_appdata: (os == Os::Windows)
                .then(|| base.as_ref().map(|b| b.data_local_dir().to_path_buf()))
                .flatten(),
            existing: None,
        }
    }

    fn os(&self) -> Os {
        self.os.unwrap_or_else(Os::current)
    }

    fn exists(&self, p: &Path) -> bool {
        match &self.existing {
            Some(list) => list.iter().any(|e| e == p),
            None => p.is_dir(),
        }
    }

    /// The data dir XWorkmate ≤ 0.6.1 uses (spec §1):
    /// - Linux: `$XDG_DATA_HOME/plus.svc.xworkmate/xworkmate`, or
    ///   `$XDG_DATA_HOME/xworkmate/xworkmate` when `$XDG_DATA_HOME/xworkmate`
    ///   exists and `$XDG_DATA_HOME/plus.svc.xworkmate` does not;
    /// - macOS: the sandbox container's, unless only the unsandboxed one exists;
    /// - Windows: `%APPDATA%\plus.svc\XWorkmate\xworkmate`.
    pub fn data_dir(&self) -> Option<PathBuf> {
        match self.os() {
            Os::Linux => {
                let data = self.xdg_data_home.as_ref()?;
                let by_id = data.join(BUNDLE_ID);
                let by_exe = data.join("xworkmate");
                let support = if !self.exists(&by_id) && self.exists(&by_exe) {
                    by_exe
                } else {
                    by_id
                };
                Some(support.join("xworkmate"))
            }
            Os::MacOs => {
                let home = self.home.as_ref()?;
                let sandboxed = container(home)
                    .join("Library/Application Support")
                    .join(BUNDLE_ID)
                    .join("xworkmate");
                let plain = home
                    .join("Library/Application Support")
                    .join(BUNDLE_ID)
                    .join("xworkmate");
                Some(if !self.exists(&sandboxed) && self.exists(&plain) {
                    plain
                } else {
                    sandboxed
                })
            }
            Os::Windows => Some(
                self.appdata
                    .as_ref()?
                    .join("plus.svc")
                    .join("XWorkmate")
                    .join("xworkmate"),
            ),
        }
    }

    /// Where XWorkmate 1.1.1 and later (generations B2, C, D) keep their data
    /// (`generations.md`): on macOS `~/Library/Application Support/xworkmate`
    /// (no longer sandboxed); on Linux and Windows the same folder as before.
    /// Generation B1 (0.7) used the generation-A folder on every OS.
    pub fn later_data_dir(&self) -> Option<PathBuf> {
        match self.os() {
            Os::MacOs => Some(
                self.home
                    .as_ref()?
                    .join("Library/Application Support/xworkmate"),
            ),
            Os::Linux | Os::Windows => self.data_dir(),
        }
    }

    /// XWorkmate 1.1.1's user-settings copy on Linux, which it reads before
    /// the data dir's: `${XDG_CONFIG_HOME:-~/.config}/xworkmate/config/settings.yaml`.
    pub fn b2_user_settings(&self) -> Option<PathBuf> {
        match self.os() {
            Os::Linux => {
                let config = self
                    .xdg_config_home
                    .clone()
                    .or_else(|| self.home.as_ref().map(|h| h.join(".config")))?;
                Some(config.join("xworkmate/config/settings.yaml"))
            }
            Os::MacOs | Os::Windows => None,
        }
    }

    /// The default support roots of older builds, which legacy recovery scans
    /// for the default location only (spec §1, §7).
    pub fn support_roots(&self) -> Vec<PathBuf> {
        let sub = |p: &Path| p.join(BUNDLE_ID).join("xworkmate");
        match self.os() {
            Os::Linux => self.xdg_state_home.iter().map(|s| sub(s)).collect(),
            Os::MacOs => self
                .home
                .iter()
                .flat_map(|h| {
                    [
                        sub(&container(h).join("Library/Application Support")),
                        sub(&h.join("Library/Application Support")),
                    ]
                })
                .collect(),
            // %APPDATA%\plus.svc.xworkmate\xworkmate was only ever a fallback:
            // a recovery candidate, never the default.
            Os::Windows => self
                .appdata
                .iter()
                .chain(&self.local_appdata)
                .map(|p| sub(p))
                .collect(),
        }
    }

    /// The macOS user-defaults plists of pre-SQLite builds, in the order they
    /// are read (spec §6): for a data dir inside a sandbox container, that
    /// container's; for the default location, the container's then
    /// `~/Library/Preferences`'s. Other data dirs and OSes: none.
    pub fn preference_plists(&self, data_dir: &Path, default_location: bool) -> Vec<PathBuf> {
        if self.os() != Os::MacOs {
            return Vec::new();
        }
        let file = format!("{BUNDLE_ID}.plist");
        if let Some(data) = container_of(data_dir) {
            return vec![data.join("Library/Preferences").join(&file)];
        }
        if !default_location {
            return Vec::new();
        }
        self.home
            .iter()
            .flat_map(|h| {
                [
                    container(h).join("Library/Preferences").join(&file),
                    h.join("Library/Preferences").join(&file),
                ]
            })
            .collect()
    }
}

/// `<…>/Library/Containers/plus.svc.xworkmate/Data` when `dir` is inside it.
fn container_of(dir: &Path) -> Option<PathBuf> {
    let mut acc = PathBuf::new();
    let parts: Vec<_> = dir.components().collect();
    for (i, c) in parts.iter().enumerate() {
        acc.push(c);
        if c.as_os_str() == "Containers"
            && parts.get(i + 1).is_some_and(|n| n.as_os_str() == BUNDLE_ID)
            && parts.get(i + 2).is_some_and(|n| n.as_os_str() == "Data")
        {
            return Some(acc.join(BUNDLE_ID).join("Data"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linux(existing: &[&str]) -> Platform {
        Platform {
            os: Some(Os::Linux),
            home: Some("/home/u".into()),
            xdg_data_home: Some("/home/u/.local/share".into()),
            xdg_state_home: Some("/home/u/.local/state".into()),
            existing: Some(existing.iter().map(PathBuf::from).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn linux_follows_path_providers_rule() {
        let p = linux(&[]);
        assert_eq!(
            p.data_dir().unwrap(),
            PathBuf::from("/home/u/.local/share/plus.svc.xworkmate/xworkmate")
        );
        // $XDG_DATA_HOME/xworkmate exists and the bundle folder does not.
        let p = linux(&["/home/u/.local/share/xworkmate"]);
        assert_eq!(
            p.data_dir().unwrap(),
            PathBuf::from("/home/u/.local/share/xworkmate/xworkmate")
        );
        // Both exist: the bundle folder wins.
        let p = linux(&[
            "/home/u/.local/share/xworkmate",
            "/home/u/.local/share/plus.svc.xworkmate",
        ]);
        assert_eq!(
            p.data_dir().unwrap(),
            PathBuf::from("/home/u/.local/share/plus.svc.xworkmate/xworkmate")
        );
        assert_eq!(
            p.support_roots(),
            vec![PathBuf::from(
                "/home/u/.local/state/plus.svc.xworkmate/xworkmate"
            )]
        );
        assert!(p.preference_plists(Path::new("/x"), true).is_empty());
    }

    fn macos(existing: &[&str]) -> Platform {
        Platform {
            os: Some(Os::MacOs),
            home: Some("/Users/u".into()),
            existing: Some(existing.iter().map(PathBuf::from).collect()),
            ..Default::default()
        }
    }

    const CONTAINER: &str = "/Users/u/Library/Containers/plus.svc.xworkmate/Data";

    #[test]
    fn macos_looks_in_the_sandbox_container_first() {
        let sandboxed =
            format!("{CONTAINER}/Library/Application Support/plus.svc.xworkmate/xworkmate");
        let plain = "/Users/u/Library/Application Support/plus.svc.xworkmate/xworkmate";
        assert_eq!(macos(&[]).data_dir().unwrap(), PathBuf::from(&sandboxed));
        assert_eq!(macos(&[plain]).data_dir().unwrap(), PathBuf::from(plain));
        assert_eq!(
            macos(&[plain, &sandboxed]).data_dir().unwrap(),
            PathBuf::from(&sandboxed)
        );
        assert_eq!(
            macos(&[]).support_roots(),
            vec![PathBuf::from(&sandboxed), PathBuf::from(plain)]
        );
    }

    #[test]
    fn macos_preferences_come_from_the_container() {
        let p = macos(&[]);
        let sandboxed = PathBuf::from(format!(
            "{CONTAINER}/Library/Application Support/plus.svc.xworkmate/xworkmate"
        ));
        assert_eq!(
            p.preference_plists(&sandboxed, true),
            vec![PathBuf::from(format!(
                "{CONTAINER}/Library/Preferences/plus.svc.xworkmate.plist"
            ))]
        );
        // A copied container elsewhere, given explicitly: its own plist.
        let copy = Path::new(
            "/cases/1/Containers/plus.svc.xworkmate/Data/Library/Application Support/plus.svc.xworkmate/xworkmate",
        );
        assert_eq!(
            p.preference_plists(copy, false),
            vec![PathBuf::from(
                "/cases/1/Containers/plus.svc.xworkmate/Data/Library/Preferences/plus.svc.xworkmate.plist"
            )]
        );
        // The unsandboxed default: the container's plist, then ~/Library's.
        let plain = Path::new("/Users/u/Library/Application Support/plus.svc.xworkmate/xworkmate");
        assert_eq!(
            p.preference_plists(plain, true),
            vec![
                PathBuf::from(format!(
                    "{CONTAINER}/Library/Preferences/plus.svc.xworkmate.plist"
                )),
                PathBuf::from("/Users/u/Library/Preferences/plus.svc.xworkmate.plist"),
            ]
        );
        // Another folder given explicitly: none of this machine's.
        assert!(p
            .preference_plists(Path::new("/cases/2/xworkmate"), false)
            .is_empty());
    }

    #[test]
    fn later_generations_live_outside_the_sandbox_on_macos_only() {
        assert_eq!(
            macos(&[]).later_data_dir().unwrap(),
            PathBuf::from("/Users/u/Library/Application Support/xworkmate")
        );
        assert_eq!(macos(&[]).b2_user_settings(), None);
        let p = linux(&[]);
        assert_eq!(p.later_data_dir(), p.data_dir());
        assert_eq!(
            p.b2_user_settings().unwrap(),
            PathBuf::from("/home/u/.config/xworkmate/config/settings.yaml")
        );
        let p = Platform {
            xdg_config_home: Some("/cfg".into()),
            ..linux(&[])
        };
        assert_eq!(
            p.b2_user_settings().unwrap(),
            PathBuf::from("/cfg/xworkmate/config/settings.yaml")
        );
    }

    #[test]
    fn windows_uses_company_and_product_folders() {
        let p = Platform {
            os: Some(Os::Windows),
            appdata: Some(r"C:\Users\u\AppData\Roaming".into()),
            local_appdata: Some(r"C:\Users\u\AppData\Local".into()),
            existing: Some(Vec::new()),
            ..Default::default()
        };
        assert_eq!(p.later_data_dir(), p.data_dir());
        assert_eq!(p.b2_user_settings(), None);
        assert_eq!(
            p.data_dir().unwrap(),
            PathBuf::from(r"C:\Users\u\AppData\Roaming")
                .join("plus.svc")
                .join("XWorkmate")
                .join("xworkmate")
        );
        // The bundle-id folder is a recovery candidate only.
        assert_eq!(
            p.support_roots(),
            vec![
                PathBuf::from(r"C:\Users\u\AppData\Roaming")
                    .join("plus.svc.xworkmate")
                    .join("xworkmate"),
                PathBuf::from(r"C:\Users\u\AppData\Local")
                    .join("plus.svc.xworkmate")
                    .join("xworkmate"),
            ]
        );
    }
}
