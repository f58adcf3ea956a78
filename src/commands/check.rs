//! `declint check`: the main job.

use crate::check::{self, CheckOptions};
use crate::error::{Error, Result};
use crate::invocation::{EXIT_FINDINGS, EXIT_OK, Env, Global, write_all};
use crate::output::summary::{self, STEP_SUMMARY_LIMIT, SummaryOptions};
use crate::output::{self, Format, Style, github};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the configured decision folders).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Compare with the merge base of REF (a branch, tag or commit) and run the change rules
    /// (DL5xx). `auto`: the pull request's base in CI; on a laptop the default branch
    /// (origin/HEAD, origin/main, origin/master, main, master), never the branch's own
    /// upstream, or an error when there is none.
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

pub fn run(args: CheckArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let options = CheckOptions {
        paths: args.paths,
        config: global.config.clone(),
        today: global.today,
        cwd: env.cwd.clone(),
        base: args.base,
        head: args.head,
        history: args.history,
        since: args.since.clone(),
        staged: args.staged,
        no_baseline: args.no_baseline,
        auto_env: crate::git::AutoEnv::from_process(),
    };
    let format = args.format.unwrap_or(if env.github_actions {
        Format::Github
    } else {
        Format::Human
    });
    let summary_file = if args.no_summary {
        None
    } else {
        args.summary
            .map(|p| env.cwd.join(p))
            .or_else(|| env.step_summary.clone())
    };
    let report = match check::check(&options) {
        Ok(report) => report,
        Err(error) if format == Format::Github => {
            report_failure(&error, summary_file.as_deref(), out);
            return Err(error);
        }
        Err(error) => return Err(error),
    };
    let style = Style {
        color: env.color,
        width: env.width,
    };
    write_all(out, &output::render(format, &report, style))?;
    if let Some(file) = summary_file {
        append_summary(
            &file,
            &summary::render(&report, &summary_options(&file, env)),
        )?;
    }
    let fails = report
        .findings
        .iter()
        .any(|f| args.fail_on.fails(f.severity));
    if env.exits_after {
        // Freed by the system at exit (see `Env::exits_after`).
        std::mem::forget(report);
    }
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}

/// A tool failure in GitHub format: an `::error` annotation and a summary section with the
/// message and its help. The error itself still ends the run (exit 2) and is printed on
/// stderr by the binary; failing to write the summary must not hide it, so that is ignored.
fn report_failure(error: &Error, summary_file: Option<&Path>, out: &mut dyn Write) {
    let message = error.to_string();
    let help = miette::Diagnostic::help(error).map(|h| h.to_string());
    let annotation = github::failure_annotation(&message, help.as_deref());
    let _ = writeln!(out, "{annotation}");
    if let Some(file) = summary_file {
        let _ = append_summary(file, &summary::render_failure(&message, help.as_deref()));
    }
}

/// Links and room for the summary: what is left of GitHub's 1 MiB in `file`.
fn summary_options(file: &Path, env: &Env) -> SummaryOptions {
    let held = std::fs::metadata(file).map_or(0, |m| m.len());
    SummaryOptions {
        blob_url: env.blob_url.clone(),
        budget: STEP_SUMMARY_LIMIT.saturating_sub(usize::try_from(held).unwrap_or(usize::MAX)),
    }
}

/// Append Markdown to the summary `file`.
fn append_summary(file: &Path, text: &str) -> Result<()> {
    let write_error = |e: std::io::Error| Error::Write {
        path: PathBuf::from(file),
        message: e.to_string(),
        help: Some("check the --summary path (or $GITHUB_STEP_SUMMARY)".into()),
    };
    let mut handle = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .map_err(write_error)?;
    handle.write_all(text.as_bytes()).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;

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
