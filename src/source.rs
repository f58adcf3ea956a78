//! A file's text with a line index, so byte spans become line/column positions cheaply.
//!
//! The index is built on first use: most files of a healthy log get no finding, and
//! never need a position (on 10k records that saves the index's time and memory).

use crate::finding::{Position, Span};
use std::sync::OnceLock;

/// The text of one decision file, kept once and shared by the model and the printers.
#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    line_starts: OnceLock<Vec<usize>>,
}

/// Two sources are equal when their texts are: the index is derived from the text.
impl PartialEq for SourceText {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for SourceText {}

impl SourceText {
    pub fn new(text: String) -> Self {
        SourceText {
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// The byte offset at which each line starts (the first is 0), found with memchr on
    /// first use; printers that slice by line use it too.
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 32 + 2);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The 1-based line and character column of a byte offset. Offsets past the end or
    /// inside a multi-byte character are clamped to the nearest valid position.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset.min(self.text.len()));
        let line_starts = self.line_starts();
        let line_index = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// The byte offset of a 1-based line and character column, clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&line_start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = self.text.get(line_start..).unwrap_or("");
        let within: usize = rest
            .char_indices()
            .take_while(|&(_, c)| c != '\n')
            .nth(column.saturating_sub(1))
            .map_or_else(|| rest.find('\n').unwrap_or(rest.len()), |(i, _)| i);
        line_start + within
    }

    /// Clamp a span to the text and to character boundaries.
    pub fn clamp(&self, span: Span) -> Span {
        let start = self.floor_char_boundary(span.start.min(self.text.len()));
        let end = self
            .floor_char_boundary(span.end.min(self.text.len()))
            .max(start);
        Span::new(start, end)
    }

    fn floor_char_boundary(&self, mut offset: usize) -> usize {
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = SourceText::new("ab\nçd\n".to_string());
        assert_eq!(src.position(0), Position { line: 1, column: 1 });
        assert_eq!(src.position(3), Position { line: 2, column: 1 });
        // 'd' sits after the two-byte 'ç'.
        assert_eq!(src.position(5), Position { line: 2, column: 2 });
        assert_eq!(src.offset_of(2, 2), 5);
        assert_eq!(src.position(999), Position { line: 3, column: 1 });
    }
}
