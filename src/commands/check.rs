//! `declint check`: the main job.

use crate::check::{self, CheckOptions};
use crate::cli::{CheckArgs, EXIT_FINDINGS, EXIT_OK, Env, Global, write_all};
use crate::error::Result;
use crate::finding::Severity;
use crate::output::{self, Format, Style};
use std::io::Write;

pub fn run(args: CheckArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let options = CheckOptions {
        paths: args.paths,
        config: global.config.clone(),
        today: global.today,
        cwd: env.cwd.clone(),
        base: args.base,
        head: args.head,
        history: args.history,
        auto_env: crate::git::AutoEnv::from_process(),
    };
    let report = check::check(&options)?;
    let format = args.format.unwrap_or(Format::Human);
    let style = Style {
        color: env.color,
        width: env.width,
    };
    write_all(out, &output::render(format, &report, style))?;
    let has_errors = report
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    Ok(if has_errors { EXIT_FINDINGS } else { EXIT_OK })
}
