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
