//! `path:line:col: CODE severity message`, one finding a line, then the summary line.
//!
//! A line must stay one line and its location must stay parseable whatever the file is
//! called, so the path is escaped: `\` as `\\`, `:` as `\:`, and control characters as
//! `\n`, `\r`, `\t` or `\u{…}`. A path without those characters prints as it is. The
//! message is made terminal-safe (see [`terminal_safe`]).

use super::{is_unsafe_for_terminal, terminal_safe};
use crate::report::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(report.findings.len() * 96 + 64);
    for f in &report.findings {
        let _ = writeln!(
            out,
            "{}:{}:{}: {} {} {}",
            escape_path(&f.path),
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

/// The path as it appears before `:line:col:`, escaped so that the first unescaped `:`
/// ends it and no character in it acts on a terminal.
pub fn escape_path(path: &str) -> String {
    if !path
        .chars()
        .any(|c| c == '\\' || c == ':' || is_unsafe_for_terminal(c))
    {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ':' => out.push_str("\\:"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_for_terminal(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_path;

    #[test]
    fn plain_paths_print_as_they_are() {
        assert_eq!(
            escape_path("decisions/0001-a,b.md"),
            "decisions/0001-a,b.md"
        );
    }

    #[test]
    fn colons_newlines_and_backslashes_are_escaped() {
        assert_eq!(escape_path("d/a:1:2.md"), "d/a\\:1\\:2.md");
        assert_eq!(escape_path("d/a\nb.md"), "d/a\\nb.md");
        assert_eq!(escape_path("d/a\\nb.md"), "d/a\\\\nb.md");
        assert_eq!(escape_path("d/\u{1b}[2J.md"), "d/\\u{1b}[2J.md");
    }
}
