//! XWorkmate Diagnostics: the Tauri v2 desktop shell over the `xworkmate-store`
//! core. This crate only adapts: it parses the command line, keeps the resolved
//! data dir in Tauri state and turns core results into IPC values; every storage
//! operation lives in the core (see ARCHITECTURE.md).
//!
//! [`build_app`] takes any [`tauri::Runtime`] so that tests can drive the real
//! commands with `tauri::test::mock_builder()` and [`context`].

mod args;
#[macro_use]
mod commands;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

pub use args::{Args, ParsedArgs, USAGE};
pub use commands::{AppInfo, CommandError};
use xworkmate_store::clear::ClearPlan;
use xworkmate_store::secret::{SecretValue, SecretsMode};
use xworkmate_store::DataLocation;

/// What the commands share: the data dir (chosen at start-up, or with "Open
/// another data folder…"), the secrets mode, the remembered candidate key and
/// clear plan, and the paths the command line presets for dialogs.
#[derive(Debug)]
pub struct AppState {
    location: Mutex<Result<DataLocation, CommandError>>,
    secrets_mode: SecretsMode,
    candidate_key: Mutex<Option<SecretValue>>,
    plan: Mutex<Option<ClearPlan>>,
    backup_to: Option<PathBuf>,
    export_to: Option<PathBuf>,
    threads_to: Option<PathBuf>,
    restore_from: Option<PathBuf>,
    report_from: Option<PathBuf>,
    restore_plan: Mutex<Option<xworkmate_store::restore::RestorePlan>>,
    key_file: Option<PathBuf>,
    /// The UI's language (`set_language`), for the native dialogs' titles.
    zh: std::sync::atomic::AtomicBool,
    /// The long operation now running (a recovery): its progress, for
    /// `progress` and `cancel`.
    progress: Mutex<Option<std::sync::Arc<xworkmate_store::progress::Progress>>>,
}

impl AppState {
    /// Resolves the data dir as the CLI does: `explicit` (`--data-dir`), else
    /// `XWORKMATE_DATA_DIR`, else the OS default. A failure is kept and reported
    /// by every command that needs the data dir.
    pub fn new(explicit: Option<PathBuf>) -> Self {
        Self::from_resolved(DataLocation::resolve(explicit))
    }

    /// State from an already resolved data dir (or the failure to find one).
    pub fn from_resolved(location: xworkmate_store::Result<DataLocation>) -> Self {
        Self {
            location: Mutex::new(location.map_err(|e| CommandError::from(&e))),
            secrets_mode: SecretsMode::Auto,
            candidate_key: Mutex::new(None),
            plan: Mutex::new(None),
            backup_to: None,
            export_to: None,
            threads_to: None,
            restore_from: None,
            report_from: None,
            restore_plan: Mutex::new(None),
            key_file: None,
            zh: std::sync::atomic::AtomicBool::new(false),
            progress: Mutex::new(None),
        }
    }

    /// State from the command line.
    pub fn from_args(args: &Args) -> Self {
        Self {
            secrets_mode: args.secrets.unwrap_or_default(),
            backup_to: args.backup_to.clone(),
            export_to: args.export_to.clone(),
            threads_to: args.threads_to.clone(),
            restore_from: args.restore_from.clone(),
            report_from: args.report_from.clone(),
            key_file: args.key_file.clone(),
            ..Self::new(args.data_dir.clone())
        }
    }

    /// Uses another secrets mode (tests: `file`).
    pub fn with_secrets_mode(mut self, mode: SecretsMode) -> Self {
        self.secrets_mode = mode;
        self
    }

    /// Presets where backups and exported reports go, instead of a save dialog.
    pub fn with_save_paths(
        mut self,
        backup_to: Option<PathBuf>,
        export_to: Option<PathBuf>,
    ) -> Self {
        self.backup_to = backup_to;
        self.export_to = export_to;
        self
    }

    /// Presets the backup to restore and the report to open, instead of
    /// open dialogs.
    pub fn with_open_paths(
        mut self,
        restore_from: Option<PathBuf>,
        report_from: Option<PathBuf>,
    ) -> Self {
        self.restore_from = restore_from;
        self.report_from = report_from;
        self
    }

    fn restore_plan(&self) -> Option<xworkmate_store::restore::RestorePlan> {
        lock(&self.restore_plan).clone()
    }

    fn set_restore_plan(&self, plan: Option<xworkmate_store::restore::RestorePlan>) {
        *lock(&self.restore_plan) = plan;
    }

    /// Presets where exported threads go, instead of a save dialog.
    pub fn with_threads_path(mut self, threads_to: Option<PathBuf>) -> Self {
        self.threads_to = threads_to;
        self
    }

    pub fn location(&self) -> Result<DataLocation, CommandError> {
        lock(&self.location).clone()
    }

    /// The UI shows Chinese (the native dialogs follow it).
    fn zh(&self) -> bool {
        self.zh.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn set_zh(&self, zh: bool) {
        self.zh.store(zh, std::sync::atomic::Ordering::Relaxed);
    }

    fn set_location(&self, location: DataLocation) {
        *lock(&self.location) = Ok(location);
        // A new folder: anything remembered about the old one is void.
        *lock(&self.plan) = None;
        *lock(&self.restore_plan) = None;
        *lock(&self.candidate_key) = None;
    }

    fn candidate_key(&self) -> Option<SecretValue> {
        lock(&self.candidate_key).clone()
    }

    fn set_candidate_key(&self, key: Option<SecretValue>) {
        *lock(&self.candidate_key) = key;
    }

    /// A long operation starts: its progress is the one `progress` shows.
    fn start_progress(&self) -> std::sync::Arc<xworkmate_store::progress::Progress> {
        let p = std::sync::Arc::new(xworkmate_store::progress::Progress::new());
        *lock(&self.progress) = Some(p.clone());
        p
    }

    /// It ended (a later one may have started meanwhile: that one stays).
    fn end_progress(&self, p: &std::sync::Arc<xworkmate_store::progress::Progress>) {
        let mut now = lock(&self.progress);
        if now.as_ref().is_some_and(|c| std::sync::Arc::ptr_eq(c, p)) {
            *now = None;
        }
    }

    fn current_progress(&self) -> Option<std::sync::Arc<xworkmate_store::progress::Progress>> {
        lock(&self.progress).clone()
    }

    fn plan(&self) -> Option<ClearPlan> {
        lock(&self.plan).clone()
    }

    fn set_plan(&self, plan: Option<ClearPlan>) {
        *lock(&self.plan) = plan;
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Registers the app's plugins, state and commands on `builder`.
pub fn build_app<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(all_commands!())
}

/// The app's context: tauri.conf.json, the embedded ui/dist, the icons and
/// the capabilities.
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// When the process started (as near as the app can tell: `run`'s first
/// line), for `painted`.
fn started() -> std::time::Instant {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *STARTED.get_or_init(std::time::Instant::now)
}

/// Runs the app with the process's command line; returns the exit code.
pub fn run() -> ExitCode {
    started();
    let args = match Args::parse(std::env::args_os().skip(1)) {
        Ok(ParsedArgs::Run(args)) => args,
        Ok(ParsedArgs::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("xworkmate-diagnostics: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Err(message) = check_display() {
        eprintln!("xworkmate-diagnostics: {message}");
        return ExitCode::FAILURE;
    }
    // Still one thread: before GTK and WebKit start.
    software_rendering_setup();
    let app = build_app(tauri::Builder::default(), AppState::from_args(&args));
    match app.run(context()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xworkmate-diagnostics: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The environment variable WebKitGTK reads to leave its DMA-BUF renderer.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const DMABUF_OFF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Whether to turn WebKitGTK's DMA-BUF renderer off: only when the machine
/// has no GPU render node (a virtual machine, a remote or virtual display),
/// where that renderer composites every frame through software OpenGL — on
/// 2 cores, about 100 ms a frame, twice as long to the first painted window
/// (`scripts/bench-app`). Its older shared-memory path paints the same page
/// in about 10 ms. A GPU, or the user's own setting of the variable, is left
/// alone.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn dmabuf_off(render_node: bool, user_set: bool) -> bool {
    !render_node && !user_set
}

/// Whether `/dev/dri` holds a render node (`renderD128`, …).
#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|d| {
        d.flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// See [`dmabuf_off`]. Called before any thread, GTK or WebKit starts.
fn software_rendering_setup() {
    #[cfg(target_os = "linux")]
    if dmabuf_off(has_render_node(), std::env::var_os(DMABUF_OFF).is_some()) {
        // Single-threaded still: nothing else reads the environment now.
        std::env::set_var(DMABUF_OFF, "1");
    }
}

/// Without a display, GTK's initialisation panics deep inside Tauri; say what is
/// wrong instead.
fn check_display() -> Result<(), String> {
    #[cfg(any(
        target_os = "linux",
        target_os = "dragonfly",
        target_os = "freebsd",
        target_os = "netbsd",
        target_os = "openbsd"
    ))]
    {
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        if !set("DISPLAY") && !set("WAYLAND_DISPLAY") {
            return Err("no display: neither DISPLAY nor WAYLAND_DISPLAY is set.\n\
                 Start it from a desktop session, or under a virtual X server, e.g.\n\
                 \n    xvfb-run -a xworkmate-diagnostics [--data-dir DIR]"
                .to_string());
        }
    }
    Ok(())
}

#[cfg(test)]
mod rendering_tests {
    use super::dmabuf_off;

    #[test]
    fn the_dmabuf_renderer_is_left_only_without_a_gpu_and_without_the_users_say() {
        assert!(dmabuf_off(false, false), "no render node: software path");
        assert!(!dmabuf_off(true, false), "a GPU: WebKit's default");
        assert!(!dmabuf_off(false, true), "the user's setting stands");
        assert!(!dmabuf_off(true, true));
    }
}
