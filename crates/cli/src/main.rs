//! `xworkmate-diag`: the command-line tool for support staff. A thin shell over
//! the persistence core (`xworkmate_store`): every subcommand is one core call;
//! this crate only parses arguments, reads inputs and prints the result (JSON or
//! text for people).

mod cli;
mod commands;
mod fail;
mod help;
mod human;
mod ui;
mod words;

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;

use crate::cli::{Cli, LangArg};
use crate::fail::{Fail, Usage};
use crate::ui::{Lang, Ui};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json_requested = args.iter().skip(1).any(|a| a == "--json");
    // The language is known before parsing, so that --help and the usage
    // errors are in it too: --lang in the arguments, else the locale.
    let locale = ui::locale(|k| std::env::var(k).ok());
    let choice = ui::choose_lang(ui::lang_in_args(&args), locale.as_deref());
    if choice.simplified_note && !json_requested {
        eprintln!("xworkmate-diag: {}", ui::SIMPLIFIED_NOTE);
    }
    let colour = !json_requested && ui::colour_wanted();
    let early = Ui {
        lang: choice.lang,
        colour,
    };
    let cli = match help::command(choice.lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return usage_error(&early, e, &args, json_requested),
    };
    let ui = Ui {
        lang: match cli.lang {
            Some(LangArg::Zh) => Lang::Zh,
            Some(LangArg::En) => Lang::En,
            None => choice.lang,
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
        Err(fail) => report_failure(&ui, &fail, json),
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

fn report_failure(ui: &Ui, fail: &Fail, json: bool) -> ExitCode {
    eprintln!("xworkmate-diag: {}", ui.error_line(&fail.human(ui)));
    if json {
        print_stdout(&serde_json::to_string_pretty(&fail.json()).expect("errors serialize"));
    }
    ExitCode::from(fail.exit_code() as u8)
}

/// clap's errors: help and version print normally (exit 0); everything else is
/// a usage error: one line on stderr, exit 2 (and a JSON error with `--json`).
/// The English line is clap's own message; the Chinese one is worded here from
/// the error's kind and context.
fn usage_error(ui: &Ui, e: clap::Error, args: &[std::ffi::OsString], json: bool) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let (en, zh) = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        || e.kind() == ErrorKind::MissingSubcommand
    {
        missing_subcommand(args)
    } else {
        (clap_message_en(&e), clap_message_zh(&e))
    };
    let fail = Fail::Usage(Usage::Args {
        en: format!(
            "{} (see --help)",
            without_keys(&en, args, "[a value that looks like a key, not shown]")
        ),
        zh: format!(
            "{}（见 --help）",
            without_keys(&zh, args, "[看起来像解密密钥的值，不显示]")
        ),
    });
    report_failure(ui, &fail, json)
}

/// clap's English message, on one line, without its usage and its pointer to
/// --help; of its tips, only "a similar subcommand/argument exists: '…'".
fn clap_message_en(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let lines: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .map(str::trim)
        // clap's own pointer to --help (ours is added by the caller).
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .collect();
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
}

/// A clap error in Chinese, from its kind and context (the argument, the value,
/// a suggestion).
fn clap_message_zh(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| -> Vec<String> {
        match e.get(k) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
            Some(ContextValue::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let one = |k: ContextKind| get(k).into_iter().next().unwrap_or_default();
    let quoted = |v: Vec<String>| {
        v.iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join("、")
    };
    let arg = one(ContextKind::InvalidArg);
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数 '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!("无法识别的子命令 '{}'", one(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue => {
            let value = one(ContextKind::InvalidValue);
            let valid = get(ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} 需要一个值")
            } else if valid.is_empty() {
                format!("'{value}' 不是 {arg} 的有效值")
            } else {
                format!(
                    "'{value}' 不是 {arg} 的有效值；可选值：{}",
                    valid.join("、")
                )
            }
        }
        ErrorKind::ValueValidation => {
            let value = one(ContextKind::InvalidValue);
            let expected = if arg.starts_with("--generation") {
                "应为 A、B1、B2、C、D 之一"
            } else if arg.starts_with("--format") {
                "应为 json、md 或 html"
            } else {
                "值无效"
            };
            format!("'{value}' 不是 {arg} 的有效值：{expected}")
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            if prior.contains(&arg) {
                format!("{arg} 只能使用一次")
            } else if prior.is_empty() {
                format!("{arg} 不能与其他参数同时使用")
            } else {
                format!("{arg} 不能与 {} 同时使用", prior.join("、"))
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "缺少必需的参数：{}",
                get(ContextKind::InvalidArg).join("、")
            )
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用 = 连接"),
        ErrorKind::TooManyValues => {
            format!("{} 的值太多：'{}'", arg, one(ContextKind::InvalidValue))
        }
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值的个数不对")
        }
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let suggested: Vec<String> = get(ContextKind::SuggestedSubcommand)
        .into_iter()
        .chain(get(ContextKind::SuggestedArg))
        .chain(get(ContextKind::SuggestedValue))
        .collect();
    if !suggested.is_empty() {
        text = format!("{text}；类似的有：{}", quoted(suggested));
    }
    fail::one_line(&text)
}

/// A key typed in the wrong place must not be echoed by the usage error:
/// every argument that looks like one (20+ base64url characters) is replaced.
fn without_keys(message: &str, args: &[std::ffi::OsString], hidden: &str) -> String {
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
            out = out.replace(value, hidden);
        }
    }
    out
}

/// "a subcommand is required" naming the command given and its subcommands
/// (English, Chinese).
fn missing_subcommand(args: &[std::ffi::OsString]) -> (String, String) {
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
    (
        format!("'{what}' requires a subcommand: {}", names.join(", ")),
        format!("'{what}' 需要一个子命令：{}", names.join("、")),
    )
}
