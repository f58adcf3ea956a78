//! The writing commands (`init`, `new`, `new --supersedes`, `index`) against a hostile
//! checkout: a template, README, config or record that is a symlink out of the repository
//! is refused and nothing outside is read into the log or written; and no writing command
//! touches the git repository itself. (Atomic no-clobber writes, and two `new` runs at the
//! same moment, are tested in tests/it/authoring.rs and src/write.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use crate::util::{declint, stderr};

/// A repository (a real git one) with `declint init` done.
fn initialised() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init(dir.path()).unwrap();
    let o = declint(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    dir
}

/// Every file under `dir` with its bytes (regular files only; symlinks are listed empty).
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&current)
            .unwrap()
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(std::fs::DirEntry::path);
        for entry in entries {
            let path = entry.path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap_or_default();
                out.push((path, bytes));
            } else {
                // A symlink is listed, not followed.
                out.push((path, Vec::new()));
            }
        }
    }
    out
}

#[test]
fn a_template_outside_the_repository_is_refused() {
    let dir = initialised();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\ntitle: TOP-SECRET\n---\nTOP-SECRET-CONTENT\n").unwrap();
    let before = contents(&dir.path().join("decisions"));

    // By a relative path that climbs out.
    let depth = dir.path().components().count();
    let climb = format!(
        "{}{}",
        "../".repeat(depth),
        secret.display().to_string().trim_start_matches('/')
    );
    std::fs::write(
        dir.path().join(".declint.yml"),
        format!("template: {climb}\n"),
    )
    .unwrap();
    let o = declint(dir.path(), &["new", "Use Postgres"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no such regular file inside the repository"),
        "{}",
        stderr(&o)
    );

    // By a symlink inside the repository.
    std::fs::remove_file(dir.path().join("decisions/template.md")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("decisions/template.md")).unwrap();
    std::fs::write(
        dir.path().join(".declint.yml"),
        "template: decisions/template.md\n",
    )
    .unwrap();
    let o = declint(dir.path(), &["new", "Use Postgres"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    let after = contents(&dir.path().join("decisions"));
    assert_eq!(after.len(), before.len(), "no record was created");
    assert!(
        !after
            .iter()
            .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("TOP-SECRET")),
        "the secret reached the log"
    );
}

#[test]
fn index_refuses_a_readme_symlinked_outside() {
    let dir = initialised();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.md");
    std::fs::write(
        &victim,
        "<!-- declint:index:start -->\n<!-- declint:index:end -->\n",
    )
    .unwrap();
    let readme = dir.path().join("decisions/README.md");
    std::fs::remove_file(&readme).unwrap();
    std::os::unix::fs::symlink(&victim, &readme).unwrap();
    let o = declint(dir.path(), &["index"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "<!-- declint:index:start -->\n<!-- declint:index:end -->\n"
    );
}

#[test]
fn init_does_not_write_through_a_dangling_config_symlink() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init(dir.path()).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("planted.yml");
    std::os::unix::fs::symlink(&target, dir.path().join(".declint.yml")).unwrap();
    let o = declint(dir.path(), &["init"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!target.exists(), "init wrote through the symlink");
}

#[test]
fn supersede_does_not_edit_a_symlinked_record() {
    let dir = initialised();
    let decisions = dir.path().join("decisions");
    let first = std::fs::read_dir(&decisions)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("0001"))
        })
        .expect("init wrote record 0001");
    // Move the record out of the way and leave a symlink (inside the repository) to it.
    let real = dir.path().join("elsewhere.md");
    std::fs::rename(&first, &real).unwrap();
    std::os::unix::fs::symlink(&real, &first).unwrap();
    let before = std::fs::read(&real).unwrap();
    let o = declint(dir.path(), &["new", "Replace it", "--supersedes", "0001"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

#[test]
fn writing_commands_never_touch_the_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    git2::Repository::init(dir.path()).unwrap();
    let git = dir.path().join(".git");
    let before = contents(&git);
    for args in [
        vec!["init"],
        vec!["new", "Use Postgres", "--decider", "ana"],
        vec![
            "new",
            "Use SQLite",
            "--decider",
            "ana",
            "--supersedes",
            "0002",
        ],
        vec!["index"],
    ] {
        let o = declint(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    assert!(contents(&git) == before, "a writing command changed .git");
}
