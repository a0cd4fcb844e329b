//! `--help` in the output language. English is the derive's doc comments as
//! they are; Chinese replaces every command's about, every option's help,
//! and clap's own words (the headings, `Usage`, `[OPTIONS]`, the
//! generated `-h`/`-V`/`help`), through a help template per command: clap
//! writes its headings as `Heading:` with an ASCII colon, so the Chinese
//! headings are written by the template instead. Value names (`<FILE>`) are
//! kept, like codes. A command or option without
//! Chinese words fails the unit test below.

use clap::{Command, CommandFactory};

use crate::cli::Cli;
use crate::ui::Lang;

/// The command line to parse, with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    match lang {
        Lang::En => Cli::command(),
        Lang::Zh => chinese(Cli::command()),
    }
}

/// A command's about in Chinese: (about, long about).
fn about_zh(path: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match path {
        "" => (
            "XWorkmate 本地数据诊断：查看、报告、恢复、清理、导出",
            Some(
                "XWorkmate 本地数据（设置、线程、密钥）的诊断工具。\n\n\
                 只读的命令：inspect、report、settings show、threads list、recover --dry-run、\
                 recover --test-key、clear --dry-run、restore --dry-run。\n\
                 会写入的命令：recover、clear --yes、restore --yes、export-report、settings save、\
                 threads save、threads export（只写入给定的文件）。\n\n\
                 退出码：0 成功；1 出错（或者恢复失败）；2 用法错误，或者没有 --yes 时拒绝清理或还原；\
                 3 恢复发现已锁定的旧版数据（或者测试的解密密钥打不开任何数据）。",
            ),
        ),
        "inspect" => (
            "只读查看数据文件夹的概况（即使存储已损坏或不存在，退出码也是 0）",
            None,
        ),
        "report" => (
            "只读的恢复报告：恢复会找到什么（按数据源列出），以及上次恢复的结果",
            Some(
                "只读的恢复报告：恢复会找到什么（按数据源列出），以及上次恢复的结果。\n\
                 加 --from 时打开用户发来的支持报告（不读取本机的任何内容）。",
            ),
        ),
        "recover" => (
            "恢复旧版数据（SharedPreferences、已加密的数据、旧版密钥文件、解密密钥文件的迁移）",
            None,
        ),
        "clear" => (
            "清理本地数据（设置、线程、旧版副本），从不删除密钥；需要 --yes",
            None,
        ),
        "export-report" => (
            "写入去除敏感信息的支持报告（JSON）：只记录是否存在，不含密钥、掩码和消息内容",
            None,
        ),
        "restore" => (
            "从清理时写入的备份还原被清理的数据；需要 --yes",
            None,
        ),
        "rebuild-database" => (
            "用损坏的数据库中仍可读的行和副本文件重建数据库；损坏的数据库会被保留；需要 --yes",
            None,
        ),
        "settings" => ("设置文档", None),
        "settings show" => (
            "显示实际生效的设置文档（SQLite，否则副本文件）；只读",
            None,
        ),
        "settings save" => (
            "写入设置文档（SQLite 和副本文件）；`-` 从标准输入读取",
            None,
        ),
        "threads" => ("线程列表", None),
        "threads list" => (
            "列出线程摘要（键、标题、是否归档、消息数、updatedAtMs），最新的在前；只读",
            None,
        ),
        "threads save" => (
            "写入线程列表（SQLite 和副本文件）；`-` 从标准输入读取",
            None,
        ),
        "threads export" => (
            "把某个 XWorkmate 存储版本的全部线程写入文件，不用 XWorkmate 也能阅读（只读：只写入给定的文件）",
            None,
        ),
        _ => return None,
    })
}

/// An option's help in Chinese: (help, long help). Value names stay as they
/// are (`<FILE>`, `<DIR>`): clap lines the help up by characters, not by
/// display width, so Chinese value names would misalign the columns.
type ArgWords = (&'static str, Option<&'static str>);

fn arg_zh(path: &str, id: &str) -> Option<ArgWords> {
    Some(match (path, id) {
        ("", "data_dir") => (
            "数据文件夹（其中有 config-store.sqlite3）。默认：XWORKMATE_DATA_DIR，否则为系统的默认位置",
            None,
        ),
        ("", "secrets") => (
            "从哪里读取密钥：auto（系统钥匙串，限时等待，不可用时用文件；对用 --data-dir 或 XWORKMATE_DATA_DIR 指定的文件夹，用该文件夹的文件存储）、keyring、file（默认：auto）",
            None,
        ),
        ("", "json") => (
            "在标准输出上只打印一个 JSON 文档（键为 camelCase，内容为英文代码）",
            None,
        ),
        ("", "lang") => (
            "供人阅读的输出所用的语言：zh 或 en（默认：按 LC_ALL、LC_MESSAGES、LANG；zh 开头为中文，其他为英文）",
            None,
        ),
        (_, "all") => (
            "完整显示长列表；不加时每个列表只显示前 10 项（线程：最新的 10 个）",
            None,
        ),
        ("report", "from") => (
            "打开导出的支持报告，而不是查看数据文件夹",
            None,
        ),
        ("recover", "dry_run") => ("预览：报告实际运行会做什么，不写入任何内容", None),
        (_, "key") => (
            "候选解密密钥（base64url，32 字节）。`-` 表示从标准输入读取（不会出现在进程列表中）",
            None,
        ),
        (_, "key_file") => ("从文件读取候选解密密钥", None),
        ("recover", "test_key") => (
            "只用候选解密密钥测试已锁定的数据源，不写入任何内容",
            None,
        ),
        ("rebuild-database", "yes") => (
            "确认重建（不加时只打印计划，不做任何更改，退出码 2）",
            None,
        ),
        ("rebuild-database", "dry_run") => (
            "预览：只打印计划，不写入任何内容（退出码 0）",
            None,
        ),
        ("clear", "yes") => (
            "确认清理（不加时只打印计划，不做任何更改，退出码 2）",
            None,
        ),
        ("clear" | "restore", "dry_run") => (
            "预览：只打印计划，不写入任何内容（退出码 0）",
            None,
        ),
        ("clear", "backup") => (
            "清理之前先把可还原的备份（schema 1 的 JSON）写入此文件",
            None,
        ),
        ("clear", "only") => (
            "只清理一部分：threads（线程）或 settings（设置），适用于各个 XWorkmate 版本；archived-threads（已归档的线程）只适用于 0.6.1 的数据，线程列表会去掉它们后重新写入",
            None,
        ),
        ("clear", "threads_before") => (
            "只清理最后更新早于 DATE（YYYY-MM-DD，UTC）的线程（0.6.1 的数据）；线程列表会去掉它们后重新写入",
            None,
        ),
        ("clear", "generation") => (
            "清理哪个 XWorkmate 存储版本（A、B1、B2、C 或 D；见 inspect）。默认：当前的，即文件夹中最新的",
            None,
        ),
        ("restore", "file") => (
            "`clear --backup`（或者应用中的“先保存备份”）写入的备份",
            None,
        ),
        ("restore", "yes") => (
            "确认还原（不加时只打印计划，不做任何更改，退出码 2）",
            None,
        ),
        ("restore", "replace") => (
            "替换当前可读的文档（会先备份它们）",
            None,
        ),
        ("restore", "backup") => (
            "与 --replace 一起使用：被替换的数据备份到哪里（默认：数据文件夹的 .xworkmate-diagnostics/，文件名带时间）",
            None,
        ),
        ("export-report", "out") => ("报告写到哪里", None),
        ("settings save" | "threads save", "input") => (
            "一个 JSON 文件，或者 `-` 表示标准输入",
            None,
        ),
        ("threads export", "out") => (
            "写到哪里（从不替换已有文件；从不写在数据文件夹里）",
            None,
        ),
        ("threads export", "generation") => (
            "导出哪个存储版本的线程（A、B1、B2、C 或 D；见 inspect）。默认：当前的",
            None,
        ),
        ("threads export", "format") => (
            "json（按存储的原样）、md 或 html。默认：按文件的扩展名，否则为 html",
            None,
        ),
        _ => return None,
    })
}

/// clap's own words, in Chinese.
const HELP_SHORT: &str = "打印帮助（--help 显示更多）";
const HELP_LONG: &str = "打印帮助（-h 显示摘要）";
const HELP_PLAIN: &str = "打印帮助";
const VERSION: &str = "打印版本";
const HELP_COMMAND: &str = "打印此帮助，或者指定子命令的帮助";

fn chinese(cmd: Command) -> Command {
    let mut cmd = words_zh(cmd, "");
    // Builds the generated parts (-h, -V, the help subcommand, global options
    // in every subcommand), which are then worded too.
    cmd.build();
    clap_words_zh(cmd)
}

/// Abouts, option helps and value names (before clap adds its own parts).
fn words_zh(mut cmd: Command, path: &str) -> Command {
    if let Some((about, long)) = about_zh(path) {
        cmd = cmd.about(about);
        if let Some(long) = long {
            cmd = cmd.long_about(long);
        }
    }
    if path.is_empty() {
        cmd = cmd.after_help(
            "加 --json 时，每个命令都在标准输出上只打印一个 JSON 文档；出错时为 {\"error\":{\"code\":…,\"message\":…}}。",
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some((help, long)) = arg_zh(path, &id) {
            cmd = cmd.mut_arg(id.as_str(), |a| {
                // Default and possible values are in the Chinese help itself.
                let mut a = a.help(help);
                if a.get_action().takes_values() {
                    a = a.hide_default_value(true).hide_possible_values(true);
                }
                match long {
                    Some(l) => a.long_help(l),
                    None => a.long_help(None::<&str>),
                }
            });
        }
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |c| words_zh(c, &sub_path));
    }
    cmd
}

/// The parts clap built (help and version options, the help subcommand),
/// the usage line and the help template, in every command.
fn clap_words_zh(mut cmd: Command) -> Command {
    let has = |cmd: &Command, id: &str| cmd.get_arguments().any(|a| a.get_id() == id);
    if has(&cmd, "help") {
        let long = cmd
            .get_arguments()
            .find(|a| a.get_id() == "help")
            .is_some_and(|a| a.get_long_help().is_some());
        cmd = cmd.mut_arg("help", |a| {
            if long {
                a.help(HELP_SHORT).long_help(HELP_LONG)
            } else {
                a.help(HELP_PLAIN)
            }
        });
    }
    if has(&cmd, "version") {
        cmd = cmd.mut_arg("version", |a| a.help(VERSION));
    }
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim()
        .strip_prefix("Usage:")
        .unwrap_or(&usage)
        .trim()
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
        .replace("[COMMAND]...", "[命令]...")
        .replace("[COMMAND]", "[命令]");
    let mut template = String::from("{about-with-newline}\n用法：{usage}");
    let visible = |c: &Command| c.get_subcommands().any(|s| !s.is_hide_set());
    if visible(&cmd) {
        template.push_str("\n\n命令：\n{subcommands}");
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        template.push_str("\n\n参数：\n{positionals}");
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        template.push_str("\n\n选项：\n{options}");
    }
    template.push_str("{after-help}");
    cmd = cmd
        .override_usage(usage)
        .help_template(template)
        .subcommand_value_name("命令")
        .subcommand_help_heading("命令");
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in subs {
        cmd = cmd.mut_subcommand(name.as_str(), |c| {
            let c = if c.get_name() == "help" {
                c.about(HELP_COMMAND)
            } else {
                c
            };
            clap_words_zh(c)
        });
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every command and every option a person can see has Chinese words.
    #[test]
    fn every_command_and_option_has_chinese_help() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
            if !has_cjk(&about) {
                missing.push(format!("command '{path}': {about}"));
            }
            for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
                if !has_cjk(&help) {
                    missing.push(format!("'{path}' {}: {help}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                let p = format!("{path} {}", sub.get_name());
                walk(sub, p.trim(), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&command(Lang::Zh), "", &mut missing);
        assert!(
            missing.is_empty(),
            "without Chinese help:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn chinese_help_has_chinese_headings() {
        let help = command(Lang::Zh).render_long_help().to_string();
        for word in ["用法：", "命令：", "选项：", "打印帮助"] {
            assert!(help.contains(word), "{word}:\n{help}");
        }
        for word in [
            "Usage",
            "Options",
            "Commands",
            "[OPTIONS]",
            "Print",
            "default:",
        ] {
            assert!(!help.contains(word), "{word}:\n{help}");
        }
        let mut cmd = command(Lang::Zh);
        let restore = cmd.find_subcommand_mut("restore").unwrap();
        let help = restore.render_help().to_string();
        assert!(help.contains("参数：") && help.contains("<FILE>"), "{help}");
    }

    #[test]
    fn english_help_is_clap_s_own() {
        let help = command(Lang::En).render_long_help().to_string();
        assert!(
            help.contains("Usage: xworkmate-diag [OPTIONS] <COMMAND>"),
            "{help}"
        );
    }
}
