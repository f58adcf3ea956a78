//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
//! finding, so that findings show on the pull request's diff.
//!
//! Text from a record reaches the runner's log here, so it is escaped exactly as
//! `@actions/core` escapes it: a message can never end the command early or start a new
//! one. Beyond `@actions/core`, any other control character (an ANSI escape sequence the
//! log viewer would act on) or bidirectional override is written as `\u{…}`, as in the
//! human and concise formats. GitHub shows at most 10 annotations per level per step; the job summary
//! ([`super::summary`]) carries the full list.

use crate::escape::{workflow_data, workflow_property};
use crate::finding::{Finding, Severity};
use crate::report::Report;
use std::fmt::Write;

/// The workflow command for a severity: GitHub has no "info", its `notice` is the same idea.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "notice",
    }
}

/// One annotation line, without the trailing newline.
pub fn annotation(finding: &Finding) -> String {
    let title = format!("{} {}", finding.code, finding.name);
    let message = if finding.help.is_empty() {
        finding.message.clone()
    } else {
        format!("{}\nhelp: {}", finding.message, finding.help)
    };
    format!(
        "::{} title={},file={},line={},col={},endLine={},endColumn={}::{}",
        command(finding.severity),
        workflow_property(&title),
        workflow_property(&finding.path),
        finding.start.line,
        finding.start.column,
        finding.end.line,
        finding.end.column,
        workflow_data(&message),
    )
}

/// The annotation for a tool failure (exit 2): its message and help on the run's page,
/// where a reader looks first, not only in the raw log.
pub fn failure_annotation(message: &str, help: Option<&str>) -> String {
    let text = match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message.to_string(),
    };
    format!(
        "::error title={}::{}",
        workflow_property("declint could not check"),
        workflow_data(&text)
    )
}

/// GitHub shows this many annotations per level per step and drops the rest.
pub const ANNOTATIONS_SHOWN_PER_LEVEL: usize = 10;

/// Every finding as an annotation, then the totals as a plain log line (and, when GitHub
/// will not show them all, where the rest are).
pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(report.findings.len() * 160 + 64);
    for finding in &report.findings {
        let _ = writeln!(out, "{}", annotation(finding));
    }
    let totals = report.totals();
    let _ = writeln!(out, "declint: {}", totals.summary_line());
    // The base names a ref from the repository: escaped like any annotation text, so a
    // branch name cannot start a workflow command.
    if let Some(compared) = &report.compared {
        let _ = writeln!(out, "declint: {}", workflow_data(&compared.line()));
    }
    if [totals.errors, totals.warnings, totals.infos]
        .iter()
        .any(|&n| n > ANNOTATIONS_SHOWN_PER_LEVEL)
    {
        let _ = writeln!(
            out,
            "declint: GitHub shows {ANNOTATIONS_SHOWN_PER_LEVEL} annotations per level on the pull request; this log lists all {} findings",
            report.findings.len()
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Position, Span};

    fn finding(path: &str, message: &str) -> Finding {
        Finding {
            code: "DL101",
            name: "required-field",
            severity: Severity::Error,
            path: path.to_string(),
            span: Span::new(4, 9),
            start: Position { line: 2, column: 1 },
            end: Position { line: 2, column: 6 },
            message: message.to_string(),
            help: "add `decider:`".to_string(),
            field: String::new(),
            baselined: false,
        }
    }

    #[test]
    fn failure_annotation_carries_message_and_help_escaped() {
        assert_eq!(
            failure_annotation("no base: 50%\nshallow", Some("set `fetch-depth: 2`")),
            "::error title=declint could not check::no base: 50%25%0Ashallow%0Ahelp: set `fetch-depth: 2`"
        );
        assert_eq!(
            failure_annotation("x", None),
            "::error title=declint could not check::x"
        );
    }

    #[test]
    fn data_escaping_matches_actions_core() {
        assert_eq!(workflow_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(workflow_data("a:b,c"), "a:b,c");
        // `%` first, so an already-escaped sequence is not decoded by the runner.
        assert_eq!(workflow_data("%0A"), "%250A");
    }

    #[test]
    fn terminal_escapes_are_written_out() {
        assert_eq!(workflow_data("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            workflow_property("d/\u{1b}]8;;x\u{7}.md"),
            "d/\\u{1b}]8;;x\\u{7}.md"
        );
        assert_eq!(workflow_data("x\u{202e}y"), "x\\u{202e}y");
    }

    #[test]
    fn property_escaping_adds_colon_and_comma() {
        assert_eq!(
            workflow_property("d/a:b,c%\n\r.md"),
            "d/a%3Ab%2Cc%25%0A%0D.md"
        );
    }

    #[test]
    fn annotation_carries_title_and_full_region() {
        let line = annotation(&finding("decisions/0001-x.md", "`decider` is missing"));
        assert_eq!(
            line,
            "::error title=DL101 required-field,file=decisions/0001-x.md,line=2,col=1,endLine=2,endColumn=6::`decider` is missing%0Ahelp: add `decider:`"
        );
    }

    #[test]
    fn hostile_text_cannot_start_a_new_command() {
        let line = annotation(&finding(
            "decisions/0001-a,b:c.md",
            "x\n::error file=evil.md::injected\r\n::add-mask::secret",
        ));
        assert_eq!(line.lines().count(), 1, "one finding, one line: {line}");
        assert!(line.contains("file=decisions/0001-a%2Cb%3Ac.md,"));
        assert!(line.contains("x%0A::error file=evil.md::injected%0D%0A::add-mask::secret"));
    }

    #[test]
    fn says_where_the_annotations_github_drops_are() {
        let report = |n: usize| Report {
            root: std::path::PathBuf::from("."),
            records: Vec::new(),
            findings: (0..n).map(|i| finding(&format!("d/{i}.md"), "m")).collect(),
            governing: Vec::new(),
            compared: None,
            stale_baseline: Vec::new(),
            baseline_message_keyed: false,
        };
        assert!(!render(&report(10)).contains("per level"));
        let text = render(&report(11));
        assert_eq!(
            text.lines().filter(|l| l.starts_with("::error ")).count(),
            11
        );
        assert!(
            text.contains("GitHub shows 10 annotations per level"),
            "{text}"
        );
    }

    #[test]
    fn levels_map_to_workflow_commands() {
        let mut f = finding("d.md", "m");
        f.severity = Severity::Warning;
        assert!(annotation(&f).starts_with("::warning "));
        f.severity = Severity::Info;
        assert!(annotation(&f).starts_with("::notice "));
    }
}
