//! `declint check | head` must not crash when the reader goes away.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_declint"))
        .args(["check", "-f", "human", "fixtures/invalid/decisions"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DECLINT_TODAY", "2026-06-01")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("declint starts");
    // Close the read end before declint writes anything, like `head -0`.
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_string(&mut stderr)
        .expect("stderr is readable");
    let status = child.wait().expect("declint exits");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        status.code(),
        Some(1),
        "findings still decide the exit code: {stderr}"
    );
}
