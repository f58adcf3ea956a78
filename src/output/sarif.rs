//! SARIF 2.1.0, as GitHub code scanning accepts it: one run, every rule described in
//! `tool.driver.rules` (from the registry, the same text `declint explain` prints), and one
//! result per finding with a repository-relative URI and a region.
//!
//! Every rule has a `helpUri` into docs/rules.md at the running version's tag (the page is
//! generated from the same registry and kept current by a test), and every result a
//! `partialFingerprints` entry that stays the same when lines move, so that an upload
//! through the API does not open the same alert twice. A finding about a file that is not
//! on head (a deleted decision) has no region: there are no lines on head to point at.
//!
//! Plain serde structs for the few objects we emit rather than a generated model of the
//! whole format (decisions/0030); a test validates the output against the OASIS errata01
//! schema kept in `tests/schemas/`.

use crate::finding::{Finding, Severity, fingerprints};
use crate::report::Report;
use crate::rules::{self, RuleMeta};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The project's home (Cargo.toml `repository`): the driver's `informationUri`.
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
/// The key of declint's fingerprint; the suffix changes if the recipe ever does.
const FINGERPRINT_KEY: &str = "declintFinding/v1";
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
    /// With `--base`: which base the run compared with, in the run's property bag.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

/// The run's property bag: the base a `--base` run used, as the other formats say it.
#[derive(Serialize)]
struct RunProperties {
    #[serde(rename = "declint/base")]
    base: String,
    #[serde(rename = "declint/mergeBase")]
    merge_base: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    information_uri: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    help_uri: String,
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
    partial_fingerprints: BTreeMap<&'static str, String>,
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
    /// Absent for a file that is not on head (a deleted decision).
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
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

/// The heading of a rule's section in docs/rules.md, and its GitHub anchor.
fn heading(m: &RuleMeta) -> String {
    format!("{} {}", m.code, m.name)
}

fn anchor(m: &RuleMeta) -> String {
    heading(m).to_lowercase().replace(' ', "-")
}

/// Where a rule is documented: its section of docs/rules.md at this version's tag.
pub fn help_uri(m: &RuleMeta) -> String {
    format!(
        "{REPOSITORY}/blob/v{}/docs/rules.md#{}",
        env!("CARGO_PKG_VERSION"),
        anchor(m)
    )
}

/// docs/rules.md: every rule's help, as SARIF viewers show it, on one page.
pub fn rules_page() -> String {
    let mut page = String::from(
        "# Rules

Every rule declint checks, as `declint explain RULE` prints it. Generated from the rule registry \
         (`DECLINT_BLESS=1 cargo test --lib rules_page` rewrites it); SARIF results link here.\n",
    );
    for rule in rules::registry() {
        let m = rule.meta();
        page.push_str(&format!("\n## {}\n\n", heading(m)));
        page.push_str(
            &m.doc_markdown()
                .replacen(&format!("**{} {}**: ", m.code, m.name), "", 1),
        );
    }
    page
}

fn rule(m: &'static RuleMeta) -> Rule {
    Rule {
        id: m.code,
        name: m.name,
        help_uri: help_uri(m),
        short_description: Text {
            text: m.summary.to_string(),
        },
        full_description: Text {
            text: format!("{} {}", m.what, m.why),
        },
        help: Help {
            text: m.doc_text(),
            markdown: m.doc_markdown(),
        },
        default_configuration: Configuration {
            level: level(m.severity),
            enabled: m.severity != Severity::Off,
        },
    }
}

/// A repository-relative path as a URI reference: `/` kept, everything outside the
/// unreserved set percent-encoded byte by byte (spaces, `#`, `?`, `%`, non-ASCII), from
/// the name's own bytes, so a name that is not UTF-8 is carried exactly (`%FF`).
pub fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in crate::display_path::to_bytes(path).iter() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn result(finding: &Finding, rule_index: usize, on_head: bool, fingerprint: String) -> SarifResult {
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
                region: on_head.then(|| Region {
                    start_line: finding.start.line.max(1),
                    start_column: finding.start.column.max(1),
                    end_line: (!whole_file).then_some(finding.end.line.max(1)),
                    end_column: (!whole_file).then_some(finding.end.column.max(1)),
                }),
            },
        }],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
    }
}

pub fn render(report: &Report) -> String {
    let registry = rules::registry();
    let index: HashMap<&str, usize> = registry
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().code, i))
        .collect();
    let on_head: HashSet<&str> = report.paths_on_head();
    let results = report
        .findings
        .iter()
        .zip(fingerprints(&report.findings))
        .map(|(f, fingerprint)| {
            result(
                f,
                index.get(f.code).copied().unwrap_or(0),
                on_head.contains(f.path.as_str()),
                fingerprint,
            )
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    information_uri: REPOSITORY,
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: registry.iter().map(|r| rule(r.meta())).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            properties: report.compared.as_ref().map(|c| RunProperties {
                base: c.line(),
                merge_base: c.merge_base.clone(),
            }),
        }],
    };
    let mut text = crate::escape::json_pretty(&log);
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

    fn finding(line: usize, message: &str) -> Finding {
        Finding {
            code: "DL101",
            name: "required-field",
            severity: Severity::Error,
            path: "decisions/0001-a.md".into(),
            span: crate::finding::Span::new(0, 3),
            start: crate::finding::Position { line, column: 1 },
            end: crate::finding::Position { line, column: 4 },
            message: message.into(),
            help: String::new(),
            field: String::new(),
            baselined: false,
        }
    }

    #[test]
    fn fingerprints_ignore_lines_and_tell_findings_apart() {
        let moved = fingerprints(&[finding(3, "`decider` is missing")]);
        assert_eq!(moved, fingerprints(&[finding(30, "`decider` is missing")]));
        let twice = fingerprints(&[
            finding(3, "`decider` is missing"),
            finding(9, "`decider` is missing"),
        ]);
        assert_eq!(twice[0], moved[0]);
        assert_ne!(twice[0], twice[1]);
        assert_ne!(moved, fingerprints(&[finding(3, "`options` is missing")]));
        assert_eq!(moved[0].len(), 16);
    }

    #[test]
    fn help_uris_point_at_the_rules_page_of_this_version() {
        let m = rules::registry()[0].meta();
        let uri = help_uri(m);
        assert!(uri.starts_with(REPOSITORY), "{uri}");
        assert!(
            uri.contains(&format!(
                "/blob/v{}/docs/rules.md#",
                env!("CARGO_PKG_VERSION")
            )),
            "{uri}"
        );
        assert!(
            uri.ends_with(&format!("#{}-{}", m.code.to_lowercase(), m.name)),
            "{uri}"
        );
    }

    /// docs/rules.md is what `rules_page` renders; `DECLINT_BLESS=1` rewrites it.
    #[test]
    fn rules_page_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
        let page = rules_page();
        if std::env::var_os("DECLINT_BLESS").is_some() {
            std::fs::write(&path, &page).unwrap_or_else(|e| panic!("{e}"));
        }
        let held = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            held == page,
            "docs/rules.md is stale: run `DECLINT_BLESS=1 cargo test --lib rules_page`"
        );
        for rule in rules::registry() {
            assert!(held.contains(&format!("\n## {}\n", heading(rule.meta()))));
        }
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
