//! GitLab Code Quality report (`-f gitlab`): the JSON array GitLab reads from a job's
//! `artifacts:reports:codequality` file and shows on the merge request.
//!
//! The fields are the ones GitLab documents as required: `description`, `check_name`,
//! `fingerprint` (unique in the report; the same value SARIF carries, so an issue keeps its
//! identity), `severity` (`info`, `minor`, `major`, `critical`, `blocker`) and
//! `location.path` with `location.lines.begin`. Text goes through the JSON escaping layer
//! like every other machine format.

use crate::finding::{Finding, Severity, fingerprints};
use crate::report::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

/// GitLab's scale has no "warning": a failing error is `major`, a warning `minor`.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info | Severity::Off => "info",
    }
}

fn issue(finding: &Finding, fingerprint: String) -> Issue<'_> {
    let description = if finding.help.is_empty() {
        format!("{}: {}", finding.code, finding.message)
    } else {
        format!(
            "{}: {} (help: {})",
            finding.code, finding.message, finding.help
        )
    };
    Issue {
        description,
        check_name: format!("{} {}", finding.code, finding.name),
        fingerprint,
        severity: severity(finding.severity),
        location: Location {
            path: &finding.path,
            lines: Lines {
                begin: finding.start.line.max(1),
            },
        },
    }
}

pub fn render(report: &Report) -> String {
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .zip(fingerprints(&report.findings))
        .map(|(f, fingerprint)| issue(f, fingerprint))
        .collect();
    let mut text = crate::escape::json_pretty(&issues);
    text.push('\n');
    text
}
