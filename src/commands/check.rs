//! `declint check`: the main job.

use crate::check::{self, CheckOptions};
use crate::cli::{CheckArgs, EXIT_FINDINGS, EXIT_OK, Env, Global, write_all};
use crate::error::{Error, Result};
use crate::output::summary::{self, STEP_SUMMARY_LIMIT, SummaryOptions};
use crate::output::{self, Format, Style};
use crate::report::Report;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(args: CheckArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let options = CheckOptions {
        paths: args.paths,
        config: global.config.clone(),
        today: global.today,
        today_pinned: global.today_pinned,
        cwd: env.cwd.clone(),
        base: args.base,
        head: args.head,
        history: args.history,
        auto_env: crate::git::AutoEnv::from_process(),
    };
    let report = check::check(&options)?;
    let format = args.format.unwrap_or(if env.github_actions {
        Format::Github
    } else {
        Format::Human
    });
    let style = Style {
        color: env.color,
        width: env.width,
    };
    write_all(out, &output::render(format, &report, style))?;
    let summary_file = if args.no_summary {
        None
    } else {
        args.summary
            .map(|p| env.cwd.join(p))
            .or_else(|| env.step_summary.clone())
    };
    if let Some(file) = summary_file {
        append_summary(&file, &report, env)?;
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

/// Append the Markdown summary to `file`, within what is left of GitHub's 1 MiB.
fn append_summary(file: &Path, report: &Report, env: &Env) -> Result<()> {
    let held = std::fs::metadata(file).map_or(0, |m| m.len());
    let options = SummaryOptions {
        blob_url: env.blob_url.clone(),
        budget: STEP_SUMMARY_LIMIT.saturating_sub(usize::try_from(held).unwrap_or(usize::MAX)),
    };
    let text = summary::render(report, &options);
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
