//! The one reader of a status as teams write it (SPEC §10): a status word, and the
//! supersede relations written with it. `Superseded by [ADR-0020](./0020-x.md)` in a
//! Nygard Status section, `status: superseded by ADR-0005` in MADR 3/4 front-matter, a
//! MADR 2 / log4brains `- Status:` bullet and a MADR `## Status` section all say the same
//! fact, so they are read here, once, when the record is read: the model carries the
//! status word in `status` and the target ids in `supersedes` / `superseded_by`, and no
//! caller parses status text again. A link resolves to the id its file name gives
//! ([`super::file_id`]), else the number in its text.

use super::body::{Body, STATUS_SECTION};
use super::fields::{Field, FieldIssue, Fields, IssueKind, Text};
use crate::finding::Span;
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

/// One relation written with a status.
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

/// Set the status from one status line written in the body — a Nygard Status section's
/// first line, the value of a MADR 2 / log4brains `- Status:` bullet — split into the
/// status word and its relations (put into `supersedes` / `superseded_by`). `line` is
/// the source text (links and all); `key_span` is where its key (a bullet's `Status:`, a
/// section's heading) stands, `span` where the line does.
pub(super) fn read_line(
    fields: &mut Fields,
    line: &str,
    key_span: Span,
    span: Span,
    issues: &mut Vec<FieldIssue>,
) {
    let (word, relations) = split(line, span);
    fields.status = Some(Field {
        value: word,
        key_span,
        span,
        from_body: true,
    });
    apply(fields, relations, issues);
}

/// Read a `## Status` section (Nygard, and MADR files that keep their status there): its
/// first line is the status ([`read_line`]) unless the front-matter set one, its other
/// lines are relations. An empty section is an empty `status` at its heading.
pub(super) fn read_section(
    fields: &mut Fields,
    body: &Body,
    text: &str,
    issues: &mut Vec<FieldIssue>,
) {
    let Some(section) = body.section(STATUS_SECTION) else {
        return;
    };
    let heading = section.heading.span;
    let mut lines = section_lines(text, heading.end).into_iter();
    match lines.next() {
        Some((line, span)) if fields.status.is_none() => {
            read_line(fields, &line, heading, span, issues);
        }
        Some(_) => {}
        None if fields.status.is_none() => fields.empty.push(("status".to_string(), heading)),
        None => {}
    }
    let relations: Vec<Relation> = lines
        .flat_map(|(line, span)| relations_in(&line, span))
        .collect();
    apply(fields, relations, issues);
}

/// A front-matter status that carries a relation (MADR 3/4: `status: superseded by
/// ADR-0005`, `superseded by [ADR-0005](0005-x.md)`) becomes its status word, and the
/// relation goes into `supersedes` / `superseded_by` unless the front-matter sets that
/// key itself. A status with no relation is left as written.
pub(super) fn split_front_matter(fields: &mut Fields, issues: &mut Vec<FieldIssue>) {
    let Some(status) = fields.status.as_mut().filter(|s| !s.from_body) else {
        return;
    };
    if !RELATION.is_match(&status.value) {
        return;
    }
    let (word, relations) = split(&status.value, status.span);
    status.value = word;
    apply(fields, relations, issues);
}

/// A status line as its status word and the relations written after it:
/// `Superseded by [5. X](0005-x.md)` → `Superseded` and a successor link;
/// `accepted; supersedes ADR-0045` → `accepted` and a predecessor link. A line with no
/// relation is the status as written, without a trailing full stop.
fn split(line: &str, span: Span) -> (String, Vec<Relation>) {
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
        // "Superseded by …" is itself the status, spelled as written.
        match relations.first().map(|r| r.kind) {
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

/// Put relations into `supersedes` / `superseded_by` (set by a front-matter key: left
/// alone); a relation whose target does not resolve is one located issue. The field is
/// marked `from_body`: it was not written as a key of its own.
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
        let slot = slot.get_or_insert_with(|| Field {
            value: Vec::new(),
            key_span: relation.span,
            span: relation.span,
            from_body: true,
        });
        if slot.from_body {
            slot.value.push(Text {
                text: id,
                span: relation.span,
            });
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn split_line(line: &str) -> (String, Vec<(bool, Option<String>)>) {
        let (word, relations) = split(line, Span::new(0, 0));
        let links = relations
            .into_iter()
            .map(|r| (r.kind == RelationKind::SupersededBy, r.id))
            .collect();
        (word, links)
    }

    #[test]
    fn compound_statuses_split_into_word_and_links() {
        assert_eq!(split_line("Accepted"), ("Accepted".into(), vec![]));
        assert_eq!(split_line("accepted."), ("accepted".into(), vec![]));
        assert_eq!(
            split_line("Superseded by [ADR-0020](./0020-use-y.md)"),
            ("Superseded".into(), vec![(true, Some("0020".into()))])
        );
        assert_eq!(
            split_line("accepted; supersedes ADR-0045"),
            ("accepted".into(), vec![(false, Some("0045".into()))])
        );
        assert_eq!(
            split_line("Superseded by [5. Use Z](0005-use-z.md#status)"),
            ("Superseded".into(), vec![(true, Some("0005".into()))])
        );
        assert_eq!(
            split_line("superseded by ADR-0005"),
            ("superseded".into(), vec![(true, Some("0005".into()))])
        );
        // A link never closed does not resolve.
        assert_eq!(
            split_line("Superseded by [5. Use Z](0005-use-z.md"),
            ("Superseded".into(), vec![(true, None)])
        );
    }

    /// The same compound status read from MADR front-matter, a MADR 2 bullet, a MADR
    /// `## Status` section and a Nygard Status section is one status word and one link.
    #[test]
    fn every_format_reads_a_compound_status_the_same() {
        use crate::config::{Config, Profile, StatusClass};
        use crate::record::{Format, Record};
        let link = "Superseded by [ADR-0005](0005-use-y.md)";
        let cases = [
            (
                Profile::Madr,
                format!("---\nstatus: {link}\ndate: 2024-01-02\n---\n# Use X\n"),
            ),
            (Profile::Madr, format!("# Use X\n\n* Status: {link}\n")),
            (Profile::Madr, format!("# Use X\n\n## Status\n\n{link}\n")),
            (
                Profile::Nygard,
                format!("# 1. Use X\n\nDate: 2024-01-02\n\n## Status\n\n{link}\n"),
            ),
            (
                Profile::Auto,
                format!("# 1. Use X\n\n## Status\n\n{link}\n"),
            ),
        ];
        for (profile, text) in cases {
            let config = Config::for_profile(profile);
            let record = Record::parse("d/0001-use-x.md".into(), text.clone(), &config);
            assert_ne!(record.format, Format::Unrecognized, "{text}");
            assert_eq!(record.status(), Some("Superseded"), "{text}");
            assert_eq!(record.file_id.as_deref(), Some("0001"), "{text}");
            assert_eq!(
                record.status_class(&config),
                Some(StatusClass::Closed),
                "{text}"
            );
            let targets: Vec<&str> = record
                .fields
                .superseded_by
                .iter()
                .flat_map(|f| f.value.iter().map(|t| t.text.as_str()))
                .collect();
            assert_eq!(targets, ["0005"], "{text}");
            let status = record.fields.status.as_ref().map(|s| s.span);
            let at = status.and_then(|s| text.get(s.start..s.end));
            assert!(
                at.is_some_and(|t| t.contains("0005-use-y.md")),
                "{text}: {at:?}"
            );
        }
    }
}
