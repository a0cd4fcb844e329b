//! XWorkmate Diagnostics: the Tauri v2 desktop shell over the `xworkmate-store`
//! core. This crate only adapts: it parses the command line, keeps the resolved
//! data dir in Tauri state and turns core results into IPC values; every storage
//! operation lives in the core (see ARCHITECTURE.md).
//!
//! [`build_app`] takes any [`tauri::Runtime`] so that tests can drive the real
//! commands with `tauri::test::mock_builder()` and [`context`].

mod args;
mod commands;

use std::path::PathBuf;
use std::process::ExitCode;

pub use args::{Args, ParsedArgs, USAGE};
pub use commands::{AppInfo, CommandError};
use xworkmate_store::DataLocation;

/// What the commands share: the data dir chosen at start-up.
#[derive(Debug)]
pub struct AppState {
    location: Result<DataLocation, CommandError>,
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
            location: location.map_err(|e| CommandError::from(&e)),
        }
    }

    pub fn location(&self) -> Result<&DataLocation, CommandError> {
        self.location.as_ref().map_err(Clone::clone)
    }
}

/// Registers the app's state and commands on `builder`.
pub fn build_app<R: tauri::Runtime>(
    builder: tauri::Builder<R>,
    state: AppState,
) -> tauri::Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![commands::app_info])
}

/// The app's context: ../tauri.conf.json, the embedded ui/dist, the icons and
/// the capabilities.
pub fn context<R: tauri::Runtime>() -> tauri::Context<R> {
    tauri::generate_context!("../tauri.conf.json")
}

/// Runs the app with the process's command line; returns the exit code.
pub fn run() -> ExitCode {
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
    let app = build_app(tauri::Builder::default(), AppState::new(args.data_dir));
    match app.run(context()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xworkmate-diagnostics: {error}");
            ExitCode::FAILURE
        }
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
