//! Telemetry a manager reads (SPEC §12): the figures of `stats` per period over time, and
//! the mode-error signal read from them.
//!
//! Every fact comes from the timeline ([`crate::timeline`]): when a record was logged, its
//! instants, reversals by class, priority ranks, criteria edits and each record's state at
//! a moment. This module only counts: it cuts time into periods of `period` days ending
//! today, puts each event in its period, and reads the state of the log at each period's
//! end. `stats --history` prints the series; `digest` quotes the signal.

use crate::config::{Config, StatusClass};
use crate::record::Record;
use crate::timeline::{
    self, CriteriaEdit, Logged, PriorityChange, ReversalEvent, Timeline, UncertaintyMode,
};
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// The most periods a series shows (a year of two-week sprints).
pub const MAX_PERIODS: i64 = 26;

/// Median and p90 of a set of durations, in hours.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Hours {
    pub count: usize,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
}

impl Hours {
    pub fn of(mut hours: Vec<f64>) -> Hours {
        hours.sort_by(f64::total_cmp);
        Hours {
            count: hours.len(),
            median_hours: percentile(&hours, 0.5),
            p90_hours: percentile(&hours, 0.9),
        }
    }
}

/// The `p` quantile of sorted values, linearly interpolated; `None` when empty.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    #[allow(clippy::cast_precision_loss)] // counts of records are far below 2^52
    let rank = p.clamp(0.0, 1.0) * last as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0 ≤ rank ≤ last
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    let (a, b) = (sorted.get(low)?, sorted.get(high)?);
    #[allow(clippy::cast_precision_loss)]
    let fraction = rank - low as f64;
    Some(a + (b - a) * fraction)
}

/// One period: `[start, end)` in unix seconds, and its first and last calendar day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: i64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl Window {
    pub fn holds(&self, time: i64) -> bool {
        self.start <= time && time < self.end
    }
}

/// Periods of `period_days` whole days ending with today (the last one ends at the
/// midnight after today), oldest first: from the period holding `oldest` (none: just the
/// last period), at most [`MAX_PERIODS`]. Days are days in `zone` (config `timezone`), so
/// a period across a daylight-saving change is an hour shorter or longer.
pub fn windows(
    today: NaiveDate,
    period_days: u32,
    oldest: Option<i64>,
    zone: chrono_tz::Tz,
) -> Vec<Window> {
    let days = i64::from(period_days.max(1));
    let end_day = today + Duration::days(1);
    let count = oldest.map_or(1, |t| {
        let oldest_day = chrono::DateTime::from_timestamp(t, 0)
            .map_or(today, |at| timeline::day_at(at, zone))
            .min(today);
        ((today - oldest_day).num_days() / days + 1).clamp(1, MAX_PERIODS)
    });
    let boundary = |day: NaiveDate| timeline::start_of_day(day, zone).timestamp();
    (0..count)
        .rev()
        .map(|i| {
            let last = end_day - Duration::days(days * i);
            let first = last - Duration::days(days);
            Window {
                start: boundary(first),
                end: boundary(last),
                first_day: first,
                last_day: last - Duration::days(1),
            }
        })
        .collect()
}

/// What the history says, as plain data: the timeline's facts (SPEC §9), the same ones
/// DL305 and the change rules read.
#[derive(Debug, Clone, Default)]
pub struct HistoryFacts {
    /// Record key → when it was logged (first committed decided), unix seconds.
    pub logged: Logged,
    /// Every change of an existing record's priority rank, oldest first.
    pub priority_changes: Vec<PriorityChange>,
    /// Every reversal (active ↔ closed), oldest first.
    pub reversals: Vec<ReversalEvent>,
    /// Every edit of existing reversal criteria, oldest first.
    pub criteria_edits: Vec<CriteriaEdit>,
    /// The whole timeline, for the state of the log at each period's end (in a group of
    /// `--by`, the changes of the group's records).
    pub timeline: Timeline,
    pub commits_walked: usize,
    /// Versions in the history that do not read as text: the DL005 findings
    /// `check --history` gives for them.
    pub unread: Vec<crate::finding::Finding>,
    /// In a group of `--by`: the oldest moment of the whole log's history, so every
    /// group's periods are the log's periods and compare side by side.
    pub log_oldest: Option<i64>,
}

impl HistoryFacts {
    pub fn of(timeline: Timeline, config: &Config) -> Self {
        HistoryFacts {
            logged: timeline.logged(),
            priority_changes: timeline.priority_changes(),
            reversals: timeline.reversals(),
            criteria_edits: timeline.criteria_edits(),
            commits_walked: timeline.commits_walked,
            unread: crate::check_git::unread_version_findings(
                &crate::rules::EnabledRules::new(config),
                &timeline.unread,
                config,
            ),
            timeline,
            log_oldest: None,
        }
    }

    /// The facts of the records whose keys `keep` accepts (a group of `--by`), the
    /// timeline too (each commit's changes of those records), so a group has its series.
    pub fn restricted(&self, keep: impl Fn(&str) -> bool) -> Self {
        HistoryFacts {
            logged: self
                .logged
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, t)| (k.clone(), *t))
                .collect(),
            priority_changes: self
                .priority_changes
                .iter()
                .filter(|c| keep(&c.key))
                .cloned()
                .collect(),
            reversals: self
                .reversals
                .iter()
                .filter(|c| keep(&c.key))
                .cloned()
                .collect(),
            criteria_edits: self
                .criteria_edits
                .iter()
                .filter(|c| keep(&c.key))
                .cloned()
                .collect(),
            timeline: Timeline {
                steps: self
                    .timeline
                    .steps
                    .iter()
                    .filter_map(|step| {
                        let changes: Vec<timeline::RecordChange> = step
                            .changes
                            .iter()
                            .filter(|c| keep(&c.key))
                            .cloned()
                            .collect();
                        (!changes.is_empty()).then(|| timeline::Step {
                            commit: step.commit.clone(),
                            time: step.time,
                            author: step.author.clone(),
                            changes,
                        })
                    })
                    .collect(),
                commits_walked: self.timeline.commits_walked,
                unread: Vec::new(),
            },
            commits_walked: self.commits_walked,
            unread: Vec::new(),
            log_oldest: self.oldest(),
        }
    }

    /// The oldest moment the history speaks of (in a group, the whole log's).
    pub fn oldest(&self) -> Option<i64> {
        if self.log_oldest.is_some() {
            return self.log_oldest;
        }
        self.timeline
            .steps
            .first()
            .map(|s| s.time)
            .into_iter()
            .chain(self.logged.values().copied())
            .chain(self.priority_changes.iter().map(|c| c.time))
            .chain(self.reversals.iter().map(|c| c.time))
            .chain(self.criteria_edits.iter().map(|c| c.time))
            .min()
    }
}

/// The time facts of one decided record, all from the timeline's definitions.
#[derive(Debug, Clone)]
pub struct Decided {
    /// When it was logged (first committed decided), unix seconds; `None` without history
    /// or when it is not committed decided.
    pub logged: Option<i64>,
    /// Hours from `raised` (its instant) to logged: the seed's decision latency.
    pub latency_hours: Option<f64>,
    /// Hours from `raised` to `date` ([`timeline::decision_latency_days`]).
    pub decide_hours: Option<f64>,
    /// Hours from the `date` instant to logged, 0 when logged before it.
    pub logging_hours: Option<f64>,
    /// Decided after its due date (DL307's test).
    pub late: bool,
}

impl Decided {
    /// The facts of `record` when it is decided; `None` otherwise.
    pub fn of(record: &Record, config: &Config, logged: Option<&Logged>) -> Option<Decided> {
        if !timeline::is_decided(record, config) {
            return None;
        }
        let logged = logged
            .and_then(|l| l.get(&timeline::record_key(record)))
            .copied();
        let hours = |seconds: i64| {
            #[allow(clippy::cast_precision_loss)] // seconds of a log's life
            let h = seconds.max(0) as f64 / 3600.0;
            h
        };
        Some(Decided {
            latency_hours: logged
                .zip(timeline::raised_at(record, config))
                .map(|(t, raised)| hours(t - raised.timestamp())),
            decide_hours: timeline::decision_latency_days(record, config).map(|d| d * 24.0),
            logging_hours: logged
                .zip(timeline::decided_at(record, config))
                .map(|(t, decided)| hours(t - decided.timestamp())),
            late: crate::rules::time::decided_late(record, config).is_some(),
            logged,
        })
    }
}

/// Open and active decisions (and those whose status is not a configured one) by
/// uncertainty mode ([`UncertaintyMode`]); closed decisions are not counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Modes {
    pub lead: usize,
    pub split: usize,
    pub manage: usize,
    /// Records without an `uncertainty` budget.
    pub unset: usize,
    /// Records whose budget leaves a bucket unscored (no mode: an unscored bucket is not
    /// a 0).
    pub unscored: usize,
}

impl Modes {
    /// Count one record of status class `class` in `mode`.
    pub fn count(&mut self, class: Option<StatusClass>, mode: UncertaintyMode) {
        if class == Some(StatusClass::Closed) {
            return;
        }
        *match mode {
            UncertaintyMode::Lead => &mut self.lead,
            UncertaintyMode::Split => &mut self.split,
            UncertaintyMode::Manage => &mut self.manage,
            UncertaintyMode::Unset => &mut self.unset,
            UncertaintyMode::Unscored => &mut self.unscored,
        } += 1;
    }
}

/// Every figure of one period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodFigures {
    pub start: String,
    pub end: String,
    /// Decisions logged in the period.
    pub decided: usize,
    /// Raised → logged, over the decisions logged in the period.
    pub decision_latency: Hours,
    /// Raised → `date`, over the decisions logged in the period.
    pub time_to_decide: Hours,
    /// `date` → logged, over the decisions logged in the period.
    pub logging_latency: Hours,
    /// Decisions logged in the period that were decided after their due date.
    pub sla_breaches: usize,
    /// Priority changes + reversals + criteria edits in the period.
    pub volatility: usize,
    pub priority_changes: usize,
    pub reversals: usize,
    pub criteria_edits: usize,
    /// Reversals in the period by class (SPEC §9): active → closed and closed → active.
    pub active_to_closed: usize,
    pub closed_to_active: usize,
    /// Decisions (status class active or closed) at the period's end: the base of the
    /// reversal rates, as `reversal.decided` is for the whole log.
    pub decided_at_end: usize,
    /// Each class's reversals in the period over `decided_at_end`.
    pub active_to_closed_rate: Option<f64>,
    pub closed_to_active_rate: Option<f64>,
    /// Open decisions at the period's end.
    pub open: usize,
    /// Exceptions in force (status class active) at the period's end.
    pub active_exceptions: usize,
    /// The largest one decider's share of open and active decisions at the period's end.
    pub top_decider_share: Option<f64>,
    /// The largest one person's share of open and active decisions at the period's end,
    /// counting whom the `decider` names and whom `agree` names (once per decision).
    pub top_decider_with_agree_share: Option<f64>,
    /// Uncertainty modes at the period's end.
    pub uncertainty: Modes,
}

/// The figures of every period, oldest first.
pub fn series<'a>(
    decided: &[Decided],
    history: &'a HistoryFacts,
    windows: &[Window],
) -> Vec<PeriodFigures> {
    let mut figures: Vec<PeriodFigures> = windows
        .iter()
        .map(|w| PeriodFigures {
            start: w.first_day.to_string(),
            end: w.last_day.to_string(),
            decided: 0,
            decision_latency: Hours::default(),
            time_to_decide: Hours::default(),
            logging_latency: Hours::default(),
            sla_breaches: 0,
            volatility: 0,
            priority_changes: 0,
            reversals: 0,
            criteria_edits: 0,
            active_to_closed: 0,
            closed_to_active: 0,
            decided_at_end: 0,
            active_to_closed_rate: None,
            closed_to_active_rate: None,
            open: 0,
            active_exceptions: 0,
            top_decider_share: None,
            top_decider_with_agree_share: None,
            uncertainty: Modes::default(),
        })
        .collect();
    let index = |time: i64| windows.iter().position(|w| w.holds(time));
    let mut samples: Vec<[Vec<f64>; 3]> = vec![Default::default(); windows.len()];
    for d in decided {
        let Some(i) = d.logged.and_then(index) else {
            continue;
        };
        if let (Some(f), Some(s)) = (figures.get_mut(i), samples.get_mut(i)) {
            f.decided += 1;
            f.sla_breaches += usize::from(d.late);
            let [latency, decide, logging] = s;
            latency.extend(d.latency_hours);
            decide.extend(d.decide_hours);
            logging.extend(d.logging_hours);
        }
    }
    for (f, [latency, decide, logging]) in figures.iter_mut().zip(samples) {
        f.decision_latency = Hours::of(latency);
        f.time_to_decide = Hours::of(decide);
        f.logging_latency = Hours::of(logging);
    }
    let mut count = |time: i64, field: fn(&mut PeriodFigures) -> &mut usize| {
        if let Some(f) = index(time).and_then(|i| figures.get_mut(i)) {
            *field(f) += 1;
            f.volatility += 1;
        }
    };
    for c in &history.priority_changes {
        count(c.time, |f| &mut f.priority_changes);
    }
    for c in &history.reversals {
        count(c.time, |f| &mut f.reversals);
    }
    for c in &history.criteria_edits {
        count(c.time, |f| &mut f.criteria_edits);
    }
    for c in &history.reversals {
        if let Some(f) = index(c.time).and_then(|i| figures.get_mut(i)) {
            *if c.closes {
                &mut f.active_to_closed
            } else {
                &mut f.closed_to_active
            } += 1;
        }
    }
    // The state of the log at each period's end, replaying the timeline once.
    let mut states: HashMap<&str, &timeline::State> = HashMap::new();
    let mut steps = history.timeline.steps.iter().peekable();
    for (w, f) in windows.iter().zip(figures.iter_mut()) {
        while let Some(step) = steps.next_if(|s| s.time < w.end) {
            for change in &step.changes {
                match &change.after {
                    Some(state) => states.insert(change.key.as_str(), state),
                    None => states.remove(change.key.as_str()),
                };
            }
        }
        let mut in_flight = 0usize;
        let mut deciders: BTreeMap<&str, usize> = BTreeMap::new();
        let mut with_agree: BTreeMap<&str, usize> = BTreeMap::new();
        for state in states.values() {
            match state.class {
                Some(StatusClass::Open) => f.open += 1,
                Some(StatusClass::Active) if state.exception => f.active_exceptions += 1,
                _ => {}
            }
            if matches!(state.class, Some(StatusClass::Active | StatusClass::Closed)) {
                f.decided_at_end += 1;
            }
            f.uncertainty.count(state.class, state.mode);
            if matches!(state.class, Some(StatusClass::Open | StatusClass::Active)) {
                in_flight += 1;
                let tally = |names: &mut Vec<&'a str>, into: &mut BTreeMap<&'a str, usize>| {
                    names.sort_unstable();
                    names.dedup();
                    for name in names.iter() {
                        *into.entry(name).or_default() += 1;
                    }
                };
                let mut named: Vec<&str> = state.deciders.iter().map(String::as_str).collect();
                tally(&mut named, &mut deciders);
                named.extend(state.agree.iter().map(String::as_str));
                tally(&mut named, &mut with_agree);
            }
        }
        #[allow(clippy::cast_precision_loss)] // counts of records
        let top = |tally: &BTreeMap<&str, usize>| {
            tally
                .values()
                .max()
                .map(|&n| n as f64 / in_flight.max(1) as f64)
        };
        f.top_decider_share = top(&deciders);
        f.top_decider_with_agree_share = top(&with_agree);
        #[allow(clippy::cast_precision_loss)] // counts of records
        let rate = |n: usize| (f.decided_at_end > 0).then(|| n as f64 / f.decided_at_end as f64);
        f.active_to_closed_rate = rate(f.active_to_closed);
        f.closed_to_active_rate = rate(f.closed_to_active);
    }
    figures
}

/// The paired indicator read from the last periods of the series.
#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    /// How many last periods were read (`signal_periods`).
    pub periods: usize,
    /// Decision latency (median, raised → logged) and plan volatility both rose across
    /// the periods: the seed's "leadership is missing".
    pub leadership_missing: bool,
    /// Active exceptions rose across the periods.
    pub exceptions_accumulating: bool,
    /// The numbers behind it, oldest first.
    pub latency_median_hours: Vec<Option<f64>>,
    pub volatility: Vec<usize>,
    pub active_exceptions: Vec<usize>,
    /// What the numbers say, in plain words.
    pub messages: Vec<String>,
}

/// Whether values rose across the window: never fell from one period to the next, and
/// ended higher than they started.
fn rose(values: &[f64]) -> bool {
    values.len() >= 2
        && values.windows(2).all(|w| matches!(w, [a, b] if b >= a))
        && matches!((values.first(), values.last()), (Some(a), Some(b)) if b > a)
}

fn list_hours(values: &[Option<f64>]) -> String {
    values
        .iter()
        .map(|v| v.map_or_else(|| "–".to_string(), |h| format!("{h:.1} h")))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn list_counts(values: &[usize]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Read the signal from the last `signal_periods` periods of `series`.
pub fn signal(series: &[PeriodFigures], config: &Config) -> Signal {
    let n = usize::try_from(config.signal_periods)
        .unwrap_or(usize::MAX)
        .max(2);
    let last = series.get(series.len().saturating_sub(n)..).unwrap_or(&[]);
    let latency: Vec<Option<f64>> = last
        .iter()
        .map(|p| p.decision_latency.median_hours)
        .collect();
    let volatility: Vec<usize> = last.iter().map(|p| p.volatility).collect();
    let exceptions: Vec<usize> = last.iter().map(|p| p.active_exceptions).collect();
    #[allow(clippy::cast_precision_loss)] // small counts
    let as_f64 = |v: &[usize]| v.iter().map(|&x| x as f64).collect::<Vec<f64>>();
    let whole = last.len() == n;
    let known_latency: Option<Vec<f64>> = latency.iter().copied().collect();
    let leadership_missing =
        whole && known_latency.as_deref().is_some_and(rose) && rose(&as_f64(&volatility));
    let exceptions_accumulating = whole && rose(&as_f64(&exceptions));
    let days = config.period_days;
    let span = format!("the last {n} periods of {days} days");
    let mut messages = Vec::new();
    if !whole {
        messages.push(format!(
            "not judged: the history covers {} of the {n} periods the signal reads",
            last.len()
        ));
    } else if leadership_missing {
        messages.push(format!(
            "Leadership is missing: decision latency (median hours from raised to logged) and plan volatility rose together over {span}: latency {}, volatility {} changes per period.",
            list_hours(&latency),
            list_counts(&volatility)
        ));
    } else if known_latency.is_none() {
        messages.push(format!(
            "Latency and volatility not judged together: some of {span} logged no decision (latency {}, volatility {}).",
            list_hours(&latency),
            list_counts(&volatility)
        ));
    } else {
        messages.push(format!(
            "Latency and volatility did not rise together over {span}: latency {}, volatility {}.",
            list_hours(&latency),
            list_counts(&volatility)
        ));
    }
    if exceptions_accumulating {
        messages.push(format!(
            "Exceptions are accumulating: active exceptions rose {} over {span} — a failure to invest in secure-by-default delivery.",
            list_counts(&exceptions)
        ));
    }
    Signal {
        periods: n,
        leadership_missing,
        exceptions_accumulating,
        latency_median_hours: latency,
        volatility,
        active_exceptions: exceptions,
        messages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn windows_end_with_today_and_start_at_the_oldest() {
        let today = day(2026, 6, 1);
        let end = day(2026, 6, 2)
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
            .timestamp();
        let w = windows(today, 14, Some(end - 15 * 86_400), chrono_tz::Tz::UTC);
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].last_day, today);
        assert_eq!(w[1].first_day, day(2026, 5, 19));
        assert_eq!(w[0].last_day, day(2026, 5, 18));
        assert!(w[1].holds(end - 1) && !w[1].holds(end));
        assert_eq!(windows(today, 14, None, chrono_tz::Tz::UTC).len(), 1);
        assert_eq!(windows(today, 7, Some(0), chrono_tz::Tz::UTC).len(), 26);
    }

    #[test]
    fn rising_means_never_falling_and_ending_higher() {
        assert!(rose(&[1.0, 2.0, 3.0]));
        assert!(rose(&[1.0, 1.0, 3.0]));
        assert!(!rose(&[1.0, 3.0, 2.0]));
        assert!(!rose(&[2.0, 2.0, 2.0]));
        assert!(!rose(&[1.0]));
    }

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[3.0], 0.9), Some(3.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
    }
}
