//! `declint check | head` must not crash when the reader goes away.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let mut child = crate::util::declint_in(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "-f", "human", "fixtures/invalid/decisions"])
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
