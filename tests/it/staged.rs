//! `declint check --staged` through the binary on throwaway repositories: the hook judges
//! the log as the index holds it (SPEC §11 "Hook = CI"), so it agrees with CI on the
//! committed tree — an untracked draft or an unstaged fix changes nothing — while the whole
//! staged log stays the context of the files pre-commit passes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::repo::TestRepo;
use crate::util::{stderr, stdout};
use std::path::Path;
use std::process::Output;

/// 2026-01-10 00:00 UTC.
const JAN_10: i64 = 1_768_003_200;

fn record(id: &str, extra: &str) -> String {
    format!(
        "---\nid: \"{id}\"\ntitle: Decision {id}\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms for a week\n{extra}---\n\n# Decision {id}\n"
    )
}

/// `declint check ARGS` in `dir`.
fn declint(dir: &Path, args: &[&str]) -> Output {
    crate::util::declint_in(dir)
        .arg("check")
        .args(args)
        .output()
        .expect("run declint")
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

/// A repository with one committed decision, 0001.
fn committed_log() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("decisions/0001-db.md", &record("0001", ""));
    repo.commit("initial log", JAN_10);
    repo
}

#[test]
fn an_untracked_draft_does_not_fail_a_staged_check_that_ci_passes() {
    let repo = committed_log();
    repo.write("decisions/0002-cache.md", &record("0002", ""));
    repo.stage("decisions/0002-cache.md");
    // A draft, never added, that reuses 0002's id.
    repo.write("decisions/0000-draft.md", &record("0002", ""));

    // The working-tree hook reads the draft and fails on the duplicate id...
    let worktree = declint(repo.path(), &["decisions/0002-cache.md"]);
    assert_eq!(code(&worktree), 1, "{}", stdout(&worktree));
    assert!(stdout(&worktree).contains("DL401"), "{}", stdout(&worktree));
    // ...the staged check does not: the draft is not in the index.
    let staged = declint(repo.path(), &["--staged", "decisions/0002-cache.md"]);
    assert_eq!(code(&staged), 0, "{}{}", stdout(&staged), stderr(&staged));
    let whole = declint(repo.path(), &["--staged"]);
    assert_eq!(code(&whole), 0, "{}{}", stdout(&whole), stderr(&whole));

    // CI: a plain check of a fresh clone of the commit the hook let through passes too.
    repo.commit_index("add 0002", JAN_10 + 60);
    let ci = tempfile::tempdir().unwrap();
    git2::Repository::clone(repo.path().to_str().unwrap(), ci.path()).unwrap();
    let plain = declint(ci.path(), &[]);
    assert_eq!(code(&plain), 0, "{}{}", stdout(&plain), stderr(&plain));
}

#[test]
fn a_staged_bad_record_fails_though_its_unstaged_fix_passes() {
    let repo = committed_log();
    // Staged without a decider (DL201)...
    repo.write(
        "decisions/0002-cache.md",
        &record("0002", "").replace("decider: ana\n", ""),
    );
    repo.stage("decisions/0002-cache.md");
    // ...and fixed in the working tree only.
    repo.write("decisions/0002-cache.md", &record("0002", ""));

    let worktree = declint(repo.path(), &["decisions/0002-cache.md"]);
    assert_eq!(code(&worktree), 0, "{}", stdout(&worktree));
    let staged = declint(repo.path(), &["--staged", "decisions/0002-cache.md"]);
    assert_eq!(code(&staged), 1, "{}{}", stdout(&staged), stderr(&staged));
    assert!(stdout(&staged).contains("DL201"), "{}", stdout(&staged));
    assert!(
        stdout(&staged).contains("decisions/0002-cache.md"),
        "{}",
        stdout(&staged)
    );
}

#[test]
fn a_staged_supersede_of_a_committed_record_links_with_files_given() {
    let repo = committed_log();
    repo.write(
        "decisions/0002-cache.md",
        &record("0002", "supersedes: [\"0001\"]\n"),
    );
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "").replace("status: accepted", "status: superseded"),
    );
    repo.stage("decisions/0001-db.md");
    repo.stage("decisions/0002-cache.md");

    // Only 0002 is passed; 0001 comes from the staged log as context.
    let staged = declint(repo.path(), &["--staged", "decisions/0002-cache.md"]);
    assert!(!stdout(&staged).contains("DL402"), "{}", stdout(&staged));
    assert_eq!(code(&staged), 0, "{}{}", stdout(&staged), stderr(&staged));

    // The same check does see a link to an id missing from the staged log.
    repo.write(
        "decisions/0003-queue.md",
        &record("0003", "supersedes: [\"0999\"]\n"),
    );
    repo.stage("decisions/0003-queue.md");
    let broken = declint(repo.path(), &["--staged", "decisions/0003-queue.md"]);
    assert_eq!(code(&broken), 1, "{}", stdout(&broken));
    assert!(stdout(&broken).contains("DL402"), "{}", stdout(&broken));
    // Findings are reported on the files passed only.
    assert!(
        !stdout(&broken).contains("decisions/0002-cache.md"),
        "{}",
        stdout(&broken)
    );
}

#[test]
fn staged_with_base_head_or_history_is_refused() {
    let repo = committed_log();
    for args in [
        &["--staged", "--base", "main"][..],
        &["--staged", "--base", "main", "--head", "HEAD"][..],
        &["--staged", "--history"][..],
    ] {
        let output = declint(repo.path(), args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("--staged checks the log as it is in the index"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn staged_blobs_keep_the_size_budget_and_non_utf8_names() {
    use std::os::unix::ffi::OsStrExt;
    let repo = committed_log();
    // Oversized in the index only: the working-tree copy is small and valid.
    std::fs::write(
        repo.path().join("decisions/0002-big.md"),
        vec![b'a'; 2 * 1024 * 1024],
    )
    .unwrap();
    repo.stage("decisions/0002-big.md");
    repo.write("decisions/0002-big.md", &record("0002", ""));
    // A name that is not UTF-8, staged without a decider.
    let odd = std::ffi::OsStr::from_bytes(b"decisions/0003-\xff.md");
    std::fs::write(
        repo.path().join(odd),
        record("0003", "").replace("decider: ana\n", ""),
    )
    .unwrap();
    let mut index = repo.repo.index().unwrap();
    index.add_path(Path::new(odd)).unwrap();
    index.write().unwrap();

    let out = declint(repo.path(), &["--staged", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let on = |path: &str| -> Vec<&str> {
        findings
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| f["code"].as_str().unwrap())
            .collect()
    };
    assert_eq!(on("decisions/0002-big.md"), ["DL005"], "{json}");
    assert_eq!(on("decisions/0003-\\xff.md"), ["DL201"], "{json}");
}
