//! YAML — front-matter and `.declint.yml` alike — into a small tree where every key and
//! value knows its byte span. It sits below `config` and `record`, which both read YAML
//! with its [`options`].
//!
//! serde-saphyr gives spans per value through `Spanned<T>`; we deserialize into our own
//! untyped tree once, so that typing a field, "did you mean" for unknown keys and
//! wrong-type findings all work from one parse and point at the exact key or value.
//!
//! Records and config are YAML 1.2, core schema (decisions/0080): `yes`, `No` and `on`
//! are strings, `<<` is an ordinary key, `0b1010`, `1_000` and `0xFF_FF` are strings, an
//! integer past 64 bits stays text, `.inf`, `.nan` and `1e999` are numbers, an unknown
//! tag is an error at the tag, and a tag that does not fit its scalar (`!!null foo`) is an
//! error too. A number written differently from how it reads (`0x1F`, `1.50`) keeps its
//! text for the string fields ([`Node::written`]). The fast path ([`fast`]) reads only
//! spellings whose type is the same in every schema, and can be turned off with
//! `DECLINT_YAML_FAST_PATH=off` to compare.

mod fast;

use crate::finding::Span;
use crate::source::SourceText;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::borrow::Cow;
use std::fmt;

/// A YAML value with its span in the whole file. Text borrows from the YAML text where
/// it is written as it reads (the fast path's plain and unescaped quoted scalars and
/// keys), and is owned where the parser built it (escapes, block scalars, the full
/// parser's values): typing a record copies only the text it keeps (decisions/0147).
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub span: Span,
    /// A plain scalar's text when its value reads differently (`0x1F`, `1.50`, `1e999`,
    /// `+7`): a string field keeps what was written.
    pub written: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Node<'a>,
}

impl Value<'_> {
    /// The YAML type name used in wrong-type messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// A scalar as text, the way a person would read it (`7`, `true`, `1.5`).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }
}

/// The keys of one mapping seen so far, as one bit each of a word: a key whose bit is not
/// set has no equal among them, so a search for duplicates compares text only on the rare
/// hit. Used by the fast path (duplicate keys) and by typing (two spellings of a field).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct SeenKeys(u64);

impl SeenKeys {
    /// Note `key`; whether a key with its bit was noted before (perhaps this one).
    pub(crate) fn note(&mut self, key: &str) -> bool {
        let bytes = key.as_bytes();
        let mix = bytes.len()
            ^ (usize::from(bytes.first().copied().unwrap_or(0)) << 1)
            ^ (usize::from(bytes.last().copied().unwrap_or(0)) << 3);
        let bit = 1u64 << (mix % 64);
        let maybe = self.0 & bit != 0;
        self.0 |= bit;
        maybe
    }
}

/// A YAML syntax error (or a budget breach) located in the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
}

/// The tree as deserialized, with spans relative to the YAML text.
struct RawNode(Spanned<RawValue>);

enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<RawNode>),
    Map(Vec<(Spanned<String>, RawNode)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_none<E>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_bool<E>(self, b: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<RawValue, E> {
        Ok(i64::try_from(u).map_or(RawValue::Float(u as f64), RawValue::Int))
    }
    fn visit_i128<E>(self, i: i128) -> Result<RawValue, E> {
        Ok(i64::try_from(i).map_or(RawValue::Float(i as f64), RawValue::Int))
    }
    fn visit_u128<E>(self, u: u128) -> Result<RawValue, E> {
        Ok(i64::try_from(u).map_or(RawValue::Float(u as f64), RawValue::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(s))
    }
    fn visit_bytes<E>(self, b: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::Str(String::from_utf8_lossy(b).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawNode>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<Spanned<String>, RawNode>()? {
            entries.push(entry);
        }
        Ok(RawValue::Map(entries))
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Spanned::<RawValue>::deserialize(d).map(RawNode)
    }
}

/// Parser limits for front-matter. Decision records are small and flat, so these are far
/// below serde-saphyr's defaults: an alias bomb or a 10,000-deep nesting fails fast as a
/// DL002 finding instead of costing time or memory. The config file is read with the
/// same settings, so it is YAML 1.2 too.
pub(crate) fn options() -> serde_saphyr::Options {
    let budget = serde_saphyr::budget! {
        max_depth: 32,
        max_events: 200_000,
        max_nodes: 100_000,
        max_aliases: 1_000,
        max_anchors: 1_000,
        max_documents: 1,
        max_total_scalar_bytes: 8 * 1024 * 1024,
    };
    // The replay limit caps what aliases can expand to; the default (a million events)
    // lets an alias bomb cost seconds before it is refused.
    let alias_limits = serde_saphyr::alias_limits! {
        max_total_replayed_events: 20_000,
    };
    serde_saphyr::options! {
        budget: budget,
        alias_limits: alias_limits,
        with_snippet: false,
        // YAML 1.2 core schema (decisions/0080); plain scalars are resolved again from
        // their text in `Placement::scalar`.
        strict_booleans: true,
        merge_keys: serde_saphyr::MergeKeyPolicy::AsOrdinary,
        underscored_numbers_as_strings: true,
        reject_unsupported_tags: true,
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::AsString,
    }
}

/// Maps positions inside the YAML text back to the whole file.
struct Placement<'a> {
    source: &'a SourceText,
    /// Byte offset of the YAML text in the file.
    offset: usize,
    /// Line of the file on which the YAML text starts (1-based).
    first_line: usize,
    yaml_len: usize,
}

impl Placement<'_> {
    fn span(&self, location: &serde_saphyr::Location) -> Span {
        let span = location.span();
        if let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) {
            let start = usize::try_from(start).unwrap_or(usize::MAX);
            let len = usize::try_from(len).unwrap_or(0);
            if start <= self.yaml_len {
                let start = self.offset + start;
                return self
                    .source
                    .clamp(Span::new(start, start.saturating_add(len)));
            }
        }
        self.span_from_line_col(location.line(), location.column(), 1)
    }

    fn span_from_line_col(&self, line: u64, column: u64, len: usize) -> Span {
        let line = usize::try_from(line).unwrap_or(0);
        let column = usize::try_from(column).unwrap_or(0);
        if line == 0 {
            return self.source.clamp(Span::new(self.offset, self.offset));
        }
        let start = self
            .source
            .offset_of(self.first_line + line - 1, column.max(1));
        self.source.clamp(Span::new(start, start + len))
    }

    fn node(&self, raw: RawNode) -> Result<Node<'static>, YamlError> {
        let span = self.span(&raw.0.referenced);
        let scalar = |value: Value<'static>| self.scalar(value, span);
        match raw.0.value {
            RawValue::Null => scalar(Value::Null),
            RawValue::Bool(b) => scalar(Value::Bool(b)),
            RawValue::Int(i) => scalar(Value::Int(i)),
            RawValue::Float(f) => scalar(Value::Float(f)),
            RawValue::Str(s) => scalar(Value::Str(Cow::Owned(s))),
            RawValue::Seq(items) => Ok(Node {
                value: Value::Seq(
                    items
                        .into_iter()
                        .map(|n| self.node(n))
                        .collect::<Result<_, _>>()?,
                ),
                span,
                written: None,
            }),
            RawValue::Map(entries) => Ok(Node {
                value: Value::Map(
                    entries
                        .into_iter()
                        .map(|(key, value)| {
                            Ok(Entry {
                                key_span: self.span(&key.referenced),
                                key: Cow::Owned(key.value),
                                value: self.node(value)?,
                            })
                        })
                        .collect::<Result<_, YamlError>>()?,
                ),
                span,
                written: None,
            }),
        }
    }

    /// A scalar as YAML 1.2's core schema reads it. serde-saphyr's typing of plain
    /// scalars follows YAML 1.1 in places (`0b1010`, `017`, integers past 64 bits), so a
    /// plain scalar is resolved again from its text; a quoted or block scalar, or one
    /// reached through an alias, keeps serde-saphyr's value. A scalar with a standard tag
    /// must fit it.
    fn scalar(&self, value: Value<'static>, span: Span) -> Result<Node<'static>, YamlError> {
        let node = |value: Value<'static>, written: Option<String>| Node {
            value,
            span,
            written,
        };
        let text = self.source.as_str().get(span.start..span.end).unwrap_or("");
        let plain = !text.contains('\n')
            && !text.starts_with(['"', '\'', '|', '>', '*', '!', '&', '[', '{']);
        if !plain {
            return Ok(node(value, None));
        }
        let resolved = core_scalar(text);
        if let Some(tag) = self.tag_before(span) {
            let fits = match tag {
                "!!null" => matches!(resolved, Value::Null),
                "!!bool" => matches!(resolved, Value::Bool(_)),
                "!!int" => matches!(resolved, Value::Int(_)),
                "!!float" => matches!(resolved, Value::Float(_) | Value::Int(_)),
                _ => true,
            };
            if !fits {
                return Err(YamlError {
                    message: format!("`{text}` is not a valid `{tag}` value"),
                    span,
                });
            }
            return Ok(node(value, None));
        }
        let written = match &resolved {
            Value::Int(_) | Value::Float(_) | Value::Bool(_)
                if resolved.scalar_text().as_deref() != Some(text) =>
            {
                Some(text.to_string())
            }
            _ => None,
        };
        Ok(node(resolved, written))
    }

    /// The tag written before the scalar at `span` on its line (`!!null` in
    /// `a: !!null foo`), if any; an anchor in between is skipped.
    fn tag_before(&self, span: Span) -> Option<&str> {
        let before = self.source.as_str().get(self.offset..span.start)?;
        let line = before.rsplit('\n').next().unwrap_or(before);
        line.split_whitespace()
            .rev()
            .take_while(|token| token.starts_with(['!', '&']))
            .find(|token| token.starts_with('!'))
    }
}

/// A plain scalar's value under the YAML 1.2 core schema: null, boolean, integer
/// (decimal, `0o` octal, `0x` hex; past 64 bits it stays text), float (with `.inf` and
/// `.nan`; `1e999` is infinity), else a string.
fn core_scalar(text: &str) -> Value<'static> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let radix = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .filter(|t| digits(t, radix))
            .map(|t| i64::from_str_radix(t, radix))
    };
    let int = if digits(unsigned, 10) {
        Some(text.parse::<i64>())
    } else {
        radix("0o", 8).or_else(|| radix("0x", 16))
    };
    match int {
        Some(Ok(i)) => Value::Int(i),
        // Past 64 bits: the text, never a float that reads differently.
        Some(Err(_)) => Value::Str(Cow::Owned(text.to_string())),
        None if is_core_float(unsigned) => text
            .parse::<f64>()
            .map_or_else(|_| Value::Str(Cow::Owned(text.to_string())), Value::Float),
        None => Value::Str(Cow::Owned(text.to_string())),
    }
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`: the core schema's float, unsigned.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => digits(whole) && (fraction.is_empty() || digits(fraction)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

/// Parse the YAML text that starts at byte `offset` (on line `first_line`) of `source`.
/// The tree may borrow text from `yaml`.
pub fn parse<'a>(
    source: &SourceText,
    offset: usize,
    first_line: usize,
    yaml: &'a str,
) -> Result<Node<'a>, YamlError> {
    let placement = Placement {
        source,
        offset,
        first_line,
        yaml_len: yaml.len(),
    };
    if fast_path_on()
        && let Some(node) = fast::parse(&placement, yaml)
    {
        return Ok(node);
    }
    match serde_saphyr::from_str_with_options::<RawNode>(yaml, options()) {
        Ok(raw) => placement.node(raw),
        Err(error) => {
            let span = error.location().map_or(Span::new(offset, offset), |loc| {
                placement.span_from_line_col(loc.line(), loc.column(), 1)
            });
            Err(YamlError {
                message: error_message(&error),
                span,
            })
        }
    }
}

/// The variable that turns the fast path off (`off`, `0` or `false`), so that a user who
/// meets a parsing surprise can compare with the full parser alone.
pub const FAST_PATH_VARIABLE: &str = "DECLINT_YAML_FAST_PATH";

/// Whether the fast path runs: unless [`FAST_PATH_VARIABLE`] turns it off. Read once.
fn fast_path_on() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var(FAST_PATH_VARIABLE).map_or(true, |v| {
            !matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "off" | "0" | "false" | "no"
            )
        })
    })
}

/// serde-saphyr prefixes messages with `error: line L column C:`; the location is ours to
/// print, so keep only what went wrong.
fn error_message(error: &serde_saphyr::Error) -> String {
    let text = error.without_snippet().to_string();
    let text = text.trim();
    let text = text.strip_prefix("error:").unwrap_or(text).trim_start();
    let text = match text.strip_prefix("line ") {
        Some(rest) => rest
            .split_once(": ")
            .filter(|(loc, _)| loc.contains("column"))
            .map_or(text, |(_, msg)| msg),
        None => text,
    };
    let first = text.lines().next().unwrap_or("invalid YAML");
    // Positions inside the message are relative to the YAML block, not the file: drop them.
    let first = match first.find(" at line ") {
        Some(i) if first[i..].contains("column") => &first[..i],
        _ => first,
    };
    plain_message(first)
}

/// A YAML library message without the library's own vocabulary: its settings
/// (`DuplicateKeyPolicy`) and Rust type names are not something a user can act on.
pub fn plain_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest).trim();
        return format!("`{key}` is given twice");
    }
    let cut = [", set ", "; use Option<", " into string", "untagged enum"]
        .iter()
        .filter_map(|marker| message.find(marker))
        .min();
    match cut {
        Some(i) => message.get(..i).unwrap_or(message).trim_end().to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> Result<Node<'_>, YamlError> {
        let source = SourceText::new(text.to_string());
        parse(&source, 0, 1, text)
    }

    #[test]
    fn keys_and_values_carry_byte_spans() {
        let text = "title: Hello\noptions:\n  - a\n  - b\n";
        let node = parse_all(text).expect("valid yaml");
        let Value::Map(entries) = node.value else {
            panic!("expected a mapping")
        };
        assert_eq!(entries[0].key, "title");
        assert_eq!(
            &text[entries[0].key_span.start..entries[0].key_span.end],
            "title"
        );
        assert_eq!(
            &text[entries[0].value.span.start..entries[0].value.span.end],
            "Hello"
        );
        let Value::Seq(items) = &entries[1].value.value else {
            panic!("expected a list")
        };
        assert_eq!(&text[items[1].span.start..items[1].span.end], "b");
    }

    #[test]
    fn syntax_errors_are_located() {
        let text = "a: 1\nkey: 'unterminated\n";
        let err = parse_all(text).expect_err("invalid yaml");
        let source = SourceText::new(text.to_string());
        assert_eq!(source.position(err.span.start).line, 2);
        assert!(!err.message.starts_with("error"), "{}", err.message);
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(parse_all(&text).is_err());
    }

    #[test]
    fn a_few_aliases_still_work() {
        let node = parse_all("base: &b [x, y]\ncopy: *b\n").expect("aliases are fine");
        let Value::Map(entries) = node.value else {
            panic!("expected a mapping")
        };
        assert!(matches!(&entries[1].value.value, Value::Seq(items) if items.len() == 2));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_all(&text).is_err());
    }
}
