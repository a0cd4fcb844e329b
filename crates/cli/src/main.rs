//! `xworkmate-diag`: the command-line tool for support staff. A thin shell over
//! the persistence core (`xworkmate_store`): every subcommand is one core call;
//! this crate only parses arguments, reads inputs and prints the result (JSON or
//! text for people).

mod cli;
mod commands;
mod fail;
mod human;
mod ui;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, LangArg};
use crate::fail::Fail;
use crate::ui::{Lang, Ui};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json_requested = args.iter().skip(1).any(|a| a == "--json");
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, &args, json_requested),
    };
    let ui = Ui {
        lang: match cli.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => Lang::from_env(),
        },
        colour: !cli.json && ui::colour_wanted(),
    };
    let json = cli.json;
    match commands::run(cli, ui) {
        Ok(out) => {
            print_stdout(&out.stdout);
            if let Some(note) = &out.stderr {
                eprintln!("xworkmate-diag: {note}");
            }
            ExitCode::from(out.exit as u8)
        }
        Err(fail) => report_failure(&fail, json),
    }
}

fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    if !text.ends_with('\n') {
        let _ = stdout.write_all(b"\n");
    }
    let _ = stdout.flush();
}

fn report_failure(fail: &Fail, json: bool) -> ExitCode {
    eprintln!("xworkmate-diag: error: {}", fail.message());
    if json {
        print_stdout(&serde_json::to_string_pretty(&fail.json()).expect("errors serialize"));
    }
    ExitCode::from(fail.exit_code() as u8)
}

/// clap's errors: help and version print normally (exit 0); everything else is
/// a usage error: one line on stderr, exit 2 (and a JSON error with `--json`).
fn usage_error(e: clap::Error, args: &[std::ffi::OsString], json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let message = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        missing_subcommand(args)
    } else {
        let rendered = e.render().to_string();
        let lines: Vec<&str> = rendered
            .lines()
            .take_while(|l| !l.starts_with("Usage:"))
            .map(str::trim)
            // clap's own pointer to --help (ours is added below).
            .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
            .collect();
        // Of clap's tips, only "a similar subcommand/argument exists: '…'".
        let (tips, text): (Vec<&str>, Vec<&str>) =
            lines.into_iter().partition(|l| l.starts_with("tip:"));
        let mut message = fail::one_line(&text.join(" "));
        message = message
            .strip_prefix("error: ")
            .unwrap_or(&message)
            .to_string();
        for tip in tips.iter().filter_map(|t| t.strip_prefix("tip:")) {
            if tip.contains("similar") {
                message = format!("{message}; {}", fail::one_line(tip));
            }
        }
        message
    };
    let fail = Fail::Usage(format!("{} (see --help)", without_keys(&message, args)));
    report_failure(&fail, json)
}

/// A key typed in the wrong place must not be echoed by the usage error:
/// every argument that looks like one (20+ base64url characters) is replaced.
fn without_keys(message: &str, args: &[std::ffi::OsString]) -> String {
    let looks_like_key = |a: &str| {
        a.len() >= 20
            && a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '=')
            && !a.starts_with('-')
    };
    let mut out = message.to_string();
    for arg in args.iter().skip(1).filter_map(|a| a.to_str()) {
        // `--key=<value>`: the value alone.
        let value = arg.split_once('=').map_or(arg, |(_, v)| v);
        if looks_like_key(value) {
            out = out.replace(value, "[a value that looks like a key, not shown]");
        }
    }
    out
}

/// "a subcommand is required" naming the command given and its subcommands.
fn missing_subcommand(args: &[std::ffi::OsString]) -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut path = Vec::new();
    for a in args.iter().skip(1).filter_map(|a| a.to_str()) {
        let next = cmd.find_subcommand(a).cloned();
        if let Some(sub) = next {
            path.push(a.to_string());
            cmd = sub;
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    let what = if path.is_empty() {
        "xworkmate-diag".to_string()
    } else {
        format!("xworkmate-diag {}", path.join(" "))
    };
    format!("'{what}' requires a subcommand: {}", names.join(", "))
}
