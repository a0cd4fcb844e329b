//! The running guard (spec §8): no write while XWorkmate runs on the data dir.
//!
//! XWorkmate keeps its documents in memory and rewrites SQLite and the mirrors
//! on its next save, so a clear or a recovery made while it runs is silently
//! undone (or, worse, half undone). Every write of this tool therefore asks
//! [`refuse_if_running`] first and writes nothing at all when XWorkmate is
//! running; looking is always allowed and reports it ([`detect`]).
//!
//! - Linux: a process whose executable is named `xworkmate` that holds a file
//!   inside the data dir open (`/proc/<pid>/fd`), or any process of that name
//!   whose open files cannot be listed (it might).
//! - macOS, Windows: a process named `xworkmate` / `XWorkmate` /
//!   `xworkmate.exe` (open files are not listed there).
//!
//! This tool's own processes (`xworkmate-diag`, `xworkmate-diagnostics`) have
//! other names and the current process is skipped.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Result, StoreError};
use crate::paths::DataLocation;

/// A running XWorkmate that uses (or may use) the data dir.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningApp {
    pub pid: u32,
    /// The process's executable name.
    pub name: String,
    /// True when it holds a file of the data dir open; false when that could
    /// not be checked (its open files cannot be listed, or the OS does not
    /// say), so it is treated as using it.
    pub holds_data_dir: bool,
}

/// Executable names of XWorkmate's desktop app.
pub const XWORKMATE_NAMES: [&str; 3] = ["xworkmate", "XWorkmate", "xworkmate.exe"];

/// What one process looks like to the guard.
#[derive(Debug, Clone)]
pub struct ProcessInfo {
    pub pid: u32,
    pub name: String,
    /// The files it holds open; `None` when they cannot be listed.
    pub open_files: Option<Vec<PathBuf>>,
}

/// The decision, over any list of processes (pure: the OS scan feeds it).
pub fn find_running(
    processes: impl IntoIterator<Item = ProcessInfo>,
    data_dir: &Path,
    own_pid: u32,
) -> Option<RunningApp> {
    let data_dir = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    processes
        .into_iter()
        .filter(|p| p.pid != own_pid && XWORKMATE_NAMES.contains(&p.name.as_str()))
        .find_map(|p| match &p.open_files {
            None => Some(RunningApp {
                pid: p.pid,
                name: p.name.clone(),
                holds_data_dir: false,
            }),
            Some(files) => files
                .iter()
                .any(|f| f.starts_with(&data_dir))
                .then(|| RunningApp {
                    pid: p.pid,
                    name: p.name.clone(),
                    holds_data_dir: true,
                }),
        })
}

/// A running XWorkmate that uses the data dir, if there is one. Only reads.
pub fn detect(location: &DataLocation) -> Option<RunningApp> {
    find_running(os::processes(), location.data_dir(), std::process::id())
}

/// Refuses (error code `xworkmate_running`) when XWorkmate is running on the
/// data dir. Every write calls this before it writes anything.
pub fn refuse_if_running(location: &DataLocation) -> Result<()> {
    match detect(location) {
        Some(app) => Err(StoreError::XWorkmateRunning {
            pid: app.pid,
            name: app.name,
        }),
        None => Ok(()),
    }
}

#[cfg(target_os = "linux")]
mod os {
    use super::ProcessInfo;
    use std::path::Path;

    /// Every process in `/proc` (those that vanish meanwhile are skipped).
    pub fn processes() -> Vec<ProcessInfo> {
        processes_in(Path::new("/proc"))
    }

    /// The processes of a procfs tree (a fake one in tests).
    pub fn processes_in(proc_root: &Path) -> Vec<ProcessInfo> {
        let Ok(dir) = std::fs::read_dir(proc_root) else {
            return Vec::new();
        };
        dir.flatten()
            .filter_map(|entry| {
                let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
                let path = entry.path();
                let name = exe_name(&path)?;
                // Only XWorkmate's processes have their descriptors listed.
                let open_files = super::XWORKMATE_NAMES
                    .contains(&name.as_str())
                    .then(|| open_files(&path))
                    .flatten();
                Some(ProcessInfo {
                    pid,
                    name,
                    open_files,
                })
            })
            .collect()
    }

    /// The executable's file name (`exe`), else the command name (`comm`,
    /// readable even when `exe` is not).
    fn exe_name(proc_dir: &Path) -> Option<String> {
        if let Ok(target) = std::fs::read_link(proc_dir.join("exe")) {
            let text = target.to_string_lossy();
            let text = text.strip_suffix(" (deleted)").unwrap_or(&text);
            if let Some(name) = Path::new(text).file_name() {
                return Some(name.to_string_lossy().into_owned());
            }
        }
        std::fs::read_to_string(proc_dir.join("comm"))
            .ok()
            .map(|c| c.trim_end_matches('\n').to_string())
    }

    /// The targets of `fd/*`; `None` when the folder cannot be read.
    fn open_files(proc_dir: &Path) -> Option<Vec<std::path::PathBuf>> {
        let dir = std::fs::read_dir(proc_dir.join("fd")).ok()?;
        Some(
            dir.flatten()
                .filter_map(|fd| std::fs::read_link(fd.path()).ok())
                .collect(),
        )
    }
}

#[cfg(any(target_os = "macos", target_os = "windows"))]
mod os {
    use super::ProcessInfo;

    /// Processes by name (open files are not listed: any XWorkmate counts).
    pub fn processes() -> Vec<ProcessInfo> {
        use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, System};
        let mut system = System::new();
        system.refresh_processes_specifics(
            ProcessesToUpdate::All,
            true,
            ProcessRefreshKind::nothing(),
        );
        system
            .processes()
            .iter()
            .map(|(pid, process)| ProcessInfo {
                pid: pid.as_u32(),
                name: process.name().to_string_lossy().into_owned(),
                open_files: None,
            })
            .collect()
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
mod os {
    pub fn processes() -> Vec<super::ProcessInfo> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(pid: u32, name: &str, files: Option<&[&str]>) -> ProcessInfo {
        ProcessInfo {
            pid,
            name: name.into(),
            open_files: files.map(|f| f.iter().map(PathBuf::from).collect()),
        }
    }

    #[test]
    fn an_xworkmate_holding_a_file_of_the_folder_is_running_on_it() {
        let dir = Path::new("/nonexistent/data/xworkmate");
        let found = find_running(
            [
                process(
                    10,
                    "bash",
                    Some(&["/nonexistent/data/xworkmate/config-store.sqlite3"]),
                ),
                process(
                    11,
                    "xworkmate",
                    Some(&["/dev/null", "/nonexistent/data/other/x"]),
                ),
                process(
                    12,
                    "xworkmate",
                    Some(&["/nonexistent/data/xworkmate/config-store.sqlite3"]),
                ),
            ],
            dir,
            1,
        )
        .unwrap();
        assert_eq!((found.pid, found.holds_data_dir), (12, true));
    }

    #[test]
    fn another_folder_or_another_name_does_not_block() {
        let dir = Path::new("/nonexistent/data/xworkmate");
        assert!(find_running(
            [
                process(
                    11,
                    "xworkmate",
                    Some(&["/nonexistent/data/xworkmate-old/a"])
                ),
                process(12, "xworkmate-diag", None),
                process(13, "xworkmate-diagnostics", None),
            ],
            dir,
            1
        )
        .is_none());
    }

    #[test]
    fn unlisted_open_files_count_as_running_and_self_is_ignored() {
        let dir = Path::new("/nonexistent/data/xworkmate");
        let found = find_running([process(7, "xworkmate", None)], dir, 1).unwrap();
        assert_eq!((found.pid, found.holds_data_dir), (7, false));
        assert!(find_running([process(7, "xworkmate", None)], dir, 7).is_none());
        // macOS and Windows names.
        for name in ["XWorkmate", "xworkmate.exe"] {
            assert!(find_running([process(8, name, None)], dir, 1).is_some());
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fake_procfs_is_read_as_the_kernel_lays_it_out() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let db = data.join("config-store.sqlite3");
        std::fs::write(&db, b"").unwrap();
        let proc_root = tmp.path().join("proc");
        // 100: xworkmate holding the database; 101: its exe deleted, comm only;
        // 102: another program holding it; "self": not a pid.
        for (pid, exe, fd) in [
            ("100", Some("/opt/xworkmate/xworkmate"), Some(db.clone())),
            ("101", None, None),
            ("102", Some("/usr/bin/sqlite3"), Some(db.clone())),
        ] {
            let p = proc_root.join(pid);
            std::fs::create_dir_all(p.join("fd")).unwrap();
            if let Some(exe) = exe {
                symlink(exe, p.join("exe")).unwrap();
            }
            std::fs::write(
                p.join("comm"),
                if pid == "101" { "xworkmate\n" } else { "x\n" },
            )
            .unwrap();
            if let Some(fd) = fd {
                symlink(fd, p.join("fd/3")).unwrap();
            }
        }
        std::fs::create_dir_all(proc_root.join("self")).unwrap();
        let procs = os::processes_in(&proc_root);
        assert_eq!(procs.len(), 3);
        let found = find_running(procs, &data, 1).unwrap();
        assert_eq!((found.pid, found.name.as_str()), (100, "xworkmate"));
        // Without 100, the comm-only xworkmate (101) holds nothing inside.
        std::fs::remove_dir_all(proc_root.join("100")).unwrap();
        assert!(find_running(os::processes_in(&proc_root), &data, 1).is_none());
    }
}
