//! The body pass as it was before it kept only [`super::SECTION_KEYS`]: every section,
//! with its items built from one text buffer per section. The tests check that the
//! faster pass gives the same title, metadata and kept sections on any input.

use super::{Body, Heading, Item, MAX_BODY_BYTES, MAX_ITEMS, MAX_SECTIONS, MetaLine, Section};
use super::{HtmlText, heading_level, is_invisible, meta_line, visible_event};
use crate::finding::Span;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

pub(super) fn normalize_heading(text: &str) -> String {
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
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace().filter(|w| !is_invisible(w)) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // The text is kept for the run: give back what trailing spaces reserved.
    out.shrink_to_fit();
    out
}
struct OpenSection {
    section: Section,
    list_items: Vec<Item>,
    sub_headings: Vec<Item>,
    text: String,
    text_span: Option<Span>,
}
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
fn wants_line(open: &[OpenSection]) -> bool {
    open.last().is_some_and(|o| o.section.first_line.is_none())
}
pub(super) fn parse(body: &str, offset: usize) -> Body {
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

    let mut html = HtmlText::default();

    let parser = Parser::new(body).into_offset_iter();
    for (event, range) in parser {
        let span = Span::new(offset + range.start, offset + range.end);
        let event = visible_event(event, &mut html);
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
            Event::Text(t) | Event::Code(t) => {
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
