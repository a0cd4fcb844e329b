//! Crash-safe file operations: every write goes to a temp file in the same
//! directory, is fsynced, renamed over the target, and the directory is
//! fsynced, so a crash leaves either the old or the new file, never a torn one.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Result, StoreError};

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// File mode for files holding secrets.
pub const SECRET_FILE_MODE: u32 = 0o600;
/// File mode for directories holding secrets.
pub const SECRET_DIR_MODE: u32 = 0o700;

/// Writes `bytes` to `path` atomically and durably. `mode` sets the Unix
/// permissions of the new file (ignored elsewhere). The parent must exist.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    write_via_temp(path, bytes, mode, false)
}

/// Like [`write_atomic`], for a file that must not exist yet (a backup, an
/// export): the finished temp file is linked in under the final name, which
/// fails, writing nothing, when that name is taken — an existing file is never
/// replaced, even by a concurrent writer.
pub fn write_new(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    write_via_temp(path, bytes, mode, true)
}

fn write_via_temp(path: &Path, bytes: &[u8], mode: Option<u32>, new: bool) -> Result<()> {
    write_via_temp_with(path, mode, new, |f| {
        // Half the bytes, a crash point, the rest: a kill here leaves a torn
        // temp file, never a torn target.
        let half = bytes.len() / 2;
        f.write_all(&bytes[..half])?;
        crate::fault::point("file.half_written");
        f.write_all(&bytes[half..])
    })
}

/// Like [`write_new`], with the content written by `content` as a stream
/// (a backup of hundreds of MiB is never built in memory). `content` should
/// pass [`crate::fault::point`] `file.half_written` part-way.
pub fn write_new_with(
    path: &Path,
    mode: Option<u32>,
    content: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    write_via_temp_with(path, mode, true, |f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        content(&mut w)?;
        w.flush()
    })
}

fn write_via_temp_with(
    path: &Path,
    mode: Option<u32>,
    new: bool,
    content: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let tmp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut opts = OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(mode.unwrap_or(0o644));
        }
        #[cfg(not(unix))]
        let _ = mode;
        // Errors name the target: the temp file is an implementation detail.
        let mut f = opts
            .open(&tmp)
            .map_err(|e| StoreError::io("cannot write", path, e))?;
        crate::fault::point("file.temp_created");
        content(&mut f).map_err(|e| StoreError::io("cannot write", path, e))?;
        f.sync_all()
            .map_err(|e| StoreError::io("cannot write", path, e))?;
        drop(f);
        crate::fault::point("file.temp_synced");
        if new {
            fs::hard_link(&tmp, path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    StoreError::io("will not replace the existing file", path, e)
                } else {
                    StoreError::io("cannot write", path, e)
                }
            })?;
            fs::remove_file(&tmp).map_err(|e| StoreError::io("cannot write", path, e))?;
        } else {
            fs::rename(&tmp, path).map_err(|e| StoreError::io("cannot replace", path, e))?;
        }
        crate::fault::point("file.renamed");
        sync_dir(dir)?;
        crate::fault::point("file.folder_synced");
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Removes a file and syncs its directory. Returns whether it existed.
pub fn remove_durable(path: &Path) -> Result<bool> {
    crate::fault::point("file.before_remove");
    match fs::remove_file(path) {
        Ok(()) => {
            crate::fault::point("file.removed");
            if let Some(dir) = path.parent() {
                sync_dir(dir)?;
            }
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::io("cannot remove", path, e)),
    }
}

/// Fsyncs a directory so that renames and removals in it are durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StoreError::io("cannot sync folder", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Refuses a write at `path` when any folder between `root` (the data folder,
/// which may itself be a link) and it is a symbolic link: nothing is ever
/// written, chmodded or removed through a link inside the data folder. (A
/// link in the file's own place is not followed by the writes: a rename
/// replaces the link, a removal removes the link, SQLite opens with
/// `NOFOLLOW`.) Paths outside `root` are not its business.
pub fn refuse_links(root: &Path, path: &Path) -> Result<()> {
    let Some(folder) = path.parent() else {
        return Ok(());
    };
    let Ok(rel) = folder.strip_prefix(root) else {
        return Ok(());
    };
    let mut cur = root.to_path_buf();
    for part in rel.components() {
        cur.push(part);
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(StoreError::invalid(
                    cur.display().to_string(),
                    "is a symbolic link; nothing is written, changed or removed through a link inside the data folder",
                ))
            }
            Ok(_) => {}
            // Missing: it will be created as a real file or folder.
            Err(_) => break,
        }
    }
    Ok(())
}

/// Creates `dir` (and parents) if missing. With `private`, the directory is
/// made 0700 (also when it already existed with wider permissions). A link
/// in its place is refused: a chmod would change what it points to.
pub fn ensure_dir(dir: &Path, private: bool) -> Result<()> {
    if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) && private {
        return Err(StoreError::invalid(
            dir.display().to_string(),
            "is a symbolic link; a private folder of the store is never a link",
        ));
    }
    fs::create_dir_all(dir).map_err(|e| StoreError::io("cannot create folder", dir, e))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(SECRET_DIR_MODE))
            .map_err(|e| StoreError::io("cannot set permissions of", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    Ok(())
}

/// Reads a file to a string; `Ok(None)` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    if check_readable(path)?.is_none() {
        return Ok(None);
    }
    match fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| StoreError::invalid(path.display().to_string(), "not UTF-8 text")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io("cannot read", path, e)),
    }
}

/// Larger than any real store: a file over this size is a finding, never read.
pub const MAX_STORE_FILE_BYTES: u64 = 4 << 30;

/// Checks, without following or opening it, that a fixed path of the store is
/// a regular file this tool may read: `None` when it does not exist; an
/// error naming the path when it is a symbolic link (never followed), a FIFO,
/// socket, device or folder (reading could block for ever, or mean nothing),
/// or larger than [`MAX_STORE_FILE_BYTES`].
pub fn check_readable(path: &Path) -> Result<Option<fs::Metadata>> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io("cannot read", path, e)),
    };
    let what = path.display().to_string();
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Err(StoreError::invalid(
            what,
            "is a symbolic link; links inside the data folder are not followed",
        ));
    }
    if !kind.is_file() {
        return Err(StoreError::invalid(
            what,
            "is not a regular file (a FIFO, socket, device or folder), so it is not read",
        ));
    }
    if meta.len() > MAX_STORE_FILE_BYTES {
        return Err(StoreError::invalid(
            what,
            format!(
                "is {} bytes, larger than any real store (4 GiB), so it is not read",
                meta.len()
            ),
        ));
    }
    Ok(Some(meta))
}

/// Metadata of a file as shown by inspect.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FileMeta {
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub path: PathBuf,
    pub exists: bool,
    pub is_dir: bool,
    pub size: Option<u64>,
    pub modified_ms: Option<i64>,
    /// Unix permissions as octal text (`"0600"`), when known.
    pub mode: Option<String>,
    /// Why the metadata could not be read, if it could not.
    pub error: Option<String>,
}

impl FileMeta {
    pub fn of(path: &Path) -> Self {
        match fs::metadata(path) {
            Ok(m) => {
                #[cfg(unix)]
                let mode = {
                    use std::os::unix::fs::PermissionsExt;
                    Some(format!("{:04o}", m.permissions().mode() & 0o7777))
                };
                #[cfg(not(unix))]
                let mode = None;
                FileMeta {
                    path: path.to_path_buf(),
                    exists: true,
                    is_dir: m.is_dir(),
                    size: (!m.is_dir()).then_some(m.len()),
                    modified_ms: m.modified().ok().and_then(system_time_ms),
                    mode,
                    error: None,
                }
            }
            Err(e) => FileMeta {
                path: path.to_path_buf(),
                exists: e.kind() != std::io::ErrorKind::NotFound,
                is_dir: false,
                size: None,
                modified_ms: None,
                mode: None,
                error: (e.kind() != std::io::ErrorKind::NotFound).then(|| e.to_string()),
            },
        }
    }
}

pub(crate) fn system_time_ms(t: std::time::SystemTime) -> Option<i64> {
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_millis() as i64)
}

/// Serializes paths as text, replacing bytes that are not UTF-8 (a path from a
/// user's disk need not be UTF-8, and a report must never fail on it).
pub mod lossy {
    use std::path::{Path, PathBuf};

    use serde::Serializer;

    pub fn path<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&p.to_string_lossy())
    }

    pub fn opt_path<S: Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => path(p, s),
            None => s.serialize_none(),
        }
    }

    pub fn paths<S: Serializer>(ps: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(ps.iter().map(|p| p.to_string_lossy()))
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    system_time_ms(std::time::SystemTime::now()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        write_atomic(&p, b"one", None).unwrap();
        write_atomic(&p, b"two", Some(0o600)).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "temp files left behind");
        #[cfg(unix)]
        assert_eq!(FileMeta::of(&p).mode.as_deref(), Some("0600"));
    }

    #[test]
    fn atomic_write_into_missing_dir_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("missing/a.json");
        let err = write_atomic(&p, b"x", None).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        assert_eq!(err.code(), "not_found");
    }
}
