//! Byte offsets (what spans hold) to and from the protocol's positions: a 0-based line
//! and a column counted in UTF-16 code units, the protocol's default encoding.

use crate::finding::Span;
use lsp_types::{Position, Range, TextEdit};

/// The position of byte `offset` of `text` (clamped into the text and to a character
/// boundary).
pub(crate) fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count();
    let column = text
        .get(line_start..offset)
        .unwrap_or("")
        .encode_utf16()
        .count();
    Position::new(to_u32(line), to_u32(column))
}

/// The range of `span` in `text`.
pub(crate) fn range(text: &str, span: Span) -> Range {
    Range::new(position(text, span.start), position(text, span.end))
}

/// The byte offset of `position` in `text`: past the end of a line is its end, past the
/// last line is the end of the text.
pub(crate) fn offset(text: &str, position: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= position.character as usize {
            return line_start + i;
        }
        units += c.len_utf16();
    }
    line_start + line.len()
}

/// The one edit that turns `old` into `new`: the bytes between their common prefix and
/// common suffix.
pub(crate) fn edit(old: &str, new: &str) -> TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let rest_old = old.get(prefix..).unwrap_or("");
    let rest_new = new.get(prefix..).unwrap_or("");
    let suffix = rest_old
        .chars()
        .rev()
        .zip(rest_new.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let replaced = Span::new(prefix, old.len() - suffix);
    let inserted = new.get(prefix..new.len() - suffix).unwrap_or("");
    TextEdit::new(range(old, replaced), inserted.to_string())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_and_offsets_round_trip() {
        let text = "a: é😀x\nb\n";
        let x = text.find('x').unwrap_or_default();
        assert_eq!(position(text, x), Position::new(0, 6));
        assert_eq!(offset(text, Position::new(0, 6)), x);
        assert_eq!(position(text, text.len()), Position::new(2, 0));
        assert_eq!(
            offset(text, Position::new(1, 99)),
            text.find("b\n").unwrap_or(0) + 1
        );
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
    }

    #[test]
    fn an_edit_replaces_only_what_changed() {
        let e = edit("id: 0007\nx: 1\n", "id: \"0007\"\nx: 1\n");
        assert_eq!(
            e.range,
            Range::new(Position::new(0, 4), Position::new(0, 8))
        );
        assert_eq!(e.new_text, "\"0007\"");
        let e = edit("ab", "ab\nc: 1");
        assert_eq!(
            e.range,
            Range::new(Position::new(0, 2), Position::new(0, 2))
        );
        assert_eq!(e.new_text, "\nc: 1");
    }
}
