//! Text for people (zh/en). Shows no secret: masks only in inspect, as the core
//! computes them; nothing else ever holds a secret value.
//!
//! Machine words (codes, enum values) are worded by `crate::words`; the
//! core's English sentences (a finding's message, a recovery's details) are
//! shown in English output only, as details below the worded line. Long lists
//! stop after [`LIST_CAP`] entries unless `--all` is given.

use std::fmt::Write as _;
use std::path::Path;

use xworkmate_store::document::ThreadSummary;
use xworkmate_store::generation::GenerationId;
use xworkmate_store::inspect::{Inspection, Integrity, Relation};
use xworkmate_store::recovery::{
    DocumentAction, KeyState, KeyTest, LastRecovery, LockReason, RecoveryReport, RecoveryStatus,
    SourceState,
};
use xworkmate_store::settings::{DocSource, LoadedDoc};
use xworkmate_store::support::LockedRecoveryReport;
use xworkmate_store::{DataLocation, FindingCode, Notice};

use crate::commands::ClearJson;
use crate::ui::printable;
use crate::ui::{self, bytes, rel, time_ms, word, Cell, Lang, Tone, Ui};
use crate::words;

const DASH: &str = "—";

/// How many entries of a long list are shown without `--all`.
pub const LIST_CAP: usize = 10;

/// ` (text)` in English, `（text）` in Chinese.
fn paren(ui: &Ui, text: &str) -> String {
    match ui.lang {
        Lang::En => format!(" ({text})"),
        Lang::Zh => format!("（{text}）"),
    }
}

/// A list of names: `a, b` in English, `a、b` in Chinese.
fn join<S: AsRef<str>>(ui: &Ui, items: &[S]) -> String {
    let sep = match ui.lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    };
    items
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(sep)
}

/// The line under a list cut short.
fn more(ui: &Ui, out: &mut String, indent: &str, hidden: usize) {
    if hidden == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "{indent}{}",
        ui.paint(
            Tone::Dim,
            &match ui.lang {
                Lang::En => format!("… and {hidden} more (use --all to see them all)"),
                Lang::Zh => format!("……另有 {hidden} 项（加 --all 显示全部）"),
            }
        )
    );
}

/// The first [`LIST_CAP`] entries (all with `all`), and how many are left out.
fn capped<T>(list: &[T], all: bool) -> (&[T], usize) {
    if all || list.len() <= LIST_CAP {
        (list, 0)
    } else {
        (&list[..LIST_CAP], list.len() - LIST_CAP)
    }
}

/// A recovery status for people, followed by its machine word when the two
/// differ: `would migrate (migrated)` in a dry run, `migrated` after a run.
fn status_text(ui: &Ui, status: RecoveryStatus, dry_run: bool) -> String {
    let w = word(&status);
    let text = if dry_run {
        ui.w(words::status_dry(status))
    } else {
        ui.w(words::status(status))
    };
    let painted = ui.paint(status_tone(status), text);
    if text == w {
        painted
    } else {
        format!("{painted}{}", paren(ui, &w))
    }
}

/// `1 thread`, `2 threads` (English only; Chinese has no plural).
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn status_tone(status: RecoveryStatus) -> Tone {
    match status {
        RecoveryStatus::None | RecoveryStatus::Migrated => Tone::Good,
        RecoveryStatus::Recoverable => Tone::Warn,
        RecoveryStatus::LockedLegacyState | RecoveryStatus::Failed => Tone::Bad,
    }
}

/// Stored text or a dash; control characters escaped (`ui::printable`).
fn opt(s: Option<&str>) -> String {
    ui::printable(s.filter(|s| !s.is_empty()).unwrap_or(DASH))
}

/// The field width of labels.
fn label_width(ui: &Ui) -> usize {
    if ui.lang == Lang::Zh {
        14
    } else {
        18
    }
}

// ----------------------------------------------------------------- findings

/// One finding, notice or warning to show: its code, its words, and what it
/// concerns (English: the core's sentence; Chinese: a path, when there is one).
struct Item {
    code: &'static str,
    text: String,
    detail: Option<String>,
}

/// Items grouped by code (first seen first): each code's words once, with what
/// each item concerns below it (capped unless `all`).
fn items(ui: &Ui, out: &mut String, indent: &str, list: Vec<Item>, all: bool) {
    let mut groups: Vec<(&'static str, String, Vec<String>)> = Vec::new();
    for item in list {
        let detail = item.detail.map(|d| crate::fail::one_line(&printable(&d)));
        match groups.iter_mut().find(|g| g.0 == item.code) {
            Some(g) => g.2.extend(detail),
            None => groups.push((item.code, item.text, detail.into_iter().collect())),
        }
    }
    for (code, text, details) in groups {
        let _ = writeln!(
            out,
            "{indent}{} {text}{}",
            ui.paint(Tone::Warn, "!"),
            paren(ui, code)
        );
        let (shown, hidden) = capped(&details, all);
        for d in shown {
            let _ = writeln!(out, "{indent}    {}", ui.paint(Tone::Dim, d));
        }
        more(ui, out, &format!("{indent}    "), hidden);
    }
}

fn finding_item(ui: &Ui, code: FindingCode, message: &str, path: Option<&str>) -> Item {
    Item {
        code: code.as_str(),
        text: ui.w(words::finding(code)).to_string(),
        detail: match ui.lang {
            Lang::En => Some(message.to_string()),
            Lang::Zh => path.filter(|p| !p.is_empty()).map(str::to_string),
        },
    }
}

fn notice_item(ui: &Ui, n: &Notice) -> Item {
    Item {
        code: n.code.as_str(),
        text: words::notice(ui, n),
        detail: (ui.lang == Lang::En).then(|| n.message.clone()),
    }
}

/// The "Findings" section (with "None." when there are none).
fn findings(ui: &Ui, out: &mut String, list: Vec<Item>, all: bool) {
    ui.heading(out, ui.w(("Findings", "发现的问题")));
    if list.is_empty() {
        let _ = writeln!(out, "  {}", ui.paint(Tone::Good, ui.w(("None.", "无。"))));
    } else {
        items(ui, out, "  ", list, all);
    }
}

/// The "Warnings" of a write (clear, recovery), when there are any.
fn notices(ui: &Ui, out: &mut String, list: &[Notice], all: bool) {
    if list.is_empty() {
        return;
    }
    ui.heading(out, ui.w(("Warnings", "警告")));
    items(
        ui,
        out,
        "  ",
        list.iter().map(|n| notice_item(ui, n)).collect(),
        all,
    );
}

// ------------------------------------------------------------------ inspect

/// One section per XWorkmate storage generation, the current one first.
fn generations(ui: &Ui, out: &mut String, i: &Inspection, all: bool) {
    let w = label_width(ui);
    for g in &i.generations {
        let title = format!(
            "{} {}{}{}",
            ui.w(("Generation", "存储版本")),
            g.id,
            paren(
                ui,
                &format!("XWorkmate {}", words::versions_text(ui, &g.versions))
            ),
            if g.current {
                ui.w((" — current", "——当前"))
            } else {
                ui.w((" — left behind by an upgrade", "——升级后遗留"))
            }
        );
        ui.heading(out, &title);
        let settings = if !g.settings.present {
            ui.w(("none", "无")).to_string()
        } else if g.settings.readable {
            ui.paint(Tone::Good, ui.w(("readable", "可读")))
        } else {
            ui.paint(
                Tone::Bad,
                ui.w(("not readable: defaults", "不可读：将使用默认值")),
            )
        };
        ui.field(out, w, ui.w(("Settings", "设置")), &settings);
        let mut threads = g.threads.count.to_string();
        if g.threads.stored != g.threads.count {
            threads.push_str(&match ui.lang {
                Lang::En => format!(" ({} stored)", g.threads.stored),
                Lang::Zh => format!("（已存储 {} 个）", g.threads.stored),
            });
        }
        ui.field(out, w, ui.w(("Threads", "线程")), &threads);
        let secrets: Vec<String> = g
            .secrets
            .iter()
            .filter(|s| s.present)
            .map(|s| printable(&s.storage_key))
            .collect();
        let (shown, hidden) = capped(&secrets, all);
        let mut secrets_text = if secrets.is_empty() {
            "0".to_string()
        } else {
            format!("{}{}", secrets.len(), paren(ui, &join(ui, shown)))
        };
        if hidden > 0 {
            secrets_text.push_str(&match ui.lang {
                Lang::En => format!(" … and {hidden} more"),
                Lang::Zh => format!("……另有 {hidden} 个"),
            });
        }
        ui.field(out, w, ui.w(("Secrets", "密钥")), &secrets_text);
        ui.field(
            out,
            w,
            ui.w(("Audit trail", "审计记录")),
            &g.audit.entries.map_or(DASH.to_string(), |n| n.to_string()),
        );
        // A's other findings are listed under "Findings" below.
        let own = |f: &&xworkmate_store::generation::Finding| {
            g.id != GenerationId::A
                || matches!(
                    f.code,
                    FindingCode::ThreadsLeftBehind | FindingCode::SecretFileMode
                )
        };
        let list: Vec<Item> = g
            .findings
            .iter()
            .filter(own)
            .map(|f| {
                let mut item = finding_item(ui, f.code, &f.message, Some(&f.path));
                // The command that keeps them names this generation.
                if f.code == FindingCode::ThreadsLeftBehind {
                    item.text = item
                        .text
                        .replace("--generation …", &format!("--generation {}", g.id));
                }
                item
            })
            .collect();
        items(ui, out, "  ", list, all);
    }
}

/// The secrets section (generation A's secure storage).
fn a_secrets(ui: &Ui, out: &mut String, i: &Inspection) {
    let dir = i.data_dir.as_path();
    let w = label_width(ui);
    ui.heading(
        out,
        &format!(
            "{}{}",
            ui.w(("Secrets", "密钥")),
            paren(
                ui,
                &format!(
                    "{}{}",
                    ui.w(("mode: ", "模式：")),
                    ui.w(words::secrets_mode(i.secrets.mode))
                )
            )
        ),
    );
    if let Some(k) = &i.secrets.keyring {
        let state = if k.reachable {
            ui.paint(Tone::Good, ui.w(("reachable", "可用")))
        } else {
            ui.paint(Tone::Bad, ui.w(("unreachable", "不可用")))
        };
        let mut text = format!("{state}{}", paren(ui, &printable(&k.service)));
        if let (Some(e), Lang::En) = (&k.error, ui.lang) {
            let _ = write!(text, ": {}", crate::fail::one_line(e));
        }
        ui.field(out, w, ui.w(("Keyring", "系统钥匙串")), &text);
        for item in k.item.iter().chain(&k.other_items) {
            let schema = item.schema.as_deref().unwrap_or("-");
            let whose = if item.read_by_xworkmate {
                ui.paint(
                    Tone::Good,
                    ui.w(("XWorkmate reads it", "XWorkmate 读取此条目")),
                )
            } else {
                ui.paint(
                    Tone::Bad,
                    ui.w(("XWorkmate does not read it", "XWorkmate 不读取此条目")),
                )
            };
            ui.field(
                out,
                w,
                if Some(item) == k.item.as_ref() {
                    ui.w(("Item read", "读取的条目"))
                } else {
                    ui.w(("Other item", "其他条目"))
                },
                &format!(
                    "{}{} — {whose}",
                    printable(&crate::fail::one_line(&item.label)),
                    paren(
                        ui,
                        &format!("xdg:schema {}", printable(&crate::fail::one_line(schema)))
                    )
                ),
            );
        }
    }
    let rows: Vec<Vec<Cell>> = i
        .secrets
        .entries
        .iter()
        .map(|e| {
            vec![
                Cell::new(e.name.clone()),
                if e.present {
                    Cell::toned(ui.yes_no(true), Tone::Good)
                } else if e.hidden {
                    // macOS: only XWorkmate can see its keychain items.
                    Cell::toned(
                        ui.w((
                            "not visible from outside XWorkmate",
                            "在 XWorkmate 之外不可见",
                        )),
                        Tone::Warn,
                    )
                } else {
                    Cell::toned(ui.yes_no(false), Tone::Dim)
                },
                Cell::new(ui.w(words::backend(e.backend))),
                if e.present {
                    Cell::new(e.masked.clone().unwrap_or_default())
                } else if e.hidden {
                    Cell::toned("—", Tone::Dim)
                } else {
                    Cell::toned(ui.w(("Not set", "未设置")), Tone::Dim)
                },
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.w(("NAME", "名称")),
            ui.w(("PRESENT", "存在")),
            ui.w(("BACKEND", "存储位置")),
            ui.w(("MASKED", "掩码")),
        ],
        &rows,
    );
    if !i.secrets.legacy_files.is_empty() {
        let files: Vec<String> = i.secrets.legacy_files.iter().map(|p| rel(dir, p)).collect();
        ui.field(
            out,
            w,
            ui.w(("Legacy files", "旧版密钥文件")),
            &join(ui, &files),
        );
    }
}

/// Generation A's other sections: database, stored values, settings, threads,
/// legacy state, audit trail.
fn a_details(ui: &Ui, out: &mut String, i: &Inspection, all: bool) {
    let dir = i.data_dir.as_path();
    let w = label_width(ui);
    ui.heading(out, ui.w(("Database", "数据库")));
    ui.field(out, w, ui.w(("File", "文件")), &rel(dir, &i.database.path));
    let tone = match i.database.integrity {
        Integrity::Ok => Tone::Good,
        Integrity::Corrupt => Tone::Bad,
        Integrity::Missing => Tone::Warn,
        Integrity::Locked | Integrity::Unreadable => Tone::Warn,
    };
    let mut integrity_text = ui.paint(tone, ui.w(words::integrity(i.database.integrity)));
    if let (Some(p), Lang::En) = (&i.database.problem, ui.lang) {
        let _ = write!(integrity_text, " ({})", crate::fail::one_line(p));
    }
    ui.field(out, w, ui.w(("Integrity", "完整性")), &integrity_text);
    ui.field(
        out,
        w,
        ui.w(("Entries", "条目数")),
        &i.database.entries.len().to_string(),
    );

    ui.heading(out, ui.w(("Stored values", "存储的值")));
    let value = |v: &xworkmate_store::inspect::ValueReport| {
        let f = ui.w(words::form(v.form));
        match v.bytes {
            Some(b) => format!("{f} {}", bytes(b)),
            None => f.to_string(),
        }
    };
    let rows: Vec<Vec<Cell>> = i
        .storage
        .iter()
        .map(|s| {
            let tone = match s.relation {
                Relation::InSync | Relation::NoMirror => Tone::Good,
                Relation::SealedLegacy | Relation::Unreadable => Tone::Bad,
                Relation::BothMissing => Tone::Dim,
                Relation::MirrorOlder
                | Relation::MirrorNewer
                | Relation::MirrorMissing
                | Relation::DatabaseMissing => Tone::Warn,
            };
            vec![
                Cell::new(s.storage_key.clone()),
                Cell::new(value(&s.sqlite)),
                Cell::new(s.mirror.as_ref().map_or(DASH.to_string(), value)),
                Cell::toned(ui.w(words::relation(s.relation)), tone),
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.w(("STORAGE KEY", "存储键")),
            "SQLITE",
            ui.w(("MIRROR", "副本文件")),
            ui.w(("STATE", "状态")),
        ],
        &rows,
    );

    ui.heading(out, ui.w(("Settings", "设置")));
    if i.settings.present {
        ui.field(
            out,
            w,
            ui.w(("Read from", "读取自")),
            ui.w(words::source(i.settings.source)),
        );
        if let Some(s) = &i.settings.summary {
            settings_summary(ui, out, w, s);
        }
    } else {
        let _ = writeln!(
            out,
            "  {}",
            ui.w(("No readable settings document.", "没有可读的设置文档。"))
        );
    }

    ui.heading(out, ui.w(("Threads", "线程")));
    if i.threads.present {
        let _ = writeln!(
            out,
            "  {}",
            match ui.lang {
                Lang::En => format!(
                    "{} ({} archived), {}; read from {}",
                    count(i.threads.count, "thread", "threads"),
                    i.threads.archived,
                    count(i.threads.messages, "message", "messages"),
                    ui.w(words::source(i.threads.source))
                ),
                Lang::Zh => format!(
                    "{} 个线程（{} 个已归档），{} 条消息；读取自{}",
                    i.threads.count,
                    i.threads.archived,
                    i.threads.messages,
                    ui.w(words::source(i.threads.source))
                ),
            }
        );
        if !i.threads.threads.is_empty() {
            thread_table(ui, out, &i.threads.threads, all);
        }
    } else {
        let _ = writeln!(
            out,
            "  {}",
            ui.w(("No readable thread list.", "没有可读的线程列表。"))
        );
    }

    ui.heading(out, ui.w(("Legacy state", "旧版数据")));
    let backup = match &i.legacy.backup {
        None => ui.w(("none", "无")).to_string(),
        Some(b) => {
            let mut s = match b.schema_version {
                Some(v) => format!("schema {v}"),
                None => "schema ?".into(),
            };
            if b.sealed {
                let _ = write!(s, "{}{}", ui.w((", ", "，")), ui.w(("sealed", "已加密")));
            }
            match (&b.problem, ui.lang) {
                (Some(p), Lang::En) => {
                    let _ = write!(s, " ({})", crate::fail::one_line(p));
                }
                (Some(_), Lang::Zh) => s.push_str("（无法读取）"),
                (None, _) => {}
            }
            s
        }
    };
    ui.field(out, w, ui.w(("Backup file", "备份文件")), &backup);
    let prefs = match &i.legacy.shared_preferences {
        None => ui.w(("none", "无")).to_string(),
        Some(p) if !p.readable => match ui.lang {
            Lang::En => format!(
                "unreadable ({})",
                crate::fail::one_line(p.problem.as_deref().unwrap_or(""))
            ),
            Lang::Zh => "无法读取".to_string(),
        },
        Some(p) if p.xworkmate_keys.is_empty() => ui
            .w(("no XWorkmate keys", "没有 XWorkmate 的键"))
            .to_string(),
        Some(p) => join(ui, &p.xworkmate_keys),
    };
    ui.field(out, w, ui.w(("SharedPreferences", "旧版偏好设置")), &prefs);
    ui.field(
        out,
        w,
        ui.w(("Local-state key", "解密密钥")),
        &match ui.lang {
            Lang::En => format!(
                "in secure storage: {}; key file: {}",
                ui.yes_no(i.legacy.key_in_secure_storage),
                ui.yes_no(i.legacy.key_file_present)
            ),
            Lang::Zh => format!(
                "安全存储中：{}；解密密钥文件：{}",
                ui.yes_no(i.legacy.key_in_secure_storage),
                ui.yes_no(i.legacy.key_file_present)
            ),
        },
    );

    ui.heading(out, ui.w(("Audit trail", "审计记录")));
    let audit = if i.audit.readable {
        i.audit.entries.to_string()
    } else {
        ui.paint(Tone::Bad, ui.w(("unreadable", "无法读取")))
    };
    ui.field(out, w, ui.w(("Entries", "条目数")), &audit);
    if let Some(latest) = &i.audit.latest {
        let get =
            |k: &str| words::audit_word(ui, latest.get(k).and_then(|v| v.as_str()).unwrap_or(""));
        ui.field(
            out,
            w,
            ui.w(("Latest", "最新")),
            &format!(
                "{} · {} · {} · {}",
                get("timeLabel"),
                get("action"),
                get("target"),
                get("status")
            ),
        );
    }
}

/// `inspect`: the folder and its short status first (each generation, the
/// findings, the secrets), then the long sections (database, settings,
/// threads, legacy state, audit trail), whose lists stop after
/// [`LIST_CAP`] entries unless `all`.
pub fn inspection(ui: &Ui, i: &Inspection, all: bool) -> String {
    let mut out = String::new();
    let dir = i.data_dir.as_path();
    let w = label_width(ui);

    ui.heading(
        &mut out,
        ui.w(("XWorkmate data folder", "XWorkmate 数据文件夹")),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Path", "路径")),
        &dir.display().to_string(),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Chosen by", "来源")),
        ui.w(words::origin(i.data_dir_origin)),
    );
    let exists = if i.data_dir_exists {
        ui.paint(Tone::Good, &ui.yes_no(true))
    } else {
        ui.paint(Tone::Bad, &ui.yes_no(false))
    };
    ui.field(&mut out, w, ui.w(("Exists", "存在")), &exists);

    generations(ui, &mut out, i, all);

    findings(
        ui,
        &mut out,
        i.warnings
            .iter()
            .map(|f| finding_item(ui, f.code, &f.message, None))
            .collect(),
        all,
    );

    let a_present = i.generations.iter().any(|g| g.id == GenerationId::A);
    if i.generations.is_empty() || (a_present && i.generations.len() == 1) {
        a_secrets(ui, &mut out, i);
        a_details(ui, &mut out, i, all);
    } else if a_present {
        ui.heading(
            &mut out,
            ui.w((
                "Generation A (XWorkmate 0.5 – 0.6.1) in detail",
                "存储版本 A（XWorkmate 0.5 – 0.6.1）详情",
            )),
        );
        a_secrets(ui, &mut out, i);
        a_details(ui, &mut out, i, all);
    }
    out
}

fn settings_summary(
    ui: &Ui,
    out: &mut String,
    w: usize,
    s: &xworkmate_store::document::SettingsSummary,
) {
    ui.field(
        out,
        w,
        ui.w(("Language", "语言")),
        &opt(s.app_language.as_deref()),
    );
    let account = match (&s.account_username, &s.account_workspace) {
        (Some(u), Some(ws)) if !ws.is_empty() => ui::printable(&format!("{u} / {ws}")),
        (Some(u), _) => ui::printable(u),
        _ => DASH.into(),
    };
    ui.field(out, w, ui.w(("Account", "账号")), &account);
    if s.gateway_profiles.is_empty() {
        ui.field(out, w, ui.w(("Gateways", "网关")), DASH);
    }
    for (n, p) in s.gateway_profiles.iter().enumerate() {
        let mode = p
            .mode
            .as_deref()
            .filter(|m| !m.is_empty())
            .map_or(DASH.to_string(), |m| words::gateway_mode(ui, m));
        let mut text = format!(
            "{mode} {}:{}",
            opt(p.host.as_deref()),
            p.port.map_or(DASH.to_string(), |p| p.to_string())
        );
        if p.tls == Some(true) {
            text.push_str(" TLS");
        }
        let name = if n == 0 {
            ui.w(("Gateways", "网关"))
        } else {
            ""
        };
        ui.field(out, w, name, &text);
    }
    ui.field(
        out,
        w,
        ui.w(("AI gateway", "AI 网关")),
        &opt(s.ai_gateway_base_url.as_deref()),
    );
    ui.field(
        out,
        w,
        ui.w(("Last thread", "最近的线程")),
        &opt(s.assistant_last_session_key.as_deref()),
    );
    ui.field(
        out,
        w,
        ui.w(("Fields", "字段数")),
        &match ui.lang {
            Lang::En => format!(
                "{} ({}, {})",
                s.field_count,
                count(
                    s.archived_task_count,
                    "archived thread key",
                    "archived thread keys"
                ),
                count(s.custom_task_title_count, "custom title", "custom titles")
            ),
            Lang::Zh => format!(
                "{}（已归档线程键 {} 个，自定义标题 {} 个）",
                s.field_count, s.archived_task_count, s.custom_task_title_count
            ),
        },
    );
}

/// The threads, newest first; the newest [`LIST_CAP`] unless `all`.
fn thread_table(ui: &Ui, out: &mut String, threads: &[ThreadSummary], all: bool) {
    let mut sorted: Vec<&ThreadSummary> = threads.iter().collect();
    // Newest first; threads without a time last, in their stored order.
    sorted.sort_by(|a, b| {
        b.updated_at_ms
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.updated_at_ms.unwrap_or(f64::NEG_INFINITY))
    });
    let (shown, hidden) = capped(&sorted, all);
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|t| {
            vec![
                Cell::new(t.session_key.clone()),
                Cell::new(opt(t.title.as_deref())),
                if t.archived {
                    Cell::toned(ui.yes_no(true), Tone::Dim)
                } else {
                    Cell::new(ui.yes_no(false))
                },
                Cell::new(t.message_count.to_string()),
                Cell::new(t.updated_at_ms.map_or(DASH.to_string(), time_ms)),
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.w(("THREAD KEY", "线程键")),
            ui.w(("TITLE", "标题")),
            ui.w(("ARCHIVED", "已归档")),
            ui.w(("MESSAGES", "消息数")),
            ui.w(("UPDATED", "更新时间")),
        ],
        &rows,
    );
    more(ui, out, "  ", hidden);
}

// ----------------------------------------------------------------- recovery

pub fn locked_report(ui: &Ui, dir: &Path, r: &LockedRecoveryReport) -> String {
    let mut out = recovery(ui, dir, &r.assessment, Some(r.last_recovery.as_ref()));
    if r.last_recovery_error.is_some() {
        let line = match (&r.last_recovery_error, ui.lang) {
            (Some(e), Lang::En) => crate::fail::one_line(e),
            _ => format!("无法读取上次恢复的记录。{}", crate::fail::DETAIL_HINT),
        };
        let _ = writeln!(out, "  {} {line}", ui.paint(Tone::Warn, "!"));
    }
    if let Some(current) = r
        .generations_present
        .last()
        .filter(|g| **g != GenerationId::A)
    {
        let _ = writeln!(
            out,
            "\n  {} {}",
            ui.paint(Tone::Warn, "!"),
            if ui.lang == Lang::Zh {
                format!(
                    "旧版数据恢复针对的是存储版本 A（XWorkmate 0.6.1）的数据；此文件夹当前使用的是存储版本 {current}（XWorkmate {}），它不读取这些数据。可以预览、测试解密密钥，或者用 `threads export --generation A` 导出旧线程。",
                    words::versions(ui, *current)
                )
            } else {
                format!(
                    "Legacy recovery concerns generation A's data (XWorkmate 0.6.1); this folder's current generation is {current} (XWorkmate {}), which does not read it. Preview, test a key, or export the old threads with `threads export --generation A`.",
                    current.versions()
                )
            }
        );
    }
    out
}

/// The documents of a report with `action`, in words: `settings and threads`,
/// `设置和线程`.
fn doc_list(ui: &Ui, r: &RecoveryReport, action: DocumentAction) -> String {
    let docs: Vec<&str> = r
        .documents
        .iter()
        .filter(|d| d.action == action)
        .map(|d| ui.w(words::doc_kind(d.document)))
        .collect();
    match (docs.as_slice(), ui.lang) {
        ([], _) => String::new(),
        ([one], _) => one.to_string(),
        (many, Lang::En) => many.join(" and "),
        (many, Lang::Zh) => many.join("和"),
    }
}

/// What a recovery report says, for people. English: the core's sentence.
/// Chinese: worded from the report's status, documents, lock reasons and
/// keys; only a failure's cause is left to the English details.
fn details(ui: &Ui, r: &RecoveryReport) -> String {
    if ui.lang == Lang::En {
        return crate::fail::one_line(&r.details);
    }
    let recovered = doc_list(ui, r, DocumentAction::Recovered);
    match r.status {
        RecoveryStatus::None => {
            let missing = doc_list(ui, r, DocumentAction::NotFound);
            if missing.is_empty() {
                "所有文档都可读，无需恢复。".to_string()
            } else {
                format!("没有需要恢复的内容：没有旧版数据源保存着{missing}。")
            }
        }
        RecoveryStatus::Recoverable => format!("可以从旧版数据恢复{recovered}。"),
        RecoveryStatus::Migrated if r.dry_run => {
            format!("将恢复{recovered}，并以明文写入 SQLite 和副本文件。")
        }
        RecoveryStatus::Migrated => format!("已恢复{recovered}，并以明文写入 SQLite 和副本文件。"),
        RecoveryStatus::LockedLegacyState => {
            let locked = doc_list(ui, r, DocumentAction::Locked);
            let reason = r
                .sources
                .iter()
                .find(|s| s.state == SourceState::Locked)
                .and_then(|s| s.reason);
            let why = match reason {
                Some(LockReason::KeyMissing) => {
                    "在安全存储和 gateway-auth/local-state-key.txt 中都没有找到解密密钥"
                }
                Some(LockReason::KeyMismatch) => "现有的解密密钥打不开它",
                Some(LockReason::KeyInvalid) => "找到的解密密钥都不是 32 字节的 base64url 密钥",
                Some(LockReason::Malformed) => "已加密的数据本身已损坏",
                None => "无法打开它",
            };
            let mut text = format!("无法恢复{locked}：找到了已加密的旧版数据，但{why}。");
            if r.keys.secure_storage == KeyState::Unavailable {
                text.push_str("安全存储无法读取（钥匙串不可用），因此没有尝试其中的解密密钥。");
            }
            if !recovered.is_empty() {
                text.push_str(&if r.dry_run {
                    format!("{recovered}将被恢复。")
                } else {
                    format!("{recovered}已恢复。")
                });
            }
            text
        }
        RecoveryStatus::Failed => format!(
            "{}{}",
            ui.w(words::error(xworkmate_store::ErrorCode::RecoveryFailed)),
            crate::fail::DETAIL_HINT
        ),
    }
}

/// A recovery report (`recover`) or assessment (`report`, with `last`).
pub fn recovery(
    ui: &Ui,
    dir: &Path,
    r: &RecoveryReport,
    last: Option<Option<&LastRecovery>>,
) -> String {
    let mut out = String::new();
    let w = label_width(ui);
    let title = match (last.is_some(), r.dry_run) {
        (true, _) => ui.w(("Recovery assessment (read-only)", "恢复评估（只读）")),
        (false, true) => ui.w((
            "Recovery — dry run (nothing was written)",
            "恢复——预览（未写入任何内容）",
        )),
        (false, false) => ui.w(("Recovery", "恢复")),
    };
    ui.heading(&mut out, title);
    // An assessment (`report`) and a dry run both say what a run would do.
    ui.field(
        &mut out,
        w,
        ui.w(("Status", "状态")),
        &status_text(ui, r.status, r.dry_run && last.is_none()),
    );
    ui.field(&mut out, w, ui.w(("Details", "说明")), &details(ui, r));
    ui.field(
        &mut out,
        w,
        ui.w(("Source", "来源")),
        &r.source_path
            .as_ref()
            .map_or(DASH.to_string(), |p| p.display().to_string()),
    );

    ui.heading(&mut out, ui.w(("Documents", "文档")));
    let rows: Vec<Vec<Cell>> = r
        .documents
        .iter()
        .map(|d| {
            let tone = match d.action {
                DocumentAction::Kept | DocumentAction::Recovered => Tone::Good,
                DocumentAction::Locked => Tone::Bad,
                DocumentAction::NotFound => Tone::Dim,
            };
            // "recovered" is what the run does; a dry run (or assessment) only
            // would, and a failed run may not have written it.
            let action_text = match d.action {
                DocumentAction::Recovered if r.status == RecoveryStatus::Failed && !r.dry_run => {
                    ui.w(("recoverable (run failed)", "可恢复（运行失败）"))
                }
                DocumentAction::Recovered if r.dry_run => ui.w(("would be recovered", "将恢复")),
                other => ui.w(words::action(other)),
            };
            let from = match (&d.from, &d.from_kind) {
                (Some(p), Some(k)) => {
                    format!("{}{}", rel(dir, p), paren(ui, ui.w(words::source_kind(*k))))
                }
                (Some(p), None) => rel(dir, p),
                _ => DASH.into(),
            };
            vec![
                Cell::new(ui.w(words::doc_kind(d.document))),
                Cell::toned(action_text, tone),
                Cell::new(from),
            ]
        })
        .collect();
    ui.table(
        &mut out,
        &[
            ui.w(("DOCUMENT", "文档")),
            ui.w(("ACTION", "处理")),
            ui.w(("FROM", "来自")),
        ],
        &rows,
    );

    ui.heading(
        &mut out,
        ui.w(("Legacy sources examined", "检查过的旧版数据源")),
    );
    if r.sources.is_empty() {
        let _ = writeln!(out, "  {}", ui.w(("None found.", "未发现。")));
    } else {
        let rows: Vec<Vec<Cell>> = r
            .sources
            .iter()
            .map(|s| {
                let tone = match s.state {
                    SourceState::Plain | SourceState::Unsealed => Tone::Good,
                    SourceState::Locked => Tone::Bad,
                    SourceState::Unreadable => Tone::Warn,
                };
                vec![
                    Cell::new(rel(dir, &s.path)),
                    Cell::new(ui.w(words::source_kind(s.kind))),
                    Cell::new(ui.w(words::source_document(s.document))),
                    Cell::toned(ui.w(words::source_state(s.state)), tone),
                    Cell::new(s.reason.map_or(DASH, |r| ui.w(words::reason(r)))),
                ]
            })
            .collect();
        ui.table(
            &mut out,
            &[
                ui.w(("PATH", "路径")),
                ui.w(("KIND", "类型")),
                ui.w(("DOCUMENT", "文档")),
                ui.w(("STATE", "状态")),
                ui.w(("REASON", "原因")),
            ],
            &rows,
        );
    }

    ui.heading(
        &mut out,
        ui.w(("Keys (presence only)", "解密密钥（仅显示是否存在）")),
    );
    let k = &r.keys;
    ui.field(
        &mut out,
        w,
        ui.w(("Secure storage", "安全存储")),
        ui.w(words::key_state(k.secure_storage)),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Key file", "解密密钥文件")),
        &format!(
            "{}{}",
            ui.w(words::key_state(k.key_file_state)),
            paren(ui, &rel(dir, &k.key_file))
        ),
    );
    if let Some(s) = k.supplied {
        ui.field(
            &mut out,
            w,
            ui.w(("Supplied key", "提供的解密密钥")),
            ui.w(words::key_state(s)),
        );
    }
    if k.key_file_moved {
        ui.field(
            &mut out,
            w,
            "",
            ui.w((
                "The key file was moved into secure storage.",
                "解密密钥文件已移入安全存储。",
            )),
        );
    }
    if k.supplied_key_stored {
        ui.field(
            &mut out,
            w,
            "",
            ui.w((
                "The supplied key was stored in secure storage.",
                "提供的解密密钥已存入安全存储。",
            )),
        );
    }
    if !r.secret_files_moved.is_empty() || !r.preferences_migrated.is_empty() {
        ui.heading(
            &mut out,
            if r.dry_run {
                ui.w(("Would migrate", "将迁移"))
            } else {
                ui.w(("Migrated", "已迁移"))
            },
        );
        if !r.secret_files_moved.is_empty() {
            ui.field(
                &mut out,
                w,
                ui.w(("Secret files", "旧版密钥文件")),
                &join(ui, &r.secret_files_moved),
            );
        }
        if !r.preferences_migrated.is_empty() {
            ui.field(
                &mut out,
                w,
                ui.w(("SharedPreferences", "旧版偏好设置")),
                &join(ui, &r.preferences_migrated),
            );
        }
    }

    if !r.secret_files_kept.is_empty() {
        ui.heading(
            &mut out,
            if r.dry_run {
                ui.w(("Would stay where they are", "将留在原处"))
            } else {
                ui.w(("Stayed where they are", "留在原处"))
            },
        );
        for kept in &r.secret_files_kept {
            ui.field(
                &mut out,
                w,
                &kept.name,
                &format!(
                    "{} — {}",
                    kept.path.display(),
                    ui.w(words::kept_reason(kept.reason))
                ),
            );
        }
    }

    ui.heading(&mut out, ui.w(("Folders scanned", "扫描过的文件夹")));
    for c in &r.candidates {
        let _ = writeln!(out, "  {}", c.display());
    }

    if let Some(last) = last {
        ui.heading(&mut out, ui.w(("Last recovery run", "上次恢复")));
        match last {
            None => {
                let _ = writeln!(out, "  {}", ui.w(("None recorded.", "没有记录。")));
            }
            Some(l) => {
                ui.field(
                    &mut out,
                    w,
                    ui.w(("When", "时间")),
                    &time_ms(l.recorded_at_ms as f64),
                );
                ui.field(
                    &mut out,
                    w,
                    ui.w(("Status", "状态")),
                    &status_text(ui, l.report.status, l.report.dry_run),
                );
                ui.field(
                    &mut out,
                    w,
                    ui.w(("Details", "说明")),
                    &details(ui, &l.report),
                );
            }
        }
    }
    notices(ui, &mut out, &r.warnings, true);
    out
}

pub fn key_test(ui: &Ui, dir: &Path, t: &KeyTest) -> String {
    let mut out = String::new();
    let w = label_width(ui);
    ui.heading(
        &mut out,
        ui.w((
            "Key test (nothing was written)",
            "解密密钥测试（未写入任何内容）",
        )),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Valid", "格式有效")),
        &ui.yes_no(t.valid),
    );
    let opens = if t.opens.is_empty() {
        ui.paint(Tone::Bad, ui.w(("nothing", "无")))
    } else {
        ui.paint(
            Tone::Good,
            &match ui.lang {
                Lang::En => count(t.opens.len(), "source", "sources"),
                Lang::Zh => format!("{} 个数据源", t.opens.len()),
            },
        )
    };
    ui.field(&mut out, w, ui.w(("Opens", "可打开")), &opens);
    for s in &t.opens {
        ui.field(
            &mut out,
            w,
            "",
            &format!(
                "{}{}",
                rel(dir, &s.path),
                paren(ui, ui.w(words::source_kind(s.kind)))
            ),
        );
    }
    ui.field(
        &mut out,
        w,
        ui.w(("Still locked", "仍被锁定")),
        &t.still_locked.len().to_string(),
    );
    for s in &t.still_locked {
        ui.field(
            &mut out,
            w,
            "",
            &format!(
                "{}{}",
                rel(dir, &s.path),
                paren(ui, s.reason.map_or(DASH, |r| ui.w(words::reason(r))))
            ),
        );
    }
    let would: Vec<&str> = t
        .would_recover
        .iter()
        .map(|d| ui.w(words::doc_kind(*d)))
        .collect();
    ui.field(
        &mut out,
        w,
        ui.w(("Would recover", "可恢复")),
        &if would.is_empty() {
            DASH.to_string()
        } else {
            join(ui, &would)
        },
    );
    out
}

// -------------------------------------------------------------------- clear

/// A table of removals: kind, what (path · storage key), size; the first
/// [`LIST_CAP`] unless `all`.
fn removal_table(
    ui: &Ui,
    out: &mut String,
    dir: &Path,
    list: &[xworkmate_store::clear::Removal],
    all: bool,
) {
    let (shown, hidden) = capped(list, all);
    let rows: Vec<Vec<Cell>> = shown
        .iter()
        .map(|r| {
            let what = match &r.storage_key {
                Some(k) => format!("{} · {k}", rel(dir, &r.path)),
                None => rel(dir, &r.path),
            };
            vec![
                Cell::new(ui.w(words::removal(r.kind))),
                Cell::new(what),
                Cell::new(bytes(r.bytes)),
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.w(("KIND", "类型")),
            ui.w(("WHAT", "内容")),
            ui.w(("SIZE", "大小")),
        ],
        &rows,
    );
    more(ui, out, "  ", hidden);
}

/// `rebuild-database`: why, what the new database gets and from where,
/// where the damaged one is kept.
pub fn rebuild(ui: &Ui, r: &xworkmate_store::rebuild::RebuildReport, dry_run: bool) -> String {
    use xworkmate_store::rebuild::RowSource;
    let mut out = String::new();
    let zh = ui.lang == Lang::Zh;
    let title = match (r.executed, dry_run) {
        (true, _) => ui.w(("Rebuild the database — done", "重建数据库——已完成")),
        (false, true) => ui.w((
            "Rebuild the database — plan (dry run, nothing was changed)",
            "重建数据库——计划（预览，未做任何更改）",
        )),
        (false, false) => ui.w(("Rebuild the database — plan", "重建数据库——计划")),
    };
    ui.heading(&mut out, title);
    let w = if zh { 14 } else { 20 };
    ui.field(
        &mut out,
        w,
        ui.w(("Database", "数据库")),
        &r.database.display().to_string(),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Why", "原因")),
        if zh {
            "数据库已损坏，XWorkmate 无法从中读取。"
        } else {
            "it is damaged: XWorkmate cannot read it."
        },
    );
    ui.heading(
        &mut out,
        if r.executed {
            ui.w(("The new database holds", "新数据库包含"))
        } else {
            ui.w(("The new database will hold", "新数据库将包含"))
        },
    );
    for row in &r.rows {
        let from = match (row.from, zh) {
            (RowSource::Database, false) => "read out of the damaged database",
            (RowSource::Database, true) => "从损坏的数据库中读出",
            (RowSource::Mirror, false) => "from its mirror file",
            (RowSource::Mirror, true) => "来自副本文件",
        };
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            row.storage_key,
            from,
            crate::ui::bytes(row.bytes)
        );
    }
    let summary = match (zh, r.settings) {
        (false, true) => format!("Settings, and {} threads.", r.threads),
        (false, false) => format!(
            "{} threads; no settings (XWorkmate starts with its defaults).",
            r.threads
        ),
        (true, true) => format!("设置，以及 {} 个线程。", r.threads),
        (true, false) => format!(
            "{} 个线程；没有设置（XWorkmate 会使用默认设置）。",
            r.threads
        ),
    };
    let _ = writeln!(out, "  {summary}");
    ui.heading(&mut out, ui.w(("Kept", "保留")));
    let _ = writeln!(
        out,
        "  {}",
        if zh {
            format!(
                "损坏的数据库保存为 {}（XWorkmate 不读取这个文件夹）。密钥和副本文件不会改动。",
                r.kept_as.display()
            )
        } else {
            format!(
                "The damaged database, as {} (a folder XWorkmate ignores). Secrets and the mirror files are not touched.",
                r.kept_as.display()
            )
        }
    );
    out
}

/// What a clear means, in plain words, before the list of what it removes:
/// what goes (threads, messages, account, gateway profiles), what stays
/// (secrets by name, other threads), what XWorkmate shows at its next start.
fn consequences(ui: &Ui, out: &mut String, c: &ClearJson<'_>) {
    let k = c.consequences;
    let done = c.executed;
    ui.heading(
        out,
        if done {
            ui.w(("What this clear did", "这次清理的结果"))
        } else {
            ui.w(("What this clear will do", "这次清理将会"))
        },
    );
    let zh = ui.lang == Lang::Zh;
    let n = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let threads = |k: usize| n(k, "thread", "threads");
    let mut lines: Vec<String> = Vec::new();
    if k.threads > 0 {
        lines.push(match (zh, done) {
            (false, false) => format!(
                "Remove {} ({}).",
                threads(k.threads),
                n(k.messages, "message", "messages")
            ),
            (false, true) => format!(
                "Removed {} ({}).",
                threads(k.threads),
                n(k.messages, "message", "messages")
            ),
            (true, false) => format!("删除 {} 个线程（{} 条消息）。", k.threads, k.messages),
            (true, true) => format!("已删除 {} 个线程（{} 条消息）。", k.threads, k.messages),
        });
    }
    if k.threads_kept > 0 {
        lines.push(if zh {
            format!(
                "{}保留 {} 个线程。",
                if done { "已" } else { "" },
                k.threads_kept
            )
        } else {
            format!(
                "{} {}.",
                if done { "Kept" } else { "Keep" },
                threads(k.threads_kept)
            )
        });
    }
    if k.settings_reset {
        let mut gone: Vec<String> = Vec::new();
        if let Some(a) = &k.account {
            gone.push(if zh {
                format!("账号 {a}")
            } else {
                format!("the account {a}")
            });
        }
        if k.gateway_profiles > 0 {
            gone.push(if zh {
                format!("{} 个网关配置", k.gateway_profiles)
            } else {
                n(k.gateway_profiles, "gateway profile", "gateway profiles")
            });
        }
        lines.push(match (zh, gone.is_empty()) {
            (false, true) => "Reset the settings to XWorkmate's defaults.".into(),
            (false, false) => format!(
                "Reset the settings to XWorkmate's defaults: {} go with them.",
                gone.join(" and ")
            ),
            (true, true) => "设置回到 XWorkmate 的默认值。".into(),
            (true, false) => {
                let list = gone.join("、");
                let sep = if list.ends_with(|c: char| c.is_ascii()) {
                    " "
                } else {
                    ""
                };
                format!("设置回到 XWorkmate 的默认值：{list}{sep}随之删除。")
            }
        });
    }
    if k.sealed_state_removed {
        lines.push(
            ui.w((
                "Remove the old sealed data too: it can no longer be recovered.",
                "旧的已加密数据也会删除：之后无法再恢复。",
            ))
            .to_string(),
        );
    }
    let names: Vec<&str> = c
        .kept
        .secrets
        .iter()
        .flat_map(|s| s.names.iter().map(String::as_str))
        .collect();
    lines.push(if names.is_empty() {
        ui.w((
            "Secrets: none are set; clear never touches them.",
            "密钥：目前没有设置；清理从不触碰密钥。",
        ))
        .to_string()
    } else if zh {
        format!(
            "{}保留密钥：{}。",
            if done { "已" } else { "" },
            names.join("、")
        )
    } else {
        format!(
            "{} the secrets: {}.",
            if done { "Kept" } else { "Keep" },
            names.join(", ")
        )
    });
    if k.threads > 0 || k.settings_reset {
        let threads_word = match (zh, k.threads_kept) {
            (false, 0) => "no threads".to_string(),
            (false, kept) => threads(kept),
            (true, 0) => "没有线程".to_string(),
            (true, kept) => format!("{kept} 个线程"),
        };
        let settings_word = match (zh, k.settings_reset) {
            (false, true) => "its default settings",
            (false, false) => "your settings",
            (true, true) => "默认设置",
            (true, false) => "现有设置",
        };
        lines.push(if zh {
            format!("XWorkmate 下次启动时：{threads_word}，{settings_word}。")
        } else {
            format!("Next time XWorkmate starts, it shows {threads_word} and {settings_word}.")
        });
    }
    if lines.len() == 1 && k.threads == 0 && !k.settings_reset && !k.sealed_state_removed {
        lines.insert(
            0,
            ui.w(("Nothing of yours goes.", "不会删除你的任何数据。"))
                .to_string(),
        );
    }
    for l in lines {
        let _ = writeln!(out, "  {l}");
    }
}

pub fn clear(ui: &Ui, c: &ClearJson<'_>, backup_not_written: Option<&Path>, all: bool) -> String {
    let mut out = String::new();
    let dir = c.data_dir;
    let w = if ui.lang == Lang::Zh { 14 } else { 20 };
    let title = if c.executed {
        ui.w(("Clear local state — done", "清理本地数据——已完成"))
    } else if c.dry_run {
        ui.w((
            "Clear local state — plan (dry run, nothing was changed)",
            "清理本地数据——计划（预览，未做任何更改）",
        ))
    } else {
        ui.w(("Clear local state — plan", "清理本地数据——计划"))
    };
    ui.heading(&mut out, title);
    ui.field(
        &mut out,
        w,
        ui.w(("Data folder", "数据文件夹")),
        &dir.display().to_string(),
    );
    let others: Vec<&str> = c
        .generations_present
        .iter()
        .filter(|g| **g != c.generation)
        .map(|g| g.as_str())
        .collect();
    let mut gen_text = format!(
        "{}{}",
        c.generation,
        paren(
            ui,
            &format!("XWorkmate {}", words::versions(ui, c.generation))
        )
    );
    if !others.is_empty() {
        let _ = write!(
            gen_text,
            "{}{}",
            ui.w(("; also here, not cleared: ", "；此处还有，不清理：")),
            join(ui, &others)
        );
    }
    ui.field(&mut out, w, ui.w(("Generation", "存储版本")), &gen_text);
    consequences(ui, &mut out, c);

    let list: &[xworkmate_store::clear::Removal] = if c.executed { &c.removed } else { c.planned };
    ui.heading(
        &mut out,
        if c.executed {
            ui.w(("Removed", "已删除"))
        } else {
            ui.w(("Would remove (in this order)", "将删除（按此顺序）"))
        },
    );
    if let (true, Some(r)) = (list.is_empty(), c.rewritten.or(c.rewrite)) {
        let _ = writeln!(
            out,
            "  {}",
            if ui.lang == Lang::Zh {
                format!(
                    "线程列表（config-store.sqlite3 和 assistant-threads.json）去掉 {} 个线程后重新写入，保留 {} 个。",
                    r.removed, r.kept
                )
            } else {
                format!(
                    "The thread list (config-store.sqlite3 and assistant-threads.json), written again without {} of its threads; {} stay.",
                    r.removed, r.kept
                )
            }
        );
    } else if list.is_empty() {
        let _ = writeln!(out, "  {}", ui.w(("Nothing.", "无。")));
    } else {
        removal_table(ui, &mut out, dir, list, all);
        if !c.executed {
            ui.field(
                &mut out,
                w,
                ui.w(("Total", "合计")),
                &bytes(c.planned_bytes),
            );
        }
    }

    if !c.remaining.is_empty() {
        ui.heading(
            &mut out,
            ui.w((
                "Remaining (the clear stopped part-way; run it again)",
                "仍存在（清理中途停止；请再次运行）",
            )),
        );
        removal_table(ui, &mut out, dir, &c.remaining, all);
    }

    ui.heading(&mut out, ui.w(("Kept", "保留")));
    let kept = c.kept;
    let mut secrets = kept.secret_count.to_string();
    if !kept.secrets.is_empty() {
        let per: Vec<String> = kept
            .secrets
            .iter()
            .map(|s| {
                format!(
                    "{}{}{}",
                    ui.w(words::backend(s.backend)),
                    ui.w((": ", "：")),
                    join(ui, &s.names)
                )
            })
            .collect();
        secrets.push_str(&paren(ui, &per.join(ui.w(("; ", "；")))));
    }
    ui.field(&mut out, w, ui.w(("Secrets", "密钥")), &secrets);
    ui.field(
        &mut out,
        w,
        ui.w(("Audit trail", "审计记录")),
        &kept
            .audit_trail_entries
            .map_or(DASH.to_string(), |n| n.to_string()),
    );
    if !kept.other_sqlite_keys.is_empty() {
        ui.field(
            &mut out,
            w,
            ui.w(("Other SQLite keys", "其他 SQLite 键")),
            &join(ui, &kept.other_sqlite_keys),
        );
    }
    if kept.other_preferences > 0 {
        ui.field(
            &mut out,
            w,
            ui.w(("Other preferences", "其他偏好设置")),
            &kept.other_preferences.to_string(),
        );
    }
    ui.field(
        &mut out,
        w,
        ui.w(("Secret folder", "密钥文件夹")),
        &format!(
            "{}/",
            rel(
                dir,
                kept.secrets_folder.as_deref().unwrap_or(&kept.gateway_auth)
            )
        ),
    );
    for k in &kept.for_other_generations {
        ui.field(
            &mut out,
            w,
            ui.w(("Read by", "仍被读取")),
            &format!(
                "{} — {} {}{}",
                rel(dir, &k.path),
                ui.w(("generation", "存储版本")),
                k.generation,
                paren(
                    ui,
                    &format!("XWorkmate {}", words::versions(ui, k.generation))
                )
            ),
        );
    }
    if !c.left_in_place.is_empty() {
        ui.heading(
            &mut out,
            ui.w(("Left in place (other folders)", "留在原处（其他文件夹）")),
        );
        for p in c.left_in_place {
            let _ = writeln!(out, "  {}", p.display());
        }
    }
    if c.executed {
        ui.heading(&mut out, ui.w(("Result", "结果")));
        ui.field(
            &mut out,
            w,
            ui.w(("Backup", "备份")),
            &c.backup
                .as_ref()
                .map_or(DASH.to_string(), |p| p.display().to_string()),
        );
        let verified = if c.secrets_verified == Some(true) {
            ui.paint(
                Tone::Good,
                ui.w(("every secret is still present", "所有密钥仍然存在")),
            )
        } else if c.secrets_missing_after.is_empty() {
            // Kept, but unreadable: not checked, so not "present".
            ui.paint(
                Tone::Warn,
                &format!(
                    "{}{}",
                    ui.w(("could not be checked: ", "无法检查：")),
                    join(ui, &c.secrets_unchecked)
                ),
            )
        } else {
            ui.paint(
                Tone::Bad,
                &format!(
                    "{}{}",
                    ui.w(("missing: ", "缺失：")),
                    join(ui, &c.secrets_missing_after)
                ),
            )
        };
        ui.field(&mut out, w, ui.w(("Secrets check", "密钥检查")), &verified);
    }
    notices(ui, &mut out, &c.warnings, all);
    if c.refused {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            ui.paint(
                Tone::Warn,
                ui.w((
                    "Refused: nothing was changed. Run again with --yes to clear (secrets are always kept).",
                    "已拒绝：未做任何更改。加上 --yes 重新运行即可清理（密钥始终保留）。",
                ))
            )
        );
        if backup_not_written.is_some() {
            let _ = writeln!(out, "{}", ui.w(("No backup was written.", "未写入备份。")));
        }
    }
    out
}

// ------------------------------------------------------------------- export

pub fn export(ui: &Ui, path: &Path, size: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}{}{}",
        ui.paint(
            Tone::Good,
            ui.w(("Support report written:", "支持报告已写入："))
        ),
        ui.w((" ", "")),
        path.display(),
        paren(ui, &bytes(size))
    );
    let _ = writeln!(
        out,
        "  {}",
        ui.w((
            "It shows presence only: no secret values, no masks, no message texts.",
            "报告只记录是否存在：不含密钥的值、掩码和消息内容。",
        ))
    );
    out
}

// ----------------------------------------------------------------- settings

pub fn settings(ui: &Ui, loc: &DataLocation, doc: Option<&LoadedDoc>) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 16 };
    ui.heading(&mut out, ui.w(("Settings document", "设置文档")));
    let Some(doc) = doc else {
        let _ = writeln!(
            out,
            "  {}",
            ui.w((
                "No readable settings document (neither in SQLite nor in the mirror).",
                "没有可读的设置文档（SQLite 和副本文件中都没有）。",
            ))
        );
        return out;
    };
    let source = match doc.source {
        DocSource::Database => format!(
            "{}{}",
            ui.w(words::doc_source(doc.source)),
            paren(ui, &rel(loc.data_dir(), &loc.database()))
        ),
        DocSource::Mirror => format!(
            "{}{}",
            ui.w(words::doc_source(doc.source)),
            paren(ui, &rel(loc.data_dir(), &loc.settings_mirror()))
        ),
        DocSource::None => ui.w(words::doc_source(doc.source)).to_string(),
    };
    ui.field(&mut out, w, ui.w(("Read from", "读取自")), &source);
    if let xworkmate_store::document::Summary::Settings(s) = &doc.summary {
        settings_summary(ui, &mut out, w, s);
    }
    ui.heading(&mut out, ui.w(("Document", "文档内容")));
    let pretty = serde_json::from_str::<serde_json::Value>(&doc.text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.text.clone());
    out.push_str(&pretty);
    out.push('\n');
    out
}

/// `threads list`: the counts, then the threads newest first (the newest
/// [`LIST_CAP`] unless `all`).
pub fn threads(ui: &Ui, source: Option<DocSource>, threads: &[ThreadSummary], all: bool) -> String {
    let mut out = String::new();
    ui.heading(&mut out, ui.w(("Threads", "线程")));
    let Some(source) = source else {
        let _ = writeln!(
            out,
            "  {}",
            ui.w((
                "No readable thread list (neither in SQLite nor in the mirror).",
                "没有可读的线程列表（SQLite 和副本文件中都没有）。",
            ))
        );
        return out;
    };
    let archived = threads.iter().filter(|t| t.archived).count();
    let messages: usize = threads.iter().map(|t| t.message_count).sum();
    let _ = writeln!(
        out,
        "  {}",
        match ui.lang {
            Lang::En => format!(
                "{} ({archived} archived), {}; read from {}",
                count(threads.len(), "thread", "threads"),
                count(messages, "message", "messages"),
                ui.w(words::doc_source(source))
            ),
            Lang::Zh => format!(
                "{} 个线程（{archived} 个已归档），{messages} 条消息；读取自{}",
                threads.len(),
                ui.w(words::doc_source(source))
            ),
        }
    );
    if !threads.is_empty() {
        thread_table(ui, &mut out, threads, all);
    }
    out
}

pub fn saved(
    ui: &Ui,
    doc: xworkmate_store::document::DocKind,
    database: &Path,
    mirror: &Path,
    size: usize,
) -> String {
    let what = match doc {
        xworkmate_store::document::DocKind::Settings => ui.w(("Settings saved", "设置已保存")),
        xworkmate_store::document::DocKind::Threads => {
            ui.w(("Thread list saved", "线程列表已保存"))
        }
    };
    let colon = ui.w((": ", "："));
    format!(
        "{}{}\n  SQLite{colon}{}\n  {}{colon}{}\n",
        ui.paint(Tone::Good, what),
        paren(ui, &ui::bytes(size as u64)),
        database.display(),
        ui.w(("Mirror", "副本文件")),
        mirror.display()
    )
}

/// `threads export`: what was written where.
pub fn threads_export(ui: &Ui, e: &xworkmate_store::export::ThreadsExport) -> String {
    let mut out = String::new();
    let w = label_width(ui);
    ui.heading(&mut out, ui.w(("Threads exported", "线程已导出")));
    ui.field(
        &mut out,
        w,
        ui.w(("Generation", "存储版本")),
        &format!(
            "{}{}",
            e.generation,
            paren(
                ui,
                &format!("XWorkmate {}", words::versions(ui, e.generation))
            )
        ),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Threads", "线程")),
        &format!(
            "{}{}",
            e.threads,
            paren(
                ui,
                &match ui.lang {
                    Lang::En => format!("{} messages", e.messages),
                    Lang::Zh => format!("{} 条消息", e.messages),
                }
            )
        ),
    );
    ui.field(&mut out, w, ui.w(("Format", "格式")), e.format.extension());
    ui.field(
        &mut out,
        w,
        ui.w(("File", "文件")),
        &format!(
            "{}{}",
            printable(&e.out.display().to_string()),
            paren(ui, &bytes(e.bytes))
        ),
    );
    out
}

/// `report --from`: an exported support report, read-only, under a banner
/// saying whose it is; nothing of this machine is mixed in.
pub fn opened_report(ui: &Ui, file: &Path, r: &xworkmate_store::support::SupportReport) -> String {
    let mut out = String::new();
    let w = label_width(ui);
    ui.heading(
        &mut out,
        ui.w((
            "Support report (opened from a file; nothing of this computer is shown)",
            "支持报告（从文件打开；不包含这台电脑的任何内容）",
        )),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("File", "文件")),
        &printable(&file.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Data folder", "数据文件夹")),
        &printable(&r.data_dir.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Made", "生成于")),
        &format!(
            "{} · {} · {}",
            time_ms(r.generated_at_ms as f64),
            printable(&r.tool),
            printable(&r.os)
        ),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Database", "数据库")),
        ui.w(words::integrity(r.database_integrity)),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Threads", "线程")),
        &format!(
            "{}{}",
            r.thread_count,
            paren(
                ui,
                &match ui.lang {
                    Lang::En => format!("{} messages", r.message_count),
                    Lang::Zh => format!("{} 条消息", r.message_count),
                }
            )
        ),
    );
    let secrets: Vec<&str> = r
        .secrets
        .iter()
        .filter(|s| s.present)
        .map(|s| s.name.as_str())
        .collect();
    ui.field(
        &mut out,
        w,
        ui.w(("Secrets present", "存在的密钥")),
        &if secrets.is_empty() {
            DASH.to_string()
        } else {
            join(ui, &secrets)
        },
    );
    for g in &r.generations {
        let codes: Vec<&str> = g.findings.iter().map(|f| f.code.as_str()).collect();
        ui.field(
            &mut out,
            w,
            &format!("{} {}", ui.w(("Generation", "存储版本")), g.id),
            &format!(
                "XWorkmate {}{} · {} · {}",
                words::versions_text(ui, &g.versions),
                if g.current {
                    ui.w((" (current)", "（当前）"))
                } else {
                    ""
                },
                match ui.lang {
                    Lang::En => format!("{} threads shown", g.thread_count),
                    Lang::Zh => format!("显示 {} 个线程", g.thread_count),
                },
                if codes.is_empty() {
                    DASH.to_string()
                } else {
                    join(ui, &codes)
                }
            ),
        );
    }
    for step in &r.next_steps {
        ui.field(
            &mut out,
            w,
            ui.w(("What to do", "怎么做")),
            &format!(
                "{}{}{}",
                printable(&step.path.display().to_string()),
                ui.w((": ", "：")),
                match ui.lang {
                    Lang::En => printable(&step.what_to_do),
                    Lang::Zh => words::next_step(step.reason).1.to_string(),
                }
            ),
        );
    }
    let lr = xworkmate_store::support::LockedRecoveryReport {
        assessment: r.recovery.clone(),
        last_recovery: r.last_recovery.clone(),
        last_recovery_error: None,
        generations_present: r.generations.iter().rev().map(|g| g.id).collect(),
    };
    out.push_str(&locked_report(ui, &r.data_dir, &lr));
    findings(
        ui,
        &mut out,
        r.warnings
            .iter()
            .map(|f| finding_item(ui, f.code, &f.message, None))
            .collect(),
        true,
    );
    out
}

/// `restore`: what the backup holds, what would be (or was) written (the
/// first [`LIST_CAP`] unless `all`).
pub fn restore(
    ui: &Ui,
    plan: &xworkmate_store::restore::RestorePlan,
    done: Option<&xworkmate_store::restore::RestoreOutcome>,
    dry_run: bool,
    all: bool,
) -> String {
    let mut out = String::new();
    let w = label_width(ui);
    let title = match (done.is_some(), dry_run) {
        (true, _) => ui.w(("Restore — done", "还原——已完成")),
        (false, true) => ui.w((
            "Restore — plan (dry run, nothing was changed)",
            "还原——计划（预览，未做任何更改）",
        )),
        (false, false) => ui.w(("Restore — plan", "还原——计划")),
    };
    ui.heading(&mut out, title);
    ui.field(
        &mut out,
        w,
        ui.w(("Backup", "备份")),
        &printable(&plan.backup.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Made", "生成于")),
        &format!(
            "{} · {}",
            plan.created_at_ms
                .map_or(DASH.to_string(), |t| time_ms(t as f64)),
            printable(plan.made_by.as_deref().unwrap_or(DASH))
        ),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("From folder", "来自文件夹")),
        &printable(&plan.from_data_dir.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Into folder", "还原到")),
        &printable(&plan.data_dir.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Generation", "存储版本")),
        &format!(
            "{}{}",
            plan.generation,
            paren(
                ui,
                &format!("XWorkmate {}", words::versions(ui, plan.generation))
            )
        ),
    );
    ui.field(
        &mut out,
        w,
        ui.w(("Holds", "包含")),
        &match ui.lang {
            Lang::En => format!(
                "{}{} threads",
                if plan.settings_included {
                    "settings, "
                } else {
                    ""
                },
                plan.thread_count
            ),
            Lang::Zh => format!(
                "{}{} 个线程",
                if plan.settings_included {
                    "设置、"
                } else {
                    ""
                },
                plan.thread_count
            ),
        },
    );
    let list = done.map_or(&plan.items, |d| &d.restored);
    ui.heading(
        &mut out,
        if done.is_some() {
            ui.w(("Written", "已写入"))
        } else {
            ui.w(("Would write", "将写入"))
        },
    );
    if list.is_empty() {
        let _ = writeln!(out, "  {}", ui.w(("Nothing.", "无。")));
    } else {
        let (shown, hidden) = capped(list, all);
        let rows: Vec<Vec<Cell>> = shown
            .iter()
            .map(|i| {
                vec![
                    Cell::new(rel(&plan.data_dir, &i.path)),
                    Cell::new(bytes(i.bytes)),
                    if i.replaces {
                        Cell::toned(ui.w(("replaces what is there", "替换现有内容")), Tone::Warn)
                    } else {
                        Cell::new(ui.w(("new", "新建")))
                    },
                ]
            })
            .collect();
        ui.table(
            &mut out,
            &[ui.w(("WHAT", "内容")), ui.w(("SIZE", "大小")), ""],
            &rows,
        );
        more(ui, &mut out, "  ", hidden);
    }
    let (skipped, hidden) = capped(&plan.skipped, all);
    for s in skipped {
        let _ = writeln!(
            out,
            "  {} {}{}{}",
            ui.w(("not restored", "不还原")),
            printable(&s.path.display().to_string()),
            ui.w((": ", "：")),
            words::restore_skip(ui, s.reason)
        );
    }
    more(ui, &mut out, "  ", hidden);
    if let Some(b) = done.and_then(|d| d.safety_backup.as_ref()) {
        ui.field(
            &mut out,
            w,
            ui.w(("Replaced data saved to", "被替换的数据已保存到")),
            &printable(&b.display().to_string()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_only_for_one() {
        assert_eq!(count(0, "thread", "threads"), "0 threads");
        assert_eq!(count(1, "thread", "threads"), "1 thread");
        assert_eq!(count(2, "message", "messages"), "2 messages");
    }

    #[test]
    fn a_dry_run_says_what_a_run_would_do() {
        let en = Ui {
            lang: Lang::En,
            colour: false,
        };
        let zh = Ui {
            lang: Lang::Zh,
            colour: false,
        };
        let s = |ui: &Ui, st, dry| status_text(ui, st, dry);
        assert_eq!(
            s(&en, RecoveryStatus::Migrated, true),
            "would migrate (migrated)"
        );
        assert_eq!(s(&zh, RecoveryStatus::Migrated, true), "将恢复（migrated）");
        assert_eq!(s(&en, RecoveryStatus::Migrated, false), "migrated");
        assert_eq!(
            s(&zh, RecoveryStatus::Migrated, false),
            "已恢复（migrated）"
        );
        assert_eq!(s(&en, RecoveryStatus::Failed, true), "would fail (failed)");
        assert_eq!(
            s(&en, RecoveryStatus::None, true),
            "nothing to recover (none)"
        );
        assert_eq!(
            s(&en, RecoveryStatus::LockedLegacyState, true),
            "locked legacy state (locked_legacy_state)"
        );
    }

    #[test]
    fn long_lists_stop_after_the_cap_unless_all() {
        let list: Vec<usize> = (0..25).collect();
        assert_eq!(capped(&list, false), (&list[..LIST_CAP], 15));
        assert_eq!(capped(&list, true), (&list[..], 0));
        assert_eq!(capped(&list[..3], false), (&list[..3], 0));
    }
}
