//! The writing commands end to end, through the real binary: `init`, `new` (bad titles,
//! concurrent runs, `--supersedes` byte for byte), `index`, and the read-only `stats` and
//! `schema`.

// Test helpers outside `#[test]` functions: a failed setup step should stop the test loudly.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::util::{declint, stderr, stdout};

/// A throwaway repository root (a `.git` folder marks it).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    dir
}

fn init(dir: &Path, args: &[&str]) {
    let mut all = vec!["init"];
    all.extend_from_slice(args);
    let o = declint(dir, &all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable").flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .expect("inside")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

#[test]
fn init_writes_a_log_that_passes_check_and_never_overwrites() {
    let dir = repo();
    init(dir.path(), &[]);
    assert_eq!(
        files(dir.path()),
        [
            ".declint.yml",
            "decisions/0001-record-decisions-in-a-checked-log.md",
            "decisions/README.md",
            "decisions/template.md",
        ]
    );
    let check = declint(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let index = declint(dir.path(), &["index", "--check"]);
    assert_eq!(index.status.code(), Some(0), "{}", stdout(&index));

    std::fs::write(dir.path().join("decisions/README.md"), "mine\n").expect("write");
    let again = declint(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("never overwrites"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("decisions/README.md")).expect("read"),
        "mine\n"
    );
}

#[test]
fn init_refuses_when_one_file_exists_and_writes_nothing() {
    let dir = repo();
    std::fs::write(dir.path().join(".declint.yml"), "max_open: 3\n").expect("write");
    let o = declint(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(files(dir.path()), [".declint.yml"]);
}

#[test]
fn init_madr_then_new_and_check() {
    let dir = repo();
    init(dir.path(), &["--profile", "madr"]);
    assert!(dir.path().join("docs/decisions/template.md").is_file());
    let check = declint(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    let o = declint(dir.path(), &["new", "Pick a queue", "--decider", "ana"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "docs/decisions/0002-pick-a-queue.md\n");
    let text = std::fs::read_to_string(dir.path().join("docs/decisions/0002-pick-a-queue.md"))
        .expect("read");
    assert!(text.contains("decision-makers: ana\n"), "{text}");
    assert!(text.contains("raised: 2026-06-01\n"), "{text}");
    assert!(text.contains("# Pick a queue\n"), "{text}");
}

#[test]
fn new_fills_the_template_with_the_next_id() {
    let dir = repo();
    init(dir.path(), &[]);
    let o = declint(
        dir.path(),
        &[
            "new",
            "Use Postgres: for the ledger?",
            "--decider",
            "ana",
            "--priority",
            "P1",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "decisions/0002-use-postgres-for-the-ledger.md\n"
    );
    let text = std::fs::read_to_string(
        dir.path()
            .join("decisions/0002-use-postgres-for-the-ledger.md"),
    )
    .expect("read");
    for line in [
        "id: \"0002\"\n",
        "title: \"Use Postgres: for the ledger?\"\n",
        "status: proposed\n",
        "raised: 2026-06-01\n",
        "decider: ana\n",
        "priority: P1\n",
        "# Use Postgres: for the ledger?\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(!text.contains("{{"), "{text}");
    // The file is readable like any other (not a temp file's 0600).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(
            dir.path()
                .join("decisions/0002-use-postgres-for-the-ledger.md"),
        )
        .expect("meta");
        assert_ne!(meta.permissions().mode() & 0o044, 0);
    }
}

#[test]
fn bad_titles_give_safe_slugs_inside_the_folder() {
    let dir = repo();
    init(dir.path(), &[]);
    let titles = [
        "../../etc/passwd",
        "a/b\\c",
        "...",
        "🚀🔥",
        "החלטה על מסד נתונים",
        "\u{202e}gnp.exe",
        "",
        "   ",
        "line\nbreak",
    ];
    let mut paths = Vec::new();
    for title in titles {
        let o = declint(dir.path(), &["new", title]);
        assert_eq!(o.status.code(), Some(0), "{title:?}: {}", stderr(&o));
        let path = stdout(&o).trim().to_string();
        let name = path.strip_prefix("decisions/").expect("inside the folder");
        assert!(!name.contains('/') && !name.contains(".."), "{path}");
        assert!(
            name.trim_end_matches(".md")
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{path}"
        );
        assert!(dir.path().join(&path).is_file());
        paths.push(path);
    }
    assert!(!dir.path().join("etc").exists());
    let mut unique = paths.clone();
    unique.dedup();
    assert_eq!(unique.len(), titles.len());
    // Every file written is a record declint reads without a syntax error.
    let check = declint(dir.path(), &["check", "--format", "concise"]);
    assert!(!stdout(&check).contains("DL002"), "{}", stdout(&check));
}

#[test]
fn concurrent_new_runs_never_share_a_file_or_an_id() {
    let dir2 = repo();
    init(dir2.path(), &[]);
    let root: PathBuf = dir2.path().to_path_buf();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || {
                let title = if i % 2 == 0 {
                    "Same title".to_string()
                } else {
                    format!("Title {i}")
                };
                declint(&root, &["new", &title])
            })
        })
        .collect();
    let mut made: Vec<String> = handles
        .into_iter()
        .map(|h| {
            let o = h.join().expect("thread");
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            stdout(&o).trim().to_string()
        })
        .collect();
    made.sort();
    let mut ids: Vec<String> = made
        .iter()
        .map(|p| p.trim_start_matches("decisions/").chars().take(4).collect())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 8, "{made:?}");
    let on_disk: Vec<String> = files(&root)
        .into_iter()
        .filter(|f| f.starts_with("decisions/0") && !f.starts_with("decisions/0001"))
        .collect();
    assert_eq!(on_disk, made);
    assert!(files(&root).iter().all(|f| !f.contains(".declint-")));
}

const OLD_RECORD: &str = "---\r
# A record with comments, odd key order and CRLF line endings.\r
decider: ana   # she owns storage\r
status: accepted # since the March review\r
title: 'Keep MySQL'\r
id: \"0002\"\r
options: [MySQL, Postgres]   # flow style\r
date: 2026-03-01\r
raised: 2026-02-27\r
reversal:\r
  - p99 write latency above 50 ms for a week\r
dissent: []\r
---\r
\r
# Keep MySQL\r
\r
status: this line is body text, not front-matter\r
";

#[test]
fn supersedes_edits_the_old_record_in_place_byte_for_byte() {
    let dir = repo();
    init(dir.path(), &[]);
    let old = dir.path().join("decisions/0002-keep-mysql.md");
    std::fs::write(&old, OLD_RECORD).expect("write");
    let o = declint(
        dir.path(),
        &[
            "new",
            "Move to Postgres",
            "--supersedes",
            "2",
            "--decider",
            "bo",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "decisions/0003-move-to-postgres.md\n");
    // The old decision names its successor and stays in force (its status is kept)
    // until the successor is decided.
    let want = OLD_RECORD.replacen(
        "dissent: []\r\n---",
        "dissent: []\r\nsuperseded_by: \"0003\"\r\n---",
        1,
    );
    assert_eq!(std::fs::read_to_string(&old).expect("read"), want);
    let new = std::fs::read_to_string(dir.path().join("decisions/0003-move-to-postgres.md"))
        .expect("read");
    assert!(new.contains("supersedes: \"0002\"\n"), "{new}");

    // A second successor is refused, and nothing is written.
    let before = files(dir.path());
    let o = declint(
        dir.path(),
        &["new", "Move to SQLite", "--supersedes", "0002"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("decision `0002` already has a successor (`0003`)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&old).expect("read"), want);
    assert_eq!(files(dir.path()), before);
}

#[test]
fn supersedes_an_unknown_id_writes_nothing() {
    let dir = repo();
    init(dir.path(), &[]);
    let before = files(dir.path());
    let o = declint(dir.path(), &["new", "X", "--supersedes", "0099"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("0099"), "{}", stderr(&o));
    assert_eq!(files(dir.path()), before);
}

#[test]
fn supersedes_a_record_without_front_matter_rolls_back() {
    let dir = repo();
    init(dir.path(), &[]);
    std::fs::write(dir.path().join("decisions/0002-plain.md"), "# Plain\n").expect("write");
    let before = files(dir.path());
    let o = declint(
        dir.path(),
        &["new", "Replace plain", "--supersedes", "0002"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("front-matter"), "{}", stderr(&o));
    assert_eq!(
        files(dir.path()),
        before,
        "the new record was removed again"
    );
}

#[test]
fn a_symlinked_folder_outside_the_repository_is_refused() {
    let dir = repo();
    let outside = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("decisions")).expect("symlink");
    let o = declint(dir.path(), &["new", "Escape"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("outside the repository"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("read").count(), 0);
}

#[test]
fn an_unwritable_folder_is_exit_2_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let dir = repo();
    init(dir.path(), &[]);
    let folder = dir.path().join("decisions");
    let before = files(dir.path());
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let privileged = std::fs::write(folder.join("probe"), "").is_ok();
    if privileged {
        // Root writes anyway; a read-only folder cannot be simulated by permissions here.
        std::fs::remove_file(folder.join("probe")).expect("cleanup");
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        // The same failure (no temp file can be created) from a folder that is a file.
        std::fs::remove_dir_all(&folder).expect("rm");
        std::fs::write(&folder, "not a folder").expect("write");
        let o = declint(dir.path(), &["new", "Blocked"]);
        assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
        return;
    }
    let o = declint(dir.path(), &["new", "Blocked"]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
    assert_eq!(files(dir.path()), before);
}

#[test]
fn index_updates_between_markers_and_check_reports_staleness() {
    let dir = repo();
    init(dir.path(), &[]);
    let readme = dir.path().join("decisions/README.md");
    let custom = "# Our decisions\n\nHand-written intro.\n\n<!-- declint:index:start -->\nold table\n<!-- declint:index:end -->\n\nFooter stays.\n";
    std::fs::write(&readme, custom).expect("write");
    let o = declint(dir.path(), &["index", "--check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("stale"));
    assert_eq!(
        std::fs::read_to_string(&readme).expect("read"),
        custom,
        "--check writes nothing"
    );

    let o = declint(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&readme).expect("read");
    assert!(text.starts_with("# Our decisions\n\nHand-written intro.\n\n<!-- declint:index:start -->\n| id | title | status | decider | date | review_by |\n"), "{text}");
    assert!(
        text.ends_with("<!-- declint:index:end -->\n\nFooter stays.\n"),
        "{text}"
    );
    assert_eq!(
        declint(dir.path(), &["index", "--check"]).status.code(),
        Some(0)
    );

    // `new` refreshes the table in the same step, so the index stays fresh.
    declint(dir.path(), &["new", "Another"]);
    assert_eq!(
        declint(dir.path(), &["index", "--check"]).status.code(),
        Some(0)
    );
    let text = std::fs::read_to_string(&readme).expect("read");
    assert!(text.contains("| [Another]("), "{text}");
    assert!(text.ends_with("Footer stays.\n"), "{text}");
}

#[test]
fn index_marker_problems_leave_the_readme_alone() {
    let dir = repo();
    init(dir.path(), &[]);
    let readme = dir.path().join("decisions/README.md");
    for (text, says) in [
        ("# No markers\n", "no index markers"),
        (
            "<!-- declint:index:start -->\n<!-- declint:index:start -->\n<!-- declint:index:end -->\n",
            "appears 2 times",
        ),
        (
            "<!-- declint:index:start -->\nno end\n",
            "no `<!-- declint:index:end -->`",
        ),
        (
            "<!-- declint:index:end -->\n<!-- declint:index:start -->\n",
            "before the start",
        ),
    ] {
        std::fs::write(&readme, text).expect("write");
        for args in [&["index"][..], &["index", "--check"][..]] {
            let o = declint(dir.path(), args);
            assert_eq!(o.status.code(), Some(2), "{text:?}");
            assert!(stderr(&o).contains(says), "{text:?}: {}", stderr(&o));
            assert_eq!(std::fs::read_to_string(&readme).expect("read"), text);
        }
    }
}

#[test]
fn index_creates_a_missing_readme() {
    let dir = repo();
    init(dir.path(), &[]);
    std::fs::remove_file(dir.path().join("decisions/README.md")).expect("rm");
    assert_eq!(
        declint(dir.path(), &["index", "--check"]).status.code(),
        Some(1)
    );
    assert_eq!(declint(dir.path(), &["index"]).status.code(), Some(0));
    assert_eq!(
        declint(dir.path(), &["index", "--check"]).status.code(),
        Some(0)
    );
}

#[test]
fn stats_in_every_format() {
    let dir = repo();
    init(dir.path(), &[]);
    declint(dir.path(), &["new", "Open question", "--decider", "ana"]);
    let human = declint(dir.path(), &["stats"]);
    assert_eq!(human.status.code(), Some(0), "{}", stderr(&human));
    assert!(stdout(&human).contains("decision latency"));
    let json = declint(dir.path(), &["stats", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["decisions"]["total"], 2);
    assert_eq!(value["decisions"]["open"], 1);
    let md = declint(dir.path(), &["stats", "--format", "markdown"]);
    assert!(
        stdout(&md).contains("```mermaid\nxychart-beta"),
        "{}",
        stdout(&md)
    );
}

#[test]
fn schema_prints_draft_07_json() {
    let dir = repo();
    for which in ["record", "config"] {
        let o = declint(dir.path(), &["schema", which]);
        assert_eq!(o.status.code(), Some(0));
        let value: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(value["$schema"], "http://json-schema.org/draft-07/schema#");
    }
}

#[test]
fn new_without_config_uses_the_built_in_template() {
    let dir = repo();
    std::fs::create_dir(dir.path().join("decisions")).expect("mkdir");
    let o = declint(dir.path(), &["new", "First one", "--kind", "exception"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "decisions/0001-first-one.md\n");
    let text =
        std::fs::read_to_string(dir.path().join("decisions/0001-first-one.md")).expect("read");
    assert!(text.starts_with("---\nid: \"0001\"\ntitle: First one\nkind: exception\nstatus: proposed\nraised: 2026-06-01\n"), "{text}");
    assert!(text.contains("\nexpires:\nowner:\nrisk:\n---\n"), "{text}");
}

#[test]
fn new_fills_a_configured_template_and_adds_what_it_lacks() {
    let dir = repo();
    std::fs::create_dir_all(dir.path().join("adr")).expect("mkdir");
    std::fs::write(
        dir.path().join(".declint.yml"),
        "paths: [adr]\nid_pattern: '^[0-9]{3}$'\ntemplate: adr/tpl.md\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("adr/tpl.md"),
        "---\n# our own template\ntitle: {{title}}\nstatus: draft   # always starts here\n---\n\n# {{id}}: {{title}}\n\nRaised {{date}}.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("adr/041-old.md"), "# Old\n").expect("write");
    let o = declint(dir.path(), &["new", "Cache: yes or no?", "--decider", "cy"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "adr/042-cache-yes-or-no.md\n");
    let text =
        std::fs::read_to_string(dir.path().join("adr/042-cache-yes-or-no.md")).expect("read");
    assert_eq!(
        text,
        "---\n# our own template\ntitle: \"Cache: yes or no?\"\nstatus: proposed   # always starts here\nraised: 2026-06-01\ndecider: cy\n---\n\n# 042: Cache: yes or no?\n\nRaised 2026-06-01.\n"
    );
}

#[test]
fn new_prints_a_path_relative_to_the_working_directory() {
    let dir = repo();
    init(dir.path(), &[]);
    let sub = dir.path().join("decisions");
    let o = declint(&sub, &["new", "From inside"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "0002-from-inside.md\n");
    assert!(sub.join("0002-from-inside.md").is_file());
}

/// Commit the working tree of `repo` at unix time `when` with an explicit signature.
fn commit_all(repo: &git2::Repository, when: i64, message: &str) {
    let mut index = repo.index().expect("index");
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = repo
        .find_tree(index.write_tree().expect("tree"))
        .expect("find tree");
    let sig = git2::Signature::new("Test", "test@example.com", &git2::Time::new(when, 0))
        .expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .expect("commit");
}

#[test]
fn stats_history_reads_logging_latency_and_volatility_from_git() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = git2::Repository::init(dir.path()).expect("init");
    let at = |day: u32, hour: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 5, day)
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .expect("valid time")
    };
    std::fs::create_dir(dir.path().join("decisions")).expect("mkdir");
    let record = |priority: &str| {
        format!(
            "---\nid: \"0001\"\ntitle: A\nstatus: accepted\ndecider: ana\nraised: 2026-04-30\ndate: 2026-05-01\npriority: {priority}\ndeprioritized: [b]\n---\n# A\n"
        )
    };
    let path = dir.path().join("decisions/0001-a.md");
    std::fs::write(&path, record("P2")).expect("write");
    // A bare `date` counts from the end of its day, as DL305 reads it: 10 hours.
    commit_all(&repo, at(2, 10), "add 0001");
    std::fs::write(&path, record("P1")).expect("write");
    commit_all(&repo, at(20, 9), "reprioritise 0001");
    std::fs::write(&path, record("P0")).expect("write");
    commit_all(&repo, at(28, 9), "reprioritise 0001 again");

    let o = declint(dir.path(), &["stats", "--history", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["logging_latency"]["count"], 1);
    assert_eq!(v["logging_latency"]["median_hours"], 10.0);
    assert_eq!(v["volatility"]["changes"], 2);
    assert_eq!(v["volatility"]["commits_walked"], 3);
    let periods = v["volatility"]["periods"].as_array().expect("periods");
    assert_eq!(
        periods.last().map(|p| p["changes"].clone()),
        Some(serde_json::json!(2))
    );

    let md = declint(dir.path(), &["stats", "--history", "--format", "markdown"]);
    // Concentration, volatility, and a line chart per series figure (19).
    assert_eq!(
        stdout(&md).matches("```mermaid").count(),
        21,
        "{}",
        stdout(&md)
    );
}
