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
            "status: accepted\ndecider: bo\nraised: 2026-05-19\ndate: 2026-05-22\n",
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
            "status: proposed\ndecider: bo\nraised: 2026-05-28\n",
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
            "status: accepted\ndecider: ana\nraised: 2026-05-27\ndate: 2026-05-30\n",
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
    // Concentration, volatility, and eleven series charts.
    assert_eq!(md.matches("```mermaid").count(), 13, "{md}");
    assert_eq!(md.matches("    line [").count(), 12, "{md}");
    assert!(md.contains("    line [34.0, 60.0, 90.0]"), "{md}");
    assert!(md.contains("### By decider"), "{md}");
    assert!(md.contains("| ana | 3 |"), "{md}");

    let s = json(&repo, &["stats", "--history", "--by", "tag", "-f", "json"]);
    assert_eq!(s["groups"]["by"], "tag");
    assert_eq!(s["groups"]["groups"][0]["name"], "(untagged)");
    assert_eq!(s["groups"]["groups"][0]["stats"]["decisions"]["total"], 8);
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
