//! `check` inside a faked GitHub Actions environment: default format, job summary,
//! `--fail-on`; and the pre-commit case of a few files from a larger log.

// Test helpers outside #[test] functions: a failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used)]

use clap::Parser;
use declint::cli::{Cli, Env};
use declint::workspace::Workspace;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A record no rule objects to.
const GOOD: &str = "---\nid: \"0001\"\ntitle: Use Postgres\nkind: decision\nstatus: accepted
raised: 2026-03-01\ndate: 2026-03-02\ndecider: ana\nagree: [ben]
options:\n  - name: Use Postgres\n  - name: keep what we have
reversal:\n  - the weekly active users drop below one hundred for a quarter
reversibility: two-way\ndissent: []\nreview_by: 2027-03-01\n---\n\n# Use Postgres\n";
/// Exactly one error: DL001 on line 1.
const BROKEN: &str = "# Use Redis\n\nNo front-matter here.\n";

fn log(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn github_env(dir: &Path, summary: &Path) -> Env {
    let vars: HashMap<&str, String> = [
        ("GITHUB_ACTIONS", "true".to_string()),
        ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
        ("GITHUB_SERVER_URL", "https://github.com".to_string()),
        ("GITHUB_REPOSITORY", "acme/log".to_string()),
        ("GITHUB_SHA", "0123abc".to_string()),
    ]
    .into_iter()
    .collect();
    Env {
        cwd: dir.to_path_buf(),
        width: 100,
        ..Env::default()
    }
    .with_github(|name| vars.get(name).cloned())
}

fn run(env: &Env, args: &[&str]) -> (u8, String) {
    let cli = Cli::try_parse_from(
        ["declint", "--today", "2026-06-01"]
            .iter()
            .chain(args)
            .copied(),
    )
    .unwrap();
    let mut out = Vec::new();
    let code = declint::cli::run(cli, env, &mut out).unwrap();
    (code, String::from_utf8(out).unwrap())
}

#[test]
fn in_github_actions_annotations_and_summary_are_the_default() {
    let dir = log(&[
        ("decisions/0001-a.md", GOOD),
        ("decisions/0002-b.md", BROKEN),
    ]);
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step output\n").unwrap();
    let env = github_env(dir.path(), &summary);
    let (code, out) = run(&env, &["check"]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "::error title=DL001 no-front-matter,file=decisions/0002-b.md,line=1,col=1,"
        ),
        "{out}"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step output\n## "),
        "appended: {text}"
    );
    assert!(
        text.contains("1 error, 0 warnings in 1 of 2 files checked"),
        "{text}"
    );
    assert!(
        text.contains("(https://github.com/acme/log/blob/0123abc/decisions/0002-b.md#L1)"),
        "{text}"
    );
}

#[test]
fn explicit_format_and_no_summary_override_the_github_defaults() {
    let dir = log(&[("decisions/0002-b.md", BROKEN)]);
    let summary = dir.path().join("summary.md");
    let env = github_env(dir.path(), &summary);
    let (_, out) = run(&env, &["check", "--format", "concise", "--no-summary"]);
    assert!(out.starts_with("decisions/0002-b.md:1:1: DL001"), "{out}");
    assert!(!summary.exists());
}

#[test]
fn summary_flag_writes_outside_github_too() {
    let dir = log(&[("decisions/0001-a.md", GOOD)]);
    let env = Env {
        cwd: dir.path().to_path_buf(),
        ..Env::default()
    };
    // The folder does not exist: writing fails loudly (a tool failure, exit 2), never silently.
    let cli = Cli::try_parse_from(["declint", "check", "--summary", "out/summary.md"]).unwrap();
    let error = declint::cli::run(cli, &env, &mut Vec::new()).unwrap_err();
    assert!(error.to_string().contains("out/summary.md"), "{error}");
    let (code, _) = run(&env, &["check", "--summary", "summary.md"]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(text.contains("No findings."), "{text}");
}

#[test]
fn fail_on_sets_the_exit_threshold() {
    let dir = log(&[("decisions/0002-b.md", BROKEN)]);
    let env = Env {
        cwd: dir.path().to_path_buf(),
        ..Env::default()
    };
    assert_eq!(run(&env, &["check", "--fail-on", "error"]).0, 1);
    assert_eq!(run(&env, &["check", "--fail-on", "warning"]).0, 1);
    assert_eq!(run(&env, &["check", "--fail-on", "never"]).0, 0);
    let clean = log(&[("decisions/0001-a.md", GOOD)]);
    let env = Env {
        cwd: clean.path().to_path_buf(),
        ..Env::default()
    };
    assert_eq!(run(&env, &["check", "--fail-on", "warning"]).0, 0);
}

#[test]
fn files_from_the_log_are_checked_against_the_whole_log() {
    let dir = log(&[
        ("decisions/0001-a.md", GOOD),
        ("decisions/0002-b.md", BROKEN),
        ("decisions/0003-c.md", BROKEN),
        ("notes/0009-x.md", BROKEN),
    ]);
    let workspace = Workspace::open(dir.path(), None).unwrap();
    let (candidates, report_on) = workspace
        .candidates_in_context(&[PathBuf::from("decisions/0002-b.md")])
        .unwrap();
    assert_eq!(
        candidates.len(),
        3,
        "the whole log is loaded for log-wide rules"
    );
    let report_on = report_on.unwrap();
    assert_eq!(report_on.len(), 1);
    assert!(report_on.contains("decisions/0002-b.md"));

    // The log's folder itself: everything is reported, nothing filtered.
    let (candidates, report_on) = workspace
        .candidates_in_context(&[PathBuf::from("decisions/")])
        .unwrap();
    assert_eq!(candidates.len(), 3);
    assert!(report_on.is_none());

    // Files outside the log are checked on their own, as before.
    let (candidates, report_on) = workspace
        .candidates_in_context(&[PathBuf::from("notes/0009-x.md")])
        .unwrap();
    assert_eq!(candidates.len(), 1);
    assert!(report_on.is_none());

    // And the command reports on the passed file only.
    let env = Env {
        cwd: dir.path().to_path_buf(),
        ..Env::default()
    };
    let (code, out) = run(
        &env,
        &["check", "--format", "concise", "decisions/0002-b.md"],
    );
    assert_eq!(code, 1);
    assert!(!out.contains("0003-c.md"), "{out}");
    assert!(
        out.ends_with("1 error, 0 warnings in 1 of 1 file checked\n"),
        "{out}"
    );
}

#[test]
fn a_duplicate_id_in_an_untouched_file_is_found_from_the_passed_one() {
    let first = GOOD.replace("id: \"0001\"", "id: \"0042\"");
    let dir = log(&[
        ("decisions/0001-a.md", GOOD),
        ("decisions/kafka.md", &first),
        (
            "decisions/redis.md",
            &first.replace("Use Postgres", "Use Redis"),
        ),
    ]);
    let env = Env {
        cwd: dir.path().to_path_buf(),
        ..Env::default()
    };
    // pre-commit passes only the file the commit touched.
    let (code, out) = run(
        &env,
        &["check", "--format", "concise", "decisions/redis.md"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "decisions/redis.md:2:5: DL401 error id `0042` is already used by decisions/kafka.md"
        ),
        "{out}"
    );
    assert!(out.ends_with(" 1 file checked\n"), "{out}");
}
