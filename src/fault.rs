//! Crash points for the fault-injection suite (`tests/faults`). With the
//! cargo feature `fault-injection` and `XWORKMATE_CRASH_AT=<n>` set, the
//! process sends itself SIGKILL — `kill -9`, no destructor, no flush — at the
//! n-th crash point it passes; `XWORKMATE_CRASH_LOG=<file>` records the points
//! passed. Without the feature (every shipped build) a point is nothing.

#[cfg(feature = "fault-injection")]
pub fn point(label: &str) {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static PASSED: AtomicU64 = AtomicU64::new(0);
    let n = PASSED.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(log) = std::env::var_os("XWORKMATE_CRASH_LOG") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = writeln!(f, "{n} {label}");
        }
    }
    let at = std::env::var("XWORKMATE_CRASH_AT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    if at == Some(n) {
        // SAFETY: kill(2) on our own pid; it does not return.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}

#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn point(_label: &str) {}
