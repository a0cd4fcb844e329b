//! How far a long operation is, and whether it was asked to stop: shared
//! between the thread doing the work and whoever shows it (the app polls
//! [`Progress::snapshot`] while a recovery runs).
//!
//! Cancelling is honoured only while it is safe — while the operation is
//! still looking (reading, opening, checking) and nothing has been written.
//! An operation calls [`Progress::writing`] before its first write; from then
//! on a cancel request is refused and the operation runs to its end.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Serialize;

#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
    writing: AtomicBool,
}

/// What the operation has done so far.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProgressReport {
    /// Bytes read and checked so far, of `total` (an estimate: the sizes of
    /// the files it reads).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub done: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub total: u64,
    /// It writes now: it can no longer be cancelled.
    pub writing: bool,
    /// A cancel was asked for before it began writing: it is stopping.
    pub cancelled: bool,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds to what there is to read.
    pub fn add_total(&self, bytes: u64) {
        self.total.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Counts bytes read.
    pub fn advance(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Asks the operation to stop. `false` when it writes already (then it
    /// finishes).
    pub fn cancel(&self) -> bool {
        if self.writing.load(Ordering::SeqCst) {
            return false;
        }
        self.cancel.store(true, Ordering::SeqCst);
        // Writing may have begun in between: then the request is void.
        !self.writing.load(Ordering::SeqCst)
    }

    /// Whether the operation should stop (a cancel before it began writing).
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst) && !self.writing.load(Ordering::SeqCst)
    }

    /// The operation is about to write: no cancel from now on. `false` when a
    /// cancel came first — then it must not write.
    pub fn writing(&self) -> bool {
        self.writing.store(true, Ordering::SeqCst);
        if self.cancel.load(Ordering::SeqCst) {
            self.writing.store(false, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// `Err(Cancelled)` once a cancel is honoured: how a step that only
    /// looks stops between its parts.
    pub fn go_on(&self) -> crate::error::Result<()> {
        if self.is_cancelled() {
            return Err(crate::error::StoreError::Cancelled);
        }
        Ok(())
    }

    pub fn snapshot(&self) -> ProgressReport {
        let total = self.total.load(Ordering::Relaxed);
        ProgressReport {
            done: self.done.load(Ordering::Relaxed).min(total),
            total,
            writing: self.writing.load(Ordering::SeqCst),
            cancelled: self.is_cancelled(),
        }
    }
}

/// A reader that counts what it reads into a [`Progress`] and fails
/// (`Interrupted` is not used: callers retry it) once a cancel is honoured.
pub struct Counted<'p, R> {
    inner: R,
    progress: &'p Progress,
}

impl<'p, R> Counted<'p, R> {
    pub fn new(inner: R, progress: &'p Progress) -> Self {
        Self { inner, progress }
    }
}

/// What a cancelled read or write fails with (told apart from a real I/O
/// error by [`was_cancelled`]).
#[derive(Debug)]
struct CancelledIo;

impl std::fmt::Display for CancelledIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for CancelledIo {}

/// The error a cancelled read or write gives.
pub fn cancelled_error() -> std::io::Error {
    std::io::Error::other(CancelledIo)
}

/// Whether `e` is a cancel (a [`cancelled_error`] on its way up), not a real
/// failure: a full disk or a taken name keeps its own error.
pub fn was_cancelled(e: &crate::error::StoreError) -> bool {
    match e {
        crate::error::StoreError::Cancelled => true,
        crate::error::StoreError::Io { source, .. } => {
            source.get_ref().is_some_and(|r| r.is::<CancelledIo>())
        }
        _ => false,
    }
}

/// Turns a cancel on its way up into [`crate::error::StoreError::Cancelled`];
/// any other error stays as it is.
pub fn cancelled_or(e: crate::error::StoreError) -> crate::error::StoreError {
    if was_cancelled(&e) {
        crate::error::StoreError::Cancelled
    } else {
        e
    }
}

/// Writes `bytes` a chunk (64 KiB) at a time through a [`CountedWrite`], so
/// a cancel is seen and the bar moves while a large file is written; the
/// crash point `file.half_written` halfway, as `fsutil::write_new` has.
pub fn write_all_counted(
    w: &mut dyn std::io::Write,
    bytes: &[u8],
    progress: &Progress,
) -> std::io::Result<()> {
    use std::io::Write;
    let (first, second) = bytes.split_at(bytes.len() / 2);
    let mut out = CountedWrite::new(w, progress);
    for chunk in first.chunks(64 << 10) {
        out.write_all(chunk)?;
    }
    crate::fault::point("file.half_written");
    for chunk in second.chunks(64 << 10) {
        out.write_all(chunk)?;
    }
    Ok(())
}

impl<R: std::io::Read> std::io::Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            return Err(cancelled_error());
        }
        let n = self.inner.read(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// A writer that counts what it writes into a [`Progress`] and fails once a
/// cancel is honoured (the file being written is then dropped by its
/// writer, e.g. `fsutil::write_new_with`'s temp file).
pub struct CountedWrite<'p, W: ?Sized> {
    inner: &'p mut W,
    progress: &'p Progress,
}

impl<'p, W: ?Sized> CountedWrite<'p, W> {
    pub fn new(inner: &'p mut W, progress: &'p Progress) -> Self {
        Self { inner, progress }
    }
}

impl<W: std::io::Write + ?Sized> std::io::Write for CountedWrite<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            return Err(cancelled_error());
        }
        let n = self.inner.write(buf)?;
        self.progress.advance(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn counts_and_stops_reading_once_cancelled() {
        let p = Progress::new();
        p.add_total(10);
        let mut r = Counted::new(&b"0123456789"[..], &p);
        let mut buf = [0u8; 4];
        assert_eq!(r.read(&mut buf).unwrap(), 4);
        assert_eq!(p.snapshot().done, 4);
        assert!(p.cancel());
        assert!(p.is_cancelled());
        assert!(r.read(&mut buf).is_err());
        assert!(!p.writing(), "a cancelled operation does not write");
    }

    #[test]
    fn a_counted_writer_stops_once_cancelled() {
        use std::io::Write;
        let p = Progress::new();
        let mut out = Vec::new();
        let mut w = CountedWrite::new(&mut out, &p);
        w.write_all(b"abc").unwrap();
        assert_eq!(p.snapshot().done, 0, "done is clamped to the total");
        p.add_total(10);
        assert_eq!(p.snapshot().done, 3);
        p.cancel();
        assert!(w.write_all(b"def").is_err());
        assert_eq!(out, b"abc");
    }

    #[test]
    fn a_cancel_is_told_apart_from_a_real_failure() {
        use crate::error::StoreError;
        let p = Progress::new();
        let big = vec![b'x'; 300 << 10];
        let mut out = Vec::new();
        write_all_counted(&mut out, &big, &p).unwrap();
        assert_eq!(out, big);
        p.cancel();
        let mut out = Vec::new();
        let e = write_all_counted(&mut out, &big, &p).unwrap_err();
        let wrapped = StoreError::io("cannot write", std::path::Path::new("f"), e);
        assert!(was_cancelled(&wrapped));
        assert!(matches!(cancelled_or(wrapped), StoreError::Cancelled));
        // A taken name or a full disk while a cancel is pending keeps its own error.
        let taken = StoreError::io(
            "cannot write",
            std::path::Path::new("f"),
            std::io::ErrorKind::AlreadyExists.into(),
        );
        assert!(!was_cancelled(&taken));
        assert!(matches!(cancelled_or(taken), StoreError::Io { .. }));
    }

    #[test]
    fn a_cancel_after_writing_began_is_refused() {
        let p = Progress::new();
        assert!(p.writing());
        assert!(!p.cancel());
        assert!(!p.is_cancelled());
        let s = p.snapshot();
        assert!(s.writing && !s.cancelled);
    }
}
