//! The words of the core's codes and machine words, in English and Chinese:
//! every `match` here is exhaustive over a typed core enum, so a new code (a
//! finding, a notice, an error, a lock reason, …) without words fails to
//! compile. The Chinese follows GLOSSARY.md (one word per thing; Chinese
//! punctuation in Chinese sentences). JSON output never uses these: it keeps
//! the codes.

use xworkmate_store::clear::RemovalKind;
use xworkmate_store::document::DocKind;
use xworkmate_store::generation::GenerationId;
use xworkmate_store::inspect::{Form, Integrity, Relation, Source};
use xworkmate_store::paths::DataDirOrigin;
use xworkmate_store::recovery::{
    DocumentAction, KeyState, LockReason, RecoveryStatus, SourceDocument, SourceKind, SourceState,
};
use xworkmate_store::secret::{Backend, KeptReason};
use xworkmate_store::settings::DocSource;
use xworkmate_store::{ErrorCode, FindingCode, Notice, NoticeCode, SecretsMode};

use crate::ui::{Lang, Ui};

/// A text in English and in Chinese.
pub type Words = (&'static str, &'static str);

impl Ui {
    /// The text of `words` in the output language.
    pub fn w(&self, words: Words) -> &'static str {
        match self.lang {
            Lang::En => words.0,
            Lang::Zh => words.1,
        }
    }
}

/// An inspect finding, for people.
pub fn finding(code: FindingCode) -> Words {
    use FindingCode as F;
    match code {
        F::DataDirMissing => (
            "The data folder does not exist: XWorkmate has not saved anything here yet, or the folder was moved.",
            "数据文件夹不存在：XWorkmate 尚未在此保存任何内容，或者文件夹已被移走。",
        ),
        F::DatabaseCorrupt => (
            "The database is damaged and cannot be read. The mirror files may still hold your settings and threads: `rebuild-database` makes a new database from them (and from the rows it can still read), keeping the damaged one.",
            "数据库已损坏，无法读取。副本文件可能仍保存着您的设置和线程：`rebuild-database` 会用它们（以及仍可读的行）建立新的数据库，并保留损坏的数据库。",
        ),
        F::DatabaseLocked => (
            "Another program (perhaps XWorkmate) holds the database locked, so it cannot be read now. This is not damage: try again when that program is done.",
            "另一个程序（可能是 XWorkmate）锁定了数据库，因此暂时无法读取。这不是损坏：请在该程序结束后重试。",
        ),
        F::DatabaseUnreadable => (
            "The database cannot be read (permission denied, or not a regular file). This is not damage: nothing in it was changed.",
            "无法读取数据库（权限不足，或者不是普通文件）。这不是损坏：其中的内容没有被更改。",
        ),
        F::InterruptedWrite => (
            "A write to the database was interrupted (a crash or a killed program). Nothing is lost: the database is read as XWorkmate will read it, with the unfinished write rolled back.",
            "对数据库的一次写入被中断（程序崩溃或被强制结束）。没有数据丢失：数据库按 XWorkmate 的方式读取，未完成的写入已回滚。",
        ),
        F::SealedLegacy => (
            "Data from an older XWorkmate version is still sealed. `recover --dry-run` shows what recovery would bring back.",
            "旧版 XWorkmate 的数据仍是已加密状态。用 `recover --dry-run` 预览恢复能找回哪些数据。",
        ),
        F::UnreadableValue => (
            "A stored value cannot be read (damaged, or in a format this tool does not know).",
            "有一项已保存的值无法读取（已损坏，或者格式无法识别）。",
        ),
        F::KeyringUnavailable => (
            "Keyring unavailable: secrets are read from the file fallback in gateway-auth/ instead of the system keyring, and nothing is moved until the keyring answers.",
            "系统钥匙串不可用：密钥改从 gateway-auth/ 中的文件备用存储读取；在钥匙串响应之前，不会移动任何内容。",
        ),
        F::KeyringItemInvisible => (
            "The system keyring holds an item with XWorkmate's name that XWorkmate itself does not read. It is left as it is; nothing is written into it.",
            "系统钥匙串中有一个带 XWorkmate 名称的条目，但 XWorkmate 本身不读取它。它保持原样，不会写入任何内容。",
        ),
        F::SecretUnreadable => (
            "A secret could not be read (a damaged file, or a keyring that did not answer): it may be there, but this tool cannot tell.",
            "有密钥无法读取（文件已损坏，或者钥匙串没有响应）：它可能存在，但本工具无法确定。",
        ),
        F::LegacySecretFiles => (
            "Old plain-text secret files are still in gateway-auth/. Recovery moves them where XWorkmate reads them when it can; otherwise they stay, and XWorkmate moves them itself.",
            "gateway-auth/ 中仍有旧版明文密钥文件。恢复会在可行时把它们移到 XWorkmate 读取的位置；否则它们留在原处，由 XWorkmate 自行迁移。",
        ),
        F::XworkmateRunning => (
            "XWorkmate is running on this folder: nothing can be changed until it is quit.",
            "XWorkmate 正在使用此文件夹：退出 XWorkmate 之前，无法更改任何内容。",
        ),
        F::WillResetToDefaults => (
            "That XWorkmate version cannot read this settings file: it starts with default settings and overwrites the file the next time it saves.",
            "该版本的 XWorkmate 无法读取此设置文件：它会以默认设置启动，并在下次保存时覆盖该文件。",
        ),
        F::WillDropAllThreads => (
            "One thread record cannot be read, and that makes XWorkmate show no threads at all; its next save overwrites the file. Export the threads first (`threads export`).",
            "有一条线程记录无法读取，这会让 XWorkmate 一个线程都不显示；它下次保存时会覆盖该文件。请先导出线程（`threads export`）。",
        ),
        F::WillDeleteTaskFiles => (
            "The thread index or a thread file in tasks/ is of another XWorkmate version: at its next start XWorkmate deletes every thread file. Export the threads first (`threads export`).",
            "tasks/ 中的线程索引或某个线程文件属于另一个 XWorkmate 版本：XWorkmate 下次启动时会删除所有线程文件。请先导出线程（`threads export`）。",
        ),
        F::WillDeleteUnreadableTaskFiles => (
            "A file in tasks/ cannot be read by XWorkmate (an older version's thread file, or a file of another program): XWorkmate deletes it at its next start.",
            "tasks/ 中有 XWorkmate 无法读取的文件（旧版本的线程文件，或者其他程序的文件）：XWorkmate 下次启动时会删除它。",
        ),
        F::StaleTempFile => (
            "A temporary file was left behind by an interrupted save. XWorkmate does not read it.",
            "一次中断的保存留下了临时文件。XWorkmate 不会读取它。",
        ),
        F::SecretFileMode => (
            "A secret file or folder can be read by other users of this computer.",
            "有密钥文件或文件夹可被这台电脑上的其他用户读取。",
        ),
        F::ThreadsLeftBehind => (
            "An earlier XWorkmate version left threads here that the current version does not show. Export them to keep them (`threads export --generation …`).",
            "旧版 XWorkmate 在此留下了当前版本不显示的线程。导出即可保留（`threads export --generation …`）。",
        ),
        F::UnknownFile => (
            "A file of a newer XWorkmate version (or of another program): listed, never changed.",
            "来自较新 XWorkmate 版本（或者其他程序）的文件：只列出，从不更改。",
        ),
        F::NotARegularFile => (
            "A file of the store is a link, a pipe or a device, or is far too large: it is not read and never followed.",
            "存储中的某个文件是链接、管道或设备，或者大得异常：不读取，也从不跟随。",
        ),
        F::AuditUnreadable => ("The audit trail cannot be read.", "无法读取审计记录。"),
        F::WillFailToStart => (
            "The window state file is damaged: XWorkmate stops with an error when it starts.",
            "窗口状态文件已损坏：XWorkmate 启动时会报错并停止。",
        ),
        F::StoreInSubfolder => (
            "This folder holds no XWorkmate data, but its xworkmate/ subfolder does: use that one (`--data-dir …/xworkmate`). Nothing is written here.",
            "此文件夹中没有 XWorkmate 数据，但其中的 xworkmate/ 子文件夹有：请改用那个文件夹（`--data-dir …/xworkmate`）。不会在这里写入任何内容。",
        ),
    }
}

/// A non-fatal note of a write (clear, recovery), for people; `{name}` is the
/// secret it concerns.
pub fn notice(ui: &Ui, n: &Notice) -> String {
    use NoticeCode as N;
    let words: Words = match n.code {
        N::PrefsUnreadable => (
            "Old preferences (SharedPreferences) could not be read, so they are left as they are.",
            "无法读取旧版偏好设置（SharedPreferences），因此保持原样。",
        ),
        N::DatabaseRows => (
            "The database cannot be read, so its rows cannot be removed. The file is left as it is.",
            "无法读取数据库，因此无法删除其中的行。该文件保持原样。",
        ),
        N::SecretUnchecked => (
            "The secret {name} could not be read. It is kept, but whether it is still there cannot be checked.",
            "无法读取密钥 {name}。它会被保留，但无法检查它是否仍然存在。",
        ),
        N::AuditNotUpdated => ("The audit trail could not be updated.", "无法更新审计记录。"),
        N::LegacyFileKept => (
            "The old file of {name} stays where it is: there is nowhere XWorkmate would read its value from yet. XWorkmate moves it itself the next time it starts.",
            "{name} 的旧文件留在原处：目前没有 XWorkmate 会读取的存放位置。XWorkmate 下次启动时会自行迁移它。",
        ),
        N::KeyNotStored => (
            "The key could not be saved in secure storage, so it was left where it was.",
            "无法将解密密钥保存到安全存储，因此它留在原处。",
        ),
        N::LegacyFileConflict => (
            "The old file of {name} holds a different value than secure storage, so it was left in place.",
            "{name} 的旧文件与安全存储中的值不同，因此留在原处。",
        ),
        N::LegacyFilesNotMoved => (
            "Old plain-text secret files could not be moved into secure storage.",
            "无法将旧版明文密钥文件移入安全存储。",
        ),
        N::ReportNotKept => (
            "This result could not be saved, so `report` will not show it as the last run.",
            "无法保存此次结果，因此 `report` 不会把它显示为上次恢复。",
        ),
        N::KeptForAnotherGeneration => (
            "A file another XWorkmate version in this folder still reads is kept.",
            "此文件夹中另一个 XWorkmate 版本仍会读取的文件被保留。",
        ),
    };
    let name = match (&n.subject, ui.lang) {
        (Some(s), _) => crate::ui::printable(s),
        (None, Lang::En) => "a secret".into(),
        (None, Lang::Zh) => "某个密钥".into(),
    };
    ui.w(words).replace("{name}", &name)
}

/// An error code's sentence, for people (the first part of an error line;
/// [`crate::fail::Fail::human`] adds what the error names: a path, a
/// process, …).
pub fn error(code: ErrorCode) -> Words {
    use ErrorCode as E;
    match code {
        E::NoDataDir => (
            "Cannot determine the XWorkmate data folder: no --data-dir, no XWORKMATE_DATA_DIR and no home directory.",
            "无法确定 XWorkmate 数据文件夹：没有 --data-dir，没有 XWORKMATE_DATA_DIR，也没有用户主目录。",
        ),
        E::DatabaseUnavailable => ("Cannot open the settings database.", "无法打开设置数据库。"),
        E::DatabaseError => ("The database reported an error.", "数据库报告了错误。"),
        E::NotFound => ("No such file or folder.", "找不到该文件或文件夹。"),
        E::PermissionDenied => (
            "Permission denied: this user cannot read or change it.",
            "权限不足：当前用户无法读取或更改它。",
        ),
        E::AlreadyExists => (
            "A file of that name exists and is never replaced: nothing was changed; choose another name.",
            "已有同名文件，且不会被替换：未做任何更改，请换一个文件名。",
        ),
        E::IoError => ("A file could not be read or written.", "无法读取或写入文件。"),
        E::InvalidInput => ("The input is not valid.", "输入无效。"),
        E::KeyInvalid => (
            "The key is not valid: it must be base64url text of exactly 32 bytes.",
            "解密密钥无效：必须是正好 32 字节的 base64url 文本。",
        ),
        E::SecureStorageError => (
            "Secure storage (the keyring) failed.",
            "安全存储（钥匙串）出错。",
        ),
        E::StalePlan => (
            "The data changed after the plan was made: nothing was removed; make a new plan.",
            "计划制定后数据已发生变化：未删除任何内容，请重新制定计划。",
        ),
        E::XworkmateRunning => (
            "XWorkmate is running and uses this data folder: quit XWorkmate first, then try again; nothing was changed.",
            "XWorkmate 正在运行并使用此数据文件夹：请先退出 XWorkmate，然后重试。未做任何更改。",
        ),
        E::NoSuchGeneration => (
            "This data folder holds no data of that XWorkmate version (`inspect` lists the versions here).",
            "此数据文件夹中没有该 XWorkmate 版本的数据（`inspect` 会列出这里的存储版本）。",
        ),
        E::SelectiveClearUnavailable => (
            "That part cannot be cleared here (old sealed data is still present, or this XWorkmate version clears its threads only as a whole): nothing was removed.",
            "这里不能只清理这一部分（仍有旧的已加密数据，或者这个 XWorkmate 版本只能整体清理它的线程）：未删除任何内容。",
        ),
        E::NewerGenerationCurrent => (
            "A newer XWorkmate is current in this folder and does not read the files of 0.6.1: nothing was written; preview, test a key or export the threads instead.",
            "此文件夹当前使用的是较新的 XWorkmate，它不读取 0.6.1 的文件：未写入任何内容。可以预览、测试解密密钥，或者导出线程。",
        ),
        E::RecoveryFailed => (
            "Recovery stopped because of a read or write error.",
            "恢复因读取或写入错误而停止。",
        ),
        E::SecretsMissing => (
            "A secret present before is missing now.",
            "之前存在的密钥现在不见了。",
        ),
        E::ClearIncomplete => ("The clear stopped part-way.", "清理中途停止。"),
        E::NotABackup => (
            "The file is not a backup made by clear.",
            "该文件不是清理时生成的备份。",
        ),
        E::RestoreConflict => (
            "Restoring would replace data that is readable now: nothing was written; ask for it with --replace (the current data is backed up first).",
            "还原会替换当前可读的数据：未写入任何内容。加 --replace 即可替换（当前数据会先备份）。",
        ),
        E::NotAReport => (
            "The file is not a support report of this tool.",
            "该文件不是本工具导出的支持报告。",
        ),
        E::UnsupportedReportVersion => (
            "The report is of a newer version of this tool: update it.",
            "该报告来自本工具的较新版本，请更新本工具。",
        ),
        E::Usage => ("The command is not used correctly.", "命令用法不正确。"),
        E::Cancelled => ("Cancelled.", "已取消。"),
        E::Internal => ("An unexpected internal error.", "发生了意外的内部错误。"),
        E::ClipboardError => ("The clipboard cannot be used.", "无法使用剪贴板。"),
        E::OpenFailed => (
            "The folder could not be opened in the file manager.",
            "无法在文件管理器中打开该文件夹。",
        ),
    }
}

/// Why a sealed source is locked.
pub fn reason(r: LockReason) -> Words {
    match r {
        LockReason::KeyMissing => ("key missing", "缺少解密密钥"),
        LockReason::KeyMismatch => ("key does not match", "解密密钥不匹配"),
        LockReason::KeyInvalid => ("key not valid", "解密密钥无效"),
        LockReason::Malformed => ("damaged data", "数据已损坏"),
    }
}

/// What to do about a locked source.
pub fn next_step(r: LockReason) -> Words {
    match r {
        LockReason::KeyMissing => (
            "No key was found on this computer. Find the key of the old installation (gateway-auth/local-state-key.txt in a backup, or the old computer's keyring) and test it with `recover --test-key`.",
            "在这台电脑上没有找到解密密钥。请找到旧安装的解密密钥（备份中的 gateway-auth/local-state-key.txt，或者旧电脑的钥匙串），并用 `recover --test-key` 测试。",
        ),
        LockReason::KeyMismatch => (
            "A key was found, but it belongs to another installation. Test the key of the installation that wrote this data with `recover --test-key`.",
            "找到了解密密钥，但它属于另一个安装。请用 `recover --test-key` 测试写入这些数据的那个安装的解密密钥。",
        ),
        LockReason::KeyInvalid => (
            "The key that was found is damaged or is not a key. Test the right key with `recover --test-key`.",
            "找到的解密密钥已损坏，或者不是解密密钥。请用 `recover --test-key` 测试正确的解密密钥。",
        ),
        LockReason::Malformed => (
            "The sealed data itself is damaged, so no key can open it. Send the report to support; if the data is not needed, `clear` lets XWorkmate start fresh.",
            "已加密的数据本身已损坏，任何解密密钥都无法打开。请把报告发给技术支持；如果不再需要这些数据，可以用 `clear` 让 XWorkmate 重新开始。",
        ),
    }
}

/// A recovery status (after a run, or an assessment).
pub fn status(s: RecoveryStatus) -> Words {
    match s {
        RecoveryStatus::None => ("nothing to recover", "无需恢复"),
        RecoveryStatus::Recoverable => ("recoverable", "可以恢复"),
        RecoveryStatus::Migrated => ("migrated", "已恢复"),
        RecoveryStatus::LockedLegacyState => ("locked legacy state", "旧版数据已锁定"),
        RecoveryStatus::Failed => ("failed", "失败"),
    }
}

/// A recovery status in a dry run: what a real run would do.
pub fn status_dry(s: RecoveryStatus) -> Words {
    match s {
        RecoveryStatus::Migrated => ("would migrate", "将恢复"),
        RecoveryStatus::Failed => ("would fail", "将失败"),
        other => status(other),
    }
}

pub fn integrity(i: Integrity) -> Words {
    match i {
        Integrity::Ok => ("ok", "正常"),
        Integrity::Corrupt => ("corrupt", "已损坏"),
        Integrity::Missing => ("missing", "缺失"),
        Integrity::Locked => ("locked", "被其他程序锁定"),
        Integrity::Unreadable => ("unreadable", "无法读取"),
    }
}

pub fn form(f: Form) -> Words {
    match f {
        Form::Plain => ("plain", "明文"),
        Form::Sealed => ("sealed", "已加密"),
        Form::Unreadable => ("unreadable", "无法读取"),
        Form::Missing => ("missing", "缺失"),
    }
}

pub fn relation(r: Relation) -> Words {
    match r {
        Relation::InSync => ("in sync", "一致"),
        Relation::MirrorOlder => ("mirror older", "副本文件较旧"),
        Relation::MirrorNewer => ("mirror newer", "副本文件较新"),
        Relation::MirrorMissing => ("mirror missing", "缺少副本文件"),
        Relation::DatabaseMissing => ("database missing", "数据库中缺失"),
        Relation::BothMissing => ("both missing", "均缺失"),
        Relation::SealedLegacy => ("sealed legacy", "旧版已加密数据"),
        Relation::Unreadable => ("unreadable", "无法读取"),
        Relation::NoMirror => ("no mirror", "无副本文件"),
    }
}

/// Where a document was read from.
pub fn source(s: Source) -> Words {
    match s {
        Source::Database => ("database", "数据库"),
        Source::Mirror => ("mirror", "副本文件"),
        Source::None => ("none", "无"),
    }
}

/// Where a document shown by `settings show` / `threads list` was read from.
pub fn doc_source(s: DocSource) -> Words {
    match s {
        DocSource::Database => ("database", "数据库"),
        DocSource::Mirror => ("mirror", "副本文件"),
        DocSource::None => ("none", "无"),
    }
}

pub fn source_kind(k: SourceKind) -> Words {
    match k {
        SourceKind::Database => ("database", "数据库"),
        SourceKind::Mirror => ("mirror", "副本文件"),
        SourceKind::Backup => ("backup", "备份文件"),
        SourceKind::SharedPreferences => ("shared preferences", "旧版偏好设置"),
    }
}

pub fn source_document(d: SourceDocument) -> Words {
    match d {
        SourceDocument::Settings => ("settings", "设置"),
        SourceDocument::Threads => ("threads", "线程"),
        SourceDocument::Both => ("both", "设置和线程"),
    }
}

pub fn doc_kind(d: DocKind) -> Words {
    match d {
        DocKind::Settings => ("settings", "设置"),
        DocKind::Threads => ("threads", "线程"),
    }
}

pub fn source_state(s: SourceState) -> Words {
    match s {
        SourceState::Plain => ("plain", "明文"),
        SourceState::Unsealed => ("unsealed", "已解密"),
        SourceState::Locked => ("locked", "已锁定"),
        SourceState::Unreadable => ("unreadable", "无法读取"),
    }
}

pub fn action(a: DocumentAction) -> Words {
    match a {
        DocumentAction::Kept => ("kept", "保留"),
        DocumentAction::Recovered => ("recovered", "已恢复"),
        DocumentAction::Locked => ("locked", "已锁定"),
        DocumentAction::NotFound => ("not found", "未找到"),
    }
}

/// Where a key was looked for: what was found there.
pub fn key_state(k: KeyState) -> Words {
    match k {
        KeyState::Present => ("present", "存在"),
        KeyState::Missing => ("missing", "缺失"),
        KeyState::Invalid => ("invalid", "无效"),
        KeyState::Unavailable => ("unavailable", "无法检查"),
    }
}

pub fn backend(b: Backend) -> Words {
    match b {
        Backend::Keyring => ("keyring", "系统钥匙串"),
        Backend::File => ("file", "文件"),
        Backend::Memory => ("memory", "内存"),
        Backend::None => ("none", "无"),
    }
}

pub fn secrets_mode(m: SecretsMode) -> Words {
    match m {
        SecretsMode::Auto => ("auto", "自动"),
        SecretsMode::Keyring => ("keyring", "系统钥匙串"),
        SecretsMode::File => ("file", "文件"),
        SecretsMode::Memory => ("memory", "内存"),
    }
}

pub fn origin(o: DataDirOrigin) -> Words {
    match o {
        DataDirOrigin::Explicit => ("explicit", "显式指定"),
        DataDirOrigin::Environment => ("environment", "环境变量"),
        DataDirOrigin::Default => ("default", "默认位置"),
    }
}

pub fn removal(k: RemovalKind) -> Words {
    match k {
        RemovalKind::SqliteRow => ("sqlite row", "SQLite 行"),
        RemovalKind::File => ("file", "文件"),
        RemovalKind::Preference => ("preference", "偏好设置项"),
    }
}

/// Why a legacy secret file stays (spec §5).
pub fn kept_reason(reason: KeptReason) -> Words {
    use KeptReason as K;
    match reason {
        K::FileStoreNotChosen => (
            "a folder given explicitly: nothing moves into its file store unless --secrets file is chosen",
            "这是指定的文件夹：除非选择 --secrets file，否则不会移入其文件存储",
        ),
        K::NoKeyringItem => (
            "XWorkmate's keyring item does not exist (this tool never creates one); XWorkmate moves the file itself at its next start",
            "XWorkmate 的系统钥匙串条目不存在（本工具从不创建）；XWorkmate 下次启动时会自行迁移该文件",
        ),
        K::KeyringItemInvisible => (
            "the only keyring item is one XWorkmate does not read",
            "唯一的系统钥匙串条目是 XWorkmate 不读取的条目",
        ),
        K::KeyringUnavailable => ("the keyring did not answer", "系统钥匙串没有响应"),
        K::KeychainNotWritable => (
            "XWorkmate's keychain cannot be written from outside XWorkmate",
            "无法从 XWorkmate 之外写入其钥匙串",
        ),
        K::WindowsStoreNotWritable => (
            "XWorkmate's Windows secure storage is never written by this tool",
            "本工具从不写入 XWorkmate 的 Windows 安全存储",
        ),
        K::NotVerified => (
            "the value did not read back after writing it",
            "写入后读回的值不一致",
        ),
    }
}

/// The XWorkmate versions of a generation (`1.1.9 and later` → `1.1.9 及更高版本`).
pub fn versions(ui: &Ui, g: GenerationId) -> String {
    versions_text(ui, g.versions())
}

/// [`versions`] of a version text a report carries.
pub fn versions_text(ui: &Ui, text: &str) -> String {
    let text = crate::ui::printable(text);
    match ui.lang {
        Lang::En => text,
        Lang::Zh => match text.strip_suffix(" and later") {
            Some(v) => format!("{v} 及更高版本"),
            None => text,
        },
    }
}

/// A gateway profile's mode; modes this tool does not know stay as they are.
pub fn gateway_mode(ui: &Ui, mode: &str) -> String {
    let words: Option<Words> = match mode {
        "local" => Some(("local", "本地")),
        "remote" => Some(("remote", "远程")),
        _ => None,
    };
    words.map_or_else(|| crate::ui::printable(mode), |w| ui.w(w).to_string())
}

/// A word of the audit trail (its action, target or status, as XWorkmate and
/// this tool write them); other words stay as they are.
pub fn audit_word(ui: &Ui, word: &str) -> String {
    let words: Option<Words> = match word {
        "Updated" => Some(("Updated", "已更新")),
        "Recovered" => Some(("Recovered", "已恢复")),
        "Cleared" => Some(("Cleared", "已清理")),
        "Success" => Some(("Success", "成功")),
        "Incomplete" => Some(("Incomplete", "未完成")),
        "Locked" => Some(("Locked", "已锁定")),
        "Secrets missing" => Some(("Secrets missing", "密钥缺失")),
        "settings, threads" => Some(("settings, threads", "设置、线程")),
        "settings" => Some(("settings", "设置")),
        "threads" => Some(("threads", "线程")),
        "legacy state" => Some(("legacy state", "旧版数据")),
        _ => None,
    };
    words.map_or_else(|| crate::ui::printable(word), |w| ui.w(w).to_string())
}

/// Why a restore leaves an item of the backup alone.
pub fn restore_skip(ui: &Ui, reason: xworkmate_store::restore::SkipReason) -> String {
    use xworkmate_store::restore::SkipReason as R;
    let words: Words = match reason {
        R::SameAsBackup => ("already as in the backup", "已与备份中的相同"),
        R::LegacySource => (
            "a legacy source (the old backup file, or a SharedPreferences key): the documents it held are restored from their own copies",
            "旧版数据源（旧的备份文件，或者 SharedPreferences 中的键）：其中的文档会从各自的副本还原",
        ),
        R::OutsideFolder => (
            "outside the folder the backup was made from (a user-settings copy): not restored",
            "位于备份所在文件夹之外（用户设置的副本）：不还原",
        ),
        R::NotClearedFile => (
            "not a file that generation's clear removes: not restored",
            "不是该存储版本的清理会删除的文件：不还原",
        ),
    };
    ui.w(words).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both() -> [Ui; 2] {
        [Lang::En, Lang::Zh].map(|lang| Ui {
            lang,
            colour: false,
        })
    }

    #[test]
    fn every_code_has_words_in_both_languages() {
        for c in FindingCode::ALL {
            let (en, zh) = finding(*c);
            assert!(!en.is_empty() && !zh.is_empty(), "{c}");
        }
        for c in ErrorCode::ALL {
            let (en, zh) = error(*c);
            assert!(!en.is_empty() && !zh.is_empty(), "{c}");
        }
        for c in NoticeCode::ALL {
            for ui in both() {
                let text = notice(&ui, &Notice::about(*c, "gateway_token", "x"));
                assert!(!text.contains("{name}"), "{c}: {text}");
            }
        }
    }

    #[test]
    fn versions_read_in_chinese() {
        let [en, zh] = both();
        assert_eq!(versions(&zh, GenerationId::D), "1.1.9 及更高版本");
        assert_eq!(versions(&en, GenerationId::D), "1.1.9 and later");
        for g in GenerationId::ALL {
            assert!(!versions(&zh, g).contains("and"), "{g}");
        }
    }

    #[test]
    fn unknown_words_stay_as_they_are() {
        let [_, zh] = both();
        assert_eq!(gateway_mode(&zh, "remote"), "远程");
        assert_eq!(gateway_mode(&zh, "mesh"), "mesh");
        assert_eq!(audit_word(&zh, "Success"), "成功");
        assert_eq!(audit_word(&zh, "vault_token"), "vault_token");
    }
}
