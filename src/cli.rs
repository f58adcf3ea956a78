//! The command line: argument types (clap derive) and dispatch. It lives in the library so
//! that completions and the man page are generated from the same definitions.

use crate::commands;
use crate::error::{Error, Result};
use crate::output::Format;
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "declint",
    version,
    about = "A git-native linter for decision logs",
    long_about = "declint checks a decision log kept as Markdown files with YAML front-matter: \
                  every decision complete, nothing overdue, and no priority or reversal \
                  slipping through a pull request without new evidence."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Use this config file instead of looking for .declint.yml.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Treat this date (YYYY-MM-DD) as today, for reproducible runs.
    #[arg(long, global = true, env = "DECLINT_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the decision log (the main job).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Explain(ExplainArgs),
    /// List decisions as a table: filter by status, decider, overdue.
    List(commands::list::ListArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the configured decision folders).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Compare with the merge base of REF (a branch, tag or commit; `auto` finds the pull
    /// request's base) and run the change rules (DL5xx).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// With --base: compare this commit instead of the working tree.
    #[arg(long, value_name = "REF", requires = "base")]
    pub head: Option<String>,

    /// Walk the history once to find when every decision was first committed (DL305).
    #[arg(long)]
    pub history: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (DL101) or name (required-field).
    #[arg(value_name = "RULE", required_unless_present = "all")]
    pub rule: Option<String>,

    /// List every rule with its summary.
    #[arg(long)]
    pub all: bool,
}

/// What the process environment tells the CLI (so tests can fake it).
#[derive(Debug, Clone)]
pub struct Env {
    pub cwd: PathBuf,
    /// stdout is a terminal and `NO_COLOR` is unset or empty.
    pub color: bool,
    pub width: usize,
}

/// Exit code for a successful run with no error-level finding.
pub const EXIT_OK: u8 = 0;
/// Exit code when error-level findings were reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage, config, repository or I/O failures.
pub const EXIT_FAILURE: u8 = 2;

/// Run a parsed command line, writing results to `out`. Returns the exit code.
pub fn run(cli: Cli, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let today = resolve_today(cli.today.as_deref())?;
    let global = Global {
        config: cli.config,
        today,
    };
    match cli.command {
        Command::Check(args) => commands::check::run(args, &global, env, out),
        Command::Explain(args) => commands::explain::run(args, out),
        Command::List(args) => commands::list::run(args, &global, env, out),
    }
}

/// Options every command shares.
#[derive(Debug, Clone)]
pub struct Global {
    pub config: Option<PathBuf>,
    pub today: NaiveDate,
}

/// `--today`/`DECLINT_TODAY`, else the UTC date.
fn resolve_today(today: Option<&str>) -> Result<NaiveDate> {
    match today {
        None => Ok(chrono::Utc::now().date_naive()),
        Some(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
            Error::usage(
                format!("invalid date `{text}` for --today / DECLINT_TODAY"),
                Some("write the date as YYYY-MM-DD"),
            )
        }),
    }
}

/// Write output; a closed pipe (`declint check | head`) is not an error.
pub fn write_all(out: &mut dyn Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}
