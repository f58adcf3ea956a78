//! The decision timeline (SPEC §9, issue 14) through the binary, on repositories built in
//! the test: each "what is wrong today" case asserts the exact finding or its absence and
//! the figure `stats` reports.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::repo::TestRepo;
use crate::util::{declint_in, stderr};
use serde_json::Value;
use std::process::Command;

/// Unix seconds of an RFC 3339 time.
fn at(time: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(time)
        .unwrap()
        .timestamp()
}

fn declint(repo: &TestRepo, today: &str, args: &[&str]) -> (Option<i32>, Value, String) {
    let o = declint_in(repo.path())
        .args(args)
        .args(["--format", "json"])
        .env("DECLINT_TODAY", today)
        .output()
        .unwrap();
    let stderr = stderr(&o);
    let json = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), json, stderr)
}

/// The findings of `code`: (path, message).
fn findings(report: &Value, code: &str) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check(repo: &TestRepo, today: &str, args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let (code, report, stderr) = declint(repo, today, &all);
    assert!(matches!(code, Some(0 | 1)), "{stderr}");
    report
}

fn stats(repo: &TestRepo, today: &str) -> Value {
    let (code, report, stderr) = declint(repo, today, &["stats", "--history"]);
    assert_eq!(code, Some(0), "{stderr}");
    report
}

/// A record with everything the content rules want, so that only the rule under test
/// can speak.
fn record(id: &str, status: &str, extra: &str) -> String {
    format!(
        "---\nid: \"{id}\"\ntitle: Decision {id}\nstatus: {status}\ndecider: ana\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms for a week\n{extra}---\n\n# Decision {id}\n\nWhy we chose a.\n"
    )
}

const LATE_MSG: &str = "the limit is 24 hours)";

fn late(detail: &str, when: &str) -> String {
    format!("logged {detail} after the decision (first committed as decided {when}; {LATE_MSG}")
}

/// Issue 14, item 1: raising a question and deciding it later starts the clock at the
/// decision, not at the file's first commit — in every mode.
#[test]
fn logged_is_the_first_decided_commit() {
    let repo = TestRepo::new();
    repo.write("README.md", "x\n");
    repo.write(
        "decisions/0001-a.md",
        &record("0001", "proposed", "raised: 2026-02-01\n"),
    );
    repo.commit("raise 0001", at("2026-02-01T10:00:00Z"));
    repo.branch("decide");
    repo.write(
        "decisions/0001-a.md",
        &record("0001", "accepted", "raised: 2026-02-01\ndate: 2026-02-03\n"),
    );
    repo.commit("decide 0001", at("2026-02-20T10:00:00Z"));

    let expected = vec![(
        "decisions/0001-a.md".to_string(),
        late("16 days 10 h", "2026-02-20 10:00 UTC"),
    )];
    let history = check(&repo, "2026-02-21", &["--history"]);
    assert_eq!(findings(&history, "DL305"), expected);
    let pr = check(&repo, "2026-02-21", &["--base", "main", "--head", "HEAD"]);
    assert_eq!(findings(&pr, "DL305"), expected);
    let worktree = check(&repo, "2026-02-21", &["--base", "main"]);
    assert_eq!(findings(&worktree, "DL305"), expected);

    let s = stats(&repo, "2026-02-21");
    assert_eq!(s["logging_latency"]["count"], 1);
    assert_eq!(s["logging_latency"]["median_hours"], 394.0);
    assert_eq!(s["logging_latency"]["late"], 1);
}

/// Issue 14, item 2: with a base, the head's commits give "logged"; re-running CI later
/// (or from the working tree) gives the same answer, and nothing is measured from "now".
#[test]
fn base_mode_reads_the_head_s_commits_never_now() {
    let repo = TestRepo::new();
    repo.write("decisions/README.md", "the log\n");
    repo.commit("root", at("2026-01-01T00:00:00Z"));
    repo.branch("feature");
    repo.write(
        "decisions/0001-a.md",
        &record("0001", "accepted", "date: 2026-02-03\n"),
    );
    repo.commit("on time", at("2026-02-03T12:00:00Z"));
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "accepted", "date: 2026-02-01\n"),
    );
    repo.commit("late", at("2026-02-10T12:00:00Z"));
    repo.write("other.txt", "later\n");
    repo.commit("another commit later", at("2026-02-20T12:00:00Z"));

    let expected = vec![(
        "decisions/0002-b.md".to_string(),
        late("8 days 12 h", "2026-02-10 12:00 UTC"),
    )];
    for today in ["2026-07-20", "2026-07-21"] {
        for args in [
            &["--base", "main"][..],
            &["--base", "main", "--head", "HEAD"][..],
            &["--history"][..],
        ] {
            let report = check(&repo, today, args);
            assert_eq!(findings(&report, "DL305"), expected, "{today} {args:?}");
        }
    }
}

/// Issue 14, item 3: a record added only in a merge commit is logged at the merge; a
/// priority changed while resolving a merge is a change of the merge.
#[test]
fn merge_commits_are_walked() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "accepted", "date: 2026-01-01\npriority: P2\n"),
    );
    repo.commit("root", at("2026-01-01T12:00:00Z"));
    repo.branch("feature");
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "accepted", "date: 2026-01-01\npriority: P1\n"),
    );
    repo.commit("raise 0002 on the branch", at("2026-01-05T12:00:00Z"));
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    repo.commit("main moves", at("2026-01-06T12:00:00Z"));
    repo.merge_editing(
        "feature",
        at("2026-03-19T00:00:00Z"),
        &[
            (
                "decisions/0002-b.md",
                &record("0002", "accepted", "date: 2026-01-01\npriority: P0\n"),
            ),
            (
                "decisions/0001-a.md",
                &record("0001", "accepted", "date: 2026-02-01\n"),
            ),
        ],
    );

    let report = check(&repo, "2026-03-20", &["--history"]);
    assert_eq!(
        findings(&report, "DL305"),
        vec![(
            "decisions/0001-a.md".to_string(),
            late("45 days 0 h", "2026-03-19 00:00 UTC"),
        )]
    );
    let s = stats(&repo, "2026-03-20");
    assert_eq!(s["logging_latency"]["count"], 2);
    assert_eq!(s["logging_latency"]["late"], 1);
    // P2→P1 on the branch, and P2→P0 in the merge's resolution (against its first parent).
    assert_eq!(s["volatility"]["changes"], 2);
}

/// Issue 14, item 4: a rename with a rewrite below git's similarity threshold keeps the
/// record (no DL505, no DL305) and a folder move keeps every record's history.
#[test]
fn renames_and_folder_moves_keep_the_record() {
    let repo = TestRepo::new();
    let body = "Some words about the choice we made.\n".repeat(30);
    repo.write(
        "decisions/0001-a.md",
        &format!(
            "{}{body}",
            record(
                "0001",
                "accepted",
                "date: 2026-01-10\npriority: P2\ndeprioritized: [x]\n"
            )
        ),
    );
    repo.commit("on time", at("2026-01-10T12:00:00Z"));
    repo.branch("rename");
    repo.remove("decisions/0001-a.md");
    repo.write(
        "decisions/0001-postgres.md",
        &format!(
            "{}{}",
            record(
                "0001",
                "accepted",
                "date: 2026-01-10\npriority: P2\ndeprioritized: [x]\n"
            ),
            "Entirely different prose, rewritten from the top.\n".repeat(40)
        ),
    );
    repo.commit("rename and rewrite", at("2026-06-01T12:00:00Z"));

    for args in [
        &["--history"][..],
        &["--base", "main", "--head", "HEAD"][..],
    ] {
        let report = check(&repo, "2026-06-02", args);
        assert_eq!(findings(&report, "DL305"), vec![], "{args:?}");
        assert_eq!(findings(&report, "DL505"), vec![], "{args:?}");
    }

    // `git mv adr decisions`: every record keeps its logged time and priority history.
    let moved = TestRepo::new();
    moved.write(
        "adr/0001-a.md",
        &record(
            "0001",
            "accepted",
            "date: 2026-01-10\npriority: P2\ndeprioritized: [x]\n",
        ),
    );
    moved.write(
        "adr/0002-b.md",
        &record("0002", "accepted", "date: 2026-01-10\n"),
    );
    moved.commit("log", at("2026-01-10T12:00:00Z"));
    moved.write(
        "adr/0001-a.md",
        &record(
            "0001",
            "accepted",
            "date: 2026-01-10\npriority: P1\ndeprioritized: [x]\n",
        ),
    );
    moved.commit("raise 0001", at("2026-01-20T12:00:00Z"));
    std::fs::rename(moved.path().join("adr"), moved.path().join("decisions")).unwrap();
    moved.commit("git mv adr decisions", at("2026-03-08T12:00:00Z"));

    let report = check(&moved, "2026-03-09", &["--history"]);
    assert_eq!(findings(&report, "DL305"), vec![]);
    let s = stats(&moved, "2026-03-09");
    assert_eq!(s["logging_latency"]["count"], 2);
    assert_eq!(s["logging_latency"]["late"], 0);
    assert_eq!(s["volatility"]["changes"], 1);
}

/// Issue 14, item 5 and the 24 h boundary of item 7: `stats` and DL305 read "late" from
/// the same instants (a bare `date` ends with its day; a date-time keeps its time), and a
/// message never rounds a late decision down to the limit.
#[test]
fn stats_and_dl305_agree_on_late() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-a.md",
        &record("0001", "accepted", "date: 2026-02-03\n"),
    );
    repo.commit("10 h after the day", at("2026-02-04T10:00:00Z"));
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "accepted", "date: 2026-02-03\n"),
    );
    repo.commit("23 h after the day", at("2026-02-04T23:00:00Z"));
    repo.write(
        "decisions/0003-c.md",
        &record("0003", "accepted", "date: 2026-02-03\n"),
    );
    repo.commit("24 h and a second", at("2026-02-05T00:00:01Z"));
    repo.write(
        "decisions/0004-d.md",
        &record("0004", "accepted", "date: 2026-02-03T08:00:00Z\n"),
    );
    repo.commit("25 h after a date-time", at("2026-02-04T09:00:00Z"));

    let report = check(&repo, "2026-02-10", &["--history"]);
    assert_eq!(
        findings(&report, "DL305"),
        vec![
            (
                "decisions/0003-c.md".to_string(),
                late("24 h 0 min 1 s", "2026-02-05 00:00 UTC")
            ),
            (
                "decisions/0004-d.md".to_string(),
                late("25 h", "2026-02-04 09:00 UTC")
            ),
        ]
    );
    let s = stats(&repo, "2026-02-10");
    assert_eq!(s["logging_latency"]["count"], 4);
    assert_eq!(s["logging_latency"]["late"], 2);
}

/// Issue 14, item 7: a respelt priority is not volatility; `deprecated` and (with the
/// history) accepted → `rejected` are reversals; an unscored budget is "unscored" and a
/// closed record counts in no mode; decision latency keeps the time of day.
#[test]
fn smaller_figures() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-a.md",
        &record(
            "0001",
            "accepted",
            "date: 2026-02-01\npriority: P3\ndeprioritized: [x]\n",
        ),
    );
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "accepted", "date: 2026-02-01\n"),
    );
    repo.write(
        "decisions/0003-c.md",
        &record("0003", "accepted", "date: 2026-02-01\n"),
    );
    repo.write(
        "decisions/0004-d.md",
        &record(
            "0004",
            "accepted",
            "raised: 2026-02-01T09:00:00Z\ndate: 2026-02-02T21:00:00Z\nuncertainty: {}\n",
        ),
    );
    repo.write(
        "decisions/0005-e.md",
        &record(
            "0005",
            "rejected",
            "date: 2026-02-01\nuncertainty: {market: 1, technical: 1, organizational: 1}\n",
        ),
    );
    repo.commit("log", at("2026-02-01T12:00:00Z"));
    repo.write(
        "decisions/0001-a.md",
        &record(
            "0001",
            "accepted",
            "date: 2026-02-01\npriority: 3\ndeprioritized: [x]\n",
        ),
    );
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "deprecated", "date: 2026-02-01\n"),
    );
    repo.write(
        "decisions/0003-c.md",
        &record("0003", "rejected", "date: 2026-02-01\n"),
    );
    repo.commit("respell, deprecate, reject", at("2026-02-05T12:00:00Z"));

    let s = stats(&repo, "2026-02-10");
    // The respelling is no priority change; deprecating and rejecting accepted
    // decisions are two reversals, and volatility counts them.
    assert_eq!(s["volatility"]["priority_changes"], 0);
    assert_eq!(s["volatility"]["reversals"], 2);
    assert_eq!(s["volatility"]["changes"], 2);
    assert_eq!(s["reversal"]["by_class"]["active_to_closed"], 2);
    // 0002 deprecated, 0003 accepted → rejected; 0005 rejected as a question is not one.
    assert_eq!(s["reversal"]["decided"], 5);
    assert_eq!(s["reversal"]["reversed"], 2);
    assert_eq!(s["reversal"]["rate"], 0.4);
    assert_eq!(s["uncertainty"]["unscored"], 1);
    assert_eq!(s["uncertainty"]["manage"], 0);
    assert_eq!(s["time_to_decide"]["count"], 1);
    assert_eq!(s["time_to_decide"]["median_hours"], 36.0);
}

/// An accepted decision with criteria, a priority and one piece of evidence: the base of
/// every "way round the rules" below.
fn accepted(title: &str, status: &str, priority: &str, reversal: &str, evidence: &str) -> String {
    format!(
        "---\nid: \"0001\"\ntitle: {title}\nstatus: {status}\ndecider: ana\ndate: 2026-03-01\noptions: [Postgres, MySQL]\npriority: {priority}\ndeprioritized: [x]\n{reversal}evidence:\n  - date: 2026-02-15\n    summary: benchmark of both\n{evidence}---\n\n# {title}\n\nWhy.\n"
    )
}

const CRITERIA: &str = "reversal:\n  - p99 latency above 200 ms for a week\n";

/// Commits `base` on main, then `head` on a branch, and checks the branch as a PR.
fn pull_request(base: &str, head: &str, config: Option<&str>) -> Value {
    let repo = TestRepo::new();
    if let Some(config) = config {
        repo.write(".declint.yml", config);
    }
    repo.write("decisions/0001-db.md", base);
    repo.commit("base", at("2026-03-01T12:00:00Z"));
    repo.branch("change");
    repo.write("decisions/0001-db.md", head);
    repo.commit("change", at("2026-04-01T12:00:00Z"));
    check(&repo, "2026-04-02", &["--base", "main", "--head", "HEAD"])
}

fn codes_of(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .filter(|c| c.starts_with("DL5"))
        .collect();
    codes.sort();
    codes
}

/// Issue 14, item 6: each way round the reversal rules now has a finding.
#[test]
fn no_way_round_the_reversal_rules() {
    let base = accepted("Use Postgres", "accepted", "P2", CRITERIA, "");
    // accepted → rejected is a reversal (by class).
    let rejected = pull_request(
        &base,
        &accepted("Use Postgres", "rejected", "P2", CRITERIA, ""),
        None,
    );
    assert_eq!(
        findings(&rejected, "DL502"),
        vec![(
            "decisions/0001-db.md".into(),
            "status changed from `accepted` to `rejected` without a new evidence entry".into()
        )]
    );
    // A custom closed status.
    let withdrawn = pull_request(
        &base,
        &accepted("Use Postgres", "withdrawn", "P2", CRITERIA, ""),
        Some("statuses:\n  proposed: open\n  accepted: active\n  withdrawn: closed\n"),
    );
    assert_eq!(codes_of(&withdrawn), ["DL502"]);
    // Evidence dated before the decision was known when it was made.
    let stale = pull_request(
        &base,
        &accepted(
            "Use Postgres",
            "reversed",
            "P2",
            CRITERIA,
            "  - date: 2026-02-20\n    summary: an old benchmark\n    criterion: 1\n",
        ),
        None,
    );
    assert_eq!(
        findings(&stale, "DL502"),
        vec![(
            "decisions/0001-db.md".into(),
            "status changed from `accepted` to `reversed` without a new evidence entry: the entry added on line 15 is dated 2026-02-20, before the decision was made (2026-03-01): it was known then, so it does not count".into()
        )]
    );
    // Loosening a criterion in a change of its own (to invoke it in the next).
    let loosened = pull_request(
        &base,
        &accepted(
            "Use Postgres",
            "accepted",
            "P2",
            "reversal:\n  - p99 latency above 50 ms once\n",
            "",
        ),
        None,
    );
    assert_eq!(
        findings(&loosened, "DL504"),
        vec![(
            "decisions/0001-db.md".into(),
            "reversal criteria of an accepted decision reworded or removed without a new evidence entry".into()
        )]
    );
    // Retitling an accepted decision makes it another decision.
    let retitled = pull_request(
        &base,
        &accepted("Use MySQL", "accepted", "P2", CRITERIA, ""),
        None,
    );
    assert_eq!(
        findings(&retitled, "DL508"),
        vec![(
            "decisions/0001-db.md".into(),
            "the title of an accepted decision was edited: a new title is a new decision".into()
        )]
    );
    // Rewording the only evidence in place while reprioritising.
    let reworded = pull_request(
        &base,
        &accepted("Use Postgres", "accepted", "P1", CRITERIA, "")
            .replace("benchmark of both", "benchmark of both, p99 was 340 ms"),
        None,
    );
    assert_eq!(codes_of(&reworded), ["DL501", "DL510"]);
    assert_eq!(
        findings(&reworded, "DL510"),
        vec![(
            "decisions/0001-db.md".into(),
            "evidence entry 1 of the base (dated 2026-02-15) was edited: evidence is append-only"
                .into()
        )]
    );
}

/// Issue 19, item 3: a priority change on a decision without criteria has a legitimate
/// path — add the criteria first (not moving the goalposts), then reprioritise citing
/// them — and an open question's priority may move before it is decided.
#[test]
fn a_decision_without_criteria_can_be_reprioritised() {
    let bare = accepted("Use Postgres", "accepted", "P2", "", "");
    let new_evidence =
        "  - date: 2026-04-01\n    summary: p99 was 340 ms all week\n    criterion: 1\n";
    let path = "add the reversal criteria in a change of their own (adding the first ones is not moving the goalposts), then reprioritise or reverse in a later change whose evidence cites them";
    let help = |report: &Value, code: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["help"].as_str().unwrap().to_string())
            .collect()
    };
    // Reprioritising without evidence where the base had no criteria: DL501's help names
    // the path at the first attempt, and so does DL502's for a reversal.
    let bare_raise = pull_request(
        &bare,
        &accepted("Use Postgres", "accepted", "P1", "", ""),
        None,
    );
    assert_eq!(codes_of(&bare_raise), ["DL501"]);
    assert_eq!(
        help(&bare_raise, "DL501"),
        [format!(
            "this decision has no reversal criteria yet: {path}"
        )]
    );
    let bare_reversal = pull_request(
        &bare,
        &accepted("Use Postgres", "reversed", "P2", "", ""),
        None,
    );
    assert_eq!(
        help(&bare_reversal, "DL502"),
        [format!(
            "this decision has no reversal criteria yet: {path}"
        )]
    );
    // Reprioritising with evidence where the base had no criteria: DL503 names the path.
    let at_once = pull_request(
        &bare,
        &accepted("Use Postgres", "accepted", "P1", CRITERIA, new_evidence),
        None,
    );
    assert_eq!(codes_of(&at_once), ["DL503"]);
    assert_eq!(help(&at_once, "DL503"), [path]);
    assert_eq!(
        findings(&at_once, "DL503")[0].1,
        "the decision had no reversal criteria on the base, so the new evidence cannot meet one: criteria must exist before the change that uses them"
    );
    // Step 1: add the first criteria, nothing else. Not an edit.
    let step_one = pull_request(
        &bare,
        &accepted("Use Postgres", "accepted", "P2", CRITERIA, ""),
        None,
    );
    assert_eq!(codes_of(&step_one), Vec::<String>::new());
    // Step 2: reprioritise, citing them.
    let step_two = pull_request(
        &accepted("Use Postgres", "accepted", "P2", CRITERIA, ""),
        &accepted("Use Postgres", "accepted", "P1", CRITERIA, new_evidence),
        None,
    );
    assert_eq!(codes_of(&step_two), Vec::<String>::new());
    // An open question's priority moves freely.
    let open = pull_request(
        &accepted("Use Postgres", "proposed", "P2", "", ""),
        &accepted("Use Postgres", "proposed", "P0", "", ""),
        None,
    );
    assert_eq!(codes_of(&open), Vec::<String>::new());
}

/// DL307 (decided late) on the records a change decides and, with --history, on all;
/// DL308 (open without a clock).
#[test]
fn decided_late_and_open_without_clock() {
    let repo = TestRepo::new();
    let question = |status: &str, extra: &str| {
        format!(
            "---\nid: \"0001\"\ntitle: Pick a queue\nstatus: {status}\ndecider: ana\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms for a week\nraised: 2026-05-20\n{extra}---\n\n# Pick a queue\n"
        )
    };
    repo.write("decisions/0001-queue.md", &question("proposed", ""));
    repo.write(
        "decisions/0002-cache.md",
        "---\nid: \"0002\"\ntitle: Pick a cache\nstatus: proposed\ndecider: ana\noptions: [a, b]\n---\n\n# Pick a cache\n",
    );
    repo.write(
        "decisions/0003-next-day.md",
        &question("accepted", "date: 2026-05-21\n").replace("\"0001\"", "\"0003\""),
    );
    repo.commit("raise", at("2026-05-20T09:00:00Z"));
    repo.branch("decide");
    repo.write(
        "decisions/0001-queue.md",
        &question("accepted", "date: 2026-05-25\n"),
    );
    repo.commit("decide", at("2026-05-25T09:00:00Z"));

    let expected = vec![(
        "decisions/0001-queue.md".to_string(),
        "decided 4 days after it was due: decided 2026-05-25, due 2026-05-21 (raised 2026-05-20 + 36h)"
            .to_string(),
    )];
    for args in [
        &["--base", "main", "--head", "HEAD"][..],
        &["--history"][..],
    ] {
        let report = check(&repo, "2026-05-26", args);
        assert_eq!(findings(&report, "DL307"), expected, "{args:?}");
    }
    // A plain check does not judge how past decisions were made.
    let plain = check(&repo, "2026-05-26", &[]);
    assert_eq!(findings(&plain, "DL307"), vec![]);
    assert_eq!(
        findings(&plain, "DL308"),
        vec![(
            "decisions/0002-cache.md".to_string(),
            "open decision has neither `raised` nor `due`: it can never be overdue".to_string()
        )]
    );
}

/// A small deterministic generator (a linear congruential one): the history is the same
/// on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    /// A priority of rank `rank`, spelt `P3` or `3`.
    fn spell(&mut self, rank: u64) -> String {
        if self.below(2) == 0 {
            format!("P{rank}")
        } else {
            rank.to_string()
        }
    }

    fn priority(&mut self) -> String {
        let rank = self.below(5);
        self.spell(rank)
    }
}

struct Generated {
    id: u32,
    path: String,
    status: &'static str,
    raised: chrono::NaiveDate,
    date: Option<chrono::NaiveDate>,
    priority: Option<String>,
}

impl Generated {
    fn text(&self) -> String {
        let mut s = format!(
            "---\nid: \"{:04}\"\ntitle: Decision {}\nstatus: {}\ndecider: ana\nraised: {}\n",
            self.id, self.id, self.status, self.raised
        );
        if let Some(date) = self.date {
            s.push_str(&format!("date: {date}\n"));
        }
        if let Some(p) = &self.priority {
            s.push_str(&format!("priority: {p}\n"));
        }
        s.push_str(&format!("---\n\n# Decision {}\n", self.id));
        s
    }
}

/// The independent check of issue 14: tests/oracle/timeline.py recomputes logging
/// latency, decision latency and volatility with the `git` command line from SPEC §9's
/// definitions, on a generated history with raise-then-decide, renames, respellings,
/// branches and merges (one of which adds a record and one resolves a priority), and the
/// figures of `stats --history -f json` must match.
#[test]
fn stats_match_an_independent_oracle_on_a_generated_history() {
    let repo = TestRepo::new();
    let mut rng = Lcg(14);
    let mut records: Vec<Generated> = Vec::new();
    let mut t = at("2026-01-01T09:00:00Z");
    let day = |t: i64| chrono::DateTime::from_timestamp(t, 0).unwrap().date_naive();
    repo.write("decisions/README.md", "the log\n");
    repo.commit("root", t);
    for step in 0..90u32 {
        t += 3600 * (1 + rng.below(60) as i64);
        if step % 15 == 7 && !records.is_empty() {
            // A branch adds a decision and reprioritises one; main adds another; the merge
            // sometimes resolves the priority to a third value or adds a record itself.
            let owned = (step as usize) % records.len();
            repo.branch(&format!("b{step}"));
            let id = records.len() as u32 + 1;
            records.push(Generated {
                id,
                path: format!("decisions/{id:04}-branch.md"),
                status: "accepted",
                raised: day(t) - chrono::Duration::days(rng.below(4) as i64 + 1),
                date: Some(day(t) - chrono::Duration::days(rng.below(2) as i64)),
                priority: Some(rng.priority()),
            });
            repo.write(
                &records[id as usize - 1].path,
                &records[id as usize - 1].text(),
            );
            repo.commit("branch adds", t);
            records[owned].priority = Some(rng.priority());
            repo.write(&records[owned].path, &records[owned].text());
            repo.commit("branch reprioritises", t + 3600);
            repo.checkout("main");
            // Main's working tree does not have the branch's files; the model does.
            let id = records.len() as u32 + 1;
            records.push(Generated {
                id,
                path: format!("decisions/{id:04}-main.md"),
                status: "proposed",
                raised: day(t),
                date: None,
                priority: None,
            });
            repo.write(
                &records[id as usize - 1].path,
                &records[id as usize - 1].text(),
            );
            repo.commit("main adds", t + 7200);
            let mut edits: Vec<(String, String)> = Vec::new();
            if step % 30 == 7 {
                records[owned].priority = Some(rng.spell(4));
                edits.push((records[owned].path.clone(), records[owned].text()));
                let id = records.len() as u32 + 1;
                records.push(Generated {
                    id,
                    path: format!("decisions/{id:04}-merge.md"),
                    status: "accepted",
                    raised: day(t) - chrono::Duration::days(9),
                    date: Some(day(t) - chrono::Duration::days(5)),
                    priority: None,
                });
                edits.push((
                    records[id as usize - 1].path.clone(),
                    records[id as usize - 1].text(),
                ));
            }
            let edits: Vec<(&str, &str)> = edits
                .iter()
                .map(|(p, s)| (p.as_str(), s.as_str()))
                .collect();
            repo.merge_editing(&format!("b{step}"), t + 10_800, &edits);
            t += 10_800;
            continue;
        }
        match rng.below(4) {
            0 => {
                let id = records.len() as u32 + 1;
                let decided = rng.below(2) == 0;
                let raised = day(t) - chrono::Duration::days(rng.below(6) as i64);
                records.push(Generated {
                    id,
                    path: format!("decisions/{id:04}-d.md"),
                    status: if decided { "accepted" } else { "proposed" },
                    raised,
                    date: decided.then(|| raised + chrono::Duration::days(rng.below(3) as i64)),
                    priority: (rng.below(2) == 0).then(|| rng.priority()),
                });
            }
            1 => {
                if let Some(open) = records.iter_mut().find(|r| r.date.is_none()) {
                    open.status = "accepted";
                    open.date = Some(open.raised + chrono::Duration::days(rng.below(5) as i64));
                }
            }
            2 if !records.is_empty() => {
                let i = rng.below(records.len() as u64) as usize;
                // Sometimes only a respelling (P3 → 3), which is no change.
                let rank = records[i]
                    .priority
                    .as_deref()
                    .map(|p| p.trim_start_matches('P').to_string());
                records[i].priority = Some(match (rng.below(3), rank) {
                    (0, Some(rank)) => rank,
                    _ => rng.priority(),
                });
            }
            _ if !records.is_empty() => {
                let i = rng.below(records.len() as u64) as usize;
                let old = records[i].path.clone();
                records[i].path = format!("decisions/{:04}-renamed-{step}.md", records[i].id);
                repo.remove(&old);
            }
            _ => {}
        }
        for r in &records {
            repo.write(&r.path, &r.text());
        }
        repo.commit(&format!("step {step}"), t);
    }

    let today = (day(t) + chrono::Duration::days(1)).to_string();
    let s = stats(&repo, &today);
    let oracle = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/oracle/timeline.py"
        ))
        .arg(repo.path())
        .output()
        .expect("python3 runs the oracle");
    assert!(
        oracle.status.success(),
        "{}",
        String::from_utf8_lossy(&oracle.stderr)
    );
    let o: Value = serde_json::from_slice(&oracle.stdout).unwrap();
    let close = |a: &Value, b: &Value| match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
        _ => a == b,
    };
    for (ours, theirs) in [
        (
            &s["logging_latency"]["count"],
            &o["logging_latency"]["count"],
        ),
        (
            &s["logging_latency"]["median_hours"],
            &o["logging_latency"]["median_hours"],
        ),
        (
            &s["logging_latency"]["p90_hours"],
            &o["logging_latency"]["p90_hours"],
        ),
        (&s["logging_latency"]["late"], &o["logging_latency"]["late"]),
        (&s["time_to_decide"]["count"], &o["time_to_decide"]["count"]),
        (
            &s["time_to_decide"]["median_hours"],
            &o["time_to_decide"]["median_hours"],
        ),
        (
            &s["time_to_decide"]["p90_hours"],
            &o["time_to_decide"]["p90_hours"],
        ),
        (
            &s["decision_latency"]["count"],
            &o["decision_latency"]["count"],
        ),
        (
            &s["decision_latency"]["median_hours"],
            &o["decision_latency"]["median_hours"],
        ),
        (
            &s["decision_latency"]["p90_hours"],
            &o["decision_latency"]["p90_hours"],
        ),
        (
            &s["volatility"]["priority_changes"],
            &o["volatility_changes"],
        ),
    ] {
        assert!(close(ours, theirs), "declint {s}\noracle {o}");
    }
    // The history is rich enough to mean something.
    assert!(s["logging_latency"]["count"].as_u64().unwrap() > 20, "{s}");
    assert!(s["logging_latency"]["late"].as_u64().unwrap() > 0, "{s}");
    assert!(
        s["volatility"]["priority_changes"].as_u64().unwrap() > 5,
        "{s}"
    );
    assert!(s["decision_latency"]["count"].as_u64().unwrap() > 20, "{s}");
}

/// The history audit (SPEC §9): the change rules replayed over every commit, so a
/// reprioritisation or reversal pushed without review is found afterwards, naming the
/// commit, its date and author; warnings unless `rules:` raises them; `--since` limits it.
/// A log kept at the repository's root (`paths: ["."]`) has a history too: the walk
/// compares the root trees, where it used to look for a folder named `.` and find none.
#[test]
fn a_log_at_the_repository_root_has_a_history() {
    let repo = TestRepo::new();
    repo.write(".declint.yml", "paths: [\".\"]\n");
    repo.write(
        "0001-db.md",
        &accepted("Use Postgres", "accepted", "P2", CRITERIA, ""),
    );
    repo.commit("log", at("2026-03-01T12:00:00Z"));
    let raised = repo.commit_with(
        "0001-db.md",
        &accepted("Use Postgres", "accepted", "P0", CRITERIA, ""),
        at("2026-03-10T12:00:00Z"),
    );
    let dl501 = format!(
        "in commit {} (2026-03-10 12:00 UTC, by Test): priority changed from `P2` to `P0` without a new evidence entry",
        &raised.to_string()[..10]
    );
    let (_, report, stderr) = declint(&repo, "2026-04-02", &["check", "--history"]);
    assert_eq!(
        findings(&report, "DL501"),
        vec![("0001-db.md".to_string(), dl501)],
        "{stderr}"
    );
}

#[test]
fn history_audit_finds_unreviewed_changes() {
    let repo = TestRepo::new();
    let base = accepted("Use Postgres", "accepted", "P2", CRITERIA, "");
    repo.write("decisions/0001-db.md", &base);
    repo.commit("log", at("2026-03-01T12:00:00Z"));
    let raised = repo.commit_with(
        "decisions/0001-db.md",
        &accepted("Use Postgres", "accepted", "P0", CRITERIA, ""),
        at("2026-03-10T12:00:00Z"),
    );
    let reversed = repo.commit_with(
        "decisions/0001-db.md",
        &accepted("Use Postgres", "reversed", "P0", CRITERIA, ""),
        at("2026-04-01T12:00:00Z"),
    );
    let short = |oid: git2::Oid| oid.to_string()[..10].to_string();
    let dl501 = format!(
        "in commit {} (2026-03-10 12:00 UTC, by Test): priority changed from `P2` to `P0` without a new evidence entry",
        short(raised)
    );
    let dl502 = format!(
        "in commit {} (2026-04-01 12:00 UTC, by Test): status changed from `accepted` to `reversed` without a new evidence entry",
        short(reversed)
    );
    let path = "decisions/0001-db.md".to_string();

    let (code, report, stderr) = declint(&repo, "2026-04-02", &["check", "--history"]);
    assert_eq!(findings(&report, "DL501"), vec![(path.clone(), dl501)]);
    assert_eq!(
        findings(&report, "DL502"),
        vec![(path.clone(), dl502.clone())]
    );
    let severities: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"].as_str().unwrap().starts_with("DL5"))
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["warning", "warning"]);
    assert_eq!(code, Some(0), "warnings do not fail the run: {stderr}");

    for since in ["2026-03-20".to_string(), raised.to_string()] {
        let limited = check(&repo, "2026-04-02", &["--history", "--since", &since]);
        assert_eq!(findings(&limited, "DL501"), vec![], "{since}");
        assert_eq!(
            findings(&limited, "DL502"),
            vec![(path.clone(), dl502.clone())]
        );
    }

    repo.write(".declint.yml", "rules:\n  DL502: error\n");
    let (code, raised_severity, _) = declint(&repo, "2026-04-02", &["check", "--history"]);
    assert_eq!(code, Some(1));
    let dl502_severity: Vec<&str> = raised_severity["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "DL502")
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(dl502_severity, ["error"]);
}

/// SPEC §9 `timezone:`: a bare `date` is a day in the configured zone, and its end is the
/// next day's start there — on 2026-03-08 New York moves its clocks forward, so that day
/// is 23 hours long. DL305 and `stats` read the same instant, and the commit time in the
/// message is shown in the zone.
#[test]
fn timezone_makes_a_bare_date_a_day_in_that_zone_across_daylight_saving() {
    let repo = TestRepo::new();
    repo.write(".declint.yml", "timezone: America/New_York\n");
    repo.write(
        "decisions/0001-a.md",
        &record("0001", "accepted", "date: 2026-03-08\n"),
    );
    repo.commit("0001", at("2026-03-10T04:30:00Z"));
    repo.write(
        "decisions/0002-b.md",
        &record("0002", "accepted", "date: 2026-03-08\n"),
    );
    // 2026-03-08 ends at 2026-03-09T04:00Z in New York (EDT): 0002 is 23 h 30 min after
    // it, 0001 24 h 30 min. A day taken as 24 hours from its start (05:00Z) would make
    // 0001 on time.
    repo.commit("0002", at("2026-03-10T03:30:00Z"));

    let report = check(&repo, "2026-03-20", &["--history"]);
    assert_eq!(
        findings(&report, "DL305"),
        vec![(
            "decisions/0001-a.md".to_string(),
            late("24 h 30 min", "2026-03-10 00:30 EDT")
        )]
    );
    let s = stats(&repo, "2026-03-20");
    assert_eq!(s["logging_latency"]["count"], 2, "{s}");
    assert_eq!(s["logging_latency"]["median_hours"], 24.0, "{s}");
    assert_eq!(s["logging_latency"]["late"], 1, "{s}");

    // The same log read in UTC: the day ends at 2026-03-09T00:00Z, both are late.
    repo.write(".declint.yml", "timezone: UTC\n");
    let report = check(&repo, "2026-03-20", &["--history"]);
    assert_eq!(
        findings(&report, "DL305"),
        vec![
            (
                "decisions/0001-a.md".to_string(),
                late("28 h 30 min", "2026-03-10 04:30 UTC")
            ),
            (
                "decisions/0002-b.md".to_string(),
                late("27 h 30 min", "2026-03-10 03:30 UTC")
            ),
        ]
    );
    let s = stats(&repo, "2026-03-20");
    assert_eq!(s["logging_latency"]["median_hours"], 28.0, "{s}");
    assert_eq!(s["logging_latency"]["late"], 2, "{s}");
}

/// A date-only `raised` across a daylight-saving change: with 47 hours of SLA, raised
/// 2026-03-08 in New York (a 23-hour day) is due at 2026-03-10 00:00 EDT, so on time on
/// the 10th; in UTC it is due 2026-03-09 23:00, overdue on the 10th. DL301 and `list`
/// agree, because both read the one deadline function.
#[test]
fn timezone_moves_a_derived_due_date_across_daylight_saving() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-a.md",
        "---\nid: \"0001\"\ntitle: Pick a queue\nstatus: proposed\ndecider: ana\nraised: 2026-03-08\n---\n\n# Pick a queue\n",
    );
    let overdue =
        |today: &str| -> Vec<(String, String)> { findings(&check(&repo, today, &[]), "DL301") };
    repo.write(
        ".declint.yml",
        "timezone: America/New_York\ndecision_sla_hours: 47\n",
    );
    assert_eq!(overdue("2026-03-10"), vec![]);
    assert_eq!(overdue("2026-03-11").len(), 1);
    let (_, list, _) = declint(&repo, "2026-03-10", &["list"]);
    assert_eq!(
        list["decisions"][0]["deadline"]["date"], "2026-03-10",
        "{list}"
    );

    repo.write(".declint.yml", "timezone: UTC\ndecision_sla_hours: 47\n");
    let late = overdue("2026-03-10");
    assert_eq!(late.len(), 1, "{late:?}");
    assert!(late[0].1.contains("2026-03-09"), "{late:?}");
}

/// An unknown zone is a config error that says what a zone name looks like, and a name
/// in the wrong case is suggested back.
#[test]
fn timezone_must_be_an_iana_name() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-a.md",
        &record("0001", "accepted", "date: 2026-03-08\n"),
    );
    for (written, hint) in [
        ("Mars/Olympus_Mons", "Europe/Berlin"),
        ("europe/berlin", "did you mean `Europe/Berlin`?"),
        ("America/New York", "did you mean `America/New_York`?"),
    ] {
        repo.write(".declint.yml", &format!("timezone: {written}\n"));
        let out = declint_in(repo.path()).arg("check").output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("`timezone` must be an IANA time zone name"),
            "{err}"
        );
        assert!(err.contains(hint), "{written}: {err}");
    }
}
