//! Editing a record's front-matter by splicing bytes.
//!
//! `declint new` fills a template and `declint new --supersedes` marks the old record as
//! superseded. Neither re-serialises YAML: each edit finds the key's span in the parsed
//! tree and replaces only the bytes of that value (or inserts one line before the closing
//! `---`), so comments, key order, quoting and line endings elsewhere stay byte-identical.

use crate::finding::Span;
use crate::record::frontmatter::{self, Split};
use crate::source::SourceText;
use crate::spelling::canonical_key;
use crate::yaml::{self, Entry, Value};
use std::borrow::Cow;

/// Why a front-matter could not be edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    NoFrontMatter,
    Invalid(String),
    /// The front-matter is written in a form the byte splicer does not edit safely (a
    /// flow or indented root mapping, `? key` entries, an anchor, alias, tag or block
    /// scalar on the edited key), or the edit would have changed anything else: the file
    /// is left as it is.
    Unsupported(String),
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EditError::NoFrontMatter => f.write_str("it has no front-matter block"),
            EditError::Invalid(message) => write!(f, "its front-matter does not parse: {message}"),
            EditError::Unsupported(why) => write!(f, "declint does not edit {why}"),
        }
    }
}

/// A text with its front-matter parsed into top-level entries.
struct Parsed<'a> {
    text: String,
    entries: Vec<Entry<'a>>,
    /// Where the closing delimiter line starts (new keys go just before it).
    closing: usize,
}

fn parse(text: &str) -> Result<Parsed<'_>, EditError> {
    let Split::Present {
        yaml, first_line, ..
    } = frontmatter::split(text)
    else {
        return Err(EditError::NoFrontMatter);
    };
    let yaml_text = text.get(yaml.start..yaml.end).unwrap_or("");
    let entries = if yaml_text.trim().is_empty() {
        Vec::new()
    } else {
        let source = SourceText::new(text.to_string());
        match yaml::parse(&source, yaml.start, first_line, yaml_text) {
            Ok(node) => match node.value {
                Value::Map(entries) => entries,
                Value::Null => Vec::new(),
                other => {
                    return Err(EditError::Invalid(format!(
                        "the top level is {}, not a mapping",
                        other.type_name()
                    )));
                }
            },
            Err(e) => return Err(EditError::Invalid(e.message)),
        }
    };
    Ok(Parsed {
        text: text.to_string(),
        entries,
        closing: yaml.end,
    })
}

/// `\r\n` when the text uses it, else `\n`.
fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The byte range of the line holding `offset`, without its line ending.
fn line_at(text: &str, offset: usize) -> Span {
    let start = text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(offset..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| offset + i);
    let end = if text.get(..end).is_some_and(|t| t.ends_with('\r')) {
        end - 1
    } else {
        end
    };
    Span::new(start, end)
}

/// Where the value text after `key:` on the key's line starts and ends, leaving out a
/// trailing comment and trailing blanks.
fn inline_value_range(text: &str, entry: &Entry<'_>) -> Span {
    let line = line_at(text, entry.key_span.start);
    let after_key = text.get(entry.key_span.end..line.end).unwrap_or("");
    let colon = after_key.find(':').map_or(0, |i| i + 1);
    let start = entry.key_span.end + colon;
    let rest = text.get(start..line.end).unwrap_or("");
    let mut end = rest.len();
    let bytes = rest.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes.get(i - 1).is_some_and(u8::is_ascii_whitespace)) {
            end = i;
            break;
        }
    }
    let trimmed = rest.get(..end).unwrap_or("").trim_end().len();
    Span::new(start, start + trimmed)
}

/// The lines after the key line that belong to a block value (indented, or `-` items at
/// the key's column): up to the next top-level key or the end of the front-matter.
fn continuation_end(parsed: &Parsed<'_>, index: usize) -> usize {
    let next = parsed.entries.get(index + 1).map_or(parsed.closing, |e| {
        line_at(&parsed.text, e.key_span.start).start
    });
    // Keep comment and blank lines that sit just before the next key: they belong to it.
    let region = parsed.text.get(..next).unwrap_or("");
    let mut end = next;
    let key_line_end = parsed
        .entries
        .get(index)
        .map_or(next, |e| line_at(&parsed.text, e.key_span.start).end);
    loop {
        let before = region.get(..end).unwrap_or("");
        let trimmed = before.strip_suffix('\n').unwrap_or(before);
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        if line_start <= key_line_end {
            break;
        }
        let line = trimmed.get(line_start..).unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            end = line_start;
        } else {
            break;
        }
    }
    end.max(key_line_end)
}

fn find<'a, 't>(parsed: &'a Parsed<'t>, key: &str) -> Option<(usize, &'a Entry<'t>)> {
    parsed
        .entries
        .iter()
        .enumerate()
        .find(|(_, e)| canonical_key(&e.key) == key)
}

fn splice(text: &str, span: Span, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(text.get(..span.start).unwrap_or(""));
    out.push_str(with);
    out.push_str(text.get(span.end..).unwrap_or(""));
    out
}

/// Set top-level `key` (canonical, `_` form) to `rendered` (a YAML scalar or flow value).
/// An existing value is replaced in place (a key written `review-by` keeps its spelling);
/// a missing key is added as the last line of the front-matter.
pub fn set(text: &str, key: &str, rendered: &str) -> Result<String, EditError> {
    let parsed = parse(text)?;
    let Some((index, entry)) = find(&parsed, key) else {
        let eol = line_ending(text);
        let sep = if rendered.is_empty() { "" } else { " " };
        let line = format!("{key}:{sep}{rendered}{eol}");
        return Ok(splice(
            text,
            Span::new(parsed.closing, parsed.closing),
            &line,
        ));
    };
    let inline = inline_value_range(text, entry);
    let is_inline_scalar = !matches!(entry.value.value, Value::Seq(_) | Value::Map(_))
        && !inline.is_empty()
        && entry.value.span.start >= inline.start
        && entry.value.span.end <= line_at(text, entry.key_span.start).end;
    if is_inline_scalar {
        return Ok(splice(text, entry.value.span, rendered));
    }
    // Null, a collection, or a value on the following lines: the whole value is replaced.
    let key_line = line_at(text, entry.key_span.start);
    let after_inline = text.get(inline.end..key_line.end).unwrap_or("");
    let comment = after_inline.trim_start();
    let eol = line_ending(text);
    let mut replacement = if rendered.is_empty() {
        String::new()
    } else {
        format!(" {rendered}")
    };
    if !comment.is_empty() {
        replacement.push(' ');
        replacement.push_str(comment);
    }
    let end = continuation_end(&parsed, index);
    let replacing_lines = end > key_line.end + eol.len();
    let span = if replacing_lines {
        replacement.push_str(eol);
        Span::new(inline.start, end)
    } else {
        Span::new(inline.start, key_line.end)
    };
    Ok(splice(text, span, &replacement))
}

/// Add `item` to the top-level list `key`, keeping the existing items as written: a new
/// `- item` line under a block list, `, item` inside a flow list, or the key created.
pub fn append_to_list(text: &str, key: &str, item: &str) -> Result<String, EditError> {
    let parsed = parse(text)?;
    let Some((index, entry)) = find(&parsed, key) else {
        return set(text, key, item);
    };
    match &entry.value.value {
        Value::Seq(items) if items.is_empty() => set(text, key, &format!("[{item}]")),
        Value::Seq(items) => {
            let first = entry.value.span.start;
            if text.get(first..).is_some_and(|t| t.starts_with('[')) {
                let Some(close) = matching_bracket(text, first) else {
                    return set(text, key, &format!("[{item}]"));
                };
                Ok(splice(text, Span::new(close, close), &format!(", {item}")))
            } else {
                let last = items.last().map_or(first, |n| n.span.start);
                let first_line = line_at(text, first);
                let prefix = text.get(first_line.start..first).unwrap_or("- ");
                let dash = text
                    .get(first..)
                    .and_then(|t| t.find(|c: char| c != '-' && c != ' '))
                    .and_then(|i| text.get(first..first + i))
                    .unwrap_or("- ");
                let item_line_end = line_at(text, last).end;
                let end = continuation_end(&parsed, index).max(item_line_end);
                // Insert after the last line that holds list content.
                let insert_at = last_content_line_end(text, item_line_end, end);
                let eol = line_ending(text);
                Ok(splice(
                    text,
                    Span::new(insert_at, insert_at),
                    &format!("{eol}{prefix}{dash}{item}"),
                ))
            }
        }
        // A single value: it becomes the first item of a flow list, written as it was.
        Value::Str(_) | Value::Int(_) | Value::Float(_) => {
            let span = entry.value.span;
            let old = text.get(span.start..span.end).unwrap_or("");
            Ok(splice(text, span, &format!("[{old}, {item}]")))
        }
        _ => set(text, key, &format!("[{item}]")),
    }
}

/// [`append_to_list`] on a record someone wrote, where a wrong edit would corrupt their
/// file: forms the splicer does not handle are refused up front, and the result is
/// parsed again and must differ from the original in exactly one way — `key` holds its
/// old items followed by `item` (whose plain value is `item_value`) — with every other
/// entry's value, the key order and the body unchanged. Anything else is an
/// [`EditError::Unsupported`], and the caller leaves the file byte-identical.
pub fn append_to_list_verified(
    text: &str,
    key: &str,
    item: &str,
    item_value: &str,
) -> Result<String, EditError> {
    let before = parse(text)?;
    refuse_unsupported(&before, key)?;
    if before
        .entries
        .iter()
        .filter(|e| canonical_key(&e.key) == key)
        .count()
        > 1
    {
        return Err(EditError::Unsupported(format!(
            "a front-matter with `{key}` given twice"
        )));
    }
    let edited = append_to_list(text, key, item)?;
    let after = parse(&edited).map_err(|_| {
        EditError::Unsupported("this front-matter: the edited text would not parse".into())
    })?;
    let unchanged = |why: &str| EditError::Unsupported(format!("this front-matter: {why}"));
    let body = |t: &str| match frontmatter::split(t) {
        Split::Present { body, .. } => t.get(body.start..body.end).map(str::to_string),
        _ => None,
    };
    if body(text) != body(&edited) {
        return Err(unchanged("the edit would touch the body"));
    }
    let others = |p: &Parsed<'_>| -> Vec<(String, Value<'static>)> {
        p.entries
            .iter()
            .filter(|e| canonical_key(&e.key) != key)
            .map(|e| (e.key.to_string(), without_spans(&e.value.value)))
            .collect()
    };
    if others(&before) != others(&after) {
        return Err(unchanged("the edit would change another field"));
    }
    let items = |p: &Parsed<'_>| -> Option<Vec<Value<'static>>> {
        match find(p, key).map(|(_, e)| without_spans(&e.value.value)) {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(Value::Seq(items)) => Some(items.into_iter().map(|n| n.value).collect()),
            Some(single @ (Value::Str(_) | Value::Int(_) | Value::Float(_))) => Some(vec![single]),
            Some(_) => None,
        }
    };
    let mut wanted =
        items(&before).ok_or_else(|| unchanged(&format!("a `{key}` that is not a list")))?;
    // An empty or nested item (`- # "0002"` is a comment, so a null item) is already a
    // broken list: the record reads no ids from it, so appending one would not link it.
    if wanted
        .iter()
        .any(|v| !matches!(v, Value::Str(_) | Value::Int(_) | Value::Float(_)))
    {
        return Err(unchanged(&format!(
            "a `{key}` list with an item that is not an id (fix that item first)"
        )));
    }
    wanted.push(Value::Str(item_value.into()));
    if items(&after) != Some(wanted) {
        return Err(unchanged(&format!("`{key}` as written")));
    }
    Ok(edited)
}

/// The forms [`append_to_list_verified`] refuses before trying.
fn refuse_unsupported(parsed: &Parsed<'_>, key: &str) -> Result<(), EditError> {
    let refuse = |why: &str| Err(EditError::Unsupported(why.to_string()));
    let Some(first) = parsed.entries.first() else {
        return Ok(());
    };
    let first_line = line_at(&parsed.text, first.key_span.start);
    let indent = parsed
        .text
        .get(first_line.start..first.key_span.start)
        .unwrap_or("");
    if indent.trim_start().starts_with('{') {
        return refuse("a front-matter written as a flow mapping (`{status: …}`)");
    }
    if !indent.is_empty() && indent.trim().is_empty() {
        return refuse("an indented front-matter mapping");
    }
    for entry in &parsed.entries {
        let line = line_at(&parsed.text, entry.key_span.start);
        let before_key = parsed
            .text
            .get(line.start..entry.key_span.start)
            .unwrap_or("");
        if before_key.trim_start().starts_with('?') || before_key.trim() == ":" {
            return refuse("explicit `? key` entries");
        }
    }
    if let Some((_, entry)) = find(parsed, key) {
        let value = inline_value_range(&parsed.text, entry);
        let written = parsed
            .text
            .get(value.start..value.end)
            .unwrap_or("")
            .trim_start();
        if written.starts_with(['&', '*', '!', '|', '>']) {
            return refuse(&format!(
                "a `{key}` written with an anchor, alias, tag or block scalar"
            ));
        }
    }
    Ok(())
}

/// `value` with every span zeroed and its text owned, so two parses of differently
/// placed text compare.
fn without_spans(value: &Value<'_>) -> Value<'static> {
    let node = |n: &yaml::Node<'_>| yaml::Node {
        value: without_spans(&n.value),
        span: Span::new(0, 0),
        written: n.written.clone(),
    };
    match value {
        Value::Seq(items) => Value::Seq(items.iter().map(node).collect()),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|e| Entry {
                    key: Cow::Owned(e.key.to_string()),
                    key_span: Span::new(0, 0),
                    value: node(&e.value),
                })
                .collect(),
        ),
        Value::Str(s) => Value::Str(Cow::Owned(s.to_string())),
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::Float(f) => Value::Float(*f),
    }
}

/// The end of the last non-blank, non-comment line in `from..to`, at least `from`.
fn last_content_line_end(text: &str, from: usize, to: usize) -> usize {
    let mut best = from;
    let mut pos = from;
    while pos < to {
        let line = line_at(text, pos);
        let content = text.get(line.start..line.end).unwrap_or("").trim();
        if !content.is_empty() && !content.starts_with('#') && line.start >= from {
            best = line.end;
        }
        let next = text
            .get(line.end..)
            .and_then(|t| t.find('\n'))
            .map_or(to, |i| line.end + i + 1);
        if next <= pos {
            break;
        }
        pos = next;
    }
    best
}

/// The offset of the `]` closing the flow list opened at `open`, skipping quoted text.
fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.get(open..)?.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A string as a YAML scalar: plain when that reads back as the same string, else
/// double-quoted (JSON escaping is valid YAML).
pub fn scalar(value: &str) -> String {
    let plain_safe = !value.is_empty()
        && value.trim() == value
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || " _-.,()/'?!+@".contains(c))
        && !value.contains(" -")
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain_safe {
        value.to_string()
    } else {
        quoted(value)
    }
}

/// A string as a double-quoted YAML scalar.
pub fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMENTED: &str = "---\n# Keep this comment.\ntitle: 'Odd: order'   # trailing\nstatus: accepted # was proposed\nz_custom_first: 1\nsupersedes: ['0001']\ndate: 2024-01-02\n\n# Before options.\noptions:\n  - a   # first\n  - b\n---\n# Body\nstatus: not front-matter\n";

    #[test]
    fn set_replaces_only_the_value() {
        let out = set(COMMENTED, "status", "superseded").expect("edit");
        assert_eq!(
            out,
            COMMENTED.replacen("status: accepted #", "status: superseded #", 1)
        );
    }

    #[test]
    fn set_inserts_a_missing_key_before_the_closing_line() {
        let out = set(COMMENTED, "superseded_by", "\"0009\"").expect("edit");
        assert_eq!(
            out,
            COMMENTED.replacen("  - b\n---\n", "  - b\nsuperseded_by: \"0009\"\n---\n", 1)
        );
    }

    #[test]
    fn set_fills_an_empty_value_and_keeps_the_comment() {
        let text = "---\na: 1\nsuperseded_by:   # fill me\nb: 2\n---\n";
        let out = set(text, "superseded_by", "\"0002\"").expect("edit");
        assert_eq!(
            out,
            "---\na: 1\nsuperseded_by: \"0002\" # fill me\nb: 2\n---\n"
        );
    }

    #[test]
    fn set_replaces_a_block_value_and_keeps_comments_after_it() {
        let out = set(COMMENTED, "options", "[c]").expect("edit");
        assert!(out.contains("options: [c]\n---\n"), "{out}");
        assert!(out.contains("# Before options.\n"));
    }

    #[test]
    fn keys_keep_their_spelling_and_crlf_is_kept() {
        let text = "---\r\nreview-by: 2020-01-01\r\n---\r\nbody\r\n";
        let out = set(text, "review_by", "2021-01-01").expect("edit");
        assert_eq!(out, "---\r\nreview-by: 2021-01-01\r\n---\r\nbody\r\n");
        let out = set(text, "status", "proposed").expect("edit");
        assert_eq!(
            out,
            "---\r\nreview-by: 2020-01-01\r\nstatus: proposed\r\n---\r\nbody\r\n"
        );
    }

    #[test]
    fn append_to_flow_block_scalar_and_missing_lists() {
        let out = append_to_list(COMMENTED, "supersedes", "\"0002\"").expect("edit");
        assert!(out.contains("supersedes: ['0001', \"0002\"]\n"), "{out}");
        let out = append_to_list(COMMENTED, "options", "c").expect("edit");
        assert!(out.contains("  - a   # first\n  - b\n  - c\n---"), "{out}");
        let text = "---\nsuperseded_by: '0003'\n---\n";
        let out = append_to_list(text, "superseded_by", "\"0007\"").expect("edit");
        assert_eq!(out, "---\nsuperseded_by: ['0003', \"0007\"]\n---\n");
        let text = "---\nsuperseded_by: []\n---\n";
        let out = append_to_list(text, "superseded_by", "\"0007\"").expect("edit");
        assert_eq!(out, "---\nsuperseded_by: [\"0007\"]\n---\n");
        let text = "---\nid: x\n---\n";
        let out = append_to_list(text, "superseded_by", "\"0007\"").expect("edit");
        assert_eq!(out, "---\nid: x\nsuperseded_by: \"0007\"\n---\n");
    }

    #[test]
    fn files_without_front_matter_are_refused() {
        assert_eq!(
            set("# Title\n", "status", "x"),
            Err(EditError::NoFrontMatter)
        );
        assert!(matches!(
            set("---\n[a\n---\n", "status", "x"),
            Err(EditError::Invalid(_))
        ));
    }

    /// Found by the `supersede` fuzz target: `- #"0002"` is a comment, so the list already
    /// holds a null item and the record reads no ids from it; appending would not link.
    #[test]
    fn a_list_with_an_empty_item_is_refused() {
        let text = "---\ntitle: a\nsuperseded_by:\n  - #\"0002\"\n---\nbody\n";
        assert!(matches!(
            append_to_list_verified(text, "superseded_by", "\"0003\"", "0003"),
            Err(EditError::Unsupported(_))
        ));
    }

    #[test]
    fn scalars_round_trip_through_yaml() {
        for value in [
            "Use Postgres",
            "0007",
            "yes",
            "a: b",
            "# not a comment",
            "- item",
            "",
            " padded ",
            "quote \" and \\ backslash",
            "שלום עולם",
            "🦀 crab",
            "line\nbreak",
        ] {
            let text = format!("---\ntitle: {}\n---\n", scalar(value));
            let source = SourceText::new(text.clone());
            let yaml = text.get(4..text.len() - 4).unwrap_or("");
            let node = yaml::parse(&source, 4, 2, yaml).expect("parses");
            let Value::Map(entries) = node.value else {
                panic!("mapping")
            };
            assert_eq!(
                entries[0].value.value,
                Value::Str(value.into()),
                "{value:?} rendered as {}",
                scalar(value)
            );
        }
    }

    /// Front-matter lines in the forms records are written in, good and odd, for
    /// [`append_to_list_verified`]: the ones `new --supersedes` meets in the wild and the
    /// ones issue 12 found it corrupting.
    const LINES: &[&str] = &[
        "title: Keep MySQL",
        "title: 'Odd: order' # trailing",
        "status: accepted",
        "status: &s accepted",
        "superseded_by: []",
        "superseded_by: [\"0001\"]",
        "superseded_by: \"0001\"",
        "superseded_by:",
        "superseded_by:\n  - \"0001\"",
        "superseded_by: *s",
        "superseded_by: |\n  0001",
        "superseded_by: >-",
        "superseded_by: !!str 0001",
        "? status\n: accepted",
        "{title: a, status: accepted}",
        "  title: indented",
        "options:\n  - a\n  - b",
        "# a comment",
        "",
        "reversal: [x, y]",
        "tags: &t []",
        "other: *t",
    ];

    proptest::proptest! {
        #[test]
        fn a_verified_append_changes_only_the_list(
            lines in proptest::collection::vec(proptest::sample::select(LINES), 0..8),
            crlf in proptest::bool::ANY,
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let yaml: String = lines.iter().map(|l| format!("{}{eol}", l.replace('\n', eol))).collect();
            let text = format!("---{eol}{yaml}---{eol}# Body{eol}status: body text{eol}");
            if let Ok(edited) = append_to_list_verified(&text, "superseded_by", "\"0002\"", "0002") {
                let body = |t: &str| t.find(&format!("{eol}---{eol}#")).map(|i| t[i..].to_string());
                proptest::prop_assert_eq!(body(&text), body(&edited));
                let after = parse(&edited).expect("the edit parses");
                let items: Vec<Value> = match find(&after, "superseded_by").map(|(_, e)| &e.value.value) {
                    Some(Value::Seq(items)) => items.iter().map(|n| n.value.clone()).collect(),
                    // A missing key is added as a single id.
                    Some(single @ Value::Str(_)) => vec![single.clone()],
                    other => panic!("not a list: {other:?}"),
                };
                proptest::prop_assert_eq!(items.last(), Some(&Value::Str("0002".into())));
                // Exactly one line more, or the same lines (a flow list grew in place).
                let count = |t: &str| t.lines().count();
                proptest::prop_assert!(count(&edited) <= count(&text) + 1);
            }
        }
    }
}
