//! Threads export: every thread of one generation, readable without
//! XWorkmate — JSON (the records as stored, in one array), Markdown (plain
//! text) or HTML (one self-contained file, no scripts, every piece of user
//! text escaped). Reading is read-only; the only file written is the one the
//! user chose, never inside the data folder and never over an existing file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::error::{Result, StoreError};
use crate::fsutil;
use crate::generation::{self, GenerationId};
use crate::paths::DataLocation;
use crate::recovery::{self, RecoveryContext};
use crate::secret::SecretStore;

/// The export's format.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Md,
    Html,
}

impl ExportFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "md" | "markdown" => Some(Self::Md),
            "html" | "htm" => Some(Self::Html),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Md => "md",
            Self::Html => "html",
        }
    }
}

/// What an export wrote.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreadsExport {
    pub generation: GenerationId,
    pub format: ExportFormat,
    /// Threads written.
    pub threads: usize,
    /// Messages written.
    pub messages: usize,
    #[serde(serialize_with = "crate::fsutil::lossy::path")]
    pub out: PathBuf,
    pub bytes: u64,
}

/// One thread, in the words every format shows.
struct Thread<'a> {
    title: String,
    key: String,
    created_ms: Option<f64>,
    updated_ms: Option<f64>,
    archived: bool,
    messages: Vec<Message<'a>>,
}

struct Message<'a> {
    role: &'a str,
    text: &'a str,
    at_ms: Option<f64>,
}

/// Reads a record of any generation: A/B1's (`sessionKey`, `messages`) and
/// B2/C/D's `TaskThread` (`threadId`, `contextState.messages`,
/// `lifecycleState.archived`).
fn thread_of(v: &Value) -> Thread<'_> {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let key = match v.get("threadId") {
        Some(id) => s(Some(id)),
        None => s(v.get("sessionKey")),
    };
    let messages = v
        .get("contextState")
        .and_then(|c| c.get("messages"))
        .or_else(|| v.get("messages"))
        .and_then(Value::as_array)
        .map(|m| {
            m.iter()
                .map(|m| Message {
                    role: m.get("role").and_then(Value::as_str).unwrap_or(""),
                    text: m.get("text").and_then(Value::as_str).unwrap_or(""),
                    at_ms: m.get("timestampMs").and_then(Value::as_f64),
                })
                .collect()
        })
        .unwrap_or_default();
    let archived = v
        .get("lifecycleState")
        .and_then(|l| l.get("archived"))
        .or_else(|| v.get("archived"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Thread {
        title: s(v.get("title")),
        key,
        created_ms: v.get("createdAtMs").and_then(Value::as_f64),
        updated_ms: v.get("updatedAtMs").and_then(Value::as_f64),
        archived,
        messages,
    }
}

/// UTC `YYYY-MM-DD HH:MM` of a millisecond time.
fn time_text(ms: Option<f64>) -> String {
    let Some(ms) = ms.filter(|m| m.is_finite()) else {
        return String::new();
    };
    let secs = (ms / 1000.0).floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

fn role_word(role: &str) -> &str {
    match role {
        "user" => "You",
        "assistant" => "Assistant",
        "system" => "System",
        "tool" => "Tool",
        "" => "Message",
        other => other,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "&#x{:x};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

fn markdown_head(id: GenerationId, count: usize) -> String {
    format!(
        "# Threads of XWorkmate {} (generation {id})\n\n{count} threads, exported by xworkmate-diagnostics {}.\n\n",
        id.versions(),
        env!("CARGO_PKG_VERSION")
    )
}

fn markdown_thread(t: &Thread<'_>) -> String {
    let mut out = String::new();
    let title = if t.title.trim().is_empty() {
        &t.key
    } else {
        &t.title
    };
    let _ = writeln!(out, "## {}\n", one_line(title));
    let mut meta = vec![format!("`{}`", t.key.replace('`', "'"))];
    if t.created_ms.is_some() {
        meta.push(format!("created {}", time_text(t.created_ms)));
    }
    if t.updated_ms.is_some() {
        meta.push(format!("updated {}", time_text(t.updated_ms)));
    }
    if t.archived {
        meta.push("archived".into());
    }
    meta.push(format!("{} messages", t.messages.len()));
    let _ = writeln!(out, "{}\n", meta.join(" · "));
    for m in &t.messages {
        let when = time_text(m.at_ms);
        let _ = writeln!(
            out,
            "**{}**{}\n",
            role_word(m.role),
            if when.is_empty() {
                String::new()
            } else {
                format!(" — {when}")
            }
        );
        // As a quote: the text reads as written, whatever Markdown it holds.
        for line in m.text.lines() {
            let _ = writeln!(out, "> {line}");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
fn markdown(id: GenerationId, threads: &[Thread<'_>]) -> String {
    let mut out = markdown_head(id, threads.len());
    threads
        .iter()
        .for_each(|t| out.push_str(&markdown_thread(t)));
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn html_head(id: GenerationId, count: usize) -> String {
    let mut out = String::new();
    let title = format!("Threads of XWorkmate {} (generation {id})", id.versions());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"und\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n\
body{{font:15px/1.5 system-ui,-apple-system,'Segoe UI','Noto Sans','PingFang SC','Microsoft YaHei',sans-serif;max-width:860px;margin:2em auto;padding:0 1em;color:#1d2126;background:#fff}}\n\
h1{{font-size:1.4em}} h2{{font-size:1.15em;margin-top:2em;border-top:1px solid #dfe2e6;padding-top:1em}}\n\
.meta{{color:#59616c;font-size:.9em}} .msg{{margin:.8em 0;padding:.6em .8em;border-radius:6px;background:#f7f8fa}}\n\
.msg.user{{background:#e6edfc}} .who{{font-weight:600}} .when{{color:#59616c;font-size:.85em;margin-left:.5em}}\n\
.text{{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0 0}} code{{font-size:.9em}}\n\
@media (prefers-color-scheme: dark){{body{{background:#16181c;color:#e6e8eb}} .msg{{background:#22252b}} .msg.user{{background:#1b2845}} .meta,.when{{color:#a0a7b1}}}}\n\
</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{} threads · exported by xworkmate-diagnostics {}</p>\n",
        escape_html(&title),
        escape_html(&title),
        count,
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn html_thread(t: &Thread<'_>) -> String {
    let mut out = String::new();
    let name = if t.title.trim().is_empty() {
        &t.key
    } else {
        &t.title
    };
    let _ = write!(
        out,
        "<section>\n<h2>{}</h2>\n<p class=\"meta\"><code>{}</code>",
        escape_html(name),
        escape_html(&t.key)
    );
    if t.created_ms.is_some() {
        let _ = write!(out, " · created {}", time_text(t.created_ms));
    }
    if t.updated_ms.is_some() {
        let _ = write!(out, " · updated {}", time_text(t.updated_ms));
    }
    if t.archived {
        out.push_str(" · archived");
    }
    let _ = writeln!(out, " · {} messages</p>", t.messages.len());
    for m in &t.messages {
        let class = if m.role == "user" { "msg user" } else { "msg" };
        let _ = writeln!(
            out,
            "<div class=\"{class}\"><span class=\"who\">{}</span><span class=\"when\">{}</span><p class=\"text\">{}</p></div>",
            escape_html(role_word(m.role)),
            time_text(m.at_ms),
            escape_html(m.text)
        );
    }
    out.push_str("</section>\n");
    out
}

const HTML_TAIL: &str = "</body>\n</html>\n";

#[cfg(test)]
fn html(id: GenerationId, threads: &[Thread<'_>]) -> String {
    let mut out = html_head(id, threads.len());
    threads.iter().for_each(|t| out.push_str(&html_thread(t)));
    out.push_str(HTML_TAIL);
    out
}

/// Where an export's thread records come from.
enum Records<'a> {
    /// Read already (generations B–D: one small file per thread; a sealed
    /// thread list opened in memory).
    Values(Vec<Value>),
    /// Generation A's plain thread list, read as a stream: one record at a
    /// time, however long the list.
    Stream {
        location: &'a DataLocation,
        source: crate::settings::DocSource,
        count: usize,
    },
}

impl Records<'_> {
    /// Threads: the records that are objects (XWorkmate skips anything else
    /// in a thread list).
    fn count(&self) -> usize {
        match self {
            Records::Values(v) => v.iter().filter(|r| r.is_object()).count(),
            Records::Stream { count, .. } => *count,
        }
    }

    /// Calls `each` with every record that is an object, in order.
    fn for_each(&self, mut each: impl FnMut(&Value) -> std::io::Result<()>) -> std::io::Result<()> {
        let (location, source) = match self {
            Records::Values(v) => return v.iter().filter(|r| r.is_object()).try_for_each(each),
            Records::Stream {
                location, source, ..
            } => (*location, *source),
        };
        let doc = crate::document::DocKind::Threads;
        let db;
        let reader: Box<dyn std::io::Read + '_> = match source {
            crate::settings::DocSource::Database => {
                db = crate::db::ConfigDb::open_ro(&location.database())
                    .map_err(std::io::Error::other)?
                    .ok_or_else(|| std::io::Error::other("the database is gone"))?;
                Box::new(
                    db.open_value(doc.storage_key())
                        .map_err(std::io::Error::other)?
                        .ok_or_else(|| std::io::Error::other("the thread list is gone"))?,
                )
            }
            _ => Box::new(std::fs::File::open(doc.mirror_path(location))?),
        };
        let mut failed = None;
        let ok =
            crate::stream::for_each_item(crate::stream::Utf8Checked::new(reader), |v: Value| {
                if !v.is_object() {
                    return true;
                }
                match each(&v) {
                    Ok(()) => true,
                    Err(e) => {
                        failed = Some(e);
                        false
                    }
                }
            })?;
        match (ok, failed) {
            (_, Some(e)) => Err(e),
            (true, None) => Ok(()),
            (false, None) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the thread list changed while it was read",
            )),
        }
    }
}

/// The threads of `generation` (default: the current one) as stored.
/// Generation A's sealed threads open with the stored keys or `key`, the
/// way a dry run opens them; nothing is written.
fn records<'a>(
    location: &'a DataLocation,
    secrets: &SecretStore,
    generation: Option<GenerationId>,
    key: Option<&str>,
) -> Result<(GenerationId, Records<'a>)> {
    let id = chosen_generation(location, generation)?;
    if id == GenerationId::A {
        let doc = crate::document::DocKind::Threads;
        if let Some((source, crate::document::Summary::Threads(t))) =
            crate::settings::read_summary_readonly(location, doc)?
        {
            return Ok((
                id,
                Records::Stream {
                    location,
                    source,
                    count: t.count,
                },
            ));
        }
    }
    Ok((
        id,
        Records::Values(thread_records(location, secrets, Some(id), key)?.1),
    ))
}

fn chosen_generation(
    location: &DataLocation,
    generation: Option<GenerationId>,
) -> Result<GenerationId> {
    let dir = location.data_dir();
    let present: Vec<GenerationId> = generation::locate(location).iter().map(|l| l.id).collect();
    match generation {
        None => present.last().copied().ok_or_else(|| {
            StoreError::NoSuchGeneration(format!(
                "there are no XWorkmate threads in {}",
                dir.display()
            ))
        }),
        Some(id) if present.contains(&id) => Ok(id),
        Some(id) => Err(StoreError::NoSuchGeneration(format!(
            "there is no generation {id} (XWorkmate {}) in {}",
            id.versions(),
            dir.display()
        ))),
    }
}

/// The thread records of `generation` (default: the current one) as stored.
/// Generation A's sealed threads open with the stored keys or `key`, the
/// way a dry run opens them; nothing is written.
pub fn thread_records(
    location: &DataLocation,
    secrets: &SecretStore,
    generation: Option<GenerationId>,
    key: Option<&str>,
) -> Result<(GenerationId, Vec<Value>)> {
    let dir = location.data_dir();
    let _scope = generation::common::ReadScope::open();
    let located = generation::locate(location);
    let id = chosen_generation(location, generation)?;
    if id != GenerationId::A {
        let dir = located
            .iter()
            .find(|l| l.id == id)
            .map_or(dir, |l| l.dir.as_path());
        return Ok((id, generation::get(id).thread_records(dir)?));
    }
    let ctx = RecoveryContext {
        location,
        secrets,
        supplied_key: key,
    };
    let records = match recovery::open_document(&ctx, crate::document::DocKind::Threads)? {
        None => Vec::new(),
        Some(text) => match serde_json::from_str(&text) {
            Ok(Value::Array(items)) => items,
            _ => return Err(StoreError::invalid("threads", "not a JSON array")),
        },
    };
    Ok((id, records))
}

/// Writes the threads of `generation` to `out` in `format`.
pub fn export_threads(
    location: &DataLocation,
    secrets: &SecretStore,
    generation: Option<GenerationId>,
    format: ExportFormat,
    out: &Path,
    key: Option<&str>,
) -> Result<ThreadsExport> {
    export_threads_with_progress(
        location,
        secrets,
        generation,
        format,
        out,
        key,
        &crate::progress::Progress::new(),
    )
}

/// [`export_threads`], counting the threads written into `progress`; a
/// cancel stops it before the file is in place (`StoreError::Cancelled`,
/// no file left: it is written under a temporary name).
pub fn export_threads_with_progress(
    location: &DataLocation,
    secrets: &SecretStore,
    generation: Option<GenerationId>,
    format: ExportFormat,
    out: &Path,
    key: Option<&str>,
    progress: &crate::progress::Progress,
) -> Result<ThreadsExport> {
    crate::clear::check_output_path(location, out, "export path")?;
    let _scope = generation::common::ReadScope::open();
    let (id, records) = records(location, secrets, generation, key)?;
    let count = records.count();
    progress.add_total(count as u64);
    let (mut threads, mut messages, mut bytes) = (0usize, 0usize, 0u64);
    let written = fsutil::write_new_with(out, Some(0o600), |w| {
        let mut put = |text: &[u8]| -> std::io::Result<()> {
            bytes += text.len() as u64;
            w.write_all(text)
        };
        use ExportFormat::*;
        match format {
            Json if count == 0 => put(b"[]")?,
            Json => put(b"[\n")?,
            Md => put(markdown_head(id, count).as_bytes())?,
            Html => put(html_head(id, count).as_bytes())?,
        }
        records.for_each(|record| {
            let t = thread_of(record);
            messages += t.messages.len();
            let text = match format {
                // As `to_vec_pretty` of the array writes each record.
                Json => {
                    let pretty =
                        serde_json::to_string_pretty(record).map_err(std::io::Error::other)?;
                    format!(
                        "{}  {}",
                        if threads == 0 { "" } else { ",\n" },
                        pretty.replace('\n', "\n  ")
                    )
                }
                Md => markdown_thread(&t),
                Html => html_thread(&t),
            };
            threads += 1;
            if threads == count / 2 + 1 {
                crate::fault::point("file.half_written");
            }
            if progress.is_cancelled() {
                return Err(crate::progress::cancelled_error());
            }
            put(text.as_bytes())?;
            progress.advance(1);
            Ok(())
        })?;
        match format {
            Json if count == 0 => Ok(()),
            Json => put(b"\n]"),
            Md => Ok(()),
            Html => put(HTML_TAIL.as_bytes()),
        }?;
        // Written whole: it is synced and linked in under its name — no
        // cancel from here (one that came just now stops it, and its
        // temporary file goes).
        if !progress.writing() {
            return Err(crate::progress::cancelled_error());
        }
        Ok(())
    });
    written.map_err(crate::progress::cancelled_or)?;
    Ok(ThreadsExport {
        generation: id,
        format,
        threads,
        messages,
        out: out.to_path_buf(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc_dates() {
        assert_eq!(time_text(Some(0.0)), "1970-01-01 00:00 UTC");
        assert_eq!(time_text(Some(1_700_000_000_000.0)), "2023-11-14 22:13 UTC");
        assert_eq!(time_text(Some(951_782_400_000.0)), "2000-02-29 00:00 UTC");
        assert_eq!(time_text(None), "");
        assert_eq!(time_text(Some(f64::NAN)), "");
    }

    #[test]
    fn markdown_quotes_every_message_line_and_counts_threads() {
        let v = serde_json::json!({"sessionKey":"main","title":"  ","messages":[{"role":"user","text":"# not a heading\n- nor a list"}]});
        let page = markdown(GenerationId::A, &[thread_of(&v)]);
        assert!(page.contains("\n1 threads, exported"), "{page}");
        assert!(page.contains("## main\n"), "{page}");
        assert!(
            page.contains("> # not a heading\n> - nor a list\n"),
            "{page}"
        );
    }

    #[test]
    fn html_escapes_every_piece_of_text() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"q\" \u{1b}[31m"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &#x1b;[31m"
        );
        let v = serde_json::json!({"threadId":"<b>","title":"<img src=x onerror=alert(1)>","contextState":{"messages":[{"role":"user","text":"</p><script>x</script>"}]}});
        let page = html(GenerationId::C, &[thread_of(&v)]);
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>"), "{page}");
    }
}
