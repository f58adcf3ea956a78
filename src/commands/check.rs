//! `declint check`: the main job.

use crate::check::{self, CheckOptions};
use crate::cli::{CheckArgs, EXIT_FINDINGS, EXIT_OK, Env, Global, write_all};
use crate::error::{Error, Result};
use crate::output::summary::{self, STEP_SUMMARY_LIMIT, SummaryOptions};
use crate::output::{self, Format, Style, github};
use std::io::Write;
use std::path::{Path, PathBuf};

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
