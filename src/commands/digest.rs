//! `declint digest`: the weekly readout a manager reads instead of a meeting (SPEC §12).
//!
//! What was decided, reversed and reprioritised in the window (with the evidence each
//! cites), what is overdue or due soon per person, reviews and exception expiries coming
//! up, SLA breaches, stuck questions (DL308), bottlenecks and the mode-error signal. Every
//! fact is one the rules and `stats` read: the timeline (logged, reversals, priority
//! ranks), the deadlines of DL301–DL303, DL307's lateness, DL308's test, the same-person
//! rule and DL206's count. Sections with nothing in them are left out, so a quiet week is
//! a short digest. Markdown (job summary, issue) or JSON.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::escape::{json_pretty, markdown_cell};
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::record::Record;
use crate::rules::time::DeadlineKind;
use crate::telemetry::{HistoryFacts, Signal};
use crate::workspace::Workspace;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// The `--format` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DigestFormat {
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct DigestArgs {
    /// The window: `7d` (the last 7 days, today included) or a first day (YYYY-MM-DD).
    /// Deadlines this many days ahead count as due soon.
    #[arg(long, default_value = "7d", value_name = "Nd|DATE")]
    pub since: String,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DigestFormat::Markdown)]
    pub format: DigestFormat,
}

/// The version of the JSON shape; the key `check`, `list` and `stats` use.
pub const DIGEST_SCHEMA_VERSION: u32 = 1;

pub fn run(args: DigestArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let today = crate::timeline::today(global.today, &workspace.config);
    let (first, days) = window(&args.since, today)?;
    let records = workspace.load_records(&[])?;
    let history = crate::commands::stats::read_history(&workspace)?;
    let digest = compute(&records, &workspace.config, today, first, days, &history);
    let text = match args.format {
        DigestFormat::Markdown => markdown(&digest),
        DigestFormat::Json => json_pretty(&digest) + "\n",
    };
    write_all(out, &text)?;
    Ok(EXIT_OK)
}

/// The window's first day and its length in days: `7d` is today and the 6 days before.
fn window(since: &str, today: NaiveDate) -> Result<(NaiveDate, i64)> {
    let text = since.trim();
    let days = text
        .strip_suffix('d')
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| (1..=3660).contains(n));
    if let Some(days) = days {
        return Ok((today - Duration::days(days - 1), days));
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(first) if first <= today => Ok((first, (today - first).num_days() + 1)),
        _ => Err(Error::usage(
            format!("invalid --since `{since}`"),
            Some(
                "give a number of days such as `7d`, or a first day (YYYY-MM-DD) no later than today",
            ),
        )),
    }
}

/// The weekly readout.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub schema_version: u32,
    pub today: String,
    /// The window's first day; it ends with today.
    pub since: String,
    pub days: i64,
    /// Logged (first committed decided) in the window, newest first.
    pub decided: Vec<Item>,
    /// Reversed (active ↔ closed) in the window, newest first.
    pub reversed: Vec<Change>,
    /// Priority rank changed in the window, newest first.
    pub reprioritised: Vec<Change>,
    /// Open questions overdue or due within `days`, per person.
    pub people: Vec<PersonDue>,
    /// Reviews (`review_by`) and exception expiries (`expires`) overdue or due within
    /// `days`.
    pub reviews_and_expiries: Vec<Due>,
    /// Decisions logged in the window that were decided after their due date.
    pub sla_breaches: Vec<Breach>,
    /// Open questions past due today (they are listed per person).
    pub open_past_due: usize,
    /// Open questions with neither `raised` nor `due` (DL308).
    pub stuck: Vec<Item>,
    /// Deciders above the bottleneck share (DL206).
    pub bottlenecks: Vec<crate::commands::stats::DeciderShare>,
    /// The mode-error signal, when it fires.
    pub signal: Option<Signal>,
}

/// A record as the digest names it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: Option<String>,
    pub title: Option<String>,
    pub path: String,
    pub decider: Option<String>,
    pub date: Option<String>,
}

impl Item {
    fn of(record: &Record) -> Item {
        Item {
            id: record.id().map(str::to_string),
            title: record.title().map(str::to_string),
            path: record.path.clone(),
            decider: record.fields.decider.as_ref().map(|d| {
                d.value
                    .names
                    .iter()
                    .map(|n| n.text.trim())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
            date: record
                .fields
                .date
                .as_ref()
                .map(|d| d.value.raw.trim().to_string()),
        }
    }

    /// `0007 Pick a queue`.
    fn name(&self) -> String {
        match (&self.id, &self.title) {
            (Some(id), Some(title)) => format!("{id} {title}"),
            (Some(id), None) => id.clone(),
            (None, Some(title)) => title.clone(),
            (None, None) => self.path.clone(),
        }
    }
}

/// A reversal or reprioritisation in the window, and the evidence the record cites for
/// it: its entries dated in the window.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub item: Item,
    /// When the commit made it (UTC).
    pub at: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub evidence: Vec<Cited>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cited {
    pub date: Option<String>,
    pub summary: Option<String>,
    pub link: Option<String>,
    pub criterion: Option<String>,
}

/// A deadline that is missed or coming up.
#[derive(Debug, Clone, Serialize)]
pub struct Due {
    pub item: Item,
    /// `due`, `review` or `expires`.
    pub kind: &'static str,
    pub date: String,
    /// Days past the deadline (positive) or left before it (0 or negative: due today or
    /// in that many days).
    pub days_late: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonDue {
    pub person: String,
    pub due: Vec<Due>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Breach {
    pub item: Item,
    pub due: String,
    pub decided: String,
    pub days_late: i64,
}

/// Build the digest of the window `[first, today]`.
pub fn compute(
    records: &[Record],
    config: &Config,
    today: NaiveDate,
    first: NaiveDate,
    days: i64,
    history: &HistoryFacts,
) -> Digest {
    // The window's days are days in the config's `timezone`.
    let start = crate::timeline::start_of_day(first, config.timezone).timestamp();
    let end = crate::timeline::start_of_day(today + Duration::days(1), config.timezone).timestamp();
    let in_window = |t: i64| start <= t && t < end;
    let by_key: HashMap<String, &Record> = records
        .iter()
        .map(|r| (crate::timeline::record_key(r), r))
        .collect();
    let cited = |record: &Record| -> Vec<Cited> {
        record
            .fields
            .evidence
            .iter()
            .flat_map(|e| &e.value)
            .filter(|e| {
                e.date
                    .as_ref()
                    .and_then(|d| crate::timeline::day_of(&d.value, config.timezone))
                    .is_some_and(|d| first <= d && d <= today)
            })
            .map(|e| Cited {
                date: e.date.as_ref().map(|d| d.value.raw.trim().to_string()),
                summary: e.summary.as_ref().map(|t| t.text.clone()),
                link: e.link.as_ref().map(|t| t.text.clone()),
                criterion: e.criterion.as_ref().map(|t| t.text.clone()),
            })
            .collect()
    };

    let mut decided: Vec<(i64, Item)> = history
        .logged
        .iter()
        .filter(|(_, t)| in_window(**t))
        .filter_map(|(k, t)| by_key.get(k).map(|r| (*t, Item::of(r))))
        .collect();
    // Newest first: a cut section keeps the most recent.
    decided.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.path.cmp(&b.1.path)));
    let change = |key: &str, time: i64, from: &Option<String>, to: &Option<String>| {
        by_key.get(key).map(|r| Change {
            item: Item::of(r),
            at: crate::timeline::describe_time(time, config.timezone),
            from: from.clone(),
            to: to.clone(),
            evidence: cited(r),
        })
    };
    let reversed = history
        .reversals
        .iter()
        .rev()
        .filter(|r| in_window(r.time))
        .filter_map(|r| change(&r.key, r.time, &r.from, &r.to))
        .collect();
    let reprioritised = history
        .priority_changes
        .iter()
        .rev()
        .filter(|c| in_window(c.time))
        .filter_map(|c| change(&c.key, c.time, &c.from, &c.to))
        .collect();

    // Deadlines: the ones DL301-DL303 check, missed or within `days` ahead.
    let mut people: BTreeMap<String, (String, Vec<Due>)> = BTreeMap::new();
    let mut reviews_and_expiries = Vec::new();
    let mut open_past_due = 0;
    for record in records {
        for deadline in crate::rules::time::deadlines(record, config) {
            let days_late = (today - deadline.date).num_days();
            if days_late < -days {
                continue;
            }
            let due = Due {
                item: Item::of(record),
                kind: deadline.kind.as_str(),
                date: deadline.date.to_string(),
                days_late,
            };
            if deadline.kind != DeadlineKind::Due {
                reviews_and_expiries.push(due);
                continue;
            }
            open_past_due += usize::from(days_late > 0);
            let names: Vec<&str> = record
                .fields
                .decider
                .iter()
                .flat_map(|d| &d.value.names)
                .map(|n| n.text.trim())
                .filter(|n| !n.is_empty())
                .collect();
            let names = if names.is_empty() {
                vec!["(no decider)"]
            } else {
                names
            };
            for name in names {
                let key = crate::people::identity(config.roster.as_ref(), name).into_owned();
                people
                    .entry(key)
                    .or_insert_with(|| (name.to_string(), Vec::new()))
                    .1
                    .push(due.clone());
            }
        }
    }
    let most_late = |a: &Due, b: &Due| {
        b.days_late
            .cmp(&a.days_late)
            .then(a.item.path.cmp(&b.item.path))
    };
    let mut people: Vec<PersonDue> = people
        .into_values()
        .map(|(person, mut due)| {
            due.sort_by(most_late);
            PersonDue { person, due }
        })
        .collect();
    people.sort_by(|a, b| b.due.len().cmp(&a.due.len()).then(a.person.cmp(&b.person)));
    reviews_and_expiries.sort_by(most_late);

    let logged_in_window = |r: &Record| {
        history
            .logged
            .get(&crate::timeline::record_key(r))
            .is_some_and(|t| in_window(*t))
    };
    let sla_breaches = records
        .iter()
        .filter(|r| crate::timeline::is_decided(r, config) && logged_in_window(r))
        .filter_map(|r| {
            let late = crate::rules::time::decided_late(r, config)?;
            Some(Breach {
                item: Item::of(r),
                due: late.deadline.describe(),
                decided: late.decided.to_string(),
                days_late: late.days,
            })
        })
        .collect();
    let stuck = records
        .iter()
        .filter(|r| crate::rules::time::without_clock(r, config))
        .map(Item::of)
        .collect();
    let stats = crate::commands::stats::compute(records, config, today, Some(history));
    let bottlenecks = if stats.concentration.decisions >= config.bottleneck_min {
        stats
            .concentration
            .deciders
            .into_iter()
            .filter(|d| d.over_threshold)
            .collect()
    } else {
        Vec::new()
    };
    Digest {
        schema_version: DIGEST_SCHEMA_VERSION,
        today: today.to_string(),
        since: first.to_string(),
        days,
        decided: decided.into_iter().map(|(_, item)| item).collect(),
        reversed,
        reprioritised,
        people,
        reviews_and_expiries,
        sla_breaches,
        open_past_due,
        stuck,
        bottlenecks,
        signal: stats
            .signal
            .filter(|s| s.leadership_missing || s.exceptions_accumulating),
    }
}

fn cell(text: &str) -> String {
    markdown_cell(text)
}

fn opt(text: Option<&str>) -> String {
    text.map_or_else(String::new, cell)
}

/// `3 days overdue`, `due today`, `due in 2 days`.
fn state(days_late: i64) -> String {
    match days_late {
        d if d > 0 => format!("{} overdue", crate::rules::time::days(d)),
        0 => "due today".to_string(),
        d => format!("due in {}", crate::rules::time::days(-d)),
    }
}

fn evidence_cell(evidence: &[Cited]) -> String {
    if evidence.is_empty() {
        return "none dated in the window".to_string();
    }
    let parts: Vec<String> = evidence
        .iter()
        .map(|e| {
            let mut text = format!(
                "{}: {}",
                e.date.as_deref().unwrap_or("?"),
                e.summary.as_deref().unwrap_or("")
            );
            if let Some(link) = &e.link {
                text.push_str(&format!(" ({link})"));
            }
            if let Some(criterion) = &e.criterion {
                text.push_str(&format!(" — meets: {criterion}"));
            }
            text
        })
        .collect();
    cell(&parts.join("; "))
}

/// The most rows a Markdown section shows, so the digest stays a two-minute read; the
/// JSON lists everything.
const SECTION_ROWS: usize = 15;

/// The digest as Markdown: one section per kind of news, empty ones left out, each at
/// most [`SECTION_ROWS`] rows.
pub fn markdown(d: &Digest) -> String {
    let mut out = format!("## Decision digest: {} to {}\n\n", d.since, d.today);
    if let Some(signal) = &d.signal {
        for message in &signal.messages {
            out.push_str(&format!("> **{}**\n", cell(message)));
        }
        out.push('\n');
    }
    let mut sections = 0;
    let mut section = |out: &mut String, title: String, header: &str, rows: Vec<String>| {
        if rows.is_empty() {
            return;
        }
        sections += 1;
        let columns = header.matches('|').count().saturating_sub(1);
        out.push_str(&format!(
            "### {title}\n\n{header}\n{}|\n",
            "|---".repeat(columns)
        ));
        let more = rows.len().saturating_sub(SECTION_ROWS);
        for row in rows.into_iter().take(SECTION_ROWS) {
            out.push_str(&row);
            out.push('\n');
        }
        if more > 0 {
            out.push_str(&format!(
                "\n… and {more} more (`declint digest --format json` lists them all).\n"
            ));
        }
        out.push('\n');
    };
    section(
        &mut out,
        format!("Decided ({})", d.decided.len()),
        "| decision | decider | date |",
        d.decided
            .iter()
            .map(|i| {
                format!(
                    "| {} | {} | {} |",
                    cell(&i.name()),
                    opt(i.decider.as_deref()),
                    opt(i.date.as_deref())
                )
            })
            .collect(),
    );
    let changes = |list: &[Change]| -> Vec<String> {
        list.iter()
            .map(|c| {
                format!(
                    "| {} | {} → {} | {} | {} |",
                    cell(&c.item.name()),
                    opt(c.from.as_deref()),
                    opt(c.to.as_deref()),
                    cell(&c.at),
                    evidence_cell(&c.evidence)
                )
            })
            .collect()
    };
    section(
        &mut out,
        format!("Reversed ({})", d.reversed.len()),
        "| decision | status | when | evidence cited |",
        changes(&d.reversed),
    );
    section(
        &mut out,
        format!("Reprioritised ({})", d.reprioritised.len()),
        "| decision | priority | when | evidence cited |",
        changes(&d.reprioritised),
    );
    section(
        &mut out,
        format!(
            "Open questions overdue or due within {} days, per person",
            d.days
        ),
        "| person | question | due | state |",
        d.people
            .iter()
            .flat_map(|p| {
                p.due.iter().map(move |due| {
                    format!(
                        "| {} | {} | {} | {} |",
                        cell(&p.person),
                        cell(&due.item.name()),
                        due.date,
                        state(due.days_late)
                    )
                })
            })
            .collect(),
    );
    section(
        &mut out,
        "Reviews and exception expiries".to_string(),
        "| decision | what | date | state | decider |",
        d.reviews_and_expiries
            .iter()
            .map(|due| {
                format!(
                    "| {} | {} | {} | {} | {} |",
                    cell(&due.item.name()),
                    if due.kind == "expires" {
                        "exception expires"
                    } else {
                        "review"
                    },
                    due.date,
                    state(due.days_late),
                    opt(due.item.decider.as_deref())
                )
            })
            .collect(),
    );
    section(
        &mut out,
        format!(
            "SLA breaches ({}): decided after their due date",
            d.sla_breaches.len()
        ),
        "| decision | decider | due | decided | late by |",
        d.sla_breaches
            .iter()
            .map(|b| {
                format!(
                    "| {} | {} | {} | {} | {} |",
                    cell(&b.item.name()),
                    opt(b.item.decider.as_deref()),
                    cell(&b.due),
                    b.decided,
                    crate::rules::time::days(b.days_late)
                )
            })
            .collect(),
    );
    section(
        &mut out,
        format!(
            "Stuck questions ({}): open with neither `raised` nor `due` (DL308)",
            d.stuck.len()
        ),
        "| question | decider | file |",
        d.stuck
            .iter()
            .map(|i| {
                format!(
                    "| {} | {} | {} |",
                    cell(&i.name()),
                    opt(i.decider.as_deref()),
                    cell(&i.path)
                )
            })
            .collect(),
    );
    section(
        &mut out,
        "Bottlenecks (DL206)".to_string(),
        "| decider | open and active decisions | share |",
        d.bottlenecks
            .iter()
            .map(|b| {
                format!(
                    "| {} | {} | {:.1}% |",
                    cell(&b.name),
                    b.decisions,
                    b.share * 100.0
                )
            })
            .collect(),
    );
    if sections == 0 && d.signal.is_none() {
        out.push_str("Nothing decided, changed or due in the window.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn windows_are_days_or_a_first_day() {
        let today = day("2026-06-07");
        assert_eq!(window("7d", today).ok(), Some((day("2026-06-01"), 7)));
        assert_eq!(
            window("2026-06-05", today).ok(),
            Some((day("2026-06-05"), 3))
        );
        assert!(window("0d", today).is_err());
        assert!(window("2026-06-08", today).is_err());
        assert!(window("soon", today).is_err());
    }

    #[test]
    fn long_sections_are_cut_and_say_so() {
        let config = Config::default();
        let records: Vec<Record> = (1..=20)
            .map(|i| {
                Record::parse(
                    format!("decisions/{i:04}-a.md"),
                    "---\ntitle: A\nstatus: proposed\ndecider: ana\n---\n".into(),
                    &config,
                )
            })
            .collect();
        let d = compute(
            &records,
            &config,
            day("2026-06-07"),
            day("2026-06-01"),
            7,
            &HistoryFacts::default(),
        );
        assert_eq!(d.stuck.len(), 20);
        let md = markdown(&d);
        assert_eq!(md.matches(" A | ana |").count(), SECTION_ROWS, "{md}");
        assert!(md.contains("… and 5 more"), "{md}");
    }

    #[test]
    fn empty_sections_are_left_out() {
        let config = Config::default();
        let record = Record::parse(
            "decisions/0001-a.md".into(),
            "---\ntitle: 'A | B'\nstatus: proposed\ndecider: ana\n---\n".into(),
            &config,
        );
        let d = compute(
            &[record],
            &config,
            day("2026-06-07"),
            day("2026-06-01"),
            7,
            &HistoryFacts::default(),
        );
        let md = markdown(&d);
        assert!(md.contains("### Stuck questions (1)"), "{md}");
        assert!(md.contains("A \\| B"), "{md}");
        assert!(!md.contains("more (`declint digest"), "{md}");
        for absent in [
            "Decided",
            "Reversed",
            "Reprioritised",
            "SLA",
            "Bottlenecks",
            "per person",
        ] {
            assert!(!md.contains(absent), "{absent} in {md}");
        }
    }
}
