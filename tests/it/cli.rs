//! CLI snapshots: every `tests/cmd/*.toml` case runs the real binary over `fixtures/`
//! and compares stdout, stderr and the exit code. `TRYCMD=overwrite cargo test --test it cli::`
//! refreshes the snapshots after an intended change; review the diff.

#[test]
fn cli() {
    trycmd::TestCases::new()
        .env("DECLINT_TODAY", "2026-06-01")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        // Inside GitHub Actions the default format and the job summary change: not here.
        .env("GITHUB_ACTIONS", "false")
        .env("GITHUB_STEP_SUMMARY", "")
        .case("tests/cmd/*.toml");
}
