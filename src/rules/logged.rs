//! DL305: a decision logged late — committed in a decided state more than
//! `log_within_hours` after it was made. "Logged" is the timeline's
//! ([`crate::timeline::Timeline::logged`]), handed over as plain data in
//! [`Context::logged`]: for records a `--base` change decides, from the head's own commits;
//! for every record with `--history`, from the whole walk. Never from the clock.

use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::finding::Severity;
use crate::record::Record;
use crate::timeline::{decided_at, describe_duration, describe_time, is_decided, record_key};
use chrono::{DateTime, Duration};

/// DL305: committed as decided more than `log_within_hours` after its `date`.
pub struct LoggedLate;

impl Rule for LoggedLate {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL305",
            name: "logged-late",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: true,
            summary: "A decision was committed as decided more than `log_within_hours` (24) after it was made (`--base`: records the change decides, timed by its commits; `--history`: all).",
            what: "Compares a decision's `date` with when it was logged: the earliest commit whose tree holds it decided (status active or closed, with a `date`), so raising a question as `proposed` and deciding it later starts the clock at the decision. With `--base`, for the records the change decides, the head's own commits give the time (an uncommitted decision has none, so re-running CI later gives the same answer); with `--history`, for every record, from a walk of the whole history that includes merge commits and follows a record by its id across renames. A plain date counts from the end of that day; a date-time from its instant. Definitions: docs/timeline.md.",
            why: "A decision written down days later is reconstructed from memory: the options and the dissent fade first. Logging within a day keeps the record honest.",
            bad: "# committed on 2026-03-09\ndate: 2026-03-02\n",
            good: "# committed on 2026-03-02 or 2026-03-03\ndate: 2026-03-02\n",
        }
    }

    fn reads_commit_times(&self) -> bool {
        true
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(logged) = cx.logged.and_then(|l| l.get(&record_key(record))) else {
            return;
        };
        let (Some(decided), Some(logged)) = (
            decided_at(record, cx.config),
            DateTime::from_timestamp(*logged, 0),
        ) else {
            return;
        };
        let allowed = Duration::hours(i64::from(cx.config.log_within_hours));
        let late = logged - decided;
        if late > allowed {
            let span = record
                .fields
                .date
                .as_ref()
                .map_or_else(|| record.head_span(), |d| d.span);
            out.emit_field(
                record,
                "date",
                span,
                format!(
                    "logged {} after the decision (first committed as decided {}; the limit is {} hours)",
                    describe_duration(late.num_seconds()),
                    describe_time(logged.timestamp(), cx.config.timezone),
                    cx.config.log_within_hours
                ),
                "log decisions within a day of making them; if `date` is wrong, correct it to the day the decision was made",
            );
        }
    }
}

/// DL307: a decision whose `date` is after its due date — it would have been overdue
/// (DL301) on the day it was decided.
pub struct DecidedLate;

impl Rule for DecidedLate {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL307",
            name: "decided-late",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: true,
            summary: "A decision was decided after its due date (`--base`: records the change decides; `--history`: all).",
            what: "Compares a decided record's `date` (its calendar day) with the due date DL301 uses: the explicit `due`, else `raised` plus `decision_sla_hours`. A decision made on its due day is on time, exactly as DL301 would not yet report it; from the day after, it was decided late. With `--base`, it looks at the records the change decides; with `--history`, at every record. Definitions: docs/timeline.md.",
            why: "An open question that sat past its deadline blocked the people waiting on it, even if it is decided now. DL301 sees it only while it is open; this keeps the lateness visible once it is closed, so the team can see how often the SLA is missed.",
            bad: "# check --history\nstatus: accepted\nraised: 2026-05-20  # due 2026-05-21 (+ 36 h)\ndate: 2026-05-25\n",
            good: "# check --history\nstatus: accepted\nraised: 2026-05-20\ndate: 2026-05-21\n",
        }
    }

    fn reads_commit_times(&self) -> bool {
        true
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        // The context first: in a plain check (no history, no change) nothing is read.
        if !(cx.history || decided_by_change(record, cx)) || !is_decided(record, cx.config) {
            return;
        }
        let Some(crate::rules::time::LateDecision {
            decided,
            deadline,
            days: late,
        }) = crate::rules::time::decided_late(record, cx.config)
        else {
            return;
        };
        out.emit_field(
            record,
            "date",
            record
                .fields
                .date
                .as_ref()
                .map_or_else(|| record.head_span(), |d| d.span),
            format!(
                "decided {} after it was due: decided {decided}, due {}",
                crate::rules::time::days(late),
                deadline.describe()
            ),
            "decide open questions by their due date, or agree a new `due` and write down why before it passes",
        );
    }
}

/// Whether the `--base` change decides this record: it is new, or was open on the base.
fn decided_by_change(record: &Record, cx: &Context<'_>) -> bool {
    cx.change.is_some_and(|change| {
        change.changes.iter().any(|c| {
            c.head.as_ref().is_some_and(|h| h.path == record.path)
                && c.base.as_ref().is_none_or(|b| !is_decided(b, cx.config))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Logged;
    use crate::config::Config;
    use crate::rules::testing::{record_with, today};

    fn run(date: &str, logged_at: &str) -> usize {
        let config = Config::default();
        let record = record_with(
            &config,
            "decisions/0001-a.md",
            &format!("---\ntitle: A\nstatus: accepted\ndate: {date}\n---\n"),
        );
        let at = DateTime::parse_from_rfc3339(logged_at)
            .map(|t| t.timestamp())
            .unwrap_or(0);
        let logged: Logged = [(record_key(&record), at)].into_iter().collect();
        let cx = Context {
            config: &config,
            today: today(),
            touched: None,
            change: None,
            logged: Some(&logged),
            history: false,
        };
        let mut findings = Vec::new();
        let mut out = Emitter::new(LoggedLate.meta(), &cx, &mut findings);
        LoggedLate.check_record(&record, &cx, &mut out);
        findings.len()
    }

    #[test]
    fn fires_when_logged_more_than_a_day_late() {
        assert_eq!(run("2026-03-02", "2026-03-04T00:00:01Z"), 1);
        assert_eq!(run("2026-03-02T09:00:00Z", "2026-03-03T09:00:01Z"), 1);
    }

    #[test]
    fn quiet_within_a_day_or_without_a_logged_time() {
        assert_eq!(run("2026-03-02", "2026-03-02T08:00:00Z"), 0);
        assert_eq!(run("2026-03-02", "2026-03-04T00:00:00Z"), 0);
        assert_eq!(run("2026-03-02T09:00:00Z", "2026-03-03T09:00:00Z"), 0);
        let config = Config::default();
        let record = record_with(
            &config,
            "decisions/0001-a.md",
            "---\ntitle: A\ndate: 2020-01-01\n---\n",
        );
        let found = crate::rules::testing::run_rule(&LoggedLate, &config, &[record]);
        assert!(found.is_empty());
    }
}
