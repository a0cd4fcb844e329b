//! Human output helpers: language (zh/en), colour (only on a terminal, never with
//! NO_COLOR), tables that line up with CJK text, times, sizes.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    /// The language of a locale (one rule for the app and the CLI): `zh*` →
    /// Chinese (Simplified); anything else, or no locale → English.
    pub fn for_locale(locale: Option<&str>) -> Self {
        match locale {
            Some(l) if l.trim().to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }
}

/// The locale of the environment: the first non-empty of LC_ALL, LC_MESSAGES,
/// LANG (`var` reads one variable).
pub fn locale(var: impl Fn(&str) -> Option<String>) -> Option<String> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|k| var(k).filter(|v| !v.is_empty()))
}

/// A Chinese locale that writes Traditional Chinese (Taiwan, Hong Kong, Macao,
/// or the `Hant` script): its users get Simplified Chinese, and are told so.
pub fn is_traditional(locale: &str) -> bool {
    let l = locale.trim().to_ascii_lowercase().replace('-', "_");
    let base = l.split(['.', '@']).next().unwrap_or("");
    l.starts_with("zh")
        && (base.contains("hant")
            || ["zh_tw", "zh_hk", "zh_mo"]
                .iter()
                .any(|t| base == *t || base.starts_with(&format!("{t}_"))))
}

/// `--lang` as written in the arguments (`--lang zh`, `--lang=en`), before
/// clap parses them: so that `--help` and clap's own errors are in that
/// language too. None when absent or not a language this tool has (clap then
/// reports the bad value). Nothing after `--` is an option.
pub fn lang_in_args<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Option<Lang> {
    let mut found = None;
    let mut iter = args.iter().skip(1).map(|a| a.as_ref().to_str());
    while let Some(arg) = iter.next() {
        let value = match arg {
            Some("--") => break,
            Some("--lang") => iter.next().flatten(),
            Some(a) => match a.strip_prefix("--lang=") {
                Some(v) => Some(v),
                None => continue,
            },
            None => continue,
        };
        match value {
            Some("zh") => found = Some(Lang::Zh),
            Some("en") => found = Some(Lang::En),
            _ => {}
        }
    }
    found
}

/// The language of the output and whether to say, once, that it is
/// Simplified Chinese (a Traditional Chinese locale; never for an explicit
/// `--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LangChoice {
    pub lang: Lang,
    pub simplified_note: bool,
}

pub fn choose_lang(explicit: Option<Lang>, locale: Option<&str>) -> LangChoice {
    match explicit {
        Some(lang) => LangChoice {
            lang,
            simplified_note: false,
        },
        None => LangChoice {
            lang: Lang::for_locale(locale),
            simplified_note: locale.is_some_and(is_traditional),
        },
    }
}

/// The note for Traditional Chinese locales (stderr, once).
pub const SIMPLIFIED_NOTE: &str = "以简体中文显示。";

/// Decides whether to colour: stdout is a terminal, NO_COLOR is unset or empty,
/// and TERM is not `dumb`.
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").ok().as_deref() != Some("dumb")
}

/// What a long operation shown by [`progress_line`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// A recovery (or its dry run).
    Recover,
    /// A restore from a backup (or its plan).
    Restore,
    /// A database rebuild (or its plan).
    Rebuild,
    /// The support report exported.
    Report,
}

impl Task {
    /// (reading, writing), each in English and Chinese.
    fn words(self) -> ((&'static str, &'static str), (&'static str, &'static str)) {
        match self {
            Task::Recover => (
                (
                    "Reading and checking the old data…",
                    "正在读取并检查旧数据……",
                ),
                ("Writing the recovered data…", "正在写入恢复的数据……"),
            ),
            Task::Restore => (
                (
                    "Reading the backup and the folder…",
                    "正在读取备份和数据文件夹……",
                ),
                (
                    "Writing back what the backup holds…",
                    "正在还原备份中的数据……",
                ),
            ),
            Task::Rebuild => (
                (
                    "Reading what the damaged database still holds…",
                    "正在读取损坏的数据库中仍可读取的内容……",
                ),
                (
                    "Putting the new database in place…",
                    "正在替换为新的数据库……",
                ),
            ),
            Task::Report => (
                (
                    "Reading the data folder for the report…",
                    "正在读取数据文件夹以生成报告……",
                ),
                ("Writing the report…", "正在写入报告……"),
            ),
        }
    }
}

/// One line saying how far a long operation is (on stderr, while it runs).
pub fn progress_line(ui: &Ui, task: Task, p: &xworkmate_store::progress::ProgressReport) -> String {
    let (reading, writing) = task.words();
    if p.writing {
        return ui.t(writing.0, writing.1).to_string();
    }
    let reading = ui.t(reading.0, reading.1);
    match (p.done * 100).checked_div(p.total) {
        Some(pct) => format!("{reading} {}%", pct.min(100)),
        None => reading.to_string(),
    }
}

/// Runs `work`, showing its progress on stderr when stderr is a terminal (a
/// line rewritten every 200 ms, after the first half second, cleared at the
/// end); otherwise just runs it.
pub fn with_progress_line<T>(
    ui: &Ui,
    task: Task,
    progress: &xworkmate_store::progress::Progress,
    work: impl FnOnce() -> T,
) -> T {
    use std::io::{IsTerminal, Write};
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let shown = scope.spawn(|| {
            let start = std::time::Instant::now();
            let mut shown = false;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(200));
                if start.elapsed() < std::time::Duration::from_millis(500) {
                    continue;
                }
                let line = progress_line(ui, task, &progress.snapshot());
                let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
                shown = true;
            }
            shown
        });
        let out = work();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        if shown.join().unwrap_or(false) {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
        out
    })
}

/// Tone of a coloured word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Dim,
    Bold,
}

#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub lang: Lang,
    pub colour: bool,
}

impl Ui {
    /// Picks the English or the Chinese text.
    pub fn t<'a>(&self, en: &'a str, zh: &'a str) -> &'a str {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// An error line for stderr (the program name is added by `main`).
    pub fn error_line(&self, message: &str) -> String {
        match self.lang {
            Lang::En => format!("error: {message}"),
            Lang::Zh => format!("错误：{message}"),
        }
    }

    pub fn paint(&self, tone: Tone, text: &str) -> String {
        if !self.colour {
            return text.to_string();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Warn => "33",
            Tone::Bad => "31",
            Tone::Dim => "2",
            Tone::Bold => "1",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// A section heading.
    pub fn heading(&self, out: &mut String, text: &str) {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", self.paint(Tone::Bold, text));
    }

    /// An indented `label: value` line; labels are padded to `width` columns.
    pub fn field(&self, out: &mut String, width: usize, label: &str, value: &str) {
        let _ = writeln!(out, "  {}  {}", pad(label, width), value);
    }

    pub fn yes_no(&self, b: bool) -> String {
        if b {
            self.t("yes", "是").to_string()
        } else {
            self.t("no", "否").to_string()
        }
    }

    /// Renders a table: a header row and rows; each cell may carry a tone.
    pub fn table(&self, out: &mut String, header: &[&str], rows: &[Vec<Cell>]) {
        let cols = header.len();
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for r in rows {
            for (i, c) in r.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(width(&c.text));
            }
        }
        let line = |cells: Vec<(String, Option<Tone>)>| {
            let mut s = String::from(" ");
            let n = cells.len();
            for (i, (text, tone)) in cells.into_iter().enumerate() {
                s.push(' ');
                let fill = if i + 1 == n {
                    0
                } else {
                    widths[i].saturating_sub(width(&text)) + 1
                };
                match tone {
                    Some(t) => s.push_str(&self.paint(t, &text)),
                    None => s.push_str(&text),
                }
                s.push_str(&" ".repeat(fill));
            }
            s.trim_end().to_string()
        };
        let head: Vec<(String, Option<Tone>)> = header
            .iter()
            .map(|h| (h.to_string(), Some(Tone::Dim)))
            .collect();
        let _ = writeln!(out, "{}", line(head));
        for r in rows {
            let cells = r.iter().map(|c| (c.text.clone(), c.tone)).collect();
            let _ = writeln!(out, "{}", line(cells));
        }
    }
}

/// A table cell.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub tone: Option<Tone>,
}

/// Stored text (titles, names, hosts) made safe for a terminal: control
/// characters — escape sequences that could move the cursor, recolour or
/// retitle the terminal, or hide text — are shown as `\u{…}` instead.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl Cell {
    /// A cell of plain text; control characters are escaped ([`printable`]).
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: printable(&text.into()),
            tone: None,
        }
    }
    pub fn toned(text: impl Into<String>, tone: Tone) -> Self {
        Cell {
            text: printable(&text.into()),
            tone: Some(tone),
        }
    }
}

/// Display width of text in a terminal (East Asian wide characters count 2).
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = (0x1100..=0x115F).contains(&c)
                || (0x2E80..=0x303E).contains(&c)
                || (0x3041..=0x33FF).contains(&c)
                || (0x3400..=0x4DBF).contains(&c)
                || (0x4E00..=0x9FFF).contains(&c)
                || (0xA000..=0xA4CF).contains(&c)
                || (0xAC00..=0xD7A3).contains(&c)
                || (0xF900..=0xFAFF).contains(&c)
                || (0xFE30..=0xFE4F).contains(&c)
                || (0xFF00..=0xFF60).contains(&c)
                || (0xFFE0..=0xFFE6).contains(&c)
                || (0x20000..=0x3FFFD).contains(&c);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Pads text with spaces to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// A serde enum's word (`locked_legacy_state`, `file`, …).
pub fn word<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => "?".into(),
    }
}

/// Milliseconds since the epoch as a UTC time.
pub fn time_ms(ms: f64) -> String {
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| format!("{ms} ms"))
}

/// A byte count.
pub fn bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

/// A path shown relative to the data folder when inside it.
pub fn rel(data_dir: &Path, p: &Path) -> String {
    match p.strip_prefix(data_dir) {
        Ok(r) if r.as_os_str().is_empty() => ".".into(),
        Ok(r) => r.display().to_string(),
        Err(_) => p.display().to_string(),
    }
}

#[cfg(test)]
mod progress_tests {
    use super::*;
    use xworkmate_store::progress::ProgressReport;

    #[test]
    fn the_progress_line_says_what_it_does_in_both_languages() {
        let en = Ui {
            lang: Lang::En,
            colour: false,
        };
        let zh = Ui {
            lang: Lang::Zh,
            colour: false,
        };
        let reading = ProgressReport {
            done: 45,
            total: 100,
            writing: false,
            cancelled: false,
        };
        assert_eq!(
            progress_line(&en, Task::Recover, &reading),
            "Reading and checking the old data… 45%"
        );
        assert_eq!(
            progress_line(&zh, Task::Recover, &reading),
            "正在读取并检查旧数据…… 45%"
        );
        assert_eq!(
            progress_line(&zh, Task::Restore, &reading),
            "正在读取备份和数据文件夹…… 45%"
        );
        let unknown = ProgressReport {
            total: 0,
            ..reading
        };
        assert_eq!(
            progress_line(&en, Task::Recover, &unknown),
            "Reading and checking the old data…"
        );
        let writing = ProgressReport {
            writing: true,
            ..reading
        };
        assert_eq!(
            progress_line(&zh, Task::Recover, &writing),
            "正在写入恢复的数据……"
        );
        assert_eq!(
            progress_line(&en, Task::Rebuild, &writing),
            "Putting the new database in place…"
        );
        assert_eq!(
            progress_line(&en, Task::Report, &writing),
            "Writing the report…"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("研发任务"), 8);
        assert_eq!(width("sam••••001"), 10);
        assert_eq!(pad("线程", 6), "线程  ");
    }

    #[test]
    fn tables_line_up_with_mixed_scripts() {
        let ui = Ui {
            lang: Lang::Zh,
            colour: false,
        };
        let mut out = String::new();
        ui.table(
            &mut out,
            &["键", "标题"],
            &[
                vec![Cell::new("main"), Cell::new("研发任务")],
                vec![Cell::new("draft:local-1"), Cell::new("x")],
            ],
        );
        // Display column where the second cell starts, on every line.
        let second_column = |line: &str| {
            let indent = line.len() - line.trim_start().len();
            let rest = &line[indent..];
            let first_end = rest.find("  ").unwrap();
            let after = &rest[first_end..];
            indent + width(&rest[..first_end]) + after.len() - after.trim_start().len()
        };
        let cols: Vec<usize> = out.lines().map(second_column).collect();
        assert!(cols.windows(2).all(|w| w[0] == w[1]), "{out}");
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = Ui {
            lang: Lang::En,
            colour: false,
        };
        assert_eq!(plain.paint(Tone::Bad, "x"), "x");
        let coloured = Ui {
            lang: Lang::En,
            colour: true,
        };
        assert_eq!(coloured.paint(Tone::Bad, "x"), "\u{1b}[31mx\u{1b}[0m");
    }

    #[test]
    fn zh_locales_are_chinese_every_other_is_english() {
        for l in [
            "zh_CN.UTF-8",
            "zh",
            "zh_TW.UTF-8",
            "zh_HK",
            "zh-Hant",
            "ZH_sg",
            " zh_CN",
        ] {
            assert_eq!(Lang::for_locale(Some(l)), Lang::Zh, "{l}");
        }
        for l in [
            "en_US.UTF-8",
            "C",
            "POSIX",
            "C.UTF-8",
            "de_DE",
            "ja_JP",
            "",
            "z",
        ] {
            assert_eq!(Lang::for_locale(Some(l)), Lang::En, "{l}");
        }
        assert_eq!(Lang::for_locale(None), Lang::En);
    }

    #[test]
    fn the_locale_is_the_first_set_of_lc_all_lc_messages_lang() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            locale(env(&[("LANG", "en_US"), ("LC_ALL", "zh_CN")])).as_deref(),
            Some("zh_CN")
        );
        assert_eq!(
            locale(env(&[
                ("LANG", "zh_CN"),
                ("LC_ALL", ""),
                ("LC_MESSAGES", "en_GB")
            ]))
            .as_deref(),
            Some("en_GB")
        );
        assert_eq!(locale(env(&[("LANG", "zh_TW")])).as_deref(), Some("zh_TW"));
        assert_eq!(locale(env(&[])), None);
    }

    #[test]
    fn traditional_chinese_locales_get_a_note_an_explicit_lang_none() {
        for l in [
            "zh_TW",
            "zh_TW.UTF-8",
            "zh_HK.Big5HKSCS",
            "zh_MO",
            "zh-Hant",
            "zh_Hant_TW",
            "zh-hant-hk",
            "zh_TW@euro",
        ] {
            assert!(is_traditional(l), "{l}");
            assert_eq!(
                choose_lang(None, Some(l)),
                LangChoice {
                    lang: Lang::Zh,
                    simplified_note: true
                },
                "{l}"
            );
            // --lang zh is explicit: no note.
            assert!(!choose_lang(Some(Lang::Zh), Some(l)).simplified_note);
            assert_eq!(choose_lang(Some(Lang::En), Some(l)).lang, Lang::En);
        }
        for l in [
            "zh_CN.UTF-8",
            "zh_SG",
            "zh-Hans",
            "zh",
            "en_TW",
            "C",
            "zh_TWX",
        ] {
            assert!(!is_traditional(l), "{l}");
            assert!(!choose_lang(None, Some(l)).simplified_note, "{l}");
        }
        assert_eq!(
            choose_lang(None, None),
            LangChoice {
                lang: Lang::En,
                simplified_note: false
            }
        );
    }

    #[test]
    fn lang_is_read_from_the_arguments_before_parsing() {
        let args = |a: &[&str]| {
            let mut v = vec!["xworkmate-diag"];
            v.extend_from_slice(a);
            lang_in_args(&v)
        };
        assert_eq!(args(&["--lang", "zh", "inspect"]), Some(Lang::Zh));
        assert_eq!(args(&["inspect", "--lang=en"]), Some(Lang::En));
        assert_eq!(args(&["inspect", "--help", "--lang", "zh"]), Some(Lang::Zh));
        assert_eq!(args(&["inspect"]), None);
        assert_eq!(args(&["--lang", "fr", "inspect"]), None);
        assert_eq!(args(&["--lang"]), None);
        // After `--` nothing is an option.
        assert_eq!(args(&["settings", "save", "--", "--lang", "zh"]), None);
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(time_ms(1_700_000_000_000.0), "2023-11-14 22:13:20 UTC");
        assert_eq!(bytes(1818), "1.8 KiB");
    }
}
