//! What every command is run with: the options all commands share (`--config`,
//! `--today`), what the process environment tells them, the exit codes and the one way
//! they write to stdout. Below `cli` (which parses and dispatches), `commands` and `lsp`
//! (which run), so neither of those has to name the layer that calls it.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;

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

/// Options every command shares.
#[derive(Debug, Clone)]
pub struct Global {
    pub config: Option<PathBuf>,
    /// `--today`/`DECLINT_TODAY`; without it, today is the day in the config's
    /// `timezone` ([`crate::timeline::today`]).
    pub today: Option<NaiveDate>,
}

/// Exit code for a successful run with no error-level finding.
pub const EXIT_OK: u8 = 0;
/// Exit code when error-level findings were reported.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code for usage, config, repository or I/O failures.
pub const EXIT_FAILURE: u8 = 2;

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
}
