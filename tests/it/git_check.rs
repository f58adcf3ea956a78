//! `declint check --base/--head/--history` on throwaway repositories built with git2.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::repo;

use chrono::NaiveDate;
use declint::AutoEnv;
use declint::check::{self, CheckOptions};
use declint::report::Report;
use declint::{ChangeKind, ChangeSet};
use repo::TestRepo;

const DAY: i64 = 86_400;
/// 2026-01-10 00:00 UTC.
const JAN_10: i64 = 1_768_003_200;

fn record(id: &str, status: &str, priority: &str, evidence: &str) -> String {
    format!(
        "---\nid: \"{id}\"\ntitle: Decision {id}\nstatus: {status}\ndecider: ana\ndate: 2026-01-10\npriority: {priority}\ndeprioritized: [other work]\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms for a week\nevidence:\n  - date: 2026-01-09\n    summary: benchmark\n{evidence}affects: [\"src/db/\"]\n---\n\n# Decision {id}\n\nWe decided.\n"
    )
}

const NEW_EVIDENCE: &str =
    "  - date: 2026-05-30\n    summary: p99 was 340 ms all week\n    criterion: 1\n";

/// A repository with two accepted decisions on `main`, and a `feature` branch checked out.
fn base_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P2", ""),
    );
    repo.write(
        "decisions/0002-queue.md",
        &record("0002", "accepted", "P3", ""),
    );
    repo.write("src/db/pool.rs", "fn pool() {}\n");
    repo.commit("initial log", JAN_10);
    repo.branch("feature");
    repo
}

fn run(
    repo: &TestRepo,
    base: Option<&str>,
    head: Option<&str>,
    history: bool,
) -> declint::Result<Report> {
    run_env(repo, base, head, history, AutoEnv::default())
}

fn run_env(
    repo: &TestRepo,
    base: Option<&str>,
    head: Option<&str>,
    history: bool,
    auto_env: AutoEnv,
) -> declint::Result<Report> {
    check::check(&CheckOptions {
        paths: Vec::new(),
        config: None,
        today: Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
        cwd: repo.path().to_path_buf(),
        base: base.map(str::to_string),
        head: head.map(str::to_string),
        history,
        since: None,
        staged: false,
        no_baseline: false,
        auto_env,
    })
}

fn codes(report: &Report) -> Vec<(&'static str, String)> {
    report
        .findings
        .iter()
        .filter(|f| f.code.starts_with("DL5") || f.code == "DL305")
        .map(|f| (f.code, f.path.clone()))
        .collect()
}

fn error_text(result: declint::Result<Report>) -> String {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(declint::Error::Git { message, help }) => {
            format!("{message} | {}", help.unwrap_or_default())
        }
        Err(other) => panic!("expected a git error, got {other:?}"),
    }
}

fn compare(repo: &TestRepo, base: &str, head: Option<&str>) -> ChangeSet {
    comparison(repo, base, head).change
}

fn comparison(repo: &TestRepo, base: &str, head: Option<&str>) -> declint::internals::Comparison {
    let config = declint::Config::default();
    let exclude = globset::GlobSet::empty();
    let folders = ["decisions".to_string()];
    let env = AutoEnv::default();
    let request = declint::internals::Compare {
        base,
        head,
        folders: &folders,
        exclude: &exclude,
        config: &config,
        env: &env,
    };
    let root = repo.path().to_path_buf();
    let load = |path: &str| {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        declint::Record::parse(path.to_string(), text, &config)
    };
    declint::internals::compare(repo.path(), &request, &load).unwrap()
}

/// The files of the change each governing decision's `affects` globs matched.
fn governed(report: &Report) -> Vec<(&str, Vec<String>)> {
    report
        .governing
        .iter()
        .map(|g| (g.path.as_str(), g.matched_files.clone()))
        .collect()
}

#[test]
fn only_files_under_affects_globs_are_read_from_the_change() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P2", ""),
    );
    repo.write(
        "drafts/0003-cache.md",
        &record("0003", "accepted", "P3", ""),
    );
    repo.write("src/db/pool.rs", "fn pool() {}\n");
    repo.write("lib/util.rs", "fn util() {}\n");
    repo.commit("initial log", JAN_10);
    repo.branch("feature");
    // Under the `src/db/` glob, and outside every glob; a record moved into the log from a
    // folder that is not one (it is new to the log: its old path was never a decision).
    repo.write("src/db/pool.rs", "fn pool() { /* v2 */ }\n");
    repo.write("lib/util.rs", "fn util() { /* v2 */ }\n");
    repo.rename("drafts/0003-cache.md", "decisions/0003-cache.md");
    repo.commit("change", JAN_10 + DAY);

    let all = ["src/db/pool.rs".to_string()].to_vec();
    let report = run(&repo, Some("main"), Some("HEAD"), false).unwrap();
    assert_eq!(
        governed(&report),
        [
            ("decisions/0001-db.md", all.clone()),
            ("decisions/0003-cache.md", all)
        ]
    );
    let kinds: Vec<_> = compare(&repo, "main", Some("HEAD"))
        .changes
        .into_iter()
        .map(|c| c.kind)
        .collect();
    assert_eq!(kinds, [ChangeKind::Added]);

    // Working tree: an untracked file under the glob counts; an untracked folder outside
    // every glob is never read.
    repo.write("src/db/cache.rs", "fn cache() {}\n");
    repo.write("vendor/big/deep/x.rs", "fn x() {}\n");
    let report = run(&repo, Some("main"), None, false).unwrap();
    let both = ["src/db/cache.rs", "src/db/pool.rs"]
        .map(String::from)
        .to_vec();
    assert_eq!(
        governed(&report),
        [
            ("decisions/0001-db.md", both.clone()),
            ("decisions/0003-cache.md", both.clone())
        ]
    );
    let compared = comparison(&repo, "main", None);
    let scoped =
        declint::internals::changed_paths(&compared.ends, Some(&["src/db".to_string()])).unwrap();
    assert_eq!(scoped, both);
    let whole = declint::internals::changed_paths(&compared.ends, None).unwrap();
    for outside in [
        "lib/util.rs",
        "vendor/big/deep/x.rs",
        "drafts/0003-cache.md",
    ] {
        assert!(whole.contains(&outside.to_string()), "{whole:?}");
    }

    // A glob with no literal folder (`*.sql`: any depth) reads the whole change.
    repo.write(
        "decisions/0004-sql.md",
        &record("0004", "accepted", "P3", "").replace("[\"src/db/\"]", "[\"*.sql\"]"),
    );
    repo.write("lib/schema/init.sql", "create table t ();\n");
    let report = run(&repo, Some("main"), None, false).unwrap();
    assert_eq!(
        governed(&report).last(),
        Some(&(
            "decisions/0004-sql.md",
            vec!["lib/schema/init.sql".to_string()]
        ))
    );
}

#[test]
fn priority_change_without_and_with_evidence_at_a_commit() {
    let repo = base_repo();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P0", ""),
    );
    repo.commit("reprioritise", JAN_10 + DAY);
    let report = run(&repo, Some("main"), Some("feature"), false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL501", "decisions/0001-db.md".to_string())]
    );

    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P0", NEW_EVIDENCE),
    );
    repo.commit("with evidence", JAN_10 + 2 * DAY);
    let report = run(&repo, Some("main"), Some("HEAD"), false).unwrap();
    assert!(codes(&report).is_empty(), "{:?}", codes(&report));
}

#[test]
fn no_base_no_change_rules() {
    let repo = base_repo();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "reversed", "P2", ""),
    );
    let report = run(&repo, None, None, false).unwrap();
    assert!(codes(&report).is_empty());
    assert!(report.governing.is_empty());
}

#[test]
fn working_tree_mode_sees_uncommitted_and_untracked_files() {
    let repo = base_repo();
    // Uncommitted edit: a reversal without evidence.
    repo.write(
        "decisions/0002-queue.md",
        &record("0002", "reversed", "P3", ""),
    );
    // Untracked new decision, decided long ago: not committed, so not logged yet, and
    // DL305 never measures from "now" (SPEC §9).
    repo.write(
        "decisions/0003-cache.md",
        &record("0003", "accepted", "P4", ""),
    );
    repo.write("src/db/schema.rs", "// new\n");
    let report = run(&repo, Some("main"), None, false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL502", "decisions/0002-queue.md".to_string())]
    );
    let change = compare(&repo, "main", None);
    let kinds: Vec<_> = change.changes.iter().map(|c| c.kind.clone()).collect();
    assert_eq!(kinds, [ChangeKind::Modified, ChangeKind::Added]);
    // Decisions governing the change: both decisions' affects match src/db/.
    let governing: Vec<_> = report.governing.iter().map(|g| g.path.as_str()).collect();
    assert_eq!(
        governing,
        ["decisions/0001-db.md", "decisions/0003-cache.md"]
    );
    assert_eq!(report.governing[0].matched_files, ["src/db/schema.rs"]);
}

#[test]
fn renames_are_not_deletions() {
    let repo = base_repo();
    repo.rename("decisions/0002-queue.md", "decisions/0002-message-queue.md");
    repo.commit("rename", JAN_10 + DAY);
    let change = compare(&repo, "main", Some("HEAD"));
    assert_eq!(change.changes.len(), 1);
    assert_eq!(
        change.changes[0].kind,
        ChangeKind::Renamed {
            from: "decisions/0002-queue.md".into()
        }
    );
    let report = run(&repo, Some("main"), Some("HEAD"), false).unwrap();
    assert!(codes(&report).is_empty(), "{:?}", codes(&report));

    // Renamed and reversed in the working tree: still compared with the base record.
    repo.rename("decisions/0002-message-queue.md", "decisions/0002-mq.md");
    repo.write(
        "decisions/0002-mq.md",
        &record("0002", "reversed", "P3", ""),
    );
    let report = run(&repo, Some("main"), None, false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL502", "decisions/0002-mq.md".to_string())]
    );
}

#[test]
fn deletions_are_reported_on_the_base_file() {
    let repo = base_repo();
    repo.remove("decisions/0002-queue.md");
    repo.commit("delete", JAN_10 + DAY);
    let report = run(&repo, Some("main"), Some("HEAD"), false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL505", "decisions/0002-queue.md".to_string())]
    );
    let finding = report.findings.iter().find(|f| f.code == "DL505").unwrap();
    assert!(finding.message.contains("as it stood on the base"));

    // Not on head: SARIF gives the file without a region, the summary names it unlinked.
    let sarif: serde_json::Value =
        serde_json::from_str(&declint::output::sarif::render(&report)).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "decisions/0002-queue.md"
    );
    assert!(location.get("region").is_none(), "{location}");
    let summary = declint::output::summary::render(
        &report,
        &declint::output::summary::SummaryOptions {
            blob_url: Some("https://github.com/o/r/blob/abc/".into()),
            ..Default::default()
        },
    );
    assert!(
        summary.contains("| decisions/0002-queue.md (deleted) |"),
        "{summary}"
    );
    assert!(
        !summary.contains("blob/abc/decisions/0002-queue.md"),
        "{summary}"
    );
}

#[test]
fn a_merge_from_the_base_is_not_part_of_the_change() {
    let repo = base_repo();
    repo.write(
        "decisions/0003-cache.md",
        &record("0003", "accepted", "P4", ""),
    );
    repo.commit("add 0003 on the branch", JAN_10 + DAY);
    // Meanwhile main adds its own 0003 and edits 0002.
    repo.checkout("main");
    repo.write(
        "decisions/0003-search.md",
        &record("0003", "accepted", "P4", ""),
    );
    repo.write(
        "decisions/0002-queue.md",
        &record("0002", "deprecated", "P3", NEW_EVIDENCE),
    );
    repo.commit("main moves on", JAN_10 + DAY);
    repo.checkout("feature");

    // Before merging main: the id collides with main's new record.
    let report = run(&repo, Some("main"), Some("HEAD"), false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL506", "decisions/0003-cache.md".to_string())]
    );

    // Renumber, then merge main into the branch: main's changes are not this change's.
    repo.rename("decisions/0003-cache.md", "decisions/0004-cache.md");
    repo.write(
        "decisions/0004-cache.md",
        &record("0004", "accepted", "P4", ""),
    );
    repo.commit("renumber", JAN_10 + 2 * DAY);
    repo.merge("main", JAN_10 + 3 * DAY);
    let change = compare(&repo, "main", Some("HEAD"));
    let paths: Vec<_> = change
        .changes
        .iter()
        .filter_map(|c| c.head.as_ref().map(|r| r.path.as_str()))
        .collect();
    assert_eq!(paths, ["decisions/0004-cache.md"]);
    assert!(change.added_on_base.is_empty());
    let report = run(&repo, Some("main"), Some("HEAD"), false).unwrap();
    assert!(
        codes(&report)
            .iter()
            .all(|(c, _)| *c != "DL506" && *c != "DL502")
    );
}

#[test]
fn time_findings_on_untouched_files_are_warnings_with_a_base() {
    let repo = base_repo();
    repo.write(
        "decisions/0003-cache.md",
        &record("0003", "accepted", "P4", ""),
    );
    repo.commit("late", JAN_10 + 5 * DAY);
    let config = "rules:\n  DL305: error\n";
    repo.write(".declint.yml", config);
    repo.commit("config", JAN_10 + 5 * DAY);
    // With --history every record has a logged time; 0001/0002 were logged on time.
    let report = run(&repo, None, None, true).unwrap();
    assert_eq!(
        codes(&report),
        [("DL305", "decisions/0003-cache.md".to_string())]
    );
    assert_eq!(
        report.findings[0].severity,
        declint::finding::Severity::Error
    );
    // Against a base that already has 0003, the file is untouched: a warning.
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P2", NEW_EVIDENCE),
    );
    let report = run(&repo, Some("HEAD"), None, true).unwrap();
    let late = report.findings.iter().find(|f| f.code == "DL305").unwrap();
    assert_eq!(late.severity, declint::finding::Severity::Warning);
}

#[test]
fn shallow_clone_without_the_base_names_fetch_depth() {
    let repo = base_repo();
    repo.write(
        "decisions/0003-cache.md",
        &record("0003", "accepted", "P4", ""),
    );
    let head = repo.commit("on the branch", JAN_10 + DAY);
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    repo.commit("main moves on", JAN_10 + DAY);
    repo.checkout("feature");
    // A depth-1 clone: HEAD's history is cut at HEAD itself.
    std::fs::write(repo.path().join(".git/shallow"), format!("{head}\n")).unwrap();
    let text = error_text(run(&repo, Some("main"), None, false));
    assert!(text.contains("shallow"), "{text}");
    assert!(text.contains("fetch-depth: 0"), "{text}");
    let text = error_text(run(&repo, Some("origin/main"), None, false));
    assert!(text.contains("fetch-depth"), "{text}");
}

#[test]
fn base_auto_locally_in_a_depth_1_clone_is_an_error_not_a_pass() {
    // A laptop clone made with `--depth 1`: the branch raises a priority without evidence,
    // the default branch moved on, and the merge base lies beyond the shallow boundary.
    let repo = base_repo();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P1", ""),
    );
    let head = repo.commit("raise the priority", JAN_10 + DAY);
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    let main_tip = repo.commit("main moves on", JAN_10 + DAY);
    repo.checkout("feature");
    repo.remote_branch("main", main_tip);
    repo.repo
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main",
            true,
            "test",
        )
        .unwrap();
    std::fs::write(
        repo.path().join(".git/shallow"),
        format!("{head}\n{main_tip}\n"),
    )
    .unwrap();
    let text = error_text(run(&repo, Some("auto"), None, false));
    assert!(text.contains("shallow"), "{text}");
    assert!(text.contains("fetch"), "{text}");
}

#[test]
fn a_missing_base_ref_is_an_error_not_a_pass() {
    let repo = base_repo();
    let text = error_text(run(&repo, Some("no-such-branch"), None, false));
    assert!(
        text.contains("`no-such-branch` does not name a commit"),
        "{text}"
    );
    assert!(text.contains("git fetch origin no-such-branch"), "{text}");
}

#[test]
fn base_auto_locally() {
    let repo = base_repo();
    // The branch has an upstream of its own that already holds the change: `auto` must
    // compare with the default branch (local `main` here), not with that upstream.
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "accepted", "P1", ""),
    );
    let pushed = repo.commit("raise the priority", JAN_10 + 60);
    repo.remote_branch("feature", pushed);
    repo.repo
        .remote("origin", "https://example.invalid/log.git")
        .unwrap();
    repo.repo
        .find_branch("feature", git2::BranchType::Local)
        .unwrap()
        .set_upstream(Some("origin/feature"))
        .unwrap();
    let report = run(&repo, Some("auto"), None, false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL501", "decisions/0001-db.md".to_string())]
    );
    let compared = report.compared.as_ref().unwrap();
    assert!(
        compared
            .description
            .starts_with("merge base with main, the default branch ("),
        "{}",
        compared.description
    );
    // No default branch to be found: a clear error, never a silent pass.
    repo.repo
        .find_branch("main", git2::BranchType::Local)
        .unwrap()
        .rename("trunk", false)
        .unwrap();
    let text = error_text(run(&repo, Some("auto"), None, false));
    assert!(
        text.contains("compares with the default branch") && text.contains("--base origin/main"),
        "{text}"
    );
    // origin/HEAD names it.
    let main = repo
        .repo
        .find_branch("trunk", git2::BranchType::Local)
        .unwrap();
    repo.remote_branch("main", main.get().target().unwrap());
    repo.repo
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main",
            true,
            "test",
        )
        .unwrap();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "proposed", "P2", ""),
    );
    let report = run(&repo, Some("auto"), None, false).unwrap();
    assert_eq!(
        codes(&report),
        [("DL507", "decisions/0001-db.md".to_string())]
    );
    assert!(
        report
            .compared
            .as_ref()
            .unwrap()
            .description
            .starts_with("merge base with origin/main, the default branch"),
        "{:?}",
        report.compared
    );
}

#[test]
fn base_auto_in_github_actions() {
    let repo = base_repo();
    repo.write(
        "decisions/0001-db.md",
        &record("0001", "reversed", "P2", ""),
    );
    repo.commit("reverse", JAN_10 + DAY);
    // GitHub's merge commit: main merged with the pull request, HEAD detached on it.
    repo.checkout("main");
    let merge = repo.merge("feature", JAN_10 + 2 * DAY);
    repo.repo.set_head_detached(merge).unwrap();
    let env = AutoEnv {
        github_actions: true,
        github_sha: Some(merge.to_string()),
        ..AutoEnv::default()
    };
    let report = run_env(&repo, Some("auto"), None, false, env).unwrap();
    assert_eq!(
        codes(&report),
        [("DL502", "decisions/0001-db.md".to_string())]
    );

    // Without the merge commit: GITHUB_BASE_REF.
    repo.checkout("feature");
    repo.remote_branch("main", repo.repo.revparse_single("main~1").unwrap().id());
    let env = AutoEnv {
        github_actions: true,
        github_base_ref: Some("main".into()),
        ..AutoEnv::default()
    };
    let report = run_env(&repo, Some("auto"), None, false, env).unwrap();
    assert_eq!(
        codes(&report),
        [("DL502", "decisions/0001-db.md".to_string())]
    );

    // Only the event file: its pull_request.base.sha.
    let event = repo.path().join("event.json");
    let main_before = repo.repo.revparse_single("main~1").unwrap().id();
    std::fs::write(
        &event,
        format!("{{\"pull_request\": {{\"base\": {{\"sha\": \"{main_before}\"}}}}}}"),
    )
    .unwrap();
    let env = AutoEnv {
        github_actions: true,
        github_event_path: Some(event.clone()),
        ..AutoEnv::default()
    };
    let report = run_env(&repo, Some("auto"), None, false, env).unwrap();
    assert_eq!(
        codes(&report),
        [("DL502", "decisions/0001-db.md".to_string())]
    );
    std::fs::remove_file(&event).unwrap();

    // A merge queue's run: the event's merge_group.base_sha, even when HEAD is a merge
    // commit whose first parent is another queued pull request, not the base.
    repo.checkout("main");
    let queued = repo.merge("feature", JAN_10 + 3 * DAY);
    repo.repo.set_head_detached(queued).unwrap();
    std::fs::write(
        &event,
        format!(
            "{{\"merge_group\": {{\"base_sha\": \"{main_before}\", \"head_sha\": \"{queued}\"}}}}"
        ),
    )
    .unwrap();
    let env = AutoEnv {
        github_actions: true,
        github_sha: Some(queued.to_string()),
        github_event_name: Some("merge_group".into()),
        github_event_path: Some(event.clone()),
        ..AutoEnv::default()
    };
    let report = run_env(&repo, Some("auto"), None, false, env).unwrap();
    assert_eq!(
        codes(&report),
        [("DL502", "decisions/0001-db.md".to_string())]
    );
    std::fs::write(&event, "{\"merge_group\": {}}").unwrap();
    let env = AutoEnv {
        github_actions: true,
        github_event_name: Some("merge_group".into()),
        github_event_path: Some(event.clone()),
        ..AutoEnv::default()
    };
    let text = error_text(run_env(&repo, Some("auto"), None, false, env));
    assert!(text.contains("merge_group.base_sha"), "{text}");
    std::fs::remove_file(event).unwrap();
    repo.checkout("feature");

    // Neither: a clear error.
    let env = AutoEnv {
        github_actions: true,
        ..AutoEnv::default()
    };
    let text = error_text(run_env(&repo, Some("auto"), None, false, env));
    assert!(text.contains("not for a pull request"), "{text}");
}

#[test]
fn merge_commit_without_its_first_parent_names_fetch_depth_2() {
    let repo = base_repo();
    repo.write(
        "decisions/0003-cache.md",
        &record("0003", "accepted", "P4", ""),
    );
    repo.commit("on the branch", JAN_10 + DAY);
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    let main_tip = repo.commit("main moves on", JAN_10 + DAY);
    let merge = repo.merge("feature", JAN_10 + 2 * DAY);
    repo.repo.set_head_detached(merge).unwrap();
    // Depth 1: the merge commit is there, its parents are not.
    std::fs::write(repo.path().join(".git/shallow"), format!("{merge}\n")).unwrap();
    let object = repo
        .path()
        .join(".git/objects")
        .join(&main_tip.to_string()[..2])
        .join(&main_tip.to_string()[2..]);
    std::fs::remove_file(object).unwrap();
    let env = AutoEnv {
        github_actions: true,
        github_sha: Some(merge.to_string()),
        ..AutoEnv::default()
    };
    let text = error_text(run_env(&repo, Some("auto"), None, false, env));
    assert!(text.contains("fetch-depth: 2"), "{text}");
}

#[test]
fn bare_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init_bare(dir.path()).unwrap();
    std::fs::create_dir(dir.path().join("decisions")).unwrap();
    let result = check::check(&CheckOptions {
        paths: Vec::new(),
        config: None,
        today: Some(NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()),
        cwd: dir.path().to_path_buf(),
        base: Some("main".into()),
        head: None,
        history: false,
        since: None,
        staged: false,
        no_baseline: false,
        auto_env: AutoEnv::default(),
    });
    let text = error_text(result);
    assert!(text.contains("bare repository"), "{text}");
}

#[test]
fn history_dates_every_record() {
    let repo = base_repo();
    repo.write(
        "decisions/0003-cache.md",
        &record("0003", "accepted", "P4", ""),
    );
    repo.commit("late", JAN_10 + 3 * DAY);
    let report = run(&repo, None, None, true).unwrap();
    assert_eq!(
        codes(&report),
        [("DL305", "decisions/0003-cache.md".to_string())]
    );
    let report = run(&repo, None, None, false).unwrap();
    assert!(codes(&report).is_empty());
}

#[test]
fn repository_owned_by_another_user_names_safe_directory() {
    use std::os::unix::fs::MetadataExt;
    let repo = base_repo();
    let owner = std::fs::metadata(repo.path()).unwrap().uid();
    if owner != 0 {
        // Only root can give a directory away; as another user this case cannot be built.
        eprintln!("skipped: needs root to chown the repository to another user");
        return;
    }
    std::os::unix::fs::chown(repo.path(), Some(4242), Some(4242)).unwrap();
    std::os::unix::fs::chown(repo.path().join(".git"), Some(4242), Some(4242)).unwrap();
    let text = error_text(run(&repo, Some("main"), None, false));
    assert!(text.contains("owned by another user"), "{text}");
    assert!(text.contains("safe.directory"), "{text}");
}

/// Between two commits the changed files are read by comparing tree ids, skipping every
/// subtree the two sides share; the list must be git's own (`git diff --name-only
/// --no-renames`), for the whole tree and for each scope: edits deep in a folder, a folder
/// added and one removed, a file that becomes a folder, a mode change, a rename.
#[test]
fn changed_paths_between_commits_are_gits_list() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", "---\ntitle: a\n---\n");
    for (path, text) in [
        ("src/a/b/c/deep.rs", "1"),
        ("src/a/b/c/same.rs", "1"),
        ("src/a/other.rs", "1"),
        ("old/x/y.txt", "1"),
        ("flip", "a file"),
        ("tool.sh", "echo"),
        ("keep/k.txt", "1"),
        ("move/from.txt", "moved"),
    ] {
        repo.write(path, text);
    }
    repo.commit("base", JAN_10);
    repo.branch("base");
    repo.checkout("main");
    repo.write("src/a/b/c/deep.rs", "2");
    repo.write("src/new/n/n.rs", "1");
    repo.remove("old/x/y.txt");
    repo.remove("flip");
    repo.write("flip/inside.txt", "a folder now");
    repo.remove("move/from.txt");
    repo.write("moved/to.txt", "moved");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let tool = repo.path().join("tool.sh");
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    repo.commit("change", JAN_10 + DAY);

    let git = |scope: &[&str]| -> Vec<String> {
        let out = std::process::Command::new("git")
            .args(["diff", "--name-only", "--no-renames", "base", "HEAD", "--"])
            .args(scope)
            .current_dir(repo.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let mut paths: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        paths.sort();
        paths
    };
    let compared = comparison(&repo, "base", Some("HEAD"));
    let whole = declint::internals::changed_paths(&compared.ends, None).unwrap();
    assert_eq!(whole, git(&[]));
    assert!(
        whole.contains(&"flip".to_string()) && whole.contains(&"src/a/b/c/deep.rs".into()),
        "{whole:?}"
    );
    #[cfg(unix)]
    assert!(whole.contains(&"tool.sh".to_string()), "{whole:?}");
    for scope in [
        &["src"][..],
        &["src/a/b"],
        &["old", "flip"],
        &["keep"],
        &["move", "moved/to.txt"],
        &["missing/folder"],
        &["."],
    ] {
        let within: Vec<String> = scope.iter().map(|s| (*s).to_string()).collect();
        let scoped = declint::internals::changed_paths(&compared.ends, Some(&within)).unwrap();
        let expected = if scope == ["."] { git(&[]) } else { git(scope) };
        assert_eq!(scoped, expected, "scope {scope:?}");
    }
}
