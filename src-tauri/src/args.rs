//! The app's command line: `xworkmate-diagnostics [--data-dir DIR]`.

use std::ffi::OsString;
use std::path::PathBuf;

use xworkmate_store::secret::SecretsMode;

pub const USAGE: &str = "\
Usage: xworkmate-diagnostics [--data-dir DIR] [--secrets auto|keyring|file]
                             [--backup-to FILE] [--export-to FILE] [--threads-to FILE]
                             [--restore-from FILE] [--report-from FILE] [--key-file FILE]

Opens the XWorkmate Diagnostics window.

Options:
  --data-dir DIR    the XWorkmate data folder to look at (default: $XWORKMATE_DATA_DIR,
                    else the folder XWorkmate itself uses on this system)
  --secrets MODE    auto (default: the OS keyring, file fallback; for a folder given
                    with --data-dir or $XWORKMATE_DATA_DIR, that folder's file store),
                    keyring or file
  --backup-to FILE  write clear's backup here instead of asking with a save dialog
  --export-to FILE  write the exported support report here instead of asking
  --threads-to FILE write exported threads here instead of asking (.html, .md or .json)
  --restore-from FILE  restore from this backup instead of asking
  --report-from FILE   open this support report instead of asking
  --key-file FILE   the key file \"Pick a key file\" uses instead of asking
  -h, --help        print this help";

/// Options of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Args {
    pub data_dir: Option<PathBuf>,
    pub secrets: Option<SecretsMode>,
    pub backup_to: Option<PathBuf>,
    pub export_to: Option<PathBuf>,
    pub threads_to: Option<PathBuf>,
    pub restore_from: Option<PathBuf>,
    pub report_from: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedArgs {
    Run(Args),
    Help,
}

const VALUED: [&str; 8] = [
    "--data-dir",
    "--secrets",
    "--backup-to",
    "--export-to",
    "--threads-to",
    "--restore-from",
    "--report-from",
    "--key-file",
];

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<ParsedArgs, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy().into_owned();
            if text == "-h" || text == "--help" {
                return Ok(ParsedArgs::Help);
            }
            let (name, value) = match text.split_once('=') {
                Some((name, value)) if VALUED.contains(&name) => {
                    (name.to_string(), OsString::from(value))
                }
                _ if VALUED.contains(&text.as_str()) => {
                    let value = args.next().ok_or_else(|| format!("{text} needs a value"))?;
                    (text, value)
                }
                _ => return Err(format!("unknown argument `{text}`")),
            };
            if value.is_empty() {
                return Err(format!("{name} needs a value"));
            }
            let twice = match name.as_str() {
                "--secrets" => {
                    let mode: SecretsMode = value.to_string_lossy().parse()?;
                    parsed.secrets.replace(mode).is_some()
                }
                "--data-dir" => parsed.data_dir.replace(PathBuf::from(value)).is_some(),
                "--backup-to" => parsed.backup_to.replace(PathBuf::from(value)).is_some(),
                "--export-to" => parsed.export_to.replace(PathBuf::from(value)).is_some(),
                "--threads-to" => parsed.threads_to.replace(PathBuf::from(value)).is_some(),
                "--restore-from" => parsed.restore_from.replace(PathBuf::from(value)).is_some(),
                "--report-from" => parsed.report_from.replace(PathBuf::from(value)).is_some(),
                _ => parsed.key_file.replace(PathBuf::from(value)).is_some(),
            };
            if twice {
                return Err(format!("{name} given twice"));
            }
        }
        Ok(ParsedArgs::Run(parsed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<ParsedArgs, String> {
        Args::parse(args.iter().map(OsString::from))
    }

    fn run_with(dir: Option<&str>) -> Result<ParsedArgs, String> {
        Ok(ParsedArgs::Run(Args {
            data_dir: dir.map(PathBuf::from),
            ..Args::default()
        }))
    }

    #[test]
    fn no_arguments_means_default_location() {
        assert_eq!(parse(&[]), run_with(None));
    }

    #[test]
    fn data_dir_in_both_spellings() {
        assert_eq!(parse(&["--data-dir", "/d"]), run_with(Some("/d")));
        assert_eq!(parse(&["--data-dir=/d e"]), run_with(Some("/d e")));
    }

    #[test]
    fn help() {
        assert_eq!(parse(&["--help"]), Ok(ParsedArgs::Help));
        assert_eq!(parse(&["-h", "--bogus"]), Ok(ParsedArgs::Help));
    }

    #[test]
    fn mistakes_are_errors() {
        assert!(parse(&["--data-dir"]).is_err());
        assert!(parse(&["--data-dir="]).is_err());
        assert!(parse(&["--data-dir", "/a", "--data-dir", "/b"]).is_err());
        assert!(parse(&["/a"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
        assert!(parse(&["--secrets", "vault"]).is_err());
    }

    #[test]
    fn secrets_and_preset_paths() {
        let ParsedArgs::Run(args) = parse(&[
            "--secrets=file",
            "--backup-to",
            "/b.json",
            "--export-to=/e.json",
            "--key-file",
            "/k",
        ])
        .unwrap() else {
            panic!("not a run")
        };
        assert_eq!(args.secrets, Some(SecretsMode::File));
        assert_eq!(args.backup_to, Some(PathBuf::from("/b.json")));
        assert_eq!(args.export_to, Some(PathBuf::from("/e.json")));
        assert_eq!(args.key_file, Some(PathBuf::from("/k")));
    }
}
