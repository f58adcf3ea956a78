//! Adopting an existing log (issue 15, SPEC §10), through the binary: allowed extra
//! fields, the formats teams already have, and the commands that take a folder to green.
#![allow(clippy::expect_used)]

use crate::util::{declint, stdout};
use std::fs;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

const SITE_RECORD: &str = "---\ntitle: Use Postgres\nstatus: proposed\ndecider: ana\nnav_order: 3\nparent: Decisions\nreversl: [x]\n---\n# Use Postgres\n";

/// `fields: {allow: [...]}` silences exactly the named site keys; DL004 stays on for a
/// misspelt field in the same record.
#[test]
fn allowed_fields_keep_dl004_on_for_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "decisions/0001-postgres.md", SITE_RECORD);
    let before = declint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&before);
    assert_eq!(text.matches("DL004").count(), 3, "{text}");

    write(
        dir.path(),
        ".declint.yml",
        "fields:\n  allow: [nav_order, parent]\n",
    );
    let after = declint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&after);
    assert_eq!(text.matches("DL004").count(), 1, "{text}");
    assert!(text.contains("reversl"), "{text}");
    assert!(
        !text.contains("nav_order") && !text.contains("parent"),
        "{text}"
    );
    assert_eq!(after.status.code(), Some(0), "{text}");
}
