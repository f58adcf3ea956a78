//! The whole record pipeline on arbitrary bytes: front-matter split, YAML, typed fields,
//! body sections, every rule (per record and log-wide) and every printer.
//!
//! The input is cut at each `\0\0` into several files, so log-wide rules (duplicate ids,
//! supersede links, counts) see more than one record. The first byte picks the profile
//! (bit 0) and whether the files are read as base/head pairs of a change, so that the
//! change rules (DL5xx) run as under `check --base` (bit 1).
#![no_main]

use declint::{ChangeKind, ChangeSet, FileChange};
use declint::check::{check_change, check_records};
use declint::{Config, Profile};
use declint::output::{self, Format, Style};
use declint::Record;
use declint::report::Report;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fn record(index: usize, bytes: &[u8], config: &Config) -> Record {
    let path = format!("decisions/{:04}-fuzz.md", index + 1);
    Record::from_bytes(path, bytes.to_vec(), config)
}

/// Pairs of parts as the base and head of one file each; the pair's index picks whether
/// the file was modified, added, deleted or renamed.
fn change_report(
    parts: &[&[u8]],
    config: &Config,
    today: chrono::NaiveDate,
) -> (Report, Vec<Record>) {
    let mut changes = Vec::new();
    let mut heads = Vec::new();
    let mut bases = Vec::new();
    for (i, pair) in parts.chunks(2).enumerate() {
        let base = record(i, pair[0], config);
        let head = record(i, pair.get(1).copied().unwrap_or_default(), config);
        let (kind, base, head) = match i % 4 {
            0 => (ChangeKind::Modified, Some(base), Some(head)),
            1 => (ChangeKind::Added, None, Some(head)),
            2 => (ChangeKind::Deleted, Some(base), None),
            _ => {
                let mut base = base;
                base.path = format!("decisions/old-{i}.md");
                let from = base.path.clone();
                (ChangeKind::Renamed { from }, Some(base), Some(head))
            }
        };
        heads.extend(head.clone());
        bases.extend(base.clone());
        changes.push(FileChange { kind, base, head });
    }
    let change = ChangeSet {
        changes,
        added_on_base: Vec::new(),
        head_logged: heads
            .iter()
            .map(|r| (declint::record_key(r), 1_780_000_000))
            .collect(),
    };
    // The same pipeline `check --base` runs once git has been read.
    let report = check_change(heads, change, config, today, PathBuf::from("/repo"))
        .expect("records in memory always check");
    (report, bases)
}

/// The input cut at each `\0\0`.
fn files(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i + 1 < data.len() {
        if data[i] == 0 && data[i + 1] == 0 {
            parts.push(&data[start..i]);
            start = i + 2;
            i += 2;
        } else {
            i += 1;
        }
    }
    parts.push(&data[start..]);
    parts
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let config = if selector & 1 == 0 {
        Config::default()
    } else {
        Config::for_profile(Profile::Madr)
    };
    let parts: Vec<&[u8]> = files(rest).into_iter().take(8).collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let (report, bases) = if selector & 2 == 0 {
        let records = parts
            .iter()
            .enumerate()
            .map(|(i, bytes)| record(i, bytes, &config))
            .collect();
        (
            check_records(records, &config, today, PathBuf::from("/repo"))
                .expect("records in memory always check"),
            Vec::new(),
        )
    } else {
        change_report(&parts, &config, today)
    };
    for finding in &report.findings {
        let record = report
            .records
            .iter()
            .chain(&bases)
            .find(|r| r.path == finding.path)
            .expect("every finding names a checked file");
        let len = record.source.as_str().len();
        assert!(
            finding.span.start <= finding.span.end && finding.span.end <= len,
            "span {:?} outside a file of {len} bytes ({})",
            finding.span,
            finding.code
        );
    }
    let style = Style {
        color: false,
        width: 80,
    };
    for format in [
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
    ] {
        let text = output::render(format, &report, style);
        match format {
            Format::Json | Format::Sarif => {
                serde_json::from_str::<serde_json::Value>(&text).expect("JSON output parses");
            }
            Format::Github => {
                assert!(
                    text.lines()
                        .all(|l| l.starts_with("::") || l.starts_with("declint: ")),
                    "a line of github output is neither a command nor a log line"
                );
                assert!(!text.contains('\u{1b}') && !text.contains('\r'));
            }
            _ => {
                assert!(
                    !text.contains('\u{1b}'),
                    "raw escape character in {format:?} output"
                );
            }
        }
    }
});
