//! Human output: each finding as a miette diagnostic with the source snippet and a label
//! at the span, then the summary line. Colour is the caller's decision ([`Style`]).

use super::Style;
use crate::escape::{snippet_fits, terminal, terminal_snippet};
use crate::finding::{Finding, Severity};
use crate::report::Report;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A finding seen through miette.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    message: String,
    help: String,
    /// `None` when the file is not among the checked records (a deleted decision, DL505):
    /// the finding is shown without a snippet.
    source: Option<&'a WindowedSource<'a>>,
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
        let label = if self.finding.baselined {
            "baselined".to_string()
        } else {
            self.finding.severity.to_string()
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(label),
            (span.start, span.len()),
        ))))
    }
}

/// A file's text for miette that hands out only the lines around a span. miette's own
/// `SourceCode` for strings scans from the start of the text on every finding, which makes
/// a file with tens of thousands of findings quadratic; the line index keeps each snippet
/// proportional to its context.
struct WindowedSource<'a> {
    name: String,
    /// The text made displayable; byte for byte the same length and line breaks as the
    /// record's, so the record's line index serves it.
    text: String,
    line_starts: &'a [usize],
}

impl<'a> WindowedSource<'a> {
    fn new(name: String, text: String, line_starts: &'a [usize]) -> Self {
        WindowedSource {
            name,
            text,
            line_starts,
        }
    }

    /// 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

impl SourceCode for WindowedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start.saturating_add(span.len());
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // One line of slack each side: miette counts a span that ends on a line break as
        // reaching into the next line. Extra lines in the window do not change its answer.
        let first_line = self
            .line_of(start)
            .saturating_sub(context_lines_before.saturating_add(1));
        let last_line = self
            .line_of(end.saturating_sub(1).max(start))
            .saturating_add(context_lines_after.saturating_add(2));
        let window_start = self.line_starts.get(first_line).copied().unwrap_or(0);
        let window_end = self
            .line_starts
            .get(last_line.saturating_add(1))
            .copied()
            .unwrap_or(self.text.len());
        let window = self
            .text
            .get(window_start..window_end)
            .ok_or(MietteError::OutOfBounds)?;
        let inner = window.read_span(
            &SourceSpan::new((start - window_start).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + window_start).into(),
                inner.span().len(),
            ),
            inner.line() + first_line,
            inner.column(),
            inner.line_count() + first_line,
        )))
    }
}

pub fn render(report: &Report, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width);
    // Only files with findings need their text prepared (made displayable, indexed by
    // line); on a large log that is a small part of it. Sources and findings are rendered
    // on the thread pool, each finding into its own string, joined in order.
    let with_findings: HashSet<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
    let sources: HashMap<&str, WindowedSource> = report
        .records
        .par_iter()
        .filter(|record| with_findings.contains(record.path.as_str()))
        .map(|record| {
            let source = WindowedSource::new(
                terminal(&record.path),
                terminal_snippet(record.source.as_str()),
                record.source.line_starts(),
            );
            (record.path.as_str(), source)
        })
        .collect();
    // With `--base`, the change's own findings come first; those on files it did not
    // touch follow under a heading of their own (often the calendar moving on).
    let own = |f: &&Finding| {
        report
            .compared
            .as_ref()
            .is_none_or(|c| c.touched.contains(&f.path))
    };
    let (first, rest): (Vec<&Finding>, Vec<&Finding>) = report.findings.iter().partition(own);
    let render_all = |findings: &[&Finding]| -> Vec<String> {
        findings
            .par_iter()
            .map(|finding| render_finding(&handler, finding, sources.get(finding.path.as_str())))
            .collect()
    };
    let rendered = render_all(&first);
    let untouched = render_all(&rest);
    let mut out = String::with_capacity(
        rendered
            .iter()
            .chain(&untouched)
            .map(String::len)
            .sum::<usize>()
            + 256,
    );
    for text in rendered {
        out.push_str(&text);
    }
    if !untouched.is_empty() {
        let files: HashSet<&str> = rest.iter().map(|f| f.path.as_str()).collect();
        out.push_str(&format!(
            "── {} in {} this change did not touch ──\n\n",
            plural(rest.len(), "finding"),
            plural(files.len(), "file"),
        ));
        for text in untouched {
            out.push_str(&text);
        }
    }
    out.push_str(&governing_section(report));
    if let Some(compared) = &report.compared {
        out.push_str(&terminal(&compared.line()));
        out.push('\n');
    }
    if let Some(line) = report.stale_baseline_line() {
        out.push_str(&terminal(&line));
        out.push('\n');
    }
    out.push_str(&report.totals().summary_line());
    out.push('\n');
    out
}

/// `1 finding`, `2 findings`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One finding as a miette report and a blank line; a plain line if miette fails.
fn render_finding(
    handler: &GraphicalReportHandler,
    finding: &Finding,
    source: Option<&WindowedSource<'_>>,
) -> String {
    // A line too long for a snippet: the location goes into the message instead.
    let fits =
        |s: &&WindowedSource<'_>| snippet_fits(&s.text, finding.span.start, finding.span.end);
    let location = match source {
        Some(s) if !fits(&s) => format!(
            " ({}:{}:{})",
            terminal(&finding.path),
            finding.start.line,
            finding.start.column
        ),
        _ => String::new(),
    };
    let source = source.filter(fits);
    let diagnostic = FindingDiagnostic {
        finding,
        message: terminal(&finding.message) + &location,
        help: terminal(&finding.help),
        source,
    };
    let mut out = String::new();
    if handler.render_report(&mut out, &diagnostic).is_err() {
        out.push_str(&format!(
            "{}:{}:{}: {} {}\n",
            terminal(&finding.path),
            finding.start.line,
            finding.start.column,
            finding.code,
            diagnostic.message
        ));
    }
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
        out.push_str(&terminal(&format!(
            "  {id}{title}{status} ({}): {}{more}",
            g.path,
            shown.join(", ")
        )));
        out.push('\n');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window gives miette exactly what the whole text would, for every span.
    #[test]
    fn windowed_source_matches_whole_text() {
        let text = "---\ntitle: a\r\nstatus: b\n\n\nx: [1,\n  2]\n---\n# Body\n\ntext\n- item\nlast line without newline";
        let source = crate::source::SourceText::new(text.to_string());
        let windowed = WindowedSource::new("f.md".into(), text.to_string(), source.line_starts());
        for start in 0..=text.len() {
            for len in [0, 1, 5, 40] {
                let len = len.min(text.len() - start);
                let span = SourceSpan::new(start.into(), len);
                for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                    let whole = text.read_span(&span, before, after);
                    let ours = windowed.read_span(&span, before, after);
                    match (whole, ours) {
                        (Ok(w), Ok(o)) => {
                            assert_eq!(w.data(), o.data(), "{start}+{len} ({before},{after})");
                            assert_eq!(w.span(), o.span(), "{start}+{len}");
                            assert_eq!(w.line(), o.line(), "{start}+{len}");
                            assert_eq!(w.column(), o.column(), "{start}+{len}");
                        }
                        (Err(_), Err(_)) => {}
                        (w, o) => panic!("{start}+{len}: {:?} vs {:?}", w.is_ok(), o.is_ok()),
                    }
                }
            }
        }
    }
}
