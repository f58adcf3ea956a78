//! DL3xx: deadlines. A decision log is only honest if open questions get decided, decisions
//! in force get looked at again, and exceptions to a rule end.
//!
//! All deadlines are calendar days in the config's `timezone` (UTC by default), compared
//! with "today" there (or `--today`): a deadline *on* today is not yet missed; it is
//! missed from the next day on. Days and instants come from [`crate::timeline`]. The
//! deadline computations are public so that `declint list` shows exactly what the rules
//! check.

use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::config::{Config, StatusClass};
use crate::finding::{Severity, Span};
use crate::record::Record;
use chrono::{NaiveDate, TimeDelta};
use serde::Serialize;

/// Which deadline a record has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// An open decision must be decided by `due` (DL301).
    Due,
    /// An active decision must be looked at again by `review_by` (DL302).
    Review,
    /// An active exception ends at `expires` (DL303).
    Expires,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Due => "due",
            DeadlineKind::Review => "review",
            DeadlineKind::Expires => "expires",
        }
    }
}

/// A deadline: the last day on which the record is still on time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub date: NaiveDate,
    /// Where the date comes from in the file (the `due` value, or `raised` when the due
    /// date is derived).
    pub span: Span,
    /// How the date was worked out, when it was not written down:
    /// `raised 2026-06-01 + 36h`.
    pub derived: Option<String>,
}

impl Deadline {
    /// Days past the deadline on `today`; `None` while on time (the deadline day itself
    /// included).
    pub fn days_late(&self, today: NaiveDate) -> Option<i64> {
        let days = (today - self.date).num_days();
        (days > 0).then_some(days)
    }

    /// `2026-06-02 (raised 2026-06-01 + 36h)`.
    pub fn describe(&self) -> String {
        match &self.derived {
            Some(how) => format!("{} ({how})", self.date),
            None => self.date.to_string(),
        }
    }
}

/// `1 day`, `3 days`.
pub fn days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// When an open decision must be decided: `due` if written, else `raised` plus
/// `decision_sla_hours`, reduced to the day of that moment in `timezone`. A bare `raised`
/// date counts from the start of its day, so with 36 hours `raised: 2026-06-01` is due on
/// 2026-06-02 (at 12:00) and overdue from 2026-06-03. A `due` that does not parse, or has the wrong
/// type, gives no deadline (DL103 or DL003 reports it); it never falls back to `raised`.
pub fn due(record: &Record, config: &Config) -> Option<Deadline> {
    let (mut deadline, raised) = due_unexplained(record, config)?;
    deadline.derived = raised.map(|raised| derivation(raised, config));
    Some(deadline)
}

/// How a due date derived from `raised` was worked out: `raised 2026-06-01 + 36h`.
fn derivation(raised: &str, config: &Config) -> String {
    format!("raised {} + {}h", raised.trim(), config.decision_sla_hours)
}

/// [`due`] without its `derived` text, and the `raised` value it was derived from if it
/// was: DL301 looks at every open record and needs the text only for a finding.
fn due_unexplained<'r>(record: &'r Record, config: &Config) -> Option<(Deadline, Option<&'r str>)> {
    let fields = &record.fields;
    if let Some(due) = &fields.due {
        return crate::timeline::day_of(&due.value, config.timezone).map(|date| {
            let deadline = Deadline {
                kind: DeadlineKind::Due,
                date,
                span: due.span,
                derived: None,
            };
            (deadline, None)
        });
    }
    // A `due` of the wrong type is DL003's; falling back to `raised` would guess.
    if record
        .issues
        .iter()
        .any(|i| crate::spelling::canonical_key(&i.key) == "due")
    {
        return None;
    }
    let raised = fields.raised.as_ref()?;
    let start = crate::timeline::raised_at(record, config)?;
    let end = start.checked_add_signed(TimeDelta::hours(i64::from(config.decision_sla_hours)))?;
    let deadline = Deadline {
        kind: DeadlineKind::Due,
        date: crate::timeline::day_at(end, config.timezone),
        span: raised.span,
        derived: None,
    };
    Some((deadline, Some(raised.value.raw.as_str())))
}

/// A decision made after its due date (DL307, and the SLA breaches of `stats` and
/// `digest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateDecision {
    /// The calendar day of `date`.
    pub decided: NaiveDate,
    /// The due date DL301 uses (explicit `due`, else `raised` + `decision_sla_hours`).
    pub deadline: Deadline,
    /// Whole days after the due date.
    pub days: i64,
}

/// Whether a record's `date` falls after its due date: on the due day it is on time,
/// exactly as DL301 would not yet report it. Whether the record is decided is the
/// caller's question (DL307 and `stats` ask [`crate::timeline::State`]).
pub fn decided_late(record: &Record, config: &Config) -> Option<LateDecision> {
    let decided = crate::timeline::day_of(&record.fields.date.as_ref()?.value, config.timezone)?;
    let deadline = due(record, config)?;
    let days = deadline.days_late(decided)?;
    Some(LateDecision {
        decided,
        deadline,
        days,
    })
}

/// Whether an open record has no clock (DL308): neither `raised` nor `due`, so it can
/// never be overdue. Never for a record whose format has neither field (MADR, Nygard;
/// see `rules::relax`) unless the config demands `raised`.
pub fn without_clock(record: &Record, config: &Config) -> bool {
    !super::relax::relaxed("DL308", record, config)
        && record.status_class(config) == Some(StatusClass::Open)
        && record.fields.raised.is_none()
        && record.fields.due.is_none()
}

/// When an active decision must be looked at again.
pub fn review(record: &Record, config: &Config) -> Option<Deadline> {
    let review_by = record.fields.review_by.as_ref()?;
    crate::timeline::day_of(&review_by.value, config.timezone).map(|date| Deadline {
        kind: DeadlineKind::Review,
        date,
        span: review_by.span,
        derived: None,
    })
}

/// When an exception ends.
pub fn expiry(record: &Record, config: &Config) -> Option<Deadline> {
    let expires = record.fields.expires.as_ref()?;
    crate::timeline::day_of(&expires.value, config.timezone).map(|date| Deadline {
        kind: DeadlineKind::Expires,
        date,
        span: expires.span,
        derived: None,
    })
}

/// The deadlines that apply to a record in its current status class, earliest first:
/// `due` while open; `expires` (for an exception) and `review_by` while active; none
/// once closed or when the status is unknown.
pub fn deadlines(record: &Record, config: &Config) -> Vec<Deadline> {
    let mut found: Vec<Deadline> = match record.status_class(config) {
        Some(StatusClass::Open) => due(record, config).into_iter().collect(),
        Some(StatusClass::Active) => record
            .is_exception()
            .then(|| expiry(record, config))
            .flatten()
            .into_iter()
            .chain(review(record, config))
            .collect(),
        Some(StatusClass::Closed) | None => Vec::new(),
    };
    found.sort_by_key(|d| d.date);
    found
}

/// DL301: an open decision past its due date.
pub struct OverdueDecision;

impl Rule for OverdueDecision {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL301",
            name: "overdue-decision",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: true,
            summary: "An open decision is past its due date.",
            what: "Checks open decisions (status class `open`) against `due`, or, when there is no `due`, against `raised` plus `decision_sla_hours` (36 by default). A decision due today is on time; it is overdue from the day after. A bare `raised` date counts from the start of its day in the config's `timezone` (UTC by default): raised 2026-06-01 with 36 hours is due 2026-06-02 and overdue from 2026-06-03. An RFC 3339 `raised` time is used as written. Definitions: docs/timeline.md.",
            why: "An open question blocks the people waiting on it. A deadline that passes without a decision, or without an explicit new `due`, is the first sign of a decision nobody owns.",
            bad: "---\ntitle: Pick a queue\nstatus: proposed\nraised: 2026-05-20\n---\nNo `due`: due 2026-05-21 (raised + 36h), overdue from 2026-05-22.\n",
            good: "---\ntitle: Pick a queue\nstatus: accepted\nraised: 2026-05-20\ndate: 2026-05-21\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if record.status_class(cx.config) != Some(StatusClass::Open) {
            return;
        }
        let Some((mut deadline, raised)) = due_unexplained(record, cx.config) else {
            return;
        };
        let Some(late) = deadline.days_late(cx.today) else {
            return;
        };
        deadline.derived = raised.map(|raised| derivation(raised, cx.config));
        out.emit_field(
            record,
            "due",
            deadline.span,
            format!(
                "open decision is {} overdue: it was due {}",
                days(late),
                deadline.describe()
            ),
            "decide it (set a decided `status` and `date`), or agree a new `due` date and write down why",
        );
    }
}

/// DL308: an open record that can never be overdue.
pub struct OpenWithoutClock;

impl Rule for OpenWithoutClock {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL308",
            name: "open-without-clock",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "An open decision has neither `raised` nor `due`, so it can never be overdue.",
            what: "Reports an open record (status class `open`) with neither `raised` (from which DL301 derives a due date with `decision_sla_hours`) nor `due`. Off under `profile: madr`, whose records have neither field. Definitions: docs/timeline.md.",
            why: "DL301 keeps open questions moving by their deadline. A question without one is never reported: it stays open, unseen, for as long as nobody remembers it.",
            bad: "---\ntitle: Pick a queue\nstatus: proposed\n---\n",
            good: "---\ntitle: Pick a queue\nstatus: proposed\nraised: 2026-05-20\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if !without_clock(record, cx.config) {
            return;
        }
        out.emit_field(
            record,
            "raised",
            record
                .fields
                .status
                .as_ref()
                .map_or_else(|| record.head_span(), |s| s.span),
            "open decision has neither `raised` nor `due`: it can never be overdue",
            "add `raised:` (the day the question was asked; due then follows from `decision_sla_hours`) or an explicit `due:`",
        );
    }
}

/// DL302: an active decision past its review date.
pub struct ReviewOverdue;

impl Rule for ReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL302",
            name: "review-overdue",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: true,
            summary: "An active decision is past its review date.",
            what: "Checks active decisions (status class `active`) against `review_by`. The review day itself is on time; the decision is overdue for review from the day after.",
            why: "A review date is a promise to look again when the world may have moved. A missed review means the decision stays in force on evidence nobody has re-checked.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\nreview_by: 2026-05-01\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\nreview_by: 2026-11-01\nevidence:\n  - date: 2026-05-01\n    summary: reviewed; load still well under the reversal threshold\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if record.status_class(cx.config) != Some(StatusClass::Active) {
            return;
        }
        let Some(deadline) = review(record, cx.config) else {
            return;
        };
        let Some(late) = deadline.days_late(cx.today) else {
            return;
        };
        out.emit_field(
            record,
            "review_by",
            deadline.span,
            format!(
                "review is {} overdue: `review_by` was {}",
                days(late),
                deadline.date
            ),
            "review the decision: add what you found under `evidence` and set the next `review_by`, or supersede it",
        );
    }
}

/// DL303: an exception past its expiry date and still active.
pub struct ExpiredException;

impl Rule for ExpiredException {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL303",
            name: "expired-exception",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: true,
            summary: "An exception is past its expiry date and still active.",
            what: "Checks records with `kind: exception` whose status class is `active` against `expires`. The expiry day itself is still covered; the exception has lapsed from the day after.",
            why: "An exception is a bounded permission to break a rule. One that outlives its expiry has quietly become the rule, without anyone deciding so.",
            bad: "---\ntitle: Skip code review for hotfixes\nkind: exception\nstatus: accepted\nowner: ana\nrisk: unreviewed code in production\nexpires: 2026-05-01\n---\n",
            good: "---\ntitle: Skip code review for hotfixes\nkind: exception\nstatus: deprecated\nowner: ana\nrisk: unreviewed code in production\nexpires: 2026-05-01\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if !record.is_exception() || record.status_class(cx.config) != Some(StatusClass::Active) {
            return;
        }
        let Some(deadline) = expiry(record, cx.config) else {
            return;
        };
        let Some(late) = deadline.days_late(cx.today) else {
            return;
        };
        out.emit_field(
            record,
            "expires",
            deadline.span,
            format!(
                "exception expired {} ago ({}) and is still active",
                days(late),
                deadline.date
            ),
            "close it (set a closed status), or renew it deliberately: a new `expires` with evidence for why it is still needed",
        );
    }
}

/// DL304: an exception without an expiry date.
pub struct ExceptionWithoutExpiry;

impl Rule for ExceptionWithoutExpiry {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL304",
            name: "exception-without-expiry",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "An exception has no expiry date.",
            what: "Checks that every record with `kind: exception` that is not closed has an `expires` date. Closed exceptions are history and are left alone.",
            why: "The exception register is owner, risk and expiry. An exception without an end date is a permanent rule change that nobody decided as one.",
            bad: "---\ntitle: Skip code review for hotfixes\nkind: exception\nstatus: accepted\nowner: ana\nrisk: unreviewed code in production\n---\n",
            good: "---\ntitle: Skip code review for hotfixes\nkind: exception\nstatus: accepted\nowner: ana\nrisk: unreviewed code in production\nexpires: 2026-09-30\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if !record.is_exception()
            || record.fields.expires.is_some()
            || record.status_class(cx.config) == Some(StatusClass::Closed)
        {
            return;
        }
        // `expires:` left empty (as `new --kind exception` writes it) is this finding, at
        // that key, and no other.
        let empty = record.empty_key("expires");
        let span = empty.unwrap_or_else(|| {
            record
                .fields
                .kind
                .as_ref()
                .map_or_else(|| record.head_span(), |k| k.span)
        });
        out.emit_field(
            record,
            "expires",
            span,
            if empty.is_some() {
                "exception's `expires` is empty"
            } else {
                "exception has no `expires` date"
            },
            "add `expires: YYYY-MM-DD`: every exception to a rule carries the date it ends",
        );
    }
}

/// The uncertainty sum above which a decision is made in "lead" mode.
pub const LEAD_MODE_ABOVE: i64 = 9;

/// DL306: a high-uncertainty decision without a review date.
pub struct UncertainWithoutReview;

impl Rule for UncertainWithoutReview {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL306",
            name: "uncertain-without-review",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "A decision under high uncertainty has no review date.",
            what: "Checks open and active decisions whose `uncertainty` (market + technical + organizational, each 0–5) sums to more than 9, the \"lead\" mode, for a `review_by` date. A sum of exactly 9 does not fire.",
            why: "A decision taken with little certainty is a bet. Without a date to look at it again, the bet is never settled and the team forgets it was one.",
            bad: "---\ntitle: Enter the Japanese market\nstatus: accepted\nuncertainty: {market: 5, technical: 2, organizational: 3}\n---\n",
            good: "---\ntitle: Enter the Japanese market\nstatus: accepted\nuncertainty: {market: 5, technical: 2, organizational: 3}\nreview_by: 2026-09-01\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if record.status_class(cx.config) == Some(StatusClass::Closed)
            || record.fields.review_by.is_some()
        {
            return;
        }
        let Some(uncertainty) = &record.fields.uncertainty else {
            return;
        };
        let sum = uncertainty.value.sum();
        if sum <= LEAD_MODE_ABOVE {
            return;
        }
        out.emit_field(
            record,
            "review_by",
            uncertainty.span,
            format!(
                "uncertainty sums to {sum} (above {LEAD_MODE_ABOVE}: lead mode) but there is no `review_by`"
            ),
            "add `review_by: YYYY-MM-DD`, the day to check whether the bet is paying off",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{check_one, record_with, run_rule};
    use crate::rules::{Context, Emitter};

    /// Run `rule` on one record at a given `today`.
    fn at(rule: &dyn Rule, today: &str, yaml: &str) -> Vec<crate::finding::Finding> {
        at_with(rule, &Config::default(), today, yaml)
    }

    fn at_with(
        rule: &dyn Rule,
        config: &Config,
        today: &str,
        yaml: &str,
    ) -> Vec<crate::finding::Finding> {
        let record = record_with(
            config,
            "decisions/0001-x.md",
            &format!("---\ntitle: X\n{yaml}---\n"),
        );
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").expect("test date");
        let cx = Context::new(config, today);
        let mut findings = Vec::new();
        let mut out = Emitter::new(rule.meta(), &cx, &mut findings);
        rule.check_record(&record, &cx, &mut out);
        findings
    }

    #[test]
    fn dl301_explicit_due_is_on_time_on_the_day_and_late_the_day_after() {
        let yaml = "status: proposed\ndue: 2026-06-10\n";
        assert!(at(&OverdueDecision, "2026-06-09", yaml).is_empty());
        assert!(at(&OverdueDecision, "2026-06-10", yaml).is_empty());
        let f = at(&OverdueDecision, "2026-06-11", yaml);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "open decision is 1 day overdue: it was due 2026-06-10"
        );
        assert_eq!((f[0].start.line, f[0].start.column), (4, 6));
    }

    #[test]
    fn dl301_default_due_is_raised_plus_36_hours() {
        // 2026-06-01T00:00Z + 36h = 2026-06-02T12:00Z: due on 06-02, overdue from 06-03.
        let yaml = "status: draft\nraised: 2026-06-01\n";
        assert!(at(&OverdueDecision, "2026-06-02", yaml).is_empty());
        let f = at(&OverdueDecision, "2026-06-03", yaml);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "open decision is 1 day overdue: it was due 2026-06-02 (raised 2026-06-01 + 36h)"
        );
        let f = at(&OverdueDecision, "2026-06-05", yaml);
        assert!(f[0].message.contains("3 days overdue"), "{}", f[0].message);
    }

    #[test]
    fn dl301_uses_the_time_of_an_rfc3339_raised() {
        // 11:00Z + 36h = 2026-06-02T23:00Z: due 06-02.
        let yaml = "status: proposed\nraised: 2026-06-01T11:00:00Z\n";
        assert!(at(&OverdueDecision, "2026-06-02", yaml).is_empty());
        assert_eq!(at(&OverdueDecision, "2026-06-03", yaml).len(), 1);
        // 12:00Z + 36h = 06-03T00:00Z: due 06-03, a day later.
        let yaml = "status: proposed\nraised: 2026-06-01T12:00:00Z\n";
        assert!(at(&OverdueDecision, "2026-06-03", yaml).is_empty());
        assert_eq!(at(&OverdueDecision, "2026-06-04", yaml).len(), 1);
        // An offset is converted to UTC first: 2026-06-01T20:00-05:00 = 06-02T01:00Z → due 06-03.
        let yaml = "status: proposed\nraised: 2026-06-01T20:00:00-05:00\n";
        assert!(at(&OverdueDecision, "2026-06-03", yaml).is_empty());
        assert_eq!(at(&OverdueDecision, "2026-06-04", yaml).len(), 1);
    }

    #[test]
    fn dl301_follows_the_configured_sla() {
        let config = Config::parse("decision_sla_hours: 24\n", "x").expect("valid config");
        let yaml = "status: proposed\nraised: 2026-06-01\n";
        assert!(at_with(&OverdueDecision, &config, "2026-06-02", yaml).is_empty());
        assert_eq!(
            at_with(&OverdueDecision, &config, "2026-06-03", yaml).len(),
            1
        );
        let config = Config::parse("decision_sla_hours: 0\n", "x").expect("valid config");
        assert_eq!(
            at_with(&OverdueDecision, &config, "2026-06-02", yaml).len(),
            1
        );
    }

    #[test]
    fn dl301_explicit_due_wins_over_raised() {
        let yaml = "status: proposed\nraised: 2026-05-01\ndue: 2026-06-30\n";
        assert!(at(&OverdueDecision, "2026-06-15", yaml).is_empty());
    }

    #[test]
    fn dl301_ignores_decided_closed_and_undated_records() {
        for yaml in [
            "status: accepted\nraised: 2026-05-01\n",
            "status: rejected\nraised: 2026-05-01\n",
            "status: proposed\n",
            "status: proposed\ndue: soon\n",
            "status: proposed\nraised: 2026-05-01\ndue: [2026-06-30]\n",
            "status: whatever\nraised: 2026-05-01\n",
        ] {
            assert!(
                at(&OverdueDecision, "2026-06-15", yaml).is_empty(),
                "{yaml}"
            );
        }
    }

    #[test]
    fn dl301_works_on_configured_status_classes() {
        let config =
            Config::parse("statuses:\n  idea: open\n  done: active\n", "x").expect("valid config");
        let f = at_with(
            &OverdueDecision,
            &config,
            "2026-06-15",
            "status: Idea\ndue: 2026-06-01\n",
        );
        assert_eq!(f.len(), 1);
        assert!(
            at_with(
                &OverdueDecision,
                &config,
                "2026-06-15",
                "status: done\ndue: 2026-06-01\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl302_review_day_is_on_time() {
        let yaml = "status: accepted\nreview_by: 2026-06-01\n";
        assert!(at(&ReviewOverdue, "2026-05-31", yaml).is_empty());
        assert!(at(&ReviewOverdue, "2026-06-01", yaml).is_empty());
        let f = at(&ReviewOverdue, "2026-06-02", yaml);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "review is 1 day overdue: `review_by` was 2026-06-01"
        );
        assert!(
            at(
                &ReviewOverdue,
                "2026-06-02",
                "status: superseded\nreview_by: 2026-06-01\n"
            )
            .is_empty()
        );
        assert!(
            at(
                &ReviewOverdue,
                "2026-06-02",
                "status: proposed\nreview_by: 2026-06-01\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl303_expiry_day_is_still_covered() {
        let yaml = "kind: exception\nstatus: accepted\nexpires: 2026-06-01\n";
        assert!(at(&ExpiredException, "2026-06-01", yaml).is_empty());
        let f = at(&ExpiredException, "2026-06-04", yaml);
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "exception expired 3 days ago (2026-06-01) and is still active"
        );
    }

    #[test]
    fn dl303_ignores_closed_exceptions_and_decisions() {
        assert!(
            at(
                &ExpiredException,
                "2026-07-01",
                "kind: exception\nstatus: deprecated\nexpires: 2026-06-01\n"
            )
            .is_empty()
        );
        assert!(
            at(
                &ExpiredException,
                "2026-07-01",
                "kind: decision\nstatus: accepted\nexpires: 2026-06-01\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl304_wants_an_expiry_on_live_exceptions() {
        let f = check_one(
            &ExceptionWithoutExpiry,
            "---\nkind: exception\nstatus: accepted\n---\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (2, 7));
        assert!(
            check_one(
                &ExceptionWithoutExpiry,
                "---\nkind: exception\nstatus: accepted\nexpires: 2026-09-01\n---\n"
            )
            .is_empty()
        );
        assert!(
            check_one(
                &ExceptionWithoutExpiry,
                "---\nkind: exception\nstatus: rejected\n---\n"
            )
            .is_empty()
        );
        assert!(check_one(&ExceptionWithoutExpiry, "---\nstatus: accepted\n---\n").is_empty());
    }

    #[test]
    fn dl306_fires_above_nine_only() {
        let nine = "---\nstatus: accepted\nuncertainty: {market: 3, technical: 3, organizational: 3}\n---\n";
        assert!(check_one(&UncertainWithoutReview, nine).is_empty());
        let ten = "---\nstatus: accepted\nuncertainty: {market: 4, technical: 3, organizational: 3}\n---\n";
        let f = check_one(&UncertainWithoutReview, ten);
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("uncertainty sums to 10"));
        let reviewed = "---\nstatus: accepted\nreview_by: 2026-09-01\nuncertainty: {market: 5, technical: 5, organizational: 5}\n---\n";
        assert!(check_one(&UncertainWithoutReview, reviewed).is_empty());
        let closed = "---\nstatus: reversed\nuncertainty: {market: 5, technical: 5, organizational: 5}\n---\n";
        assert!(check_one(&UncertainWithoutReview, closed).is_empty());
    }

    #[test]
    fn deadlines_follow_the_status_class() {
        let config = Config::default();
        let record =
            |yaml: &str| record_with(&config, "decisions/0001-x.md", &format!("---\n{yaml}---\n"));
        let kinds = |yaml: &str| -> Vec<DeadlineKind> {
            deadlines(&record(yaml), &config)
                .iter()
                .map(|d| d.kind)
                .collect()
        };
        assert_eq!(
            kinds("status: proposed\nraised: 2026-06-01\nreview_by: 2026-01-01\n"),
            [DeadlineKind::Due]
        );
        assert_eq!(
            kinds(
                "kind: exception\nstatus: accepted\nexpires: 2026-09-01\nreview_by: 2026-07-01\n"
            ),
            [DeadlineKind::Review, DeadlineKind::Expires]
        );
        assert!(kinds("status: rejected\nraised: 2026-06-01\n").is_empty());
    }

    #[test]
    fn in_base_mode_untouched_files_get_warnings() {
        let config = Config::default();
        let record = record_with(
            &config,
            "decisions/0001-x.md",
            "---\nstatus: proposed\ndue: 2026-05-01\n---\n",
        );
        let touched = std::collections::HashSet::new();
        let cx = Context {
            config: &config,
            today: crate::rules::testing::today(),
            touched: Some(&touched),
            change: None,
            logged: None,
            history: false,
        };
        let mut findings = Vec::new();
        let mut out = Emitter::new(OverdueDecision.meta(), &cx, &mut findings);
        OverdueDecision.check_record(&record, &cx, &mut out);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Warning);
        let unchanged = run_rule(&OverdueDecision, &config, &[record]);
        assert_eq!(unchanged[0].severity, Severity::Error);
    }
}
