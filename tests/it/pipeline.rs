//! One check pipeline (src/check.rs) for every way of checking, through the binary: the
//! cases where `check`, `check FILES`, `check --base`, `--history` and the git reader
//! used to disagree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::repo::TestRepo;
use crate::util::{declint, stdout};
use std::process::Output;

/// 2026-01-10 00:00 UTC.
const JAN_10: i64 = 1_768_003_200;

fn record(id: &str, extra: &str) -> String {
    format!(
        "---\nid: \"{id}\"\ntitle: Decision {id}\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms for a week\n{extra}---\n\n# Decision {id}\n"
    )
}

/// `decisions/0001` accepted on `main`, and a `feature` branch checked out.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("decisions/0001-db.md", &record("0001", ""));
    repo.commit("initial log", JAN_10);
    repo.branch("feature");
    repo
}

fn concise(output: &Output) -> String {
    stdout(output)
}

#[test]
fn a_file_checked_against_a_base_sees_the_whole_log() {
    // 0002 supersedes 0001, which exists: checking 0002 alone must not say it does not
    // (DL402), whether git is read or not. The Action passes `--base auto -- PATHS`.
    let repo = repo();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "superseded_by: \"0002\"\n").replace("accepted", "superseded"),
    );
    repo.write(
        "decisions/0002-db2.md",
        &record("0002", "supersedes: \"0001\"\n"),
    );
    repo.commit("supersede", JAN_10 + 3_600);
    for args in [
        &["check", "-f", "concise", "decisions/0002-db2.md"][..],
        &[
            "check",
            "-f",
            "concise",
            "--base",
            "main",
            "decisions/0002-db2.md",
        ],
        &[
            "check",
            "-f",
            "concise",
            "--history",
            "decisions/0002-db2.md",
        ],
        &[
            "check",
            "-f",
            "concise",
            "--base",
            "main",
            "--history",
            "decisions/0002-db2.md",
        ],
    ] {
        let output = declint(repo.path(), args);
        let text = concise(&output);
        assert!(!text.contains("DL402"), "{args:?}: {text}");
        assert!(
            text.ends_with("1 file checked\n"),
            "{args:?} reports on the file given: {text}"
        );
    }
}

#[test]
fn hidden_files_are_not_decisions_in_any_mode() {
    let repo = repo();
    repo.write("decisions/.draft.md", "not a decision\n");
    repo.write("decisions/.drafts/0009-x.md", "not a decision either\n");
    repo.commit("hidden notes", JAN_10 + 3_600);
    for args in [
        &["check", "-f", "concise"][..],
        &["check", "-f", "concise", "--base", "main"],
        &["check", "-f", "concise", "--base", "main", "--head", "HEAD"],
        &["check", "-f", "concise", "--history"],
    ] {
        let output = declint(repo.path(), args);
        let text = concise(&output);
        assert!(!text.contains(".draft"), "{args:?}: {text}");
        assert!(text.contains("in 1 file checked"), "{args:?}: {text}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {text}");
    }
}

#[test]
fn deleted_decisions_count_among_the_files_checked() {
    // Only deleted files are reported: the summary must not say "2 of 0 files".
    let repo = TestRepo::new();
    repo.write("decisions/0001-db.md", &record("0001", ""));
    repo.write("decisions/0002-q.md", &record("0002", ""));
    repo.write("decisions/README.md", "# Decisions\n");
    repo.commit("initial log", JAN_10);
    repo.branch("feature");
    repo.remove("decisions/0001-db.md");
    repo.remove("decisions/0002-q.md");
    repo.commit("drop both", JAN_10 + 3_600);
    let output = declint(repo.path(), &["check", "-f", "concise", "--base", "main"]);
    let text = concise(&output);
    assert_eq!(text.matches("DL505").count(), 2, "{text}");
    assert!(text.contains("in 2 of 2 files checked"), "{text}");
}

#[test]
fn only_decisions_in_force_govern_a_change() {
    // A record whose status the config does not know is not in force: it must not be
    // listed as governing the files a change touches.
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "affects: [\"src/\"]\n"),
    );
    repo.write(
        "decisions/0002-odd.md",
        &record("0002", "affects: [\"src/\"]\n").replace("accepted", "banana"),
    );
    repo.write("src/db.rs", "fn db() {}\n");
    repo.commit("initial", JAN_10);
    repo.branch("feature");
    repo.write("src/db.rs", "fn db() { todo() }\n");
    repo.commit("touch src", JAN_10 + 3_600);
    let output = declint(repo.path(), &["check", "-f", "json", "--base", "main"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let governing: Vec<&str> = json["governing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["path"].as_str())
        .collect();
    assert_eq!(governing, ["decisions/0001-db.md"], "{json}");
}
