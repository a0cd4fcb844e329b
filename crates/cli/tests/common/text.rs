//! Checks of the CLI's words: GLOSSARY.md's avoid-words, Chinese punctuation
//! in Chinese sentences, and English left in Chinese output.

use std::path::Path;

/// The glossary table: one row per thing, with the words to avoid.
#[derive(Debug, Clone)]
pub struct Row {
    pub thing: String,
    pub avoid_zh: Vec<String>,
    pub avoid_en: Vec<String>,
}

pub const GLOSSARY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../GLOSSARY.md");

/// Parses the table of GLOSSARY.md (`| thing | en | zh | avoid (zh) | avoid (en) |`).
pub fn glossary() -> Vec<Row> {
    let text = std::fs::read_to_string(GLOSSARY).expect("GLOSSARY.md is readable");
    let mut lines = text.lines().skip_while(|l| {
        !(l.starts_with('|') && l.contains("avoid (zh)") && l.contains("avoid (en)"))
    });
    let header: Vec<String> = cells(lines.next().expect("GLOSSARY.md has its table"));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("GLOSSARY.md's table has no '{name}' column"))
    };
    let (thing, avoid_zh, avoid_en) = (col("thing"), col("avoid (zh)"), col("avoid (en)"));
    let words = |cell: &str| -> Vec<String> {
        cell.split([',', '，', '、'])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    lines
        .take_while(|l| l.starts_with('|'))
        .filter(|l| !l.replace(['|', '-', ' ', ':'], "").is_empty())
        .map(|l| {
            let c = cells(l);
            Row {
                thing: c[thing].clone(),
                avoid_zh: words(&c[avoid_zh]),
                avoid_en: words(&c[avoid_en]),
            }
        })
        .collect()
}

fn cells(line: &str) -> Vec<String> {
    let line = line.trim().trim_start_matches('|').trim_end_matches('|');
    line.split('|').map(|c| c.trim().to_string()).collect()
}

/// Han ideographs, CJK symbols and punctuation, full-width forms.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ffef}')
}

/// Lines with an ASCII `,:;()!?` right after a CJK character (spaces
/// between them do not make it right: `密钥 (x)` is caught too).
pub fn ascii_punctuation_after_cjk(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            let mut after_cjk = false;
            for c in l.chars() {
                if after_cjk && ",:;()!?".contains(c) {
                    return true;
                }
                if c != ' ' {
                    after_cjk = is_cjk(c);
                }
            }
            false
        })
        .map(str::to_string)
        .collect()
}

/// A token that names something rather than says something: a path, a code,
/// a key name, an option, a number, a placeholder (it holds a character that
/// English words do not: a digit, `/ \ _ . : = @ # [ ] < > { } | ~ *`, a
/// leading `-`, or a character outside ASCII).
fn is_name(token: &str) -> bool {
    token.starts_with('-')
        || token
            .chars()
            .any(|c| !c.is_ascii() || c.is_ascii_digit() || "/\\_.:=@#[]<>{}|~*`+".contains(c))
}

/// The CLI's command names (after `xworkmate-diag`, they are names).
const COMMANDS: [&str; 13] = [
    "inspect",
    "report",
    "recover",
    "clear",
    "export-report",
    "restore",
    "settings",
    "threads",
    "show",
    "save",
    "list",
    "export",
    "help",
];

/// Strips the punctuation a word may carry in a sentence: `(word),` → `word`.
fn bare(token: &str) -> &str {
    token.trim_matches(|c: char| "()\"',;:.!?".contains(c))
}

/// English left in Chinese text: lines with 3 or more English words in a row.
///
/// A line is first cleared of text in backticks (commands) and of `stored`
/// texts (what the user's data holds: thread titles, the settings document),
/// then cut into tokens at whitespace and at every character outside ASCII
/// (which also breaks a run). A token is an English word when, without the
/// punctuation around it, it is ASCII letters only (an inner `-` or `'`
/// allowed: `read-only`, `XWorkmate's`); paths, codes (`key_missing`), key
/// names (`xworkmate.gateway.token`), options (`--all`), numbers, versions
/// and placeholders (`<FILE>`) are names, not words, and so is any token
/// that holds a Chinese character. Names and Chinese break a run. One or two
/// words in a row are proper names and values (`XWorkmate`, `SQLite`, `TLS`,
/// `auto`, `1.8 KiB`); three or more are an English phrase that should have
/// been Chinese.
pub fn english_runs(text: &str, stored: &[String]) -> Vec<String> {
    let backticks = regex::Regex::new("`[^`]*`").unwrap();
    let mut found = Vec::new();
    for line in text.lines() {
        let mut l = backticks.replace_all(line, " ").into_owned();
        for s in stored.iter().filter(|s| !s.is_empty()) {
            l = l.replace(s.as_str(), " ");
        }
        // Tokens between whitespace; a character outside ASCII (Chinese,
        // a dash, a bullet) ends a token and breaks a run.
        let mut tokens: Vec<Option<String>> = Vec::new();
        let mut current = String::new();
        for c in l.chars() {
            if c.is_whitespace() || !c.is_ascii() {
                if !current.is_empty() {
                    tokens.push(Some(std::mem::take(&mut current)));
                }
                if !c.is_ascii() {
                    tokens.push(None);
                }
            } else {
                current.push(c);
            }
        }
        if !current.is_empty() {
            tokens.push(Some(current));
        }
        let mut run = 0;
        let mut longest = 0;
        let mut command = false;
        for token in &tokens {
            // `xworkmate-diag settings show`: the program and its commands
            // are names.
            let word = token.as_deref().map(bare).unwrap_or("");
            command = (command && COMMANDS.contains(&word)) || word == "xworkmate-diag";
            let english = !command
                && token.as_deref().is_some_and(|token| {
                    let word = bare(token);
                    !word.is_empty()
                        && !is_name(word)
                        && word
                            .chars()
                            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
                        && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                });
            run = if english { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        if longest >= 3 {
            found.push(line.to_string());
        }
    }
    found
}

/// Avoid-words of the glossary in `text`: Chinese ones anywhere, English ones
/// as whole words (case-insensitive, also with a plural `s`) outside names
/// (`xworkmate.account.session.token` names a key, it does not say
/// "session"). `stored` texts (the user's data) are left out.
pub fn avoid_words(text: &str, stored: &[String], rows: &[Row]) -> Vec<String> {
    let mut t = text.to_string();
    for s in stored.iter().filter(|s| !s.is_empty()) {
        t = t.replace(s.as_str(), " ");
    }
    let mut found = Vec::new();
    for row in rows {
        for w in &row.avoid_zh {
            for line in t.lines().filter(|l| l.contains(w.as_str())) {
                found.push(format!("'{w}' (avoid for {}): {line}", row.thing));
            }
        }
        for w in &row.avoid_en {
            let re = regex::Regex::new(&format!(r"(?i)^{}s?$", regex::escape(w))).unwrap();
            let re_multi = w.contains(' ');
            for line in t.lines() {
                let hit = if re_multi {
                    // A phrase ("audit log"): whole words in the line's words.
                    let words: Vec<String> = line
                        .split_whitespace()
                        .filter(|tok| !is_name(bare(tok)))
                        .map(|tok| bare(tok).to_lowercase())
                        .collect();
                    let phrase: Vec<String> =
                        w.split_whitespace().map(|p| p.to_lowercase()).collect();
                    words.windows(phrase.len()).any(|win| {
                        win.iter()
                            .zip(&phrase)
                            .all(|(a, b)| a == b || *a == format!("{b}s"))
                    })
                } else {
                    line.split_whitespace()
                        .map(bare)
                        .filter(|tok| !is_name(tok))
                        .any(|tok| re.is_match(tok))
                };
                if hit {
                    found.push(format!("'{w}' (avoid for {}): {line}", row.thing));
                }
            }
        }
    }
    found
}

/// The texts the user's data holds, shown as they are and never checked:
/// every string under a `title` key of `inspect --json` (thread titles), and
/// every string of the settings document (`settings show` prints it).
pub fn stored_texts(v: &serde_json::Value, settings: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, child) in m {
                    match (k.as_str(), child) {
                        ("title", serde_json::Value::String(s)) => out.push(s.clone()),
                        _ => walk(child, out),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    walk(v, &mut out);
    fn all(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Object(m) => m.values().for_each(|c| all(c, out)),
            serde_json::Value::Array(a) => a.iter().for_each(|c| all(c, out)),
            _ => {}
        }
    }
    all(settings, &mut out);
    // Longest first, so that a title is not cut by a shorter one inside it.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// String literals of a Rust source (and, with `docs`, its `///` doc
/// comments: clap's help texts), with their line numbers.
pub fn literals(path: &Path, docs: bool) -> Vec<(usize, String)> {
    let src = std::fs::read_to_string(path).unwrap();
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let n = chars.len();
    let at = |i: usize, s: &str| -> bool {
        s.chars()
            .enumerate()
            .all(|(k, c)| chars.get(i + k) == Some(&c))
    };
    while i < n {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if at(i, "//") {
            let start = i;
            while i < n && chars[i] != '\n' {
                i += 1;
            }
            let comment: String = chars[start..i].iter().collect();
            if docs {
                if let Some(doc) = comment.strip_prefix("///") {
                    out.push((line, doc.trim().to_string()));
                }
            }
        } else if at(i, "/*") {
            while i < n && !at(i, "*/") {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 2;
        } else if (c == 'r' || (c == 'b' && chars.get(i + 1) == Some(&'r')))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
            && {
                let mut j = i + if c == 'b' { 2 } else { 1 };
                while chars.get(j) == Some(&'#') {
                    j += 1;
                }
                chars.get(j) == Some(&'"')
            }
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let mut hashes = 0;
            while chars[j] == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            let start_line = line;
            let start = j;
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while j < n && !at(j, &close) {
                if chars[j] == '\n' {
                    line += 1;
                }
                j += 1;
            }
            out.push((start_line, chars[start..j].iter().collect()));
            i = j + close.chars().count();
        } else if c == '"' {
            let start_line = line;
            let mut s = String::new();
            let mut j = i + 1;
            while j < n && chars[j] != '"' {
                if chars[j] == '\\' {
                    // An escape; a line continuation (`\` newline) folds the
                    // next line's indentation, as Rust does.
                    match chars.get(j + 1) {
                        Some('\n') => {
                            line += 1;
                            j += 2;
                            while j < n && chars[j].is_whitespace() {
                                if chars[j] == '\n' {
                                    line += 1;
                                }
                                j += 1;
                            }
                            continue;
                        }
                        Some('n') => s.push('\n'),
                        Some(other) => s.push(*other),
                        None => {}
                    }
                    j += 2;
                    continue;
                }
                if chars[j] == '\n' {
                    line += 1;
                }
                s.push(chars[j]);
                j += 1;
            }
            out.push((start_line, s));
            i = j + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{1b}'), or a lifetime ('a): skipped.
            if chars.get(i + 1) == Some(&'\\') {
                let mut j = i + 2;
                while j < n && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}
