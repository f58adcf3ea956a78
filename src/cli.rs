//! The command line: argument types (clap derive) and dispatch. It lives in the library so
//! that completions and the man page are generated from the same definitions.

use crate::commands;
use crate::commands::baseline::BaselineArgs;
use crate::commands::check::CheckArgs;
use crate::commands::completions::{CompletionsArgs, ManArgs};
use crate::commands::explain::ExplainArgs;
use crate::commands::index::IndexArgs;
use crate::commands::init::InitArgs;
use crate::commands::migrate::MigrateArgs;
use crate::commands::new::NewArgs;
use crate::commands::schema::SchemaArgs;
use crate::commands::stats::StatsArgs;
use crate::error::{Error, Result};
use crate::invocation::Global;
pub use crate::invocation::{EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, Env};
use chrono::NaiveDate;
use clap::{CommandFactory, Parser, Subcommand};
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
    /// Set up a decision log: .declint.yml, the folder, a template and a first record.
    Init(InitArgs),
    /// Record today's findings in .declint-baseline.json, so `check` fails only on new ones.
    Baseline(BaselineArgs),
    /// Rewrite records of an adopted format (Nygard, MADR 2) into declint front-matter.
    Migrate(MigrateArgs),
    /// Start a new decision record from the template, with the next id.
    New(NewArgs),
    /// Write (or check) the Markdown index table in the decision folder's README.
    Index(IndexArgs),
    /// Report decision latency, SLA breaches, volatility, reversals, open and overdue
    /// counts, concentration; with --history per period and the mode-error signal.
    Stats(StatsArgs),
    /// The weekly readout: decided, reversed, reprioritised, overdue and due soon per
    /// person, SLA breaches, stuck questions, bottlenecks (Markdown or JSON).
    Digest(commands::digest::DigestArgs),
    /// Print the JSON Schema of the record front-matter or of .declint.yml.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand into a folder.
    Man(ManArgs),
    /// Run the language server on stdin/stdout, for editors (docs/editors.md).
    Lsp,
}

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
        Command::Init(args) => commands::init::run(args, &global, env, out),
        Command::Baseline(args) => commands::baseline::run(args, &global, env, out),
        Command::Migrate(args) => commands::migrate::run(args, &global, env, out),
        Command::New(args) => commands::new::run(args, &global, env, out),
        Command::Index(args) => commands::index::run(args, &global, env, out),
        Command::Stats(args) => commands::stats::run(args, &global, env, out),
        Command::Digest(args) => commands::digest::run(args, &global, env, out),
        Command::Schema(args) => commands::schema::run(args, out),
        Command::Completions(args) => commands::completions::run(args, Cli::command(), out),
        Command::Man(args) => commands::completions::man(args, Cli::command(), out),
        Command::Lsp => crate::lsp::run(&global),
    }
}

/// `--today`/`DECLINT_TODAY`, when given.
fn resolve_today(today: Option<&str>) -> Result<Option<NaiveDate>> {
    today
        .map(|text| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
                Error::usage(
                    format!("invalid date `{text}` for --today / DECLINT_TODAY"),
                    Some("write the date as YYYY-MM-DD"),
                )
            })
        })
        .transpose()
}
