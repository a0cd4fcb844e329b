//! Text for people (zh/en). Shows no secret: masks only in inspect, as the core
//! computes them; nothing else ever holds a secret value.

use std::fmt::Write as _;
use std::path::Path;

use xworkmate_store::document::ThreadSummary;
use xworkmate_store::generation::GenerationId;
use xworkmate_store::inspect::{Inspection, Integrity};
use xworkmate_store::recovery::{KeyTest, LastRecovery, RecoveryReport, RecoveryStatus};
use xworkmate_store::settings::{DocSource, LoadedDoc};
use xworkmate_store::support::LockedRecoveryReport;
use xworkmate_store::DataLocation;

use crate::commands::ClearJson;
use crate::ui::printable;
use crate::ui::{self, bytes, rel, time_ms, word, Cell, Lang, Tone, Ui};

const DASH: &str = "—";

/// A machine word (`in_sync`, `key_missing`, …) in words for people.
pub fn label(ui: &Ui, w: &str) -> String {
    if ui.lang == Lang::En {
        return w.replace('_', " ");
    }
    let zh = match w {
        "ok" => "正常",
        "corrupt" => "损坏",
        "missing" => "缺失",
        "plain" => "明文",
        "sealed" => "已加密",
        "unreadable" => "无法读取",
        "in_sync" => "一致",
        "mirror_older" => "镜像较旧",
        "mirror_newer" => "镜像较新",
        "mirror_missing" => "缺少镜像",
        "database_missing" => "数据库中缺失",
        "both_missing" => "均缺失",
        "sealed_legacy" => "旧版加密数据",
        "no_mirror" => "无镜像",
        "database" => "数据库",
        "mirror" => "镜像文件",
        "backup" => "备份文件",
        "shared_preferences" => "SharedPreferences",
        "none" => "无",
        "file" => "文件",
        "keyring" => "系统钥匙串",
        "memory" => "内存",
        "auto" => "自动",
        "settings" => "设置",
        "threads" => "线程",
        "both" => "设置和线程",
        "unsealed" => "已解密",
        "locked" => "已锁定",
        "key_missing" => "缺少密钥",
        "key_mismatch" => "密钥不匹配",
        "key_invalid" => "密钥无效",
        "malformed" => "数据损坏",
        "kept" => "保留",
        "recovered" => "已恢复",
        "not_found" => "未找到",
        "present" => "存在",
        "invalid" => "无效",
        "unavailable" => "不可用",
        "recoverable" => "可恢复",
        "migrated" => "已迁移",
        "locked_legacy_state" => "旧版数据已锁定",
        "failed" => "失败",
        "sqlite_row" => "SQLite 行",
        "preference" => "偏好设置项",
        "secure_storage" => "安全存储",
        "key_file" => "密钥文件",
        "supplied" => "提供的密钥",
        "explicit" => "显式指定",
        "environment" => "环境变量",
        "default" => "默认位置",
        other => return other.replace('_', " "),
    };
    zh.to_string()
}

/// A recovery status for people, followed by its machine word when the two
/// differ: `would migrate (migrated)` in a dry run, `migrated` after a run.
fn status_text(ui: &Ui, status: RecoveryStatus, dry_run: bool) -> String {
    let w = word(&status);
    let text = match (status, dry_run) {
        (RecoveryStatus::None, _) => ui.t("nothing to recover", "无需恢复").to_string(),
        (RecoveryStatus::Migrated, true) => ui.t("would migrate", "将迁移").to_string(),
        (RecoveryStatus::Failed, true) => ui.t("would fail", "将失败").to_string(),
        _ => label(ui, &w),
    };
    let painted = ui.paint(status_tone(status), &text);
    if text == w {
        painted
    } else {
        format!("{painted} ({w})")
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

// ------------------------------------------------------------------ inspect

/// One section per XWorkmate storage generation, the current one first.
fn generations(ui: &Ui, out: &mut String, i: &Inspection) {
    if i.generations.is_empty() {
        return;
    }
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };
    for g in &i.generations {
        let title = format!(
            "{} {} (XWorkmate {}){}",
            ui.t("Generation", "存储版本"),
            g.id,
            g.versions,
            if g.current {
                ui.t(" — current", "——当前")
            } else {
                ui.t(" — left behind by an upgrade", "——升级后遗留")
            }
        );
        ui.heading(out, &title);
        let settings = if !g.settings.present {
            ui.t("none", "无").to_string()
        } else if g.settings.readable {
            ui.paint(Tone::Good, ui.t("readable", "可读"))
        } else {
            ui.paint(
                Tone::Bad,
                ui.t("not readable: defaults", "不可读：将使用默认值"),
            )
        };
        ui.field(out, w, ui.t("Settings", "设置"), &settings);
        let mut threads = g.threads.count.to_string();
        if g.threads.stored != g.threads.count {
            let _ = write!(
                threads,
                " ({} {})",
                g.threads.stored,
                ui.t("stored", "条已存储")
            );
        }
        ui.field(out, w, ui.t("Threads", "会话"), &threads);
        let secrets: Vec<String> = g
            .secrets
            .iter()
            .filter(|s| s.present)
            .map(|s| printable(&s.storage_key))
            .collect();
        ui.field(
            out,
            w,
            ui.t("Secrets", "密钥"),
            &if secrets.is_empty() {
                "0".to_string()
            } else {
                format!("{} ({})", secrets.len(), secrets.join(", "))
            },
        );
        ui.field(
            out,
            w,
            ui.t("Audit trail", "审计记录"),
            &g.audit.entries.map_or(DASH.to_string(), |n| n.to_string()),
        );
        // A's other findings are listed under "Findings" below.
        let own = |f: &&xworkmate_store::generation::Finding| {
            g.id != GenerationId::A
                || matches!(
                    f.code,
                    xworkmate_store::FindingCode::ThreadsLeftBehind
                        | xworkmate_store::FindingCode::SecretFileMode
                )
        };
        {
            for f in g.findings.iter().filter(own) {
                let _ = writeln!(
                    out,
                    "  {} {}: {}",
                    ui.paint(Tone::Warn, "!"),
                    f.code,
                    printable(&f.message)
                );
            }
        }
    }
}

/// Generation A's own sections: database, stored values, settings, threads,
/// secrets, legacy state, audit trail.
fn a_details(ui: &Ui, out: &mut String, i: &Inspection) {
    let dir = i.data_dir.as_path();
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };
    ui.heading(out, ui.t("Database", "数据库"));
    ui.field(out, w, ui.t("File", "文件"), &rel(dir, &i.database.path));
    let integrity = word(&i.database.integrity);
    let tone = match i.database.integrity {
        Integrity::Ok => Tone::Good,
        Integrity::Corrupt => Tone::Bad,
        Integrity::Missing => Tone::Warn,
        Integrity::Locked | Integrity::Unreadable => Tone::Warn,
    };
    let mut integrity_text = ui.paint(tone, &label(ui, &integrity));
    if let Some(p) = &i.database.problem {
        let _ = write!(integrity_text, " ({})", crate::fail::one_line(p));
    }
    ui.field(out, w, ui.t("Integrity", "完整性"), &integrity_text);
    ui.field(
        out,
        w,
        ui.t("Entries", "条目数"),
        &i.database.entries.len().to_string(),
    );

    ui.heading(out, ui.t("Stored values", "存储的值"));
    let value = |v: &xworkmate_store::inspect::ValueReport| {
        let f = label(ui, &word(&v.form));
        match v.bytes {
            Some(b) => format!("{f} {}", bytes(b)),
            None => f,
        }
    };
    let rows: Vec<Vec<Cell>> = i
        .storage
        .iter()
        .map(|s| {
            let rel_word = word(&s.relation);
            let tone = match rel_word.as_str() {
                "in_sync" | "no_mirror" => Tone::Good,
                "sealed_legacy" | "unreadable" => Tone::Bad,
                "both_missing" => Tone::Dim,
                _ => Tone::Warn,
            };
            vec![
                Cell::new(s.storage_key.clone()),
                Cell::new(value(&s.sqlite)),
                Cell::new(s.mirror.as_ref().map_or(DASH.to_string(), value)),
                Cell::toned(label(ui, &rel_word), tone),
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.t("STORAGE KEY", "存储键"),
            "SQLITE",
            ui.t("MIRROR", "镜像"),
            ui.t("STATE", "状态"),
        ],
        &rows,
    );

    ui.heading(out, ui.t("Settings", "设置"));
    if i.settings.present {
        ui.field(
            out,
            w,
            ui.t("Read from", "读取自"),
            &label(ui, &word(&i.settings.source)),
        );
        if let Some(s) = &i.settings.summary {
            settings_summary(ui, out, w, s);
        }
    } else {
        let _ = writeln!(
            out,
            "  {}",
            ui.t("No readable settings document.", "没有可读的设置文档。")
        );
    }

    ui.heading(out, ui.t("Threads", "线程"));
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
                    label(ui, &word(&i.threads.source))
                ),
                Lang::Zh => format!(
                    "{} 个线程（{} 个已归档），{} 条消息；读取自{}",
                    i.threads.count,
                    i.threads.archived,
                    i.threads.messages,
                    label(ui, &word(&i.threads.source))
                ),
            }
        );
        if !i.threads.threads.is_empty() {
            thread_table(ui, out, &i.threads.threads);
        }
    } else {
        let _ = writeln!(
            out,
            "  {}",
            ui.t("No readable thread list.", "没有可读的线程列表。")
        );
    }

    ui.heading(
        out,
        &match ui.lang {
            Lang::En => format!("Secrets (mode: {})", label(ui, &word(&i.secrets.mode))),
            Lang::Zh => format!("密钥（模式：{}）", label(ui, &word(&i.secrets.mode))),
        },
    );
    if let Some(k) = &i.secrets.keyring {
        let state = if k.reachable {
            ui.paint(Tone::Good, ui.t("reachable", "可用"))
        } else {
            ui.paint(Tone::Bad, ui.t("unreachable", "不可用"))
        };
        let mut text = format!("{} ({})", state, k.service);
        if let Some(e) = &k.error {
            let _ = write!(text, ": {}", crate::fail::one_line(e));
        }
        ui.field(out, w, ui.t("Keyring", "系统钥匙串"), &text);
        for item in k.item.iter().chain(&k.other_items) {
            let schema = item.schema.as_deref().unwrap_or("-");
            let whose = if item.read_by_xworkmate {
                ui.paint(
                    Tone::Good,
                    ui.t("XWorkmate reads it", "XWorkmate 读取此条目"),
                )
            } else {
                ui.paint(
                    Tone::Bad,
                    ui.t("XWorkmate does not read it", "XWorkmate 不读取此条目"),
                )
            };
            ui.field(
                out,
                w,
                if Some(item) == k.item.as_ref() {
                    ui.t("Item read", "读取的条目")
                } else {
                    ui.t("Other item", "其他条目")
                },
                &format!(
                    "{} (xdg:schema {}) — {whose}",
                    crate::fail::one_line(&item.label),
                    crate::fail::one_line(schema)
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
                        ui.t(
                            "not visible from outside XWorkmate",
                            "在 XWorkmate 之外不可见",
                        ),
                        Tone::Warn,
                    )
                } else {
                    Cell::toned(ui.yes_no(false), Tone::Dim)
                },
                Cell::new(label(ui, &word(&e.backend))),
                if e.present {
                    Cell::new(e.masked.clone().unwrap_or_default())
                } else if e.hidden {
                    Cell::toned("—", Tone::Dim)
                } else {
                    Cell::toned(ui.t("Not set", "未设置"), Tone::Dim)
                },
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.t("NAME", "名称"),
            ui.t("PRESENT", "存在"),
            ui.t("BACKEND", "存储位置"),
            ui.t("MASKED", "掩码"),
        ],
        &rows,
    );
    if !i.secrets.legacy_files.is_empty() {
        let files: Vec<String> = i.secrets.legacy_files.iter().map(|p| rel(dir, p)).collect();
        ui.field(
            out,
            w,
            ui.t("Legacy files", "旧版密钥文件"),
            &files.join(", "),
        );
    }

    ui.heading(out, ui.t("Legacy state", "旧版数据"));
    let backup = match &i.legacy.backup {
        None => ui.t("none", "无").to_string(),
        Some(b) => {
            let mut s = match b.schema_version {
                Some(v) => format!("schema {v}"),
                None => "schema ?".into(),
            };
            if b.sealed {
                let _ = write!(s, ", {}", ui.t("sealed", "已加密"));
            }
            if let Some(p) = &b.problem {
                let _ = write!(s, " ({})", crate::fail::one_line(p));
            }
            s
        }
    };
    ui.field(out, w, ui.t("Backup file", "备份文件"), &backup);
    let prefs = match &i.legacy.shared_preferences {
        None => ui.t("none", "无").to_string(),
        Some(p) if !p.readable => format!(
            "{} ({})",
            ui.t("unreadable", "无法读取"),
            crate::fail::one_line(p.problem.as_deref().unwrap_or(""))
        ),
        Some(p) if p.xworkmate_keys.is_empty() => {
            ui.t("no XWorkmate keys", "无 XWorkmate 键").to_string()
        }
        Some(p) => p.xworkmate_keys.join(", "),
    };
    ui.field(out, w, ui.t("SharedPreferences", "旧版偏好设置"), &prefs);
    ui.field(
        out,
        w,
        ui.t("Local-state key", "本地状态密钥"),
        &format!(
            "{}: {}; {}: {}",
            ui.t("in secure storage", "安全存储中"),
            ui.yes_no(i.legacy.key_in_secure_storage),
            ui.t("key file", "密钥文件"),
            ui.yes_no(i.legacy.key_file_present)
        ),
    );

    ui.heading(out, ui.t("Audit trail", "审计记录"));
    let audit = if i.audit.readable {
        i.audit.entries.to_string()
    } else {
        ui.paint(Tone::Bad, ui.t("unreadable", "无法读取"))
    };
    ui.field(out, w, ui.t("Entries", "条目数"), &audit);
    if let Some(latest) = &i.audit.latest {
        let get = |k: &str| {
            latest
                .get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        ui.field(
            out,
            w,
            ui.t("Latest", "最新"),
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

pub fn inspection(ui: &Ui, i: &Inspection) -> String {
    let mut out = String::new();
    let dir = i.data_dir.as_path();
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };

    ui.heading(
        &mut out,
        ui.t("XWorkmate data folder", "XWorkmate 数据目录"),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Path", "路径"),
        &dir.display().to_string(),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Chosen by", "来源"),
        &label(ui, &word(&i.data_dir_origin)),
    );
    let exists = if i.data_dir_exists {
        ui.paint(Tone::Good, &ui.yes_no(true))
    } else {
        ui.paint(Tone::Bad, &ui.yes_no(false))
    };
    ui.field(&mut out, w, ui.t("Exists", "存在"), &exists);

    generations(ui, &mut out, i);

    let a_present = i.generations.iter().any(|g| g.id == GenerationId::A);
    if i.generations.is_empty() || (a_present && i.generations.len() == 1) {
        a_details(ui, &mut out, i);
    } else if a_present {
        ui.heading(
            &mut out,
            ui.t(
                "Generation A (XWorkmate 0.5 – 0.6.1) in detail",
                "存储版本 A（XWorkmate 0.5 – 0.6.1）详情",
            ),
        );
        a_details(ui, &mut out, i);
    }
    findings(
        ui,
        &mut out,
        i.warnings
            .iter()
            .map(|w| (w.code.as_str(), w.message.as_str())),
    );
    out
}

fn findings<'a>(ui: &Ui, out: &mut String, items: impl Iterator<Item = (&'a str, &'a str)>) {
    ui.heading(out, ui.t("Findings", "发现的问题"));
    let mut any = false;
    for (code, message) in items {
        any = true;
        let _ = writeln!(
            out,
            "  {} {}: {}",
            ui.paint(Tone::Warn, "!"),
            code,
            crate::fail::one_line(message)
        );
    }
    if !any {
        let _ = writeln!(out, "  {}", ui.paint(Tone::Good, ui.t("None.", "无。")));
    }
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
        ui.t("Language", "语言"),
        &opt(s.app_language.as_deref()),
    );
    let account = match (&s.account_username, &s.account_workspace) {
        (Some(u), Some(ws)) if !ws.is_empty() => ui::printable(&format!("{u} / {ws}")),
        (Some(u), _) => ui::printable(u),
        _ => DASH.into(),
    };
    ui.field(out, w, ui.t("Account", "账号"), &account);
    if s.gateway_profiles.is_empty() {
        ui.field(out, w, ui.t("Gateways", "网关"), DASH);
    }
    for (n, p) in s.gateway_profiles.iter().enumerate() {
        let mut text = format!(
            "{} {}:{}",
            opt(p.mode.as_deref()),
            opt(p.host.as_deref()),
            p.port.map_or(DASH.to_string(), |p| p.to_string())
        );
        if p.tls == Some(true) {
            text.push_str(" TLS");
        }
        let name = if n == 0 {
            ui.t("Gateways", "网关")
        } else {
            ""
        };
        ui.field(out, w, name, &text);
    }
    ui.field(
        out,
        w,
        ui.t("AI gateway", "AI 网关"),
        &opt(s.ai_gateway_base_url.as_deref()),
    );
    ui.field(
        out,
        w,
        ui.t("Last session", "最近会话"),
        &opt(s.assistant_last_session_key.as_deref()),
    );
    ui.field(
        out,
        w,
        ui.t("Fields", "字段数"),
        &match ui.lang {
            Lang::En => format!(
                "{} ({}, {})",
                s.field_count,
                count(
                    s.archived_task_count,
                    "archived task key",
                    "archived task keys"
                ),
                count(s.custom_task_title_count, "custom title", "custom titles")
            ),
            Lang::Zh => format!(
                "{}（已归档任务键 {} 个，自定义标题 {} 个）",
                s.field_count, s.archived_task_count, s.custom_task_title_count
            ),
        },
    );
}

fn thread_table(ui: &Ui, out: &mut String, threads: &[ThreadSummary]) {
    let rows: Vec<Vec<Cell>> = threads
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
            ui.t("SESSION KEY", "会话键"),
            ui.t("TITLE", "标题"),
            ui.t("ARCHIVED", "已归档"),
            ui.t("MESSAGES", "消息数"),
            ui.t("UPDATED", "更新时间"),
        ],
        &rows,
    );
}

// ----------------------------------------------------------------- recovery

pub fn locked_report(ui: &Ui, dir: &Path, r: &LockedRecoveryReport) -> String {
    let mut out = recovery(ui, dir, &r.assessment, Some(r.last_recovery.as_ref()));
    if let Some(e) = &r.last_recovery_error {
        let _ = writeln!(
            out,
            "  {} {}",
            ui.paint(Tone::Warn, "!"),
            crate::fail::one_line(e)
        );
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
                    "旧版数据恢复针对的是存储版本 A（XWorkmate 0.6.1）的数据；此文件夹当前使用的是存储版本 {current}（XWorkmate {}），它不读取这些数据。可以预览、测试密钥，或用 threads export --generation A 导出旧会话。",
                    current.versions()
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

/// A recovery report (`recover`) or assessment (`report`, with `last`).
pub fn recovery(
    ui: &Ui,
    dir: &Path,
    r: &RecoveryReport,
    last: Option<Option<&LastRecovery>>,
) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };
    let title = match (last.is_some(), r.dry_run) {
        (true, _) => ui.t("Recovery assessment (read-only)", "恢复评估（只读）"),
        (false, true) => ui.t(
            "Recovery — dry run (nothing was written)",
            "恢复——演练（未写入任何内容）",
        ),
        (false, false) => ui.t("Recovery", "恢复"),
    };
    ui.heading(&mut out, title);
    // An assessment (`report`) and a dry run both say what a run would do.
    ui.field(
        &mut out,
        w,
        ui.t("Status", "状态"),
        &status_text(ui, r.status, r.dry_run && last.is_none()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Details", "说明"),
        &crate::fail::one_line(&r.details),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Source", "来源"),
        &r.source_path
            .as_ref()
            .map_or(DASH.to_string(), |p| p.display().to_string()),
    );

    ui.heading(&mut out, ui.t("Documents", "文档"));
    let rows: Vec<Vec<Cell>> = r
        .documents
        .iter()
        .map(|d| {
            let action = word(&d.action);
            let tone = match action.as_str() {
                "kept" => Tone::Good,
                "recovered" => Tone::Good,
                "locked" => Tone::Bad,
                _ => Tone::Dim,
            };
            // "recovered" is what the run does; a dry run (or assessment) only
            // would, and a failed run may not have written it.
            let action_text = match action.as_str() {
                "recovered" if r.status == RecoveryStatus::Failed && !r.dry_run => ui
                    .t("recoverable (run failed)", "可恢复（运行失败）")
                    .to_string(),
                "recovered" if r.dry_run => ui.t("would be recovered", "将恢复").to_string(),
                _ => label(ui, &action),
            };
            let from = match (&d.from, &d.from_kind) {
                (Some(p), Some(k)) => format!("{} ({})", rel(dir, p), label(ui, &word(k))),
                (Some(p), None) => rel(dir, p),
                _ => DASH.into(),
            };
            vec![
                Cell::new(label(ui, &word(&d.document))),
                Cell::toned(action_text, tone),
                Cell::new(from),
            ]
        })
        .collect();
    ui.table(
        &mut out,
        &[
            ui.t("DOCUMENT", "文档"),
            ui.t("ACTION", "处理"),
            ui.t("FROM", "来自"),
        ],
        &rows,
    );

    ui.heading(
        &mut out,
        ui.t("Legacy sources examined", "检查过的旧版数据源"),
    );
    if r.sources.is_empty() {
        let _ = writeln!(out, "  {}", ui.t("None found.", "未发现。"));
    } else {
        let rows: Vec<Vec<Cell>> = r
            .sources
            .iter()
            .map(|s| {
                let state = word(&s.state);
                let tone = match state.as_str() {
                    "plain" | "unsealed" => Tone::Good,
                    "locked" => Tone::Bad,
                    _ => Tone::Warn,
                };
                vec![
                    Cell::new(rel(dir, &s.path)),
                    Cell::new(label(ui, &word(&s.kind))),
                    Cell::new(label(ui, &word(&s.document))),
                    Cell::toned(label(ui, &state), tone),
                    Cell::new(s.reason.as_ref().map_or(DASH.to_string(), word)),
                ]
            })
            .collect();
        ui.table(
            &mut out,
            &[
                ui.t("PATH", "路径"),
                ui.t("KIND", "类型"),
                ui.t("DOCUMENT", "文档"),
                ui.t("STATE", "状态"),
                ui.t("REASON", "原因"),
            ],
            &rows,
        );
    }

    ui.heading(
        &mut out,
        ui.t("Keys (presence only)", "密钥（仅显示是否存在）"),
    );
    let k = &r.keys;
    ui.field(
        &mut out,
        w,
        ui.t("Secure storage", "安全存储"),
        &label(ui, &word(&k.secure_storage)),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Key file", "密钥文件"),
        &format!(
            "{} ({})",
            label(ui, &word(&k.key_file_state)),
            rel(dir, &k.key_file)
        ),
    );
    if let Some(s) = &k.supplied {
        ui.field(
            &mut out,
            w,
            ui.t("Supplied key", "提供的密钥"),
            &label(ui, &word(s)),
        );
    }
    if k.key_file_moved {
        ui.field(
            &mut out,
            w,
            "",
            ui.t(
                "The key file was moved into secure storage.",
                "密钥文件已移入安全存储。",
            ),
        );
    }
    if k.supplied_key_stored {
        ui.field(
            &mut out,
            w,
            "",
            ui.t(
                "The supplied key was stored in secure storage.",
                "提供的密钥已存入安全存储。",
            ),
        );
    }
    if !r.secret_files_moved.is_empty() || !r.preferences_migrated.is_empty() {
        ui.heading(
            &mut out,
            if r.dry_run {
                ui.t("Would migrate", "将迁移")
            } else {
                ui.t("Migrated", "已迁移")
            },
        );
        if !r.secret_files_moved.is_empty() {
            ui.field(
                &mut out,
                w,
                ui.t("Secret files", "旧版密钥文件"),
                &r.secret_files_moved.join(", "),
            );
        }
        if !r.preferences_migrated.is_empty() {
            ui.field(
                &mut out,
                w,
                ui.t("SharedPreferences", "旧版偏好设置"),
                &r.preferences_migrated.join(", "),
            );
        }
    }

    if !r.secret_files_kept.is_empty() {
        ui.heading(
            &mut out,
            if r.dry_run {
                ui.t("Would stay where they are", "将保留原处")
            } else {
                ui.t("Stayed where they are", "保留在原处")
            },
        );
        for kept in &r.secret_files_kept {
            ui.field(
                &mut out,
                w,
                &kept.name,
                &format!("{} — {}", kept.path.display(), kept_reason(ui, kept.reason)),
            );
        }
    }

    ui.heading(&mut out, ui.t("Folders scanned", "扫描的目录"));
    for c in &r.candidates {
        let _ = writeln!(out, "  {}", c.display());
    }

    if let Some(last) = last {
        ui.heading(&mut out, ui.t("Last recovery run", "上次恢复"));
        match last {
            None => {
                let _ = writeln!(out, "  {}", ui.t("None recorded.", "没有记录。"));
            }
            Some(l) => {
                ui.field(
                    &mut out,
                    w,
                    ui.t("When", "时间"),
                    &time_ms(l.recorded_at_ms as f64),
                );
                ui.field(
                    &mut out,
                    w,
                    ui.t("Status", "状态"),
                    &status_text(ui, l.report.status, l.report.dry_run),
                );
                ui.field(
                    &mut out,
                    w,
                    ui.t("Details", "说明"),
                    &crate::fail::one_line(&l.report.details),
                );
            }
        }
    }
    if !r.warnings.is_empty() {
        findings(
            ui,
            &mut out,
            r.warnings.iter().map(|w| ("warning", w.message.as_str())),
        );
    }
    out
}

pub fn key_test(ui: &Ui, dir: &Path, t: &KeyTest) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 16 };
    ui.heading(
        &mut out,
        ui.t(
            "Key test (nothing was written)",
            "密钥测试（未写入任何内容）",
        ),
    );
    ui.field(&mut out, w, ui.t("Valid", "格式有效"), &ui.yes_no(t.valid));
    let opens = if t.opens.is_empty() {
        ui.paint(Tone::Bad, ui.t("nothing", "无"))
    } else {
        ui.paint(
            Tone::Good,
            &match ui.lang {
                Lang::En => count(t.opens.len(), "source", "sources"),
                Lang::Zh => format!("{} 个数据源", t.opens.len()),
            },
        )
    };
    ui.field(&mut out, w, ui.t("Opens", "可打开"), &opens);
    for s in &t.opens {
        ui.field(
            &mut out,
            w,
            "",
            &format!("{} ({})", rel(dir, &s.path), label(ui, &word(&s.kind))),
        );
    }
    ui.field(
        &mut out,
        w,
        ui.t("Still locked", "仍被锁定"),
        &t.still_locked.len().to_string(),
    );
    for s in &t.still_locked {
        ui.field(
            &mut out,
            w,
            "",
            &format!(
                "{} ({})",
                rel(dir, &s.path),
                s.reason.as_ref().map_or(DASH.to_string(), word)
            ),
        );
    }
    let would: Vec<String> = t
        .would_recover
        .iter()
        .map(|d| label(ui, &word(d)))
        .collect();
    ui.field(
        &mut out,
        w,
        ui.t("Would recover", "可恢复"),
        &if would.is_empty() {
            DASH.to_string()
        } else {
            would.join(", ")
        },
    );
    out
}

// -------------------------------------------------------------------- clear

/// A table of removals: kind, what (path · storage key), size.
fn removal_table(ui: &Ui, out: &mut String, dir: &Path, list: &[xworkmate_store::clear::Removal]) {
    let rows: Vec<Vec<Cell>> = list
        .iter()
        .map(|r| {
            let what = match &r.storage_key {
                Some(k) => format!("{} · {k}", rel(dir, &r.path)),
                None => rel(dir, &r.path),
            };
            vec![
                Cell::new(label(ui, &word(&r.kind))),
                Cell::new(what),
                Cell::new(bytes(r.bytes)),
            ]
        })
        .collect();
    ui.table(
        out,
        &[
            ui.t("KIND", "类型"),
            ui.t("WHAT", "内容"),
            ui.t("SIZE", "大小"),
        ],
        &rows,
    );
}

pub fn clear(ui: &Ui, c: &ClearJson<'_>, backup_not_written: Option<&Path>) -> String {
    let mut out = String::new();
    let dir = c.data_dir;
    let w = if ui.lang == Lang::Zh { 14 } else { 20 };
    let title = if c.executed {
        ui.t("Clear local state — done", "清除本地状态——已完成")
    } else if c.dry_run {
        ui.t(
            "Clear local state — plan (dry run, nothing was changed)",
            "清除本地状态——计划（演练，未做任何更改）",
        )
    } else {
        ui.t("Clear local state — plan", "清除本地状态——计划")
    };
    ui.heading(&mut out, title);
    ui.field(
        &mut out,
        w,
        ui.t("Data folder", "数据目录"),
        &dir.display().to_string(),
    );
    let others: Vec<&str> = c
        .generations_present
        .iter()
        .filter(|g| **g != c.generation)
        .map(|g| g.as_str())
        .collect();
    let mut gen_text = format!(
        "{} (XWorkmate {})",
        c.generation,
        printable(c.generation.versions())
    );
    if !others.is_empty() {
        let _ = write!(
            gen_text,
            "; {} {}",
            ui.t("also here, not cleared:", "此处还有，不清除："),
            others.join(", ")
        );
    }
    ui.field(&mut out, w, ui.t("Generation", "存储版本"), &gen_text);

    let list: &[xworkmate_store::clear::Removal] = if c.executed { &c.removed } else { c.planned };
    ui.heading(
        &mut out,
        if c.executed {
            ui.t("Removed", "已删除")
        } else {
            ui.t("Would remove (in this order)", "将删除（按此顺序）")
        },
    );
    if list.is_empty() {
        let _ = writeln!(out, "  {}", ui.t("Nothing.", "无。"));
    } else {
        removal_table(ui, &mut out, dir, list);
        if !c.executed {
            ui.field(&mut out, w, ui.t("Total", "合计"), &bytes(c.planned_bytes));
        }
    }

    if !c.remaining.is_empty() {
        ui.heading(
            &mut out,
            ui.t(
                "Remaining (the clear stopped part-way; run it again)",
                "仍存在（清除中途停止；请再次运行）",
            ),
        );
        removal_table(ui, &mut out, dir, &c.remaining);
    }

    ui.heading(&mut out, ui.t("Kept", "保留"));
    let kept = c.kept;
    let mut secrets = kept.secret_count.to_string();
    if !kept.secrets.is_empty() {
        let per: Vec<String> = kept
            .secrets
            .iter()
            .map(|s| format!("{}: {}", label(ui, &word(&s.backend)), s.names.join(", ")))
            .collect();
        let _ = write!(secrets, " ({})", per.join("; "));
    }
    ui.field(&mut out, w, ui.t("Secrets", "密钥"), &secrets);
    ui.field(
        &mut out,
        w,
        ui.t("Audit trail", "审计记录"),
        &kept
            .audit_trail_entries
            .map_or(DASH.to_string(), |n| n.to_string()),
    );
    if !kept.other_sqlite_keys.is_empty() {
        ui.field(
            &mut out,
            w,
            ui.t("Other SQLite keys", "其他 SQLite 键"),
            &kept.other_sqlite_keys.join(", "),
        );
    }
    if kept.other_preferences > 0 {
        ui.field(
            &mut out,
            w,
            ui.t("Other preferences", "其他偏好设置"),
            &kept.other_preferences.to_string(),
        );
    }
    ui.field(
        &mut out,
        w,
        ui.t("Secret folder", "密钥目录"),
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
            ui.t("Read by", "仍被读取"),
            &format!(
                "{} — {} {} (XWorkmate {})",
                rel(dir, &k.path),
                ui.t("generation", "存储版本"),
                k.generation,
                k.generation.versions()
            ),
        );
    }
    if !c.left_in_place.is_empty() {
        ui.heading(
            &mut out,
            ui.t("Left in place (other folders)", "保留在原处（其他目录）"),
        );
        for p in c.left_in_place {
            let _ = writeln!(out, "  {}", p.display());
        }
    }
    if c.executed {
        ui.heading(&mut out, ui.t("Result", "结果"));
        ui.field(
            &mut out,
            w,
            ui.t("Backup", "备份"),
            &c.backup
                .as_ref()
                .map_or(DASH.to_string(), |p| p.display().to_string()),
        );
        let verified = if c.secrets_verified == Some(true) {
            ui.paint(
                Tone::Good,
                ui.t("every secret is still present", "所有密钥仍然存在"),
            )
        } else if c.secrets_missing_after.is_empty() {
            // Kept, but unreadable: not checked, so not "present".
            ui.paint(
                Tone::Warn,
                &format!(
                    "{} {}",
                    ui.t("could not be checked:", "无法检查："),
                    c.secrets_unchecked.join(", ")
                ),
            )
        } else {
            ui.paint(
                Tone::Bad,
                &format!(
                    "{} {}",
                    ui.t("missing:", "缺失："),
                    c.secrets_missing_after.join(", ")
                ),
            )
        };
        ui.field(&mut out, w, ui.t("Secrets check", "密钥检查"), &verified);
    }
    if !c.warnings.is_empty() {
        findings(
            ui,
            &mut out,
            c.warnings.iter().map(|w| ("warning", w.message.as_str())),
        );
    }
    if c.refused {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            ui.paint(
                Tone::Warn,
                ui.t(
                    "Refused: nothing was changed. Run again with --yes to clear (secrets are always kept).",
                    "已拒绝：未做任何更改。加上 --yes 重新运行以清除（密钥始终保留）。",
                )
            )
        );
        if backup_not_written.is_some() {
            let _ = writeln!(out, "{}", ui.t("No backup was written.", "未写入备份。"));
        }
    }
    out
}

// ------------------------------------------------------------------- export

pub fn export(ui: &Ui, path: &Path, size: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({})",
        ui.paint(
            Tone::Good,
            ui.t("Support report written:", "支持报告已写入：")
        ),
        path.display(),
        bytes(size)
    );
    let _ = writeln!(
        out,
        "  {}",
        ui.t(
            "It shows presence only: no secret values, no masks, no message texts.",
            "报告只包含是否存在：没有密钥值、没有掩码、没有消息内容。",
        )
    );
    out
}

// ----------------------------------------------------------------- settings

pub fn settings(ui: &Ui, loc: &DataLocation, doc: Option<&LoadedDoc>) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 16 };
    ui.heading(&mut out, ui.t("Settings document", "设置文档"));
    let Some(doc) = doc else {
        let _ = writeln!(
            out,
            "  {}",
            ui.t(
                "No readable settings document (neither in SQLite nor in the mirror).",
                "没有可读的设置文档（SQLite 和镜像文件中都没有）。",
            )
        );
        return out;
    };
    let source = match doc.source {
        DocSource::Database => format!(
            "{} ({})",
            label(ui, "database"),
            rel(loc.data_dir(), &loc.database())
        ),
        DocSource::Mirror => format!(
            "{} ({})",
            label(ui, "mirror"),
            rel(loc.data_dir(), &loc.settings_mirror())
        ),
        DocSource::None => label(ui, "none"),
    };
    ui.field(&mut out, w, ui.t("Read from", "读取自"), &source);
    if let xworkmate_store::document::Summary::Settings(s) = &doc.summary {
        settings_summary(ui, &mut out, w, s);
    }
    ui.heading(&mut out, ui.t("Document", "文档内容"));
    let pretty = serde_json::from_str::<serde_json::Value>(&doc.text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| doc.text.clone());
    out.push_str(&pretty);
    out.push('\n');
    out
}

pub fn threads(ui: &Ui, source: Option<DocSource>, threads: &[ThreadSummary]) -> String {
    let mut out = String::new();
    ui.heading(&mut out, ui.t("Threads", "线程"));
    let Some(source) = source else {
        let _ = writeln!(
            out,
            "  {}",
            ui.t(
                "No readable thread list (neither in SQLite nor in the mirror).",
                "没有可读的线程列表（SQLite 和镜像文件中都没有）。",
            )
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
                label(ui, &word(&source))
            ),
            Lang::Zh => format!(
                "{} 个线程（{archived} 个已归档），{messages} 条消息；读取自{}",
                threads.len(),
                label(ui, &word(&source))
            ),
        }
    );
    if !threads.is_empty() {
        thread_table(ui, &mut out, threads);
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
        xworkmate_store::document::DocKind::Settings => ui.t("Settings saved", "设置已保存"),
        xworkmate_store::document::DocKind::Threads => ui.t("Thread list saved", "线程列表已保存"),
    };
    format!(
        "{} ({})\n  SQLite: {}\n  {}: {}\n",
        ui.paint(Tone::Good, what),
        ui::bytes(size as u64),
        database.display(),
        ui.t("Mirror", "镜像"),
        mirror.display()
    )
}

/// Why a legacy secret file stays (spec §5), in the output language.
fn kept_reason(ui: &Ui, reason: xworkmate_store::secret::KeptReason) -> &'static str {
    use xworkmate_store::secret::KeptReason as K;
    match reason {
        K::FileStoreNotChosen => ui.t(
            "a folder given explicitly: nothing moves into its file store unless --secrets file is chosen",
            "这是指定的文件夹：除非选择 --secrets file，否则不会移入其文件存储",
        ),
        K::NoKeyringItem => ui.t(
            "XWorkmate's keyring item does not exist (this tool never creates one); XWorkmate moves the file itself at its next start",
            "XWorkmate 的系统钥匙串条目不存在（本工具从不创建）；XWorkmate 下次启动时会自行迁移该文件",
        ),
        K::KeyringItemInvisible => ui.t(
            "the only keyring item is one XWorkmate does not read",
            "唯一的系统钥匙串条目是 XWorkmate 不读取的条目",
        ),
        K::KeyringUnavailable => ui.t("the keyring did not answer", "系统钥匙串没有响应"),
        K::KeychainNotWritable => ui.t(
            "XWorkmate's keychain cannot be written from outside XWorkmate",
            "无法从 XWorkmate 之外写入其钥匙串",
        ),
        K::WindowsStoreNotWritable => ui.t(
            "XWorkmate's Windows secure storage is never written by this tool",
            "本工具从不写入 XWorkmate 的 Windows 安全存储",
        ),
        K::NotVerified => ui.t(
            "the value did not read back after writing it",
            "写入后读回的值不一致",
        ),
    }
}

/// `threads export`: what was written where.
pub fn threads_export(ui: &Ui, e: &xworkmate_store::export::ThreadsExport) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };
    ui.heading(&mut out, ui.t("Threads exported", "会话已导出"));
    ui.field(
        &mut out,
        w,
        ui.t("Generation", "存储版本"),
        &format!("{} (XWorkmate {})", e.generation, e.generation.versions()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Threads", "会话"),
        &format!(
            "{} ({} {})",
            e.threads,
            e.messages,
            ui.t("messages", "条消息")
        ),
    );
    ui.field(&mut out, w, ui.t("Format", "格式"), e.format.extension());
    ui.field(
        &mut out,
        w,
        ui.t("File", "文件"),
        &format!(
            "{} ({})",
            printable(&e.out.display().to_string()),
            bytes(e.bytes)
        ),
    );
    out
}

/// `report --from`: an exported support report, read-only, under a banner
/// saying whose it is; nothing of this machine is mixed in.
pub fn opened_report(ui: &Ui, file: &Path, r: &xworkmate_store::support::SupportReport) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };
    ui.heading(
        &mut out,
        ui.t(
            "Support report (opened from a file; nothing of this computer is shown)",
            "支持报告（从文件打开；不包含这台电脑的任何内容）",
        ),
    );
    ui.field(
        &mut out,
        w,
        ui.t("File", "文件"),
        &printable(&file.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Data folder", "数据目录"),
        &printable(&r.data_dir.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Made", "生成于"),
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
        ui.t("Database", "数据库"),
        &label(ui, &word(&r.database_integrity)),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Threads", "会话"),
        &format!(
            "{} ({} {})",
            r.thread_count,
            r.message_count,
            ui.t("messages", "条消息")
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
        ui.t("Secrets present", "存在的密钥"),
        &if secrets.is_empty() {
            DASH.to_string()
        } else {
            secrets.join(", ")
        },
    );
    for g in &r.generations {
        let codes: Vec<&str> = g.findings.iter().map(|f| f.code.as_str()).collect();
        ui.field(
            &mut out,
            w,
            &format!("{} {}", ui.t("Generation", "存储版本"), g.id),
            &format!(
                "XWorkmate {}{} · {} {} · {}",
                printable(&g.versions),
                if g.current {
                    ui.t(" (current)", "（当前）")
                } else {
                    ""
                },
                g.thread_count,
                ui.t("threads shown", "个会话可见"),
                if codes.is_empty() {
                    DASH.to_string()
                } else {
                    codes.join(", ")
                }
            ),
        );
    }
    for step in &r.next_steps {
        ui.field(
            &mut out,
            w,
            ui.t("What to do", "怎么做"),
            &format!(
                "{}: {}",
                printable(&step.path.display().to_string()),
                printable(&step.what_to_do)
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
            .map(|w| (w.code.as_str(), w.message.as_str())),
    );
    out
}

/// `restore`: what the backup holds, what would be (or was) written.
pub fn restore(
    ui: &Ui,
    plan: &xworkmate_store::restore::RestorePlan,
    done: Option<&xworkmate_store::restore::RestoreOutcome>,
    dry_run: bool,
) -> String {
    let mut out = String::new();
    let w = if ui.lang == Lang::Zh { 12 } else { 18 };
    let title = match (done.is_some(), dry_run) {
        (true, _) => ui.t("Restore — done", "恢复备份——已完成"),
        (false, true) => ui.t(
            "Restore — plan (dry run, nothing was changed)",
            "恢复备份——计划（预览，未做任何更改）",
        ),
        (false, false) => ui.t("Restore — plan", "恢复备份——计划"),
    };
    ui.heading(&mut out, title);
    ui.field(
        &mut out,
        w,
        ui.t("Backup", "备份"),
        &printable(&plan.backup.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Made", "生成于"),
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
        ui.t("From folder", "来自目录"),
        &printable(&plan.from_data_dir.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Into folder", "恢复到"),
        &printable(&plan.data_dir.display().to_string()),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Generation", "存储版本"),
        &format!(
            "{} (XWorkmate {})",
            plan.generation,
            plan.generation.versions()
        ),
    );
    ui.field(
        &mut out,
        w,
        ui.t("Holds", "包含"),
        &format!(
            "{}{} {}",
            if plan.settings_included {
                ui.t("settings, ", "设置、")
            } else {
                ""
            },
            plan.thread_count,
            ui.t("threads", "个会话")
        ),
    );
    let list = done.map_or(&plan.items, |d| &d.restored);
    ui.heading(
        &mut out,
        if done.is_some() {
            ui.t("Written", "已写入")
        } else {
            ui.t("Would write", "将写入")
        },
    );
    if list.is_empty() {
        let _ = writeln!(out, "  {}", ui.t("Nothing.", "无。"));
    } else {
        let rows: Vec<Vec<Cell>> = list
            .iter()
            .map(|i| {
                vec![
                    Cell::new(rel(&plan.data_dir, &i.path)),
                    Cell::new(bytes(i.bytes)),
                    if i.replaces {
                        Cell::toned(ui.t("replaces what is there", "替换现有内容"), Tone::Warn)
                    } else {
                        Cell::new(ui.t("new", "新建"))
                    },
                ]
            })
            .collect();
        ui.table(
            &mut out,
            &[ui.t("WHAT", "内容"), ui.t("SIZE", "大小"), ui.t("", "")],
            &rows,
        );
    }
    for s in &plan.skipped {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            ui.t("not restored", "不恢复"),
            printable(&s.path.display().to_string()),
            printable(&s.why)
        );
    }
    if let Some(b) = done.and_then(|d| d.safety_backup.as_ref()) {
        ui.field(
            &mut out,
            w,
            ui.t("Replaced data saved to", "被替换的数据已保存到"),
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
        assert_eq!(s(&zh, RecoveryStatus::Migrated, true), "将迁移 (migrated)");
        assert_eq!(s(&en, RecoveryStatus::Migrated, false), "migrated");
        assert_eq!(s(&zh, RecoveryStatus::Migrated, false), "已迁移 (migrated)");
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
}
