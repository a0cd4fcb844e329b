//! One function per subcommand; each is one call into the core plus printing.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use xworkmate_store::clear::{self, ClearPlan, Kept, Removal};
use xworkmate_store::document::{DocKind, Summary};
use xworkmate_store::generation::GenerationId;
use xworkmate_store::recovery::{self, RecoveryContext, RecoveryStatus};
use xworkmate_store::sealed::read_key_text;
use xworkmate_store::settings::{self, OpenOptions, SettingsStore};
use xworkmate_store::{inspect, support, DataLocation, SecretStore, StoreError};
use zeroize::Zeroizing;

use crate::cli::{
    ClearArgs, Cli, Command, KeyArgs, RecoverArgs, SettingsCommand, ThreadsCommand,
    ThreadsExportArgs,
};
use crate::fail::{Context, Fail, KeySource, Usage};
use crate::human;
use crate::ui::Ui;
use xworkmate_store::export::ExportFormat;
use xworkmate_store::ErrorCode;

/// What a command prints and how it exits.
pub struct Output {
    pub stdout: String,
    pub exit: i32,
    /// One line for stderr (without the program name).
    pub stderr: Option<String>,
}

impl Output {
    fn ok(stdout: String) -> Self {
        Output {
            stdout,
            exit: 0,
            stderr: None,
        }
    }
}

/// Everything a command needs.
pub struct Ctx {
    pub location: DataLocation,
    pub secrets: SecretStore,
    pub ui: Ui,
    pub json: bool,
}

impl Ctx {
    /// JSON (pretty) or the human text.
    fn print<T: Serialize>(&self, doc: &T, human: impl FnOnce() -> String) -> String {
        if self.json {
            to_json(doc)
        } else {
            human()
        }
    }
}

pub fn to_json<T: Serialize>(doc: &T) -> String {
    serde_json::to_string_pretty(doc).expect("reports serialize")
}

pub fn run(cli: Cli, ui: Ui) -> Result<Output, Fail> {
    let location = match cli.data_dir {
        Some(dir) => DataLocation::explicit(dir),
        None => DataLocation::resolve(None)?,
    };
    let secrets = SecretStore::new(&location, cli.secrets.mode());
    let ctx = Ctx {
        location,
        secrets,
        ui,
        json: cli.json,
    };
    match cli.command {
        Command::Inspect(args) => Ok(inspect_cmd(&ctx, args.all)),
        Command::Report(args) => match args.from {
            Some(file) => report_from(&ctx, &file),
            None => Ok(report_cmd(&ctx)),
        },
        Command::Restore(args) => restore_cmd(&ctx, args),
        Command::RebuildDatabase(args) => rebuild_cmd(&ctx, &args),
        Command::Recover(args) => recover_cmd(&ctx, args),
        Command::Clear(args) => clear_cmd(&ctx, args),
        Command::ExportReport(args) => export_cmd(&ctx, &args.out),
        Command::Settings(SettingsCommand::Show) => settings_show(&ctx),
        Command::Settings(SettingsCommand::Save { input }) => {
            save_cmd(&ctx, DocKind::Settings, &input)
        }
        Command::Threads(ThreadsCommand::List(args)) => threads_list(&ctx, args.all),
        Command::Threads(ThreadsCommand::Save { input }) => {
            save_cmd(&ctx, DocKind::Threads, &input)
        }
        Command::Threads(ThreadsCommand::Export(args)) => threads_export(&ctx, args),
    }
}

// ------------------------------------------------------------------ inspect

fn inspect_cmd(ctx: &Ctx, all: bool) -> Output {
    let i = inspect::inspect(&ctx.location, &ctx.secrets);
    Output::ok(ctx.print(&i, || human::inspection(&ctx.ui, &i, all)))
}

// ------------------------------------------------------------------- report

fn report_cmd(ctx: &Ctx) -> Output {
    let r = support::locked_report(&ctx.location, &ctx.secrets);
    Output::ok(ctx.print(&r, || {
        human::locked_report(&ctx.ui, ctx.location.data_dir(), &r)
    }))
}

/// An exported support report, opened: the same shapes as a live report.
fn report_from(ctx: &Ctx, file: &Path) -> Result<Output, Fail> {
    let r = support::open_report(file)?;
    Ok(Output::ok(
        ctx.print(&r, || human::opened_report(&ctx.ui, file, &r)),
    ))
}

// ------------------------------------------------------------------ restore

/// The JSON of `restore`: the plan, and what was written.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RestoreJson<'a> {
    #[serde(flatten)]
    plan: &'a xworkmate_store::restore::RestorePlan,
    executed: bool,
    dry_run: bool,
    refused: bool,
    restored: Vec<xworkmate_store::restore::RestoreItem>,
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::opt_path")]
    safety_backup: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
}

fn rebuild_cmd(ctx: &Ctx, args: &crate::cli::RebuildArgs) -> Result<Output, Fail> {
    use xworkmate_store::rebuild;
    // A large database takes seconds: its progress on stderr, on a terminal.
    let progress = xworkmate_store::progress::Progress::new();
    let task = crate::ui::Task::Rebuild;
    if args.dry_run || !args.yes {
        let plan = crate::ui::with_progress_line(&ctx.ui, task, &progress, || {
            rebuild::plan_with_progress(&ctx.location, &progress)
        })?;
        let refusal = (!args.dry_run).then_some(Fail::Usage(Usage::RefuseRebuild));
        let mut doc = serde_json::to_value(&plan).unwrap_or_default();
        doc["dryRun"] = args.dry_run.into();
        doc["refused"] = refusal.is_some().into();
        if let Some(f) = &refusal {
            doc["error"] = f.json()["error"].clone();
        }
        let stdout = ctx.print(&doc, || human::rebuild(&ctx.ui, &plan, args.dry_run));
        return Ok(Output {
            stdout,
            exit: if refusal.is_some() { 2 } else { 0 },
            stderr: refusal.map(|f| ctx.ui.error_line(&f.human(&ctx.ui))),
        });
    }
    let done = crate::ui::with_progress_line(&ctx.ui, task, &progress, || {
        rebuild::execute_with_progress(&ctx.location, &progress)
    })?;
    let mut doc = serde_json::to_value(&done).unwrap_or_default();
    doc["dryRun"] = false.into();
    doc["refused"] = false.into();
    Ok(Output::ok(
        ctx.print(&doc, || human::rebuild(&ctx.ui, &done, false)),
    ))
}

fn restore_cmd(ctx: &Ctx, args: crate::cli::RestoreArgs) -> Result<Output, Fail> {
    use xworkmate_store::restore;
    // A large backup takes seconds: its progress on stderr, on a terminal.
    let task = crate::ui::Task::Restore;
    let reading = xworkmate_store::progress::Progress::new();
    let plan = crate::ui::with_progress_line(&ctx.ui, task, &reading, || {
        restore::plan_with_progress(&ctx.location, &args.file, &reading)
    })
    .map_err(|e| Fail::input(args.file.display().to_string(), e))?;
    let conflict = !plan.conflicts().is_empty() && !args.replace;
    if args.dry_run || !args.yes || conflict {
        let refusal = if args.dry_run {
            None
        } else if !args.yes {
            Some(Fail::Usage(Usage::RefuseRestore))
        } else {
            Some(Fail::store(xworkmate_store::StoreError::RestoreConflict(
                plan.conflicts()
                    .iter()
                    .map(|c| c.path.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )))
        };
        let doc = RestoreJson {
            plan: &plan,
            executed: false,
            dry_run: args.dry_run,
            refused: refusal.is_some(),
            restored: Vec::new(),
            safety_backup: None,
            error: refusal.as_ref().map(|f| f.json()["error"].clone()),
        };
        let stdout = ctx.print(&doc, || {
            human::restore(&ctx.ui, &plan, None, args.dry_run, args.list.all)
        });
        return Ok(Output {
            stdout,
            exit: if refusal.is_some() { 2 } else { 0 },
            stderr: refusal.map(|f| ctx.ui.error_line(&f.human(&ctx.ui))),
        });
    }
    xworkmate_store::guard::refuse_if_running(&ctx.location)?;
    let writing = xworkmate_store::progress::Progress::new();
    let outcome = crate::ui::with_progress_line(&ctx.ui, task, &writing, || {
        restore::execute_with_progress(
            &ctx.location,
            &plan,
            args.replace,
            args.backup.as_deref(),
            &writing,
        )
    })?;
    let doc = RestoreJson {
        plan: &plan,
        executed: true,
        dry_run: false,
        refused: false,
        restored: outcome.restored.clone(),
        safety_backup: outcome.safety_backup.clone(),
        error: None,
    };
    Ok(Output::ok(ctx.print(&doc, || {
        human::restore(&ctx.ui, &plan, Some(&outcome), false, args.list.all)
    })))
}

// ------------------------------------------------------------------ recover

/// Exit code of a recovery status (issue 4).
pub fn recovery_exit(status: RecoveryStatus) -> i32 {
    match status {
        RecoveryStatus::None | RecoveryStatus::Migrated | RecoveryStatus::Recoverable => 0,
        RecoveryStatus::LockedLegacyState => 3,
        RecoveryStatus::Failed => 1,
    }
}

/// The candidate key from `--key <B64URL|->` or `--key-file`, with where it
/// came from (for messages). Never printed.
fn supplied_key(args: &KeyArgs) -> Result<Option<(Zeroizing<String>, KeySource)>, Fail> {
    if let Some(k) = &args.key {
        if k == "-" {
            let text = read_key_text(std::io::stdin(), Path::new("stdin"))
                .map_err(|e| Fail::input("--key -", e))?;
            return Ok(Some((text, KeySource::Stdin)));
        }
        return Ok(Some((Zeroizing::new(k.trim().to_string()), KeySource::Arg)));
    }
    if let Some(path) = &args.key_file {
        let what = KeySource::File(path.clone());
        let file =
            std::fs::File::open(path).map_err(|e| Fail::store(io_error("cannot read", path, e)))?;
        let text = read_key_text(file, path).map_err(|e| match e {
            e @ StoreError::KeyInvalid => Fail::with_context(Context::Key(what.clone()), e),
            e => Fail::store(e),
        })?;
        return Ok(Some((text, what)));
    }
    Ok(None)
}

fn threads_export(ctx: &Ctx, args: ThreadsExportArgs) -> Result<Output, Fail> {
    let format = args.format.unwrap_or_else(|| {
        args.out
            .extension()
            .and_then(|e| e.to_str())
            .and_then(ExportFormat::parse)
            .unwrap_or(ExportFormat::Html)
    });
    let key = supplied_key(&args.keys)?;
    let done = xworkmate_store::export::export_threads(
        &ctx.location,
        &ctx.secrets,
        args.generation,
        format,
        &args.out,
        key.as_ref().map(|(k, _)| k.as_str()),
    )?;
    Ok(Output::ok(
        ctx.print(&done, || human::threads_export(&ctx.ui, &done)),
    ))
}

fn recover_cmd(ctx: &Ctx, args: RecoverArgs) -> Result<Output, Fail> {
    let key = supplied_key(&args.keys)?;
    if args.test_key {
        let (key, what) = key.expect("clap requires a key with --test-key");
        let t = recovery::test_key(&ctx.location, &ctx.secrets, &key);
        if !t.valid {
            return Err(Fail::with_context(
                Context::Key(what),
                StoreError::KeyInvalid,
            ));
        }
        let exit = if t.opens.is_empty() { 3 } else { 0 };
        let stdout = ctx.print(&t, || human::key_test(&ctx.ui, ctx.location.data_dir(), &t));
        return Ok(Output {
            stdout,
            exit,
            stderr: None,
        });
    }
    if !args.dry_run {
        // Nothing at all is written while XWorkmate runs on this folder.
        xworkmate_store::guard::refuse_if_running(&ctx.location)?;
        xworkmate_store::generation::refuse_if_a_is_not_current(&ctx.location)?;
        xworkmate_store::generation::refuse_if_one_level_too_high(&ctx.location)?;
    }
    // A large store takes seconds: its progress on stderr, on a terminal.
    let progress = xworkmate_store::progress::Progress::new();
    let report =
        crate::ui::with_progress_line(&ctx.ui, crate::ui::Task::Recover, &progress, || {
            recovery::run_with_progress(
                &RecoveryContext {
                    location: &ctx.location,
                    secrets: &ctx.secrets,
                    supplied_key: key.as_ref().map(|(k, _)| k.as_str()),
                },
                args.dry_run,
                &progress,
            )
        })
        .expect("nothing cancels a recovery run from the command line");
    let exit = recovery_exit(report.status);
    // A failed run keeps its report and adds the error (issue 4: exit 1 carries
    // `error`).
    let error = (report.status == RecoveryStatus::Failed).then(|| {
        let dir = ctx.location.data_dir().display();
        ReportError::new(
            ErrorCode::RecoveryFailed,
            format!(
                "recovery {} in {dir}: {}",
                if report.dry_run {
                    "would fail"
                } else {
                    "failed"
                },
                report.details
            ),
            format!(
                "{dir} 的恢复{}：{}{}",
                if report.dry_run {
                    "将失败"
                } else {
                    "失败"
                },
                crate::words::error(ErrorCode::RecoveryFailed).1,
                crate::fail::DETAIL_HINT
            ),
        )
    });
    let doc = WithError {
        report: &report,
        error: error.as_ref().map(ReportError::json),
    };
    let stdout = ctx.print(&doc, || {
        human::recovery(&ctx.ui, ctx.location.data_dir(), &report, None)
    });
    Ok(Output {
        stdout,
        exit,
        stderr: error.map(|e| e.stderr(&ctx.ui)),
    })
}

/// The error of a command that still prints its report (a failed recovery,
/// secrets missing after a clear): `{"code", "message"}` beside the report
/// (English), and a line on stderr in the output language.
struct ReportError {
    code: ErrorCode,
    message: String,
    zh: String,
}

impl ReportError {
    fn new(code: ErrorCode, message: String, zh: String) -> Self {
        ReportError {
            code,
            message: crate::fail::one_line(&message),
            zh: crate::fail::one_line(&zh),
        }
    }

    fn json(&self) -> Value {
        serde_json::json!({"code": self.code, "message": self.message})
    }

    fn stderr(&self, ui: &Ui) -> String {
        ui.error_line(match ui.lang {
            crate::ui::Lang::En => &self.message,
            crate::ui::Lang::Zh => &self.zh,
        })
    }
}

/// A report with a top-level `error` next to its own fields.
#[derive(Serialize)]
struct WithError<'a, T: Serialize> {
    #[serde(flatten)]
    report: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<Value>,
}

// -------------------------------------------------------------------- clear

/// The JSON of `clear`: the plan, what was removed (empty unless it ran), what
/// is kept, and the backup.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClearJson<'a> {
    // Paths serialize lossily: a folder name that is not UTF-8 must not make
    // the JSON fail after the write is done.
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::path")]
    pub data_dir: &'a Path,
    /// True when clear ran (`--yes`).
    pub executed: bool,
    pub dry_run: bool,
    /// True when clear was refused for want of `--yes` (exit 2).
    pub refused: bool,
    /// The generation cleared (`--generation`, else the current one).
    pub generation: GenerationId,
    /// Every generation in the folder, oldest first.
    pub generations_present: &'a [GenerationId],
    /// What the clear takes (everything, or a part).
    pub scope: xworkmate_store::clear::ClearScope,
    /// What it means, in counts (what goes; `kept` is what stays).
    pub consequences: &'a xworkmate_store::clear::ClearConsequences,
    /// A part of the threads: the thread list written again (planned).
    pub rewrite: Option<xworkmate_store::clear::ThreadRewrite>,
    /// After a run: the thread list as written again.
    pub rewritten: Option<xworkmate_store::clear::ThreadRewrite>,
    /// The plan, in execution order.
    pub planned: &'a [Removal],
    pub planned_bytes: u64,
    pub removed: Vec<Removal>,
    /// Planned items still there after a clear that stopped part-way.
    pub remaining: Vec<Removal>,
    pub kept: &'a Kept,
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::opt_path")]
    pub backup: Option<PathBuf>,
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::paths")]
    pub left_in_place: &'a [PathBuf],
    /// After a run: every secret present before is present after (`null` when it did not run).
    pub secrets_verified: Option<bool>,
    /// After a run: secrets that could not be read, so not checked.
    pub secrets_unchecked: Vec<String>,
    pub secrets_missing_after: Vec<String>,
    pub warnings: Vec<xworkmate_store::Notice>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

fn clear_cmd(ctx: &Ctx, args: ClearArgs) -> Result<Output, Fail> {
    let plan: ClearPlan =
        clear::plan_scoped(&ctx.location, &ctx.secrets, args.generation, args.scope())?;
    if args.dry_run || !args.yes {
        let refused = !args.dry_run;
        let refusal = Fail::Usage(Usage::RefuseClear);
        let doc = ClearJson {
            data_dir: &plan.data_dir,
            executed: false,
            dry_run: args.dry_run,
            refused,
            generation: plan.generation,
            generations_present: &plan.generations_present,
            scope: plan.scope,
            consequences: &plan.consequences,
            rewrite: plan.rewrite,
            rewritten: None,
            planned: &plan.removals,
            planned_bytes: plan.total_bytes,
            removed: Vec::new(),
            remaining: Vec::new(),
            kept: &plan.kept,
            backup: None,
            left_in_place: &plan.left_in_place,
            secrets_verified: None,
            secrets_unchecked: Vec::new(),
            secrets_missing_after: Vec::new(),
            warnings: plan.warnings.clone(),
            error: refused.then(|| refusal.json()["error"].clone()),
        };
        let stdout = ctx.print(&doc, || {
            human::clear(&ctx.ui, &doc, args.backup.as_deref(), args.list.all)
        });
        return Ok(Output {
            stdout,
            exit: if refused { 2 } else { 0 },
            stderr: refused.then(|| ctx.ui.error_line(&refusal.human(&ctx.ui))),
        });
    }
    // clear::execute refuses too; asking first keeps the message the same.
    xworkmate_store::guard::refuse_if_running(&ctx.location)?;
    let outcome = clear::execute(&ctx.location, &ctx.secrets, &plan, args.backup.as_deref())?;
    // Clear never removes a secret; one missing afterwards (removed by something
    // else meanwhile) is an error, reported with the outcome.
    let dir = plan.data_dir.display();
    let incomplete = outcome.failure.as_ref().map(|f| {
        ReportError::new(
            ErrorCode::ClearIncomplete,
            format!(
                "the clear of {dir} stopped part-way ({}: {}); {} removed, {} remain — run clear again to finish",
                f.code,
                f.message,
                outcome.removed.len(),
                outcome.remaining.len()
            ),
            format!(
                "{dir} 的清理中途停止（{}）：已删除 {} 项，还剩 {} 项。再次运行 clear 即可完成。{}",
                f.code,
                outcome.removed.len(),
                outcome.remaining.len(),
                crate::fail::DETAIL_HINT
            ),
        )
    });
    let error = incomplete.or_else(|| (!outcome.secrets_missing_after.is_empty()).then(|| {
        let names = outcome.secrets_missing_after.join(", ");
        ReportError::new(
            ErrorCode::SecretsMissing,
            format!(
                "after clearing {dir}, these secrets are missing: {names} (clear does not remove secrets; check what else changed them)"
            ),
            format!(
                "清理 {dir} 后，这些密钥不见了：{}（清理从不删除密钥；请检查还有什么更改了它们）。",
                outcome.secrets_missing_after.join("、")
            ),
        )
    }));
    let doc = ClearJson {
        data_dir: &plan.data_dir,
        executed: true,
        dry_run: false,
        refused: false,
        generation: plan.generation,
        generations_present: &plan.generations_present,
        scope: plan.scope,
        consequences: &plan.consequences,
        rewrite: plan.rewrite,
        rewritten: outcome.rewritten,
        planned: &plan.removals,
        planned_bytes: plan.total_bytes,
        removed: outcome.removed.clone(),
        remaining: outcome.remaining.clone(),
        kept: &outcome.kept,
        backup: outcome.backup.clone(),
        left_in_place: &plan.left_in_place,
        secrets_verified: Some(outcome.secrets_verified),
        secrets_unchecked: outcome.secrets_unchecked.clone(),
        secrets_missing_after: outcome.secrets_missing_after.clone(),
        warnings: outcome.warnings.clone(),
        error: error.as_ref().map(ReportError::json),
    };
    let stdout = ctx.print(&doc, || human::clear(&ctx.ui, &doc, None, args.list.all));
    Ok(Output {
        stdout,
        exit: if error.is_some() { 1 } else { 0 },
        stderr: error.map(|e| e.stderr(&ctx.ui)),
    })
}

// ------------------------------------------------------------ export-report

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportJson<'a> {
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::path")]
    out: &'a Path,
    bytes: u64,
    database_integrity: String,
    recovery_status: String,
    warning_count: usize,
}

fn export_cmd(ctx: &Ctx, out: &Path) -> Result<Output, Fail> {
    let progress = xworkmate_store::progress::Progress::new();
    let report =
        crate::ui::with_progress_line(&ctx.ui, crate::ui::Task::Report, &progress, || {
            support::export_with_progress(&ctx.location, &ctx.secrets, out, &progress)
        })?;
    let doc = ExportJson {
        out,
        bytes: std::fs::metadata(out).map(|m| m.len()).unwrap_or(0),
        database_integrity: crate::ui::word(&report.database_integrity),
        recovery_status: crate::ui::word(&report.recovery.status),
        warning_count: report.warnings.len(),
    };
    Ok(Output::ok(ctx.print(&doc, || {
        human::export(&ctx.ui, doc.out, doc.bytes)
    })))
}

// ----------------------------------------------------------------- settings

fn settings_show(ctx: &Ctx) -> Result<Output, Fail> {
    let doc = settings::read_document_readonly(&ctx.location, DocKind::Settings)?;
    if ctx.json {
        // The document itself, as stored (every field, in its order), or `{}`.
        let text = doc.as_ref().map_or("{}".to_string(), |d| d.text.clone());
        return Ok(Output::ok(text));
    }
    Ok(Output::ok(human::settings(
        &ctx.ui,
        &ctx.location,
        doc.as_ref(),
    )))
}

fn threads_list(ctx: &Ctx, all: bool) -> Result<Output, Fail> {
    let doc = settings::read_summary_readonly(&ctx.location, DocKind::Threads)?;
    let (source, threads) = match doc {
        Some((source, Summary::Threads(t))) => (Some(source), t.threads),
        _ => (None, Vec::new()),
    };
    Ok(Output::ok(ctx.print(&threads, || {
        human::threads(&ctx.ui, source, &threads, all)
    })))
}

// --------------------------------------------------------------------- save

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SavedJson<'a> {
    saved: &'static str,
    input: &'a str,
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::path")]
    data_dir: &'a Path,
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::path")]
    database: PathBuf,
    #[serde(serialize_with = "xworkmate_store::fsutil::lossy::path")]
    mirror: PathBuf,
    bytes: usize,
}

fn save_cmd(ctx: &Ctx, doc: DocKind, input: &str) -> Result<Output, Fail> {
    let (text, what) = if input == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Fail::store(io_error("cannot read", "stdin", e)))?;
        (text, "stdin".to_string())
    } else {
        let text = std::fs::read_to_string(input)
            .map_err(|e| Fail::store(io_error("cannot read", input, e)))?;
        (text, input.to_string())
    };
    // Validate before opening the store, so a rejected document writes nothing.
    xworkmate_store::document::validate_to_save(doc, text.trim()).map_err(|why| {
        Fail::input(
            what.clone(),
            StoreError::InvalidInput {
                what: doc.as_str().to_string(),
                message: why,
            },
        )
    })?;
    xworkmate_store::guard::refuse_if_running(&ctx.location)?;
    xworkmate_store::generation::refuse_if_a_is_not_current(&ctx.location)?;
    xworkmate_store::generation::refuse_if_one_level_too_high(&ctx.location)?;
    let store = SettingsStore::open(&ctx.location, OpenOptions::default())?;
    store.write_document(doc, &text).map_err(|e| match e {
        e @ StoreError::InvalidInput { .. } => Fail::input(what.clone(), e),
        e => Fail::store(e),
    })?;
    let saved = SavedJson {
        saved: doc.as_str(),
        input: &what,
        data_dir: ctx.location.data_dir(),
        database: ctx.location.database(),
        mirror: doc.mirror_path(&ctx.location),
        bytes: text.trim().len(),
    };
    Ok(Output::ok(ctx.print(&saved, || {
        human::saved(&ctx.ui, doc, &saved.database, &saved.mirror, saved.bytes)
    })))
}

fn io_error(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> StoreError {
    StoreError::Io {
        action,
        path: path.into(),
        source,
    }
}
