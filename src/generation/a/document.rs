//! The two recoverable documents (spec §4) — settings snapshot and thread
//! list — and how a stored value is classified: plain, sealed, or unreadable.
//! Documents stay JSON text / `serde_json::Value` (with key order preserved) so
//! unknown fields survive; summaries are parsed once, without copying message
//! texts.

use std::fmt;
use std::path::PathBuf;

use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::{SETTINGS_KEY, THREADS_KEY};
use crate::paths::DataLocation;
use crate::sealed::Envelope;

/// A recoverable document.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Settings,
    Threads,
}

impl DocKind {
    pub const ALL: [DocKind; 2] = [DocKind::Settings, DocKind::Threads];

    pub fn storage_key(self) -> &'static str {
        match self {
            DocKind::Settings => SETTINGS_KEY,
            DocKind::Threads => THREADS_KEY,
        }
    }

    pub fn mirror_file_name(self) -> &'static str {
        match self {
            DocKind::Settings => crate::paths::SETTINGS_MIRROR_FILE,
            DocKind::Threads => crate::paths::THREADS_MIRROR_FILE,
        }
    }

    pub fn mirror_path(self, location: &DataLocation) -> PathBuf {
        location.data_dir().join(self.mirror_file_name())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Settings => "settings",
            DocKind::Threads => "threads",
        }
    }
}

/// Describes a JSON error without quoting the input: serde's own messages
/// can quote the value they rejected, which may be user content (a message
/// text) or a secret, and these descriptions reach reports.
pub fn json_error(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Io => "cannot be read",
        serde_json::error::Category::Syntax => "syntax error",
        serde_json::error::Category::Data => "unexpected value",
        serde_json::error::Category::Eof => "ends too early",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

/// Fields whose presence makes a JSON object a settings snapshot (spec §4).
pub const SETTINGS_MARKERS: [&str; 6] = [
    "appLanguage",
    "gateway",
    "gatewayProfiles",
    "aiGateway",
    "accountUsername",
    "assistantExecutionTarget",
];

/// True when `v` counts as a settings snapshot (spec §4).
pub fn is_settings_snapshot(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        !o.contains_key("storageFormat") && SETTINGS_MARKERS.iter().any(|k| o.contains_key(*k))
    })
}

/// What a stored value is.
#[derive(Debug, Clone)]
pub enum Stored {
    /// A readable plain document, with its summary.
    Plain(Summary),
    /// A sealed envelope (legacy).
    Sealed(Envelope),
    /// A sealed value whose envelope is broken.
    Malformed(String),
    /// Not a document of this kind (bad JSON, wrong shape).
    Unreadable(String),
}

impl Stored {
    /// The state word used in reports: `plain` | `sealed` | `unreadable`.
    pub fn form(&self) -> &'static str {
        match self {
            Stored::Plain(_) => "plain",
            Stored::Sealed(_) | Stored::Malformed(_) => "sealed",
            Stored::Unreadable(_) => "unreadable",
        }
    }
}

/// A document's summary.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Summary {
    Settings(SettingsSummary),
    Threads(ThreadsSummary),
}

/// Classifies stored text as `doc`. Parses the text once.
pub fn classify(doc: DocKind, text: &str) -> Stored {
    let t = text.trim();
    if t.is_empty() {
        return Stored::Unreadable("empty".into());
    }
    if doc == DocKind::Threads && t.starts_with('[') {
        return match serde_json::from_str::<ThreadsSummary>(t) {
            Ok(s) => Stored::Plain(Summary::Threads(s)),
            Err(e) => Stored::Unreadable(format!("not a thread list: {}", json_error(&e))),
        };
    }
    // A sealed value (a thread list can be hundreds of MiB of base64): read
    // straight into its envelope, without a `Value` of it.
    if t.starts_with('{') && t.contains(crate::sealed::SEALED_FORMAT) {
        if let Some(env) = crate::sealed::Envelope::from_json_text(t) {
            return match env {
                Ok(env) => Stored::Sealed(env),
                Err(why) => Stored::Malformed(why),
            };
        }
    }
    let v: Value = match serde_json::from_str(t) {
        Ok(v) => v,
        // A damaged envelope: it names the sealed format but is not JSON.
        Err(e) if t.contains(crate::sealed::SEALED_FORMAT) => {
            return Stored::Malformed(format!("the sealed value is not JSON: {}", json_error(&e)))
        }
        Err(e) => return Stored::Unreadable(format!("not JSON: {}", json_error(&e))),
    };
    classify_value(doc, &v)
}

/// Classifies a stored value read as a stream (`open` opens it; it is
/// opened again only to describe a thread list that is not readable). A
/// thread list — the document that grows to hundreds of MiB — is summarised
/// item by item as it is read ([`crate::stream::for_each_item`]), keeping one
/// thread at a time; any other value (a settings snapshot, an envelope) is
/// read whole and classified as [`classify`] does. `Err`: the stream could
/// not be read, or is not UTF-8 text.
pub fn classify_stream<R: std::io::Read>(
    doc: DocKind,
    open: impl FnMut() -> std::io::Result<R>,
) -> std::io::Result<Stored> {
    classify_inner(doc, open, true, 0)
}

/// [`classify_stream`] of a value of about `size` bytes: a value read whole
/// (a sealed envelope) is read into a buffer of that size, not one grown by
/// doubling (which holds the old and the new buffer at once).
pub fn classify_stream_sized<R: std::io::Read>(
    doc: DocKind,
    open: impl FnMut() -> std::io::Result<R>,
    size: u64,
) -> std::io::Result<Stored> {
    classify_inner(doc, open, true, size)
}

/// [`classify_stream`] of a stream whose UTF-8 is checked already (by
/// [`crate::stream::Pump`]); reading it again is not possible.
pub fn classify_checked_stream(doc: DocKind, r: &mut dyn std::io::Read) -> std::io::Result<Stored> {
    let mut once = Some(r);
    classify_inner(
        doc,
        || {
            once.take()
                .ok_or_else(|| std::io::Error::other("read once"))
        },
        false,
        0,
    )
}

fn classify_inner<R: std::io::Read>(
    doc: DocKind,
    mut open: impl FnMut() -> std::io::Result<R>,
    check: bool,
    size: u64,
) -> std::io::Result<Stored> {
    use crate::stream::{Utf8Checked, CHUNK};
    use std::io::{BufRead, Read};
    let checked = |r: R| -> Box<dyn Read + '_> {
        if check {
            Box::new(Utf8Checked::new(r))
        } else {
            Box::new(r)
        }
    };
    let mut src = std::io::BufReader::with_capacity(CHUNK, checked(open()?));
    let first = src
        .fill_buf()?
        .iter()
        .copied()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if doc == DocKind::Threads && first == Some(b'[') {
        let mut threads = Vec::new();
        let ok = crate::stream::for_each_item(src, |item: Item| {
            if let Item::Thread(t) = item {
                threads.push(t);
            }
            true
        })?;
        if ok {
            return Ok(Stored::Plain(Summary::Threads(ThreadsSummary::of(threads))));
        }
        // Not a thread list: read again, as a whole, for serde's own words
        // (a stream that cannot be read again is just not one).
        let again = match open() {
            Ok(r) => r,
            Err(_) if !check => return Ok(Stored::Unreadable("not a thread list".into())),
            Err(e) => return Err(e),
        };
        let src = std::io::BufReader::with_capacity(CHUNK, checked(again));
        let mut de = serde_json::Deserializer::from_reader(src);
        return match ThreadsSummary::deserialize(&mut de).and_then(|s| de.end().map(|()| s)) {
            Ok(s) => Ok(Stored::Plain(Summary::Threads(s))),
            Err(e) if e.is_io() => Err(e.into()),
            Err(e) => Ok(Stored::Unreadable(format!(
                "not a thread list: {}",
                json_error(&e)
            ))),
        };
    }
    // (Never more than the largest file a store reads: a wrong size only
    // costs a reallocation.)
    let mut text =
        String::with_capacity(size.min(crate::fsutil::MAX_STORE_FILE_BYTES) as usize + 1);
    src.read_to_string(&mut text)?;
    Ok(classify(doc, &text))
}

/// Classifies an already parsed value as `doc`.
pub fn classify_value(doc: DocKind, v: &Value) -> Stored {
    if crate::sealed::looks_sealed(v) {
        return match Envelope::from_value(v) {
            Ok(env) => Stored::Sealed(env),
            Err(why) => Stored::Malformed(why),
        };
    }
    match doc {
        DocKind::Settings if is_settings_snapshot(v) => {
            Stored::Plain(Summary::Settings(SettingsSummary::of(v)))
        }
        DocKind::Settings => Stored::Unreadable(if v.is_object() {
            "a JSON object, but not a settings snapshot".into()
        } else {
            "not a JSON object".into()
        }),
        DocKind::Threads => match ThreadsSummary::deserialize(v) {
            Ok(s) => Stored::Plain(Summary::Threads(s)),
            Err(e) => Stored::Unreadable(format!("not a thread list: {}", json_error(&e))),
        },
    }
}

/// Checks that text is a readable document of `doc`, as XWorkmate reads it
/// (recovered and decrypted documents: what XWorkmate can load is kept).
pub fn validate(doc: DocKind, text: &str) -> Result<Summary, String> {
    match classify(doc, text) {
        Stored::Plain(s) => Ok(s),
        Stored::Sealed(_) | Stored::Malformed(_) => {
            Err("sealed values are never written; give the plain document".into())
        }
        Stored::Unreadable(why) => Err(why),
    }
}

/// Checks a document a user (or an application) gives to be saved. A thread
/// list is held to more than XWorkmate's lenient reading: every item a record,
/// `sessionKey` and `title` text, `messages` an array — XWorkmate would
/// silently drop or rewrite anything else.
pub fn validate_to_save(doc: DocKind, text: &str) -> Result<Summary, String> {
    let summary = validate(doc, text)?;
    if doc == DocKind::Threads {
        check_thread_records(text)?;
    }
    Ok(summary)
}

/// The strict shape of a thread list to be written (see [`validate_to_save`]).
fn check_thread_records(text: &str) -> Result<(), String> {
    let list: Vec<Value> = serde_json::from_str(text.trim())
        .map_err(|e| format!("not a thread list: {}", json_error(&e)))?;
    for (i, item) in list.iter().enumerate() {
        let Some(record) = item.as_object() else {
            return Err(format!("item {i} of the thread list is not a record"));
        };
        for (field, ok) in [
            (
                "sessionKey",
                record.get("sessionKey").is_none_or(Value::is_string),
            ),
            (
                "title",
                record
                    .get("title")
                    .is_none_or(|v| v.is_string() || v.is_null()),
            ),
            (
                "messages",
                record
                    .get("messages")
                    .is_none_or(|v| v.is_array() || v.is_null()),
            ),
        ] {
            if !ok {
                return Err(format!(
                    "item {i} of the thread list has a {field} of the wrong type"
                ));
            }
        }
    }
    Ok(())
}

// ------------------------------------------------------------ settings summary

/// The settings fields diagnostics show (spec §4). No secrets: `*Ref` fields
/// are names, and none are copied here anyway.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct SettingsSummary {
    pub app_language: Option<String>,
    pub account_username: Option<String>,
    pub account_workspace: Option<String>,
    pub gateway_profiles: Vec<GatewayProfileSummary>,
    pub ai_gateway_base_url: Option<String>,
    pub assistant_last_session_key: Option<String>,
    pub archived_task_count: usize,
    pub custom_task_title_count: usize,
    pub field_count: usize,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayProfileSummary {
    pub mode: Option<String>,
    pub host: Option<String>,
    pub port: Option<i64>,
    pub tls: Option<bool>,
}

impl SettingsSummary {
    pub fn of(v: &Value) -> Self {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let count = |k: &str| match v.get(k) {
            Some(Value::Array(a)) => a.len(),
            Some(Value::Object(o)) => o.len(),
            _ => 0,
        };
        SettingsSummary {
            app_language: s("appLanguage"),
            account_username: s("accountUsername"),
            account_workspace: s("accountWorkspace"),
            gateway_profiles: v
                .get("gatewayProfiles")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|p| GatewayProfileSummary {
                            mode: p.get("mode").and_then(Value::as_str).map(str::to_string),
                            host: p.get("host").and_then(Value::as_str).map(str::to_string),
                            port: p.get("port").and_then(Value::as_i64),
                            tls: p.get("tls").and_then(Value::as_bool),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            ai_gateway_base_url: v
                .get("aiGateway")
                .and_then(|g| g.get("baseUrl"))
                .and_then(Value::as_str)
                .map(str::to_string),
            assistant_last_session_key: s("assistantLastSessionKey"),
            archived_task_count: count("assistantArchivedTaskKeys"),
            custom_task_title_count: count("assistantCustomTaskTitles"),
            field_count: v.as_object().map_or(0, |o| o.len()),
        }
    }
}

// ------------------------------------------------------------- thread summary

/// One thread's summary (spec §9): no message texts. Read as XWorkmate reads
/// a thread record (spec §4): a non-string `sessionKey` or `title` becomes a
/// string, a `messages` that is not an array counts as none, and any other
/// field of the wrong type is taken as absent.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ThreadSummary {
    pub session_key: String,
    pub title: Option<String>,
    pub archived: bool,
    pub message_count: usize,
    pub updated_at_ms: Option<f64>,
}

/// Counts of a thread list, with every thread's summary.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ThreadsSummary {
    pub count: usize,
    pub archived: usize,
    pub messages: usize,
    pub threads: Vec<ThreadSummary>,
}

/// A thread list as XWorkmate reads it: any JSON array; items that are not
/// objects are skipped (spec §4). Only a value that is not an array fails.
impl<'de> Deserialize<'de> for ThreadsSummary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct List;
        impl<'de> Visitor<'de> for List {
            type Value = Vec<ThreadSummary>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON array of thread records")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut threads = Vec::new();
                while let Some(item) = seq.next_element::<Item>()? {
                    if let Item::Thread(t) = item {
                        threads.push(t);
                    }
                }
                Ok(threads)
            }
        }
        Ok(ThreadsSummary::of(d.deserialize_seq(List)?))
    }
}

impl ThreadsSummary {
    /// The counts of these threads.
    pub fn of(threads: Vec<ThreadSummary>) -> Self {
        ThreadsSummary {
            count: threads.len(),
            archived: threads.iter().filter(|t| t.archived).count(),
            messages: threads.iter().map(|t| t.message_count).sum(),
            threads,
        }
    }
}

/// One thread record's summary, read as XWorkmate reads it; `None` for an
/// item that is not a record (XWorkmate skips it) or not JSON.
pub fn thread_summary(item: &str) -> Option<ThreadSummary> {
    match serde_json::from_str::<Item>(item) {
        Ok(Item::Thread(t)) => Some(t),
        _ => None,
    }
}

/// Visitor methods that take any scalar (or null) and answer `$value`: what a
/// summary does not count.
macro_rules! scalars_as {
    ($ty:ty, $value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_str<E>(self, _: &str) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_unit<E>(self) -> Result<$ty, E> {
            Ok($value)
        }
        fn visit_none<E>(self) -> Result<$ty, E> {
            Ok($value)
        }
    };
}

/// One element of a thread list: a record, or anything else (skipped).
enum Item {
    Thread(ThreadSummary),
    Skipped,
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ItemVisitor;
        impl<'de> Visitor<'de> for ItemVisitor {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a thread record")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
                let mut t = ThreadSummary::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "sessionKey" => {
                            t.session_key = map.next_value::<Scalar>()?.text().unwrap_or_default()
                        }
                        "title" => t.title = map.next_value::<Scalar>()?.text(),
                        "archived" => t.archived = matches!(map.next_value()?, Scalar::Bool(true)),
                        "messages" => t.message_count = map.next_value::<MessageCount>()?.0,
                        "updatedAtMs" => {
                            t.updated_at_ms = match map.next_value()? {
                                Scalar::Number(n) => Some(n),
                                _ => None,
                            }
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Item::Thread(t))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Skipped)
            }
            scalars_as!(Item, Item::Skipped);
        }
        d.deserialize_any(ItemVisitor)
    }
}

/// A field value as far as a summary cares: scalars kept, the rest skipped.
enum Scalar {
    Text(String),
    Number(f64),
    Bool(bool),
    Other,
}

impl Scalar {
    /// As text, the way XWorkmate turns a non-string key or title into one;
    /// `None` for null and for objects and arrays.
    fn text(self) -> Option<String> {
        match self {
            Scalar::Text(s) => Some(s),
            Scalar::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                Some(format!("{}", n as i64))
            }
            Scalar::Number(n) => Some(n.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Other => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Text(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Number(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The number of messages: the elements of an array, counted without keeping
/// them (message texts are never copied); anything else counts as none.
struct MessageCount(usize);

impl<'de> Deserialize<'de> for MessageCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = usize;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of messages")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(n)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<usize, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(0)
            }
            scalars_as!(usize, 0);
        }
        d.deserialize_any(Counter).map(MessageCount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_documents() {
        assert!(matches!(
            classify(DocKind::Settings, r#"{"appLanguage":"en"}"#),
            Stored::Plain(_)
        ));
        assert!(matches!(
            classify(DocKind::Settings, r#"{"x":1}"#),
            Stored::Unreadable(_)
        ));
        assert!(matches!(
            classify(DocKind::Settings, "garbage"),
            Stored::Unreadable(_)
        ));
        assert!(matches!(
            classify(
                DocKind::Settings,
                r#"{"storageFormat":"xworkmate.sealed.local-state.v1","nonce":"***","cipherText":"AA","mac":"AA"}"#
            ),
            Stored::Malformed(_)
        ));
        match classify(
            DocKind::Threads,
            r#"[{"sessionKey":"a","archived":true,"messages":[{"text":"hi"},{}],"x":{"y":[1]}},{"sessionKey":"b","messages":null}]"#,
        ) {
            Stored::Plain(Summary::Threads(s)) => {
                assert_eq!((s.count, s.archived, s.messages), (2, 1, 2));
                assert_eq!(s.threads[0].session_key, "a");
            }
            other => panic!("{other:?}"),
        }
        // Read as XWorkmate reads it (spec §4): items that are not objects
        // are skipped, a non-string key or title becomes text, a `messages`
        // that is not an array counts as none.
        match classify(
            DocKind::Threads,
            r#"[1,"x",null,[2],{"sessionKey":7,"title":false,"messages":"none","archived":"yes","updatedAtMs":"soon"},{"sessionKey":null,"messages":{"a":1}}]"#,
        ) {
            Stored::Plain(Summary::Threads(s)) => {
                assert_eq!((s.count, s.archived, s.messages), (2, 0, 0));
                assert_eq!(s.threads[0].session_key, "7");
                assert_eq!(s.threads[0].title.as_deref(), Some("false"));
                assert_eq!(s.threads[0].updated_at_ms, None);
                assert_eq!(s.threads[1].session_key, "");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify(DocKind::Threads, "[1,2]"),
            Stored::Plain(Summary::Threads(ThreadsSummary { count: 0, .. }))
        ));
        assert!(matches!(
            classify(DocKind::Threads, r#"{"sessionKey":"a"}"#),
            Stored::Unreadable(_)
        ));
        assert!(matches!(
            classify(DocKind::Threads, "[{"),
            Stored::Unreadable(_)
        ));
    }
}
