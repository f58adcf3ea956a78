//! Findings are plain data: what a rule says about a file, where, and how to fix it.
//!
//! They carry resolved line/column positions so that every printer (human, concise, JSON,
//! SARIF, GitHub) reports the same location without re-reading the file.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How much a finding matters. `Off` exists only in configuration; no finding carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A half-open byte range `[start, end)` into a file's text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The start of the file: where findings about a file as a whole point.
    pub const FILE_START: Span = Span { start: 0, end: 0 };

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A 1-based line and column (column counted in characters, as editors and GitHub do).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, e.g. `DL101`.
    pub code: &'static str,
    /// Stable kebab-case rule name, e.g. `required-field`.
    pub name: &'static str,
    pub severity: Severity,
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub span: Span,
    pub start: Position,
    pub end: Position,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The record field the finding is about (`status`, `date`, the unknown key of a
    /// DL004), as the rule that made it knows it; empty for a finding about the file,
    /// the record as a whole or the change. The baseline keys on it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
    /// Held by the baseline (`.declint-baseline.json`): reported at `info`, never failing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub baselined: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

fn is_zero(value: &usize) -> bool {
    *value == 0
}

/// A fingerprint for each finding, in order, that survives lines moving: the rule, the file,
/// the message, and which of several identical findings in that file it is. FNV-1a, 64
/// bits, as hex (decisions/0101). SARIF and the GitLab report carry the same values, so an
/// alert keeps its identity whichever a team uploads.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: std::collections::HashMap<(&str, &str, &str), usize> =
        std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let occurrence = seen.entry((f.code, &f.path, &f.message)).or_insert(0);
            *occurrence += 1;
            let occurrence = occurrence.to_string();
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for part in [f.code, &f.path, &f.message, &occurrence] {
                for byte in part.bytes().chain([0]) {
                    hash ^= u64::from(byte);
                    hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
                }
            }
            format!("{hash:016x}")
        })
        .collect()
}

impl Finding {
    /// The order every printer uses: path, then line, then code, then column and message
    /// so that the output is fully deterministic.
    pub fn sort_key(&self) -> (&str, usize, &str, usize, &str) {
        (
            &self.path,
            self.start.line,
            self.code,
            self.start.column,
            &self.message,
        )
    }
}

/// Sort findings stably in the one order all formats share.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Counts for the closing summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings the baseline holds (not counted above); absent from JSON when 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
    /// Files with at least one finding.
    pub files_with_findings: usize,
    /// Files checked.
    pub files_checked: usize,
}

impl Totals {
    pub fn of(findings: &[Finding], files_checked: usize) -> Self {
        let mut totals = Totals {
            files_checked,
            ..Totals::default()
        };
        let mut last_path: Option<&str> = None;
        let mut paths = std::collections::BTreeSet::new();
        for finding in findings {
            match finding.severity {
                _ if finding.baselined => totals.baselined += 1,
                Severity::Error => totals.errors += 1,
                Severity::Warning => totals.warnings += 1,
                Severity::Info => totals.infos += 1,
                Severity::Off => {}
            }
            if last_path != Some(finding.path.as_str()) {
                paths.insert(finding.path.as_str());
                last_path = Some(finding.path.as_str());
            }
        }
        totals.files_with_findings = paths.len();
        totals
    }

    /// `3 errors, 1 warning in 2 of 12 files checked`, or with nothing found
    /// `0 errors, 0 warnings in 12 files checked`.
    pub fn summary_line(&self) -> String {
        fn plural(n: usize, word: &str) -> String {
            if n == 1 {
                format!("{n} {word}")
            } else {
                format!("{n} {word}s")
            }
        }
        let mut line = format!(
            "{}, {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning")
        );
        if self.infos > 0 {
            line.push_str(&format!(", {}", plural(self.infos, "note")));
        }
        if self.baselined > 0 {
            line.push_str(&format!(", {} baselined", self.baselined));
        }
        if self.files_with_findings == 0 {
            line.push_str(&format!(
                " in {} checked",
                plural(self.files_checked, "file")
            ));
        } else {
            line.push_str(&format!(
                " in {} of {} checked",
                self.files_with_findings,
                plural(self.files_checked, "file")
            ));
        }
        line
    }
}
