//! Printers: each format is a function over the same [`Report`]; none re-checks anything.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod summary;

use crate::report::Report;

/// The output formats of `declint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// `path:line:col: CODE severity message`, one finding a line.
    Concise,
    /// A versioned JSON document (see docs/json-output.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request's diff.
    Github,
}

/// How the human printer should look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

/// Render `report` in `format`. The closing summary line is part of human and concise
/// output; machine formats carry the counts inside the document instead.
pub fn render(format: Format, report: &Report, style: Style) -> String {
    match format {
        Format::Human => human::render(report, style),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
    }
}

/// Make text from a record safe to print on a terminal: control characters (terminal
/// escape sequences among them) and bidirectional overrides are shown escaped, never sent raw.
pub fn terminal_safe(text: &str) -> String {
    if !text.chars().any(is_unsafe_for_terminal) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe_for_terminal(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Characters a terminal would act on rather than show: C0 and C1 controls (ESC, CSI, BEL,
/// CR, …) and the bidirectional embedding, override and isolate marks that can make text
/// read differently from what it is ("Trojan Source").
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences() {
        assert_eq!(terminal_safe("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal_safe("plain"), "plain");
        assert_eq!(terminal_safe("a\rb\u{9b}c"), "a\\rb\\u{9b}c");
        assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
    }
}
