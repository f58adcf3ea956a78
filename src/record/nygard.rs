//! Records in Michael Nygard's format, as adr-tools and its descendants write them
//! (SPEC §10): `# N. Title`, a `Date:` line, and a `## Status` section whose first line is
//! the status and whose other lines are relations (`Supersedes [3. X](0003-x.md)`,
//! `Superseded by …`, `Amends …`, `Amended by …`). Tendermint/CometBFT ADRs keep the date
//! as the first entry of a `## Changelog` section.
//!
//! Only what the front-matter does not set is read, and every value keeps the span of
//! the line it came from, so findings point there. A compound status (`Superseded by
//! [ADR-0020](./0020-x.md)`, `accepted; supersedes ADR-0045`) is split into the status
//! word and its links; a link resolves to the id its file name gives ([`super::file_id`]).

use super::body::{Body, CHANGELOG_SECTION, STATUS_SECTION};
use super::fields::{DateValue, Field, FieldIssue, Fields, IssueKind, Names, Text, split_names};
use crate::finding::Span;
use crate::people::Roster;
use regex::Regex;
use std::sync::LazyLock;

/// How many lines of a Status section are read: the status and its relations sit at
/// the top; a pasted essay under the heading is not metadata.
const MAX_STATUS_LINES: usize = 50;

/// A relation keyword, then its target: a Markdown link, a bracket never closed, or an id.
static RELATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(superseded\s+by|supersedes|amended\s+by|amends)\b[\s:]*(\[[^\]]*\]\([^)\s]*\)|\[[^\n]*|[A-Za-z]*[-_ #]?[0-9][\w.-]*)?",
    )
    .unwrap_or_else(|_| unreachable!("the relation pattern is valid"))
});

/// A Markdown link `[text](target)`.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[([^\]]*)\]\(([^)\s]*)\)$")
        .unwrap_or_else(|_| unreachable!("the link pattern is valid"))
});

/// One relation found in a Status section.
struct Relation {
    kind: RelationKind,
    /// The id the target resolves to; `None` when the target is malformed or missing.
    id: Option<String>,
    span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RelationKind {
    Supersedes,
    SupersededBy,
    /// `Amends` / `Amended by`: read so the line is not taken for prose, but declint has
    /// no amend link to check.
    Amends,
}

/// Fill the fields a Nygard record keeps in its body. `text` is the whole file; `issues`
/// receives one located issue per malformed relation.
pub fn fill(
    fields: &mut Fields,
    body: &Body,
    text: &str,
    roster: Option<&Roster>,
    issues: &mut Vec<FieldIssue>,
) {
    if let Some(section) = body.section(STATUS_SECTION) {
        let lines = section_lines(text, section.heading.span.end);
        let mut lines = lines.into_iter();
        match lines.next() {
            Some((line, span)) if fields.status.is_none() => {
                read_status_line(fields, &line, span, issues);
            }
            Some(_) => {}
            None if fields.status.is_none() => {
                fields
                    .empty
                    .push(("status".to_string(), section.heading.span));
            }
            None => {}
        }
        let relations: Vec<Relation> = lines
            .flat_map(|(line, span)| relations_in(&line, span))
            .collect();
        apply(fields, relations, issues);
    }
    if fields.date.is_none() {
        fields.date = body
            .meta(&["date"])
            .map(|m| body_field(DateValue::parse(&m.value), m.span))
            .or_else(|| changelog_date(body));
    }
    if fields.decider.is_none() {
        fields.decider = body
            .meta(&["decider", "deciders", "decision makers"])
            .map(|m| {
                let names = Names {
                    names: split_names(&m.value, m.span, roster),
                    was_list: false,
                };
                body_field(names, m.span)
            });
    }
}

/// Set the status from one status line written in the body, split by [`split_status`]
/// into the status word and its relations (put into `supersedes`/`superseded_by`): a
/// Nygard Status section's first line, or the value of a MADR 2 / log4brains
/// `- Status:` bullet. `line` is the source text (links and all); `span` is where it stands.
pub(super) fn read_status_line(
    fields: &mut Fields,
    line: &str,
    span: Span,
    issues: &mut Vec<FieldIssue>,
) {
    let (word, relations) = split_status(line, span);
    fields.status = Some(body_field(word, span));
    apply(fields, relations, issues);
}

/// The date of a Tendermint-style `## Changelog`: its first entry, `- 2020-01-15: …`.
fn changelog_date(body: &Body) -> Option<Field<DateValue>> {
    let line = body.section(CHANGELOG_SECTION)?.first_line.as_ref()?;
    let raw = line
        .text
        .split_once(':')
        .map_or(line.text.as_str(), |(day, _)| day)
        .trim();
    raw.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit())
        .then(|| body_field(DateValue::parse(raw), line.span))
}

fn body_field<T>(value: T, span: Span) -> Field<T> {
    Field {
        value,
        key_span: span,
        span,
        from_body: true,
    }
}

/// The non-blank lines under a heading that ends at `start`, up to the next heading,
/// each trimmed of list markers, with its span. HTML comment lines are template hints.
fn section_lines(text: &str, start: usize) -> Vec<(String, Span)> {
    let mut lines = Vec::new();
    let mut offset = start;
    let rest = text.get(start..).unwrap_or_default();
    let mut in_comment = false;
    for (i, raw) in rest.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw.len();
        if i == 0 {
            // The rest of the heading's own line.
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.starts_with('#') && raw.len() - raw.trim_start().len() <= 3 {
            break;
        }
        if in_comment || trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        let content = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .unwrap_or(trimmed)
            .trim();
        if content.is_empty() {
            continue;
        }
        let lead = raw.len() - raw.trim_start().len();
        let span = Span::new(line_start + lead, line_start + lead + trimmed.len());
        lines.push((content.to_string(), span));
        if lines.len() >= MAX_STATUS_LINES {
            break;
        }
    }
    lines
}

/// A status line as its status word and the relations written after it:
/// `Superseded by [5. X](0005-x.md)` → `Superseded` and a successor link;
/// `accepted; supersedes ADR-0045` → `accepted` and a predecessor link. A line with no
/// relation is the status as written, without a trailing full stop.
fn split_status(line: &str, span: Span) -> (String, Vec<Relation>) {
    let relations = relations_in(line, span);
    let Some(first) = RELATION.find(line) else {
        return (line.trim_end_matches('.').trim().to_string(), relations);
    };
    let before = line
        .get(..first.start())
        .unwrap_or_default()
        .trim()
        .trim_end_matches([';', ',', '.', '-', '('])
        .trim();
    let word = if before.is_empty() {
        // "Superseded by …" is itself the status.
        match relations.first().map(|r| r.kind) {
            Some(RelationKind::SupersededBy) => "Superseded".to_string(),
            Some(RelationKind::Supersedes) => "Accepted".to_string(),
            _ => first
                .as_str()
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    } else {
        before.to_string()
    };
    (word, relations)
}

/// Every relation written on one line.
fn relations_in(line: &str, span: Span) -> Vec<Relation> {
    RELATION
        .captures_iter(line)
        .filter_map(|caps| {
            let keyword = caps.get(1)?.as_str().to_ascii_lowercase();
            let kind = if keyword.starts_with("superseded") {
                RelationKind::SupersededBy
            } else if keyword == "supersedes" {
                RelationKind::Supersedes
            } else {
                RelationKind::Amends
            };
            let id = caps.get(2).and_then(|target| target_id(target.as_str()));
            Some(Relation { kind, id, span })
        })
        .collect()
}

/// The id a relation's target names: a link's file (`0003-x.md` → `0003`), else the
/// digits of its text (`ADR-0020`); a bare id as written. `None` for a malformed link.
fn target_id(target: &str) -> Option<String> {
    let target = target.trim();
    if target.starts_with('[') {
        let caps = LINK.captures(target)?;
        let href = caps.get(2).map_or("", |m| m.as_str());
        let file = href.split(['#', '?']).next().unwrap_or(href);
        return super::file_id(file).or_else(|| {
            let text = caps.get(1).map_or("", |m| m.as_str());
            number_in(text)
        });
    }
    number_in(target).or_else(|| (!target.is_empty()).then(|| target.to_string()))
}

/// The first run of digits in `text` (`3. Use X` → `3`, `ADR-0020` → `0020`).
fn number_in(text: &str) -> Option<String> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text
        .get(start..)?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some(digits)
}

/// Put relations into `supersedes` / `superseded_by` (set by the front-matter: left
/// alone); a relation whose target does not resolve is one located issue.
fn apply(fields: &mut Fields, relations: Vec<Relation>, issues: &mut Vec<FieldIssue>) {
    for relation in relations {
        let (slot, key) = match relation.kind {
            RelationKind::Supersedes => (&mut fields.supersedes, "supersedes"),
            RelationKind::SupersededBy => (&mut fields.superseded_by, "superseded_by"),
            RelationKind::Amends => continue,
        };
        let Some(id) = relation.id else {
            issues.push(FieldIssue {
                key: key.to_string(),
                key_span: relation.span,
                span: relation.span,
                kind: IssueKind::WrongType {
                    expected: "a link to a record (`[3. Use X](0003-use-x.md)`) or its id",
                    found: "a malformed link".to_string(),
                },
            });
            continue;
        };
        let slot = slot.get_or_insert_with(|| body_field(Vec::new(), relation.span));
        if slot.from_body {
            slot.value.push(Text {
                text: id,
                span: relation.span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(line: &str) -> (String, Vec<(bool, Option<String>)>) {
        let (word, relations) = split_status(line, Span::new(0, 0));
        let links = relations
            .into_iter()
            .map(|r| (r.kind == RelationKind::SupersededBy, r.id))
            .collect();
        (word, links)
    }

    #[test]
    fn compound_statuses_split_into_word_and_links() {
        assert_eq!(split("Accepted"), ("Accepted".into(), vec![]));
        assert_eq!(split("accepted."), ("accepted".into(), vec![]));
        assert_eq!(
            split("Superseded by [ADR-0020](./0020-use-y.md)"),
            ("Superseded".into(), vec![(true, Some("0020".into()))])
        );
        assert_eq!(
            split("accepted; supersedes ADR-0045"),
            ("accepted".into(), vec![(false, Some("0045".into()))])
        );
        assert_eq!(
            split("Superseded by [5. Use Z](0005-use-z.md#status)"),
            ("Superseded".into(), vec![(true, Some("0005".into()))])
        );
        // A link never closed does not resolve.
        assert_eq!(
            split("Superseded by [5. Use Z](0005-use-z.md"),
            ("Superseded".into(), vec![(true, None)])
        );
    }
}
