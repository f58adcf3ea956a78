//! The baseline (SPEC §10): today's findings of an adopted log, recorded in a committed
//! file so `check` stays green on the debt and fails on everything new.
//!
//! An entry is keyed by what stays the same across unrelated edits — the rule, the
//! record's id (its path when it has none), the field the finding is about (its `field`,
//! set by the rule that made it) and a hash of the offending text — never by a line
//! number, so a record can grow a paragraph above the finding and keep its entry. The
//! file is JSON, one entry a finding, sorted, with the path and message beside the key
//! for the reviewer (they are not matched).
//!
//! Version 1 files took the field from the first backticked word of the message. They
//! keep working: their entries are matched that way, and `declint baseline --prune`
//! rewrites the file as version 2 (decisions/0127).
//!
//! A baseline never hides a change rule (DL5xx), a finding in a record the change adds,
//! or a parse error (DL001/DL002/DL005) in a record the change adds or edits.

use crate::error::{Error, Result};
use crate::finding::{Finding, Severity};
use crate::report::{BaselineEntry, Key, Report};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The baseline's file name, at the repository root.
pub const BASELINE_FILE: &str = ".declint-baseline.json";
/// The version of the file's format: 2 keys on the finding's field.
const VERSION: u32 = 2;
/// The version that keyed on the first backticked word of the message; still read.
const VERSION_MESSAGE_FIELD: u32 = 1;
/// A baseline file larger than this is refused (a real one is a few hundred KiB).
const MAX_BASELINE_BYTES: u64 = 16 * 1024 * 1024;

/// The file as written.
#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    entries: Vec<BaselineEntry>,
}

/// The path of the baseline of the repository at `root`.
pub fn path_in(root: &Path) -> PathBuf {
    root.join(BASELINE_FILE)
}

/// A baseline as read from its file.
pub struct Baseline {
    pub entries: Vec<BaselineEntry>,
    /// Written as version 1: entries are matched by the field the message names.
    pub message_keyed: bool,
}

/// Read the baseline at `path`; `None` when there is none.
pub fn load(path: &Path) -> Result<Option<Baseline>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(None);
    }
    let text = crate::discover::read_file_limited(path, MAX_BASELINE_BYTES)?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
        Error::usage(
            format!("{}: not a declint baseline: {e}", path.display()),
            Some("rewrite it with `declint baseline`"),
        )
    })?;
    if file.version != VERSION && file.version != VERSION_MESSAGE_FIELD {
        return Err(Error::usage(
            format!(
                "{}: baseline version {} is not one this declint reads ({VERSION})",
                path.display(),
                file.version
            ),
            Some("rewrite it with `declint baseline`"),
        ));
    }
    Ok(Some(Baseline {
        entries: file.entries,
        message_keyed: file.version == VERSION_MESSAGE_FIELD,
    }))
}

/// The baseline text for `entries`: sorted, one entry an object, a newline at the end.
pub fn render(mut entries: Vec<BaselineEntry>) -> String {
    entries.sort();
    let file = BaselineFile {
        version: VERSION,
        entries,
    };
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// The entries for the findings of `report` that a baseline may hold.
pub fn entries_of(report: &Report) -> Vec<BaselineEntry> {
    let ids = record_ids(report);
    report
        .findings
        .iter()
        .filter(|f| may_hold(f))
        .map(|f| entry(f, &ids, false))
        .collect()
}

/// The entries for the findings of `report` its baseline held (after [`apply`]): what
/// `baseline --prune` keeps, keyed the current way.
pub fn held_entries(report: &Report) -> Vec<BaselineEntry> {
    let ids = record_ids(report);
    report
        .findings
        .iter()
        .filter(|f| f.baselined)
        .map(|f| entry(f, &ids, false))
        .collect()
}

/// Mark the findings of `report` that `baseline` holds as baselined (severity `info`,
/// `baselined: true`: they never fail the run) and return the entries nothing matched.
pub fn apply(report: &mut Report, baseline: &Baseline) -> Vec<BaselineEntry> {
    let mut left: HashMap<Key, Vec<&BaselineEntry>> = HashMap::new();
    for entry in &baseline.entries {
        left.entry(entry.key()).or_default().push(entry);
    }
    let ids = record_ids(report);
    let (touched, added) = match &report.compared {
        Some(c) => (Some(&c.touched), Some(&c.added)),
        None => (None, None),
    };
    let mut marks = Vec::with_capacity(report.findings.len());
    for finding in &report.findings {
        let in_added = added.is_some_and(|a| a.contains(&finding.path));
        let parse_error_in_change =
            is_parse_error(finding.code) && touched.is_some_and(|t| t.contains(&finding.path));
        if !may_hold(finding) || in_added || parse_error_in_change {
            marks.push(false);
            continue;
        }
        let probe = entry(finding, &ids, baseline.message_keyed);
        let held = left
            .get_mut(&probe.key())
            .and_then(|found| found.pop())
            .is_some();
        marks.push(held);
    }
    for (finding, held) in report.findings.iter_mut().zip(marks) {
        if held {
            finding.baselined = true;
            finding.severity = Severity::Info;
        }
    }
    let mut stale: Vec<BaselineEntry> = left.into_values().flatten().cloned().collect();
    stale.sort();
    stale
}

/// Whether a baseline may hold `finding` at all: never a change rule.
fn may_hold(finding: &Finding) -> bool {
    !finding.code.starts_with("DL5")
}

fn is_parse_error(code: &str) -> bool {
    matches!(code, "DL001" | "DL002" | "DL005")
}

/// Each record by path: its id (if any) and its text.
fn record_ids(report: &Report) -> HashMap<&str, (Option<&str>, &str)> {
    report
        .records
        .iter()
        .map(|r| (r.path.as_str(), (r.id(), r.source.as_str())))
        .collect()
}

/// The entry for `finding`; `message_keyed` takes the field as version 1 did.
fn entry(
    finding: &Finding,
    ids: &HashMap<&str, (Option<&str>, &str)>,
    message_keyed: bool,
) -> BaselineEntry {
    let (id, text) = ids.get(finding.path.as_str()).copied().unwrap_or_default();
    let value = text
        .get(finding.span.start..finding.span.end)
        .unwrap_or_default()
        .trim();
    BaselineEntry {
        rule: finding.code.to_string(),
        record: id.map_or_else(|| finding.path.clone(), str::to_string),
        field: if message_keyed {
            field_named(&finding.message).to_string()
        } else {
            finding.field.clone()
        },
        value: fnv64(value),
        path: finding.path.clone(),
        message: finding.message.clone(),
    }
}

/// The field a message names, as version 1 keyed it: its first `code span` (`required
/// field `status` is missing` → `status`), or nothing.
fn field_named(message: &str) -> &str {
    message
        .split('`')
        .nth(1)
        .filter(|s| s.len() <= 64)
        .unwrap_or_default()
}

/// FNV-1a, 64 bits, as hex: stable across versions and platforms (decisions/0101).
fn fnv64(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Version 2 keys on the finding's own field: a reworded message keeps its entry.
    #[test]
    fn the_key_is_the_findings_field_not_its_message() {
        let finding = |message: &str| Finding {
            code: "DL102",
            name: "unknown-status",
            severity: Severity::Error,
            path: "d/0001-x.md".into(),
            span: crate::finding::Span::new(0, 7),
            start: crate::finding::Position::default(),
            end: crate::finding::Position::default(),
            message: message.into(),
            help: String::new(),
            field: "status".into(),
            baselined: false,
        };
        let ids = HashMap::from([("d/0001-x.md", (Some("0001"), "Acepted"))]);
        let before = entry(&finding("unknown status `Acepted`"), &ids, false);
        let after = entry(&finding("`Acepted` is not a status"), &ids, false);
        assert_eq!(before.field, "status");
        assert_eq!(before.key(), after.key());
        // Version 1 keyed on the message, so the same rewording lost the entry.
        let before = entry(&finding("unknown status `Acepted`"), &ids, true);
        let after = entry(&finding("the status is not `accepted`"), &ids, true);
        assert_ne!(before.key(), after.key());
    }

    #[test]
    fn the_field_is_the_first_code_span() {
        assert_eq!(field_named("required field `status` is missing"), "status");
        assert_eq!(field_named("no front-matter"), "");
    }

    #[test]
    fn rendering_sorts_and_round_trips() {
        let entry = |rule: &str, record: &str| BaselineEntry {
            rule: rule.into(),
            record: record.into(),
            field: "date".into(),
            value: fnv64("12/02/2016"),
            path: format!("doc/adr/{record}-x.md"),
            message: "m".into(),
        };
        let text = render(vec![entry("DL103", "0002"), entry("DL101", "0001")]);
        let file: BaselineFile = serde_json::from_str(&text).expect("parses");
        let rules: Vec<&str> = file.entries.iter().map(|e| e.rule.as_str()).collect();
        assert_eq!(rules, ["DL101", "DL103"]);
        assert_eq!(render(file.entries), text);
    }
}
