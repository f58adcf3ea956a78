//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, every rule described in
//! `tool.driver.rules` (from the registry, the same text `declint explain` prints), and one
//! result per finding with a repository-relative URI and a region.
//!
//! Plain serde structs for the few objects we emit rather than a generated model of the
//! whole format (decisions/0030); a test validates the output against the OASIS schema
//! kept in `tests/schemas/`.

use crate::commands::explain;
use crate::finding::{Finding, Severity};
use crate::report::Report;
use crate::rules::{self, RuleMeta};
use serde::Serialize;
use std::collections::HashMap;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Paths in results are relative to the root of the checked-out repository.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// Columns count characters (Unicode code points), as every other format does.
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    enabled: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    /// Absent for a finding about the file as a whole (an empty span).
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    /// Exclusive, as in SARIF: the column just past the span.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// SARIF's name for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

/// A rule's help as Markdown: the same sections as `declint explain`.
fn help_markdown(m: &RuleMeta) -> String {
    format!(
        "**{code} {name}**: {summary}\n\n### What it checks\n\n{what}\n\n### Why it matters\n\n{why}\n\n### Example that fires\n\n```markdown\n{bad}```\n\n### Fixed\n\n```markdown\n{good}```\n",
        code = m.code,
        name = m.name,
        summary = m.summary,
        what = m.what,
        why = m.why,
        bad = with_newline(m.bad),
        good = with_newline(m.good),
    )
}

fn with_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

fn rule(m: &'static RuleMeta) -> Rule {
    Rule {
        id: m.code,
        name: m.name,
        short_description: Text {
            text: m.summary.to_string(),
        },
        full_description: Text {
            text: format!("{} {}", m.what, m.why),
        },
        help: Help {
            text: explain::document(m),
            markdown: help_markdown(m),
        },
        default_configuration: Configuration {
            level: level(m.severity),
            enabled: m.severity != Severity::Off,
        },
    }
}

/// A repository-relative path as a URI reference: `/` kept, everything outside the
/// unreserved set percent-encoded byte by byte (spaces, `#`, `?`, `%`, non-ASCII).
pub fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn result(finding: &Finding, rule_index: usize) -> SarifResult {
    let whole_file = finding.span.is_empty();
    let text = if finding.help.is_empty() {
        finding.message.clone()
    } else {
        format!("{}\nhelp: {}", finding.message, finding.help)
    };
    SarifResult {
        rule_id: finding.code,
        rule_index,
        level: level(finding.severity),
        message: Text { text },
        locations: vec![Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri_reference(&finding.path),
                    uri_base_id: SRCROOT,
                },
                region: Region {
                    start_line: finding.start.line.max(1),
                    start_column: finding.start.column.max(1),
                    end_line: (!whole_file).then_some(finding.end.line.max(1)),
                    end_column: (!whole_file).then_some(finding.end.column.max(1)),
                },
            },
        }],
    }
}

pub fn render(report: &Report) -> String {
    let registry = rules::registry();
    let index: HashMap<&str, usize> = registry
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().code, i))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: registry.iter().map(|r| rule(r.meta())).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: report
                .findings
                .iter()
                .map(|f| result(f, index.get(f.code).copied().unwrap_or(0)))
                .collect(),
        }],
    };
    let mut text = super::escape::json_pretty(&log);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_references() {
        assert_eq!(uri_reference("decisions/0001-a.md"), "decisions/0001-a.md");
        assert_eq!(
            uri_reference("docs/my adr/0002#x?.md"),
            "docs/my%20adr/0002%23x%3F.md"
        );
        assert_eq!(uri_reference("d/é.md"), "d/%C3%A9.md");
    }

    #[test]
    fn every_rule_is_described() {
        for r in rules::registry() {
            let described = rule(r.meta());
            assert_eq!(described.id, r.meta().code);
            assert!(!described.short_description.text.is_empty());
            assert!(described.help.markdown.contains(r.meta().why));
        }
    }
}
