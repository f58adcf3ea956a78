//! `path:line:col: CODE severity message`, one finding a line, then the summary line.
//!
//! A line must stay one line and its location must stay parseable whatever the file is
//! called, so the path is escaped: `\` as `\\`, `:` as `\:`, and control characters as
//! `\n`, `\r`, `\t` or `\u{…}`. A path without those characters prints as it is. The
//! message is made terminal-safe (see [`terminal`]).

use crate::escape::{concise_path, terminal};
use crate::report::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(report.findings.len() * 96 + 64);
    for f in &report.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} {}{}",
            concise_path(&f.path),
            f.start.line,
            f.start.column,
            f.code,
            f.severity,
            terminal(&f.message),
            if f.baselined { " [baselined]" } else { "" }
        );
    }
    if let Some(compared) = &report.compared {
        out.push_str(&terminal(&compared.line()));
        out.push('\n');
    }
    if let Some(line) = report.stale_baseline_line() {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&report.totals().summary_line());
    out.push('\n');
    out
}
