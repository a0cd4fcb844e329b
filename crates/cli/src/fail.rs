//! Errors of the command line: a store error with the input at fault, or a usage
//! error. Codes come from `StoreError::code()`; the CLI adds only `usage`.
//!
//! Each error has two texts: [`Fail::message`], English, the `message` of the
//! JSON error (machine-readable, never translated), and [`Fail::human`], the
//! line on stderr in the output language — in Chinese worded from the code and
//! the error's typed fields (paths, process, counts), never from the core's
//! English sentence.

use std::path::PathBuf;

use serde_json::json;
use xworkmate_store::{ErrorCode, StoreError};

use crate::ui::{Lang, Ui};
use crate::words;

/// What the input at fault is, when the error itself does not say.
#[derive(Debug, Clone)]
pub enum Context {
    /// A path, `stdin` or `--key -`: the same in every language.
    Input(String),
    /// The candidate key, by where it came from (never the key).
    Key(KeySource),
}

#[derive(Debug, Clone)]
pub enum KeySource {
    Stdin,
    Arg,
    File(PathBuf),
}

impl Context {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (Context::Input(s), _) => s.clone(),
            (Context::Key(KeySource::Stdin), Lang::En) => "the key read from stdin".into(),
            (Context::Key(KeySource::Stdin), Lang::Zh) => "从标准输入读取的解密密钥".into(),
            (Context::Key(KeySource::Arg), Lang::En) => "the key given with --key".into(),
            (Context::Key(KeySource::Arg), Lang::Zh) => "用 --key 提供的解密密钥".into(),
            (Context::Key(KeySource::File(p)), Lang::En) => format!("the key in {}", p.display()),
            (Context::Key(KeySource::File(p)), Lang::Zh) => {
                format!("{} 中的解密密钥", p.display())
            }
        }
    }
}

/// A usage error (exit 2).
#[derive(Debug, Clone)]
pub enum Usage {
    /// Wrong arguments, worded from clap's error (see `main::usage_error`).
    Args { en: String, zh: String },
    /// `clear` without `--yes` (or `--dry-run`).
    RefuseClear,
    /// `restore` without `--yes` (or `--dry-run`).
    RefuseRestore,
    /// `rebuild-database` without `--yes` (or `--dry-run`).
    RefuseRebuild,
}

#[derive(Debug)]
pub enum Fail {
    /// A store error; `context` names the input at fault when the error itself
    /// does not (e.g. `stdin`, the settings file given).
    Store {
        context: Option<Context>,
        error: StoreError,
    },
    /// Wrong arguments (exit 2).
    Usage(Usage),
}

impl Fail {
    pub fn store(error: StoreError) -> Self {
        Fail::Store {
            context: None,
            error,
        }
    }

    pub fn with_context(context: Context, error: StoreError) -> Self {
        Fail::Store {
            context: Some(context),
            error,
        }
    }

    pub fn input(input: impl Into<String>, error: StoreError) -> Self {
        Fail::with_context(Context::Input(input.into()), error)
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Fail::Store { error, .. } => error.code(),
            Fail::Usage(_) => ErrorCode::Usage,
        }
    }

    /// The one-line English message (newlines folded): the JSON error's
    /// `message`, and the stderr line in English.
    pub fn message(&self) -> String {
        let text = match self {
            Fail::Store {
                context: Some(c),
                error,
            } => format!("{}: {error}", c.text(Lang::En)),
            Fail::Store {
                context: None,
                error,
            } => error.to_string(),
            Fail::Usage(u) => usage_text(u, Lang::En),
        };
        one_line(&text)
    }

    /// The stderr line in the output language.
    pub fn human(&self, ui: &Ui) -> String {
        match (self, ui.lang) {
            (_, Lang::En) => self.message(),
            (Fail::Usage(u), Lang::Zh) => one_line(&usage_text(u, Lang::Zh)),
            (
                Fail::Store {
                    context: Some(c @ Context::Key(_)),
                    error: StoreError::KeyInvalid,
                },
                Lang::Zh,
            ) => format!(
                "{}无效：必须是正好 32 字节的 base64url 文本。",
                c.text(Lang::Zh)
            ),
            (Fail::Store { context, error }, Lang::Zh) => {
                let text = store_error_zh(ui, error);
                // An error that names its file needs no context naming it again.
                let names_file = matches!(
                    error,
                    StoreError::Io { .. }
                        | StoreError::NotABackup { .. }
                        | StoreError::NotAReport { .. }
                        | StoreError::UnsupportedReportVersion { .. }
                );
                one_line(&match context {
                    Some(c) if !names_file => format!("{}：{text}", c.text(Lang::Zh)),
                    _ => text,
                })
            }
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Fail::Usage(_) => 2,
            Fail::Store { .. } => 1,
        }
    }

    pub fn json(&self) -> serde_json::Value {
        json!({"error": {"code": self.code(), "message": self.message()}})
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::store(e)
    }
}

fn usage_text(u: &Usage, lang: Lang) -> String {
    match (u, lang) {
        (Usage::Args { en, .. }, Lang::En) => en.clone(),
        (Usage::Args { zh, .. }, Lang::Zh) => zh.clone(),
        (Usage::RefuseClear, Lang::En) => "refusing to clear without --yes; nothing was changed (use --dry-run to only see the plan)".into(),
        (Usage::RefuseClear, Lang::Zh) => "没有 --yes，不清理：未做任何更改（只想查看计划请用 --dry-run）。".into(),
        (Usage::RefuseRestore, Lang::En) => "refusing to restore without --yes; nothing was changed (use --dry-run to only see the plan)".into(),
        (Usage::RefuseRestore, Lang::Zh) => "没有 --yes，不还原：未做任何更改（只想查看计划请用 --dry-run）。".into(),
        (Usage::RefuseRebuild, Lang::En) => "refusing to rebuild the database without --yes; nothing was changed (use --dry-run to only see the plan)".into(),
        (Usage::RefuseRebuild, Lang::Zh) => "没有 --yes，不重建数据库：未做任何更改（只想查看计划请用 --dry-run）。".into(),
    }
}

/// Where the English detail of an error can be seen, for Chinese lines that
/// leave out what the core says only in English.
pub const DETAIL_HINT: &str = "（技术细节见 --lang en）";

/// A store error in Chinese: the code's sentence with the error's typed
/// fields. Exhaustive: a new error variant needs words here.
fn store_error_zh(ui: &Ui, e: &StoreError) -> String {
    let sentence = ui.w(words::error(e.code()));
    match e {
        StoreError::NoDataDir => sentence.to_string(),
        StoreError::DatabaseUnavailable { tried } => {
            let paths: Vec<String> = tried.iter().map(|(p, _)| p.display().to_string()).collect();
            format!(
                "无法打开设置数据库；尝试过：{}。{DETAIL_HINT}",
                paths.join("、")
            )
        }
        StoreError::Database { path, .. } if e.is_lock() => format!(
            "数据库 {} 被另一个程序锁定，暂时无法使用：请在该程序结束后重试。",
            path.display()
        ),
        StoreError::Database { path, .. } => {
            format!("数据库 {} 报告了错误。{DETAIL_HINT}", path.display())
        }
        StoreError::Io {
            action,
            path,
            source,
        } => {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                return format!(
                    "{} 已存在，且不会被替换：未做任何更改，请换一个文件名。",
                    path.display()
                );
            }
            let (what, known) = io_action_zh(action);
            let (why, kind_known) = io_kind_zh(source.kind());
            let hint = if known && kind_known { "" } else { DETAIL_HINT };
            format!("{what} {}：{why}。{hint}", path.display())
        }
        StoreError::InvalidInput { what, .. } => {
            let what = match what.as_str() {
                "settings" => "设置文档",
                "threads" | "thread list" => "线程列表",
                "thread save" => "线程列表的保存",
                "backup" => "备份",
                "audit trail" => "审计记录",
                "stored document" => "已保存的文档",
                "export" => "导出",
                "device id" => "设备 ID",
                "device public key" => "设备公钥",
                // A path or a file name: as it is.
                p if p.contains(['/', '\\', '.']) => p,
                _ => "输入",
            };
            let sep = if what.is_ascii() { " " } else { "" };
            format!("{what}{sep}无效。{DETAIL_HINT}")
        }
        StoreError::KeyInvalid => sentence.to_string(),
        StoreError::SecureStorage { backend, .. } => {
            format!("安全存储（{backend}）出错。{DETAIL_HINT}")
        }
        StoreError::XWorkmateRunning { pid, name } => format!(
            "XWorkmate 正在运行（进程 {pid}，{name}）并使用此数据文件夹：请先退出 XWorkmate，然后重试。未做任何更改。"
        ),
        StoreError::NewerGenerationCurrent { current, .. } => format!(
            "此文件夹当前使用的 XWorkmate 是 {}（存储版本 {current}），它不读取存储版本 A 的文件（XWorkmate 0.6.1）：未写入任何内容。可以预览、测试解密密钥，或者用 `threads export --generation A` 导出线程。",
            words::versions(ui, *current)
        ),
        StoreError::OutputExists { path, .. } => format!(
            "{} 已存在，且不会被替换：请换一个文件名。",
            path.display()
        ),
        StoreError::OutputInsideDataFolder { path, folder, .. } => format!(
            "{} 在数据文件夹 {} 里（XWorkmate 或清理可能删除或覆盖那里的内容）：请选择数据文件夹之外的位置。",
            path.display(),
            folder.display()
        ),
        StoreError::NoSuchGeneration(_) | StoreError::SelectiveClearUnavailable(_) => {
            format!("{sentence}{DETAIL_HINT}")
        }
        StoreError::NotABackup { path, .. } => {
            format!("{} 不是清理时生成的备份。{DETAIL_HINT}", path.display())
        }
        StoreError::RestoreConflict(paths) => format!(
            "还原会替换当前可读的数据（{paths}）：未写入任何内容。加 --replace 即可替换（当前数据会先备份）。"
        ),
        StoreError::NotAReport { path, .. } => {
            format!("{} 不是本工具导出的支持报告。{DETAIL_HINT}", path.display())
        }
        StoreError::UnsupportedReportVersion {
            path,
            version,
            supported,
        } => format!(
            "{} 是版本 {version} 的支持报告；本工具只能读取版本 {supported} 及更早的报告，请更新本工具。",
            path.display()
        ),
        StoreError::StalePlan(_) => format!("{sentence}{DETAIL_HINT}"),
        StoreError::Cancelled => "已取消：未写入任何内容。".to_string(),
    }
}

/// The core's file actions in Chinese; false for one this tool does not know.
fn io_action_zh(action: &str) -> (&'static str, bool) {
    let zh = match action {
        "cannot read" => "无法读取",
        "cannot write" => "无法写入",
        "cannot write (read-only)" => "无法写入（只读）",
        "cannot write the backup into" => "无法把备份写入",
        "cannot create" => "无法创建",
        "cannot create folder" => "无法创建文件夹",
        "cannot create a temporary folder for" => "无法创建临时文件夹，用于",
        "cannot list" => "无法列出",
        "cannot remove" => "无法删除",
        "cannot replace" => "无法替换",
        "cannot set permissions of" => "无法设置权限：",
        "cannot sync folder" => "无法同步文件夹",
        "will not replace the existing file" => "不会替换已有的文件",
        _ => return ("文件操作失败：", false),
    };
    (zh, true)
}

/// An I/O error kind in Chinese; false for a kind worded only generally.
fn io_kind_zh(kind: std::io::ErrorKind) -> (&'static str, bool) {
    use std::io::ErrorKind as K;
    let zh = match kind {
        K::NotFound => "找不到该文件或文件夹",
        K::PermissionDenied => "权限不足",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中的某一级不是文件夹",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::StorageFull => "磁盘空间不足",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::InvalidData => "内容无效",
        K::TimedOut => "操作超时",
        K::Interrupted => "操作被中断",
        _ => return ("读写出错", false),
    };
    (zh, true)
}

/// Folds text onto one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh() -> Ui {
        Ui {
            lang: Lang::Zh,
            colour: false,
        }
    }

    #[test]
    fn chinese_errors_name_the_path_and_keep_the_english_for_json() {
        let f = Fail::store(StoreError::Io {
            action: "cannot read",
            path: "/nonexistent/threads.json".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
        assert_eq!(
            f.human(&zh()),
            "无法读取 /nonexistent/threads.json：找不到该文件或文件夹。"
        );
        assert!(f
            .message()
            .starts_with("cannot read /nonexistent/threads.json"));
        assert_eq!(f.json()["error"]["code"], "not_found");
    }

    #[test]
    fn a_key_is_named_by_where_it_came_from() {
        let f = Fail::with_context(Context::Key(KeySource::Arg), StoreError::KeyInvalid);
        assert!(f.message().starts_with("the key given with --key: "));
        assert_eq!(
            f.human(&zh()),
            "用 --key 提供的解密密钥无效：必须是正好 32 字节的 base64url 文本。"
        );
    }
}
