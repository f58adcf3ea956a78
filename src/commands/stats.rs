//! `declint stats`: how the decision log is doing, from the records (and, with
//! `--history`, from one walk of the git history), for the manager running the practice
//! (SPEC §12).
//!
//! Figures: decision latency (hours from `raised` to the decision logged), time to decide
//! (`raised` → `date`), logging latency (`date` → logged), SLA breaches, plan volatility
//! (priority changes, reversals and criteria edits per period), open and overdue counts,
//! active exceptions, the reversal rate by class, decider concentration (decider, and
//! decider + agree) against the bottleneck threshold, and the uncertainty modes. With
//! `--history` every figure also per period and the mode-error signal
//! ([`crate::telemetry`]); with `--by` per tag or decider. Every time fact is the
//! timeline's ([`crate::timeline`]). Printed for people (`human`), for tools (`json`,
//! versioned) or for a GitHub job summary or README (`markdown`, with Mermaid charts).

use crate::config::{Config, StatusClass};
use crate::error::Result;
use crate::escape::{json_pretty, markdown_cell, mermaid_label, mermaid_title, terminal};
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::record::Record;
use crate::rules::governance::concentration;
use crate::rules::time::DeadlineKind;
use crate::telemetry::{Decided, HistoryFacts, Hours, Modes, PeriodFigures, Signal};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Also read the git history: decision and logging latency, plan volatility, every
    /// figure per period, and the mode-error signal.
    #[arg(long)]
    pub history: bool,

    /// Also give the figures per tag or per decider.
    #[arg(long, value_enum, value_name = "GROUP")]
    pub by: Option<crate::commands::stats::GroupBy>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = crate::commands::stats::StatsFormat::Human)]
    pub format: crate::commands::stats::StatsFormat,
}

/// The `--format` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Human,
    Json,
    Markdown,
}

/// The `--by` choices: figures per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GroupBy {
    /// One group per tag (a record with two tags is in both; untagged ones in `(untagged)`).
    Tag,
    /// One group per person named as decider (by the same-person rule).
    Decider,
}

/// The version of the JSON shape; bumped on any incompatible change (3: decision latency
/// is hours raised → logged, the old raised → date figure is `time_to_decide` in hours,
/// volatility counts reversals and criteria edits per `period`).
pub const STATS_SCHEMA_VERSION: u32 = 3;

pub fn run(args: StatsArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let records = workspace.load_records(&[])?;
    let history = if args.history {
        Some(read_history(&workspace)?)
    } else {
        None
    };
    let today = crate::timeline::today(global.today, &workspace.config);
    let mut stats = compute(&records, &workspace.config, today, history.as_ref());
    if let Some(by) = args.by {
        stats.groups = Some(groups(
            &records,
            &workspace.config,
            today,
            history.as_ref(),
            by,
        ));
    }
    let text = match args.format {
        StatsFormat::Human => human(&stats),
        StatsFormat::Json => json_pretty(&stats) + "\n",
        StatsFormat::Markdown => markdown(&stats),
    };
    write_all(out, &text)?;
    Ok(EXIT_OK)
}

/// One walk of the history reachable from HEAD, limited to the decision folders.
pub(crate) fn read_history(workspace: &Workspace) -> Result<HistoryFacts> {
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
    Ok(HistoryFacts::of(timeline, &workspace.config))
}

/// Everything `stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// The JSON document's version; the key `check` and `list` use too.
    pub schema_version: u32,
    pub today: String,
    /// The length of a period in days (`period` in the config).
    pub period_days: u32,
    pub decisions: Counts,
    pub overdue: Overdue,
    /// Hours from `raised` to the decision logged (the seed's decision latency). Only
    /// with `--history`.
    pub decision_latency: Option<Hours>,
    /// Hours from `raised` to `date`.
    pub time_to_decide: Hours,
    /// Only with `--history`.
    pub logging_latency: Option<LoggingLatency>,
    pub sla: Sla,
    /// Only with `--history`.
    pub volatility: Option<Volatility>,
    /// Only with `--history`: versions of decision files in the history that do not read
    /// as text (larger than `max_file_bytes`, not UTF-8, binary: DL005), so the figures
    /// above leave them out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unread: Option<Vec<Unread>>,
    pub reversal: Reversal,
    pub exceptions: Exceptions,
    pub concentration: Concentration,
    /// The same count over everyone named as decider or under `agree`.
    pub concentration_with_agree: Concentration,
    pub uncertainty: Modes,
    /// Only with `--history`: every figure per period, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<PeriodFigures>>,
    /// Only with `--history`: the mode-error signal read from the last periods.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<Signal>,
    /// Only with `--by`: the figures of each group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Groups>,
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

/// Hours from a decision's `date` to when it was logged.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoggingLatency {
    pub count: usize,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Logged later than `log_within_hours`.
    pub late: usize,
    pub log_within_hours: u32,
}

/// Decisions that broke the SLA: decided after their due date (DL307's test; the due
/// date is `due`, else `raised` + `decision_sla_hours`), and open ones past it (DL301).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sla {
    pub sla_hours: u32,
    pub decided_late: usize,
    pub open_past_due: usize,
}

/// Priority changes, reversals and criteria edits per period, newest period last.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Volatility {
    /// Priority changes + reversals + criteria edits, over the whole history.
    pub changes: usize,
    pub priority_changes: usize,
    pub reversals: usize,
    pub criteria_edits: usize,
    /// The average of `changes` per period over the periods shown.
    pub per_period: f64,
    pub period_days: u32,
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
    /// Only with `--history`: the reversals of the history by class.
    pub by_class: Option<ReversalClasses>,
}

/// Reversals by status class (SPEC §9: never by status name).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReversalClasses {
    /// Active → closed (accepted → rejected, deprecated, superseded, reversed, …).
    pub active_to_closed: usize,
    /// Closed → active (a reversed decision back in force).
    pub closed_to_active: usize,
    /// Each over the decided records.
    pub active_to_closed_rate: Option<f64>,
    pub closed_to_active_rate: Option<f64>,
}

/// Exceptions of the register.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Exceptions {
    /// In force: `kind: exception` with a status of class active.
    pub active: usize,
    /// Of those, past `expires` (DL303).
    pub past_expiry: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Concentration {
    /// Open and active decisions (the base of every share).
    pub decisions: usize,
    pub threshold: f64,
    pub min_decisions: usize,
    /// Some person holds more than `threshold`, and there are at least `min_decisions`.
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

/// The figures per group of `--by`.
#[derive(Debug, Clone, Serialize)]
pub struct Groups {
    /// `tag` or `decider`.
    pub by: &'static str,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub name: String,
    /// The group's figures; with `--history` its series over the log's periods and its
    /// signal (no groups of its own).
    pub stats: Stats,
}

#[allow(clippy::cast_precision_loss)] // counts of records are far below 2^52
fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Compute every figure. `history` adds decision and logging latency, volatility, the
/// reversal classes, the series and the signal.
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
    let mut decided = Vec::new();
    let mut reversal = Reversal::default();
    let mut exceptions = Exceptions::default();
    let mut modes = Modes::default();
    let logged = history.map(|h| &h.logged);
    let reversed_keys: HashSet<&str> = history
        .map(|h| h.reversals.iter().map(|r| r.key.as_str()).collect())
        .unwrap_or_default();

    for record in records {
        counts.total += 1;
        let class = record.status_class(config);
        match class {
            Some(StatusClass::Open) => counts.open += 1,
            Some(StatusClass::Active) => counts.active += 1,
            Some(StatusClass::Closed) => counts.closed += 1,
            None => counts.unknown += 1,
        }
        if record.is_exception() && class == Some(StatusClass::Active) {
            exceptions.active += 1;
        }
        decided.extend(Decided::of(record, config, logged));
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
                || (!reversed_keys.is_empty()
                    && reversed_keys.contains(crate::timeline::record_key(record).as_str()));
            let status = record.status().unwrap_or("").trim().to_ascii_lowercase();
            if reversed && status == "superseded" {
                reversal.superseded += 1;
            } else if reversed {
                reversal.reversed += 1;
            }
        }
        // Closed decisions are no longer managed in any mode.
        modes.count(class, crate::timeline::UncertaintyMode::of(record));
    }
    exceptions.past_expiry = overdue.exceptions_past_expiry;
    reversal.rate = ratio(reversal.reversed + reversal.superseded, reversal.decided);
    reversal.by_class = history.map(|h| {
        let present: HashSet<String> = records.iter().map(crate::timeline::record_key).collect();
        let (closing, opening): (Vec<_>, Vec<_>) = h
            .reversals
            .iter()
            .filter(|r| present.contains(&r.key))
            .partition(|r| r.closes);
        ReversalClasses {
            active_to_closed: closing.len(),
            closed_to_active: opening.len(),
            active_to_closed_rate: ratio(closing.len(), reversal.decided),
            closed_to_active_rate: ratio(opening.len(), reversal.decided),
        }
    });

    let sla = Sla {
        sla_hours: config.decision_sla_hours,
        decided_late: decided.iter().filter(|d| d.late).count(),
        open_past_due: overdue.open_past_due,
    };
    let series = history.filter(|h| !h.timeline.steps.is_empty()).map(|h| {
        let windows =
            crate::telemetry::windows(today, config.period_days, h.oldest(), config.timezone);
        crate::telemetry::series(&decided, h, &windows)
    });
    let signal = series
        .as_deref()
        .map(|s| crate::telemetry::signal(s, config));

    Stats {
        schema_version: STATS_SCHEMA_VERSION,
        today: today.to_string(),
        period_days: config.period_days,
        decisions: counts,
        overdue,
        decision_latency: history
            .map(|_| Hours::of(decided.iter().filter_map(|d| d.latency_hours).collect())),
        time_to_decide: Hours::of(decided.iter().filter_map(|d| d.decide_hours).collect()),
        logging_latency: history.map(|_| logging_latency(&decided, config)),
        sla,
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
        exceptions,
        concentration: decider_concentration(records, config),
        concentration_with_agree: agree_concentration(records, config),
        uncertainty: modes,
        series,
        signal,
        groups: None,
    }
}

/// The same count DL206 reads (rules::governance::concentration).
fn decider_concentration(records: &[Record], config: &Config) -> Concentration {
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
    Concentration {
        decisions: counted.total,
        threshold: config.bottleneck_share,
        min_decisions: config.bottleneck_min,
        bottleneck: counted
            .deciders
            .iter()
            .any(|d| counted.is_bottleneck(d, config)),
        deciders,
    }
}

/// Each person named as decider or under `agree` of an open or active decision, counted
/// once per decision (people compared by [`crate::people::identity`]), against the same
/// threshold.
fn agree_concentration(records: &[Record], config: &Config) -> Concentration {
    let roster = config.roster.as_ref();
    let mut tally: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut total = 0;
    for record in records {
        if !matches!(
            record.status_class(config),
            Some(StatusClass::Open | StatusClass::Active)
        ) {
            continue;
        }
        total += 1;
        let deciders = record.fields.decider.iter().flat_map(|d| &d.value.names);
        let agree = record.fields.agree.iter().flat_map(|a| &a.value);
        let mut seen = HashSet::new();
        for name in deciders.chain(agree) {
            let key = crate::people::identity(roster, &name.text).into_owned();
            if key.is_empty() || !seen.insert(key.clone()) {
                continue;
            }
            let shown = roster
                .and_then(|r| r.handle_of(&name.text))
                .unwrap_or(&name.text)
                .trim()
                .to_string();
            tally.entry(key).or_insert((shown, 0)).1 += 1;
        }
    }
    let mut people: Vec<DeciderShare> = tally
        .into_values()
        .map(|(name, n)| {
            let share = ratio(n, total).unwrap_or(0.0);
            DeciderShare {
                name,
                decisions: n,
                share,
                over_threshold: share > config.bottleneck_share,
            }
        })
        .collect();
    people.sort_by(|a, b| b.decisions.cmp(&a.decisions).then(a.name.cmp(&b.name)));
    Concentration {
        decisions: total,
        threshold: config.bottleneck_share,
        min_decisions: config.bottleneck_min,
        bottleneck: total >= config.bottleneck_min && people.iter().any(|p| p.over_threshold),
        deciders: people,
    }
}

/// Hours from each decided record's `date` instant (the end of a bare day, as DL305
/// reads it) to when it was logged; a record logged before its date instant counts as
/// 0. "Late" is DL305's test: more than `log_within_hours`.
fn logging_latency(decided: &[Decided], config: &Config) -> LoggingLatency {
    let hours: Vec<f64> = decided.iter().filter_map(|d| d.logging_hours).collect();
    let limit = f64::from(config.log_within_hours);
    let late = hours.iter().filter(|h| **h > limit).count();
    let figure = Hours::of(hours);
    LoggingLatency {
        count: figure.count,
        median_hours: figure.median_hours,
        p90_hours: figure.p90_hours,
        late,
        log_within_hours: config.log_within_hours,
    }
}

/// Priority changes (a priority set, changed or removed in an existing record; adding a
/// record with a priority is not a change), reversals and criteria edits, in periods
/// ending today, from the first of them (at most [`crate::telemetry::MAX_PERIODS`]).
fn volatility(history: &HistoryFacts, today: NaiveDate, config: &Config) -> Volatility {
    let times: Vec<i64> = history
        .priority_changes
        .iter()
        .map(|c| c.time)
        .chain(history.reversals.iter().map(|c| c.time))
        .chain(history.criteria_edits.iter().map(|c| c.time))
        .collect();
    let windows = crate::telemetry::windows(
        today,
        config.period_days,
        times.iter().copied().min(),
        config.timezone,
    );
    let periods: Vec<Period> = windows
        .iter()
        .map(|w| Period {
            start: w.first_day.to_string(),
            end: w.last_day.to_string(),
            changes: times.iter().filter(|t| w.holds(**t)).count(),
        })
        .collect();
    let in_window: usize = periods.iter().map(|p| p.changes).sum();
    Volatility {
        changes: times.len(),
        priority_changes: history.priority_changes.len(),
        reversals: history.reversals.len(),
        criteria_edits: history.criteria_edits.len(),
        per_period: ratio(in_window, periods.len()).unwrap_or(0.0),
        period_days: config.period_days,
        periods,
        commits_walked: history.commits_walked,
    }
}

/// The figures of each group of `--by`, largest group first.
pub fn groups(
    records: &[Record],
    config: &Config,
    today: NaiveDate,
    history: Option<&HistoryFacts>,
    by: GroupBy,
) -> Groups {
    // Group key → (name as first written, indices of its records).
    let mut members: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, record) in records.iter().enumerate() {
        let names: Vec<String> = match by {
            GroupBy::Tag => record
                .fields
                .tags
                .iter()
                .flat_map(|t| &t.value)
                .map(|t| t.text.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            GroupBy::Decider => record
                .fields
                .decider
                .iter()
                .flat_map(|d| &d.value.names)
                .map(|n| n.text.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect(),
        };
        let names = if names.is_empty() {
            vec![match by {
                GroupBy::Tag => "(untagged)".to_string(),
                GroupBy::Decider => "(no decider)".to_string(),
            }]
        } else {
            names
        };
        let mut seen = HashSet::new();
        for name in names {
            let key = match by {
                GroupBy::Tag => name.to_lowercase(),
                GroupBy::Decider => {
                    crate::people::identity(config.roster.as_ref(), &name).into_owned()
                }
            };
            if seen.insert(key.clone()) {
                members.entry(key).or_insert((name, Vec::new())).1.push(i);
            }
        }
    }
    let mut groups: Vec<Group> = members
        .into_values()
        .map(|(name, indices)| {
            let subset: Vec<Record> = indices
                .iter()
                .filter_map(|&i| records.get(i).cloned())
                .collect();
            let keys: HashSet<String> = subset.iter().map(crate::timeline::record_key).collect();
            let facts = history.map(|h| h.restricted(|k| keys.contains(k)));
            Group {
                name,
                stats: compute(&subset, config, today, facts.as_ref()),
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.stats
            .decisions
            .total
            .cmp(&a.stats.decisions.total)
            .then_with(|| a.name.cmp(&b.name))
    });
    Groups {
        by: match by {
            GroupBy::Tag => "tag",
            GroupBy::Decider => "decider",
        },
        groups,
    }
}

fn number(x: Option<f64>, unit: &str) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:.1} {unit}"))
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn hours_row(h: &Hours) -> String {
    format!(
        "median {}, p90 {} (n = {})",
        number(h.median_hours, "h"),
        number(h.p90_hours, "h"),
        h.count
    )
}

fn concentration_row(k: &Concentration, base: &str) -> String {
    let top = k.deciders.first().map_or_else(
        || "nobody named".to_string(),
        |d| format!("top: {} with {}", d.name, percent(d.share)),
    );
    format!(
        "{top} of {} {base}; threshold {}{}",
        k.decisions,
        percent(k.threshold),
        if k.bottleneck {
            " — BOTTLENECK"
        } else if k.decisions < k.min_decisions {
            " (not checked below bottleneck_min)"
        } else {
            ""
        }
    )
}

/// Each figure as (label, value) for the human and Markdown printers.
fn summary_rows(s: &Stats) -> Vec<(&'static str, String)> {
    let c = &s.decisions;
    let o = &s.overdue;
    let needs_history = || "needs --history".to_string();
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
            "active exceptions",
            format!(
                "{} ({} past expires)",
                s.exceptions.active, s.exceptions.past_expiry
            ),
        ),
        (
            "overdue",
            format!(
                "{} (open past due {}, active past review_by {}, exceptions past expires {})",
                o.total, o.open_past_due, o.active_past_review, o.exceptions_past_expiry
            ),
        ),
        (
            "decision latency (raised → logged)",
            s.decision_latency
                .as_ref()
                .map_or_else(needs_history, hours_row),
        ),
        (
            "time to decide (raised → date)",
            hours_row(&s.time_to_decide),
        ),
        (
            "logging latency (date → logged)",
            match &s.logging_latency {
                Some(l) => format!(
                    "median {}, p90 {} (n = {}; {} later than {} h)",
                    number(l.median_hours, "h"),
                    number(l.p90_hours, "h"),
                    l.count,
                    l.late,
                    l.log_within_hours
                ),
                None => needs_history(),
            },
        ),
        (
            "SLA breaches",
            format!(
                "{} decided after their due date, {} open past it (SLA {} h after raised)",
                s.sla.decided_late, s.sla.open_past_due, s.sla.sla_hours
            ),
        ),
        (
            "plan volatility",
            match &s.volatility {
                Some(v) => format!(
                    "{:.2} changes per {} days ({} priority changes, {} reversals, {} criteria edits; {} commits read)",
                    v.per_period,
                    v.period_days,
                    v.priority_changes,
                    v.reversals,
                    v.criteria_edits,
                    v.commits_walked
                ),
                None => needs_history(),
            },
        ),
    ];
    let r = &s.reversal;
    rows.push((
        "reversal rate",
        match r.rate {
            Some(rate) => format!(
                "{} ({} reversed + {} superseded of {} decided{})",
                percent(rate),
                r.reversed,
                r.superseded,
                r.decided,
                r.by_class.as_ref().map_or_else(String::new, |k| format!(
                    "; in the history {} active → closed, {} closed → active",
                    k.active_to_closed, k.closed_to_active
                ))
            ),
            None => "– (nothing decided yet)".to_string(),
        },
    ));
    rows.push((
        "decider concentration",
        concentration_row(&s.concentration, "open and active"),
    ));
    rows.push((
        "concentration (decider + agree)",
        concentration_row(&s.concentration_with_agree, "open and active"),
    ));
    let m = &s.uncertainty;
    rows.push((
        "uncertainty modes",
        format!(
            "lead {} (sum > 9), split {}, manage {} (sum < 6), not set {}, unscored {}",
            m.lead, m.split, m.manage, m.unset, m.unscored
        ),
    ));
    if let Some(signal) = &s.signal {
        rows.push(("mode-error signal", signal.messages.join(" ")));
    }
    rows
}

/// A series figure as it is printed and charted: its title, unit and value per period.
fn series_figures(series: &[PeriodFigures]) -> Vec<(&'static str, &'static str, Vec<f64>)> {
    #[allow(clippy::cast_precision_loss)] // small counts
    let count = |f: fn(&PeriodFigures) -> usize| series.iter().map(|p| f(p) as f64).collect();
    let hours =
        |f: fn(&PeriodFigures) -> Option<f64>| series.iter().map(|p| f(p).unwrap_or(0.0)).collect();
    let percents = |f: fn(&PeriodFigures) -> Option<f64>| {
        series.iter().map(|p| f(p).unwrap_or(0.0) * 100.0).collect()
    };
    vec![
        (
            "Decision latency, median hours raised → logged",
            "hours",
            hours(|p| p.decision_latency.median_hours),
        ),
        (
            "Decision latency, p90 hours raised → logged",
            "hours",
            hours(|p| p.decision_latency.p90_hours),
        ),
        (
            "Time to decide, median hours raised → date",
            "hours",
            hours(|p| p.time_to_decide.median_hours),
        ),
        (
            "Logging latency, median hours date → logged",
            "hours",
            hours(|p| p.logging_latency.median_hours),
        ),
        ("Decisions logged", "decisions", count(|p| p.decided)),
        (
            "SLA breaches (decided after due)",
            "decisions",
            count(|p| p.sla_breaches),
        ),
        (
            "Plan volatility (priority changes + reversals + criteria edits)",
            "changes",
            count(|p| p.volatility),
        ),
        ("Reversals", "reversals", count(|p| p.reversals)),
        (
            "Reversal rate active → closed (reversals in the period over decided at its end)",
            "percent",
            percents(|p| p.active_to_closed_rate),
        ),
        (
            "Reversal rate closed → active (reversals in the period over decided at its end)",
            "percent",
            percents(|p| p.closed_to_active_rate),
        ),
        ("Open decisions at period end", "open", count(|p| p.open)),
        (
            "Active exceptions at period end",
            "exceptions",
            count(|p| p.active_exceptions),
        ),
        (
            "Top decider share at period end",
            "percent",
            percents(|p| p.top_decider_share),
        ),
        (
            "Top decider + agree share at period end",
            "percent",
            percents(|p| p.top_decider_with_agree_share),
        ),
        (
            "Lead mode (uncertainty sum over 9) at period end",
            "decisions",
            count(|p| p.uncertainty.lead),
        ),
        (
            "Split mode at period end",
            "decisions",
            count(|p| p.uncertainty.split),
        ),
        (
            "Manage mode (uncertainty sum under 6) at period end",
            "decisions",
            count(|p| p.uncertainty.manage),
        ),
        (
            "Uncertainty not set at period end",
            "decisions",
            count(|p| p.uncertainty.unset),
        ),
        (
            "Uncertainty unscored at period end",
            "decisions",
            count(|p| p.uncertainty.unscored),
        ),
    ]
}

/// The line charts of every series figure, one fenced Mermaid block each.
fn series_charts(series: &[PeriodFigures]) -> String {
    series_figures(series)
        .into_iter()
        .map(|(title, unit, values)| {
            format!(
                "\n```mermaid\n{}```\n",
                line_chart(title, unit, series, &values)
            )
        })
        .collect()
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
    if let Some(series) = s.series.as_ref().filter(|s| !s.is_empty()) {
        out.push_str(&format!(
            "\nper period of {} days (latency: median hours raised → logged):\n  {:<23}  {:>7}  {:>9}  {:>10}  {:>4}  {:>10}\n",
            s.period_days, "period", "decided", "latency", "volatility", "open", "exceptions"
        ));
        for p in series {
            out.push_str(&format!(
                "  {:<23}  {:>7}  {:>9}  {:>10}  {:>4}  {:>10}\n",
                format!("{} – {}", p.start, p.end),
                p.decided,
                number(p.decision_latency.median_hours, "h"),
                p.volatility,
                p.open,
                p.active_exceptions
            ));
        }
    }
    if let Some(groups) = &s.groups {
        out.push_str(&format!("\nby {}:\n", groups.by));
        for g in &groups.groups {
            let st = &g.stats;
            out.push_str(&format!(
                "  {}: {} decisions ({} open), time to decide {}, SLA breaches {}, reversal rate {}\n",
                terminal(&g.name),
                st.decisions.total,
                st.decisions.open,
                number(st.time_to_decide.median_hours, "h"),
                st.sla.decided_late + st.sla.open_past_due,
                st.reversal.rate.map_or_else(|| "–".to_string(), percent)
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
    let mut out = format!("## Decision log stats ({})\n\n", s.today);
    if let Some(signal) = s
        .signal
        .as_ref()
        .filter(|g| g.leadership_missing || g.exceptions_accumulating)
    {
        for message in &signal.messages {
            out.push_str(&format!("> **{}**\n", markdown_cell(message)));
        }
        out.push('\n');
    }
    out.push_str("| figure | value |\n|---|---|\n");
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
    if let Some(groups) = &s.groups {
        out.push_str(&format!(
            "\n### By {}\n\n| {} | decisions | open | time to decide (median) | decision latency (median) | SLA breaches | reversal rate | volatility |\n|---|---|---|---|---|---|---|---|\n",
            groups.by, groups.by
        ));
        for g in &groups.groups {
            let st = &g.stats;
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                markdown_cell(&g.name),
                st.decisions.total,
                st.decisions.open,
                number(st.time_to_decide.median_hours, "h"),
                st.decision_latency
                    .as_ref()
                    .map_or_else(|| "–".to_string(), |h| number(h.median_hours, "h")),
                st.sla.decided_late + st.sla.open_past_due,
                st.reversal.rate.map_or_else(|| "–".to_string(), percent),
                st.volatility
                    .as_ref()
                    .map_or_else(|| "–".to_string(), |v| v.changes.to_string()),
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
        if let Some(note) = others_note(&s.concentration) {
            out.push_str(&format!("\n{}\n", markdown_cell(&note)));
        }
    }
    out.push_str("\n### Plan volatility\n\n");
    match &s.volatility {
        Some(v) => {
            out.push_str("```mermaid\n");
            out.push_str(&volatility_chart(v));
            out.push_str("```\n");
        }
        None => out.push_str(
            "Run `declint stats --history` to read priority changes, reversals and criteria edits from git.\n",
        ),
    }
    if let Some(series) = s.series.as_ref().filter(|s| !s.is_empty()) {
        out.push_str(&format!(
            "\n### Over time (periods of {} days; 0 where a period has no decision to measure)\n",
            s.period_days
        ));
        out.push_str(&series_charts(series));
    }
    if let Some(groups) = &s.groups {
        let with_series: Vec<(&Group, &[PeriodFigures])> = groups
            .groups
            .iter()
            .filter_map(|g| Some((g, g.stats.series.as_deref().filter(|s| !s.is_empty())?)))
            .collect();
        if !with_series.is_empty() {
            out.push_str(&format!(
                "\n### Over time by {} (the log's periods of {} days)\n",
                groups.by, s.period_days
            ));
        }
        for (g, series) in with_series {
            out.push_str(&format!(
                "\n<details><summary>{}</summary>\n{}\n</details>\n",
                markdown_cell(&g.name),
                series_charts(series)
            ));
        }
    }
    out
}

/// The most deciders a chart names; the rest are summed in a note under it.
const CHART_DECIDERS: usize = 12;

/// A bar per decider (share of open and active decisions, in %) for the twelve largest,
/// and the threshold line. The others are not drawn: their sum is no one person's share,
/// so it must not stand against the per-person threshold ([`others_note`] says it).
pub fn concentration_chart(c: &Concentration) -> String {
    let shown = c.deciders.iter().take(CHART_DECIDERS);
    let labels: Vec<String> = shown.clone().map(|d| mermaid_label(&d.name)).collect();
    let values: Vec<f64> = shown.map(|d| d.share * 100.0).collect();
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

/// What the concentration chart leaves out, when it leaves something out.
pub fn others_note(c: &Concentration) -> Option<String> {
    let rest = c.deciders.get(CHART_DECIDERS..).filter(|r| !r.is_empty())?;
    let share: f64 = rest.iter().map(|d| d.share).sum();
    let over = rest.iter().filter(|d| d.over_threshold).count();
    Some(format!(
        "Not drawn: {} more deciders, {} of open and active decisions together ({} of them above the threshold on their own).",
        rest.len(),
        percent(share),
        over
    ))
}

/// Plan volatility per period, oldest first.
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
        "xychart-beta\n    title \"Priority changes, reversals and criteria edits per {} days (period start, MM-DD)\"\n    x-axis [{}]\n    y-axis \"changes\" 0 --> {top}\n    bar [{}]\n",
        v.period_days,
        labels.join(", "),
        values.join(", "),
    )
}

/// One figure over the periods as a Mermaid line chart.
pub fn line_chart(title: &str, unit: &str, series: &[PeriodFigures], values: &[f64]) -> String {
    let labels: Vec<String> = series
        .iter()
        .map(|p| mermaid_label(p.start.get(5..).unwrap_or(&p.start)))
        .collect();
    let top = values.iter().copied().fold(1.0, f64::max).ceil();
    let values: Vec<String> = values.iter().map(|v| format!("{v:.1}")).collect();
    format!(
        "xychart-beta\n    title {}\n    x-axis [{}]\n    y-axis {} 0 --> {top}\n    line [{}]\n",
        mermaid_title(title),
        labels.join(", "),
        mermaid_label(unit),
        values.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::PriorityChange;

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
                "status: accepted\ndecider: ana\nagree: [bo]\nraised: 2026-05-01\ndate: 2026-05-02\nreview_by: 2026-05-20\nuncertainty: {market: 5, technical: 4, organizational: 3}\n",
            ),
            record(
                "d/0002-b.md",
                "status: accepted\ndecider: ana\nagree: [bo, '@Bo']\nraised: 2026-05-01\ndate: 2026-05-05\n",
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
        // Time to decide: 1, 4, 10 days.
        assert_eq!(s.time_to_decide.count, 3);
        assert_eq!(s.time_to_decide.median_hours, Some(96.0));
        assert!((s.time_to_decide.p90_hours.unwrap_or(0.0) - 8.8 * 24.0).abs() < 1e-9);
        // Raised → logged needs the history.
        assert!(s.decision_latency.is_none());
        // 0004 raised 05-29 is due 05-30 12:00 → overdue on 06-01; 0005 raised 05-30 is due 05-31.
        assert_eq!(s.overdue.open_past_due, 2);
        assert_eq!(s.overdue.active_past_review, 1);
        assert_eq!(s.overdue.exceptions_past_expiry, 1);
        assert_eq!(s.overdue.total, 4);
        // 0002 (raised 05-01, due 05-02, decided 05-05) and 0003 were decided late.
        assert_eq!((s.sla.decided_late, s.sla.open_past_due), (2, 2));
        assert_eq!((s.exceptions.active, s.exceptions.past_expiry), (1, 1));
        assert_eq!((s.reversal.decided, s.reversal.reversed), (4, 1));
        assert_eq!(s.reversal.rate, Some(0.25));
        // Open + active: 5; ana holds 3.
        assert_eq!(s.concentration.decisions, 5);
        assert_eq!(s.concentration.deciders[0].name, "ana");
        assert!(s.concentration.deciders[0].over_threshold);
        assert!(!s.concentration.bottleneck, "below bottleneck_min");
        // With agree: bo is in 0001, 0002 (once, `@Bo` is bo) and 0004.
        let with_agree = &s.concentration_with_agree.deciders;
        assert_eq!(
            with_agree
                .iter()
                .map(|d| (d.name.as_str(), d.decisions))
                .collect::<Vec<_>>(),
            vec![("ana", 3), ("bo", 3), ("cy", 1)]
        );
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
        assert!(s.series.is_none() && s.signal.is_none());
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
        assert_eq!(s.time_to_decide.median_hours, None);
    }

    #[test]
    fn history_gives_latency_and_volatility() {
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
        let change = |path: &str, time| PriorityChange {
            key: String::new(),
            path: path.into(),
            time,
            from: None,
            to: Some("P0".into()),
        };
        history.priority_changes = vec![
            change("d/0002-b.md", ts(2026, 4, 1, 0)),
            change("d/0002-b.md", ts(2026, 5, 1, 0)),
            change("d/0001-a.md", ts(2026, 5, 25, 0)),
            change("d/0001-a.md", ts(2026, 5, 30, 0)),
        ];
        history.criteria_edits = vec![crate::timeline::CriteriaEdit {
            key: "id:0001".into(),
            path: "d/0001-a.md".into(),
            time: ts(2026, 5, 31, 0),
        }];
        history.commits_walked = 9;
        let s = compute(&sample(), &Config::default(), today(), Some(&history));
        let l = s.logging_latency.expect("logging latency");
        // 10 h, 48 h, and 0 h (committed before its date).
        assert_eq!(l.count, 3);
        assert_eq!(l.median_hours, Some(10.0));
        assert_eq!(l.late, 1);
        // Raised → logged: 0001 raised 05-01 00:00, logged 05-03 10:00 = 58 h; 0002: 7
        // days = 168 h; 0003 logged before it was raised counts 0.
        let d = s.decision_latency.expect("decision latency");
        assert_eq!((d.count, d.median_hours), (3, Some(58.0)));
        let v = s.volatility.expect("volatility");
        assert_eq!((v.changes, v.priority_changes, v.criteria_edits), (5, 4, 1));
        assert_eq!(v.periods.last().map(|p| p.changes), Some(3));
        assert_eq!(v.periods.last().map(|p| p.end.as_str()), Some("2026-06-01"));
        assert_eq!(v.periods.iter().map(|p| p.changes).sum::<usize>(), 5);
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
    fn others_are_not_drawn_against_the_threshold() {
        let records: Vec<Record> = (0..14)
            .map(|i| {
                record(
                    &format!("d/{:04}-x.md", i + 1),
                    &format!("status: accepted\ndecider: person{i}\n"),
                )
            })
            .collect();
        let s = compute(&records, &Config::default(), today(), None);
        let chart = concentration_chart(&s.concentration);
        assert!(!chart.contains("others"), "{chart}");
        let bars = chart
            .lines()
            .find(|l| l.trim_start().starts_with("bar"))
            .unwrap_or_default();
        assert_eq!(bars.matches(',').count(), 11, "{chart}");
        let note = others_note(&s.concentration).unwrap_or_default();
        assert!(note.contains("2 more deciders, 14.3%"), "{note}");
    }
}
