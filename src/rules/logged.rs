//! DL305: a decision logged late — first committed more than `log_within_hours` after it
//! was made. "Logged" comes from git as plain data in [`Context::logged`]: for records
//! added in a `--base` change, the head commit's time (or now, for the working tree);
//! for every record with `--history`, the commit that first added it.

use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::finding::Severity;
use crate::record::Record;
use chrono::{DateTime, Duration, Utc};

/// DL305: first committed more than `log_within_hours` after its `date`.
pub struct LoggedLate;

/// The latest moment the decision can have been made: the instant of an RFC 3339 `date`,
/// or the end of a plain `YYYY-MM-DD` day (UTC), so a same-day decision is never early.
fn decided_by(record: &Record) -> Option<DateTime<Utc>> {
    let date = record.fields.date.as_ref()?;
    if let Ok(instant) = DateTime::parse_from_rfc3339(date.value.raw.trim()) {
        return Some(instant.with_timezone(&Utc));
    }
    let day = date.value.date?;
    Some(day.succ_opt()?.and_hms_opt(0, 0, 0)?.and_utc())
}

impl Rule for LoggedLate {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL305",
            name: "logged-late",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: true,
            summary: "A decision was first committed more than `log_within_hours` (24) after it was made.",
            what: "Compares a decision's `date` with when it was first committed: for a decision added in a `--base` change, the head commit's time (now, for the working tree); for every decision with `--history`, the commit that first added it. A plain date counts from the end of that day (UTC); a date-time from its instant.",
            why: "A decision written down days later is reconstructed from memory: the options and the dissent fade first. Logging within a day keeps the record honest.",
            bad: "# committed on 2026-03-09\ndate: 2026-03-02\n",
            good: "# committed on 2026-03-02 or 2026-03-03\ndate: 2026-03-02\n",
        }
    }

    fn reads_commit_times(&self) -> bool {
        true
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(logged) = cx.logged.and_then(|l| l.get(&record.path)) else {
            return;
        };
        let (Some(decided), Some(logged)) =
            (decided_by(record), DateTime::from_timestamp(*logged, 0))
        else {
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
            out.emit(
                record,
                span,
                format!(
                    "logged {} after the decision (first committed {}; the limit is {} hours)",
                    describe(late),
                    logged.format("%Y-%m-%d %H:%M UTC"),
                    cx.config.log_within_hours
                ),
                "log decisions within a day of making them; if `date` is wrong, correct it to the day the decision was made",
            );
        }
    }
}

fn describe(late: Duration) -> String {
    let hours = late.num_hours();
    if hours >= 48 {
        format!("{} days", hours / 24)
    } else {
        format!("{hours} hours")
    }
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
        let logged: Logged = [(record.path.clone(), at)].into_iter().collect();
        let cx = Context {
            config: &config,
            today: today(),
            touched: None,
            change: None,
            logged: Some(&logged),
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
