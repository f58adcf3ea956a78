//! Records in Michael Nygard's format, as adr-tools and its descendants write them
//! (SPEC §10): `# N. Title`, a `Date:` line, and a `## Status` section whose first line is
//! the status and whose other lines are relations (`Supersedes [3. X](0003-x.md)`,
//! `Superseded by …`, `Amends …`, `Amended by …`). Tendermint/CometBFT ADRs keep the date
//! as the first entry of a `## Changelog` section.
//!
//! Only what the front-matter does not set is read, and every value keeps the span of
//! the line it came from, so findings point there. The Status section (a compound status
//! and its relation lines) is read by the one status reader, [`super::status`].

use super::body::{Body, CHANGELOG_SECTION};
use super::fields::{DateValue, Field, FieldIssue, Fields, Names, split_names};
use super::status;
use crate::finding::Span;
use crate::people::Roster;

/// Fill the fields a Nygard record keeps in its body. `text` is the whole file; `issues`
/// receives one located issue per malformed relation.
pub fn fill(
    fields: &mut Fields,
    body: &Body,
    text: &str,
    roster: Option<&Roster>,
    issues: &mut Vec<FieldIssue>,
) {
    status::read_section(fields, body, text, issues);
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
