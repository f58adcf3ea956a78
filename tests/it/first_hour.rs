//! The first hour of a new user (issue 19), through the real binary: what `init`, `new`,
//! `check` and a pull request with `--base` do in a new repository, and one test per
//! wrong result, misleading message or false positive found by trying it.

// Test helpers outside `#[test]` functions: a failed setup step should stop the test loudly.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use crate::repo::TestRepo;
use crate::util::declint;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `check -f concise ARGS` fails (exit 1) with exactly these finding lines.
fn assert_findings(repo: &TestRepo, args: &[&str], want: &[&str]) {
    let (status, out) = concise(repo, args);
    assert_eq!(status, Some(1), "{out}");
    assert_eq!(finding_lines(&out), want, "{out}");
}

/// The finding lines of concise output (`path:line:column: CODE severity message`).
fn finding_lines(out: &str) -> Vec<&str> {
    out.lines().filter(|l| l.contains(": DL")).collect()
}

fn code(o: &Output) -> Option<i32> {
    o.status.code()
}

/// Words of library internals that must never reach a user.
const INTERNALS: &[&str] = &[
    "DuplicateKeyPolicy",
    "Option<",
    "deserialize",
    "untagged enum",
    "invalid u64",
    "RosterSpec",
    "serde",
    "saphyr",
    "panicked",
];

fn assert_no_internals(o: &Output) {
    let all = text(o);
    for word in INTERNALS {
        assert!(!all.contains(word), "internal `{word}` in:\n{all}");
    }
}

/// `init` in a fresh git repository.
fn initialised() -> TestRepo {
    let repo = TestRepo::new();
    let o = declint(repo.path(), &["init"]);
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    repo
}

fn new_record(repo: &TestRepo, args: &[&str]) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let o = declint(repo.path(), &all);
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    assert_no_internals(&o);
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn read(repo: &TestRepo, path: &str) -> String {
    std::fs::read_to_string(repo.path().join(path)).expect("readable")
}

fn concise(repo: &TestRepo, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check", "-f", "concise"];
    all.extend_from_slice(args);
    let o = declint(repo.path(), &all);
    assert_no_internals(&o);
    (code(&o), text(&o))
}

#[test]
fn an_untouched_template_accepted_is_not_a_decision() {
    let repo = initialised();
    let path = new_record(&repo, &["Use Postgres", "--decider", "ana"]);
    let record =
        read(&repo, &path).replace("status: proposed", "status: accepted\ndate: 2026-06-01");
    repo.write(&path, &record);
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("DL106"),
        "the comment is no reversal criterion:\n{out}"
    );
    assert!(out.contains("DL108"), "the comment is no option:\n{out}");
    assert!(!out.contains("1 option listed"), "{out}");
    // On a PR, evidence citing criterion 1 does not meet the comment: the base had none.
    repo.write(
        &path,
        &record.replace(
            "tags: []",
            "tags: []\npriority: P2\ndeprioritized: [reporting]",
        ),
    );
    repo.commit("accepted as the template left it", 1_780_000_000);
    repo.branch("raise");
    repo.write(
        &path,
        &record
            .replace("tags: []", "tags: []\npriority: P1\ndeprioritized: [reporting]")
            .replace(
                "evidence: []",
                "evidence:\n  - date: 2026-06-01\n    summary: load at 12k rows/s\n    criterion: 1",
            ),
    );
    let (status, out) = concise(&repo, &["--base", "main"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("DL503 error the decision had no reversal criteria on the base"),
        "the comment was cited as a criterion:\n{out}"
    );
}

/// Item 1 in every section the body pass reads (the H1, the options and reversal
/// sections, MADR's `Key: value` lines and status section, a Nygard changelog): what
/// renders as nothing (a comment, an empty tag or link, zero-width or bold space) is not
/// content.
#[test]
fn what_renders_as_nothing_is_no_content_in_any_section() {
    let repo = initialised();
    repo.write(
        "decisions/0002-a.md",
        "---\nstatus: accepted\ndate: 2026-05-02\ndecider: ana\n---\n\n# <!-- title here -->\n\n## Options considered\n\n- <!-- option A -->\n- &#8203;\n- <br>\n\n## Reversal criteria\n\n- [](https://example.com)\n- <span></span>\n- **  **\n",
    );
    assert_findings(
        &repo,
        &["decisions/0002-a.md"],
        &[
            "decisions/0002-a.md:1:1: DL101 error required field `title` is missing",
            "decisions/0002-a.md:2:9: DL106 error the decision is `accepted` but has no reversal criteria",
            "decisions/0002-a.md:2:9: DL108 error the decision is `accepted` but lists no options considered",
        ],
    );

    let madr = TestRepo::new();
    madr.write(".declint.yml", "profile: madr\n");
    madr.write(
        "docs/decisions/0001-x.md",
        "# Use X\n\n* Status: <!-- accepted -->\n* Date: 2026-05-02\n\n## Considered Options\n\n* <!-- A -->\n* <!-- B -->\n",
    );
    madr.write(
        "docs/decisions/0002-y.md",
        "# Use Y\n\n## Status\n\n<!-- Accepted -->\n\n## Context\n\nWhy.\n",
    );
    assert_findings(
        &madr,
        &[],
        &[
            "docs/decisions/0001-x.md:1:1: DL101 error required field `status` is missing",
            "docs/decisions/0002-y.md:3:1: DL101 error required field `status` is empty",
        ],
    );

    let nygard = TestRepo::new();
    nygard.write(".declint.yml", "profile: nygard\n");
    let adr = "# 1. Use X\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n\n## Changelog\n\n* <!-- 2026-05-02: accepted -->\n";
    nygard.write("doc/adr/0001-x.md", adr);
    let (status, out) = concise(&nygard, &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("doc/adr/0001-x.md:3:1: DL101 error `date` is missing"),
        "a commented changelog entry dated the record: {out}"
    );
    nygard.write(
        "doc/adr/0001-x.md",
        &adr.replace("<!-- 2026-05-02: accepted -->", "2026-05-02: accepted"),
    );
    let (status, out) = concise(&nygard, &[]);
    assert_eq!(status, Some(0), "{out}");
}

#[test]
fn a_fresh_exception_has_one_finding_for_its_empty_expiry_at_that_key() {
    let repo = initialised();
    let path = new_record(
        &repo,
        &["Skip review", "--kind", "exception", "--decider", "ana"],
    );
    let (status, out) = concise(&repo, &[&path]);
    assert_eq!(status, Some(1), "{out}");
    let line = read(&repo, &path)
        .lines()
        .position(|l| l.starts_with("expires:"))
        .expect("expires line")
        + 1;
    let findings = finding_lines(&out);
    assert_eq!(
        findings,
        [format!("{path}:{line}:1: DL304 error exception's `expires` is empty").as_str()],
        "{out}"
    );
}

/// `key: ""` is the same as `key:`: one "is empty" finding at the key, never an invalid
/// date or unknown status of nothing.
#[test]
fn an_empty_string_is_an_empty_field() {
    let repo = initialised();
    repo.write(
        "decisions/0002-a.md",
        "---\ntitle: \"\"\nstatus: \"\"\ndecider: \"\"\n---\n",
    );
    repo.write(
        "decisions/0003-b.md",
        &complete("Skip review", "ana", CRITERION).replace(
            "date: 2026-05-02",
            "date: \"\"\nkind: exception\nexpires: \"\"",
        ),
    );
    assert_findings(
        &repo,
        &[],
        &[
            "decisions/0002-a.md:2:1: DL101 error required field `title` is empty",
            "decisions/0002-a.md:3:1: DL101 error required field `status` is empty",
            "decisions/0002-a.md:4:1: DL201 error `decider` is empty: nobody is named as the decider",
            "decisions/0003-b.md:5:1: DL101 error `date` is empty: a decision with status `accepted` has been decided",
            "decisions/0003-b.md:7:1: DL304 error exception's `expires` is empty",
        ],
    );
}

#[test]
fn new_keeps_the_index_fresh() {
    let repo = initialised();
    new_record(&repo, &["Use Postgres"]);
    new_record(&repo, &["Use Redis", "--decider", "bo"]);
    let o = declint(repo.path(), &["index", "--check"]);
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    let readme = read(&repo, "decisions/README.md");
    assert!(
        readme.contains("| 0002 | [Use Postgres](0002-use-postgres.md)"),
        "{readme}"
    );
    assert!(
        readme.contains("| 0003 | [Use Redis](0003-use-redis.md) | proposed | bo |"),
        "{readme}"
    );
}

#[test]
fn new_leaves_a_readme_without_markers_alone() {
    let repo = initialised();
    repo.write("decisions/README.md", "# Our decisions\n");
    new_record(&repo, &["Use Postgres"]);
    assert_eq!(read(&repo, "decisions/README.md"), "# Our decisions\n");
}

#[test]
fn new_with_broken_index_markers_writes_nothing() {
    let repo = initialised();
    repo.write(
        "decisions/README.md",
        "# Log\n\n<!-- declint:index:start -->\nno end\n",
    );
    let before = snapshot(&repo);
    let o = declint(repo.path(), &["new", "Use Postgres"]);
    assert_no_internals(&o);
    assert_eq!(code(&o), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("but no `<!-- declint:index:end -->`"),
        "{}",
        text(&o)
    );
    assert_eq!(snapshot(&repo), before, "a record without its index row");
}

#[test]
fn the_next_id_never_wraps_around() {
    let repo = initialised();
    repo.write(
        "decisions/18446744073709551615-last.md",
        "---\ntitle: Last\nstatus: proposed\n---\n",
    );
    let o = declint(repo.path(), &["new", "After the last"]);
    assert_eq!(code(&o), Some(2), "{}", text(&o));
    assert!(text(&o).contains("18446744073709551615"), "{}", text(&o));
    let names: Vec<String> = std::fs::read_dir(repo.path().join("decisions"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with("0000")), "{names:?}");
}

#[test]
fn scripts_build_into_cargos_target_dir() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = Command::new("bash")
        .arg(root.join("scripts/cargo-target-dir.sh"))
        .env("CARGO_TARGET_DIR", "/tmp/declint-elsewhere")
        .output()
        .expect("bash runs");
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "/tmp/declint-elsewhere"
    );
    // No script names the default folder itself: each asks cargo-target-dir.sh.
    for script in [
        ".ci/run",
        "bench/run.sh",
        "scripts/render-mermaid.sh",
        ".ci/steps/30-integrations.sh",
        ".ci/steps/40-mermaid.sh",
        ".ci/steps/45-editor.sh",
        ".ci/steps/50-bench-smoke.sh",
    ] {
        let body = std::fs::read_to_string(root.join(script)).expect(script);
        for hard_coded in [
            "target/debug",
            "target/release",
            "/target\"",
            "target/mermaid",
            "du -sh target",
        ] {
            assert!(
                !body.contains(hard_coded),
                "{script} hard-codes `{hard_coded}`"
            );
        }
    }
}

/// A decided record that is complete, with `decider` and one reversal criterion given.
fn complete(title: &str, decider: &str, criterion: &str) -> String {
    format!(
        "---\ntitle: {title}\nstatus: accepted\nraised: 2026-05-01\ndate: 2026-05-02\ndecider: {decider}\noptions: [Postgres, SQLite]\nreversal: [\"{criterion}\"]\n---\n\n# {title}\n"
    )
}

#[test]
fn a_roster_name_with_a_comma_is_one_person() {
    let repo = initialised();
    let config = read(&repo, ".declint.yml").replace(
        "# roster: [ana, bo]",
        "roster: [\"Lima, Ana\", bo, cy, team-lead, team, \"Smith & Jones\", \"r&d/ops\"]",
    );
    repo.write(".declint.yml", &config);
    let criterion = "write load above 10k rows/s for a week";
    repo.write(
        "decisions/0002-a.md",
        &complete("Use Postgres", "\"Lima, Ana\"", criterion),
    );
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(0), "{out}");
    assert!(!out.contains("DL202") && !out.contains("DL203"), "{out}");
    // Whatever the punctuation, and whatever the case.
    for name in ["Smith & Jones", "r&d/ops", "lima, ana"] {
        repo.write(
            "decisions/0002-a.md",
            &complete("Use Postgres", &format!("\"{name}\""), criterion),
        );
        let (status, out) = concise(&repo, &[]);
        assert_eq!(status, Some(0), "{name}: {out}");
    }
    // Joined with another name, the roster name still stays whole.
    repo.write(
        "decisions/0002-a.md",
        &complete("Use Postgres", "\"Lima, Ana and bo\"", criterion),
    );
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("DL202 error 2 deciders named (`Lima, Ana`, `bo`)"),
        "{out}"
    );
}

#[test]
fn without_a_roster_joined_names_are_several_people() {
    let repo = initialised();
    let criterion = "write load above 10k rows/s for a week";
    for decider in ["ana and bo", "ana, bo", "ana & bo", "ana/bo"] {
        repo.write(
            "decisions/0002-a.md",
            &complete("Use Postgres", &format!("\"{decider}\""), criterion),
        );
        let (status, out) = concise(&repo, &[]);
        assert_eq!(status, Some(1), "{decider}: {out}");
        assert!(
            out.contains("DL202 error 2 deciders named (`ana`, `bo`)"),
            "{decider}: {out}"
        );
    }
}

#[test]
fn a_team_handle_is_reported_as_a_team() {
    let repo = initialised();
    repo.write(
        "decisions/0002-a.md",
        &complete(
            "Use Postgres",
            "\"@org/platform\"",
            "write load above 10k rows/s for a week",
        ),
    );
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(1), "{out}");
    let findings = finding_lines(&out);
    assert_eq!(findings.len(), 1, "{out}");
    assert!(
        findings[0].contains("DL202 error `@org/platform` is a team handle"),
        "{out}"
    );
}

#[test]
fn a_short_measurable_criterion_and_named_titles_pass() {
    let repo = initialised();
    repo.write(
        "decisions/0002-a.md",
        &complete("Use Postgres", "ana", "p99 > 200ms"),
    );
    repo.write(
        "decisions/0003-b.md",
        &complete("TODO-tree", "ana", "p99 > 200ms"),
    );
    repo.write(
        "decisions/0004-c.md",
        &complete("\"{fmt}\"", "ana", "build time above 5 min"),
    );
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(0), "{out}");
    assert!(!out.contains("DL1"), "{out}");
    for (i, short) in ["< 5% errors", "2 outages", "cost > $5k/mo"]
        .iter()
        .enumerate()
    {
        repo.write(
            &format!("decisions/00{}-m.md", 10 + i),
            &complete("Use Redis", "ana", short),
        );
    }
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(0), "{out}");
    // A metric's name is no threshold: `p99` alone is a placeholder.
    repo.write("decisions/0009-e.md", &complete("Use Kafka", "ana", "p99"));
    assert_findings(
        &repo,
        &["decisions/0009-e.md"],
        &[
            "decisions/0009-e.md:8:12: DL107 error reversal criterion `p99` is a placeholder, not a criterion",
        ],
    );
    std::fs::remove_file(repo.path().join("decisions/0009-e.md")).unwrap();
    // A real placeholder is still one.
    repo.write(
        "decisions/0005-d.md",
        &complete("Use {short title}", "ana", "TBD"),
    );
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(1), "{out}");
    assert!(out.contains("0005-d.md:8:12: DL107"), "{out}");
    assert!(out.contains("0005-d.md:2:8: DL110"), "{out}");
}

/// A placeholder in backticks is quoted (a record discussing one), not left: DL110 stays
/// silent on it, and still reports one outside the backticks.
#[test]
fn a_quoted_placeholder_is_not_template_text() {
    let repo = initialised();
    let record = complete(
        "\"Ban `TODO`, `<name>` and `{short title}` in titles\"",
        "ana",
        CRITERION,
    );
    repo.write("decisions/0002-a.md", &record);
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(0), "{out}");
    assert!(!out.contains("DL110"), "{out}");
    repo.write("decisions/0002-a.md", &record.replace("`<name>`", "<name>"));
    let (_, out) = concise(&repo, &[]);
    assert!(
        out.contains("DL110 warning `title` still holds template text `<name>`"),
        "{out}"
    );
}

#[test]
fn evidence_entries_are_validated_where_they_stand() {
    let repo = initialised();
    let record = "---\ntitle: Use Postgres\nstatus: accepted\nraised: 2026-05-01\ndate: 2026-05-02\ndecider: ana\noptions: [Postgres, SQLite]\nreversal: [write load above 10k rows/s for a week]\nevidence:\n  - {}\n  - summary: no date here\n  - date: 2026-05-10\n  - date: 2026-05-11\n    summary: load at 12k rows/s\n    criterion: 7\n  - date: 2026-05-12\n    summary: fine\n    criterion: 1\n---\n";
    repo.write("decisions/0002-a.md", record);
    assert_findings(
        &repo,
        &[],
        &[
            "decisions/0002-a.md:10:5: DL003 error this `evidence` entry has no `date` and `summary`",
            "decisions/0002-a.md:11:5: DL003 error this `evidence` entry has no `date`",
            "decisions/0002-a.md:12:5: DL003 error this `evidence` entry has no `summary`",
            "decisions/0002-a.md:15:16: DL111 error evidence cites criterion `7`, but the decision has 1 reversal criterion",
        ],
    );
}

#[test]
fn an_undated_new_entry_is_named_in_the_change_finding() {
    let repo = initialised();
    let base = "---\ntitle: Use Postgres\nstatus: accepted\nraised: 2026-05-01\ndate: 2026-05-02\ndecider: ana\noptions: [Postgres, SQLite]\nreversal: [write load above 10k rows/s for a week]\npriority: P2\ndeprioritized: [reporting]\n---\n";
    repo.write("decisions/0002-a.md", base);
    repo.commit("base", 1_780_000_000);
    repo.branch("change");
    let head = base.replace("priority: P2", "priority: P1").replace(
        "deprioritized: [reporting]\n",
        "deprioritized: [reporting]\nevidence:\n  - summary: load at 12k rows/s\n    criterion: 1\n",
    );
    repo.write("decisions/0002-a.md", &head);
    repo.commit("raise it", 1_780_000_100);
    let (status, out) = concise(&repo, &["--base", "main"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("DL003 error this `evidence` entry has no `date`"),
        "{out}"
    );
    assert!(
        out.contains("priority changed from `P2` to `P1` without a new evidence entry: the entry added on line 12 has no valid `date`, so it does not count"),
        "{out}"
    );
}

#[test]
fn an_evidence_entry_that_says_nothing_is_no_evidence() {
    let repo = initialised();
    let base = "---\ntitle: Use Postgres\nstatus: accepted\nraised: 2026-05-01\ndate: 2026-05-02\ndecider: ana\noptions: [Postgres, SQLite]\nreversal: [write load above 10k rows/s for a week]\npriority: P2\ndeprioritized: [reporting]\nevidence: []\n---\n";
    // An empty or missing value is a missing key, reported once, at its entry.
    repo.write(
        "decisions/0002-a.md",
        &base.replace(
            "evidence: []",
            "evidence:\n  - date: 2026-05-10\n    summary: \"\"\n  - date:\n    summary: load at 12k rows/s\n  - date: 2026-05-11\n    summary:\n",
        ),
    );
    assert_findings(
        &repo,
        &["decisions/0002-a.md"],
        &[
            "decisions/0002-a.md:12:5: DL003 error this `evidence` entry has no `summary`",
            "decisions/0002-a.md:14:5: DL003 error this `evidence` entry has no `date`",
            "decisions/0002-a.md:16:5: DL003 error this `evidence` entry has no `summary`",
        ],
    );
    // In a pull request, an entry with an empty summary does not carry a priority change.
    repo.write("decisions/0002-a.md", base);
    repo.commit("base", 1_780_000_000);
    repo.branch("change");
    repo.write(
        "decisions/0002-a.md",
        &base.replace("priority: P2", "priority: P1").replace(
            "evidence: []",
            "evidence:\n  - date: 2026-05-20\n    summary: \"\"\n    criterion: 1\n",
        ),
    );
    repo.commit("raise it", 1_780_000_100);
    let (status, out) = concise(&repo, &["--base", "main"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains("DL501 error priority changed from `P2` to `P1` without a new evidence entry: the entry added on line 12 has no `summary`, so it does not count"),
        "{out}"
    );
}

/// Every file under the repository (not `.git`) with its bytes.
fn snapshot(repo: &TestRepo) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![repo.path().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(repo.path()).unwrap();
                out.push((
                    rel.to_string_lossy().into_owned(),
                    std::fs::read(&path).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

const CRITERION: &str = "write load above 10k rows/s for a week";

/// A log with the accepted `0002` "Keep MySQL" and, made by `new --supersedes 2`, its
/// proposed successor (the path returned).
fn a_proposed_successor() -> (TestRepo, String) {
    let repo = initialised();
    repo.write(
        "decisions/0002-mysql.md",
        &complete("Keep MySQL", "ana", CRITERION),
    );
    let successor = new_record(
        &repo,
        &["Move to Postgres", "--supersedes", "2", "--decider", "ana"],
    );
    (repo, successor)
}

#[test]
fn supersede_keeps_the_old_decision_in_force_until_the_successor_is_decided() {
    let (repo, successor) = a_proposed_successor();
    let old = read(&repo, "decisions/0002-mysql.md");
    assert!(old.contains("status: accepted\n"), "{old}");
    assert!(old.contains("superseded_by: \"0003\"\n"), "{old}");
    // Pending: the proposal does not close the decision, and no rule complains.
    let (status, out) = concise(&repo, &["decisions/0002-mysql.md"]);
    assert_eq!(status, Some(0), "{out}");
    assert!(!out.contains("DL403"), "{out}");
    // Decided: DL403 says what to do on the old record.
    let decided =
        read(&repo, &successor).replace("status: proposed", "status: accepted\ndate: 2026-06-01");
    repo.write(&successor, &decided);
    let (_, out) = concise(&repo, &[]);
    assert!(
        out.contains("decisions/0002-mysql.md:3:9: DL403 error `0003` supersedes this decision and is decided (`accepted`), but this one is still `accepted`"),
        "{out}"
    );
    // A second successor is refused, and nothing changes.
    let before = snapshot(&repo);
    let o = declint(
        repo.path(),
        &["new", "Move to SQLite", "--supersedes", "0002"],
    );
    assert_eq!(code(&o), Some(2), "{}", text(&o));
    assert!(text(&o).contains("already has a successor"), "{}", text(&o));
    assert_no_internals(&o);
    assert_eq!(snapshot(&repo), before);
}

/// A pull request that decides the successor and leaves the old decision `accepted` puts
/// two decisions in force: it fails, on the status it set, not with a warning on the
/// untouched old record.
#[test]
fn a_pr_deciding_a_successor_must_close_the_old_decision() {
    let (repo, successor) = a_proposed_successor();
    let criterion = CRITERION;
    repo.commit("propose Postgres", 1_780_000_000);
    repo.branch("decide");
    let decided = read(&repo, &successor)
        .replace("status: proposed", "status: accepted\ndate: 2026-06-01")
        .replace(
            "tags: []",
            &format!("tags: []\noptions: [Postgres, MySQL]\nreversal: [\"{criterion}\"]"),
        );
    repo.write(&successor, &decided);
    repo.commit("decide", 1_780_000_100);
    let (status, out) = concise(&repo, &["--base", "main"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains(&format!("{successor}:5:9: DL403 error this decision supersedes `0002` and is now `accepted`, but decisions/0002-mysql.md is still `accepted`")),
        "{out}"
    );
    // Closing the old decision in the same change, with the evidence a reversal needs,
    // passes.
    let old = read(&repo, "decisions/0002-mysql.md")
        .replace("status: accepted", "status: superseded")
        .replace(
            "superseded_by:",
            "evidence:\n  - date: 2026-06-01\n    summary: write load reached 14k rows/s\n    criterion: 1\nsuperseded_by:",
        );
    repo.write("decisions/0002-mysql.md", &old);
    let (status, out) = concise(&repo, &["--base", "main"]);
    assert_eq!(status, Some(0), "{out}");
    assert!(!out.contains("DL403"), "{out}");
}

#[test]
fn supersede_refuses_front_matter_it_cannot_edit_and_writes_nothing() {
    let cases = [
        (
            "flow mapping",
            "---\n{title: Keep MySQL, status: accepted, decider: ana}\n---\n# Keep MySQL\n",
        ),
        (
            "indented root",
            "---\n  title: Keep MySQL\n  status: accepted\n  decider: ana\n---\n# Keep MySQL\n",
        ),
        (
            "alias",
            "---\ntitle: Keep MySQL\nstatus: accepted\ntags: &none []\nsuperseded_by: *none\n---\n",
        ),
        (
            "block scalar",
            "---\ntitle: Keep MySQL\nstatus: accepted\nsuperseded_by: >-\n---\n",
        ),
        (
            "explicit key",
            "---\n? title\n: Keep MySQL\n? status\n: accepted\n---\n",
        ),
    ];
    for (name, record) in cases {
        let repo = initialised();
        repo.write("decisions/0002-mysql.md", record);
        let before = snapshot(&repo);
        let o = declint(
            repo.path(),
            &["new", "Move to Postgres", "--supersedes", "0002"],
        );
        assert_no_internals(&o);
        assert_eq!(code(&o), Some(2), "{name}: {}", text(&o));
        assert!(
            text(&o).contains("declint does not edit"),
            "{name}: {}",
            text(&o)
        );
        assert_eq!(snapshot(&repo), before, "{name}: files changed");
    }
}

#[test]
fn supersede_edits_the_forms_it_knows_exactly() {
    let cases = [
        (
            "---\ntitle: Keep MySQL\nstatus: accepted\nsuperseded_by: []\n---\n",
            "---\ntitle: Keep MySQL\nstatus: accepted\nsuperseded_by: [\"0003\"]\n---\n",
        ),
        (
            "---\ntitle: Keep MySQL # why\nstatus: accepted\n---\nbody\n",
            "---\ntitle: Keep MySQL # why\nstatus: accepted\nsuperseded_by: \"0003\"\n---\nbody\n",
        ),
    ];
    for (record, want) in cases {
        let repo = initialised();
        repo.write("decisions/0002-mysql.md", record);
        new_record(&repo, &["Move to Postgres", "--supersedes", "0002"]);
        assert_eq!(read(&repo, "decisions/0002-mysql.md"), want);
    }
}

/// A repository after `init` with the initial log committed on `main`, then a `change`
/// branch checked out.
fn on_a_branch() -> TestRepo {
    let repo = initialised();
    repo.write(
        "decisions/0002-a.md",
        &complete(
            "Use Postgres",
            "ana",
            "write load above 10k rows/s for a week",
        ),
    );
    // An old, untouched record with a review already past: a warning in a PR.
    repo.write(
        "decisions/0003-b.md",
        &complete("Use Redis", "ana", "cache hit rate below 80% for a week")
            .replace("decider: ana", "decider: ana\nreview_by: 2026-05-20"),
    );
    repo.commit("the log", 1_780_000_000);
    repo.branch("change");
    repo
}

#[test]
fn every_run_with_a_base_says_which_base_it_used() {
    let repo = on_a_branch();
    let o = declint(repo.path(), &["check", "--base", "main"]);
    assert_no_internals(&o);
    let out = text(&o);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("compared with the merge base of main ("))
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    let (_, concise_out) = concise(&repo, &["--base", "auto"]);
    assert!(
        concise_out.contains("compared with the merge base with main, the default branch ("),
        "{concise_out}"
    );
    let o = declint(repo.path(), &["check", "--base", "main", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let head = repo.head().to_string();
    assert_eq!(json["base"]["merge_base"], head.as_str(), "{json}");
    assert!(
        json["base"]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("merge base of main")),
        "{json}"
    );
    // The CI formats say it too: a log line after the annotations, a line in the job
    // summary, and the SARIF run's property bag.
    let summary = repo.path().join("summary.md");
    let summary_arg = summary.to_string_lossy().into_owned();
    let o = declint(
        repo.path(),
        &[
            "check",
            "--base",
            "main",
            "-f",
            "github",
            "--summary",
            &summary_arg,
        ],
    );
    assert!(
        text(&o).contains("\ndeclint: compared with the merge base of main ("),
        "{}",
        text(&o)
    );
    let written = std::fs::read_to_string(&summary).expect("summary");
    assert!(
        written.contains("compared with the merge base of main \\("),
        "{written}"
    );
    let o = declint(repo.path(), &["check", "--base", "main", "-f", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["properties"]["declint/mergeBase"],
        head.as_str(),
        "{sarif}"
    );
    // In GitHub Actions, the line names the ref it found: here the local `main` (this
    // clone has no `origin`), not `origin/main`.
    let o = crate::util::declint_in(repo.path())
        .args(["check", "--base", "auto", "-f", "concise"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_BASE_REF", "main")
        .env_remove("GITHUB_EVENT_PATH")
        .output()
        .expect("declint runs");
    assert!(
        text(&o).contains("\ncompared with the merge base with main ("),
        "{}",
        text(&o)
    );
    // Without a base there is no such line and `base` is null.
    let o = declint(repo.path(), &["check", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(json["base"].is_null(), "{json}");
}

/// `git ARGS` in `dir` with the real git command line (what a laptop has), an explicit
/// identity and dates, and no user or system configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2026-06-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-06-01T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// `git clone [OPTIONS] URL NAME` into `dir`, then on a new branch `raise`, a commit that
/// raises `0002`'s priority from P2 to P1 without evidence. The clone's path.
fn cloned_and_raised(dir: &Path, url: &str, name: &str, options: &[&str]) -> PathBuf {
    let mut args = vec!["clone", "-q"];
    args.extend_from_slice(options);
    args.extend_from_slice(&[url, name]);
    git(dir, &args);
    let clone = dir.join(name);
    git(&clone, &["checkout", "-q", "-b", "raise"]);
    let record = clone.join("decisions/0002-a.md");
    let raised = std::fs::read_to_string(&record)
        .unwrap()
        .replace("priority: P2", "priority: P1");
    std::fs::write(&record, raised).unwrap();
    git(&clone, &["commit", "-q", "-am", "raise the priority"]);
    clone
}

/// A laptop: a real `git clone` of a shared log, a branch pushed with an upstream of its
/// own that already holds a priority raised without evidence. `--base auto` compares with
/// the default branch, never with that upstream, and says so in human and JSON output; a
/// `--depth 1` clone that does not reach the merge base is an error naming the fix.
#[test]
fn base_auto_on_a_laptop_uses_the_default_branch_or_says_why_not() {
    let origin = initialised();
    origin.write(
        "decisions/0002-a.md",
        &complete(
            "Use Postgres",
            "ana",
            "write load above 10k rows/s for a week",
        )
        .replace(
            "decider: ana",
            "decider: ana\npriority: P2\ndeprioritized: [reporting]",
        ),
    );
    origin.commit("the log", 1_780_000_000);
    let laptop = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    let clone = cloned_and_raised(laptop.path(), &url, "clone", &[]);
    git(&clone, &["push", "-q", "-u", "origin", "raise"]);
    let o = declint(&clone, &["check", "--base", "auto"]);
    assert_no_internals(&o);
    assert_eq!(code(&o), Some(1), "{}", text(&o));
    let human = text(&o);
    assert!(
        human.contains("DL501(priority-without-evidence)"),
        "{human}"
    );
    let merge_base = git(&clone, &["rev-parse", "origin/main"]);
    let said: Vec<&str> = human
        .lines()
        .filter(|l| l.starts_with("compared with "))
        .collect();
    assert_eq!(
        said,
        [format!(
            "compared with the merge base with origin/main, the default branch ({})",
            &merge_base[..10]
        )
        .as_str()],
        "{human}"
    );
    let o = declint(&clone, &["check", "--base", "auto", "-f", "json"]);
    assert_eq!(code(&o), Some(1), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(json["base"]["merge_base"], merge_base.as_str(), "{json}");
    assert!(
        json["base"]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("merge base with origin/main, the default branch")),
        "{json}"
    );
    assert!(
        json["findings"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["code"] == "DL501")),
        "{json}"
    );

    // No default branch to be found (no remote, no `main` or `master`): a clear error.
    git(laptop.path(), &["init", "-q", "-b", "trunk", "alone"]);
    let alone = laptop.path().join("alone");
    std::fs::create_dir(alone.join("decisions")).unwrap();
    std::fs::write(
        alone.join("decisions/0001-a.md"),
        complete("A", "ana", CRITERION),
    )
    .unwrap();
    git(&alone, &["add", "."]);
    git(&alone, &["commit", "-q", "-m", "a log"]);
    let o = declint(&alone, &["check", "--base", "auto"]);
    assert_no_internals(&o);
    assert_eq!(code(&o), Some(2), "{}", text(&o));
    assert!(
        text(&o)
            .contains("outside CI, `auto` compares with the default branch, and none was found"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("--base origin/main"), "{}", text(&o));

    // A depth-1 clone, and the default branch moves on: the merge base is out of reach.
    let shallow = cloned_and_raised(laptop.path(), &url, "shallow", &["--depth", "1"]);
    origin.write("other.txt", "x\n");
    origin.commit("main moves on", 1_780_000_600);
    git(&shallow, &["fetch", "-q", "--depth", "1", "origin", "main"]);
    for format in ["human", "json"] {
        let o = declint(&shallow, &["check", "--base", "auto", "-f", format]);
        assert_no_internals(&o);
        assert_eq!(code(&o), Some(2), "{format}: {}", text(&o));
        let all = text(&o);
        assert!(
            all.contains("this is a shallow clone and it does not reach the commit where head branched off origin/main"),
            "{format}: {all}"
        );
        assert!(all.contains("git fetch --unshallow"), "{format}: {all}");
    }
}

#[test]
fn a_pr_shows_its_own_findings_before_those_on_untouched_files() {
    let repo = on_a_branch();
    let path = new_record(&repo, &["Use Kafka", "--decider", "bo"]);
    let record =
        read(&repo, &path).replace("status: proposed", "status: accepted\ndate: 2026-06-01");
    repo.write(&path, &record);
    let o = declint(repo.path(), &["check", "--base", "main"]);
    let out = text(&o);
    let own = out
        .find(&format!("[{path}:"))
        .expect("the change's own finding");
    let heading = out
        .find("── 1 finding in 1 file this change did not touch ──")
        .expect("the heading of the rest");
    let untouched = out
        .find("[decisions/0003-b.md:")
        .expect("the untouched file's finding");
    assert!(own < heading && heading < untouched, "{out}");
}

#[test]
fn config_and_yaml_errors_speak_of_declints_fields() {
    let repo = initialised();
    let cases = [
        (
            "max_open: -1\n",
            "`max_open` must be a whole number, 0 or more",
            None,
        ),
        ("max_open: 1.5\n", "`max_open` must be a whole number", None),
        (
            "roster: [ana, {x: 1}]\n",
            "`roster` must be a list of people",
            None,
        ),
        (
            "max_open: 1\nmax_open: 2\n",
            "`max_open` is given twice",
            None,
        ),
        (
            "mx_open: 3\n",
            "unknown key `mx_open`",
            Some("did you mean `max_open`?"),
        ),
        (
            "rules: {DL101: eror}\n",
            "use one of off, info, warning, error",
            Some("did you mean `error`?"),
        ),
        (
            "statuses: {accepted: activ}\n",
            "use one of open, active, closed",
            Some("did you mean `active`?"),
        ),
        (
            "profile: mdr\n",
            "use one of declint, madr",
            Some("did you mean `madr`?"),
        ),
        ("paths: 5\n", "`paths` must be a list", None),
        // A type error says what the key takes, whatever the library expected there.
        (
            "max_open: []\n",
            "`max_open` must be a whole number, 0 or more",
            None,
        ),
        (
            "profile: []\n",
            "`profile` must be one of declint, madr, nygard, auto",
            None,
        ),
        (
            "rules: {DL101: }\n",
            "`rules` holds an empty value: use one of off, info, warning, error",
            None,
        ),
        ("paths: [~]\n", "`paths` holds an empty value", None),
        (
            "fields: {alow: [x]}\n",
            "unknown key `alow`",
            Some("did you mean `allow`?"),
        ),
        (
            "rules: {missing-revrsal: off}\n",
            "`rules` names an unknown rule `missing-revrsal`",
            Some("did you mean `missing-reversal`?"),
        ),
    ];
    for (config, says, suggests) in cases {
        repo.write(".declint.yml", config);
        let o = declint(repo.path(), &["check"]);
        assert_eq!(code(&o), Some(2), "{config}: {}", text(&o));
        assert_no_internals(&o);
        let all = text(&o);
        assert!(all.contains(says), "{config}: {all}");
        assert!(
            all.contains("declint schema config") || all.contains("did you mean"),
            "{config}: {all}"
        );
        if let Some(suggestion) = suggests {
            assert!(all.contains(suggestion), "{config}: {all}");
        }
        for word in [
            "u64",
            "usize",
            "unknown variant",
            "unknown field",
            "expected one of",
        ] {
            assert!(!all.contains(word), "{config}: `{word}` in {all}");
        }
    }
    // Errors about a value the library parsed for us speak of the key and the value, in
    // one line.
    for (config, says) in [
        (
            "id_pattern: \"[\"\n",
            "`id_pattern` is not a valid regular expression: unclosed character class (line 1, column 13)",
        ),
        (
            "roster: team.txt\n",
            "`roster` names the file `team.txt`: refusing to read",
        ),
        ("timezone: europe/berlin\n", "did you mean `Europe/Berlin`?"),
    ] {
        repo.write(".declint.yml", config);
        let o = declint(repo.path(), &["check"]);
        assert_eq!(code(&o), Some(2), "{config}: {}", text(&o));
        assert_no_internals(&o);
        assert!(text(&o).contains(says), "{config}: {}", text(&o));
        assert!(!text(&o).contains("\\n"), "{config}: {}", text(&o));
    }
    std::fs::remove_file(repo.path().join(".declint.yml")).unwrap();
    repo.write(
        "decisions/0002-a.md",
        "---\ntitle: a\ntitle: b\nstatus: proposed\n---\n",
    );
    let (_, out) = concise(&repo, &["decisions/0002-a.md"]);
    assert!(
        out.contains("decisions/0002-a.md:3:1: DL002 error invalid YAML: `title` is given twice"),
        "{out}"
    );
    // A wrong value is shown as written, not as its type.
    repo.write(
        "decisions/0002-a.md",
        "---\ntitle: a\nstatus: proposed\nkind: exeption\n---\n",
    );
    let (_, out) = concise(&repo, &["decisions/0002-a.md"]);
    assert!(
        out.contains("decisions/0002-a.md:4:7: DL003 error `kind` should be `decision` or `exception`, found `exeption`"),
        "{out}"
    );
    // A list with an empty item says so, not "should be a list, found a list".
    repo.write(
        "decisions/0002-a.md",
        "---\ntitle: a\nstatus: proposed\nagree: [~, bo]\n---\n",
    );
    let (_, out) = concise(&repo, &["decisions/0002-a.md"]);
    assert!(
        out.contains("decisions/0002-a.md:4:8: DL003 error `agree` should be a list of strings, each a single value (an item here is empty, a list or a mapping)"),
        "{out}"
    );
}

/// Every `--fail-on` value the README and docs/config.md name is one `check` accepts
/// (docs/config.md once offered `info`, which it refuses), and each does what they say.
#[test]
fn the_docs_fail_on_values_are_the_real_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut named: Vec<String> = Vec::new();
    for doc in ["README.md", "docs/config.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect(doc);
        for line in text.lines().filter(|l| l.contains("--fail-on")) {
            // `--fail-on a|b|c` and `--fail-on warning` (or `never`): the words in
            // backticks on the line, split at `|`.
            for quoted in line.split('`').skip(1).step_by(2) {
                let values = quoted.strip_prefix("--fail-on ").unwrap_or(quoted);
                if quoted.starts_with("--fail-on ") || !quoted.contains(' ') {
                    named.extend(values.split('|').map(str::to_string));
                }
            }
        }
    }
    named.retain(|v| v != "check" && !v.is_empty());
    named.sort();
    named.dedup();
    assert_eq!(named, ["error", "never", "warning"], "{named:?}");
    // A warning only: `error` passes, `warning` fails, `never` passes.
    let repo = initialised();
    repo.write(".declint.yml", "rules: {DL110: warning}\n");
    repo.write(
        "decisions/0002-a.md",
        &complete("Use {short title}", "ana", CRITERION),
    );
    for (level, want) in [("error", 0), ("warning", 1), ("never", 0)] {
        let (status, out) = typed(&repo, &["check", "--fail-on", level]);
        assert_eq!(status, Some(want), "--fail-on {level}: {out}");
    }
}

#[test]
fn man_is_listed_and_never_overwrites_an_edited_page() {
    let repo = initialised();
    let o = declint(repo.path(), &["--help"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("\n  man "),
        "{}",
        text(&o)
    );
    let pages = repo.path().join("man");
    let o = declint(repo.path(), &["man", "--dir", "man"]);
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    // Running again with current pages is fine.
    let o = declint(repo.path(), &["man", "--dir", "man"]);
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    let page = pages.join("declint-check.1");
    let edited = format!("{}.\\\" local note\n", read(&repo, "man/declint-check.1"));
    std::fs::write(&page, &edited).unwrap();
    let o = declint(repo.path(), &["man", "--dir", "man"]);
    assert_eq!(code(&o), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("declint-check.1 already exists"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read_to_string(&page).unwrap(), edited);
    let names: Vec<String> = std::fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| n.ends_with(".1")), "{names:?}");
}

/// The README's 30-second example is what declint prints, byte for byte, and the fix it
/// describes makes the record pass.
#[test]
fn the_readme_example_is_what_declint_prints() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let between = |from: &str, to: &str| -> String {
        let start = readme.find(from).expect(from) + from.len();
        let rest = &readme[start..];
        rest[..rest.find(to).expect(to)].to_string()
    };
    let record = between("`decisions/0001-use-postgres.md`:\n\n```markdown\n", "```");
    let console = between("```console\n", "```");
    let repo = TestRepo::new();
    repo.write("decisions/0001-use-postgres.md", &record);
    let mut printed = String::new();
    for command in ["declint check", "declint check -f concise"] {
        let args: Vec<&str> = command.split(' ').skip(1).collect();
        let o = declint(repo.path(), &args);
        assert_eq!(code(&o), Some(1), "{command}: {}", text(&o));
        printed.push_str(&format!("$ {command}\n{}", text(&o)));
    }
    assert_eq!(printed, console, "README.md's 30-second example is stale");
    // "Fixed: one decider (`decider: ana`, `agree: [bo]`), two options, and a reversal
    // criterion": then it passes.
    let fixed = record
        .replace("decider: ana and bo", "decider: ana\nagree: [bo]")
        .replace(
            "options: [Postgres]",
            "options: [Postgres, SQLite]\nreversal: [write load above 10k rows/s for a week]",
        );
    assert!(
        readme.contains("(`reversal: [write load above 10k rows/s for a week]`)"),
        "the README's fix changed: update this test"
    );
    repo.write("decisions/0001-use-postgres.md", &fixed);
    let o = declint(repo.path(), &["check"]);
    assert_eq!(code(&o), Some(0), "{}", text(&o));
    assert_eq!(text(&o), "0 errors, 0 warnings in 1 file checked\n");
    assert!(readme.contains("`0 errors, 0 warnings in 1 file checked`"));
}

/// `declint ARGS` as a new user types it: it must not print a library internal, and its
/// exit code is returned with everything it printed.
fn typed(repo: &TestRepo, args: &[&str]) -> (Option<i32>, String) {
    let o = declint(repo.path(), args);
    assert_no_internals(&o);
    (code(&o), text(&o))
}

/// The findings of a JSON report, as `(code, path)`.
fn json_findings(repo: &TestRepo, args: &[&str]) -> (serde_json::Value, Vec<(String, String)>) {
    let mut all = vec!["check", "-f", "json"];
    all.extend_from_slice(args);
    let o = declint(repo.path(), &all);
    assert_no_internals(&o);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let findings = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (json, findings)
}

/// The README's path for a new user, start to finish: `init`, `new`, `check`, then a pull
/// request checked with `--base`. Nothing they type may print a library internal (every
/// command goes through [`typed`], [`concise`], [`json_findings`] or [`new_record`], which
/// assert it), a correct record or pull request must pass without a finding in every
/// format, and an unfilled template (whole or in part, decision or exception) must never
/// pass.
#[test]
fn the_first_hour_walkthrough() {
    let repo = TestRepo::new();
    let (status, out) = typed(&repo, &["init"]);
    assert_eq!(status, Some(0), "{out}");
    let (status, out) = concise(&repo, &[]);
    assert_eq!(status, Some(0), "init's log passes: {out}");
    assert!(!out.contains(": DL"), "{out}");
    // The other commands the README names work on a fresh log.
    for args in [
        &["list"][..],
        &["list", "--open"],
        &["explain", "DL106"],
        &["explain", "missing-reversal"],
        &["explain", "--all"],
        &["index", "--check"],
        &["stats"],
        &["digest"],
        &["schema", "config"],
    ] {
        let (status, out) = typed(&repo, args);
        assert_eq!(status, Some(0), "{args:?}: {out}");
    }
    repo.commit("adopt declint", 1_780_000_000);

    // A pull request: a new question, first left as the template wrote it.
    repo.branch("use-postgres");
    let path = new_record(
        &repo,
        &["Use Postgres for the order store", "--decider", "ana"],
    );
    let (status, out) = typed(&repo, &["index", "--check"]);
    assert_eq!(status, Some(0), "`new` keeps the index fresh: {out}");
    // An open question needs no options or criteria yet: no finding.
    for args in [&[][..], &["--base", "main"], &["--base", "auto"]] {
        let (status, out) = concise(&repo, args);
        assert_eq!(status, Some(0), "a fresh question ({args:?}): {out}");
        assert!(!out.contains(": DL"), "a fresh question ({args:?}): {out}");
    }
    // Accepted with the template's body untouched, or only half filled in: not a decision,
    // in every format.
    let template = read(&repo, &path);
    let accepted = template.replace("status: proposed", "status: accepted\ndate: 2026-06-01");
    let options_only = accepted.replace(
        "<!-- At least two, as a list: each option with its pros and cons. -->",
        "- Postgres: the team knows it\n- SQLite: simpler, but one writer",
    );
    for (unfilled, wanted) in [
        (&accepted, &["DL106", "DL108"][..]),
        (&options_only, &["DL106"]),
    ] {
        repo.write(&path, unfilled);
        let (status, out) = concise(&repo, &["--base", "main"]);
        assert_eq!(status, Some(1), "an unfilled template passed: {out}");
        for code in wanted {
            assert!(out.contains(&format!("{path}:5:9: {code} error")), "{out}");
        }
        assert!(
            out.contains("compared with the merge base of main"),
            "{out}"
        );
        let (status, out) = typed(&repo, &["check", "--base", "auto"]);
        assert_eq!(status, Some(1), "an unfilled template passed: {out}");
        assert!(
            out.contains("compared with the merge base with main, the default branch"),
            "{out}"
        );
        let (json, findings) = json_findings(&repo, &["--base", "main"]);
        for code in wanted {
            assert!(
                findings.contains(&(code.to_string(), path.clone())),
                "{json}"
            );
        }
        assert!(json["base"]["merge_base"].is_string(), "{json}");
    }
    // An exception straight from `new`, accepted unfilled, fails too.
    let exception = new_record(
        &repo,
        &[
            "Skip the review queue",
            "--kind",
            "exception",
            "--decider",
            "ana",
        ],
    );
    repo.write(
        &exception,
        &read(&repo, &exception).replace("status: proposed", "status: accepted\ndate: 2026-06-01"),
    );
    let (status, out) = concise(&repo, &["--base", "main", &exception]);
    assert_eq!(status, Some(1), "an unfilled exception passed: {out}");
    assert!(out.contains("DL304"), "{out}");
    std::fs::remove_file(repo.path().join(&exception)).unwrap();
    let (status, out) = typed(&repo, &["index"]);
    assert_eq!(status, Some(0), "{out}");

    // Filled in as the README says: one decider, two options, a measurable criterion.
    let filled = options_only.replace(
        "<!-- As a list: what new evidence would change this decision? -->",
        "- p99 write latency > 50 ms for a week",
    );
    repo.write(&path, &filled);
    for args in [&[][..], &["--base", "main"], &["--base", "auto"]] {
        let (status, out) = concise(&repo, args);
        assert_eq!(status, Some(0), "a correct record failed ({args:?}): {out}");
        assert!(
            !out.contains(": DL"),
            "a finding on a correct record ({args:?}): {out}"
        );
        let (json, findings) = json_findings(&repo, args);
        assert!(findings.is_empty(), "a correct record ({args:?}): {json}");
        let (status, out) = typed(&repo, &[&["check"][..], args].concat());
        assert_eq!(status, Some(0), "{out}");
        assert!(out.contains("0 errors, 0 warnings"), "{out}");
    }
    let (status, out) = typed(&repo, &["index"]);
    assert_eq!(status, Some(0), "{out}");
    repo.commit("decide: Postgres", 1_780_000_600);
    let (status, out) = concise(&repo, &["--base", "main"]);
    assert_eq!(status, Some(0), "{out}");
    assert!(!out.contains(": DL"), "{out}");

    // Later, the priority is raised without evidence: the PR fails, and says why.
    repo.branch("raise");
    let raised = filled.replace(
        "tags: []",
        "tags: []\npriority: P1\ndeprioritized: [reporting]",
    );
    repo.write(&path, &raised);
    repo.commit("prioritise", 1_780_000_900);
    let (status, out) = concise(&repo, &["--base", "use-postgres"]);
    assert_eq!(status, Some(1), "{out}");
    assert!(
        out.contains(&format!(
            "{path}:20:11: DL501 error priority changed from none to `P1` without a new evidence entry"
        )),
        "{out}"
    );
    // With the evidence that meets its criterion, the same PR passes without a finding.
    let evidenced = raised.replace(
        "evidence: []",
        "evidence:\n  - date: 2026-06-01\n    summary: p99 write latency was 74 ms all week\n    criterion: 1",
    );
    repo.write(&path, &evidenced);
    repo.commit("the evidence", 1_780_000_960);
    let (status, out) = concise(&repo, &["--base", "use-postgres"]);
    assert_eq!(status, Some(0), "a correct PR failed: {out}");
    assert!(!out.contains(": DL"), "a finding on a correct PR: {out}");
    let (json, findings) = json_findings(&repo, &["--base", "use-postgres"]);
    assert!(findings.is_empty(), "a correct PR: {json}");
}
