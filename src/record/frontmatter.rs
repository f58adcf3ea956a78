//! Splitting a file into its YAML front-matter and its Markdown body.
//!
//! The front-matter is the text between a first line `---` and the next line `---` or
//! `...`. A UTF-8 byte-order mark before the first line and CRLF line endings are accepted.

use crate::finding::Span;

/// Where the front-matter and the body lie in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The file does not start with `---`: the whole file (after any BOM) is body.
    Missing { body: Span },
    /// An opening `---` with no closing line: nothing after it can be trusted as body.
    Unterminated { opening: Span },
    /// Front-matter between the delimiters; `first_line` is the 1-based line of its first line.
    Present {
        yaml: Span,
        first_line: usize,
        body: Span,
    },
}

const BOM: &str = "\u{feff}";

/// Split `text` into front-matter and body.
pub fn split(text: &str) -> Split {
    let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
    let mut lines = LineIter { text, pos: start };
    let Some((open_start, open_end, open_line)) = lines.next() else {
        return Split::Missing {
            body: Span::new(start, text.len()),
        };
    };
    if open_line.trim_end() != "---" {
        return Split::Missing {
            body: Span::new(start, text.len()),
        };
    }
    let yaml_start = open_end;
    for (line_start, line_end, line) in lines {
        // Only a line starting `---` or `...` can close the block: most lines need no trim.
        if !line.starts_with(['-', '.']) {
            continue;
        }
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Split::Present {
                yaml: Span::new(yaml_start, line_start),
                first_line: 2,
                body: Span::new(line_end, text.len()),
            };
        }
    }
    Split::Unterminated {
        opening: Span::new(open_start, open_start + 3),
    }
}

/// Lines with their byte ranges: `(start, end_including_newline, text_without_newline)`.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let rest = self.text.get(self.pos..)?;
        let (line, consumed) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        let start = self.pos;
        self.pos += consumed;
        Some((start, self.pos, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn finds_front_matter_and_body() {
        let text = "---\ntitle: x\n---\n# Body\n";
        let Split::Present {
            yaml,
            body,
            first_line,
        } = split(text)
        else {
            panic!("expected front-matter")
        };
        assert_eq!(slice(text, yaml), "title: x\n");
        assert_eq!(slice(text, body), "# Body\n");
        assert_eq!(first_line, 2);
    }

    #[test]
    fn accepts_bom_crlf_and_dots() {
        let text = "\u{feff}---\r\ntitle: x\r\n...\r\nbody";
        let Split::Present { yaml, body, .. } = split(text) else {
            panic!("expected front-matter")
        };
        assert_eq!(slice(text, yaml), "title: x\r\n");
        assert_eq!(slice(text, body), "body");
    }

    #[test]
    fn missing_and_unterminated() {
        assert!(matches!(split("# Just a body\n"), Split::Missing { .. }));
        assert!(matches!(split(""), Split::Missing { .. }));
        assert!(matches!(
            split("---\ntitle: x\n"),
            Split::Unterminated { .. }
        ));
        assert!(matches!(split("---"), Split::Unterminated { .. }));
    }

    #[test]
    fn empty_front_matter_is_present_and_empty() {
        let text = "---\n---\nbody\n";
        let Split::Present { yaml, .. } = split(text) else {
            panic!("expected front-matter")
        };
        assert!(yaml.is_empty());
    }
}
