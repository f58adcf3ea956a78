//! The Markdown body: the H1 title and the sections found by their headings.
//!
//! Sections such as "Options considered" or "Reversal criteria" may stand in for the
//! matching list fields, so the body is read once into headings with their items.
//! MADR records without front-matter keep their metadata in the body (`* Status: accepted`
//! bullets under the H1, a `Status: accepted` line, a `## Status` section); the same pass
//! collects those `Key: value` lines and each section's first line.

use crate::finding::Span;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// What the body offers to the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// The first level-1 heading, if any.
    pub h1: Option<Heading>,
    pub sections: Vec<Section>,
    /// `Key: value` lines (paragraph lines or top-level list items) before the first
    /// heading below the H1: where MADR 2 and minimal records keep their metadata.
    pub meta: Vec<MetaLine>,
}

/// One `Key: value` line of the body's preamble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaLine {
    /// The key, normalised like a heading: `Decision-Makers` → `decision makers`.
    pub key: String,
    pub value: String,
    /// The whole line (or list item).
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub text: String,
    pub span: Span,
}

/// A heading and what stands under it until the next heading of the same or a higher level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: Heading,
    pub level: u8,
    /// The heading text, lower-cased with punctuation removed and spaces collapsed.
    pub key: String,
    /// Top-level list items; or, if there is no list, sub-headings; or, if there are
    /// neither, the section's text as one item. Empty when the section is empty.
    pub items: Vec<Item>,
    /// The first line of text under the heading (a paragraph line or a list item).
    pub first_line: Option<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub text: String,
    pub span: Span,
}

impl Body {
    /// The first section whose normalised heading is one of `keys`.
    pub fn section(&self, keys: &[&str]) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| keys.contains(&s.key.as_str()))
    }

    /// The value of the first preamble line whose key is one of `keys`.
    pub fn meta(&self, keys: &[&str]) -> Option<&MetaLine> {
        self.meta.iter().find(|m| keys.contains(&m.key.as_str()))
    }
}

/// `Status: accepted` → (`status`, `accepted`). The key is a few words of letters.
fn meta_line(text: &str, span: Span) -> Option<MetaLine> {
    let (key, value) = text.split_once(':')?;
    let key = key.trim();
    let value = value.trim();
    let key_ok = !key.is_empty()
        && key.len() <= 30
        && key
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '_');
    (key_ok && !value.is_empty()).then(|| MetaLine {
        key: normalize_heading(key),
        value: value.to_string(),
        span,
    })
}

/// Lower-case, drop punctuation, collapse white space: "Options Considered:" → "options considered".
pub fn normalize_heading(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    collapse_whitespace(&cleaned)
}

/// The words of `text` joined by single spaces, built in one pass (no `Vec` of words).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // The text is kept for the run: give back what trailing spaces reserved.
    out.shrink_to_fit();
    out
}

/// Working state for one section while the events stream by.
struct OpenSection {
    section: Section,
    list_items: Vec<Item>,
    sub_headings: Vec<Item>,
    text: String,
    text_span: Option<Span>,
}

/// How much of a body is read for its title and sections. A Markdown parser holds the
/// document's block tree in memory (about 20 bytes per input byte), and the sections the
/// rules look for sit near the top of a record, so a body is cut at the last line break
/// before this limit (docs/robustness.md).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Sections kept per body, and items kept per section: far above any real record, and a
/// bound on what a file of nothing but headings or list items can cost.
pub const MAX_SECTIONS: usize = 1_000;
pub const MAX_ITEMS: usize = 1_000;

/// A finished line of text: the first line of its section, and metadata while the
/// preamble lasts.
fn take_line(
    open: &mut [OpenSection],
    meta: &mut Vec<MetaLine>,
    in_preamble: bool,
    text: &str,
    span: Span,
) {
    if !in_preamble && !wants_line(open) {
        return;
    }
    let text = collapse_whitespace(text);
    if text.is_empty() {
        return;
    }
    if let Some(section) = open.last_mut() {
        section.section.first_line.get_or_insert_with(|| Item {
            text: text.clone(),
            span,
        });
    }
    if in_preamble {
        meta.extend(meta_line(&text, span));
    }
}

/// Whether the innermost open section still lacks its first line.
fn wants_line(open: &[OpenSection]) -> bool {
    open.last().is_some_and(|o| o.section.first_line.is_none())
}

/// Parse `body` (which starts at byte `offset` of the file).
pub fn parse(body: &str, offset: usize) -> Body {
    let body = if body.len() > MAX_BODY_BYTES {
        let head = body.as_bytes().get(..MAX_BODY_BYTES).unwrap_or_default();
        let cut = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        body.get(..cut).unwrap_or_default()
    } else {
        body
    };
    let mut result = Body::default();
    let mut open: Vec<OpenSection> = Vec::new();
    let mut heading: Option<(u8, String, Span)> = None;
    let mut list_depth = 0usize;
    let mut item: Option<(String, Span)> = None;
    let mut in_paragraph = false;
    let mut line: Option<(String, Span)> = None;
    let mut in_preamble = true;

    let parser = Parser::new(body).into_offset_iter();
    for (event, range) in parser {
        let span = Span::new(offset + range.start, offset + range.end);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_level(level), String::new(), span));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, text, span)) = heading.take() else {
                    continue;
                };
                let text = text.trim().to_string();
                if level > 1 {
                    in_preamble = false;
                }
                if level == 1 && result.h1.is_none() {
                    result.h1 = Some(Heading {
                        text: text.clone(),
                        span,
                    });
                }
                while open.last().is_some_and(|o| o.section.level >= level) {
                    if let Some(done) = open.pop() {
                        push_section(&mut result.sections, done);
                    }
                }
                if let Some(parent) = open.last_mut().filter(|p| p.sub_headings.len() < MAX_ITEMS) {
                    parent.sub_headings.push(Item {
                        text: text.clone(),
                        span,
                    });
                }
                open.push(OpenSection {
                    section: Section {
                        key: normalize_heading(&text),
                        heading: Heading { text, span },
                        level,
                        items: Vec::new(),
                        first_line: None,
                    },
                    list_items: Vec::new(),
                    sub_headings: Vec::new(),
                    text: String::new(),
                    text_span: None,
                });
            }
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) => {
                in_paragraph = false;
                if let Some((text, span)) = line.take() {
                    take_line(&mut open, &mut result.meta, in_preamble, &text, span);
                }
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth == 1 => item = Some((String::new(), span)),
            Event::End(TagEnd::Item) if list_depth == 1 => {
                if let Some((text, span)) = item.take() {
                    take_line(&mut open, &mut result.meta, in_preamble, &text, span);
                    let text = collapse_whitespace(&text);
                    if let (Some(section), false) = (open.last_mut(), text.is_empty())
                        && section.list_items.len() < MAX_ITEMS
                    {
                        section.list_items.push(Item { text, span });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                if let Some((_, text, _)) = heading.as_mut() {
                    text.push_str(&t);
                } else {
                    if let Some((text, _)) = item.as_mut() {
                        text.push_str(&t);
                        text.push(' ');
                    } else if in_paragraph && (in_preamble || wants_line(&open)) {
                        let (text, line_span) = line.get_or_insert_with(|| (String::new(), span));
                        text.push_str(&t);
                        line_span.end = span.end;
                    }
                    if let Some(section) = open.last_mut() {
                        section.text.push_str(&t);
                        section.text.push(' ');
                        section.text_span.get_or_insert(span);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((text, _)) = item.as_mut() {
                    text.push(' ');
                } else if let Some((text, span)) = line.take() {
                    take_line(&mut open, &mut result.meta, in_preamble, &text, span);
                }
            }
            _ => {}
        }
    }
    while let Some(done) = open.pop() {
        push_section(&mut result.sections, done);
    }
    result.sections.sort_by_key(|s| s.heading.span.start);
    result
}

/// Keep a finished section, up to [`MAX_SECTIONS`].
fn push_section(sections: &mut Vec<Section>, open: OpenSection) {
    if sections.len() < MAX_SECTIONS {
        sections.push(finish(open));
    }
}

fn finish(open: OpenSection) -> Section {
    let mut section = open.section;
    section.items = if !open.list_items.is_empty() {
        open.list_items
    } else if !open.sub_headings.is_empty() {
        open.sub_headings
    } else {
        let text = collapse_whitespace(&open.text);
        match open.text_span {
            Some(span) if !text.is_empty() => vec![Item { text, span }],
            _ => Vec::new(),
        }
    };
    section
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_title_and_sections_with_items() {
        let text = "# Use Postgres\n\n## Options Considered\n\n- Postgres\n- SQLite, *embedded*\n\n## Reversal criteria:\n\nIf write load exceeds 10k/s.\n\n## Empty\n\n## Next\n";
        let body = parse(text, 0);
        assert_eq!(
            body.h1.as_ref().map(|h| h.text.as_str()),
            Some("Use Postgres")
        );
        let options = body
            .section(&["options considered"])
            .expect("options section");
        let texts: Vec<_> = options.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, ["Postgres", "SQLite, embedded"]);
        let reversal = body
            .section(&["reversal criteria"])
            .expect("reversal section");
        assert_eq!(reversal.items.len(), 1);
        assert!(
            body.section(&["empty"])
                .expect("empty section")
                .items
                .is_empty()
        );
    }

    #[test]
    fn sub_headings_count_as_items_when_there_is_no_list() {
        let text = "## Considered options\n\n### Option A\n\ntext\n\n### Option B\n";
        let body = parse(text, 10);
        let options = body.section(&["considered options"]).expect("section");
        assert_eq!(options.items.len(), 2);
        assert_eq!(
            options.items[0].span.start,
            10 + text.find("### Option A").unwrap_or(0)
        );
    }

    #[test]
    fn preamble_key_value_lines_are_metadata() {
        let text = "# Use X\n\n* Status: accepted\n* **Decision-Makers**: Ana, Bo\n\nDate: 2024-01-02\nTechnical Story: not a status: really\n\n## Decision Outcome\n\nChosen option: X\n";
        let body = parse(text, 5);
        let pairs: Vec<_> = body
            .meta
            .iter()
            .map(|m| (m.key.as_str(), m.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("status", "accepted"),
                ("decision makers", "Ana, Bo"),
                ("date", "2024-01-02"),
                ("technical story", "not a status: really"),
            ]
        );
        let date = body.meta(&["date"]).expect("date line");
        assert_eq!(
            text.get(date.span.start - 5..date.span.end - 5),
            Some("Date: 2024-01-02")
        );
    }

    #[test]
    fn sections_keep_their_first_line() {
        let body = parse("## Status\n\nAccepted\nsince May\n\nMore.\n", 0);
        let status = body.section(&["status"]).expect("status section");
        assert_eq!(
            status.first_line.as_ref().map(|l| l.text.as_str()),
            Some("Accepted")
        );
        assert!(body.meta.is_empty());
    }

    #[test]
    fn heading_normalisation() {
        assert_eq!(
            normalize_heading("  Options: Considered!! "),
            "options considered"
        );
    }

    #[test]
    fn huge_bodies_are_bounded() {
        let headings = "## h\n- item\n".repeat(MAX_SECTIONS * 3);
        let body = parse(&headings, 0);
        assert_eq!(body.sections.len(), MAX_SECTIONS);
        let items = format!("## Options considered\n{}", "- x\n".repeat(MAX_ITEMS * 3));
        let body = parse(&items, 0);
        assert_eq!(
            body.sections.first().map(|s| s.items.len()),
            Some(MAX_ITEMS)
        );
        let long = format!(
            "# Title\n{}## Reversal criteria\n- late\n",
            "text\n".repeat(MAX_BODY_BYTES / 5 + 10)
        );
        let body = parse(&long, 0);
        assert_eq!(body.h1.map(|h| h.text), Some("Title".to_string()));
        assert!(body.sections.iter().all(|s| s.key != "reversal criteria"));
    }
}
