//! The IPC commands. Each is a thin, async adapter: read the app state, run the
//! core call on a blocking thread (so the window never freezes), map the
//! result. Errors cross the IPC boundary as `{code, message}` with the core's
//! stable codes, so the UI never classifies errors by message text.
//!
//! Paths to write (backup, exported report) come from a save dialog shown here,
//! or from the command line (`--backup-to`, `--export-to`), never from the page.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;
use xworkmate_store::clear::{self, ClearOutcome, ClearPlan};
use xworkmate_store::export::{self, ExportFormat, ThreadsExport};
use xworkmate_store::generation::GenerationId;
use xworkmate_store::guard;
use xworkmate_store::inspect::{self, Inspection};
use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::recovery::{self, KeyTest, RecoveryContext, RecoveryReport};
use xworkmate_store::restore::{self, RestoreOutcome, RestorePlan};
use xworkmate_store::secret::{SecretValue, SecretsMode};
use xworkmate_store::support::{self, LockedRecoveryReport, SupportReport};
use xworkmate_store::{DataLocation, ErrorCode, SecretStore, StoreError};

use crate::AppState;

/// An error as the UI receives it.
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    /// A stable machine code ([`StoreError::code`], or one of the app's own).
    pub code: ErrorCode,
    /// A human-readable message (English; the UI words each code itself).
    pub message: String,
}

impl From<&StoreError> for CommandError {
    fn from(error: &StoreError) -> Self {
        Self {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(error: StoreError) -> Self {
        Self::from(&error)
    }
}

impl CommandError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

type CmdResult<T> = Result<T, CommandError>;

/// What `app_info` returns.
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The commit it was built from (12 hex digits, or `unknown`).
    pub commit: String,
    /// The data dir being looked at.
    pub data_dir: String,
    /// How it was chosen: `explicit`, `environment` or `default`.
    pub data_dir_origin: DataDirOrigin,
    /// The secure storage in use.
    pub secrets_mode: SecretsMode,
    /// The system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), for the UI's default language.
    pub system_locale: String,
}

/// What `test_key` returns.
#[cfg_attr(test, derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTestResult {
    /// `pasted` or `file`.
    #[cfg_attr(test, ts(type = "'pasted' | 'file'"))]
    pub source: &'static str,
    /// The key file's name (never the key).
    pub file_name: Option<String>,
    pub test: KeyTest,
}

/// Runs blocking core work off the main thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| {
            CommandError::new(ErrorCode::Internal, format!("the operation stopped: {e}"))
        })?
}

fn system_locale() -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        // No locale set at all means the C locale.
        .unwrap_or_else(|| "C".to_string())
}

fn info(state: &AppState) -> CmdResult<AppInfo> {
    let location = state.location()?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        commit: env!("XWORKMATE_COMMIT").to_string(),
        data_dir: location.data_dir().to_string_lossy().into_owned(),
        data_dir_origin: location.origin(),
        // The mode in effect: `auto` on a folder given explicitly is `file`.
        secrets_mode: SecretStore::new(&location, state.secrets_mode).mode(),
        system_locale: system_locale(),
    })
}

/// The app's version and the data dir it looks at.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CmdResult<AppInfo> {
    if std::env::var_os("XWORKMATE_DIAG_EXIT_AFTER_PAINT").is_some() {
        println!(
            "page loaded: {} ms after start",
            crate::started().elapsed().as_millis()
        );
    }
    info(&state)
}

/// Read-only overview of the data dir.
#[tauri::command]
pub async fn inspect(state: State<'_, AppState>) -> CmdResult<Inspection> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    blocking(move || {
        Ok(inspect::inspect(
            &location,
            &SecretStore::new(&location, mode),
        ))
    })
    .await
}

/// Read-only locked-recovery report.
#[tauri::command]
pub async fn locked_report(state: State<'_, AppState>) -> CmdResult<LockedRecoveryReport> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    blocking(move || {
        Ok(support::locked_report(
            &location,
            &SecretStore::new(&location, mode),
        ))
    })
    .await
}

/// Legacy recovery; `dry_run` writes nothing.
#[tauri::command]
pub async fn recover(
    state: State<'_, AppState>,
    dry_run: bool,
    use_candidate_key: bool,
) -> CmdResult<RecoveryReport> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    let key = if use_candidate_key {
        Some(state.candidate_key().ok_or_else(|| {
            CommandError::new(ErrorCode::KeyInvalid, "no candidate key: test a key first")
        })?)
    } else {
        None
    };
    // Its progress is polled (`progress`) and it can be cancelled
    // (`cancel`) while it only reads.
    let progress = state.start_progress();
    let running = progress.clone();
    let report = blocking(move || {
        if !dry_run {
            // Nothing is written while XWorkmate runs on this folder: the UI
            // shows `xworkmate_running` as a blocking message.
            guard::refuse_if_running(&location)?;
            xworkmate_store::generation::refuse_if_a_is_not_current(&location)?;
            xworkmate_store::generation::refuse_if_one_level_too_high(&location)?;
        }
        let secrets = SecretStore::new(&location, mode);
        let ctx = RecoveryContext {
            location: &location,
            secrets: &secrets,
            supplied_key: key.as_ref().map(SecretValue::expose),
        };
        recovery::run_with_progress(&ctx, dry_run, &running).map_err(|e| CommandError::from(&e))
    })
    .await;
    state.end_progress(&progress);
    let report = report?;
    // The candidate key did its job: it is not kept in memory any longer.
    if use_candidate_key && !dry_run && report.status == recovery::RecoveryStatus::Migrated {
        state.set_candidate_key(None);
    }
    Ok(report)
}

/// Tests a pasted key, or (with `key: null`) a key file picked in a dialog,
/// against the locked sources. Writes nothing; a valid key is remembered for
/// `recover`, never sent back.
#[tauri::command]
pub async fn test_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    key: Option<String>,
) -> CmdResult<Option<KeyTestResult>> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    let (source, file_name, value) = match key {
        Some(text) => ("pasted", None, SecretValue::new(text)),
        None => {
            let picked = match state.key_file.clone() {
                Some(p) => Some(p),
                None => {
                    let heading = title(&state, "Choose a key file");
                    blocking(move || {
                        Ok(app
                            .dialog()
                            .file()
                            .set_title(heading)
                            .blocking_pick_file()
                            .and_then(|p| p.into_path().ok()))
                    })
                    .await?
                }
            };
            let Some(path) = picked else { return Ok(None) };
            // At most 4 KiB: a longer file is not a key (key_invalid).
            let text = std::fs::File::open(&path)
                .map_err(|e| StoreError::Io {
                    action: "cannot read",
                    path: path.clone(),
                    source: e,
                })
                .and_then(|f| xworkmate_store::sealed::read_key_text(f, &path))
                .map_err(CommandError::from)?;
            (
                "file",
                path.file_name().map(|n| n.to_string_lossy().into_owned()),
                SecretValue::new(text.as_str()),
            )
        }
    };
    let Some(value) = value else {
        return Err(CommandError::new(ErrorCode::KeyInvalid, "the key is empty"));
    };
    let candidate = value.clone();
    let test = blocking(move || {
        Ok(recovery::test_key(
            &location,
            &SecretStore::new(&location, mode),
            candidate.expose(),
        ))
    })
    .await?;
    state.set_candidate_key(test.valid.then_some(value));
    Ok(Some(KeyTestResult {
        source,
        file_name,
        test,
    }))
}

/// Forgets the remembered candidate key.
#[tauri::command]
pub async fn forget_candidate_key(state: State<'_, AppState>) -> CmdResult<()> {
    state.set_candidate_key(None);
    Ok(())
}

/// The clear plan (read-only) of `generation` (default: the current one),
/// of everything or of one part (`scope`, default everything); remembered
/// for `clear_execute`.
#[tauri::command]
pub async fn clear_plan(
    state: State<'_, AppState>,
    generation: Option<GenerationId>,
    scope: Option<clear::ClearScope>,
) -> CmdResult<ClearPlan> {
    // A refused plan leaves no earlier one behind for `clear_execute`.
    state.set_plan(None);
    let (location, mode) = (state.location()?, state.secrets_mode);
    let plan = blocking(move || {
        Ok(clear::plan_scoped(
            &location,
            &SecretStore::new(&location, mode),
            generation,
            scope.unwrap_or_default(),
        )?)
    })
    .await?;
    state.set_plan(Some(plan.clone()));
    Ok(plan)
}

/// Executes exactly the last plan, after writing a backup when asked (save
/// dialog, or `--backup-to`). `null` when the dialog was cancelled.
#[tauri::command]
pub async fn clear_execute<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    backup: bool,
) -> CmdResult<Option<ClearOutcome>> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    let plan = state
        .plan()
        .ok_or_else(|| CommandError::from(StoreError::StalePlan("no plan was made".into())))?;
    // Before the save dialog: nothing to ask for while XWorkmate runs.
    {
        let location = location.clone();
        blocking(move || Ok(guard::refuse_if_running(&location)?)).await?;
    }
    let backup_path = if backup {
        let name = format!("xworkmate-backup-{}.json", today());
        match save_path(
            &app,
            state.backup_to.clone(),
            title(&state, "Save a backup of settings and threads"),
            &name,
        )
        .await?
        {
            Some(p) => Some(p),
            None => return Ok(None),
        }
    } else {
        None
    };
    // Its backup's progress is polled (`progress`); `cancel` is honoured
    // while the backup is written, refused once it removes.
    let progress = state.start_progress();
    let running = progress.clone();
    let outcome = blocking(move || {
        Ok(clear::execute_with_progress(
            &location,
            &SecretStore::new(&location, mode),
            &plan,
            backup_path.as_deref(),
            &running,
        )?)
    })
    .await;
    state.end_progress(&progress);
    let outcome = outcome?;
    state.set_plan(None);
    Ok(Some(outcome))
}

/// Saves the redacted support report (save dialog, or `--export-to`).
#[tauri::command]
pub async fn export_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    let name = format!("xworkmate-support-report-{}.json", today());
    let Some(path) = save_path(
        &app,
        state.export_to.clone(),
        title(&state, "Export the support report"),
        &name,
    )
    .await?
    else {
        return Ok(None);
    };
    // Its progress is polled (`progress`); `cancel` stops it with no file.
    let progress = state.start_progress();
    let running = progress.clone();
    let exported = blocking(move || {
        support::export_with_progress(
            &location,
            &SecretStore::new(&location, mode),
            &path,
            &running,
        )?;
        Ok(Some(path.to_string_lossy().into_owned()))
    })
    .await;
    state.end_progress(&progress);
    exported
}

/// Copies the redacted support report (JSON) to the clipboard.
#[tauri::command]
pub async fn copy_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    let text = blocking(move || {
        let report = support::support_report(&location, &SecretStore::new(&location, mode));
        serde_json::to_string_pretty(&report)
            .map_err(|e| CommandError::new(ErrorCode::Internal, e.to_string()))
    })
    .await?;
    app.clipboard()
        .write_text(text)
        .map_err(|e| CommandError::new(ErrorCode::ClipboardError, e.to_string()))
}

/// Copies the data dir's path to the clipboard.
#[tauri::command]
pub async fn copy_data_dir<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    let dir = state.location()?.data_dir().to_string_lossy().into_owned();
    app.clipboard()
        .write_text(dir)
        .map_err(|e| CommandError::new(ErrorCode::ClipboardError, e.to_string()))
}

/// Opens the data dir in the file manager.
#[tauri::command]
pub async fn open_data_dir<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    let location = state.location()?;
    if !location.data_dir().is_dir() {
        return Err(StoreError::Io {
            action: "cannot open",
            path: location.data_dir().to_path_buf(),
            source: std::io::ErrorKind::NotFound.into(),
        }
        .into());
    }
    app.opener()
        .open_path(location.data_dir().to_string_lossy(), None::<&str>)
        .map_err(|e| CommandError::new(ErrorCode::OpenFailed, e.to_string()))
}

/// "Open another data folder…": a folder dialog; the new app info, or `null`.
#[tauri::command]
pub async fn choose_data_dir<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<AppInfo>> {
    let heading = title(&state, "Open an XWorkmate data folder");
    let picked = blocking(move || {
        Ok(app
            .dialog()
            .file()
            .set_title(heading)
            .blocking_pick_folder()
            .and_then(|p| p.into_path().ok()))
    })
    .await?;
    let Some(dir) = picked else { return Ok(None) };
    state.set_location(DataLocation::explicit(dir));
    Ok(Some(info(&state)?))
}

async fn save_path<R: Runtime>(
    app: &AppHandle<R>,
    preset: Option<PathBuf>,
    title: &'static str,
    file_name: &str,
) -> CmdResult<Option<PathBuf>> {
    save_path_as(app, preset, title, file_name, &[("JSON", &["json"])]).await
}

async fn save_path_as<R: Runtime>(
    app: &AppHandle<R>,
    preset: Option<PathBuf>,
    title: &'static str,
    file_name: &str,
    filters: &'static [(&'static str, &'static [&'static str])],
) -> CmdResult<Option<PathBuf>> {
    if let Some(p) = preset {
        return Ok(Some(p));
    }
    let app = app.clone();
    let file_name = file_name.to_string();
    blocking(move || {
        let mut dialog = app
            .dialog()
            .file()
            .set_title(title)
            .set_file_name(file_name);
        for (name, extensions) in filters {
            dialog = dialog.add_filter(*name, extensions);
        }
        Ok(dialog.blocking_save_file().and_then(|p| p.into_path().ok()))
    })
    .await
}

/// Exports every thread of `generation` (default: the current one) to a file
/// the user chooses (save dialog, or `--threads-to`); the format follows its
/// extension (.html, .md, .json; else HTML). Sealed generation-A threads open
/// with the stored keys or the tested candidate key. Read-only on the store.
#[tauri::command]
pub async fn export_threads<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    generation: Option<GenerationId>,
) -> CmdResult<Option<ThreadsExport>> {
    let (location, mode) = (state.location()?, state.secrets_mode);
    let label = generation.map_or("current".to_string(), |g| g.as_str().to_ascii_lowercase());
    let name = format!("xworkmate-threads-{label}-{}.html", today());
    let Some(path) = save_path_as(
        &app,
        state.threads_to.clone(),
        title(&state, "Export threads"),
        &name,
        &[
            ("HTML", &["html"]),
            ("Markdown", &["md"]),
            ("JSON", &["json"]),
        ],
    )
    .await?
    else {
        return Ok(None);
    };
    let key = state.candidate_key();
    // Its progress is polled (`progress`); `cancel` stops it with no file.
    let progress = state.start_progress();
    let running = progress.clone();
    let exported = blocking(move || {
        let format = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(ExportFormat::parse)
            .unwrap_or(ExportFormat::Html);
        Ok(Some(export::export_threads_with_progress(
            &location,
            &SecretStore::new(&location, mode),
            generation,
            format,
            &path,
            key.as_ref().map(SecretValue::expose),
            &running,
        )?))
    })
    .await;
    state.end_progress(&progress);
    exported
}

/// Asks for a file to open (or takes the command line's preset).
async fn open_path<R: Runtime>(
    app: &AppHandle<R>,
    preset: Option<PathBuf>,
    title: &'static str,
) -> CmdResult<Option<PathBuf>> {
    if let Some(p) = preset {
        return Ok(Some(p));
    }
    let app = app.clone();
    blocking(move || {
        Ok(app
            .dialog()
            .file()
            .set_title(title)
            .add_filter("JSON", &["json"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok()))
    })
    .await
}

/// The plan of restoring a clear backup the user picks (open dialog, or
/// `--restore-from`); remembered for `restore_execute`. Read-only. `null`
/// when the dialog was cancelled.
#[tauri::command]
pub async fn restore_plan<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<RestorePlan>> {
    let location = state.location()?;
    let Some(path) = open_path(
        &app,
        state.restore_from.clone(),
        title(&state, "Restore from a backup"),
    )
    .await?
    else {
        return Ok(None);
    };
    // Reading a large backup takes seconds: its progress is polled
    // (`progress`), and `cancel` stops it (it only reads).
    let progress = state.start_progress();
    let running = progress.clone();
    let plan = blocking(move || Ok(restore::plan_with_progress(&location, &path, &running)?)).await;
    state.end_progress(&progress);
    let plan = plan?;
    state.set_restore_plan(Some(plan.clone()));
    Ok(Some(plan))
}

/// Restores the remembered plan. With `replace`, what is replaced is saved
/// first into the folder's `.xworkmate-diagnostics/`.
#[tauri::command]
pub async fn restore_execute(
    state: State<'_, AppState>,
    replace: bool,
) -> CmdResult<RestoreOutcome> {
    let location = state.location()?;
    let plan = state.restore_plan().ok_or_else(|| {
        CommandError::from(StoreError::StalePlan("no restore plan was made".into()))
    })?;
    // Its progress is polled (`progress`); `cancel` is honoured until its
    // first write to the store (then nothing changed).
    let progress = state.start_progress();
    let running = progress.clone();
    let outcome = blocking(move || {
        Ok(restore::execute_with_progress(
            &location, &plan, replace, None, &running,
        )?)
    })
    .await;
    state.end_progress(&progress);
    let outcome = outcome?;
    state.set_restore_plan(None);
    Ok(outcome)
}

/// Rebuilds a damaged database from the rows it still gives and the mirror
/// files, keeping the damaged one in `.xworkmate-diagnostics/`; with
/// `dry_run`, only says what it would do.
#[tauri::command]
pub async fn rebuild_database(
    state: State<'_, AppState>,
    dry_run: bool,
) -> CmdResult<xworkmate_store::rebuild::RebuildReport> {
    let location = state.location()?;
    // Its progress is polled (`progress`); `cancel` is honoured until the
    // damaged database is moved aside (then nothing in the folder changed).
    let progress = state.start_progress();
    let running = progress.clone();
    let done = blocking(move || {
        Ok(if dry_run {
            xworkmate_store::rebuild::plan_with_progress(&location, &running)?
        } else {
            xworkmate_store::rebuild::execute_with_progress(&location, &running)?
        })
    })
    .await;
    state.end_progress(&progress);
    done
}

/// Opens a support report a user exported (open dialog, or `--report-from`).
/// Nothing of this machine is read. `null` when the dialog was cancelled.
#[tauri::command]
pub async fn open_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<SupportReport>> {
    let Some(path) = open_path(
        &app,
        state.report_from.clone(),
        title(&state, "Open a support report"),
    )
    .await?
    else {
        return Ok(None);
    };
    blocking(move || Ok(Some(support::open_report(&path)?))).await
}

/// The native dialogs' titles, in the UI's language (GLOSSARY.md's words).
const DIALOG_TITLES: [(&str, &str); 7] = [
    ("Choose a key file", "选择解密密钥文件"),
    (
        "Save a backup of settings and threads",
        "保存设置和线程的备份",
    ),
    ("Export the support report", "导出报告"),
    ("Open an XWorkmate data folder", "打开 XWorkmate 数据文件夹"),
    ("Export threads", "导出线程"),
    ("Restore from a backup", "从备份还原"),
    ("Open a support report", "打开报告"),
];

/// `en`'s title in the UI's language.
fn title(state: &AppState, en: &'static str) -> &'static str {
    if !state.zh() {
        return en;
    }
    DIALOG_TITLES
        .iter()
        .find(|(e, _)| *e == en)
        .map_or(en, |(_, zh)| zh)
}

/// The UI tells the shell its language (`en` | `zh`), for the native
/// dialogs' titles.
#[tauri::command]
pub async fn set_language(state: State<'_, AppState>, lang: String) -> CmdResult<()> {
    state.set_zh(lang == "zh");
    Ok(())
}

/// How far the running recovery, clear (its backup) or threads export is;
/// `null` when none runs.
#[tauri::command]
pub async fn progress(
    state: State<'_, AppState>,
) -> CmdResult<Option<xworkmate_store::progress::ProgressReport>> {
    Ok(state.current_progress().map(|p| p.snapshot()))
}

/// Asks the running recovery, clear or export to stop. `false` when none
/// runs, or when it writes to the store already (it then finishes).
#[tauri::command]
pub async fn cancel(state: State<'_, AppState>) -> CmdResult<bool> {
    Ok(state.current_progress().is_some_and(|p| p.cancel()))
}

/// The UI's first load is on screen (it asks after two animation frames).
/// With `XWORKMATE_DIAG_EXIT_AFTER_PAINT` set — `scripts/bench-app` — it
/// prints how long that took since the process started, and when, and quits.
#[tauri::command]
pub async fn painted<R: Runtime>(app: AppHandle<R>) -> CmdResult<()> {
    if std::env::var_os("XWORKMATE_DIAG_EXIT_AFTER_PAINT").is_some() {
        // And when, by the wall clock: the bench measures from its exec.
        let at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        println!(
            "painted: {} ms after start, at {at} ms since the epoch",
            crate::started().elapsed().as_millis()
        );
        app.exit(0);
    }
    Ok(())
}

/// Today's date as `YYYY-MM-DD`, for default file names.
fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// Every command, for `generate_handler!` and build.rs's permission list.
#[macro_export]
macro_rules! all_commands {
    () => {
        tauri::generate_handler![
            $crate::commands::app_info,
            $crate::commands::inspect,
            $crate::commands::locked_report,
            $crate::commands::recover,
            $crate::commands::test_key,
            $crate::commands::forget_candidate_key,
            $crate::commands::clear_plan,
            $crate::commands::export_threads,
            $crate::commands::restore_plan,
            $crate::commands::restore_execute,
            $crate::commands::rebuild_database,
            $crate::commands::set_language,
            $crate::commands::painted,
            $crate::commands::progress,
            $crate::commands::cancel,
            $crate::commands::open_report,
            $crate::commands::clear_execute,
            $crate::commands::export_report,
            $crate::commands::copy_report,
            $crate::commands::copy_data_dir,
            $crate::commands::open_data_dir,
            $crate::commands::choose_data_dir
        ]
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialog_titles_follow_the_ui_language() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(Some(dir.path().to_path_buf()));
        assert_eq!(title(&state, "Export threads"), "Export threads");
        state.set_zh(true);
        for (en, zh) in DIALOG_TITLES {
            assert_eq!(title(&state, en), zh);
            // Chinese titles use Chinese words only where they are words.
            assert!(!zh.contains("Choose") && !zh.is_empty());
        }
        state.set_zh(false);
        assert_eq!(
            title(&state, "Open a support report"),
            "Open a support report"
        );
    }
}
