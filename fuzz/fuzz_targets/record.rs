//! The whole record pipeline on arbitrary bytes: front-matter split, YAML, typed fields,
//! body sections, every rule (per record and log-wide) and every printer.
//!
//! The input is cut at each `\0\0` into several files, so log-wide rules (duplicate ids,
//! supersede links, counts) see more than one record. The first byte picks the profile.
#![no_main]

use declint::check::check_records;
use declint::config::{Config, Profile};
use declint::output::{self, Format, Style};
use declint::record::{LoadProblem, Record};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fn record(index: usize, bytes: &[u8], config: &Config) -> Record {
    let path = format!("decisions/{:04}-fuzz.md", index + 1);
    match std::str::from_utf8(bytes) {
        Ok(text) => Record::parse(path, text.to_string(), config),
        Err(e) => Record::unloaded(
            path,
            LoadProblem::NotUtf8 {
                offset: e.valid_up_to(),
            },
            String::from_utf8_lossy(bytes).into_owned(),
        ),
    }
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
    let records: Vec<Record> = files(rest)
        .into_iter()
        .take(8)
        .enumerate()
        .map(|(i, bytes)| record(i, bytes, &config))
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let report = check_records(records, &config, today, PathBuf::from("/repo"));
    for finding in &report.findings {
        let record = report
            .records
            .iter()
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
    for format in [Format::Human, Format::Concise, Format::Json] {
        let text = output::render(format, &report, style);
        if format == Format::Json {
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON output parses");
        } else {
            assert!(
                !text.contains('\u{1b}'),
                "raw escape character in {format:?} output"
            );
        }
    }
});
