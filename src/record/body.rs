//! The Markdown body: the H1 title and the sections found by their headings.
//!
//! Sections such as "Options considered" or "Reversal criteria" may stand in for the
//! matching list fields, so the body is read once into headings with their items.
//! MADR records without front-matter keep their metadata in the body (`* Status: accepted`
//! bullets under the H1, a `Status: accepted` line, a `## Status` section); the same pass
//! collects those `Key: value` lines and each section's first line.
//!
//! Only the sections the record model reads ([`SECTION_KEYS`]) are kept. Building the
//! text of every other section (a record's Context and Consequences are most of its
//! body) and holding it for the whole run cost about two fifths of the body pass and a
//! quarter of the peak memory at 10k records, for values nobody looked at.

use crate::finding::Span;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// The normalised headings of a section that lists the options considered.
pub const OPTIONS_SECTION: &[&str] = &["options considered", "considered options"];
/// The normalised headings of a section that lists the reversal criteria.
pub const REVERSAL_SECTION: &[&str] = &["reversal criteria", "reversal criterion"];
/// The normalised heading of a MADR status section.
pub const STATUS_SECTION: &[&str] = &["status"];

/// The normalised heading of a Tendermint-style changelog, whose first entry dates a
/// Nygard record that has no `Date:` line.
pub const CHANGELOG_SECTION: &[&str] = &["changelog"];

/// The sections [`parse`] keeps, each by its spellings: the ones `fields::fill_from_body`,
/// `fields::fill_from_madr` and `nygard::fill` look up.
pub const SECTION_KEYS: &[&[&str]] = &[
    OPTIONS_SECTION,
    REVERSAL_SECTION,
    STATUS_SECTION,
    CHANGELOG_SECTION,
];

/// Whether a section with this normalised heading is kept.
fn is_kept(key: &str) -> bool {
    SECTION_KEYS
        .iter()
        .any(|spellings| spellings.contains(&key))
}

/// What the body offers to the rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// The first level-1 heading, if any.
    pub h1: Option<Heading>,
    /// The sections whose key is one of [`SECTION_KEYS`], in document order.
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
    /// The first section whose normalised heading is one of `keys` (which must be
    /// among [`SECTION_KEYS`]: no other section is kept).
    pub fn section(&self, keys: &[&str]) -> Option<&Section> {
        debug_assert!(
            keys.iter().all(|k| is_kept(k)),
            "body::parse keeps only the sections in SECTION_KEYS, not {keys:?}"
        );
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
    let mut out = String::with_capacity(text.len());
    normalize_heading_into(text, &mut out);
    out.shrink_to_fit();
    out
}

/// [`normalize_heading`] into a buffer the caller reuses: most headings are only
/// compared with [`SECTION_KEYS`], never kept. The words are the runs of alphanumeric
/// characters; everything else separates them.
fn normalize_heading_into(text: &str, out: &mut String) {
    out.clear();
    // The key is never longer than the heading (ASCII); grow once, not byte by byte.
    out.reserve(text.len());
    let mut gap = false;
    if text.is_ascii() {
        // Nearly every heading: the same words, read byte by byte (an ASCII character
        // is alphanumeric exactly when its byte is).
        for &b in text.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if gap && !out.is_empty() {
                    out.push(' ');
                }
                gap = false;
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                gap = true;
            }
        }
        return;
    }
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            // Headings are mostly ASCII: skip the Unicode case tables for them.
            out.push(if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                c.to_lowercase().next().unwrap_or(c)
            });
        } else {
            gap = true;
        }
    }
}

/// The words of `text` joined by single spaces, built in one pass (no `Vec` of words).
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_words(&mut out, text);
    // The text is kept for the run: give back what trailing spaces reserved.
    out.shrink_to_fit();
    out
}

/// Whether a word shows nothing when rendered: only zero-width characters (a word of
/// them is not content, any more than white space is).
fn is_invisible(word: &str) -> bool {
    word.chars().all(|c| {
        matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
    })
}

/// What raw HTML shows a reader: the text between its tags, without the tags and
/// without comments. A template's `<!-- list the options here -->` is a hint to the
/// writer, not an option; content is what renders. A comment or a tag can run over
/// several events (an HTML block arrives line by line), so the state is kept between
/// calls and reset when the block ends.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) enum HtmlText {
    #[default]
    Text,
    Tag,
    Comment,
}

impl HtmlText {
    /// The visible text of the next piece of raw HTML.
    pub(super) fn visible(&mut self, raw: &str) -> String {
        let mut out = String::new();
        let mut rest = raw;
        while !rest.is_empty() {
            match self {
                HtmlText::Comment => match rest.find("-->") {
                    Some(end) => {
                        rest = rest.get(end + 3..).unwrap_or_default();
                        *self = HtmlText::Text;
                    }
                    None => rest = "",
                },
                HtmlText::Tag => match rest.find('>') {
                    Some(end) => {
                        rest = rest.get(end + 1..).unwrap_or_default();
                        *self = HtmlText::Text;
                    }
                    None => rest = "",
                },
                HtmlText::Text => {
                    match rest.find('<') {
                        Some(start) => {
                            out.push_str(rest.get(..start).unwrap_or_default());
                            let after = rest.get(start..).unwrap_or_default();
                            if after.starts_with("<!--") {
                                *self = HtmlText::Comment;
                                rest = after.get(4..).unwrap_or_default();
                            } else if after.get(1..).and_then(|a| a.chars().next()).is_some_and(
                                |c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'),
                            ) {
                                *self = HtmlText::Tag;
                                rest = after.get(1..).unwrap_or_default();
                            } else {
                                out.push('<');
                                rest = after.get(1..).unwrap_or_default();
                            }
                        }
                        None => {
                            out.push_str(rest);
                            rest = "";
                        }
                    }
                }
            }
        }
        out
    }
}

/// Append the words of `text` to the already collapsed `out`. Feeding the pieces of a
/// text one by one gives what collapsing them joined by spaces would. Invisible words
/// are left out.
fn push_words(out: &mut String, text: &str) {
    for word in text.split_whitespace().filter(|w| !is_invisible(w)) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Working state for one section while the events stream by.
struct OpenSection {
    level: u8,
    /// Whether the section's key is one of [`SECTION_KEYS`]. A section that is not
    /// kept collects nothing, but still closes and nests like any other.
    kept: bool,
    section: Section,
    list_items: Vec<Item>,
    sub_headings: Vec<Item>,
    /// The section's text, collapsed as it comes (the fallback item).
    text: String,
    text_span: Option<Span>,
}

/// How much of a body is read for its title and sections. A Markdown parser holds the
/// document's block tree in memory (about 20 bytes per input byte), and the sections the
/// rules look for sit near the top of a record, so a body is cut at the last line break
/// before this limit (docs/robustness.md).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Sections counted per body (kept or not), and items kept per section: far above any
/// real record, and a bound on what a file of nothing but headings or list items can cost.
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
    let first_line = open
        .last_mut()
        .filter(|o| o.kept && o.section.first_line.is_none());
    if !in_preamble && first_line.is_none() {
        return;
    }
    let text = collapse_whitespace(text);
    if text.is_empty() {
        return;
    }
    if in_preamble {
        meta.extend(meta_line(&text, span));
    }
    if let Some(section) = first_line {
        section.section.first_line = Some(Item { text, span });
    }
}

/// Whether the innermost open section is kept and still lacks its first line.
fn wants_line(open: &[OpenSection]) -> bool {
    open.last()
        .is_some_and(|o| o.kept && o.section.first_line.is_none())
}

/// The starting capacity of [`parse`]'s reused text buffers: a heading, list item or
/// paragraph line of a record rarely needs more.
const BUFFER_BYTES: usize = 128;

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
    let mut finished_sections = 0usize;
    // The text of the heading, list item and paragraph line being read goes into
    // buffers reused for the whole body; a `String` is made only for what is kept.
    let mut heading: Option<(u8, Span)> = None;
    // Room for a typical heading, item and line up front, so the buffers do not regrow
    // through 8, 16, 32, ... bytes on every record.
    let mut heading_text = String::with_capacity(BUFFER_BYTES);
    let mut key = String::with_capacity(BUFFER_BYTES);
    let mut list_depth = 0usize;
    let mut item: Option<Span> = None;
    let mut item_text = String::with_capacity(BUFFER_BYTES);
    let mut in_paragraph = false;
    let mut line: Option<Span> = None;
    let mut line_text = String::with_capacity(BUFFER_BYTES);
    let mut in_preamble = true;

    let mut html = HtmlText::default();

    let parser = Parser::new(body).into_offset_iter();
    for (event, range) in parser {
        let span = Span::new(offset + range.start, offset + range.end);
        let event = visible_event(event, &mut html);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_level(level), span));
                heading_text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, span)) = heading.take() else {
                    continue;
                };
                let text = heading_text.trim();
                if level > 1 {
                    in_preamble = false;
                }
                if level == 1 && result.h1.is_none() {
                    result.h1 = Some(Heading {
                        text: text.to_string(),
                        span,
                    });
                }
                while open.last().is_some_and(|o| o.level >= level) {
                    if let Some(done) = open.pop() {
                        push_section(&mut result.sections, &mut finished_sections, done);
                    }
                }
                if let Some(parent) = open
                    .last_mut()
                    .filter(|p| p.kept && p.sub_headings.len() < MAX_ITEMS)
                {
                    parent.sub_headings.push(Item {
                        text: text.to_string(),
                        span,
                    });
                }
                normalize_heading_into(text, &mut key);
                let kept = is_kept(&key);
                let (text, key) = if kept {
                    (text.to_string(), key.clone())
                } else {
                    (String::new(), String::new())
                };
                open.push(OpenSection {
                    level,
                    kept,
                    section: Section {
                        key,
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
                if let Some(span) = line.take() {
                    take_line(&mut open, &mut result.meta, in_preamble, &line_text, span);
                }
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) if list_depth == 1 => {
                item = Some(span);
                item_text.clear();
            }
            Event::End(TagEnd::Item) if list_depth == 1 => {
                if let Some(span) = item.take() {
                    take_line(&mut open, &mut result.meta, in_preamble, &item_text, span);
                    if let Some(section) = open.last_mut()
                        && section.kept
                        && !item_text.is_empty()
                        && section.list_items.len() < MAX_ITEMS
                    {
                        section.list_items.push(Item {
                            text: item_text.clone(),
                            span,
                        });
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if heading.is_some() {
                    heading_text.push_str(&t);
                } else {
                    // Each piece of an item, and of a section, counts as separate words.
                    if item.is_some() {
                        push_words(&mut item_text, &t);
                    } else if in_paragraph && (in_preamble || wants_line(&open)) {
                        let line_span = line.get_or_insert_with(|| {
                            line_text.clear();
                            span
                        });
                        line_text.push_str(&t);
                        line_span.end = span.end;
                    }
                    if let Some(section) = open.last_mut().filter(|o| o.kept) {
                        push_words(&mut section.text, &t);
                        section.text_span.get_or_insert(span);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if item.is_none()
                    && let Some(span) = line.take()
                {
                    take_line(&mut open, &mut result.meta, in_preamble, &line_text, span);
                }
            }
            _ => {}
        }
    }
    while let Some(done) = open.pop() {
        push_section(&mut result.sections, &mut finished_sections, done);
    }
    result.sections.sort_by_key(|s| s.heading.span.start);
    result
}

/// Keep a finished section if it is one of [`SECTION_KEYS`] and among the first
/// [`MAX_SECTIONS`] to finish.
fn push_section(sections: &mut Vec<Section>, finished: &mut usize, open: OpenSection) {
    if open.kept && *finished < MAX_SECTIONS {
        sections.push(finish(open));
    }
    *finished = finished.saturating_add(1);
}

fn finish(open: OpenSection) -> Section {
    let mut section = open.section;
    section.items = if !open.list_items.is_empty() {
        open.list_items
    } else if !open.sub_headings.is_empty() {
        open.sub_headings
    } else {
        let mut text = open.text;
        match open.text_span {
            Some(span) if !text.is_empty() => {
                // The text is kept for the run: give back what growing it reserved.
                text.shrink_to_fit();
                vec![Item { text, span }]
            }
            _ => Vec::new(),
        }
    };
    section
}

/// Raw HTML as the text it shows ([`HtmlText`]); every other event as it is. The HTML
/// state ends with the block that holds it.
pub(super) fn visible_event<'a>(event: Event<'a>, html: &mut HtmlText) -> Event<'a> {
    match event {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(html.visible(&t).into()),
        Event::End(TagEnd::HtmlBlock | TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
            *html = HtmlText::Text;
            event
        }
        other => other,
    }
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
mod reference;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_title_and_sections_with_items() {
        let text = "# Use Postgres\n\n## Options Considered\n\n- Postgres\n- SQLite, *embedded*\n\n## Reversal criteria:\n\nIf write load exceeds 10k/s.\n\n## Status\n\n## Next\n";
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
            body.section(&["status"])
                .expect("empty section")
                .items
                .is_empty()
        );
        // Sections nobody reads are not kept.
        assert_eq!(body.sections.len(), 3);
    }

    #[test]
    fn comments_and_markup_that_render_as_nothing_are_not_content() {
        // The template `declint new` writes: every section holds only a comment.
        let text = "# T\n\n## Options considered\n\n<!-- At least two, as a list. -->\n\n## Reversal criteria\n\n<!--\nAs a list:\nwhat would change it?\n-->\n\n## Status\n\n- <!-- accepted --> \u{200B}\n";
        let body = parse(text, 0);
        for key in ["options considered", "reversal criteria", "status"] {
            let section = body.section(&[key]).expect("section");
            assert!(section.items.is_empty(), "{key}: {:?}", section.items);
            assert_eq!(section.first_line, None, "{key}");
        }
        same_as_reference(text);
        // Text between tags is content; a comment next to it is not.
        let text = "## Options considered\n\n- Postgres <!-- cheapest -->\n- <b>SQLite</b>\n\n<details>\nMySQL\n</details>\n";
        let body = parse(text, 0);
        let items: Vec<_> = body
            .section(&["options considered"])
            .expect("section")
            .items
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(items, ["Postgres", "SQLite"]);
        same_as_reference(text);
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
        let headings = "## h\n- item\n## Status\n- item\n".repeat(MAX_SECTIONS * 3);
        let body = parse(&headings, 0);
        // Every section counts towards the bound, kept or not.
        assert_eq!(body.sections.len(), MAX_SECTIONS / 2);
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

    /// The reference pass's result, cut down to what [`parse`] keeps.
    fn kept(mut body: Body) -> Body {
        body.sections.retain(|s| is_kept(&s.key));
        body
    }

    fn same_as_reference(text: &str) {
        assert_eq!(
            parse(text, 7),
            kept(reference::parse(text, 7)),
            "body: {text:?}"
        );
    }

    #[test]
    fn inline_markup_gives_the_text_it_gave_before() {
        for text in [
            "# Use *Postgres* `now` &amp; later\n\n## Status\n\nAccepted *since* `May`\nsecond line\n",
            "Status: **accepted**  \nDate: 2024-01-02\n\n## Options *considered*\n\n- foo*bar* `baz`\n  continued\n- <b>html</b> &lt;x&gt;\n",
            "## Reversal\ncriteria\n---\n\ntext *a*b\nmore\n",
            "## Reversal criteria\n\n```\n## not a heading\n- not an item\n```\n\n<div>\nblock html\n</div>\n",
            "## Considered options\n\n### Option *A*\n\n### Option `B`\n\n## Status\n\n- # heading in an item\n- after\n",
        ] {
            same_as_reference(text);
        }
    }

    #[test]
    fn fixtures_give_what_they_gave_before() {
        let mut dirs = vec![std::path::PathBuf::from("fixtures")];
        let mut seen = 0;
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    same_as_reference(&text);
                    seen += 1;
                }
            }
        }
        assert!(seen > 50, "only {seen} fixtures found");
    }

    /// Blocks that exercise what the pass reads: headings kept or not (ATX, setext,
    /// with markup), preamble `Key: value` lines, lists at two depths, headings inside
    /// items, code, HTML, entities, hard and soft breaks.
    const BLOCKS: &[&str] = &[
        "# Title",
        "# Status",
        "## Status",
        "## Options considered",
        "### Considered Options:",
        "## Reversal criteria",
        "## Reversal *criterion*",
        "## `Status`",
        "## Sta&#116;us",
        "## Context",
        "### Option A",
        "#### Deep",
        "Status\n======",
        "Options considered\n---",
        "Reversal\ncriteria\n---",
        "Status: accepted",
        "Date: 2024-01-02\nDeciders: Ana, Bo",
        "* Status: proposed",
        "- **Decision-Makers**: Ana, Bo\n- Consulted: Cy",
        "Accepted.\nsince May",
        "text with *emph*, `code` and &amp; entity",
        "foo*bar* baz  \nhard break\\\nbackslash break",
        "<span>inline</span> html: yes",
        "- a\n- b\n  - nested: x\n- c",
        "1. one\n2. two",
        "- # heading in an item",
        "- para\n\n  ## Status\n\n  more",
        "- ",
        "```\n## not a heading\n- not an item\n```",
        "    indented code",
        "<div>\nhtml block\n</div>",
        "> quote\n> - in a quote",
        "",
    ];

    proptest::proptest! {
        #[test]
        fn same_as_the_reference_pass(
            blocks in proptest::collection::vec(
                (proptest::sample::select(BLOCKS), proptest::sample::select(&["\n", "\n\n"][..])),
                0..24,
            )
        ) {
            let text: String = blocks.iter().flat_map(|(b, sep)| [*b, *sep]).collect();
            proptest::prop_assert_eq!(parse(&text, 7), kept(reference::parse(&text, 7)));
        }

        #[test]
        fn normalises_headings_as_before(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(normalize_heading(&text), reference::normalize_heading(&text));
        }
    }
}
