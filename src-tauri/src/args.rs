//! The app's command line: `xworkmate-diagnostics [--data-dir DIR]`.

use std::ffi::OsString;
use std::path::PathBuf;

pub const USAGE: &str = "\
Usage: xworkmate-diagnostics [--data-dir DIR]

Opens the XWorkmate Diagnostics window.

Options:
  --data-dir DIR  the XWorkmate data folder to look at (default: $XWORKMATE_DATA_DIR,
                  else the folder XWorkmate itself uses on this system)
  -h, --help      print this help";

/// Options of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Args {
    pub data_dir: Option<PathBuf>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParsedArgs {
    Run(Args),
    Help,
}

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<ParsedArgs, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy();
            let value = if text == "--data-dir" {
                args.next()
                    .ok_or_else(|| "--data-dir needs a folder".to_string())?
            } else if let Some(value) = text.strip_prefix("--data-dir=") {
                OsString::from(value)
            } else if text == "-h" || text == "--help" {
                return Ok(ParsedArgs::Help);
            } else {
                return Err(format!("unknown argument `{text}`"));
            };
            if value.is_empty() {
                return Err("--data-dir needs a folder".to_string());
            }
            if parsed.data_dir.replace(PathBuf::from(value)).is_some() {
                return Err("--data-dir given twice".to_string());
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
    }
}
