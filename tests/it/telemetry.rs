//! Telemetry through the binary (issue 17, SPEC §12): `stats --history` and `digest` on a
//! generated git history where every figure is known by construction. Today is
//! 2026-06-01 (util::TODAY); with 14-day periods the last three are 04-21..05-04 (P1),
//! 05-05..05-18 (P2) and 05-19..06-01 (P3). Bare `raised` is the start of its day, bare
//! `date` its end, logged the commit that first holds the record decided.
//!
//! | record | raised | date | logged | raised → logged | raised → date | late |
//! |---|---|---|---|---|---|---|
//! | 0001 | 04-21 | 04-21 | 04-22 10:00 (P1) | 34 h | 0 h | no (due 04-22) |
//! | 0002 | 05-05 | 05-06 | 05-07 12:00 (P2) | 60 h | 24 h | no |
//! | 0003 | 05-19 | 05-22 | 05-23 00:00 (P3) | 96 h | 72 h | 2 days (due 05-20) |
//! | 0008 | 05-27 | 05-30 | 05-30 12:00 (P3) | 84 h | 72 h | 2 days (due 05-28) |
//!
//! Agree and uncertainty (for the concentration with agree and the modes): 0003 has
//! `agree: [ana, bo]` and scores 4+4+4 (lead), 0006 scores only the market (unscored),
//! 0008 scores 1+1+1 (manage); the rest have no budget (unset).
//!
//! Volatility (rising history): P1 one priority change; P2 a priority change and a
//! criteria edit; P3 a priority change, a reversal and a criteria edit: 1 → 2 → 3, while
//! the latency median goes 34 → 60 → 90 h, so the signal fires. Exceptions in force:
//! 0 → 1 → 2. The flat history drops P3's three changes and adds its one exception in P1:
//! volatility 1 → 2 → 0 and exceptions 1 → 1 → 1, so neither signal fires.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::repo::TestRepo;
use crate::util::{declint, stderr, stdout};
use serde_json::Value;

fn at(month: u32, day: u32, hour: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, month, day)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .map(|t| t.and_utc().timestamp())
        .expect("valid time")
}

fn decision(id: &str, title: &str, extra: &str) -> String {
    format!(
        "---\nid: \"{id}\"\ntitle: '{title}'\n{extra}options: [a, b]\nreversal: [the weekly active users drop below one hundred for a month]\n---\n# {title}\n"
    )
}

fn first(priority: &str, criterion: &str) -> String {
    format!(
        "---\nid: \"0001\"\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\nraised: 2026-04-21\ndate: 2026-04-21\npriority: {priority}\ndeprioritized: [b]\noptions: [a, b]\nreversal: [{criterion}]\n---\n# Use Postgres\n"
    )
}

fn exception(id: &str, date: &str, expires: &str) -> String {
    format!(
        "---\nid: \"{id}\"\ntitle: Exception {id}\nkind: exception\nstatus: accepted\ndecider: dee\ndate: {date}\nexpires: {expires}\nowner: dee\nrisk: low\n---\n# Exception {id}\n"
    )
}

const QUEUE: &str = "decisions/0002-queue.md";

fn queue(status: &str, evidence: &str) -> String {
    decision(
        "0002",
        "Use [Kafka] | queue",
        &format!(
            "status: {status}\ndecider: ana\nraised: 2026-05-05\ndate: 2026-05-06\n{evidence}"
        ),
    )
}

/// The generated history; `rising` gives P3 its three changes and P2/P3 an exception each.
pub fn history(rising: bool) -> TestRepo {
    let repo = TestRepo::new();
    let one = "decisions/0001-postgres.md";
    let criterion = "the weekly active users drop below one hundred for a month";
    repo.write(one, &first("P2", criterion));
    repo.commit("0001 decided", at(4, 22, 10));
    if !rising {
        repo.write(
            "decisions/0004-exception.md",
            &exception("0004", "2026-04-23", "2026-12-31"),
        );
        repo.commit("0004 exception", at(4, 23, 12));
    }
    repo.write(one, &first("P1", criterion));
    repo.commit("0001 reprioritised", at(4, 25, 9));
    // P2
    if rising {
        repo.write(
            "decisions/0004-exception.md",
            &exception("0004", "2026-05-06", "2026-12-31"),
        );
        repo.commit("0004 exception", at(5, 6, 12));
    }
    repo.write(QUEUE, &queue("accepted", ""));
    repo.commit("0002 decided", at(5, 7, 12));
    repo.write(one, &first("P0", criterion));
    repo.commit("0001 reprioritised", at(5, 8, 9));
    let edited = "the weekly active users drop below fifty for a month";
    repo.write(one, &first("P0", edited));
    repo.commit("0001 criteria edited", at(5, 10, 9));
    // P3
    repo.write(
        "decisions/0003-cache.md",
        &decision(
            "0003",
            "Use a cache",
            "status: accepted\ndecider: bo\nagree: [ana, bo]\nraised: 2026-05-19\ndate: 2026-05-22\nuncertainty:\n  market: 4\n  technical: 4\n  organizational: 4\n",
        ),
    );
    repo.commit("0003 decided late", at(5, 23, 0));
    if rising {
        repo.write(
            "decisions/0005-exception.md",
            &exception("0005", "2026-05-20", "2026-06-05"),
        );
        repo.commit("0005 exception", at(5, 20, 12));
        repo.write(one, &first("P1", edited));
        repo.commit("0001 reprioritised", at(5, 26, 9));
        repo.write(
            QUEUE,
            &queue(
                "reversed",
                "evidence:\n  - date: 2026-05-27\n    summary: 'Load test failed | twice'\n    link: https://example.com/load\n    criterion: 1\n",
            ),
        );
        repo.commit("0002 reversed", at(5, 27, 9));
        repo.write(
            one,
            &first("P1", "the weekly active users drop below ten for a month"),
        );
        repo.commit("0001 criteria edited", at(5, 28, 9));
    }
    repo.write(
        "decisions/0006-open.md",
        &decision(
            "0006",
            "Pick a region",
            "status: proposed\ndecider: bo\nraised: 2026-05-28\nuncertainty:\n  market: 1\n",
        ),
    );
    repo.commit("0006 raised", at(5, 28, 12));
    repo.write(
        "decisions/0007-stuck.md",
        &decision(
            "0007",
            "Pick a <b>logo</b>",
            "status: proposed\ndecider: cy\n",
        ),
    );
    repo.commit("0007 raised", at(5, 29, 12));
    repo.write(
        "decisions/0008-late.md",
        &decision(
            "0008",
            "Pick a CDN",
            "status: accepted\ndecider: ana\nraised: 2026-05-27\ndate: 2026-05-30\nuncertainty:\n  market: 1\n  technical: 1\n  organizational: 1\n",
        ),
    );
    repo.commit("0008 decided late", at(5, 30, 12));
    repo
}

fn json(repo: &TestRepo, args: &[&str]) -> Value {
    let out = declint(repo.path(), args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

fn close(value: &Value, want: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - want).abs() < 1e-9)
}

#[test]
fn every_figure_is_the_one_built_into_the_history() {
    let repo = history(true);
    let s = json(&repo, &["stats", "--history", "-f", "json"]);
    // Raised → logged: 34, 60, 84, 96 h.
    assert_eq!(s["decision_latency"]["count"], 4, "{s:#}");
    assert!(close(&s["decision_latency"]["median_hours"], 72.0), "{s:#}");
    assert!(close(&s["decision_latency"]["p90_hours"], 92.4), "{s:#}");
    // Raised → date: 0, 24, 72, 72 h.
    assert!(close(&s["time_to_decide"]["median_hours"], 48.0), "{s:#}");
    assert!(close(&s["time_to_decide"]["p90_hours"], 72.0), "{s:#}");
    // Date → logged: 10, 12, 0, 0 and the two exceptions logged on their day, 0.
    assert_eq!(s["logging_latency"]["count"], 6);
    assert!(close(&s["logging_latency"]["median_hours"], 0.0));
    assert!(close(&s["logging_latency"]["p90_hours"], 11.0), "{s:#}");
    assert_eq!(s["sla"]["decided_late"], 2);
    assert_eq!(s["sla"]["open_past_due"], 1, "0006 was due 05-29");
    let v = &s["volatility"];
    assert_eq!(
        (
            v["priority_changes"].clone(),
            v["reversals"].clone(),
            v["criteria_edits"].clone()
        ),
        (3.into(), 1.into(), 2.into()),
        "{v:#}"
    );
    assert_eq!(v["changes"], 6);
    assert_eq!(s["reversal"]["by_class"]["active_to_closed"], 1);
    assert_eq!(s["reversal"]["by_class"]["closed_to_active"], 0);
    assert_eq!(
        (
            s["exceptions"]["active"].clone(),
            s["decisions"]["open"].clone()
        ),
        (2.into(), 2.into())
    );

    let series = s["series"].as_array().expect("series");
    assert_eq!(series.len(), 3, "{s:#}");
    let pick = |key: &str| series.iter().map(|p| p[key].clone()).collect::<Vec<_>>();
    assert_eq!(pick("start"), ["2026-04-21", "2026-05-05", "2026-05-19"]);
    assert_eq!(
        series
            .iter()
            .map(|p| p["decision_latency"]["median_hours"].clone())
            .collect::<Vec<_>>(),
        [34.0, 60.0, 90.0]
    );
    assert_eq!(pick("volatility"), [1, 2, 3]);
    assert_eq!(pick("decided"), [1, 2, 3]);
    assert_eq!(pick("sla_breaches"), [0, 0, 2]);
    assert_eq!(pick("open"), [0, 0, 2]);
    assert_eq!(pick("active_exceptions"), [0, 1, 2]);
    // P3's end: ana (0001, 0008), bo (0003, 0006), dee (0004, 0005) of 7 in flight.
    assert!(close(&series[2]["top_decider_share"], 2.0 / 7.0), "{s:#}");

    // With agree: ana also agrees to 0003 (0001, 0003, 0008); bo is named twice in 0003
    // and counts once.
    assert!(
        close(&series[2]["top_decider_with_agree_share"], 3.0 / 7.0),
        "{s:#}"
    );
    assert!(close(&series[0]["top_decider_with_agree_share"], 1.0));
    assert!(close(&series[1]["top_decider_with_agree_share"], 2.0 / 3.0));
    // Reversals by class: 0002 accepted → reversed in P3, over the six decided at its end
    // (0001-0005 and 0008; 0006 and 0007 are open).
    assert_eq!(pick("active_to_closed"), [0, 0, 1]);
    assert_eq!(pick("closed_to_active"), [0, 0, 0]);
    assert_eq!(pick("decided_at_end"), [1, 3, 6]);
    assert!(close(&series[2]["active_to_closed_rate"], 1.0 / 6.0));
    assert!(close(&series[0]["active_to_closed_rate"], 0.0));
    // Modes at each end (closed 0002 not counted): P1 0001; P2 0001, 0002, 0004; P3
    // 0003 lead, 0008 manage, 0006 unscored, 0001, 0004, 0005, 0007 unset.
    let modes = |key: &str| {
        series
            .iter()
            .map(|p| p["uncertainty"][key].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(modes("lead"), [0, 0, 1]);
    assert_eq!(modes("split"), [0, 0, 0]);
    assert_eq!(modes("manage"), [0, 0, 1]);
    assert_eq!(modes("unset"), [1, 3, 4]);
    assert_eq!(modes("unscored"), [0, 0, 1]);
    // The last period's end is today: the same modes as the whole-log figure.
    assert_eq!(series[2]["uncertainty"], s["uncertainty"], "{s:#}");

    let signal = &s["signal"];
    assert_eq!(signal["leadership_missing"], true, "{signal:#}");
    assert_eq!(signal["exceptions_accumulating"], true, "{signal:#}");
    let messages = signal["messages"].to_string();
    assert!(messages.contains("34.0 h → 60.0 h → 90.0 h"), "{messages}");
    assert!(messages.contains("1 → 2 → 3"), "{messages}");
    assert!(messages.contains("0 → 1 → 2"), "{messages}");

    let human = stdout(&declint(repo.path(), &["stats", "--history"]));
    assert!(human.contains("Leadership is missing"), "{human}");
}

#[test]
fn the_signal_stays_quiet_when_volatility_falls() {
    let repo = history(false);
    let s = json(&repo, &["stats", "--history", "-f", "json"]);
    let series = s["series"].as_array().expect("series");
    let pick = |key: &str| series.iter().map(|p| p[key].clone()).collect::<Vec<_>>();
    assert_eq!(pick("volatility"), [1, 2, 0]);
    assert_eq!(pick("active_exceptions"), [1, 1, 1]);
    let signal = &s["signal"];
    assert_eq!(signal["leadership_missing"], false, "{signal:#}");
    assert_eq!(signal["exceptions_accumulating"], false, "{signal:#}");
    assert!(
        signal["messages"]
            .to_string()
            .contains("did not rise together"),
        "{signal:#}"
    );
    let md = stdout(&declint(
        repo.path(),
        &["stats", "--history", "-f", "markdown"],
    ));
    assert!(!md.contains("Leadership is missing"), "{md}");
}

#[test]
fn markdown_has_a_line_chart_per_figure_and_groups() {
    let repo = history(true);
    let out = declint(
        repo.path(),
        &["stats", "--history", "--by", "decider", "-f", "markdown"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("## Decision log stats"), "{md}");
    assert!(md.contains("> **Leadership is missing"), "{md}");
    // Concentration, volatility, nineteen series charts for the log, and nineteen for
    // each of the four deciders' groups (ana, bo, cy, dee), each group folded.
    assert_eq!(md.matches("```mermaid").count(), 2 + 19 * 5, "{md}");
    assert_eq!(md.matches("    line [").count(), 1 + 19 * 5, "{md}");
    assert!(md.contains("    line [34.0, 60.0, 90.0]"), "{md}");
    assert!(md.contains("### By decider"), "{md}");
    assert!(md.contains("| ana | 3 |"), "{md}");
    assert!(md.contains("### Over time by decider"), "{md}");
    assert_eq!(md.matches("<details><summary>").count(), 4, "{md}");
    assert!(md.contains("<details><summary>bo</summary>"), "{md}");
    // The new series' charts: reversal rate by class, decider + agree, the modes.
    for title in [
        "title \"Reversal rate active → closed",
        "title \"Top decider + agree share at period end\"",
        "title \"Lead mode (uncertainty sum over 9) at period end\"",
        "title \"Uncertainty unscored at period end\"",
    ] {
        assert_eq!(md.matches(title).count(), 5, "{title}:\n{md}");
    }
    // The whole log's reversal rate active → closed in %: 0, 0, 1 of 6.
    assert!(md.contains("    line [0.0, 0.0, 16.7]"), "{md}");

    let s = json(&repo, &["stats", "--history", "--by", "tag", "-f", "json"]);
    assert_eq!(s["groups"]["by"], "tag");
    assert_eq!(s["groups"]["groups"][0]["name"], "(untagged)");
    assert_eq!(s["groups"]["groups"][0]["stats"]["decisions"]["total"], 8);
    // The one group holds every record: its series is the log's.
    assert_eq!(s["groups"]["groups"][0]["stats"]["series"], s["series"]);
}

#[test]
fn each_group_has_its_series_over_the_logs_periods() {
    let repo = history(true);
    let s = json(
        &repo,
        &["stats", "--history", "--by", "decider", "-f", "json"],
    );
    let group = |name: &str| {
        s["groups"]["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .find(|g| g["name"] == name)
            .map(|g| g["stats"]["series"].clone())
            .expect(name)
    };
    let pick = |series: &Value, key: &str| {
        series
            .as_array()
            .expect("series")
            .iter()
            .map(|p| p[key].clone())
            .collect::<Vec<_>>()
    };
    // bo's records (0003, 0006) arrive in P3 only, yet the group has the log's three
    // periods, so groups compare side by side.
    let bo = group("bo");
    assert_eq!(
        pick(&bo, "start"),
        ["2026-04-21", "2026-05-05", "2026-05-19"]
    );
    assert_eq!(pick(&bo, "decided"), [0, 0, 1]);
    assert_eq!(pick(&bo, "open"), [0, 0, 1]);
    assert_eq!(pick(&bo, "volatility"), [0, 0, 0]);
    assert!(close(&bo[2]["top_decider_share"], 1.0), "{bo:#}");
    // With agree, ana agrees to 0003: bo 2 of 2, ana 1 of 2: the top is still bo's.
    assert!(close(&bo[2]["top_decider_with_agree_share"], 1.0), "{bo:#}");
    assert_eq!(bo[2]["uncertainty"]["lead"], 1);
    assert_eq!(bo[2]["uncertainty"]["unscored"], 1);
    assert!(bo[0]["top_decider_share"].is_null(), "{bo:#}");
    // ana's (0001, 0002, 0008): 0001's priority changes and criteria edits, 0002's
    // reversal; decided at each end 1, 2, 3; the reversal over 3 decided.
    let ana = group("ana");
    assert_eq!(pick(&ana, "volatility"), [1, 2, 3]);
    assert_eq!(pick(&ana, "decided_at_end"), [1, 2, 3]);
    assert_eq!(pick(&ana, "active_to_closed"), [0, 0, 1]);
    assert!(
        close(&ana[2]["active_to_closed_rate"], 1.0 / 3.0),
        "{ana:#}"
    );
    assert_eq!(pick(&ana, "sla_breaches"), [0, 0, 1]);
}

#[test]
fn digest_reads_the_week() {
    let repo = history(true);
    let d = json(&repo, &["digest", "--since", "7d", "-f", "json"]);
    assert_eq!(
        (d["since"].clone(), d["today"].clone()),
        ("2026-05-26".into(), "2026-06-01".into())
    );
    let ids = |key: &str, inner: Option<&str>| -> Vec<Value> {
        d[key]
            .as_array()
            .expect(key)
            .iter()
            .map(|x| inner.map_or(x, |i| &x[i])["id"].clone())
            .collect()
    };
    assert_eq!(ids("decided", None), ["0008"]);
    assert_eq!(ids("reversed", Some("item")), ["0002"]);
    assert_eq!(ids("reprioritised", Some("item")), ["0001"]);
    assert_eq!(
        d["reversed"][0]["evidence"][0]["summary"],
        "Load test failed | twice"
    );
    assert_eq!(d["people"][0]["person"], "bo");
    assert_eq!(d["people"][0]["due"][0]["item"]["id"], "0006");
    assert_eq!(d["people"][0]["due"][0]["days_late"], 3);
    assert_eq!(ids("sla_breaches", Some("item")), ["0008"]);
    assert_eq!(ids("stuck", None), ["0007"]);
    assert_eq!(ids("reviews_and_expiries", Some("item")), ["0005"]);
    assert_eq!(d["reviews_and_expiries"][0]["days_late"], -4);
    assert_eq!(d["signal"]["leadership_missing"], true);

    let out = declint(repo.path(), &["digest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    for section in [
        "### Decided (1)",
        "### Reversed (1)",
        "### Reprioritised (1)",
        "### Open questions overdue or due within 7 days, per person",
        "### Reviews and exception expiries",
        "### SLA breaches (1)",
        "### Stuck questions (1)",
    ] {
        assert!(md.contains(section), "{section} missing:\n{md}");
    }
    assert!(
        !md.contains("Bottlenecks"),
        "nothing to say, left out:\n{md}"
    );
    // Titles, evidence and links through the Markdown cell escaping.
    assert!(md.contains("0002 Use \\[Kafka\\] \\| queue"), "{md}");
    assert!(
        md.contains("Load test failed \\| twice \\(https\\://example.com/load\\)"),
        "{md}"
    );
    assert!(md.contains("Pick a \\<b\\>logo\\</b\\>"), "{md}");
    assert!(
        md.contains("| bo | 0006 Pick a region | 2026-05-29 | 3 days overdue |"),
        "{md}"
    );
    assert!(
        md.contains(
            "| 0005 Exception 0005 | exception expires | 2026-06-05 | due in 4 days | dee |"
        ),
        "{md}"
    );

    // A quiet window: only what is due is left.
    let quiet = stdout(&declint(repo.path(), &["digest", "--since", "2026-06-01"]));
    assert!(!quiet.contains("### Decided"), "{quiet}");
    assert!(!quiet.contains("### Reversed"), "{quiet}");
    let bad = declint(repo.path(), &["digest", "--since", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
}
