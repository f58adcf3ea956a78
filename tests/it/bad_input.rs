//! Bad input, one case per test: each bad file gets a clear finding at the right place,
//! never a panic, a hang or a read outside the repository, and never stops the others.
//! Files that can be committed live in `fixtures/bad-input/`; symlinks and oversized
//! files are built here in a temporary repository.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use chrono::NaiveDate;
use declint::check::{CheckOptions, check};
use declint::report::Report;
use std::fs;
use std::path::{Path, PathBuf};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn run(cwd: &Path, paths: &[&str]) -> Report {
    check(&CheckOptions {
        paths: paths.iter().map(PathBuf::from).collect(),
        config: None,
        today: Some(today()),
        cwd: cwd.to_path_buf(),
        ..CheckOptions::default()
    })
    .expect("check runs")
}

/// (code, line, column) of each finding on `path`.
fn at(report: &Report, path: &str) -> Vec<(&'static str, usize, usize)> {
    report
        .findings
        .iter()
        .filter(|f| f.path == path)
        .map(|f| (f.code, f.start.line, f.start.column))
        .collect()
}

fn fixtures() -> Report {
    run(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["fixtures/bad-input/decisions"],
    )
}

fn fixture(name: &str) -> String {
    format!("fixtures/bad-input/decisions/{name}")
}

/// A throwaway repository with a `decisions/` folder and one valid record.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    fs::create_dir(dir.path().join("decisions")).unwrap();
    fs::write(
        dir.path().join("decisions/0001-valid.md"),
        "---\ntitle: Use Postgres\nstatus: accepted\ndate: 2026-03-02\ndecider: ana\noptions: [Postgres, SQLite]\nreversal: [write load above 10k rows/s]\n---\n",
    )
    .unwrap();
    dir
}

#[test]
fn every_bad_file_is_checked_and_the_good_ones_too() {
    let report = fixtures();
    assert_eq!(report.records.len(), 15, "every file was read");
    for name in [
        "alias-bomb.md",
        "binary.md",
        "deep-nesting.md",
        "duplicate-key.md",
        "empty-front-matter.md",
        "no-front-matter.md",
        "not-a-mapping.md",
        "not-utf8.md",
        "unterminated.md",
        "wrong-types.md",
        "yaml-bad-indent.md",
        "yaml-syntax.md",
    ] {
        assert!(
            !at(&report, &fixture(name)).is_empty(),
            "{name} has no finding"
        );
    }
}

#[test]
fn bom_and_crlf_are_accepted() {
    let report = fixtures();
    for name in ["bom.md", "crlf.md", "bom-crlf.md"] {
        assert_eq!(at(&report, &fixture(name)), [], "{name}");
        let record = report
            .records
            .iter()
            .find(|r| r.path == fixture(name))
            .unwrap();
        assert!(record.fields.decider.is_some(), "{name} was parsed");
    }
}

#[test]
fn missing_empty_and_unterminated_front_matter() {
    let report = fixtures();
    for name in [
        "no-front-matter.md",
        "empty-front-matter.md",
        "unterminated.md",
    ] {
        assert_eq!(at(&report, &fixture(name)), [("DL001", 1, 1)], "{name}");
    }
}

#[test]
fn yaml_syntax_errors_point_at_the_line_and_column() {
    let report = fixtures();
    assert_eq!(at(&report, &fixture("yaml-syntax.md")), [("DL002", 5, 10)]);
    assert_eq!(
        at(&report, &fixture("yaml-bad-indent.md")),
        [("DL002", 6, 2)]
    );
    assert_eq!(at(&report, &fixture("not-a-mapping.md")), [("DL002", 2, 1)]);
}

#[test]
fn wrong_types_point_at_each_value() {
    let report = fixtures();
    assert_eq!(
        at(&report, &fixture("wrong-types.md")),
        [
            ("DL003", 3, 8),
            ("DL003", 6, 10),
            ("DL003", 7, 10),
            ("DL003", 8, 11),
            ("DL003", 9, 23)
        ]
    );
    assert_eq!(
        at(&report, &fixture("duplicate-key.md")),
        [("DL101", 1, 1), ("DL201", 1, 1), ("DL003", 5, 1)]
    );
}

#[test]
fn alias_bombs_and_deep_nesting_are_bounded() {
    let report = fixtures();
    assert_eq!(at(&report, &fixture("alias-bomb.md"))[0].0, "DL002");
    assert_eq!(at(&report, &fixture("deep-nesting.md"))[0].0, "DL002");
}

#[test]
fn non_utf8_and_binary_files_are_reported_where_the_bad_byte_is() {
    let report = fixtures();
    assert_eq!(at(&report, &fixture("not-utf8.md")), [("DL005", 3, 11)]);
    assert_eq!(at(&report, &fixture("binary.md")), [("DL005", 5, 1)]);
}

#[test]
fn files_over_max_file_bytes_are_not_read() {
    let dir = repo();
    let big = format!("---\ntitle: big\n---\n{}", "x".repeat(1024 * 1024));
    fs::write(dir.path().join("decisions/0002-big.md"), big).unwrap();
    let report = run(dir.path(), &[]);
    assert_eq!(at(&report, "decisions/0002-big.md"), [("DL005", 1, 1)]);
    assert!(
        report.findings[0]
            .message
            .contains("over the limit of 1048576")
    );
    assert_eq!(at(&report, "decisions/0001-valid.md"), []);

    fs::write(dir.path().join(".declint.yml"), "max_file_bytes: 100\n").unwrap();
    let report = run(dir.path(), &[]);
    assert_eq!(at(&report, "decisions/0001-valid.md"), [("DL005", 1, 1)]);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repository_is_reported_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, "---\ntitle: SECRET-CONTENT\n---\n").unwrap();
    let dir = repo();
    std::os::unix::fs::symlink(&secret, dir.path().join("decisions/0002-link.md")).unwrap();
    let report = run(dir.path(), &[]);
    assert_eq!(at(&report, "decisions/0002-link.md"), [("DL005", 1, 1)]);
    let finding = &report.findings[0];
    assert!(
        finding.message.contains("outside the repository"),
        "{finding:?}"
    );
    assert!(
        report
            .records
            .iter()
            .all(|r| !r.source.as_str().contains("SECRET-CONTENT")),
        "the target was read"
    );
    assert_eq!(at(&report, "decisions/0001-valid.md"), []);
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_repository_is_followed() {
    let dir = repo();
    fs::create_dir(dir.path().join("shared")).unwrap();
    fs::copy(
        dir.path().join("decisions/0001-valid.md"),
        dir.path().join("shared/0002-shared.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "../shared/0002-shared.md",
        dir.path().join("decisions/0002-shared.md"),
    )
    .unwrap();
    let report = run(dir.path(), &[]);
    assert_eq!(report.records.len(), 2);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let dir = repo();
    let decisions = dir.path().join("decisions");
    std::os::unix::fs::symlink("0003-b.md", decisions.join("0002-a.md")).unwrap();
    std::os::unix::fs::symlink("0002-a.md", decisions.join("0003-b.md")).unwrap();
    std::os::unix::fs::symlink(".", decisions.join("0004-dir.md")).unwrap();
    std::os::unix::fs::symlink("..", decisions.join("parent")).unwrap();
    let report = run(dir.path(), &[]);
    assert_eq!(at(&report, "decisions/0002-a.md"), [("DL005", 1, 1)]);
    assert!(report.findings[0].message.contains("symlink loop"));
    assert_eq!(at(&report, "decisions/0003-b.md"), [("DL005", 1, 1)]);
    assert_eq!(at(&report, "decisions/0004-dir.md"), [("DL005", 1, 1)]);
    assert_eq!(at(&report, "decisions/0001-valid.md"), []);
    assert_eq!(
        report.records.len(),
        4,
        "the directory link is not walked into"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    let dir = repo();
    let fifo = dir.path().join("decisions/0002-fifo.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this system: nothing to test
    }
    let report = run(dir.path(), &[]);
    assert_eq!(report.records.len(), 1, "only the regular file is read");
}

#[test]
fn one_bad_file_never_stops_the_others() {
    let dir = repo();
    let decisions = dir.path().join("decisions");
    fs::write(decisions.join("0002-bin.md"), b"\x00\x01").unwrap();
    fs::write(
        decisions.join("0003-latin1.md"),
        b"---\ntitle: Caf\xe9\n---\n",
    )
    .unwrap();
    fs::write(decisions.join("0004-yaml.md"), "---\ntitle: [\n---\n").unwrap();
    fs::write(decisions.join("0005-none.md"), "").unwrap();
    let report = run(dir.path(), &[]);
    assert_eq!(report.records.len(), 5);
    let codes: Vec<_> = ["0002-bin", "0003-latin1", "0004-yaml", "0005-none"]
        .iter()
        .map(|n| at(&report, &format!("decisions/{n}.md"))[0].0)
        .collect();
    assert_eq!(codes, ["DL005", "DL005", "DL002", "DL001"]);
    assert_eq!(at(&report, "decisions/0001-valid.md"), []);
}
