//! The fast path for ordinary front-matter: a hand-written scanner for the small YAML
//! subset that decision records are written in, building the tree in one pass over the
//! bytes. The general parser spends most of its time on machinery records never use
//! (simple-key bookkeeping, token queues, flow-context tracking, an event per node).
//!
//! The subset: a block mapping at the top level; nested block mappings and sequences by
//! indentation (including `- key: value` items and sequences at their key's indentation);
//! one-line flow sequences and mappings of scalars; one-line plain, single- and
//! double-quoted scalars; literal and folded block scalars whose lines are not indented
//! past the first; comments and empty values. Plain scalars are typed only where that is
//! certain (see [`plain`]). Anything else (tabs, CR, anchors, aliases, tags, `?` keys,
//! merge keys, duplicate keys, multi-line plain or quoted scalars, nested flow, document
//! markers, directives, `yes`/`no`, floats, deep nesting, ...) returns `None`, and the
//! caller parses the document again the full way, so errors, budgets and every rare YAML
//! spelling keep a single source of truth. A wrong `Some` is a bug, a `None` only costs
//! time: when in doubt the scanner declines.
//!
//! Spans follow what serde-saphyr reports, so both paths give the same tree: a scalar
//! covers its text (quotes included), a block mapping or sequence is an empty span where
//! its first key or dash starts (an indentless sequence: where its first item starts), a
//! flow collection is its opening bracket, an empty value is an empty span at its key's
//! colon (in a sequence: at the end of the dash's line), and a block scalar runs from its
//! first content character to the indentation of the line that ends it. The tests in
//! `fast/tests.rs` check both paths agree, on fixed cases and generated documents.

#[cfg(test)]
mod tests;

use super::{Entry, Node, Placement, SeenKeys, Value};
use crate::finding::Span;
use std::borrow::Cow;

/// Deeper than this, leave the document to the full parser (and its depth budget).
const MAX_DEPTH: usize = 24;
/// More nodes than this, leave it to the full parser (and its node and event budgets).
const MAX_NODES: usize = 50_000;
/// Longer than this, leave it to the full parser (and its scalar-bytes budget).
const MAX_YAML_BYTES: usize = 1 << 20;
/// More keys in one mapping than this, leave it to the full parser (linear in keys).
const MAX_MAPPING_KEYS: usize = 256;
/// YAML limits implicit keys to 1024 characters; real keys are far shorter.
const MAX_KEY_BYTES: usize = 256;

/// The tree of `yaml`, or `None` when the full parser must decide.
pub(super) fn parse<'y>(placement: &Placement<'_>, yaml: &'y str) -> Option<Node<'y>> {
    if yaml.len() > MAX_YAML_BYTES || !plain_text(yaml.as_bytes()) {
        return None;
    }
    let mut scanner = Scanner {
        bytes: yaml.as_bytes(),
        text: yaml,
        placement,
        nodes: 0,
        line: None,
        marker: false,
    };
    scanner.advance(0);
    let first = scanner.line?;
    if first.is_dash(scanner.bytes) {
        return None;
    }
    let root = scanner.block_mapping(first.indent, first.content(), 0)?;
    // Anything left (a line less indented than the root's keys) is the full parser's call,
    // and so is a document with a line that starts like a document marker.
    match scanner.line {
        None if !scanner.marker => Some(root),
        _ => None,
    }
}

/// Whether the text has none of the characters whose YAML meaning the scanner does not
/// model: tabs, CR, other control characters, the Unicode line and paragraph separators
/// and NEL (line breaks in YAML 1.1), byte-order marks and non-characters. (A line that
/// starts like a document marker is found as the scanner reads lines: [`Scanner::line_at`].)
fn plain_text(bytes: &[u8]) -> bool {
    // Most front-matter is printable ASCII throughout: one pass without an early exit
    // (which the compiler vectorises; `all` would test byte by byte) says so.
    if bytes.iter().fold(true, |ok, &b| {
        ok & (b == b'\n' || (0x20..0x7f).contains(&b))
    }) {
        return true;
    }
    bytes.iter().enumerate().all(|(i, &b)| match b {
        b'\n' | 0x20..=0x7e => true,
        // U+0080..U+009F: C1 controls, NEL among them.
        0xc2 => bytes.get(i + 1).is_some_and(|&n| n >= 0xa0),
        // U+2028, U+2029.
        0xe2 => !(bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9))),
        // U+FEFF, U+FFFE, U+FFFF.
        0xef => !matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
        ),
        0x80..=0xff => true,
        _ => false,
    })
}

/// One line of the YAML text, by byte offsets into it.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// Leading spaces.
    indent: usize,
    /// Where the line break is (or the end of the text).
    end: usize,
}

impl Line {
    fn at(bytes: &[u8], start: usize) -> Line {
        let rest = bytes.get(start..).unwrap_or_default();
        let end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| start + i);
        let indent = rest.iter().take_while(|&&b| b == b' ').count();
        Line { start, indent, end }
    }

    fn content(&self) -> usize {
        self.start + self.indent
    }

    /// Where the next line starts.
    fn next(&self, bytes: &[u8]) -> usize {
        (self.end + 1).min(bytes.len())
    }

    /// Only spaces, or nothing.
    fn is_blank(&self) -> bool {
        self.content() >= self.end
    }

    /// A block sequence entry: `-` followed by a space or the end of the line.
    fn is_dash(&self, bytes: &[u8]) -> bool {
        bytes.get(self.content()) == Some(&b'-')
            && matches!(bytes.get(self.content() + 1), None | Some(b' ' | b'\n'))
    }
}

struct Scanner<'y, 'p> {
    bytes: &'y [u8],
    text: &'y str,
    placement: &'p Placement<'p>,
    nodes: usize,
    /// The next line with content (not blank, not a comment), `None` at the end.
    line: Option<Line>,
    /// Whether a line read so far starts like a document marker (`---`, `...`): the
    /// document is then the full parser's. Every line is read through [`Scanner::line_at`].
    marker: bool,
}

impl<'y> Scanner<'y, '_> {
    /// Move to the first line with content at or after `pos`, skipping blank lines and
    /// comment lines.
    fn advance(&mut self, mut pos: usize) {
        while pos < self.bytes.len() {
            let line = self.line_at(pos);
            if !line.is_blank() && self.bytes.get(line.content()) != Some(&b'#') {
                self.line = Some(line);
                return;
            }
            pos = line.next(self.bytes);
        }
        self.line = None;
    }

    /// The line that starts at `start`, noting whether it starts like a document marker.
    fn line_at(&mut self, start: usize) -> Line {
        let line = Line::at(self.bytes, start);
        if line.indent == 0 {
            let rest = self.bytes.get(start..).unwrap_or_default();
            self.marker |= rest.starts_with(b"---") || rest.starts_with(b"...");
        }
        line
    }

    /// The span of `start..end` of the YAML text in the whole file.
    fn span(&self, start: usize, end: usize) -> Span {
        let start = self.placement.offset + start;
        let end = self.placement.offset + end;
        self.placement.source.clamp(Span::new(start, end))
    }

    fn node(&mut self, value: Value<'y>, start: usize, end: usize) -> Option<Node<'y>> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return None;
        }
        Some(Node {
            value,
            span: self.span(start, end),
            written: None,
        })
    }

    fn byte(&self, pos: usize) -> Option<u8> {
        self.bytes.get(pos).copied()
    }

    fn skip_spaces(&self, mut pos: usize) -> usize {
        while self.byte(pos) == Some(b' ') {
            pos += 1;
        }
        pos
    }

    fn slice(&self, start: usize, end: usize) -> Option<&'y str> {
        self.text.get(start..end)
    }

    /// The rest of the line from `pos` holds nothing but spaces and perhaps a comment.
    fn rest_is_empty(&self, pos: usize, line: &Line) -> bool {
        let after = self.skip_spaces(pos);
        after >= line.end || (after > pos && self.byte(after) == Some(b'#'))
    }

    /// A block mapping whose keys sit at column `indent`, the first one at `first_key`
    /// (which may follow a `- ` on its line). Ends at the first line indented less.
    fn block_mapping(&mut self, indent: usize, first_key: usize, depth: usize) -> Option<Node<'y>> {
        if depth > MAX_DEPTH {
            return None;
        }
        // A record has a dozen or so top-level keys; nested mappings a few.
        let mut entries: Vec<Entry<'y>> = Vec::with_capacity(if depth == 0 { 16 } else { 4 });
        let mut seen = SeenKeys::default();
        let mut key_pos = first_key;
        loop {
            let line = self.line?;
            let (key, key_end, colon) = self.block_key(key_pos, &line)?;
            // The duplicate check is a linear scan, cheap for a record's handful of keys;
            // a mapping with more keys than any real record goes to the full parser, so a
            // hostile file cannot make the scan quadratic.
            if entries.len() >= MAX_MAPPING_KEYS
                || seen.note(&key) && entries.iter().any(|e| e.key == key)
            {
                return None;
            }
            let key_span = self.span(key_pos, key_end);
            let value = self.mapping_value(indent, colon, &line, depth)?;
            entries.push(Entry {
                key,
                key_span,
                value,
            });
            match self.line {
                Some(next) if next.indent == indent => key_pos = next.content(),
                Some(next) if next.indent > indent => return None,
                _ => break,
            }
        }
        self.node(Value::Map(entries), first_key, first_key)
    }

    /// A key and its `:` at `pos`: the key, where it ends and where the colon is.
    fn block_key(&self, pos: usize, line: &Line) -> Option<(Cow<'y, str>, usize, usize)> {
        let (key, key_end) = match self.byte(pos)? {
            quote @ (b'\'' | b'"') => {
                let (key, end) = self.quoted(quote, pos, line)?;
                (key, end)
            }
            _ => {
                let end = self.plain_key_end(pos, line)?;
                match plain(self.slice(pos, end)?)? {
                    Value::Str(key) => (key, end),
                    _ => return None,
                }
            }
        };
        let colon = key_end;
        let valid = self.byte(colon) == Some(b':')
            && matches!(self.byte(colon + 1), None | Some(b' ' | b'\n'))
            && !key.is_empty()
            && key != "<<"
            && key_end - pos <= MAX_KEY_BYTES;
        valid.then_some((key, key_end, colon))
    }

    /// The value after `key:` (the colon at `colon`) of a mapping at column `indent`:
    /// on the same line, on the lines below, or empty.
    fn mapping_value(
        &mut self,
        indent: usize,
        colon: usize,
        line: &Line,
        depth: usize,
    ) -> Option<Node<'y>> {
        let start = self.skip_spaces(colon + 1);
        if self.rest_is_empty(colon + 1, line) {
            self.advance(line.next(self.bytes));
            return match self.line {
                Some(next) if next.indent > indent => {
                    if next.is_dash(self.bytes) {
                        self.block_sequence(next.indent, false, depth + 1)
                    } else {
                        self.block_mapping(next.indent, next.content(), depth + 1)
                    }
                }
                Some(next) if next.indent == indent && next.is_dash(self.bytes) => {
                    self.block_sequence(next.indent, true, depth + 1)
                }
                _ => self.node(Value::Null, colon, colon),
            };
        }
        self.inline_value(indent, start, line, depth)
    }

    /// A value that starts at `start` on `line`, in a block collection at column `indent`:
    /// a block scalar, a flow collection, a quoted or a plain scalar. Moves past it.
    fn inline_value(
        &mut self,
        indent: usize,
        start: usize,
        line: &Line,
        depth: usize,
    ) -> Option<Node<'y>> {
        let (value, end) = match self.byte(start)? {
            b'|' | b'>' => return self.block_scalar(indent, start, line),
            b'[' => self.flow_sequence(start, line)?,
            b'{' => self.flow_mapping(start, line)?,
            quote @ (b'\'' | b'"') => {
                let (text, end) = self.quoted(quote, start, line)?;
                (Value::Str(text), end)
            }
            _ => {
                let end = self.block_plain_end(start, line)?;
                return self.plain_value(start, end, line, depth);
            }
        };
        self.finish_inline(value, start, end, line, depth)
    }

    /// The plain scalar at `start..end` of `line` (`end` from [`Scanner::block_plain_end`])
    /// as a value; one that ends at a `:` would be a key, which is the full parser's call.
    fn plain_value(
        &mut self,
        start: usize,
        end: usize,
        line: &Line,
        depth: usize,
    ) -> Option<Node<'y>> {
        if end < line.end && self.byte(end) == Some(b':') {
            return None;
        }
        let value = plain(self.slice(start, end)?)?;
        self.finish_inline(value, start, end, line, depth)
    }

    /// The node for an inline value at `start..end` of `line`, which must end there (but
    /// for a comment); moves to the next line.
    fn finish_inline(
        &mut self,
        value: Value<'y>,
        start: usize,
        end: usize,
        line: &Line,
        depth: usize,
    ) -> Option<Node<'y>> {
        if !self.rest_is_empty(end, line) {
            return None;
        }
        let (span_end, depth) = match value {
            Value::Seq(_) | Value::Map(_) => (start + 1, depth + 1),
            _ => (end, depth),
        };
        if depth > MAX_DEPTH {
            return None;
        }
        self.advance(line.next(self.bytes));
        self.node(value, start, span_end)
    }

    /// The end of a one-line plain scalar in block context starting at `pos`, trailing
    /// spaces trimmed: before a comment, before a `:` that makes it a key (the caller
    /// decides), or at the end of the line.
    fn block_plain_end(&self, pos: usize, line: &Line) -> Option<usize> {
        if starts_with_indicator(self.byte(pos)?) {
            return None;
        }
        let rest = self.bytes.get(pos..line.end)?;
        // Only a `:` or a `#` can end the scalar early; look at those alone.
        let mut stop = rest.len();
        for i in memchr::memchr2_iter(b':', b'#', rest) {
            let ends = match rest.get(i) {
                Some(b':') => matches!(rest.get(i + 1), None | Some(b' ')),
                _ => i > 0 && rest.get(i - 1) == Some(&b' '),
            };
            if ends {
                if rest.get(i) == Some(&b':') {
                    return Some(pos + i);
                }
                stop = i;
                break;
            }
        }
        let text = rest.get(..stop)?;
        let trimmed = text.len() - text.iter().rev().take_while(|&&b| b == b' ').count();
        Some(pos + trimmed)
    }

    /// Where the plain key at `pos` ends (at its `:`), in one pass over the key's bytes:
    /// keys are a few bytes long, shorter than `memchr`'s set-up. What
    /// [`Scanner::block_plain_end`] would end at a `:`, less the keys left to the full
    /// parser: with a flow indicator in them, or with spaces before the colon (`key :`).
    /// A comment, or no `: ` on the line, is no key.
    fn plain_key_end(&self, pos: usize, line: &Line) -> Option<usize> {
        if starts_with_indicator(self.byte(pos)?) {
            return None;
        }
        let rest = self.bytes.get(pos..line.end)?;
        for (i, &b) in rest.iter().enumerate() {
            match b {
                b':' if matches!(rest.get(i + 1), None | Some(b' ')) => {
                    return (rest.get(i.wrapping_sub(1)) != Some(&b' ')).then_some(pos + i);
                }
                b'[' | b']' | b'{' | b'}' | b',' => return None,
                b'#' if i > 0 && rest.get(i - 1) == Some(&b' ') => return None,
                _ => {}
            }
        }
        None
    }

    /// A one-line quoted scalar at `pos`: its text and where it ends (after the quote).
    /// The text borrows from the YAML unless an escape (or `''`) makes it differ.
    fn quoted(&self, quote: u8, pos: usize, line: &Line) -> Option<(Cow<'y, str>, usize)> {
        let inner = self.bytes.get(pos + 1..line.end)?;
        // The closing quote or the first escape; without an escape the text is a slice.
        let stop = if quote == b'"' {
            memchr::memchr2(b'"', b'\\', inner)?
        } else {
            memchr::memchr(b'\'', inner)?
        };
        let close = pos + 1 + stop;
        let doubled = quote == b'\'' && self.byte(close + 1) == Some(b'\'');
        if self.byte(close) == Some(quote) && !doubled {
            return Some((Cow::Borrowed(self.slice(pos + 1, close)?), close + 1));
        }
        let mut text = String::new();
        let mut run = pos + 1;
        let mut i = close;
        loop {
            if i >= line.end {
                return None;
            }
            match self.byte(i)? {
                b'\'' if quote == b'\'' => {
                    text.push_str(self.slice(run, i)?);
                    if self.byte(i + 1) == Some(b'\'') {
                        text.push('\'');
                        i += 2;
                        run = i;
                    } else {
                        return Some((Cow::Owned(text), i + 1));
                    }
                }
                b'"' if quote == b'"' => {
                    text.push_str(self.slice(run, i)?);
                    return Some((Cow::Owned(text), i + 1));
                }
                b'\\' if quote == b'"' => {
                    text.push_str(self.slice(run, i)?);
                    i = self.escape(i, line, &mut text)?;
                    run = i;
                }
                _ => i += 1,
            }
        }
    }

    /// The double-quoted escape at `pos` (the backslash) onto `text`; where it ends.
    fn escape(&self, pos: usize, line: &Line, text: &mut String) -> Option<usize> {
        let simple = match self.byte(pos + 1)? {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            letter @ (b'x' | b'u' | b'U') => {
                let digits = match letter {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let end = pos + 2 + digits;
                if end > line.end {
                    return None;
                }
                let hex = self.slice(pos + 2, end)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                text.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                return Some(end);
            }
            _ => return None,
        };
        text.push(simple);
        Some(pos + 2)
    }

    /// A one-line flow sequence of scalars at `pos` (the `[`): the list and its end.
    fn flow_sequence(&mut self, pos: usize, line: &Line) -> Option<(Value<'y>, usize)> {
        // Records' lists hold a few names or tags: one allocation, not three regrowths.
        let mut items = Vec::with_capacity(4);
        let mut i = self.skip_spaces(pos + 1);
        loop {
            if self.byte(i)? == b']' && i < line.end {
                return Some((Value::Seq(items), i + 1));
            }
            let (value, end) = self.flow_scalar(i, line)?;
            items.push(self.node(value, i, end)?);
            i = self.skip_spaces(end);
            match self.byte(i)? {
                b',' => i = self.skip_spaces(i + 1),
                b']' => {}
                _ => return None,
            }
        }
    }

    /// A one-line flow mapping of scalars at `pos` (the `{`): the mapping and its end.
    fn flow_mapping(&mut self, pos: usize, line: &Line) -> Option<(Value<'y>, usize)> {
        let mut entries: Vec<Entry<'y>> = Vec::new();
        let mut i = self.skip_spaces(pos + 1);
        loop {
            if self.byte(i)? == b'}' && i < line.end {
                return Some((Value::Map(entries), i + 1));
            }
            let (key, key_end) = self.flow_scalar(i, line)?;
            let Value::Str(key) = key else {
                return None;
            };
            let colon = key_end;
            if key.is_empty()
                || key == "<<"
                || self.byte(colon) != Some(b':')
                || self.byte(colon + 1) != Some(b' ')
                || entries.len() >= MAX_MAPPING_KEYS
                || entries.iter().any(|e| e.key == key)
            {
                return None;
            }
            let key_span = self.span(i, key_end);
            let start = self.skip_spaces(colon + 1);
            let (value, end) = match self.byte(start)? {
                b',' | b'}' => (self.node(Value::Null, colon, colon)?, start),
                _ => {
                    let (value, end) = self.flow_scalar(start, line)?;
                    (self.node(value, start, end)?, end)
                }
            };
            entries.push(Entry {
                key,
                key_span,
                value,
            });
            i = self.skip_spaces(end);
            match self.byte(i)? {
                b',' => i = self.skip_spaces(i + 1),
                b'}' => {}
                _ => return None,
            }
        }
    }

    /// A quoted or plain scalar inside a one-line flow collection: value and end. A plain
    /// one ends before `,`, `]`, `}` or `: `; one with a bracket, a comment, or a colon
    /// other than inside a word in it is left to the full parser.
    fn flow_scalar(&self, pos: usize, line: &Line) -> Option<(Value<'y>, usize)> {
        let first = self.byte(pos)?;
        if pos >= line.end {
            return None;
        }
        if first == b'\'' || first == b'"' {
            let (text, end) = self.quoted(first, pos, line)?;
            return Some((Value::Str(text), end));
        }
        if starts_with_indicator(first) {
            return None;
        }
        // The line from the scalar on; `k` counts from `pos`. The byte after the line, if
        // any, is its break, so a lookahead past the last byte sees what `byte` would.
        let rest = self.bytes.get(pos..line.end)?;
        let mut end = 0;
        for (k, &b) in rest.iter().enumerate() {
            match b {
                b',' | b']' | b'}' if k == 0 => return None,
                b',' | b']' | b'}' => break,
                b':' if self.byte(pos + k + 1) == Some(b' ') => break,
                // `09:00`, `file://x`: a colon inside a word is part of the scalar.
                b':' if self
                    .byte(pos + k + 1)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'/') => {}
                b':' | b'[' | b'{' => return None,
                b'#' if k > 0 && rest.get(k - 1) == Some(&b' ') => return None,
                b' ' => {}
                _ => end = k + 1,
            }
        }
        let end = pos + end;
        Some((plain(self.slice(pos, end)?)?, end))
    }

    /// A literal (`|`) or folded (`>`) block scalar whose indicator is at `pos`, in a
    /// block collection at column `indent`. Moves to the line that ends it.
    fn block_scalar(&mut self, indent: usize, pos: usize, line: &Line) -> Option<Node<'y>> {
        let folded = self.byte(pos)? == b'>';
        let mut after = pos + 1;
        let chomp = match self.byte(after) {
            Some(c @ (b'-' | b'+')) => {
                after += 1;
                c
            }
            _ => b' ',
        };
        if after < line.end && self.byte(after) != Some(b' ') || !self.rest_is_empty(after, line) {
            return None;
        }
        // The first line below sets the indentation; leading empty lines (whose rules for
        // the indentation are subtle) and empty scalars go to the full parser.
        let first = self.line_at(line.next(self.bytes));
        if first.start >= self.bytes.len() || first.is_blank() || first.indent <= indent {
            return None;
        }
        let content_indent = first.indent;
        let mut text = String::new();
        let mut pending_breaks = 0usize;
        let mut pos = first.start;
        let mut seen_content = false;
        let end = loop {
            if pos >= self.bytes.len() {
                break self.bytes.len();
            }
            let current = self.line_at(pos);
            if current.is_blank() {
                if current.indent > content_indent || current.end >= self.bytes.len() {
                    return None;
                }
                pending_breaks += 1;
                pos = current.next(self.bytes);
                continue;
            }
            if current.indent < content_indent {
                break current.content();
            }
            // A line without a line break at the end of the text, or a folded line indented
            // past the first (kept verbatim by folding rules we do not model): full parser.
            if current.end >= self.bytes.len() || folded && current.indent > content_indent {
                return None;
            }
            if seen_content {
                if folded && pending_breaks == 0 {
                    text.push(' ');
                } else {
                    let breaks = if folded {
                        pending_breaks
                    } else {
                        pending_breaks + 1
                    };
                    text.extend(std::iter::repeat_n('\n', breaks));
                }
            }
            text.push_str(self.slice(current.start + content_indent, current.end)?);
            seen_content = true;
            pending_breaks = 0;
            pos = current.next(self.bytes);
        };
        match chomp {
            b'-' => {}
            b'+' => text.extend(std::iter::repeat_n('\n', pending_breaks + 1)),
            _ => text.push('\n'),
        }
        let start = first.start + content_indent;
        self.advance(pos);
        self.node(Value::Str(Cow::Owned(text)), start, end)
    }

    /// A block sequence whose dashes sit at column `indent`, starting at the current line.
    /// `indentless`: it is a mapping value at its key's own column (`key:\n- item`).
    fn block_sequence(
        &mut self,
        indent: usize,
        indentless: bool,
        depth: usize,
    ) -> Option<Node<'y>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let first = self.line?;
        let dash = first.content();
        // An indentless sequence is reported where its first item starts.
        let span_start = if indentless {
            let item = self.skip_spaces(dash + 1);
            if self.byte(item) == Some(b'#') {
                return None;
            }
            item.min(first.end)
        } else {
            dash
        };
        // Options, criteria, evidence: a few items each; start with room for them.
        let mut items = Vec::with_capacity(4);
        loop {
            let line = self.line?;
            let item = self.sequence_item(line.content(), &line, depth)?;
            items.push(item);
            match self.line {
                Some(next) if next.indent == indent && next.is_dash(self.bytes) => {}
                Some(next) if next.indent > indent => return None,
                _ => break,
            }
        }
        self.node(Value::Seq(items), span_start, span_start)
    }

    /// One `- item` with its dash at `dash`.
    fn sequence_item(&mut self, dash: usize, line: &Line, depth: usize) -> Option<Node<'y>> {
        let indent = dash - line.start;
        let start = self.skip_spaces(dash + 1);
        if self.rest_is_empty(dash + 1, line) {
            // An empty item is null, reported at the end of its line; content for it on
            // the lines below is left to the full parser.
            if line.end >= self.bytes.len() {
                return None;
            }
            self.advance(line.next(self.bytes));
            if self.line.is_some_and(|next| next.indent > indent) {
                return None;
            }
            return self.node(Value::Null, line.end, line.end);
        }
        let first = self.byte(start)?;
        if first == b'-' && matches!(self.byte(start + 1), None | Some(b' ' | b'\n')) {
            return None;
        }
        // `- key: value` starts a mapping whose keys sit where this key does.
        let is_key = match first {
            b'\'' | b'"' => {
                let (text, end) = self.quoted(first, start, line)?;
                if self.byte(end) != Some(b':') {
                    return self.finish_inline(Value::Str(text), start, end, line, depth);
                }
                true
            }
            b'|' | b'>' | b'[' | b'{' => false,
            // A plain item is scanned once, whether it turns out a key or a value.
            _ => {
                let end = self.block_plain_end(start, line)?;
                if !(end < line.end && self.byte(end) == Some(b':')) {
                    return self.plain_value(start, end, line, depth);
                }
                true
            }
        };
        if is_key {
            return self.block_mapping(start - line.start, start, depth + 1);
        }
        self.inline_value(indent, start, line, depth)
    }
}

/// Characters that cannot start a plain scalar, or only in spellings left to the full
/// parser (`-1`, `:x`, `?x`).
fn starts_with_indicator(b: u8) -> bool {
    matches!(
        b,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
            | b' '
            | b'\n'
    )
}

/// Type an untagged plain scalar the way serde-saphyr's `deserialize_any` does, for the
/// spellings where that is certain; `None` for the rest.
fn plain(text: &str) -> Option<Value<'_>> {
    // An empty value, `~` and `null` are all null untagged.
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
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
        // number: all left to the full parser. They all start with one of six letters.
        const SPECIAL: &[&str] = &[
            "y", "n", "yes", "no", "on", "off", "true", "false", "inf", "infinity", "nan",
        ];
        if bytes.len() <= 8
            && matches!(
                first.to_ascii_lowercase(),
                b'y' | b'n' | b'o' | b't' | b'f' | b'i'
            )
            && SPECIAL.iter().any(|s| text.eq_ignore_ascii_case(s))
        {
            return None;
        }
        return Some(Value::Str(Cow::Borrowed(text)));
    }
    // A date, a date-time, or text with a space in it: no number spelling has either.
    if is_date(bytes) || bytes.iter().any(u8::is_ascii_whitespace) {
        return Some(Value::Str(Cow::Borrowed(text)));
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
