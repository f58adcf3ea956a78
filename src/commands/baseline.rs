//! `declint baseline [--prune]`: record today's findings in `.declint-baseline.json`
//! (see [`crate::baseline`]), or drop the entries that no longer match.

use crate::baseline;
use crate::check::{self, CheckOptions};
use crate::error::{Error, Result};
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::write::{CreateError, Writer};
use std::io::Write;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct BaselineArgs {
    /// Only drop the entries that no longer match a finding; never add one.
    #[arg(long)]
    pub prune: bool,
}

pub fn run(args: BaselineArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let options = CheckOptions {
        config: global.config.clone(),
        today: global.today,
        cwd: env.cwd.clone(),
        ..CheckOptions::default()
    };
    let message = if args.prune {
        prune(options)?
    } else {
        let (written, path) = record(options)?;
        format!(
            "wrote {} with {written} finding{}; commit it, and `declint check` fails only on new findings\n",
            path,
            if written == 1 { "" } else { "s" }
        )
    };
    write_all(out, &message)?;
    Ok(EXIT_OK)
}

/// Write the baseline of the log `options` check: every finding a baseline may hold.
/// Returns how many entries it has and the file's name as shown.
pub(crate) fn record(mut options: CheckOptions) -> Result<(usize, String)> {
    options.no_baseline = true;
    let report = check::check(&options)?;
    let entries = baseline::entries_of(&report);
    let count = entries.len();
    let path = baseline::path_in(&report.root);
    write(&report.root, &path, &baseline::render(entries))?;
    Ok((count, baseline::BASELINE_FILE.to_string()))
}

/// Drop the entries no finding matches; never add one. The file is rewritten from the
/// findings it holds, so a version 1 file comes out as version 2 with the same findings.
fn prune(options: CheckOptions) -> Result<String> {
    let report = check::check(&options)?;
    let path = baseline::path_in(&report.root);
    if baseline::load(&path)?.is_none() {
        return Err(Error::usage(
            format!("there is no {} to prune", baseline::BASELINE_FILE),
            Some("`declint baseline` writes one"),
        ));
    }
    let stale = report.stale_baseline.len();
    let kept = baseline::held_entries(&report);
    write(&report.root, &path, &baseline::render(kept))?;
    Ok(format!(
        "dropped {stale} entr{} from {}\n",
        if stale == 1 { "y" } else { "ies" },
        baseline::BASELINE_FILE
    ))
}

/// Write `text` to `path` atomically: created if new, else replaced as read.
fn write(root: &Path, path: &Path, text: &str) -> Result<()> {
    let writer = Writer::new(root)?;
    match writer.create_new(path, text) {
        Ok(()) => Ok(()),
        Err(CreateError::Exists(_)) => {
            let current = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            writer.replace(path, &current, text)
        }
        Err(CreateError::Failed(e)) => Err(e),
    }
}
