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

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the configured decision folders).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Compare with the merge base of REF (a branch, tag or commit; `auto` finds the pull
    /// request's base) and run the change rules (DL5xx).
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// With --base: compare this commit instead of the working tree.
    #[arg(long, value_name = "REF", requires = "base")]
    pub head: Option<String>,

    /// Walk the history: when every decision was logged (DL305, DL307), and an audit of
    /// every commit with the change rules (DL501-DL510, warnings by default).
    #[arg(long)]
    pub history: bool,

    /// With --history: audit only commits from DATE (YYYY-MM-DD) on, or not reachable from REF.
    #[arg(long, value_name = "DATE|REF", requires = "history")]
    pub since: Option<String>,

    /// Check the log as it is staged in the git index (what the commit being made will
    /// hold), not the working tree: untracked drafts and unstaged edits are not read. The
    /// pre-commit hooks' mode; not combinable with --base, --head or --history.
    #[arg(long)]
    pub staged: bool,

    /// Append a Markdown job summary to FILE (default in GitHub Actions: $GITHUB_STEP_SUMMARY).
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// Write no job summary, even in GitHub Actions.
    #[arg(long, conflicts_with = "summary")]
    pub no_summary: bool,

    /// Lowest severity that fails the run with exit code 1 (`never`: exit 0 unless the
    /// tool itself fails).
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Ignore .declint-baseline.json: report every finding at its own severity.
    #[arg(long)]
    pub no_baseline: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The format to rewrite records into.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: crate::commands::migrate::Target,

    /// Rewrite the files (default: print a unified diff of what would change).
    #[arg(long)]
    pub write: bool,

    /// Files or folders to migrate (default: the configured decision folders).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Only drop the entries that no longer match a finding; never add one.
    #[arg(long)]
    pub prune: bool,
}

/// `--fail-on`: which findings make `check` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Error-level findings.
    Error,
    /// Warnings and errors.
    Warning,
    /// Nothing: findings are reported, the exit code stays 0.
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the run.
    pub fn fails(self, severity: crate::finding::Severity) -> bool {
        use crate::finding::Severity;
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => matches!(severity, Severity::Error | Severity::Warning),
            FailOn::Never => false,
        }
    }
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

#[derive(Debug, Args)]
pub struct InitArgs {
    /// How records are written: the full declint record, or MADR.
    #[arg(long, value_enum, default_value_t = crate::commands::init::InitProfile::Declint)]
    pub profile: crate::commands::init::InitProfile,

    /// Adopt the decision log the repository already has: find its folders and format,
    /// write .declint.yml and a baseline of today's findings, so `check` passes now and
    /// fails on every new finding.
    #[arg(long, conflicts_with = "profile")]
    pub adopt: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The decision's title (one line); the file name's slug is made from it.
    #[arg(value_name = "TITLE")]
    pub title: String,

    /// The one person who decides.
    #[arg(long, value_name = "NAME")]
    pub decider: Option<String>,

    /// The id of a decision this one would replace; that record names it as its successor
    /// and stays in force until this one is decided.
    #[arg(long, value_name = "ID")]
    pub supersedes: Option<String>,

    /// The priority this decision sets (P0…P4 or an integer).
    #[arg(long, value_name = "P")]
    pub priority: Option<String>,

    /// `exception` starts an entry of the exception register.
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<crate::commands::new::Kind>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Do not write; exit 1 when the index is stale (for CI).
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
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

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum, default_value_t = crate::commands::schema::Which::Record)]
    pub which: crate::commands::schema::Which,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write declint.1 and one page per subcommand into this folder instead of printing.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// What the process environment tells the CLI (so tests can fake it).
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub cwd: PathBuf,
    /// stdout is a terminal and `NO_COLOR` is unset or empty.
    pub color: bool,
    pub width: usize,
    /// Running inside GitHub Actions (`GITHUB_ACTIONS=true`).
    pub github_actions: bool,
    /// `GITHUB_STEP_SUMMARY`: the file a step's Markdown summary is appended to.
    pub step_summary: Option<PathBuf>,
    /// Where the checked commit's files are browsable
    /// (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/`), for summary links.
    pub blob_url: Option<String>,
    /// The process exits right after the command (the binary): large results such as
    /// 10k parsed records are left for the system to take back at exit instead of being
    /// freed one allocation at a time, a tail of several percent of a run. A library
    /// caller leaves this `false` and gets its memory back.
    pub exits_after: bool,
}

impl Env {
    /// The GitHub part of the environment, from a variable lookup (the process
    /// environment in the binary, a map in tests).
    pub fn with_github(mut self, var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name: &str| var(name).filter(|v| !v.is_empty());
        self.github_actions = set("GITHUB_ACTIONS").is_some_and(|v| v == "true");
        self.step_summary = set("GITHUB_STEP_SUMMARY").map(PathBuf::from);
        self.blob_url = match (
            set("GITHUB_SERVER_URL"),
            set("GITHUB_REPOSITORY"),
            set("GITHUB_SHA"),
        ) {
            (Some(server), Some(repo), Some(sha)) => Some(format!(
                "{}/{}/blob/{}/",
                server.trim_end_matches('/'),
                repo,
                sha
            )),
            _ => None,
        };
        self
    }
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
        Command::Init(args) => commands::init::run(args, &global, env, out),
        Command::Baseline(args) => commands::baseline::run(args, &global, env, out),
        Command::Migrate(args) => commands::migrate::run(args, &global, env, out),
        Command::New(args) => commands::new::run(args, &global, env, out),
        Command::Index(args) => commands::index::run(args, &global, env, out),
        Command::Stats(args) => commands::stats::run(args, &global, env, out),
        Command::Digest(args) => commands::digest::run(args, &global, env, out),
        Command::Schema(args) => commands::schema::run(args, out),
        Command::Completions(args) => commands::completions::run(args, out),
        Command::Man(args) => commands::completions::man(args, out),
        Command::Lsp => crate::lsp::run(&global),
    }
}

/// Options every command shares.
#[derive(Debug, Clone)]
pub struct Global {
    pub config: Option<PathBuf>,
    /// `--today`/`DECLINT_TODAY`; without it, today is the day in the config's
    /// `timezone` ([`crate::timeline::today`]).
    pub today: Option<NaiveDate>,
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

/// Write output; a closed pipe (`declint check | head`) is not an error.
pub fn write_all(out: &mut dyn Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("<stdout>", e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_from(vars: &[(&str, &str)]) -> Env {
        Env::default().with_github(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_string())
        })
    }

    #[test]
    fn github_environment_is_read_from_variables() {
        let env = env_from(&[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", "/tmp/summary.md"),
            ("GITHUB_SERVER_URL", "https://github.example.com/"),
            ("GITHUB_REPOSITORY", "acme/log"),
            ("GITHUB_SHA", "abc123"),
        ]);
        assert!(env.github_actions);
        assert_eq!(env.step_summary, Some(PathBuf::from("/tmp/summary.md")));
        assert_eq!(
            env.blob_url.as_deref(),
            Some("https://github.example.com/acme/log/blob/abc123/")
        );
    }

    #[test]
    fn outside_github_nothing_is_assumed() {
        let env = env_from(&[("GITHUB_ACTIONS", "false"), ("GITHUB_STEP_SUMMARY", "")]);
        assert!(!env.github_actions);
        assert_eq!(env.step_summary, None);
        assert_eq!(env.blob_url, None);
    }

    #[test]
    fn fail_on_thresholds() {
        use crate::finding::Severity;
        assert!(FailOn::Error.fails(Severity::Error));
        assert!(!FailOn::Error.fails(Severity::Warning));
        assert!(FailOn::Warning.fails(Severity::Warning));
        assert!(!FailOn::Warning.fails(Severity::Info));
        assert!(!FailOn::Never.fails(Severity::Error));
    }
}
