//! `declint stats`: how the decision log is doing, from the records (and, with
//! `--history`, from one walk of the git history).
//!
//! Measures: decision latency (raised → date), logging latency (date → first commit),
//! plan volatility (priority changes per 14 days), open and overdue counts, the reversal
//! rate, decider concentration against the bottleneck threshold, and the uncertainty
//! modes. Printed for people (`human`), for tools (`json`, versioned) or for a GitHub job
//! summary or README (`markdown`, with Mermaid charts).

use crate::cli::{EXIT_OK, Env, Global, StatsArgs, write_all};
use crate::config::{Config, StatusClass, madr_superseded_target};
use crate::error::Result;
use crate::output::escape::{json_pretty, markdown_cell, mermaid_label, terminal};
use crate::record::Record;
use crate::rules::governance::concentration;
use crate::rules::time::DeadlineKind;
use crate::workspace::Workspace;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::collections::HashSet;
use std::io::Write;

/// The `--format` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Human,
    Json,
    Markdown,
}

/// The version of the JSON shape; bumped on any incompatible change.
pub const STATS_SCHEMA_VERSION: u32 = 2;

/// The length of a volatility period, in days.
pub const PERIOD_DAYS: i64 = 14;

/// The most periods the volatility series shows (about a year).
const MAX_PERIODS: i64 = 26;

pub fn run(args: StatsArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let records = workspace.load_records(&[])?;
    let history = if args.history {
        Some(read_history(&workspace)?)
    } else {
        None
    };
    let today = crate::timeline::today(global.today, &workspace.config);
    let stats = compute(&records, &workspace.config, today, history.as_ref());
    let text = match args.format {
        StatsFormat::Human => human(&stats),
        StatsFormat::Json => json_pretty(&stats) + "\n",
        StatsFormat::Markdown => markdown(&stats),
    };
    write_all(out, &text)?;
    Ok(EXIT_OK)
}

/// What the git history says, as plain data: the timeline's facts (SPEC §9), the same
/// ones DL305 and the change rules read.
#[derive(Debug, Clone, Default)]
pub struct HistoryFacts {
    /// Record key → when it was logged (first committed decided), unix seconds.
    pub logged: crate::timeline::Logged,
    /// Every change of an existing record's priority rank, oldest first.
    pub priority_changes: Vec<crate::timeline::PriorityChange>,
    /// Records that were ever reversed (active ↔ closed).
    pub reversed: HashSet<String>,
    pub commits_walked: usize,
    /// Versions in the history that do not read as text: the DL005 findings
    /// `check --history` gives for them.
    pub unread: Vec<crate::finding::Finding>,
}

impl HistoryFacts {
    pub fn of(timeline: &crate::timeline::Timeline, config: &Config) -> Self {
        HistoryFacts {
            logged: timeline.logged(),
            priority_changes: timeline.priority_changes(),
            reversed: timeline.reversed(),
            commits_walked: timeline.commits_walked,
            unread: crate::check::unread_version_findings(
                &crate::rules::EnabledRules::new(config),
                &timeline.unread,
                config,
            ),
        }
    }
}

/// One walk of the history reachable from HEAD, limited to the decision folders.
fn read_history(workspace: &Workspace) -> Result<HistoryFacts> {
    let layout = workspace.layout();
    let folders: Vec<String> = layout
        .decision_folders()?
        .iter()
        .map(|f| layout.display(f))
        .collect();
    let exclude = layout.exclude_set()?;
    let walk = crate::git::history::Walk {
        folders: &folders,
        exclude: &exclude,
        config: &workspace.config,
    };
    let timeline = crate::git::history::walk(&workspace.root, &walk)?;
    Ok(HistoryFacts::of(&timeline, &workspace.config))
}

/// Everything `stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The JSON document's version; the key `check` and `list` use too (it was `version`
    /// in version 1).
    pub schema_version: u32,
    pub today: String,
    pub decisions: Counts,
    pub overdue: Overdue,
    pub decision_latency: Latency,
    /// Only with `--history`.
    pub logging_latency: Option<LoggingLatency>,
    /// Only with `--history`.
    pub volatility: Option<Volatility>,
    /// Only with `--history`: versions of decision files in the history that do not read
    /// as text (larger than `max_file_bytes`, not UTF-8, binary: DL005), so the figures
    /// above leave them out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<Vec<Unread>>,
    pub reversal: Reversal,
    pub concentration: Concentration,
    pub uncertainty: Modes,
}

/// A DL005 finding on a version in the history, as `stats` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    pub code: &'static str,
    pub severity: crate::finding::Severity,
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub total: usize,
    pub open: usize,
    pub active: usize,
    pub closed: usize,
    /// Records whose status is missing or not configured.
    pub unknown: usize,
    pub max_open: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Overdue {
    /// Decisions with at least one missed deadline.
    pub total: usize,
    /// Open decisions past `due` (default: `raised` + `decision_sla_hours`).
    pub open_past_due: usize,
    /// Active decisions past `review_by`.
    pub active_past_review: usize,
    /// Active exceptions past `expires`.
    pub exceptions_past_expiry: usize,
    pub items: Vec<OverdueItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverdueItem {
    pub id: Option<String>,
    pub path: String,
    /// `due`, `review_by` or `expires`.
    pub reason: &'static str,
    pub since: String,
}

/// Days from `raised` to `date` over decided records.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Latency {
    pub count: usize,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

/// Hours from a decision's `date` to the commit that first added its file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoggingLatency {
    pub count: usize,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Logged later than `log_within_hours`.
    pub late: usize,
    pub log_within_hours: u32,
}

/// Priority changes per 14-day period, newest period last.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Volatility {
    pub changes: usize,
    pub per_14_days: f64,
    pub periods: Vec<Period>,
    pub commits_walked: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub start: String,
    pub end: String,
    pub changes: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Reversal {
    /// Records no longer open (active or closed).
    pub decided: usize,
    pub reversed: usize,
    pub superseded: usize,
    /// (reversed + superseded) / decided.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Concentration {
    /// Open and active decisions (the base of every share).
    pub decisions: usize,
    pub threshold: f64,
    pub min_decisions: usize,
    /// Some decider holds more than `threshold`, and there are at least `min_decisions`.
    pub bottleneck: bool,
    pub deciders: Vec<DeciderShare>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeciderShare {
    pub name: String,
    pub decisions: usize,
    pub share: f64,
    pub over_threshold: bool,
}

/// Open and active decisions by uncertainty mode: lead (sum > 9), manage (sum < 6), split
/// otherwise; closed decisions are not counted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Modes {
    pub lead: usize,
    pub split: usize,
    pub manage: usize,
    /// Open and active records without an `uncertainty` budget.
    pub unset: usize,
    /// Open and active records whose budget leaves a bucket unscored (no mode: an
    /// unscored bucket is not a 0).
    pub unscored: usize,
}

/// Compute every measure. `history` adds logging latency and volatility.
pub fn compute(
    records: &[Record],
    config: &Config,
    today: NaiveDate,
    history: Option<&HistoryFacts>,
) -> Stats {
    let mut counts = Counts {
        max_open: config.max_open,
        ..Counts::default()
    };
    let mut overdue = Overdue::default();
    let mut latencies = Vec::new();
    let mut reversal = Reversal::default();
    let mut modes = Modes::default();

    for record in records {
        counts.total += 1;
        let class = record.status_class(config);
        match class {
            Some(StatusClass::Open) => counts.open += 1,
            Some(StatusClass::Active) => counts.active += 1,
            Some(StatusClass::Closed) => counts.closed += 1,
            None => counts.unknown += 1,
        }
        let fields = &record.fields;
        if let Some(days) = crate::timeline::decision_latency_days(record, config) {
            latencies.push(days);
        }
        // The same deadlines DL301-DL303 check (see rules::time).
        let mut late = false;
        for deadline in crate::rules::time::deadlines(record, config) {
            if deadline.days_late(today).is_none() {
                continue;
            }
            late = true;
            let reason = match deadline.kind {
                DeadlineKind::Due => {
                    overdue.open_past_due += 1;
                    "due"
                }
                DeadlineKind::Review => {
                    overdue.active_past_review += 1;
                    "review_by"
                }
                DeadlineKind::Expires => {
                    overdue.exceptions_past_expiry += 1;
                    "expires"
                }
            };
            overdue.items.push(OverdueItem {
                id: record.id().map(str::to_string),
                path: record.path.clone(),
                reason,
                since: deadline.date.to_string(),
            });
        }
        overdue.total += usize::from(late);
        if matches!(class, Some(StatusClass::Active | StatusClass::Closed)) {
            reversal.decided += 1;
            let reversed = crate::timeline::reads_as_reversed(record, config)
                || history
                    .is_some_and(|h| h.reversed.contains(&crate::timeline::record_key(record)));
            let status = record.status().unwrap_or("").trim().to_ascii_lowercase();
            if reversed && (status == "superseded" || madr_superseded_target(&status).is_some()) {
                reversal.superseded += 1;
            } else if reversed {
                reversal.reversed += 1;
            }
        }
        // Closed decisions are no longer managed in any mode.
        if class != Some(StatusClass::Closed) {
            match &fields.uncertainty {
                None => modes.unset += 1,
                Some(u) => match (u.value.market, u.value.technical, u.value.organizational) {
                    (Some(_), Some(_), Some(_)) => match u.value.sum() {
                        s if s > 9 => modes.lead += 1,
                        s if s < 6 => modes.manage += 1,
                        _ => modes.split += 1,
                    },
                    _ => modes.unscored += 1,
                },
            }
        }
    }
    reversal.rate = (reversal.decided > 0)
        .then(|| (reversal.reversed + reversal.superseded) as f64 / reversal.decided as f64);

    // The same count DL206 reads (rules::governance::concentration).
    let counted = concentration(
        records,
        |i| records.get(i).and_then(|r| r.status_class(config)),
        config.roster.as_ref(),
    );
    let mut deciders: Vec<DeciderShare> = counted
        .deciders
        .iter()
        .map(|d| DeciderShare {
            name: d.name.clone(),
            decisions: d.count,
            share: counted.share(d),
            over_threshold: d.count > 0 && counted.share(d) > config.bottleneck_share,
        })
        .collect();
    deciders.sort_by(|a, b| b.decisions.cmp(&a.decisions).then(a.name.cmp(&b.name)));
    let concentration = Concentration {
        decisions: counted.total,
        threshold: config.bottleneck_share,
        min_decisions: config.bottleneck_min,
        bottleneck: counted
            .deciders
            .iter()
            .any(|d| counted.is_bottleneck(d, config)),
        deciders,
    };

    latencies.sort_by(f64::total_cmp);
    let decision_latency = Latency {
        count: latencies.len(),
        median_days: percentile(&latencies, 0.5),
        p90_days: percentile(&latencies, 0.9),
    };

    Stats {
        schema_version: STATS_SCHEMA_VERSION,
        today: today.to_string(),
        decisions: counts,
        overdue,
        decision_latency,
        logging_latency: history.map(|h| logging_latency(records, config, h)),
        volatility: history.map(|h| volatility(h, today, config)),
        unread: history.map(|h| {
            h.unread
                .iter()
                .map(|f| Unread {
                    code: f.code,
                    severity: f.severity,
                    path: f.path.clone(),
                    message: f.message.clone(),
                })
                .collect()
        }),
        reversal,
        concentration,
        uncertainty: modes,
    }
}

/// Hours from each decided record's `date` (its instant: the end of a bare day, as DL305
/// reads it) to when it was logged (the first commit holding it decided); a record
/// logged before the end of its day counts as 0. "Late" is DL305's test: more than
/// `log_within_hours`.
fn logging_latency(records: &[Record], config: &Config, history: &HistoryFacts) -> LoggingLatency {
    let mut seconds: Vec<i64> = records
        .iter()
        .filter_map(|r| {
            let decided = crate::timeline::decided_at(r, config)?.timestamp();
            let logged = *history.logged.get(&crate::timeline::record_key(r))?;
            Some((logged - decided).max(0))
        })
        .collect();
    seconds.sort_unstable();
    let limit = i64::from(config.log_within_hours) * 3600;
    let hours: Vec<f64> = seconds.iter().map(|s| *s as f64 / 3600.0).collect();
    LoggingLatency {
        count: hours.len(),
        median_hours: percentile(&hours, 0.5),
        p90_hours: percentile(&hours, 0.9),
        late: seconds.iter().filter(|s| **s > limit).count(),
        log_within_hours: config.log_within_hours,
    }
}

/// Priority changes (a priority set, changed or removed in an existing record; adding a
/// record with a priority is not a change) in 14-day periods ending today, from the first
/// change (at most a year back).
fn volatility(history: &HistoryFacts, today: NaiveDate, config: &Config) -> Volatility {
    let times: Vec<i64> = history.priority_changes.iter().map(|c| c.time).collect();
    let end: NaiveDateTime = (today + Duration::days(1)).and_time(chrono::NaiveTime::MIN);
    // Today ends where the next day starts in the config's `timezone`.
    let end_ts = crate::timeline::start_of_day(end.date(), config.timezone)
        .map_or_else(|| end.and_utc().timestamp(), |t| t.timestamp());
    let period = PERIOD_DAYS * 86_400;
    let oldest = times.iter().copied().min().unwrap_or(end_ts);
    let span_periods = ((end_ts - oldest) / period + 1).clamp(1, MAX_PERIODS);
    let mut periods: Vec<Period> = (0..span_periods)
        .rev()
        .map(|i| {
            let stop = end - Duration::days(PERIOD_DAYS * i);
            let start = stop - Duration::days(PERIOD_DAYS);
            Period {
                start: start.date().to_string(),
                end: (stop.date() - Duration::days(1)).to_string(),
                changes: 0,
            }
        })
        .collect();
    let first_start = end_ts - span_periods * period;
    for t in &times {
        if *t >= first_start && *t < end_ts {
            let index = usize::try_from((*t - first_start) / period).unwrap_or(0);
            if let Some(p) = periods.get_mut(index) {
                p.changes += 1;
            }
        }
    }
    let in_window: usize = periods.iter().map(|p| p.changes).sum();
    Volatility {
        changes: times.len(),
        per_14_days: in_window as f64 / periods.len().max(1) as f64,
        periods,
        commits_walked: history.commits_walked,
    }
}

/// The `p` quantile of sorted values, linearly interpolated; `None` when empty.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p.clamp(0.0, 1.0) * last as f64;
    let low = rank.floor() as usize;
    let high = rank.ceil() as usize;
    let (a, b) = (sorted.get(low)?, sorted.get(high)?);
    Some(a + (b - a) * (rank - low as f64))
}

fn number(x: Option<f64>, unit: &str) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:.1} {unit}"))
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Each measure as (label, value) for the human and Markdown printers.
fn summary_rows(s: &Stats) -> Vec<(&'static str, String)> {
    let c = &s.decisions;
    let o = &s.overdue;
    let mut rows = vec![
        (
            "decisions",
            format!(
                "{} (open {}, active {}, closed {}{})",
                c.total,
                c.open,
                c.active,
                c.closed,
                if c.unknown > 0 {
                    format!(", unknown status {}", c.unknown)
                } else {
                    String::new()
                }
            ),
        ),
        ("open / max_open", format!("{} / {}", c.open, c.max_open)),
        (
            "overdue",
            format!(
                "{} (open past due {}, active past review_by {}, exceptions past expires {})",
                o.total, o.open_past_due, o.active_past_review, o.exceptions_past_expiry
            ),
        ),
        (
            "decision latency (raised → date)",
            format!(
                "median {}, p90 {} (n = {})",
                number(s.decision_latency.median_days, "d"),
                number(s.decision_latency.p90_days, "d"),
                s.decision_latency.count
            ),
        ),
    ];
    rows.push((
        "logging latency (date → first commit)",
        match &s.logging_latency {
            Some(l) => format!(
                "median {}, p90 {} (n = {}; {} later than {} h)",
                number(l.median_hours, "h"),
                number(l.p90_hours, "h"),
                l.count,
                l.late,
                l.log_within_hours
            ),
            None => "needs --history".to_string(),
        },
    ));
    rows.push((
        "plan volatility",
        match &s.volatility {
            Some(v) => format!(
                "{:.2} priority changes per 14 days ({} changes, {} commits read)",
                v.per_14_days, v.changes, v.commits_walked
            ),
            None => "needs --history".to_string(),
        },
    ));
    let r = &s.reversal;
    rows.push((
        "reversal rate",
        match r.rate {
            Some(rate) => format!(
                "{} ({} reversed + {} superseded of {} decided)",
                percent(rate),
                r.reversed,
                r.superseded,
                r.decided
            ),
            None => "– (nothing decided yet)".to_string(),
        },
    ));
    let k = &s.concentration;
    let top = k.deciders.first().map_or_else(
        || "no deciders".to_string(),
        |d| format!("top: {} with {}", d.name, percent(d.share)),
    );
    rows.push((
        "decider concentration",
        format!(
            "{top} of {} open and active; threshold {}{}",
            k.decisions,
            percent(k.threshold),
            if k.bottleneck {
                " — BOTTLENECK"
            } else if k.decisions < k.min_decisions {
                " (not checked below bottleneck_min)"
            } else {
                ""
            }
        ),
    ));
    let m = &s.uncertainty;
    rows.push((
        "uncertainty modes",
        format!(
            "lead {} (sum > 9), split {}, manage {} (sum < 6), not set {}, unscored {}",
            m.lead, m.split, m.manage, m.unset, m.unscored
        ),
    ));
    rows
}

/// Plain text for a terminal.
pub fn human(s: &Stats) -> String {
    let rows = summary_rows(s);
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = format!("declint stats ({})\n\n", s.today);
    for (k, v) in rows {
        out.push_str(&format!("{k:<width$}  {}\n", terminal(&v)));
    }
    if !s.overdue.items.is_empty() {
        out.push_str("\noverdue:\n");
        for item in &s.overdue.items {
            out.push_str(&format!(
                "  {} ({}) past {} {}\n",
                terminal(item.id.as_deref().unwrap_or("?")),
                terminal(&item.path),
                item.reason,
                item.since
            ));
        }
    }
    if let Some(unread) = s.unread.as_ref().filter(|u| !u.is_empty()) {
        out.push_str("\nnot read (left out of the figures):\n");
        for f in unread {
            out.push_str(&format!(
                "  {} {}: {}\n",
                f.code,
                terminal(&f.path),
                terminal(&f.message)
            ));
        }
    }
    out
}

/// Markdown with Mermaid charts, for `$GITHUB_STEP_SUMMARY` or a README.
pub fn markdown(s: &Stats) -> String {
    let mut out = format!(
        "## Decision log stats ({})\n\n| measure | value |\n|---|---|\n",
        s.today
    );
    for (k, v) in summary_rows(s) {
        out.push_str(&format!("| {k} | {} |\n", markdown_cell(&v)));
    }
    if !s.overdue.items.is_empty() {
        out.push_str("\n### Overdue\n\n| id | file | past | since |\n|---|---|---|---|\n");
        for item in &s.overdue.items {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                markdown_cell(item.id.as_deref().unwrap_or("")),
                markdown_cell(&item.path),
                item.reason,
                item.since
            ));
        }
    }
    if let Some(unread) = s.unread.as_ref().filter(|u| !u.is_empty()) {
        out.push_str(
            "\n### Not read (left out of the figures)\n\n| rule | file | why |\n|---|---|---|\n",
        );
        for f in unread {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                f.code,
                markdown_cell(&f.path),
                markdown_cell(&f.message)
            ));
        }
    }
    out.push_str("\n### Decider concentration\n\n");
    if s.concentration.deciders.is_empty() {
        out.push_str("No open or active decision names a decider.\n");
    } else {
        out.push_str("```mermaid\n");
        out.push_str(&concentration_chart(&s.concentration));
        out.push_str("```\n");
    }
    out.push_str("\n### Plan volatility\n\n");
    match &s.volatility {
        Some(v) => {
            out.push_str("```mermaid\n");
            out.push_str(&volatility_chart(v));
            out.push_str("```\n");
        }
        None => out.push_str("Run `declint stats --history` to read priority changes from git.\n"),
    }
    out
}

/// The most deciders a chart names; the rest are summed as "others".
const CHART_DECIDERS: usize = 12;

/// A bar per decider (share of open and active decisions, in %), and the threshold line.
pub fn concentration_chart(c: &Concentration) -> String {
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for d in c.deciders.iter().take(CHART_DECIDERS) {
        labels.push(mermaid_label(&d.name));
        values.push(d.share * 100.0);
    }
    let rest: f64 = c
        .deciders
        .iter()
        .skip(CHART_DECIDERS)
        .map(|d| d.share)
        .sum();
    if c.deciders.len() > CHART_DECIDERS {
        labels.push("\"others\"".to_string());
        values.push(rest * 100.0);
    }
    let threshold = c.threshold * 100.0;
    let top = values
        .iter()
        .copied()
        .fold(threshold, f64::max)
        .ceil()
        .min(100.0);
    let join = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{x:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "xychart-beta\n    title \"Share of open and active decisions by decider (bottleneck above {threshold:.1}%)\"\n    x-axis [{}]\n    y-axis \"share %\" 0 --> {top}\n    bar [{}]\n    line [{}]\n",
        labels.join(", "),
        join(&values),
        join(&vec![threshold; values.len()]),
    )
}

/// Priority changes per 14-day period, oldest first.
pub fn volatility_chart(v: &Volatility) -> String {
    let labels: Vec<String> = v
        .periods
        .iter()
        .map(|p| format!("\"{}\"", p.start.get(5..).unwrap_or(&p.start)))
        .collect();
    let values: Vec<String> = v.periods.iter().map(|p| p.changes.to_string()).collect();
    let top = v
        .periods
        .iter()
        .map(|p| p.changes)
        .max()
        .unwrap_or(0)
        .max(1);
    format!(
        "xychart-beta\n    title \"Priority changes per 14 days (period start, MM-DD)\"\n    x-axis [{}]\n    y-axis \"changes\" 0 --> {top}\n    bar [{}]\n",
        labels.join(", "),
        values.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    fn record(path: &str, yaml: &str) -> Record {
        Record::parse(
            path.into(),
            format!("---\n{yaml}---\n# T\n"),
            &Config::default(),
        )
    }

    fn sample() -> Vec<Record> {
        vec![
            record(
                "d/0001-a.md",
                "status: accepted\ndecider: ana\nraised: 2026-05-01\ndate: 2026-05-02\nreview_by: 2026-05-20\nuncertainty: {market: 5, technical: 4, organizational: 3}\n",
            ),
            record(
                "d/0002-b.md",
                "status: accepted\ndecider: ana\nraised: 2026-05-01\ndate: 2026-05-05\n",
            ),
            record(
                "d/0003-c.md",
                "status: reversed\ndecider: bo\nraised: 2026-04-01\ndate: 2026-04-11\nuncertainty: {market: 1, technical: 1}\n",
            ),
            record(
                "d/0004-d.md",
                "status: proposed\ndecider: bo\nraised: 2026-05-29\nuncertainty: {}\n",
            ),
            record(
                "d/0005-e.md",
                "status: proposed\ndecider: ana\nraised: 2026-05-30\nuncertainty: {market: 3, technical: 3, organizational: 1}\n",
            ),
            record(
                "d/0006-f.md",
                "kind: exception\nstatus: accepted\ndecider: cy\ndate: 2026-01-01\nexpires: 2026-03-01\n",
            ),
        ]
    }

    #[test]
    fn counts_latency_overdue_reversal_concentration_modes() {
        let s = compute(&sample(), &Config::default(), today(), None);
        assert_eq!(
            (
                s.decisions.total,
                s.decisions.open,
                s.decisions.active,
                s.decisions.closed
            ),
            (6, 2, 3, 1)
        );
        // Latencies 1, 4, 10 days.
        assert_eq!(s.decision_latency.count, 3);
        assert_eq!(s.decision_latency.median_days, Some(4.0));
        assert!((s.decision_latency.p90_days.unwrap_or(0.0) - 8.8).abs() < 1e-9);
        // 0004 raised 05-29 is due 05-30 12:00 → overdue on 06-01; 0005 raised 05-30 is due 05-31.
        assert_eq!(s.overdue.open_past_due, 2);
        assert_eq!(s.overdue.active_past_review, 1);
        assert_eq!(s.overdue.exceptions_past_expiry, 1);
        assert_eq!(s.overdue.total, 4);
        assert_eq!((s.reversal.decided, s.reversal.reversed), (4, 1));
        assert_eq!(s.reversal.rate, Some(0.25));
        // Open + active: 5; ana holds 3.
        assert_eq!(s.concentration.decisions, 5);
        assert_eq!(s.concentration.deciders[0].name, "ana");
        assert!(s.concentration.deciders[0].over_threshold);
        assert!(!s.concentration.bottleneck, "below bottleneck_min");
        assert_eq!(
            (
                s.uncertainty.lead,
                s.uncertainty.split,
                s.uncertainty.manage,
                s.uncertainty.unset,
                s.uncertainty.unscored
            ),
            // The closed 0003 counts in no mode; the empty budget of 0004 is unscored,
            // not "manage".
            (1, 1, 0, 2, 1)
        );
        assert!(s.logging_latency.is_none() && s.volatility.is_none());
    }

    #[test]
    fn nothing_overdue_on_time() {
        let records = vec![record(
            "d/0001-a.md",
            "status: proposed\nraised: 2026-05-31\n",
        )];
        let s = compute(&records, &Config::default(), today(), None);
        assert_eq!(s.overdue.total, 0);
        assert_eq!(s.reversal.rate, None);
        assert_eq!(s.decision_latency.median_days, None);
    }

    #[test]
    fn history_gives_logging_latency_and_volatility() {
        let ts = |y, m, d, h| {
            NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .map(|t| t.and_utc().timestamp())
                .unwrap_or(0)
        };
        let mut history = HistoryFacts::default();
        // Bare dates count from the end of their day, as DL305 reads them.
        history.logged.insert("id:0001".into(), ts(2026, 5, 3, 10));
        history.logged.insert("id:0002".into(), ts(2026, 5, 8, 0));
        history.logged.insert("id:0003".into(), ts(2026, 3, 1, 0));
        history.priority_changes = vec![
            crate::timeline::PriorityChange {
                key: String::new(),
                path: "d/0001-a.md".into(),
                time: ts(2026, 5, 30, 0),
                from: Some("P1".into()),
                to: Some("P0".into()),
            },
            crate::timeline::PriorityChange {
                key: String::new(),
                path: "d/0001-a.md".into(),
                time: ts(2026, 5, 25, 0),
                from: Some("P2".into()),
                to: Some("P1".into()),
            },
            crate::timeline::PriorityChange {
                key: String::new(),
                path: "d/0002-b.md".into(),
                time: ts(2026, 5, 1, 0),
                from: None,
                to: Some("P2".into()),
            },
            crate::timeline::PriorityChange {
                key: String::new(),
                path: "d/0002-b.md".into(),
                time: ts(2026, 4, 1, 0),
                from: Some("P3".into()),
                to: Some("P2".into()),
            },
        ];
        history.commits_walked = 9;
        let s = compute(&sample(), &Config::default(), today(), Some(&history));
        let l = s.logging_latency.expect("logging latency");
        // 10 h, 48 h, and 0 h (committed before its date).
        assert_eq!(l.count, 3);
        assert_eq!(l.median_hours, Some(10.0));
        assert_eq!(l.late, 1);
        let v = s.volatility.expect("volatility");
        assert_eq!(v.changes, 4);
        assert_eq!(v.periods.last().map(|p| p.changes), Some(2));
        assert_eq!(v.periods.last().map(|p| p.end.as_str()), Some("2026-06-01"));
        assert_eq!(v.periods.iter().map(|p| p.changes).sum::<usize>(), 4);
        assert!(volatility_chart(&v).contains("bar ["));
    }

    #[test]
    fn markdown_carries_both_charts_with_safe_labels() {
        let mut records = sample();
        records.push(record(
            "d/0007-g.md",
            "status: accepted\ndecider: 'we\"ird [name]'\n",
        ));
        let history = HistoryFacts::default();
        let s = compute(&records, &Config::default(), today(), Some(&history));
        let md = markdown(&s);
        assert_eq!(md.matches("```mermaid").count(), 2, "{md}");
        assert!(md.contains("\"weird name\""), "{md}");
        assert!(md.contains("line [38.6"), "{md}");
        let json = serde_json::to_value(&s).expect("json");
        assert_eq!(json["schema_version"], STATS_SCHEMA_VERSION);
        assert!(json.get("version").is_none());
    }

    #[test]
    fn percentiles_interpolate() {
        assert_eq!(percentile(&[], 0.5), None);
        assert_eq!(percentile(&[3.0], 0.9), Some(3.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
    }
}
