//! The fast path for ordinary front-matter: build the tree straight from the parser's
//! events (serde-saphyr's own `granit_parser`), skipping the serde layer and its
//! per-value `Spanned` protocol, which together cost more than the parse itself.
//!
//! It handles only what it can type exactly as serde-saphyr would: mappings and sequences
//! without tags or anchors, quoted and block scalars, and plain scalars that are plainly
//! strings, decimal integers or empty. Anything else (a parse error, an alias, a tag, a
//! merge key, a duplicate key, `yes`/`no`, floats, deep nesting, ...) returns `None`, and
//! the caller parses the document again the full way, so errors, budgets and every rare
//! YAML spelling keep a single source of truth. `tests::fast_path_matches_serde_saphyr`
//! checks both paths agree.

use super::{Entry, Node, Placement, Value};
use crate::finding::Span;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, ScanError, Span as EventSpan};
use std::borrow::Cow;

/// Deeper than this, leave the document to the full parser (and its depth budget).
const MAX_DEPTH: usize = 24;
/// More events than this, leave it to the full parser (and its event budget).
const MAX_EVENTS: usize = 50_000;
/// More keys in one mapping than this, leave it to the full parser (linear in keys).
const MAX_MAPPING_KEYS: usize = 256;

/// The tree of `yaml`, or `None` when the full parser must decide.
pub(super) fn parse(placement: &Placement<'_>, yaml: &str) -> Option<Node> {
    let mut builder = Builder {
        events: Parser::new_from_str(yaml),
        placement,
        seen: 0,
    };
    if !matches!(builder.next()?.0, Event::StreamStart) {
        return None;
    }
    if !matches!(builder.next()?.0, Event::DocumentStart(_, None)) {
        return None;
    }
    let (event, span) = builder.next()?;
    let root = builder.node(event, &span, 0)?;
    if !matches!(builder.next()?.0, Event::DocumentEnd) {
        return None;
    }
    if !matches!(builder.next()?.0, Event::StreamEnd) {
        return None;
    }
    Some(root)
}

struct Builder<'p, I> {
    events: I,
    placement: &'p Placement<'p>,
    seen: usize,
}

impl<'a, I> Builder<'_, I>
where
    I: Iterator<Item = Result<(Event<'a>, EventSpan), ScanError>>,
{
    fn next(&mut self) -> Option<(Event<'a>, EventSpan)> {
        self.seen += 1;
        if self.seen > MAX_EVENTS {
            return None;
        }
        self.events.next()?.ok()
    }

    /// The span of an event in the whole file, as the full path computes it.
    fn span(&self, span: &EventSpan) -> Option<Span> {
        let start = span.start.byte_offset()?;
        let end = span.end.byte_offset()?;
        if start > self.placement.yaml_len {
            return None;
        }
        let len = end.saturating_sub(start);
        let start = self.placement.offset + start;
        Some(
            self.placement
                .source
                .clamp(Span::new(start, start.saturating_add(len))),
        )
    }

    fn node(&mut self, event: Event<'a>, span: &EventSpan, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let value = match event {
            Event::Scalar(text, style, 0, None) => scalar(text, style)?,
            Event::SequenceStart(_, 0, None) => {
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if matches!(event, Event::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(event, &span, depth + 1)?);
                }
                Value::Seq(items)
            }
            Event::MappingStart(_, 0, None) => {
                let mut entries: Vec<Entry> = Vec::new();
                loop {
                    let (event, key_span) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => break,
                        Event::Scalar(text, style, 0, None) => match scalar(text, style)? {
                            Value::Str(key) if !key.is_empty() && key != "<<" => key,
                            _ => return None,
                        },
                        _ => return None,
                    };
                    // The duplicate check is a linear scan, cheap for a record's handful of
                    // keys; a mapping with more keys than any real record goes to the full
                    // parser, so a hostile file cannot make the scan quadratic.
                    if entries.len() >= MAX_MAPPING_KEYS || entries.iter().any(|e| e.key == key) {
                        return None;
                    }
                    let key_span = self.span(&key_span)?;
                    let (event, span) = self.next()?;
                    let value = self.node(event, &span, depth + 1)?;
                    entries.push(Entry {
                        key,
                        key_span,
                        value,
                    });
                }
                Value::Map(entries)
            }
            _ => return None,
        };
        Some(Node {
            value,
            span: self.span(span)?,
        })
    }
}

/// Type an untagged scalar the way serde-saphyr's `deserialize_any` does, for the spellings
/// where that is certain; `None` for the rest.
fn scalar(text: Cow<'_, str>, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(text.into_owned()));
    }
    // The parser reports an empty value as `~`; both, and `null`, are null untagged.
    if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if bytes.iter().all(u8::is_ascii_digit) {
        // Leading zeros, and numbers near the integer limits, are the full parser's call.
        return if (bytes.len() == 1 || first != b'0') && bytes.len() <= 18 {
            text.parse().ok().map(Value::Int)
        } else {
            None
        };
    }
    if first.is_ascii_alphabetic() {
        // Booleans in YAML 1.1 and 1.2 spellings, null, and what a float parser reads as a
        // number: all left to the full parser.
        const SPECIAL: &[&str] = &[
            "y", "n", "yes", "no", "on", "off", "true", "false", "inf", "infinity", "nan",
        ];
        if bytes.len() <= 8 && SPECIAL.iter().any(|s| text.eq_ignore_ascii_case(s)) {
            return None;
        }
        return Some(Value::Str(text.into_owned()));
    }
    // A date, a date-time, or text with a space in it: no number spelling has either.
    if is_date(bytes) || bytes.iter().any(u8::is_ascii_whitespace) {
        return Some(Value::Str(text.into_owned()));
    }
    None
}

/// `YYYY-MM-DD`, alone or followed by a time.
fn is_date(bytes: &[u8]) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    digits(0..4)
        && bytes.get(4) == Some(&b'-')
        && digits(5..7)
        && bytes.get(7) == Some(&b'-')
        && digits(8..10)
        && matches!(bytes.get(10), None | Some(b'T' | b't' | b' '))
}

#[cfg(test)]
mod tests {
    use super::super::{RawNode, options};
    use super::*;
    use crate::source::SourceText;

    /// Both paths over `yaml`: the fast one (if it takes the document) and the full one.
    fn both(yaml: &str) -> (Option<Node>, Option<Node>) {
        let text = format!("---\n{yaml}---\n");
        let source = SourceText::new(text.clone());
        let placement = Placement {
            source: &source,
            offset: 4,
            first_line: 2,
            yaml_len: yaml.len(),
        };
        let fast = parse(&placement, yaml);
        let full = serde_saphyr::from_str_with_options::<RawNode>(yaml, options())
            .ok()
            .map(|raw| placement.node(raw));
        (fast, full)
    }

    const TAKEN: &[&str] = &[
        "title: Use Postgres\nstatus: accepted\ndate: 2026-03-02\ndecider: ana\n",
        "id: \"0042\"\noptions:\n  - Postgres\n  - name: SQLite\n    pros: [small, embedded]\n    cons: []\n",
        "uncertainty: {market: 3, technical: 0, organizational: 5}\npriority: 2\n",
        "evidence:\n  - date: 2026-02-20\n    summary: 4k writes/s held p99 under 20 ms\n    link: https://wiki.example.com/x?a=1\n",
        "reversal:\n  - |\n    if load\n    doubles\n  - >\n    folded\n    text\n  - 'single'\n",
        "dissent: []\nagree: [bo, 'cy']\ndue: 2026-03-02T10:00:00Z\n",
        "# a comment\ntitle: x # trailing\nempty:\nquoted_empty: \"\"\ntilde: ~\nnothing: null\n",
        "title: \u{e9}t\u{e9} \u{2014} caf\u{e9}\nnote: \"line\\nbreak \\u00e9\"\n",
        "affects: [\"src/**\", docs/*.md]\ntags:\n- a\n- b\n",
        "a:\n  b:\n    c:\n      d: [1, [2, [3]]]\n",
    ];

    const LEFT_TO_FULL_PARSER: &[&str] = &[
        "a: yes\n",
        "a: off\n",
        "a: true\n",
        "a: 1.5\n",
        "a: 0007\n",
        "a: 0x1F\n",
        "a: 1_000\n",
        "a: -3\n",
        "a: .inf\n",
        "a: NaN\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "<<: {a: 1}\n",
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "a: 'unterminated\n",
        "a: 99999999999999999999\n",
        "- 1\n- 2\n",
    ];

    #[test]
    fn fast_path_matches_serde_saphyr() {
        for yaml in TAKEN {
            let (fast, full) = both(yaml);
            assert!(fast.is_some(), "fast path declined:\n{yaml}");
            assert_eq!(fast, full, "paths disagree on:\n{yaml}");
        }
    }

    #[test]
    fn rare_spellings_go_to_the_full_parser_or_agree() {
        for yaml in LEFT_TO_FULL_PARSER {
            let (fast, full) = both(yaml);
            if fast.is_some() {
                assert_eq!(fast, full, "paths disagree on:\n{yaml}");
            }
        }
        for yaml in ["a: yes\n", "a: 1.5\n", "a: &x 1\nb: *x\n", "a: 1\na: 2\n"] {
            assert!(both(yaml).0.is_none(), "fast path took:\n{yaml}");
        }
    }

    #[test]
    fn scalars_are_typed_conservatively() {
        let typed = |s: &str| scalar(Cow::Borrowed(s), ScalarStyle::Plain);
        assert_eq!(typed("12"), Some(Value::Int(12)));
        assert_eq!(typed(""), Some(Value::Null));
        assert_eq!(typed("P1"), Some(Value::Str("P1".into())));
        assert_eq!(typed("2026-03-02"), Some(Value::Str("2026-03-02".into())));
        assert_eq!(typed("012"), None);
        assert_eq!(typed("True"), None);
        assert_eq!(typed("1e5"), None);
        assert_eq!(
            scalar(Cow::Borrowed("yes"), ScalarStyle::DoubleQuoted),
            Some(Value::Str("yes".into()))
        );
    }

    /// Differential check over a folder of real records: every front-matter the fast path
    /// takes must come out exactly as the full parser has it. Run by hand on a corpus:
    /// `DECLINT_YAML_DIFF_DIR=bench/corpus/n10000-findings/decisions cargo test --lib
    /// agrees_on_a_corpus -- --ignored --nocapture`.
    #[test]
    #[ignore = "needs a corpus: set DECLINT_YAML_DIFF_DIR"]
    fn agrees_on_a_corpus() {
        use crate::record::frontmatter::{Split, split};
        let dir = std::env::var("DECLINT_YAML_DIFF_DIR").unwrap_or_else(|_| "decisions".into());
        let (mut taken, mut total) = (0, 0);
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let Split::Present { yaml, .. } = split(&text) else {
                continue;
            };
            let yaml_text = &text[yaml.start..yaml.end];
            let source = SourceText::new(text.clone());
            let placement = Placement {
                source: &source,
                offset: yaml.start,
                first_line: 2,
                yaml_len: yaml_text.len(),
            };
            total += 1;
            if let Some(fast) = parse(&placement, yaml_text) {
                taken += 1;
                let full = serde_saphyr::from_str_with_options::<RawNode>(yaml_text, options())
                    .ok()
                    .map(|raw| placement.node(raw));
                assert_eq!(
                    Some(fast),
                    full,
                    "paths disagree on {}",
                    entry.path().display()
                );
            }
        }
        eprintln!("fast path took {taken} of {total} front-matters in {dir}");
        assert!(total > 0, "no records in {dir}");
    }

    #[test]
    fn mappings_with_more_keys_than_any_record_take_the_full_path() {
        let small: String = (0..MAX_MAPPING_KEYS)
            .map(|i| format!("k{i}: 1\n"))
            .collect();
        let (fast, full) = both(&small);
        assert!(fast.is_some() && fast == full);
        let large: String = (0..=MAX_MAPPING_KEYS)
            .map(|i| format!("k{i}: 1\n"))
            .collect();
        let (fast, full) = both(&large);
        assert!(fast.is_none() && full.is_some());
    }
}
