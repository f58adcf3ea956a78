//! Human output carries no colour codes when stdout is not a terminal, even without
//! `NO_COLOR`: CI logs and files stay plain text.

use std::path::Path;

#[test]
fn no_colour_when_piped() {
    let output = crate::util::declint_in(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "-f", "human", "fixtures/invalid/decisions"])
        .env_remove("NO_COLOR")
        .output()
        .expect("declint runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("DL106(missing-reversal)"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "escape codes in piped output");
}

/// Human output wraps to the terminal's width when `COLUMNS` is not exported (shells
/// rarely export it). Run under a pseudo-terminal with util-linux `script`.
#[cfg(target_os = "linux")]
#[test]
fn human_output_wraps_to_the_terminal_width() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let lines = |columns: u16| {
        let command = format!(
            "stty rows 30 cols {columns}; {} check -f human fixtures/invalid/decisions",
            env!("CARGO_BIN_EXE_declint")
        );
        let run = std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("COLUMNS")
            .env("NO_COLOR", "1")
            .env("DECLINT_TODAY", "2026-06-01")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("script runs");
        String::from_utf8_lossy(&run.stdout).lines().count()
    };
    let (narrow, wide) = (lines(40), lines(200));
    assert!(
        narrow > wide,
        "40 columns: {narrow} lines; 200 columns: {wide}"
    );
}
