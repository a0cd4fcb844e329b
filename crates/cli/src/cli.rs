//! Command-line arguments (the stable contract of issue 4). Global options are
//! accepted before or after the subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use xworkmate_store::export::ExportFormat;
use xworkmate_store::generation::GenerationId;
use xworkmate_store::SecretsMode;

#[derive(Debug, Parser)]
#[command(
    name = "xworkmate-diag",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("XWORKMATE_COMMIT"), ")"),
    about = "Diagnostics for XWorkmate's local data: inspect, report, recover, clear, export",
    long_about = "Diagnostics for XWorkmate's local data (settings, threads, secrets).\n\n\
        Read-only commands: inspect, report, settings show, threads list, recover --dry-run, \
        recover --test-key, clear --dry-run, restore --dry-run.\n\
        Commands that write: recover, clear --yes, restore --yes, export-report, settings save, \
        threads save, threads export (only the file it is given).\n\n\
        Exit codes: 0 success; 1 error (or recovery failed); 2 usage error, or clear or restore \
        refused without --yes; 3 recovery found locked legacy state (or a tested key opens nothing).",
    after_help = "With --json every command prints exactly one JSON document on stdout; \
        errors are {\"error\":{\"code\":…,\"message\":…}}."
)]
pub struct Cli {
    /// The data folder (holds config-store.sqlite3). Default: XWORKMATE_DATA_DIR, else the OS location.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Where secrets are read: auto (OS keyring with bounded wait, file fallback; for a folder given with --data-dir or XWORKMATE_DATA_DIR, that folder's file store), keyring, file.
    #[arg(long, global = true, value_enum, default_value_t = SecretsArg::Auto, value_name = "MODE")]
    pub secrets: SecretsArg,

    /// Print exactly one JSON document on stdout (camelCase keys).
    #[arg(long, global = true)]
    pub json: bool,

    /// Language of the human-readable output (default: from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<LangArg>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SecretsArg {
    Auto,
    Keyring,
    File,
}

impl SecretsArg {
    pub fn mode(self) -> SecretsMode {
        let word = match self {
            SecretsArg::Auto => "auto",
            SecretsArg::Keyring => "keyring",
            SecretsArg::File => "file",
        };
        word.parse()
            .expect("the core parses every CLI secrets mode")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read-only overview of the data folder (exit 0 even for a corrupt or missing store).
    Inspect(ListArgs),
    /// Read-only locked-recovery report: what recovery would find, per source, plus the last run.
    /// With --from, an exported support report a user sent (nothing of this machine is read).
    Report(ReportArgs),
    /// Legacy recovery (SharedPreferences, sealed state, legacy secret files, key-file move).
    Recover(RecoverArgs),
    /// Clear local state (settings, threads, legacy copies), never secrets. Needs --yes.
    Clear(ClearArgs),
    /// Write the redacted support report (JSON): presence only, no secrets, masks or message texts.
    ExportReport(ExportArgs),
    /// Restore what a clear removed, from the backup it wrote. Needs --yes.
    Restore(RestoreArgs),
    /// Rebuild a damaged database from the rows it still gives and the
    /// mirror files; the damaged one is kept. Needs --yes.
    RebuildDatabase(RebuildArgs),
    /// The settings document.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The thread list.
    #[command(subcommand)]
    Threads(ThreadsCommand),
}

/// A candidate local-state key: `--key` or `--key-file`, not both.
#[derive(Debug, Args)]
#[group(id = "key_source", multiple = false)]
pub struct KeyArgs {
    /// A candidate local-state key (base64url, 32 bytes). `-` reads it from stdin
    /// (keeps it out of the process list).
    #[arg(long, value_name = "B64URL|-")]
    pub key: Option<String>,

    /// Read the candidate key from a file.
    #[arg(long, value_name = "PATH")]
    pub key_file: Option<PathBuf>,
}

/// `--all`: long lists in full.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Show long lists in full; without it, each shows its first 10 entries (threads: the newest).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Report what a real run would do; write nothing.
    #[arg(long)]
    pub dry_run: bool,

    #[command(flatten)]
    pub keys: KeyArgs,

    /// Only test the candidate key against the locked sources; write nothing.
    #[arg(long, requires = "key_source")]
    pub test_key: bool,
}

#[derive(Debug, Args)]
pub struct ClearArgs {
    /// Really clear (without it, the plan is printed and nothing changes; exit 2).
    #[arg(long)]
    pub yes: bool,

    /// Print the plan only; write nothing (exit 0).
    #[arg(long)]
    pub dry_run: bool,

    /// Before clearing, write a restorable backup (schema-1 JSON) to FILE.
    #[arg(long, value_name = "FILE")]
    pub backup: Option<PathBuf>,

    /// Which XWorkmate storage generation to clear (A, B1, B2, C or D; see
    /// `inspect`). Default: the current one, the newest in the folder.
    #[arg(long, value_name = "ID", value_parser = parse_generation)]
    pub generation: Option<GenerationId>,

    /// Clear only a part: `threads` or `settings` (any XWorkmate version), or
    /// `archived-threads` (0.6.1's data: the thread list is written again
    /// without them).
    #[arg(
        long,
        value_name = "PART",
        value_enum,
        conflicts_with = "threads_before"
    )]
    pub only: Option<ClearPart>,

    /// Clear only the threads last updated before DATE (YYYY-MM-DD, UTC;
    /// 0.6.1's data); the thread list is written again without them.
    #[arg(long, value_name = "DATE", value_parser = parse_date_ms)]
    pub threads_before: Option<i64>,

    #[command(flatten)]
    pub list: ListArgs,
}

/// A part of a clear (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClearPart {
    Threads,
    Settings,
    ArchivedThreads,
}

impl ClearArgs {
    /// What this clear takes.
    pub fn scope(&self) -> xworkmate_store::clear::ClearScope {
        use xworkmate_store::clear::ClearScope;
        match (self.only, self.threads_before) {
            (Some(ClearPart::Threads), _) => ClearScope::Threads,
            (Some(ClearPart::Settings), _) => ClearScope::Settings,
            (Some(ClearPart::ArchivedThreads), _) => ClearScope::ArchivedThreads,
            (None, Some(before_ms)) => ClearScope::ThreadsBefore { before_ms },
            (None, None) => ClearScope::All,
        }
    }
}

/// `YYYY-MM-DD` → its first millisecond, UTC.
fn parse_date_ms(text: &str) -> Result<i64, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| format!("{text:?} is not a date like 2025-01-31"))
}

fn parse_generation(text: &str) -> Result<GenerationId, String> {
    GenerationId::parse(text).ok_or_else(|| "expected one of A, B1, B2, C, D".to_string())
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Open an exported support report instead of looking at a data folder.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RebuildArgs {
    /// Really rebuild (without it, the plan is printed and nothing changes; exit 2).
    #[arg(long)]
    pub yes: bool,

    /// Print the plan only; write nothing (exit 0).
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup `clear --backup` (or the app's "Save a backup first") wrote.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Really restore (without it, the plan is printed and nothing changes; exit 2).
    #[arg(long)]
    pub yes: bool,

    /// Print the plan only; write nothing (exit 0).
    #[arg(long)]
    pub dry_run: bool,

    /// Replace documents that are readable now (they are backed up first).
    #[arg(long)]
    pub replace: bool,

    /// With --replace: where to back up what is replaced (default: the data
    /// folder's .xworkmate-diagnostics/, with the time in the name).
    #[arg(long, value_name = "FILE", requires = "replace")]
    pub backup: Option<PathBuf>,

    #[command(flatten)]
    pub list: ListArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write the report.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print the effective settings document (SQLite, else the mirror); read-only.
    Show,
    /// Write a settings document (SQLite + mirror). `-` reads stdin.
    Save {
        /// A JSON file, or `-` for stdin.
        #[arg(value_name = "FILE|-")]
        input: String,
    },
}

#[derive(Debug, Args)]
pub struct ThreadsExportArgs {
    /// Where to write (never replaced; never inside the data folder).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,

    /// Which generation's threads (A, B1, B2, C or D; see `inspect`).
    /// Default: the current one.
    #[arg(long, value_name = "ID", value_parser = parse_generation)]
    pub generation: Option<GenerationId>,

    /// json (the records as stored), md or html. Default: from FILE's
    /// extension, else html.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<ExportFormat>,

    /// For sealed generation-A threads: the key that opens them.
    #[command(flatten)]
    pub keys: KeyArgs,
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(text).ok_or_else(|| "expected json, md or html".to_string())
}

#[derive(Debug, Subcommand)]
pub enum ThreadsCommand {
    /// List thread summaries (key, title, archived, message count, updatedAtMs),
    /// newest first; read-only.
    List(ListArgs),
    /// Write a thread list (SQLite + mirror). `-` reads stdin.
    Save {
        /// A JSON file, or `-` for stdin.
        #[arg(value_name = "FILE|-")]
        input: String,
    },
    /// Write every thread of one XWorkmate generation to FILE, readable without
    /// XWorkmate (read-only: the only file written is FILE).
    Export(ThreadsExportArgs),
}
