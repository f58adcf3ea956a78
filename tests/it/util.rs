//! Helpers every module of the test binary shares: the built `declint` with a pinned day
//! and a hermetic environment, and its output as text.
#![allow(dead_code, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The day every binary-level test runs on (`DECLINT_TODAY`).
pub const TODAY: &str = "2026-06-01";

/// The built binary run in `dir`: day pinned, no colour, no stdin, and no GitHub Actions
/// variables leaking in from a CI runner (they change the default format and `--base auto`).
pub fn declint_in(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_declint"));
    command
        .current_dir(dir)
        .env("DECLINT_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null());
    command
}

/// `declint ARGS` in `dir`, run to completion.
pub fn declint(dir: &Path, args: &[&str]) -> Output {
    declint_in(dir).args(args).output().expect("declint runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
