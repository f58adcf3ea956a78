//! The decision timeline (SPEC §9): one definition of every time-based fact, read by the
//! rules (DL301, DL305, DL307, DL5xx) and by `stats`, so that the two can never disagree.
//!
//! - **Identity**: a record is its key ([`record_key`]: its id, else its path), whatever
//!   file it lives in; renames, folder moves and rewrites keep it.
//! - **Instants**: [`instant`] turns a date field into a moment. A bare `date` is the end
//!   of its day (benefit of the doubt for "logged within 24 h"), a bare `raised` its start;
//!   a bare day is a day in the config's `timezone` (IANA, default UTC), and [`day_of`] is
//!   the calendar day a field (or [`day_at`] a moment) falls on there. "Today" is a day
//!   there too ([`today`]).
//! - **Decided**: a state whose status is of class active or closed and that has a `date`.
//! - **Logged**: the earliest commit whose tree holds the record decided
//!   ([`Timeline::logged`]), never the file's first commit and never "now".
//! - **Reversal**: a move between the active and closed classes ([`is_reversal`]).
//! - **Priority**: compared by rank ([`priority_key`], `P3` = `3`).
//!
//! The git walk (`git::history`) hands over plain [`Step`]s; everything here is plain data,
//! so each fact is tested without a repository. docs/timeline.md is the user-facing page.

use crate::config::{Config, StatusClass};
use crate::record::Record;
use crate::record::fields::DateValue;
use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Which end of a bare day an instant stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayEdge {
    /// 00:00 of the day (`raised`: the question existed from the start of the day).
    Start,
    /// The last moment of the day (`date`: decided at the latest by its end).
    End,
}

/// The moment a date field stands for: an RFC 3339 date-time as written; a bare
/// `YYYY-MM-DD` at `edge` of that day in `zone` (the end is the next day's start, so a day
/// across a daylight-saving change is 23 or 25 hours long).
pub fn instant(value: &DateValue, edge: DayEdge, zone: Tz) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value.raw.trim()) {
        return Some(at.with_timezone(&Utc));
    }
    let day = value.date?;
    Some(match edge {
        DayEdge::Start => start_of_day(day, zone),
        DayEdge::End => start_of_day(day.succ_opt()?, zone),
    })
}

/// The first moment of `day` in `zone`: its midnight, or, where a daylight-saving change
/// skips midnight, the first minute that exists (a day skipped whole starts where the next
/// one does). Period boundaries in `stats` and `digest` are these moments too.
pub fn start_of_day(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    let mut at = midnight;
    let end = day
        .succ_opt()
        .map_or(midnight, |d| d.and_time(NaiveTime::MIN));
    while at <= end {
        match zone.from_local_datetime(&at) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => at += chrono::Duration::minutes(15),
        }
    }
    // No zone skips more than a day; the calendar's last day has no next one.
    midnight.and_utc()
}

/// The calendar day a moment falls on in `zone`.
pub fn day_at(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    at.with_timezone(&zone).date_naive()
}

/// The calendar day a date field names, in `zone`: a bare day as written, a date-time the
/// day its instant falls on there. Deadlines (`due`, `review_by`, `expires`), the day a
/// decision was made (DL307) and evidence dates compare these days.
pub fn day_of(value: &DateValue, zone: Tz) -> Option<NaiveDate> {
    match DateTime::parse_from_rfc3339(value.raw.trim()) {
        Ok(at) => Some(day_at(at.with_timezone(&Utc), zone)),
        Err(_) => value.date,
    }
}

/// "Today": the day given (`--today`, `DECLINT_TODAY`), else the day it is now in the
/// config's `timezone` — never the machine's local zone, so CI and laptops agree.
pub fn today(given: Option<NaiveDate>, config: &Config) -> NaiveDate {
    given.unwrap_or_else(|| day_at(Utc::now(), config.timezone))
}

/// Whether a date field is a bare day (no time of day).
pub fn is_bare_day(value: &DateValue) -> bool {
    value.date.is_some() && DateTime::parse_from_rfc3339(value.raw.trim()).is_err()
}

/// When the decision was made, at the latest: `date` (end of a bare day).
pub fn decided_at(record: &Record, config: &Config) -> Option<DateTime<Utc>> {
    instant(
        &record.fields.date.as_ref()?.value,
        DayEdge::End,
        config.timezone,
    )
}

/// When the question was raised: `raised` (start of a bare day).
pub fn raised_at(record: &Record, config: &Config) -> Option<DateTime<Utc>> {
    instant(
        &record.fields.raised.as_ref()?.value,
        DayEdge::Start,
        config.timezone,
    )
}

/// Days from `raised` to `date` for a decided record. Two bare days compare whole days
/// (raised Monday, decided Wednesday: 2), as deadlines do; otherwise the two instants,
/// with the hours kept. `None` when either is missing or `date` is before `raised`.
pub fn decision_latency_days(record: &Record, config: &Config) -> Option<f64> {
    if !matches!(
        record.status_class(config),
        Some(StatusClass::Active | StatusClass::Closed)
    ) {
        return None;
    }
    let raised = &record.fields.raised.as_ref()?.value;
    let date = &record.fields.date.as_ref()?.value;
    let days = if is_bare_day(raised) && is_bare_day(date) {
        let (raised, date): (NaiveDate, NaiveDate) = (raised.date?, date.date?);
        (date - raised).num_days() as f64
    } else {
        let raised = instant(raised, DayEdge::Start, config.timezone)?;
        // The decision's own instant when it has one; a bare day against a date-time
        // raised counts from the start of the day too (the same day is latency 0+).
        let date = instant(date, DayEdge::Start, config.timezone)?;
        (date - raised).num_seconds() as f64 / 86_400.0
    };
    (days >= 0.0).then_some(days)
}

/// A record's identity across commits: its id (explicit, or from the file name's
/// number), else its path. The same key in two commits is the same record, whatever file
/// holds it.
pub fn record_key(record: &Record) -> String {
    match record.id() {
        Some(id) if !id.trim().is_empty() => format!("id:{}", id.trim().to_ascii_lowercase()),
        _ => format!("path:{}", record.path),
    }
}

/// The priority as compared: its rank when it reads as one (`P1` = `1`), else its text
/// (case and surrounding space ignored). A respelling keeps the key.
pub fn priority_key(record: &Record) -> Option<String> {
    record.fields.priority.as_ref().map(|p| {
        p.value.rank.map_or_else(
            || p.value.raw.trim().to_ascii_lowercase(),
            |r| r.to_string(),
        )
    })
}

/// Whether a status change reverses a decision: active → closed (accepted → rejected,
/// deprecated, superseded, reversed, or any custom closed status) or closed → active.
/// Deciding an open question (open → active or closed) is not a reversal.
pub fn is_reversal(before: Option<StatusClass>, after: Option<StatusClass>) -> bool {
    matches!(
        (before, after),
        (Some(StatusClass::Active), Some(StatusClass::Closed))
            | (Some(StatusClass::Closed), Some(StatusClass::Active))
    )
}

/// Whether a record in its current state is a reversed decision, for a log read without
/// its history: closed, and not simply rejected as a question (a status that no active
/// decision moves to, i.e. `rejected` of an open question, is told apart only with the
/// history; here a closed record counts unless its status is `rejected`).
pub fn reads_as_reversed(record: &Record, config: &Config) -> bool {
    record.status_class(config) == Some(StatusClass::Closed)
        && !record
            .status()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("rejected"))
}

/// One record as it stood in one commit: the facts the timeline needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub path: String,
    pub status: Option<String>,
    pub class: Option<StatusClass>,
    /// Status class active or closed, with a `date`.
    pub decided: bool,
    /// [`priority_key`] and the priority as written.
    pub priority: Option<String>,
    pub priority_text: Option<String>,
    /// The reversal criteria, normalised as the change rules compare them.
    pub criteria: Vec<String>,
    /// `kind: exception`: an entry of the exception register.
    pub exception: bool,
    /// Each person the `decider` names, by [`crate::people::identity`].
    pub deciders: Vec<String>,
    /// Each person under `agree`, by [`crate::people::identity`].
    pub agree: Vec<String>,
    /// The uncertainty mode the record's budget puts it in.
    pub mode: UncertaintyMode,
}

/// The mode an uncertainty budget asks for (the seed's rule): lead when the three scores
/// sum above 9, manage below 6, split otherwise. A budget with a bucket left unscored has
/// no mode (an unscored bucket is not a 0); a record without a budget is unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UncertaintyMode {
    Lead,
    Split,
    Manage,
    Unset,
    Unscored,
}

impl UncertaintyMode {
    pub fn of(record: &Record) -> UncertaintyMode {
        match &record.fields.uncertainty {
            None => UncertaintyMode::Unset,
            Some(u) => match (u.value.market, u.value.technical, u.value.organizational) {
                (Some(_), Some(_), Some(_)) => match u.value.sum() {
                    s if s > 9 => UncertaintyMode::Lead,
                    s if s < 6 => UncertaintyMode::Manage,
                    _ => UncertaintyMode::Split,
                },
                _ => UncertaintyMode::Unscored,
            },
        }
    }
}

/// Whether a record is decided: its status is of class active or closed and it has a
/// `date`.
pub fn is_decided(record: &Record, config: &Config) -> bool {
    matches!(
        record.status_class(config),
        Some(StatusClass::Active | StatusClass::Closed)
    ) && record.fields.date.is_some()
}

impl State {
    pub fn of(record: &Record, config: &Config) -> State {
        let class = record.status_class(config);
        State {
            path: record.path.clone(),
            status: record.status().map(|s| s.trim().to_string()),
            class,
            decided: is_decided(record, config),
            priority: priority_key(record),
            priority_text: record
                .fields
                .priority
                .as_ref()
                .map(|p| p.value.raw.trim().to_string()),
            criteria: crate::record::criteria::criteria(record),
            exception: record.is_exception(),
            deciders: record
                .fields
                .decider
                .as_ref()
                .map(|d| people(&d.value.names, config))
                .unwrap_or_default(),
            agree: record
                .fields
                .agree
                .as_ref()
                .map(|a| people(&a.value, config))
                .unwrap_or_default(),
            mode: UncertaintyMode::of(record),
        }
    }
}

/// Each person of `names` by [`crate::people::identity`], the unnamed left out.
fn people(names: &[crate::record::fields::Text], config: &Config) -> Vec<String> {
    names
        .iter()
        .map(|n| crate::people::identity(config.roster.as_ref(), &n.text).into_owned())
        .filter(|n| !n.is_empty())
        .collect()
}

/// Whether reversal criteria were edited: a criterion of `before` changed or removed.
/// Adding criteria, and adding the first ones above all, is not an edit. DL504 and plan
/// volatility read this one definition.
pub fn criteria_edited(before: &[String], after: &[String]) -> bool {
    before.iter().any(|c| !after.contains(c))
}

/// What one commit did to one record: its state in the commit's first parent and in the
/// commit (absent: not in the log there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    pub key: String,
    pub before: Option<State>,
    pub after: Option<State>,
}

/// One commit of the walk that changed records. A merge commit's changes are those it
/// makes relative to its first parent that no other parent already had (conflict
/// resolutions, "evil merges", records added only in the merge).
#[derive(Debug, Clone)]
pub struct Step {
    pub commit: String,
    /// Committer time, unix seconds.
    pub time: i64,
    pub author: String,
    pub changes: Vec<RecordChange>,
}

/// The history of the log: every commit's record changes, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub steps: Vec<Step>,
    /// How many commits the walk visited (merges included).
    pub commits_walked: usize,
    /// Versions of decision files the walk could not read as a record (larger than
    /// `max_file_bytes`, not UTF-8, binary), each in the commit that brought it in: never
    /// a silent skip, each becomes a DL005 finding.
    pub unread: Vec<UnreadVersion>,
}

/// A version of a decision file, brought in by one commit, that does not read as text:
/// the load problem `Record::from_bytes` found (for one over `max_file_bytes`, the size
/// comes from the object header and the content is never read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadVersion {
    pub commit: String,
    /// Committer time, unix seconds.
    pub time: i64,
    pub author: String,
    pub path: String,
    pub problem: crate::record::LoadProblem,
}

/// A change of a record's priority rank in an existing record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityChange {
    pub key: String,
    pub path: String,
    pub time: i64,
    /// The priority as written before and after (`None`: no priority).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A status change between the active and closed classes ([`is_reversal`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReversalEvent {
    pub key: String,
    pub path: String,
    pub time: i64,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Active → closed (`true`) or closed → active (`false`).
    pub closes: bool,
}

/// An edit of an existing record's reversal criteria ([`criteria_edited`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaEdit {
    pub key: String,
    pub path: String,
    pub time: i64,
}

/// When each record was logged, unix seconds, by [`record_key`].
pub type Logged = HashMap<String, i64>;

impl Timeline {
    /// Logged: for each record, the earliest commit whose tree holds it decided — the
    /// earliest commit that makes it decided (added decided, or decided while open). A
    /// record that moves or is edited while decided keeps the time it was decided at; one
    /// decided before the walked range (`--base`: before the merge base) has none here.
    pub fn logged(&self) -> Logged {
        let mut logged = Logged::new();
        for step in &self.steps {
            for change in &step.changes {
                let was_decided = change.before.as_ref().is_some_and(|s| s.decided);
                if !was_decided && change.after.as_ref().is_some_and(|s| s.decided) {
                    logged
                        .entry(change.key.clone())
                        .and_modify(|t| *t = (*t).min(step.time))
                        .or_insert(step.time);
                }
            }
        }
        logged
    }

    /// Every change of an existing record's priority rank (setting or removing one
    /// included; adding a record with a priority is not a change), oldest first.
    pub fn priority_changes(&self) -> Vec<PriorityChange> {
        let mut changes = Vec::new();
        for step in &self.steps {
            for change in &step.changes {
                let (Some(before), Some(after)) = (&change.before, &change.after) else {
                    continue;
                };
                if before.priority != after.priority {
                    changes.push(PriorityChange {
                        key: change.key.clone(),
                        path: after.path.clone(),
                        time: step.time,
                        from: before.priority_text.clone(),
                        to: after.priority_text.clone(),
                    });
                }
            }
        }
        changes
    }

    /// Every reversal ([`is_reversal`]) of an existing record, oldest first.
    pub fn reversals(&self) -> Vec<ReversalEvent> {
        let mut events = Vec::new();
        for step in &self.steps {
            for change in &step.changes {
                let (Some(before), Some(after)) = (&change.before, &change.after) else {
                    continue;
                };
                if is_reversal(before.class, after.class) {
                    events.push(ReversalEvent {
                        key: change.key.clone(),
                        path: after.path.clone(),
                        time: step.time,
                        from: before.status.clone(),
                        to: after.status.clone(),
                        closes: after.class == Some(StatusClass::Closed),
                    });
                }
            }
        }
        events
    }

    /// Every edit of an existing record's reversal criteria ([`criteria_edited`]), oldest
    /// first.
    pub fn criteria_edits(&self) -> Vec<CriteriaEdit> {
        let mut edits = Vec::new();
        for step in &self.steps {
            for change in &step.changes {
                let (Some(before), Some(after)) = (&change.before, &change.after) else {
                    continue;
                };
                if criteria_edited(&before.criteria, &after.criteria) {
                    edits.push(CriteriaEdit {
                        key: change.key.clone(),
                        path: after.path.clone(),
                        time: step.time,
                    });
                }
            }
        }
        edits
    }
}

/// A unix time in `zone`, as `2026-02-20 14:00 UTC` or `2026-02-20 15:00 CET`.
pub fn describe_time(seconds: i64, zone: Tz) -> String {
    DateTime::from_timestamp(seconds, 0).map_or_else(
        || seconds.to_string(),
        |t| {
            t.with_timezone(&zone)
                .format("%Y-%m-%d %H:%M %Z")
                .to_string()
        },
    )
}

/// A duration that is exact where it matters: `3 days 4 h`, `24 h 0 min 1 s`.
pub fn describe_duration(seconds: i64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (hours, minutes, secs) = (rest / 3600, rest % 3600 / 60, rest % 60);
    if days >= 2 {
        return format!("{days} days {hours} h");
    }
    let hours = hours + days * 24;
    match (minutes, secs) {
        (0, 0) => format!("{hours} h"),
        (m, 0) => format!("{hours} h {m} min"),
        (m, s) => format!("{hours} h {m} min {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Record {
        Record::parse(
            "decisions/0001-a.md".into(),
            format!("---\n{yaml}---\n"),
            &Config::default(),
        )
    }

    #[test]
    fn bare_date_is_end_of_day_raised_start() {
        let r = parse("status: accepted\nraised: 2026-02-01\ndate: 2026-02-03\n");
        let utc = Config::default();
        assert_eq!(
            decided_at(&r, &utc).map(|t| t.to_rfc3339()),
            Some("2026-02-04T00:00:00+00:00".into())
        );
        assert_eq!(
            raised_at(&r, &utc).map(|t| t.to_rfc3339()),
            Some("2026-02-01T00:00:00+00:00".into())
        );
        assert_eq!(decision_latency_days(&r, &Config::default()), Some(2.0));
    }

    #[test]
    fn date_times_keep_their_time_of_day() {
        let r = parse(
            "status: accepted\nraised: 2026-02-01T06:00:00Z\ndate: 2026-02-02T18:00:00+02:00\n",
        );
        // 06:00Z to 16:00Z the next day: 34 hours.
        assert_eq!(
            decision_latency_days(&r, &Config::default()),
            Some(34.0 / 24.0)
        );
    }

    fn zone(name: &str) -> Tz {
        name.parse().expect("a zone chrono-tz knows")
    }

    fn at(zone: Tz, day: &str, edge: DayEdge) -> Option<String> {
        instant(&DateValue::parse(day), edge, zone).map(|t| t.to_rfc3339())
    }

    #[test]
    fn a_bare_day_is_a_day_in_the_configured_zone_across_daylight_saving() {
        let berlin = zone("Europe/Berlin");
        // An ordinary winter day: 00:00 CET is 23:00 UTC the day before.
        assert_eq!(
            at(berlin, "2026-01-15", DayEdge::Start).as_deref(),
            Some("2026-01-14T23:00:00+00:00")
        );
        // 2026-03-29, clocks go forward at 02:00: the day is 23 hours long.
        let start = instant(&DateValue::parse("2026-03-29"), DayEdge::Start, berlin);
        let end = instant(&DateValue::parse("2026-03-29"), DayEdge::End, berlin);
        assert_eq!(
            start.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-03-28T23:00:00+00:00")
        );
        assert_eq!(
            end.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-03-29T22:00:00+00:00")
        );
        assert_eq!(end.zip(start).map(|(e, s)| (e - s).num_hours()), Some(23));
        // 2026-10-25, clocks go back at 03:00: 25 hours.
        let start = instant(&DateValue::parse("2026-10-25"), DayEdge::Start, berlin);
        let end = instant(&DateValue::parse("2026-10-25"), DayEdge::End, berlin);
        assert_eq!(end.zip(start).map(|(e, s)| (e - s).num_hours()), Some(25));
        // A date-time keeps its own instant whatever the zone.
        assert_eq!(
            at(berlin, "2026-03-29T12:00:00Z", DayEdge::End).as_deref(),
            Some("2026-03-29T12:00:00+00:00")
        );
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_its_first_minute() {
        // America/Santiago moves 00:00 → 01:00 on 2026-09-06: the day starts at 01:00
        // local (-03:00), which is 04:00 UTC, the same moment the day before ended.
        let santiago = zone("America/Santiago");
        assert_eq!(
            at(santiago, "2026-09-06", DayEdge::Start).as_deref(),
            Some("2026-09-06T04:00:00+00:00")
        );
        assert_eq!(
            at(santiago, "2026-09-05", DayEdge::End).as_deref(),
            Some("2026-09-06T04:00:00+00:00")
        );
        // Samoa skipped 2011-12-30 whole: it starts where 12-31 does.
        let apia = zone("Pacific/Apia");
        assert_eq!(
            at(apia, "2011-12-30", DayEdge::Start),
            at(apia, "2011-12-31", DayEdge::Start)
        );
    }

    #[test]
    fn the_day_of_a_date_time_is_its_day_in_the_zone() {
        let new_york = zone("America/New_York");
        let late_evening = DateValue::parse("2026-06-01T23:30:00-04:00");
        assert_eq!(
            day_of(&late_evening, new_york),
            NaiveDate::from_ymd_opt(2026, 6, 1)
        );
        assert_eq!(
            day_of(&late_evening, Tz::UTC),
            NaiveDate::from_ymd_opt(2026, 6, 2)
        );
        // A bare day is the day written, in any zone.
        assert_eq!(
            day_of(&DateValue::parse("2026-06-01"), zone("Pacific/Kiritimati")),
            NaiveDate::from_ymd_opt(2026, 6, 1)
        );
    }

    #[test]
    fn reversal_is_by_class() {
        use StatusClass::*;
        assert!(is_reversal(Some(Active), Some(Closed)));
        assert!(is_reversal(Some(Closed), Some(Active)));
        assert!(!is_reversal(Some(Open), Some(Closed)));
        assert!(!is_reversal(Some(Open), Some(Active)));
        assert!(!is_reversal(Some(Closed), Some(Closed)));
    }

    #[test]
    fn priority_by_rank_and_identity_by_id() {
        assert_eq!(
            priority_key(&parse("priority: P3\n")),
            priority_key(&parse("priority: 3\n"))
        );
        let moved = Record::parse(
            "adr/0001-renamed.md".into(),
            "---\ntitle: x\n---\n".into(),
            &Config::default(),
        );
        assert_eq!(record_key(&moved), record_key(&parse("title: y\n")));
    }

    #[test]
    fn durations_never_round_down_to_the_limit() {
        assert_eq!(describe_duration(24 * 3600 + 1), "24 h 0 min 1 s");
        assert_eq!(describe_duration(30 * 3600), "30 h");
        assert_eq!(describe_duration(3 * 86_400 + 4 * 3600 + 5), "3 days 4 h");
    }
}
