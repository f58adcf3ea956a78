//! `declint list`: the log as a table — what a team lead opens on Monday morning to see
//! what is open, who holds it, and what is overdue and why. The overdue reasons come from
//! the same deadline functions the DL3xx rules use, so the list and `check` never disagree.

use crate::config::{Config, StatusClass};
use crate::error::{Error, Result};
use crate::escape::terminal;
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::people::same_person;
use crate::record::Record;
use crate::rules::time::{self, Deadline, DeadlineKind, days};
use crate::rules::{Context, Stage};
use crate::workspace::Workspace;
use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Files or folders to list (default: the configured decision folders).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Only these statuses: a status name (`proposed`) or a class (`open`, `active`,
    /// `closed`); repeat or separate with commas.
    #[arg(long, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<String>,

    /// Only decisions with this decider (a leading `@`, letter case and roster aliases
    /// are ignored); repeat or separate with commas.
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub decider: Vec<String>,

    /// Only what is past its due date, review date or expiry.
    #[arg(long)]
    pub overdue: bool,

    /// Only open decisions (status class `open`).
    #[arg(long)]
    pub open: bool,

    /// Only the exception register (`kind: exception`); the table shows owner, risk and
    /// expiry.
    #[arg(long)]
    pub exceptions: bool,

    /// Output format.
    #[arg(
        long,
        short = 'f',
        value_enum,
        default_value = "human",
        value_name = "FORMAT"
    )]
    pub format: ListFormat,
}

/// The output formats of `declint list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// An aligned table.
    Human,
    /// A versioned JSON document.
    Json,
}

/// Bumped on any incompatible change to the JSON document's shape.
pub const LIST_SCHEMA_VERSION: u32 = 1;

/// One line of the list.
#[derive(Debug, Serialize)]
pub struct Row {
    pub id: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    /// `open`, `active` or `closed`; absent when the status is not a configured one.
    pub class: Option<StatusClass>,
    /// `decision` or `exception`.
    pub kind: &'static str,
    pub deciders: Vec<String>,
    /// The decided date as written.
    pub date: Option<String>,
    /// The earliest deadline that applies in the record's status class.
    pub deadline: Option<RowDeadline>,
    /// Set when a deadline has passed.
    pub overdue: Option<Overdue>,
    /// For exceptions: who owns the risk, what it is, and when the exception ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    pub path: String,
}

#[derive(Debug, Serialize)]
pub struct RowDeadline {
    pub kind: DeadlineKind,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// How the date was worked out when not written: `raised 2026-06-01 + 36h`.
    pub derived: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Overdue {
    pub kind: DeadlineKind,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub days_late: i64,
    /// The rule that reports it: DL301, DL302 or DL303.
    pub rule: &'static str,
    /// Why, in words: `due 2026-06-02 (raised 2026-06-01 + 36h), 3 days ago`.
    pub reason: String,
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    today: String,
    decisions: &'a [Row],
    summary: Summary,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Summary {
    listed: usize,
    overdue: usize,
    /// Files left out because their front-matter could not be read (see `declint check`).
    unreadable: usize,
}

pub fn run(args: ListArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let records = workspace.load_records(&args.paths)?;
    let config = &workspace.config;
    check_status_filters(&args.status, config)?;
    let today = crate::timeline::today(global.today, config);
    let cx = Context::new(config, today);
    let (readable, unreadable): (Vec<&Record>, Vec<&Record>) =
        records.iter().partition(|r| cx.applies(Stage::Content, r));
    let mut rows: Vec<Row> = readable
        .into_iter()
        .filter(|r| keep(r, &args, config, today))
        .map(|r| row(r, config, today))
        .collect();
    rows.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    let summary = Summary {
        listed: rows.len(),
        overdue: rows.iter().filter(|r| r.overdue.is_some()).count(),
        unreadable: unreadable.len(),
    };
    let text = match args.format {
        ListFormat::Human => human(&rows, summary, today, args.exceptions),
        ListFormat::Json => json(&rows, summary, today),
    };
    write_all(out, &text)?;
    Ok(EXIT_OK)
}

/// A `--status` value must be a configured status or a class: a typo would otherwise
/// quietly list nothing.
fn check_status_filters(filters: &[String], config: &Config) -> Result<()> {
    let mut known: Vec<&str> = config.statuses.iter().map(|(n, _)| n.as_str()).collect();
    known.extend(["open", "active", "closed"]);
    for filter in filters {
        let lower = filter.trim().to_lowercase();
        if !known.iter().any(|k| k.eq_ignore_ascii_case(&lower)) {
            let help = crate::spelling::suggest(&lower, &known).map_or_else(
                || {
                    format!("use a status ({}) or a class (open, active, closed)", {
                        let names: Vec<&str> =
                            config.statuses.iter().map(|(n, _)| n.as_str()).collect();
                        names.join(", ")
                    })
                },
                |s| format!("did you mean `{s}`?"),
            );
            return Err(Error::Usage {
                message: format!("unknown status `{filter}` for --status"),
                help: Some(help),
            });
        }
    }
    Ok(())
}

fn keep(record: &Record, args: &ListArgs, config: &Config, today: NaiveDate) -> bool {
    let class = record.status_class(config);
    if args.open && class != Some(StatusClass::Open) {
        return false;
    }
    if args.exceptions && !record.is_exception() {
        return false;
    }
    if !args.status.is_empty() {
        let status = record.status().unwrap_or("").trim();
        let class_name = class.map(class_name);
        let matches = args.status.iter().any(|f| {
            let f = f.trim();
            f.eq_ignore_ascii_case(status) || class_name.is_some_and(|c| f.eq_ignore_ascii_case(c))
        });
        if !matches {
            return false;
        }
    }
    if !args.decider.is_empty() {
        let roster = config.roster.as_ref();
        let has = record.fields.decider.as_ref().is_some_and(|d| {
            d.value.names.iter().any(|n| {
                args.decider
                    .iter()
                    .any(|wanted| same_person(roster, wanted, &n.text))
            })
        });
        if !has {
            return false;
        }
    }
    if args.overdue && late(record, config, today).is_none() {
        return false;
    }
    true
}

fn class_name(class: StatusClass) -> &'static str {
    match class {
        StatusClass::Open => "open",
        StatusClass::Active => "active",
        StatusClass::Closed => "closed",
    }
}

/// The first deadline that has passed, with how late it is.
fn late(record: &Record, config: &Config, today: NaiveDate) -> Option<(Deadline, i64)> {
    time::deadlines(record, config)
        .into_iter()
        .find_map(|d| d.days_late(today).map(|n| (d, n)))
}

fn row(record: &Record, config: &Config, today: NaiveDate) -> Row {
    let f = &record.fields;
    let deadline = time::deadlines(record, config)
        .into_iter()
        .next()
        .map(|d| RowDeadline {
            kind: d.kind,
            date: d.date.to_string(),
            derived: d.derived,
        });
    let overdue = late(record, config, today).map(|(d, n)| Overdue {
        kind: d.kind,
        date: d.date.to_string(),
        days_late: n,
        rule: match d.kind {
            DeadlineKind::Due => "DL301",
            DeadlineKind::Review => "DL302",
            DeadlineKind::Expires => "DL303",
        },
        reason: match d.kind {
            DeadlineKind::Due => format!("due {}, {} ago", d.describe(), days(n)),
            DeadlineKind::Review => format!("review was due {}, {} ago", d.date, days(n)),
            DeadlineKind::Expires => format!("exception expired {}, {} ago", d.date, days(n)),
        },
    });
    let exception = record.is_exception();
    Row {
        id: record.id().map(str::to_string),
        title: record.title().map(str::to_string),
        status: record.status().map(str::to_string),
        class: record.status_class(config),
        kind: if exception { "exception" } else { "decision" },
        deciders: f
            .decider
            .as_ref()
            .map(|d| d.value.names.iter().map(|n| n.text.clone()).collect())
            .unwrap_or_default(),
        date: f.date.as_ref().map(|d| d.value.raw.trim().to_string()),
        deadline,
        overdue,
        owner: f.owner.as_ref().map(|o| o.value.clone()),
        risk: f.risk.as_ref().map(|r| r.value.clone()),
        expires: f.expires.as_ref().map(|e| e.value.raw.trim().to_string()),
        path: record.path.clone(),
    }
}

/// By id, numbers in numeric order first, then other ids, then records without an id.
fn sort_key(row: &Row) -> (bool, Option<u64>, bool, Option<&str>, &str) {
    let id = row.id.as_deref();
    let number = id.and_then(|i| i.parse::<u64>().ok());
    (number.is_none(), number, id.is_none(), id, &row.path)
}

/// Longer titles and statuses (MADR's `superseded by [ADR-0005](…)`) are cut in the table;
/// the JSON carries them whole.
const TITLE_MAX: usize = 48;
const STATUS_MAX: usize = 24;

/// The table's cells for one row: the decision view, or with `--exceptions` the register
/// view (owner, risk, expiry in place of decider, date and deadline).
fn cells(row: &Row, register: bool) -> Vec<String> {
    let dash = || "-".to_string();
    let cell = |text: Option<&str>| text.map_or_else(dash, terminal);
    let overdue = row
        .overdue
        .as_ref()
        .map_or_else(String::new, |o| o.reason.clone());
    let id = cell(row.id.as_deref());
    let title = truncate(&cell(row.title.as_deref()), TITLE_MAX);
    let status = truncate(&cell(row.status.as_deref()), STATUS_MAX);
    if register {
        return vec![
            id,
            title,
            status,
            cell(row.owner.as_deref()),
            truncate(&cell(row.risk.as_deref()), TITLE_MAX),
            cell(row.expires.as_deref()),
            overdue,
        ];
    }
    vec![
        id,
        title,
        status,
        if row.deciders.is_empty() {
            dash()
        } else {
            terminal(&row.deciders.join(", "))
        },
        cell(row.date.as_deref()),
        row.deadline
            .as_ref()
            .map_or_else(dash, |d| format!("{} {}", d.kind.as_str(), d.date)),
        overdue,
    ]
}

fn human(rows: &[Row], summary: Summary, today: NaiveDate, register: bool) -> String {
    let header: &[&str] = if register {
        &[
            "ID", "TITLE", "STATUS", "OWNER", "RISK", "EXPIRES", "OVERDUE",
        ]
    } else {
        &[
            "ID",
            "TITLE",
            "STATUS",
            "DECIDER",
            "DATE",
            "DUE/REVIEW",
            "OVERDUE",
        ]
    };
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|h| (*h).to_string()).collect()];
    table.extend(rows.iter().map(|row| cells(row, register)));
    let mut widths = vec![0usize; header.len()];
    for line in &table {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    if rows.is_empty() {
        text.push_str("no decisions match\n");
    } else {
        for line in &table {
            let mut out = String::new();
            for (cell, width) in line.iter().zip(&widths) {
                out.push_str(cell);
                let pad = width.saturating_sub(cell.chars().count()) + 2;
                out.extend(std::iter::repeat_n(' ', pad));
            }
            text.push_str(out.trim_end());
            text.push('\n');
        }
    }
    text.push_str(&format!(
        "\n{} listed, {} overdue (today {today})\n",
        plural(summary.listed, "decision"),
        summary.overdue
    ));
    if summary.unreadable > 0 {
        text.push_str(&format!(
            "{} left out: front-matter unreadable (run `declint check`)\n",
            plural(summary.unreadable, "file")
        ));
    }
    text
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn json(rows: &[Row], summary: Summary, today: NaiveDate) -> String {
    let document = Document {
        schema_version: LIST_SCHEMA_VERSION,
        today: today.to_string(),
        decisions: rows,
        summary,
    };
    let mut text = crate::escape::json_pretty(&document);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::record_with;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn overdue_reasons_match_the_rules() {
        let config = Config::default();
        let record = record_with(
            &config,
            "decisions/0002-x.md",
            "---\ntitle: Pick a queue\nstatus: proposed\ndecider: bo\nraised: 2026-06-01\n---\n",
        );
        assert!(row(&record, &config, day("2026-06-02")).overdue.is_none());
        let r = row(&record, &config, day("2026-06-05"));
        let overdue = r.overdue.expect("overdue");
        assert_eq!(overdue.rule, "DL301");
        assert_eq!(overdue.days_late, 3);
        assert_eq!(
            overdue.reason,
            "due 2026-06-02 (raised 2026-06-01 + 36h), 3 days ago"
        );
    }

    #[test]
    fn table_is_aligned_and_escapes_control_characters() {
        let config = Config::default();
        let records = [
            record_with(
                &config,
                "decisions/0010-x.md",
                "---\ntitle: \"Evil \\e[31m title\"\nstatus: accepted\ndecider: ana\ndate: 2026-05-01\n---\n",
            ),
            record_with(
                &config,
                "decisions/0002-x.md",
                "---\ntitle: Short\nstatus: proposed\nraised: 2026-05-01\n---\n",
            ),
        ];
        let mut rows: Vec<Row> = records
            .iter()
            .map(|r| row(r, &config, day("2026-06-01")))
            .collect();
        rows.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let summary = Summary {
            listed: 2,
            overdue: 1,
            unreadable: 0,
        };
        let text = human(&rows, summary, day("2026-06-01"), false);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.contains("Evil \\u{1b}[31m title"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1].starts_with("0002"), "{text}");
        let column = |line: &str| line.find("proposed").or_else(|| line.find("accepted"));
        assert_eq!(column(lines[1]), column(lines[2]));
        assert_eq!(column(lines[1]), lines[0].find("STATUS"));
    }

    #[test]
    fn ids_sort_numerically() {
        let config = Config::default();
        let ids = ["100", "20", "abc", "3"];
        let mut rows: Vec<Row> = ids
            .iter()
            .map(|id| {
                row(
                    &record_with(
                        &config,
                        "decisions/x.md",
                        &format!("---\nid: \"{id}\"\nstatus: draft\n---\n"),
                    ),
                    &config,
                    day("2026-06-01"),
                )
            })
            .collect();
        rows.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        let sorted: Vec<_> = rows.iter().filter_map(|r| r.id.as_deref()).collect();
        assert_eq!(sorted, ["3", "20", "100", "abc"]);
    }

    #[test]
    fn unknown_status_filter_is_a_usage_error() {
        let config = Config::default();
        assert!(check_status_filters(&["open".into(), "Proposed".into()], &config).is_ok());
        let err = check_status_filters(&["acepted".into()], &config).expect_err("unknown");
        assert!(err.to_string().contains("acepted"));
    }
}
