//! Splitting a file into its YAML front-matter and its Markdown body.
//!
//! The front-matter is the text between a first line `---` and the next line `---` or
//! `...`. A UTF-8 byte-order mark before the first line and CRLF line endings are accepted.

use crate::finding::Span;
use memchr::memmem::Finder;
use std::sync::LazyLock;

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
    match closing_line(text, yaml_start) {
        Some((line_start, line_end)) => Split::Present {
            yaml: Span::new(yaml_start, line_start),
            first_line: 2,
            body: Span::new(line_end, text.len()),
        },
        None => Split::Unterminated {
            opening: Span::new(open_start, open_start + 3),
        },
    }
}

/// A line break followed by `---`, and one followed by `...`: the only places a line that
/// closes the block can start after the block's first line. Searching for them skips the
/// front-matter's other lines in one pass instead of visiting them one by one.
static DASHES_LINE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("\n---"));
static DOTS_LINE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("\n..."));

/// The first line at or after `from` (a line start) that closes the front-matter: `---` or
/// `...` with nothing after it but white space. Its start, and its end with its line break.
fn closing_line(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut pos = from;
    loop {
        let rest = bytes.get(pos..)?;
        if rest.is_empty() {
            return None;
        }
        if rest.starts_with(b"-") || rest.starts_with(b".") {
            let (line, consumed) = match memchr::memchr(b'\n', rest) {
                Some(i) => (text.get(pos..pos + i)?, i + 1),
                None => (text.get(pos..)?, rest.len()),
            };
            let trimmed = line.strip_suffix('\r').unwrap_or(line).trim_end();
            if trimmed == "---" || trimmed == "..." {
                return Some((pos, pos + consumed));
            }
        }
        // The next line starting `---` or `...`: the earlier of the two searches, the
        // second one only up to where the first found its line.
        let dashes = DASHES_LINE.find(rest);
        let before_dashes = dashes.and_then(|d| rest.get(..d)).unwrap_or(rest);
        let next = DOTS_LINE.find(before_dashes).or(dashes)?;
        pos += next + 1;
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

    /// The closing line is the first one that is `---` or `...` and nothing else: lines
    /// that only start like one, or follow the block, do not close it.
    #[test]
    fn closes_at_the_first_whole_delimiter_line() {
        let cases = [
            (
                "---\na: 1\n----\n--- x\n...\nbody\n---\n",
                "a: 1\n----\n--- x\n",
                "body\n---\n",
            ),
            ("---\n---\nbody", "", "body"),
            ("---\na: -1\n- .\n.\n--- \t\nb", "a: -1\n- .\n.\n", "b"),
            ("---\r\na: 1\r\n...\r\n", "a: 1\r\n", ""),
            ("---\na: 1\n---", "a: 1\n", ""),
        ];
        for (text, want_yaml, want_body) in cases {
            let Split::Present { yaml, body, .. } = split(text) else {
                panic!("expected front-matter in {text:?}")
            };
            assert_eq!(slice(text, yaml), want_yaml, "{text:?}");
            assert_eq!(slice(text, body), want_body, "{text:?}");
        }
        assert!(matches!(
            split("---\na: 1\n----\n-- -\n"),
            Split::Unterminated { .. }
        ));
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
