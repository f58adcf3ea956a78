//! Typing the front-matter: from the untyped YAML tree to the fields of SPEC §2.
//!
//! Typing never fails as a whole. A value of the wrong type becomes a [`FieldIssue`]
//! (DL003) and the field is left unset; an unknown key becomes an issue with a
//! "did you mean" (DL004). Keys are compared with `-` and `_` folded together.

use super::body::{Body, OPTIONS_SECTION, REVERSAL_SECTION};
use super::field_table::{Shape, field_in, field_names};
use super::status;
use crate::config::Config;
use crate::finding::Span;
use crate::people::Roster;
use crate::spelling::{canonical_key, suggest};
use crate::yaml::{Entry, Node, SeenKeys, Value};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::HashMap;

/// A field's value with the spans of its key and of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<T> {
    pub value: T,
    pub key_span: Span,
    pub span: Span,
    /// Whether the value came from a body section rather than the front-matter.
    pub from_body: bool,
}

/// A text with the span it came from (a list item, an evidence field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub span: Span,
}

/// A date as written, and as understood when it parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateValue {
    pub raw: String,
    pub date: Option<NaiveDate>,
}

impl DateValue {
    /// `YYYY-MM-DD`, or an RFC 3339 date-time reduced to its UTC date.
    pub fn parse(raw: &str) -> Self {
        Self::from_raw(raw.to_string())
    }

    /// Like [`DateValue::parse`], keeping `raw` without a copy.
    pub fn from_raw(raw: String) -> Self {
        let trimmed = raw.trim();
        let date = plain_date(trimmed).or_else(|| {
            NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
                .ok()
                .filter(|_| trimmed.len() == 10)
                .or_else(|| {
                    chrono::DateTime::parse_from_rfc3339(trimmed)
                        .ok()
                        .map(|dt| dt.with_timezone(&chrono::Utc).date_naive())
                })
        });
        DateValue { raw, date }
    }
}

/// A date spelled exactly `YYYY-MM-DD`, as nearly every record writes it, read without
/// chrono's format interpreter; anything else (or an impossible date) is `None` and goes
/// the general way, which gives the same answer for these spellings.
pub(super) fn plain_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    day_of(bytes, 0..4, 5..7, 8..10)
}

/// A date spelled `YYYYMMDD` (a dated file name: `20200925-use-x.md`).
pub(super) fn compact_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 8 {
        return None;
    }
    day_of(bytes, 0..4, 4..6, 6..8)
}

/// The day whose year, month and day are the ASCII digits at those places of `bytes`.
fn day_of(
    bytes: &[u8],
    year: std::ops::Range<usize>,
    month: std::ops::Range<usize>,
    day: std::ops::Range<usize>,
) -> Option<NaiveDate> {
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        digits.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(number(year)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month)?, number(day)?)
}

/// A decider value: one name, or several when a list or a joined string was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    pub names: Vec<Text>,
    /// True when the YAML value was a list (even a one-element one).
    pub was_list: bool,
}

/// An option considered: its name, and pros/cons when given as a mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionItem {
    pub name: String,
    pub span: Span,
}

/// `P0`…`P4` or an integer; `rank` is the number when it reads as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priority {
    pub raw: String,
    pub rank: Option<i64>,
}

/// One entry of the `evidence` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub span: Span,
    pub date: Option<Field<DateValue>>,
    pub summary: Option<Text>,
    pub link: Option<Text>,
    pub criterion: Option<Text>,
}

impl Evidence {
    /// Evidence is compared by value, ignoring where it stands in the file.
    pub fn same_value(&self, other: &Evidence) -> bool {
        fn t(x: &Option<Text>) -> Option<&str> {
            x.as_ref().map(|t| t.text.trim())
        }
        self.date.as_ref().map(|d| d.value.raw.trim())
            == other.date.as_ref().map(|d| d.value.raw.trim())
            && t(&self.summary) == t(&other.summary)
            && t(&self.link) == t(&other.link)
            && t(&self.criterion) == t(&other.criterion)
    }
}

/// One entry of the `dissent` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dissent {
    pub span: Span,
    pub who: Option<Text>,
    pub note: Option<Text>,
}

/// The uncertainty budget: each dimension 0–5.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Uncertainty {
    pub market: Option<i64>,
    pub technical: Option<i64>,
    pub organizational: Option<i64>,
}

impl Uncertainty {
    pub fn sum(&self) -> i64 {
        self.market.unwrap_or(0) + self.technical.unwrap_or(0) + self.organizational.unwrap_or(0)
    }
}

/// The typed front-matter of SPEC §2. Every field is optional: rules decide what is required.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub id: Option<Field<String>>,
    pub title: Option<Field<String>>,
    pub kind: Option<Field<String>>,
    pub status: Option<Field<String>>,
    pub raised: Option<Field<DateValue>>,
    pub due: Option<Field<DateValue>>,
    pub date: Option<Field<DateValue>>,
    pub decider: Option<Field<Names>>,
    pub recommend: Option<Field<Vec<Text>>>,
    pub agree: Option<Field<Vec<Text>>>,
    pub perform: Option<Field<Vec<Text>>>,
    pub input: Option<Field<Vec<Text>>>,
    pub options: Option<Field<Vec<OptionItem>>>,
    pub reversal: Option<Field<Vec<Text>>>,
    pub review_by: Option<Field<DateValue>>,
    pub priority: Option<Field<Priority>>,
    pub deprioritized: Option<Field<Vec<Text>>>,
    pub evidence: Option<Field<Vec<Evidence>>>,
    pub dissent: Option<Field<Vec<Dissent>>>,
    pub supersedes: Option<Field<Vec<Text>>>,
    pub superseded_by: Option<Field<Vec<Text>>>,
    pub reversibility: Option<Field<String>>,
    pub uncertainty: Option<Field<Uncertainty>>,
    pub expires: Option<Field<DateValue>>,
    pub owner: Option<Field<String>>,
    pub risk: Option<Field<String>>,
    pub affects: Option<Field<Vec<Text>>>,
    pub tags: Option<Field<Vec<Text>>>,
    /// MADR `consulted` and `informed`, kept for the roster check.
    pub consulted: Option<Field<Vec<Text>>>,
    pub informed: Option<Field<Vec<Text>>>,
    /// Single-value keys written with no value (`expires:`, `expires: ""`): the field is missing, not
    /// mistyped, and the rule that needs it reports it at this key (canonical name, key span).
    pub empty: Vec<(String, Span)>,
}

/// What went wrong while typing one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueKind {
    /// DL003: the value has the wrong type or shape.
    WrongType {
        expected: &'static str,
        found: String,
    },
    /// DL004: a key declint does not know.
    UnknownField { suggestion: Option<String> },
    /// DL003: a key given twice under two spellings (`review-by` and `review_by`).
    DuplicateField { first: Span },
    /// DL003: an entry of a list of mappings without a key it needs (an `evidence` entry
    /// without `date` or `summary`); `missing` names them.
    IncompleteEntry { missing: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub key: String,
    pub key_span: Span,
    pub span: Span,
    pub kind: IssueKind,
}

/// Type the top-level entries of a front-matter mapping into `fields` (a record's, so
/// that the large struct is not moved), with the issues found onto `issues`.
pub fn type_fields(
    entries: Vec<Entry<'_>>,
    config: &Config,
    fields: &mut Fields,
    issues: &mut Vec<FieldIssue>,
) {
    let earlier = earlier_spellings(&entries);
    let mut typer = Typer { fields, issues };
    for (entry, earlier) in entries.into_iter().zip(earlier) {
        match earlier {
            Some(first) => typer.issues.push(FieldIssue {
                key: entry.key.into_owned(),
                key_span: entry.key_span,
                span: entry.value.span,
                kind: IssueKind::DuplicateField { first },
            }),
            None => typer.entry(entry, config),
        }
    }
}

/// Let body sections stand in for list fields the front-matter does not set.
/// An empty section counts as missing.
pub fn fill_from_body(fields: &mut Fields, body: &Body) {
    let section_items = |keys: &[&str]| {
        body.section(keys)
            .filter(|s| !s.items.is_empty())
            .map(|s| (s.heading.span, &s.items))
    };
    if fields.options.is_none() {
        fields.options = section_items(OPTIONS_SECTION).map(|(heading, items)| Field {
            value: items
                .iter()
                .map(|i| OptionItem {
                    name: i.text.clone(),
                    span: i.span,
                })
                .collect(),
            key_span: heading,
            span: heading,
            from_body: true,
        });
    }
    if fields.reversal.is_none() {
        fields.reversal = section_items(REVERSAL_SECTION).map(|(heading, items)| Field {
            value: items
                .iter()
                .map(|i| Text {
                    text: i.text.clone(),
                    span: i.span,
                })
                .collect(),
            key_span: heading,
            span: heading,
            from_body: true,
        });
    }
}

/// Under `profile: madr`, read what MADR records keep outside front-matter, for the
/// fields the front-matter does not set: `Status:`/`Date:`/`Deciders:` lines or bullets
/// under the H1 (MADR 2, log4brains, minimal templates), or a `## Status` section.
/// A compound status line (`Superseded by [ADR-0020](./0020-x.md)`, `accepted;
/// supersedes ADR-0045`) is split into the status and its links by the one status
/// reader ([`status`]), as in every format; `text` is the whole file (the
/// links' targets are read from it), `issues` gets one located issue per malformed link.
pub fn fill_from_madr(
    fields: &mut Fields,
    body: &Body,
    text: &str,
    roster: Option<&Roster>,
    issues: &mut Vec<FieldIssue>,
) {
    if fields.status.is_none()
        && let Some(m) = body.meta(&["status"])
    {
        let line = meta_source_value(text, m.span).unwrap_or(&m.value);
        status::read_line(fields, line, m.span, m.span, issues);
    }
    // A `## Status` section (MADR 4 without front-matter status, and its relation lines).
    status::read_section(fields, body, text, issues);
    if fields.date.is_none() {
        fields.date = body.meta(&["date"]).map(|m| Field {
            value: DateValue::parse(&m.value),
            key_span: m.span,
            span: m.span,
            from_body: true,
        });
    }
    if fields.decider.is_none() {
        fields.decider = body.meta(&["decision makers", "deciders"]).map(|m| Field {
            value: Names {
                names: split_names(&m.value, m.span, roster),
                was_list: false,
            },
            key_span: m.span,
            span: m.span,
            from_body: true,
        });
    }
    for (slot, key) in [
        (&mut fields.consulted, "consulted"),
        (&mut fields.informed, "informed"),
    ] {
        if slot.is_none() {
            *slot = body.meta(&[key]).map(|m| Field {
                value: split_names(&m.value, m.span, roster),
                key_span: m.span,
                span: m.span,
                from_body: true,
            });
        }
    }
}

/// The value of a `Key: value` preamble line as written in the source (a link keeps its
/// target, which the parsed text drops): the first line of `span` after its first colon,
/// without the emphasis that closes a bold key (`* **Status:** accepted`).
fn meta_source_value(text: &str, span: Span) -> Option<&str> {
    let line = text.get(span.start..span.end)?.lines().next()?;
    let (_, value) = line.split_once(':')?;
    let value = value.trim_start_matches(['*', '_']).trim();
    (!value.is_empty()).then_some(value)
}

struct Typer<'t> {
    fields: &'t mut Fields,
    issues: &'t mut Vec<FieldIssue>,
}

/// A typing failure for one value: what was expected.
pub(super) struct Mismatch(&'static str);

/// Where the entry being typed stands: its key and its value.
#[derive(Clone, Copy)]
pub(super) struct Placed {
    key_span: Span,
    span: Span,
}

/// What a field's reader in the [`FIELD_TABLE`](super::field_table::FIELD_TABLE) writes
/// to: the fields, the issues (for entries of a list that fail on their own), where the
/// entry stands, and the roster names are split by.
pub(super) struct Reading<'a> {
    pub(super) fields: &'a mut Fields,
    pub(super) issues: &'a mut Vec<FieldIssue>,
    pub(super) at: Placed,
    pub(super) roster: Option<&'a Roster>,
}

impl Placed {
    pub(super) fn field<T>(self, value: T) -> Option<Field<T>> {
        Some(field(value, self.key_span, self.span))
    }
}

/// For each entry, the key span of an earlier entry with the same canonical key (`review-by`
/// after `review_by`). A record has a handful of keys, so they are compared pairwise; a
/// hostile file may have tens of thousands, so past a few dozen they are hashed.
fn earlier_spellings(entries: &[Entry<'_>]) -> Vec<Option<Span>> {
    const PAIRWISE_MAX: usize = 32;
    let keys: Vec<Cow<'_, str>> = entries.iter().map(|e| canonical_key(&e.key)).collect();
    if keys.len() <= PAIRWISE_MAX {
        let mut seen = SeenKeys::default();
        return keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                if !seen.note(key) {
                    return None;
                }
                let earlier = keys.get(..i).unwrap_or_default();
                earlier
                    .iter()
                    .position(|k| k == key)
                    .and_then(|j| entries.get(j))
                    .map(|e| e.key_span)
            })
            .collect();
    }
    let mut seen: HashMap<&str, Span> = HashMap::with_capacity(keys.len());
    keys.iter()
        .zip(entries)
        .map(|(key, entry)| match seen.entry(key.as_ref()) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(entry.key_span);
                None
            }
        })
        .collect()
}

impl Typer<'_> {
    /// Type one entry. The tree is consumed: strings move into the fields, not copied.
    fn entry<'a>(&mut self, entry: Entry<'a>, config: &Config) {
        let Entry {
            key,
            key_span,
            value: node,
        } = entry;
        let span = node.span;
        // A short text is shown as written (`kind: exeption` "found `exeption`"): the
        // value to fix says more than its type. The value moves into its reader, so the
        // text is kept as a borrow (a copy only if the parser built it), and the message
        // is written only on a mismatch, not for every key of every record.
        let found_text: Option<Cow<'a, str>> = match &node.value {
            Value::Str(Cow::Borrowed(text)) => Some(Cow::Borrowed(*text)),
            // Forty characters are at most 160 bytes.
            Value::Str(Cow::Owned(text)) if text.len() <= 160 => Some(Cow::Owned(text.clone())),
            _ => None,
        };
        let type_name = node.value.type_name();
        let name = canonical_key(&key);
        let Some(def) = field_in(&name, config.profile) else {
            if !config.allowed_fields.iter().any(|allowed| *allowed == name) {
                self.issues
                    .push(unknown_key(key.into_owned(), key_span, span, config));
            }
            return;
        };
        // `key:`, `key: ~` and `key: ""` say the same thing: nothing is there yet.
        if is_blank(&node.value) && def.shape == Shape::Single {
            self.fields.empty.push((def.name.to_string(), key_span));
            return;
        }
        let reading = Reading {
            fields: self.fields,
            issues: self.issues,
            at: Placed { key_span, span },
            roster: config.roster.as_ref(),
        };
        let result = def.read(node, reading);
        if let Err(Mismatch(expected)) = result {
            let found = match found_text {
                Some(text) if text.chars().count() <= 40 && !text.contains('`') => {
                    format!("`{text}`")
                }
                _ => type_name.to_string(),
            };
            self.issues.push(FieldIssue {
                key: key.into_owned(),
                key_span,
                span,
                kind: IssueKind::WrongType { expected, found },
            });
        }
    }
}

/// Evidence entries; a malformed entry is an issue of its own, the others still count.
pub(super) fn evidence(
    node: Node<'_>,
    issues: &mut Vec<FieldIssue>,
) -> Result<Vec<Evidence>, Mismatch> {
    let items = seq_or_empty(node).ok_or(Mismatch("a list of evidence entries"))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::Map(entries) = item.value else {
            issues.push(wrong(
                "evidence",
                item.span,
                item.value.type_name(),
                "a mapping with `date` and `summary`",
            ));
            continue;
        };
        let mut evidence = Evidence {
            span: item.span,
            date: None,
            summary: None,
            link: None,
            criterion: None,
        };
        // A key written with no value (`summary:`) or only spaces (`summary: ""`) says
        // nothing: it is missing, reported once as such, and never counts as evidence.
        let has = |name: &str| {
            entries
                .iter()
                .any(|e| canonical_key(&e.key) == name && !is_blank(&e.value.value))
        };
        let missing = match (has("date"), has("summary")) {
            (true, true) => None,
            (false, true) => Some("`date`"),
            (true, false) => Some("`summary`"),
            (false, false) => Some("`date` and `summary`"),
        };
        if let Some(missing) = missing {
            issues.push(FieldIssue {
                key: "evidence".to_string(),
                key_span: item.span,
                span: item.span,
                kind: IssueKind::IncompleteEntry { missing },
            });
        }
        for entry in entries {
            let span = entry.value.span;
            let found = entry.value.value.type_name();
            let key = canonical_key(&entry.key);
            if matches!(key.as_ref(), "date" | "summary") && is_blank(&entry.value.value) {
                continue;
            }
            match key.as_ref() {
                "date" => match date(entry.value) {
                    Ok(d) => evidence.date = Some(field(d, entry.key_span, span)),
                    Err(Mismatch(e)) => issues.push(wrong(&entry.key, span, found, e)),
                },
                "summary" | "link" | "criterion" => match scalar(entry.value) {
                    Ok(text) => {
                        let text = Some(Text { text, span });
                        match key.as_ref() {
                            "summary" => evidence.summary = text,
                            "link" => evidence.link = text,
                            _ => evidence.criterion = text,
                        }
                    }
                    Err(Mismatch(e)) => issues.push(wrong(&entry.key, span, found, e)),
                },
                _ => issues.push(FieldIssue {
                    kind: IssueKind::UnknownField {
                        suggestion: suggest(&key, &["date", "summary", "link", "criterion"]),
                    },
                    key: entry.key.into_owned(),
                    key_span: entry.key_span,
                    span,
                }),
            }
        }
        out.push(evidence);
    }
    Ok(out)
}

/// Whether a value says nothing: null, or text of only white space.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        // Most values start with a letter: no need to trim them to know.
        Value::Str(text) => match text.as_bytes().first() {
            Some(&b) if b.is_ascii() && !(b as char).is_whitespace() => false,
            _ => text.trim().is_empty(),
        },
        _ => false,
    }
}

/// The uncertainty budget; a bad score or an unknown dimension is an issue at that entry
/// (with the value it found), and the other dimensions still count.
pub(super) fn uncertainty(
    node: Node<'_>,
    issues: &mut Vec<FieldIssue>,
) -> Result<Uncertainty, Mismatch> {
    const DIMENSIONS: &[&str] = &["market", "technical", "organizational"];
    let Value::Map(entries) = node.value else {
        return Err(Mismatch(
            "a mapping of `market`, `technical`, `organizational`, each 0–5",
        ));
    };
    let mut out = Uncertainty::default();
    for entry in entries {
        let key = canonical_key(&entry.key);
        let slot = match key.as_ref() {
            "market" => &mut out.market,
            "technical" => &mut out.technical,
            "organizational" | "organisational" => &mut out.organizational,
            _ => {
                issues.push(FieldIssue {
                    key: format!("uncertainty.{}", entry.key),
                    key_span: entry.key_span,
                    span: entry.value.span,
                    kind: IssueKind::UnknownField {
                        suggestion: suggest(&key, DIMENSIONS),
                    },
                });
                continue;
            }
        };
        match entry.value.value {
            Value::Int(n) if (0..=5).contains(&n) => *slot = Some(n),
            ref other => issues.push(FieldIssue {
                key: format!("uncertainty.{}", entry.key),
                key_span: entry.key_span,
                span: entry.value.span,
                kind: IssueKind::WrongType {
                    expected: "a score from 0 to 5",
                    found: other
                        .scalar_text()
                        .map_or_else(|| other.type_name().to_string(), |t| format!("`{t}`")),
                },
            }),
        }
    }
    Ok(out)
}

/// The DL004 issue for an unknown key, with a suggestion from the profile's fields.
fn unknown_key(key: String, key_span: Span, span: Span, config: &Config) -> FieldIssue {
    let canonical = canonical_key(&key);
    let lower = canonical.to_lowercase();
    let known: Vec<&str> = field_names(config.profile).collect();
    let suggestion = if lower != canonical && known.contains(&lower.as_str()) {
        Some(lower)
    } else {
        suggest(&canonical, &known)
    };
    FieldIssue {
        key,
        key_span,
        span,
        kind: IssueKind::UnknownField { suggestion },
    }
}

fn field<T>(value: T, key_span: Span, span: Span) -> Field<T> {
    Field {
        value,
        key_span,
        span,
        from_body: false,
    }
}

fn wrong(key: &str, span: Span, found: &str, expected: &'static str) -> FieldIssue {
    FieldIssue {
        key: key.to_string(),
        key_span: span,
        span,
        kind: IssueKind::WrongType {
            expected,
            found: found.to_string(),
        },
    }
}

/// A scalar's text, moved out of the tree.
fn into_text(value: Value<'_>) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.into_owned()),
        other => other.scalar_text(),
    }
}

/// Any scalar as text: ids and statuses may be written as numbers.
/// A number keeps its text as written (`0x1F`, `1.50`; see [`Node::written`]).
pub(super) fn scalar(node: Node<'_>) -> Result<String, Mismatch> {
    match node.value {
        Value::Seq(_) | Value::Map(_) | Value::Null => Err(Mismatch("a single value")),
        other => node
            .written
            .or_else(|| into_text(other))
            .ok_or(Mismatch("a single value")),
    }
}

pub(super) fn string(node: Node<'_>) -> Result<String, Mismatch> {
    match node.value {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => scalar(node),
        _ => Err(Mismatch("a string")),
    }
}

pub(super) fn one_of(
    node: Node<'_>,
    allowed: &[&str],
    expected: &'static str,
) -> Result<String, Mismatch> {
    let text = string(node).map_err(|_| Mismatch(expected))?;
    if allowed.contains(&text.as_str()) {
        Ok(text)
    } else {
        Err(Mismatch(expected))
    }
}

pub(super) fn date(node: Node<'_>) -> Result<DateValue, Mismatch> {
    match node.value {
        Value::Str(s) => Ok(DateValue::from_raw(s.into_owned())),
        _ => Err(Mismatch("a date (YYYY-MM-DD)")),
    }
}

/// A list, or `[]` for a key given with no value (`reversal:`).
fn seq_or_empty(node: Node<'_>) -> Option<Vec<Node<'_>>> {
    match node.value {
        Value::Seq(items) => Some(items),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// A list of strings; a single string is accepted as a one-element list.
pub(super) fn list(node: Node<'_>) -> Result<Vec<Text>, Mismatch> {
    let span = node.span;
    if let Value::Str(text) = node.value {
        return Ok(vec![Text {
            text: text.into_owned(),
            span,
        }]);
    }
    let items = seq_or_empty(node).ok_or(Mismatch("a list of strings"))?;
    // A loop rather than `collect`: collecting in place would reuse the nodes' larger
    // buffer and shrink it with a `realloc`, which cost more than typing the items.
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        let span = item.span;
        let text = scalar(item).map_err(|_| {
            Mismatch(
                "a list of strings, each a single value (an item here is empty, a list or a mapping)",
            )
        })?;
        texts.push(Text { text, span });
    }
    Ok(texts)
}

/// Ids: one id or a list of them.
pub(super) fn ids(node: Node<'_>) -> Result<Vec<Text>, Mismatch> {
    let span = node.span;
    match node.value {
        Value::Int(_) | Value::Float(_) => Ok(vec![Text {
            text: scalar(node)?,
            span,
        }]),
        _ => list(node).map_err(|_| Mismatch("an id or a list of ids")),
    }
}

/// The decider: one name, or several when written as a list or a joined string.
pub(super) fn names(node: Node<'_>, roster: Option<&Roster>) -> Result<Names, Mismatch> {
    match &node.value {
        Value::Str(s) => Ok(Names {
            names: split_names(s, node.span, roster),
            was_list: false,
        }),
        Value::Null => Ok(Names {
            names: Vec::new(),
            was_list: false,
        }),
        Value::Seq(_) => Ok(Names {
            names: list(node).map_err(|_| Mismatch("a name, or a list of names"))?,
            was_list: true,
        }),
        _ => Err(Mismatch("a name")),
    }
}

/// Names joined in one string (`ana, bo`, `ana and bo`, `ana & bo`), each with the
/// string's span. This is the one place that decides how a string splits into people:
/// - a name the roster knows is one person whatever its punctuation (`Lima, Ana`), also
///   when it is joined with others (`Lima, Ana and bo` is two people);
/// - a team handle (`@org/platform`) is one name; [`is_team_handle`] tells it apart;
/// - without a roster, `,`, `;`, `&`, `/` and ` and ` separate people.
pub fn split_names(text: &str, span: Span, roster: Option<&Roster>) -> Vec<Text> {
    let pieces = name_pieces(text);
    // Whether the roster knows `candidate` as one person (by any of its names).
    let known = |candidate: &str| roster.is_some_and(|r| r.knows(candidate));
    let mut names = Vec::new();
    let mut i = 0;
    while let Some(&(start, end)) = pieces.get(i) {
        // The longest run of pieces, from this one, that the roster knows as one name.
        let joined = (i + 1..pieces.len())
            .rev()
            .filter_map(|j| {
                let (_, last_end) = *pieces.get(j)?;
                let candidate = text.get(start..last_end)?.trim();
                known(candidate).then_some((j, last_end))
            })
            .next();
        let (next, end) = joined.map_or((i + 1, end), |(j, last_end)| (j + 1, last_end));
        let name = text.get(start..end).unwrap_or_default().trim();
        if !name.is_empty() {
            names.push(Text {
                text: name.to_string(),
                span,
            });
        }
        i = next;
    }
    names
}

/// The byte ranges of the pieces of `text` between name separators (`,`, `;`, `&`, `/`,
/// ` and `). A `/` inside a team handle (`@org/platform`) separates nothing.
fn name_pieces(text: &str) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(i) {
        let separator_len = match b {
            b',' | b';' | b'&' => 1,
            b'/' if !in_team_handle(text, start, i) => 1,
            b' ' if text.get(i..).is_some_and(|rest| rest.starts_with(" and ")) => 5,
            _ => 0,
        };
        if separator_len > 0 {
            pieces.push((start, i));
            i += separator_len;
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push((start, text.len()));
    pieces
}

/// Whether the `/` at byte `slash` joins the handle that starts the piece at `start` to a
/// team name (`@org/platform`), rather than separating two people (`ana/bo`, `@ana/@bo`).
fn in_team_handle(text: &str, start: usize, slash: usize) -> bool {
    let org = text.get(start..slash).unwrap_or_default().trim_start();
    let team = text.get(slash + 1..).unwrap_or_default();
    org.len() > 1
        && org.starts_with('@')
        && !org.contains(char::is_whitespace)
        && team
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether a name is a team handle (`@org/team`, as GitHub and CODEOWNERS write them): a
/// group, not the one named person a decision needs.
pub fn is_team_handle(name: &str) -> bool {
    let name = name.trim();
    name.starts_with('@') && !name.contains(char::is_whitespace) && {
        let handle = name.get(1..).unwrap_or_default();
        handle
            .split_once('/')
            .is_some_and(|(org, _)| !org.is_empty())
    }
}

pub(super) fn options(node: Node<'_>) -> Result<Vec<OptionItem>, Mismatch> {
    const EXPECTED: &str = "a list of options (names, or mappings with `name`)";
    let items = seq_or_empty(node).ok_or(Mismatch(EXPECTED))?;
    // A loop rather than `collect`, as in [`list`].
    let mut options = Vec::with_capacity(items.len());
    for item in items {
        let span = item.span;
        let name = match item.value {
            Value::Map(entries) => entries
                .into_iter()
                .find(|e| e.key == "name")
                .and_then(|e| into_text(e.value.value))
                .ok_or(Mismatch(EXPECTED))?,
            _ => scalar(item).map_err(|_| Mismatch(EXPECTED))?,
        };
        options.push(OptionItem { name, span });
    }
    Ok(options)
}

pub(super) fn priority(node: Node<'_>) -> Result<Priority, Mismatch> {
    const EXPECTED: &str = "`P0`…`P4` or an integer";
    match node.value {
        Value::Int(i) => Ok(Priority {
            raw: i.to_string(),
            rank: Some(i),
        }),
        Value::Str(raw) => {
            let trimmed = raw.trim();
            let rank = trimmed
                .strip_prefix(['P', 'p'])
                .unwrap_or(trimmed)
                .parse::<i64>()
                .ok();
            rank.map(|rank| Priority {
                raw: raw.into_owned(),
                rank: Some(rank),
            })
            .ok_or(Mismatch(EXPECTED))
        }
        _ => Err(Mismatch(EXPECTED)),
    }
}

pub(super) fn dissent(node: Node<'_>) -> Result<Vec<Dissent>, Mismatch> {
    const EXPECTED: &str = "a list of mappings with `who` and `note`";
    let items = seq_or_empty(node).ok_or(Mismatch(EXPECTED))?;
    items
        .into_iter()
        .map(|item| {
            let Value::Map(mut entries) = item.value else {
                return Err(Mismatch(EXPECTED));
            };
            // The first entry of that name, its text moved out of the tree.
            let mut take = |name: &str| {
                let entry = entries.iter_mut().find(|e| e.key == name)?;
                let span = entry.value.span;
                into_text(std::mem::replace(&mut entry.value.value, Value::Null))
                    .map(|text| Text { text, span })
            };
            Ok(Dissent {
                span: item.span,
                who: take("who"),
                note: take("note"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile;
    use crate::record::Record;

    fn record(yaml: &str) -> Record {
        Record::parse(
            "decisions/0001-x.md".into(),
            format!("---\n{yaml}---\n# T\n"),
            &Config::default(),
        )
    }

    #[test]
    fn types_known_fields() {
        let r = record(
            "title: X\nstatus: accepted\ndate: 2024-05-01\ndecider: ana\noptions: [a, {name: b, pros: [fast]}]\npriority: P1\n",
        );
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(
            r.fields.date.as_ref().and_then(|d| d.value.date),
            NaiveDate::from_ymd_opt(2024, 5, 1)
        );
        assert_eq!(r.fields.options.as_ref().map(|o| o.value.len()), Some(2));
        assert_eq!(
            r.fields.priority.as_ref().and_then(|p| p.value.rank),
            Some(1)
        );
        assert_eq!(
            r.fields.decider.as_ref().map(|d| d.value.names.len()),
            Some(1)
        );
    }

    #[test]
    fn dashes_and_underscores_are_one_key() {
        let r = record("review-by: 2025-01-01\n");
        assert!(r.fields.review_by.is_some());
        let r = record("review-by: 2025-01-01\nreview_by: 2025-01-02\n");
        assert!(matches!(r.issues[0].kind, IssueKind::DuplicateField { .. }));
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let r = record("titel: X\nTitle: Y\n");
        let suggestions: Vec<_> = r
            .issues
            .iter()
            .map(|i| match &i.kind {
                IssueKind::UnknownField { suggestion } => suggestion.clone(),
                _ => None,
            })
            .collect();
        assert_eq!(
            suggestions,
            [Some("title".to_string()), Some("title".to_string())]
        );
    }

    #[test]
    fn wrong_types_are_issues_not_failures() {
        let r = record("title: [a]\noptions: 3\nstatus: accepted\n");
        assert_eq!(r.issues.len(), 2);
        assert!(r.fields.status.is_some());
    }

    #[test]
    fn joined_deciders_are_split() {
        let r = record("decider: ana and bo\n");
        assert_eq!(
            r.fields.decider.as_ref().map(|d| d.value.names.len()),
            Some(2)
        );
    }

    fn madr(text: &str) -> Record {
        Record::parse(
            "docs/adr/0002-x.md".into(),
            text.into(),
            &Config::for_profile(Profile::Madr),
        )
    }

    #[test]
    fn madr2_bullets_fill_status_deciders_and_date() {
        let r = madr(
            "# Use X\n\n* Status: superseded by [ADR-0005](0005-use-y.md)\n* **Deciders**: Ana Lima, Bo Chen\n* Date: 2019-03-04\n\n## Considered Options\n\n* X\n* Y\n",
        );
        // The compound status is split by the one status reader: the word as written,
        // and the link resolved to the id its file name gives.
        let status = r.fields.status.as_ref().expect("status");
        assert_eq!(status.value, "superseded");
        assert!(status.from_body);
        let successors: Vec<_> = r
            .fields
            .superseded_by
            .as_ref()
            .map(|s| s.value.iter().map(|t| t.text.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(successors, ["0005"]);
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        let names: Vec<_> = r
            .fields
            .decider
            .as_ref()
            .map(|d| d.value.names.iter().map(|n| n.text.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, ["Ana Lima", "Bo Chen"]);
        assert_eq!(
            r.fields.date.as_ref().and_then(|d| d.value.date),
            NaiveDate::from_ymd_opt(2019, 3, 4)
        );
        assert_eq!(r.fields.options.as_ref().map(|o| o.value.len()), Some(2));
        assert_eq!(r.title(), Some("Use X"));
    }

    #[test]
    fn madr2_compound_status_bullets_split_like_nygard() {
        let r = madr("# Use X\n\n- Status: accepted; supersedes ADR-0045\n- Date: 2019-03-04\n");
        assert_eq!(r.status(), Some("accepted"));
        let predecessors: Vec<_> = r
            .fields
            .supersedes
            .as_ref()
            .map(|s| s.value.iter().map(|t| t.text.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(predecessors, ["0045"]);
        assert!(r.fields.superseded_by.is_none());
        // A bold key, and a link to a log4brains record: the id is the file's stem.
        let r = madr("# Use X\n\n* **Status:** Superseded by [Use Y](20201016-use-y.md)\n");
        assert_eq!(r.status(), Some("Superseded"));
        let successors: Vec<_> = r
            .fields
            .superseded_by
            .as_ref()
            .map(|s| s.value.iter().map(|t| t.text.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(successors, ["20201016-use-y"]);
        // A link never closed is one issue located at the bullet (line 3).
        let text = "# Use X\n\n- Status: Superseded by [ADR-0020](./0020-x.md\n";
        let r = madr(text);
        assert_eq!(r.status(), Some("Superseded"));
        assert!(r.fields.superseded_by.is_none());
        assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
        assert_eq!(
            r.issues[0].span.start,
            text.find("- Status").expect("bullet")
        );
    }

    #[test]
    fn madr_minimal_status_line_or_section() {
        let r = madr(
            "# Use X\n\nStatus: accepted\nDate: 2024-01-02\n\n## Context\n\nStatus: rejected\n",
        );
        assert_eq!(r.status(), Some("accepted"));
        assert!(r.fields.date.is_some());
        let r = madr(
            "# Use X\n\n## Status\n\nAccepted.\n\nSupersedes ADR-0001.\n\n## Context\n\ntext\n",
        );
        assert_eq!(r.status(), Some("Accepted"));
        let r = madr("# Use X\n\n## Context\n\nNo status anywhere.\n");
        assert_eq!(r.status(), None);
    }

    #[test]
    fn madr_front_matter_wins_over_the_body() {
        let r = madr(
            "---\nstatus: proposed\ndecision-makers: [Ana, Bo]\nconsulted: [Cy]\n---\n# Use X\n\nStatus: accepted\n",
        );
        assert!(r.issues.is_empty(), "{:?}", r.issues);
        assert_eq!(r.status(), Some("proposed"));
        assert_eq!(
            r.fields.decider.as_ref().map(|d| d.value.names.len()),
            Some(2)
        );
        assert_eq!(r.fields.consulted.as_ref().map(|c| c.value.len()), Some(1));
    }

    #[test]
    fn body_metadata_is_ignored_under_the_declint_profile() {
        let r = Record::parse(
            "decisions/0001-x.md".into(),
            "# Use X\n\n* Status: accepted\n".into(),
            &Config::default(),
        );
        assert_eq!(r.status(), None);
        let r = record("deciders: [a]\n");
        assert!(matches!(r.issues[0].kind, IssueKind::UnknownField { .. }));
    }

    #[test]
    fn a_bad_uncertainty_score_is_reported_at_the_score() {
        let r = record("uncertainty: {market: 9, technical: 2, orgnizational: 1}\n");
        let found: Vec<_> = r.issues.iter().map(|i| (i.key.as_str(), &i.kind)).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(matches!(
            found[0],
            ("uncertainty.market", IssueKind::WrongType { found, .. }) if found == "`9`"
        ));
        assert!(matches!(
            found[1],
            ("uncertainty.orgnizational", IssueKind::UnknownField { suggestion: Some(s) }) if s == "organizational"
        ));
        let sum = r.fields.uncertainty.as_ref().map(|u| u.value.sum());
        assert_eq!(sum, Some(2));
    }

    #[test]
    fn plain_dates_read_as_chrono_reads_them() {
        for text in [
            "2024-05-01",
            "2024-02-29",
            "2023-02-29",
            "2024-02-30",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "0000-01-01",
            "9999-12-31",
            "2024-1a-01",
            "2024/01/01",
        ] {
            let general = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(
                plain_date(text).or(general),
                general,
                "plain and general readings differ on {text}"
            );
            assert_eq!(DateValue::parse(text).date, general, "{text}");
        }
    }

    #[test]
    fn rfc3339_dates_reduce_to_utc() {
        let d = DateValue::parse("2024-05-01T23:30:00-02:00");
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2024, 5, 2));
        assert_eq!(DateValue::parse("2024-02-30").date, None);
        assert_eq!(DateValue::parse("2024-5-1").date, None);
    }
}
