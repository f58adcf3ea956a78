//! The Markdown job summary (`$GITHUB_STEP_SUMMARY` or `--summary FILE`): the counts, a
//! table of every finding (annotations are capped at 10 per level per step, so this is
//! where a reviewer sees them all), and the decisions that govern the change.
//!
//! GitHub refuses a step summary over 1 MiB, so the table is cut at a row boundary before
//! the budget is spent, and says how many rows it left out. Record text is escaped so a
//! message can neither break the table nor inject links or HTML.

use crate::escape::markdown_cell;
use crate::finding::{Finding, Severity};
use crate::report::{Governing, Report};
use std::fmt::Write;

/// GitHub's limit for one step's summary file.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024;
/// Kept free under the limit for the headings, the closing note and rounding.
const RESERVE: usize = 16 * 1024;

/// How the summary links to files and how much room it has.
#[derive(Debug, Clone)]
pub struct SummaryOptions {
    /// Prefix for file links, e.g. `https://github.com/o/r/blob/<sha>/`; relative links
    /// (`path#L3`) without it.
    pub blob_url: Option<String>,
    /// Bytes the summary may take (the file's limit less what it already holds).
    pub budget: usize,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            blob_url: None,
            budget: STEP_SUMMARY_LIMIT,
        }
    }
}

/// A link target for a path: `/` kept, the rest percent-encoded as in a URI.
fn link(options: &SummaryOptions, path: &str, line: Option<usize>) -> String {
    let mut target = options.blob_url.clone().unwrap_or_default();
    target.push_str(&super::sarif::uri_reference(path));
    if let Some(line) = line {
        let _ = write!(target, "#L{line}");
    }
    target
}

fn icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟡 warning",
        Severity::Info | Severity::Off => "🔵 note",
    }
}

/// One table row; `on_head` false (a deleted file) gives the location as text, since a
/// link to the checked commit would lead nowhere.
fn finding_row(options: &SummaryOptions, f: &Finding, on_head: bool) -> String {
    let location = if on_head {
        format!(
            "[{}:{}]({})",
            markdown_cell(&f.path),
            f.start.line,
            link(options, &f.path, Some(f.start.line))
        )
    } else {
        format!("{} (deleted)", markdown_cell(&f.path))
    };
    format!(
        "| {} | `{}` {} | {} | {} |\n",
        icon(f.severity),
        f.code,
        markdown_cell(f.name),
        location,
        markdown_cell(&f.message),
    )
}

fn governing_row(options: &SummaryOptions, g: &Governing) -> String {
    const SHOWN: usize = 5;
    let name = match (&g.id, &g.title) {
        (Some(id), Some(title)) => format!("{id}: {title}"),
        (Some(id), None) => id.clone(),
        (None, Some(title)) => title.clone(),
        (None, None) => g.path.clone(),
    };
    let mut files: Vec<String> = g
        .matched_files
        .iter()
        .take(SHOWN)
        .map(|f| markdown_cell(f))
        .collect();
    if g.matched_files.len() > SHOWN {
        files.push(format!("and {} more", g.matched_files.len() - SHOWN));
    }
    format!(
        "| [{}]({}) | {} | {} |\n",
        markdown_cell(&name),
        link(options, &g.path, None),
        markdown_cell(g.status.as_deref().unwrap_or("—")),
        files.join(", "),
    )
}

/// Add `rows` under `header` while they fit in `budget`; say how many were left out.
fn push_table(out: &mut String, header: &str, rows: &[String], budget: usize, what: &str) {
    out.push_str(header);
    let mut shown = 0;
    for row in rows {
        if out.len() + row.len() > budget {
            break;
        }
        out.push_str(row);
        shown += 1;
    }
    let left = rows.len() - shown;
    if left > 0 {
        let _ = writeln!(
            out,
            "\n_… and {left} more {what} not shown: the summary is capped at 1 MiB. \
             The step log and the SARIF file have them all._"
        );
    }
    out.push('\n');
}

/// The summary section for a tool failure (exit 2): what went wrong and how to fix it,
/// escaped as any other summary text.
pub fn render_failure(message: &str, help: Option<&str>) -> String {
    let mut out = format!(
        "## ⛔ declint could not check\n\n{}\n\n",
        markdown_cell(message)
    );
    if let Some(help) = help {
        let _ = writeln!(out, "**help:** {}\n", markdown_cell(help));
    }
    out
}

pub fn render(report: &Report, options: &SummaryOptions) -> String {
    let totals = report.totals();
    let budget = options.budget.saturating_sub(RESERVE);
    let mut out = String::new();
    let verdict = if totals.errors > 0 {
        "❌"
    } else if totals.warnings > 0 {
        "⚠️"
    } else {
        "✅"
    };
    let _ = writeln!(out, "## {verdict} declint: {}\n", totals.summary_line());
    if let Some(compared) = &report.compared {
        let _ = writeln!(out, "{}\n", markdown_cell(&compared.line()));
    }
    let _ = writeln!(
        out,
        "| errors | warnings | notes | files with findings | files checked |\n|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} |\n",
        totals.errors,
        totals.warnings,
        totals.infos,
        totals.files_with_findings,
        totals.files_checked
    );

    // The governing decisions come first: they are short and tell a reviewer what the
    // change is bound by, so they must survive a cut of the long findings table.
    if !report.governing.is_empty() {
        let rows: Vec<String> = report
            .governing
            .iter()
            .map(|g| governing_row(options, g))
            .collect();
        push_table(
            &mut out,
            "### Decisions governing this change\n\n| decision | status | changed files it covers |\n|---|---|---|\n",
            &rows,
            budget,
            "decisions",
        );
    }

    if report.findings.is_empty() {
        out.push_str("No findings.\n\n");
    } else {
        let on_head = report.paths_on_head();
        let rows: Vec<String> = report
            .findings
            .iter()
            .map(|f| finding_row(options, f, on_head.contains(f.path.as_str())))
            .collect();
        push_table(
            &mut out,
            "### Findings\n\n| severity | rule | location | message |\n|---|---|---|---|\n",
            &rows,
            budget,
            "findings",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Position, Span};
    use std::path::PathBuf;

    fn finding(i: usize, message: &str) -> Finding {
        Finding {
            code: "DL101",
            name: "required-field",
            severity: Severity::Error,
            path: format!("decisions/{i:04}-x.md"),
            span: Span::new(0, 3),
            start: Position { line: 3, column: 1 },
            end: Position { line: 3, column: 4 },
            message: message.to_string(),
            help: String::new(),
            field: String::new(),
            baselined: false,
        }
    }

    /// A report whose findings are on files present on head.
    fn report(findings: Vec<Finding>, governing: Vec<Governing>) -> Report {
        let config = crate::config::Config::default();
        let records = findings
            .iter()
            .map(|f| crate::record::Record::parse(f.path.clone(), String::new(), &config))
            .collect();
        Report {
            root: PathBuf::from("."),
            records,
            findings,
            governing,
            compared: None,
            stale_baseline: Vec::new(),
            baseline_message_keyed: false,
        }
    }

    #[test]
    fn a_deleted_file_is_named_not_linked() {
        let mut deleted = report(vec![finding(3, "was deleted")], Vec::new());
        deleted.records.clear();
        let text = render(&deleted, &SummaryOptions::default());
        assert!(text.contains("| decisions/0003-x.md (deleted) |"), "{text}");
        assert!(!text.contains("0003-x.md#L"), "{text}");
    }

    #[test]
    fn failure_section_has_message_and_escaped_help() {
        let text = render_failure("base <b> not found", Some("set `fetch-depth: 2`"));
        assert!(text.starts_with("## ⛔ declint could not check\n\nbase \\<b\\> not found\n"));
        assert!(text.contains("**help:** set \\`fetch-depth: 2\\`\n"));
        assert!(!render_failure("m", None).contains("help"));
    }

    #[test]
    fn cells_cannot_break_the_table_or_inject_markup() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(
            markdown_cell("<img src=x> [l](http://e)\nrow"),
            "\\<img src=x\\> \\[l\\]\\(http\\://e\\) row"
        );
    }

    #[test]
    fn lists_findings_with_line_links() {
        let text = render(
            &report(vec![finding(1, "`decider` is missing")], Vec::new()),
            &SummaryOptions {
                blob_url: Some("https://github.com/o/r/blob/abc/".into()),
                budget: STEP_SUMMARY_LIMIT,
            },
        );
        assert!(text.contains("1 error, 0 warnings"), "{text}");
        assert!(
            text.contains(
                "[decisions/0001-x.md:3](https://github.com/o/r/blob/abc/decisions/0001-x.md#L3)"
            ),
            "{text}"
        );
        assert!(!text.contains("governing"), "{text}");
    }

    #[test]
    fn relative_links_without_a_blob_url() {
        let text = render(
            &report(vec![finding(7, "m")], Vec::new()),
            &SummaryOptions::default(),
        );
        assert!(text.contains("(decisions/0007-x.md#L3)"), "{text}");
    }

    #[test]
    fn governing_decisions_are_listed_when_present() {
        let governing = Governing {
            path: "decisions/0004-db.md".into(),
            id: Some("0004".into()),
            title: Some("Use Postgres".into()),
            status: Some("accepted".into()),
            matched_files: (0..7).map(|i| format!("db/m{i}.sql")).collect(),
        };
        let text = render(
            &report(Vec::new(), vec![governing]),
            &SummaryOptions::default(),
        );
        assert!(
            text.contains("### Decisions governing this change"),
            "{text}"
        );
        assert!(
            text.contains("[0004: Use Postgres](decisions/0004-db.md)"),
            "{text}"
        );
        assert!(text.contains("and 2 more"), "{text}");
        assert!(text.contains("No findings."), "{text}");
    }

    #[test]
    fn cut_at_a_row_boundary_under_the_limit() {
        let long = "x".repeat(500);
        let findings: Vec<Finding> = (0..5000).map(|i| finding(i, &long)).collect();
        let text = render(&report(findings, Vec::new()), &SummaryOptions::default());
        assert!(text.len() < STEP_SUMMARY_LIMIT, "{} bytes", text.len());
        let rows = text.lines().filter(|l| l.starts_with("| 🔴")).count();
        assert!(rows > 1000 && rows < 5000, "{rows} rows");
        assert!(
            text.contains(&format!("… and {} more findings not shown", 5000 - rows)),
            "closing note missing"
        );
        // Every kept row is whole.
        assert!(
            text.lines()
                .filter(|l| l.starts_with("| 🔴"))
                .all(|l| l.ends_with(" |"))
        );
    }

    #[test]
    fn a_smaller_budget_leaves_room_for_what_the_file_already_holds() {
        let findings: Vec<Finding> = (0..100).map(|i| finding(i, "m")).collect();
        let options = SummaryOptions {
            blob_url: None,
            budget: RESERVE + 2_000,
        };
        let text = render(&report(findings, Vec::new()), &options);
        assert!(text.len() <= RESERVE + 2_000);
        assert!(text.contains("more findings not shown"));
    }
}
