//! Human output: each finding as a miette diagnostic with the source snippet and a label
//! at the span, then the summary line. Colour is the caller's decision ([`Style`]).

use super::{Style, terminal_safe};
use crate::check::Report;
use crate::finding::{Finding, Severity};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::collections::HashMap;
use std::fmt;

/// A finding seen through miette.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    message: String,
    help: String,
    /// `None` when the file is not among the checked records (a deleted decision, DL505):
    /// the finding is shown without a snippet.
    source: Option<&'a NamedSource<String>>,
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.finding.code, self.finding.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Off => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source?;
        let span = self.finding.span;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.finding.severity.to_string()),
            (span.start, span.len()),
        ))))
    }
}

/// Source text fit for a terminal: control characters (escape sequences) become `?`,
/// one byte for one byte so that spans still line up.
fn displayable_source(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' && c != '\r' {
                '?'
            } else {
                c
            }
        })
        .collect()
}

pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width);
    let mut sources: HashMap<&str, NamedSource<String>> = HashMap::new();
    for record in &report.records {
        sources.insert(
            record.path.as_str(),
            NamedSource::new(
                terminal_safe(&record.path),
                displayable_source(record.source.as_str()),
            ),
        );
    }
    let mut out = String::new();
    for finding in &report.findings {
        let diagnostic = FindingDiagnostic {
            finding,
            message: terminal_safe(&finding.message),
            help: terminal_safe(&finding.help),
            source: sources.get(finding.path.as_str()),
        };
        if handler.render_report(&mut out, &diagnostic).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {} {}\n",
                terminal_safe(&finding.path),
                finding.start.line,
                finding.start.column,
                finding.code,
                diagnostic.message
            ));
        }
        out.push('\n');
    }
    out.push_str(&governing_section(report));
    out.push_str(&report.totals().summary_line());
    out.push('\n');
    out
}

/// With `--base`: the decisions whose `affects` globs match the changed files.
fn governing_section(report: &Report) -> String {
    if report.governing.is_empty() {
        return String::new();
    }
    let mut out = String::from("Decisions governing this change:\n");
    for g in &report.governing {
        let id =
            g.id.as_deref()
                .map(|id| format!("{id} "))
                .unwrap_or_default();
        let title = g.title.as_deref().unwrap_or(&g.path);
        let status = g
            .status
            .as_deref()
            .map(|s| format!(" [{s}]"))
            .unwrap_or_default();
        let shown: Vec<&str> = g.matched_files.iter().take(3).map(String::as_str).collect();
        let more = g.matched_files.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        out.push_str(&terminal_safe(&format!(
            "  {id}{title}{status} ({}): {}{more}",
            g.path,
            shown.join(", ")
        )));
        out.push('\n');
    }
    out.push('\n');
    out
}
