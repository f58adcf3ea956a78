//! A broken or hostile repository under `declint check --base/--head`, through the binary:
//! a corrupt object or a missing base is exit 2 with a message that says what to do; an
//! oversized blob is a DL005 finding read from the object header, never inflated whole; and
//! `check` never writes to the repository.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::repo;

use git2::Oid;
use repo::TestRepo;
use std::path::{Path, PathBuf};
use std::process::Output;

/// 2026-01-10 00:00 UTC.
const JAN_10: i64 = 1_768_003_200;

const RECORD: &str = "---\nid: \"0001\"\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\noptions: [Postgres, SQLite]\nreversal:\n  - p99 latency above 200 ms for a week\n---\n\n# Use Postgres\n";

use crate::util::stderr;

/// `declint check ARGS` in `dir`.
fn declint(dir: &Path, args: &[&str]) -> Output {
    crate::util::declint_in(dir)
        .arg("check")
        .args(args)
        .output()
        .expect("run declint")
}

/// `main` with one decision, and a `feature` branch that adds a second one.
fn repo_with_branch() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("decisions/0001-db.md", RECORD);
    repo.commit("initial log", JAN_10);
    repo.branch("feature");
    repo.write("decisions/0002-cache.md", &RECORD.replace("0001", "0002"));
    repo.commit("add 0002", JAN_10 + 60);
    repo
}

/// The loose object file of `oid`.
fn object_file(repo: &TestRepo, oid: Oid) -> PathBuf {
    let hex = oid.to_string();
    repo.path()
        .join(".git/objects")
        .join(&hex[..2])
        .join(&hex[2..])
}

/// Overwrite an object with bytes that are not a valid zlib stream.
fn corrupt(repo: &TestRepo, oid: Oid) {
    let path = object_file(repo, oid);
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
    std::fs::write(&path, b"this is not a git object").unwrap();
}

fn blob_of(repo: &TestRepo, rev: &str, path: &str) -> Oid {
    let tree = repo
        .repo
        .revparse_single(rev)
        .unwrap()
        .peel_to_tree()
        .unwrap();
    tree.get_path(Path::new(path)).unwrap().id()
}

#[test]
fn a_missing_base_is_exit_2_with_the_fix() {
    let repo = repo_with_branch();
    let out = declint(repo.path(), &["--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("does not name a commit"), "{text}");
    assert!(text.contains("git fetch"), "{text}");
}

#[test]
fn a_corrupt_commit_is_exit_2() {
    let repo = repo_with_branch();
    let main = repo.repo.revparse_single("main").unwrap().id();
    corrupt(&repo, main);
    let out = declint(repo.path(), &["--base", "main"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!stderr(&out).is_empty());
}

#[test]
fn a_corrupt_blob_is_exit_2_naming_the_file_and_git_fsck() {
    let repo = repo_with_branch();
    // Change 0001 on the branch, so its base blob has to be read.
    repo.write(
        "decisions/0001-db.md",
        &RECORD.replace("title: Use Postgres", "title: Use PostgreSQL"),
    );
    repo.commit("retitle", JAN_10 + 120);
    corrupt(&repo, blob_of(&repo, "main", "decisions/0001-db.md"));
    let out = declint(repo.path(), &["--base", "main", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("decisions/0001-db.md"), "{text}");
    assert!(text.contains("git fsck"), "{text}");
    // The head tree's blob is corrupt too when --head names it.
    corrupt(&repo, blob_of(&repo, "feature", "decisions/0002-cache.md"));
    let out = declint(
        repo.path(),
        &["--base", "main", "--head", "feature", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("decisions/0002-cache.md"));
}

#[test]
fn an_oversized_blob_is_a_finding_not_a_read() {
    let repo = repo_with_branch();
    // 20 MB of zeros compress to almost nothing in the object store.
    let big = vec![b'a'; 20 * 1024 * 1024];
    std::fs::write(repo.path().join("decisions/0003-big.md"), &big).unwrap();
    repo.commit("a huge record", JAN_10 + 180);
    for args in [
        vec!["--base", "main", "--head", "feature", "--format", "json"],
        vec!["--base", "main", "--format", "json"],
    ] {
        let out = declint(repo.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let big = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == "decisions/0003-big.md")
            .unwrap_or_else(|| panic!("{args:?}: no finding on the big file: {json}"));
        assert_eq!(big["code"], "DL005");
        assert!(
            big["message"].as_str().unwrap().contains("20971520"),
            "{big}"
        );
    }
}

/// Every path under `dir` (the `.git` folder included) with its bytes and mtime.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&current)
            .unwrap()
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(std::fs::DirEntry::path);
        for entry in entries {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
                out.push((path, Vec::new(), meta.modified().ok()));
            } else {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.push((path, bytes, meta.modified().ok()));
            }
        }
    }
    out
}

#[test]
fn check_with_a_base_never_writes_to_the_repository() {
    let repo = repo_with_branch();
    repo.write("decisions/0003-draft.md", "no front-matter\n");
    let before = snapshot(repo.path());
    for args in [
        vec!["--base", "main"],
        vec!["--base", "main", "--format", "json"],
        vec!["--head", "feature", "--base", "main"],
        vec!["--history"],
    ] {
        let out = declint(repo.path(), &args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(
        snapshot(repo.path()) == before,
        "check changed the repository"
    );
}

#[test]
fn affects_globs_are_capped_per_record() {
    let repo = TestRepo::new();
    repo.write("src/db/pool.rs", "fn pool() {}\n");
    repo.write("decisions/0001-db.md", RECORD);
    repo.commit("initial", JAN_10);
    repo.branch("feature");
    // The first 100 patterns match nothing; the 101st would match the change.
    let mut affects: Vec<String> = (0..100).map(|i| format!("  - \"nothing{i}/\"\n")).collect();
    affects.push("  - \"src/db/\"\n".into());
    // 4,000 long, brace-heavy patterns are skipped, not compiled.
    let long = "{a,b,c,d,e,f,g}*?[!a-z]**/".repeat(20);
    affects.extend((0..4000).map(|_| format!("  - \"{long}\"\n")));
    let capped = RECORD.replace(
        "---\n\n# Use Postgres",
        &format!("affects:\n{}---\n\n# Use Postgres", affects.concat()),
    );
    let first = RECORD.replace(
        "---\n\n# Use Postgres",
        "affects: [\"src/db/\"]\n---\n\n# Use Postgres",
    );
    repo.write("decisions/0001-db.md", &capped);
    repo.write(
        "decisions/0002-first.md",
        &first.replace("\"0001\"", "\"0002\""),
    );
    repo.write("src/db/pool.rs", "fn pool() { todo() }\n");
    repo.commit("change the pool", JAN_10 + 60);
    let out = declint(repo.path(), &["--base", "main", "--format", "json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let governing: Vec<&str> = json["governing"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["path"].as_str())
        .collect();
    assert_eq!(governing, ["decisions/0002-first.md"], "{json}");
}

#[test]
fn a_corrupt_blob_in_history_is_exit_2_as_with_a_base() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-db.md",
        &RECORD.replace("status: accepted", "status: proposed"),
    );
    repo.commit("raise 0001", JAN_10);
    repo.write("decisions/0001-db.md", RECORD);
    repo.commit("decide 0001", JAN_10 + 60);
    corrupt(&repo, blob_of(&repo, "HEAD~1", "decisions/0001-db.md"));
    let out = declint(repo.path(), &["--history", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("decisions/0001-db.md"), "{text}");
    assert!(text.contains("git fsck"), "{text}");
    let stats = crate::util::declint(repo.path(), &["stats", "--history"]);
    assert_eq!(stats.status.code(), Some(2), "{}", stderr(&stats));
    assert!(stderr(&stats).contains("git fsck"), "{}", stderr(&stats));
}
