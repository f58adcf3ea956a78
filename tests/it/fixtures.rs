//! The fixtures and the registry stay in step: `fixtures/valid/` passes clean, and
//! every rule that can fire on a single run has an invalid record
//! `fixtures/invalid/decisions/<CODE>-<slug>.md` on which it fires.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use chrono::NaiveDate;
use declint::check::{CheckOptions, check};
use declint::report::Report;
use declint::rules::registry;
use std::path::{Path, PathBuf};

/// Rules a single fixture file cannot show: DL305 and DL307 need git (a `--base` change
/// or `--history`; tests/it/timeline.rs); DL206 and DL405
/// need a log of ten or more decisions (their unit tests build such logs); DL203 needs a
/// configured roster (fixtures/governance has one). DL5xx rules need a `--base` change
/// and are skipped by family.
const NOT_ONE_FILE: &[&str] = &["DL203", "DL206", "DL305", "DL307", "DL405"];

fn run(folder: &str) -> Report {
    check(&CheckOptions {
        paths: vec![PathBuf::from(folder)],
        config: None,
        today: Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
        cwd: Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        ..CheckOptions::default()
    })
    .expect("check runs")
}

#[test]
fn the_valid_log_passes_clean() {
    let report = run("fixtures/valid/decisions");
    assert!(report.records.len() >= 5, "the valid log is too small");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn every_rule_fires_on_its_invalid_fixture() {
    let report = run("fixtures/invalid/decisions");
    let mut missing = Vec::new();
    for rule in registry() {
        let code = rule.meta().code;
        if code.starts_with("DL5") || NOT_ONE_FILE.contains(&code) {
            continue;
        }
        let prefix = format!("fixtures/invalid/decisions/{code}-");
        let fixture = report.records.iter().find(|r| r.path.starts_with(&prefix));
        let Some(fixture) = fixture else {
            missing.push(format!("{code}: no fixture {prefix}<slug>.md"));
            continue;
        };
        if !report
            .findings
            .iter()
            .any(|f| f.code == code && f.path == fixture.path)
        {
            missing.push(format!("{code}: does not fire on {}", fixture.path));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_invalid_fixture_names_a_rule() {
    let report = run("fixtures/invalid/decisions");
    for record in &report.records {
        let name = record.path.rsplit('/').next().unwrap_or_default();
        let code = name.split('-').next().unwrap_or_default();
        assert!(
            registry().iter().any(|r| r.meta().code == code),
            "{name} does not start with a registered rule code"
        );
    }
}
