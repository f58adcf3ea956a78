//! `path:line:col: CODE severity message`, one finding a line, then the summary line.

use super::terminal_safe;
use crate::check::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(report.findings.len() * 96 + 64);
    for f in &report.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            terminal_safe(&f.path),
            f.start.line,
            f.start.column,
            f.code,
            f.severity,
            terminal_safe(&f.message)
        );
    }
    out.push_str(&report.totals().summary_line());
    out.push('\n');
    out
}
