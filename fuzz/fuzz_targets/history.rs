//! The history reader on arbitrary records: fuzz bytes become the versions of a few
//! decision files in a throwaway git repository, one commit each, and `check --history`
//! and `stats --history` run over it through the library's command line, as the binary
//! runs them. Every input gives exit 0 or 1 and JSON that parses: a record's bytes (not
//! UTF-8, binary, too large, broken YAML, colliding ids, renames across folders) are
//! findings, never a failure of the walk or a panic.
//!
//! The input is cut at each `\0\0` into versions. A version's first byte picks the file it
//! becomes (four paths in two folders, two of them sharing the id 0001, so a move keeps
//! the record); an empty rest deletes that file. The first byte of the input picks a small
//! `max_file_bytes` (bit 0), so that versions over it are common.
#![no_main]

use clap::Parser;
use declint::cli::{self, Cli, Env};
use git2::{IndexAddOption, Repository, Signature, Time};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const PATHS: [&str; 4] = [
    "decisions/0001-a.md",
    "decisions/0002-b.md",
    "adr/0001-a.md",
    "decisions/0003-c.md",
];

/// The most versions (commits) one input makes: keeps each run short.
const MAX_VERSIONS: usize = 12;

fn commit(repo: &Repository, index: usize) {
    let mut staged = repo.index().expect("index");
    staged
        .add_all(["*"], IndexAddOption::DEFAULT, None)
        .expect("add");
    staged.update_all(["*"], None).expect("update");
    staged.write().expect("write index");
    let tree = repo
        .find_tree(staged.write_tree().expect("tree"))
        .expect("find tree");
    let time = Time::new(1_767_225_600 + 3_600 * index as i64, 0);
    let who = Signature::new("Fuzz", "fuzz@example.com", &time).expect("signature");
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(
        Some("HEAD"),
        &who,
        &who,
        &format!("v{index}"),
        &tree,
        &parents,
    )
    .expect("commit");
}

fn run(dir: &Path, args: &[&str]) -> (u8, Vec<u8>) {
    let cli = Cli::try_parse_from(args).expect("arguments");
    let env = Env {
        cwd: dir.to_path_buf(),
        width: 100,
        ..Env::default()
    };
    let mut out = Vec::new();
    let code = match cli::run(cli, &env, &mut out) {
        Ok(code) => code,
        Err(error) => panic!("{args:?} failed on a sane repository: {error}"),
    };
    (code, out)
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = Repository::init(dir.path()).expect("init");
    std::fs::create_dir_all(dir.path().join("decisions")).expect("decisions");
    std::fs::create_dir_all(dir.path().join("adr")).expect("adr");
    if flags & 1 == 1 {
        std::fs::write(dir.path().join(".declint.yml"), "max_file_bytes: 64\n").expect("config");
    }
    let mut index = 0;
    let mut versions = rest.split(|&b| b == 0).peekable();
    // `\0\0` separates versions; a single NUL stays in the record (a binary file).
    let mut parts: Vec<Vec<u8>> = vec![Vec::new()];
    while let Some(piece) = versions.next() {
        let last = parts.last_mut().expect("one part");
        last.extend_from_slice(piece);
        if versions.peek().is_some_and(|next| next.is_empty()) {
            versions.next();
            parts.push(Vec::new());
        } else if versions.peek().is_some() {
            last.push(0);
        }
    }
    for part in parts.iter().take(MAX_VERSIONS) {
        let Some((&which, text)) = part.split_first() else {
            continue;
        };
        let path = dir.path().join(PATHS[usize::from(which) % PATHS.len()]);
        if text.is_empty() {
            let _ = std::fs::remove_file(&path);
        } else {
            std::fs::write(&path, text).expect("write version");
        }
        commit(&repo, index);
        index += 1;
    }
    let root = dir.path();
    let today = ["--today", "2026-06-01"];
    let (code, out) = run(
        root,
        &[
            &["declint"][..],
            &today,
            &["check", "--history", "-f", "json"],
        ]
        .concat(),
    );
    assert!(code <= 1, "check --history exit {code}");
    let json: serde_json::Value = serde_json::from_slice(&out).expect("check JSON parses");
    // Every finding of the walk names a file that is in the log (or was).
    for finding in json["findings"].as_array().expect("findings") {
        let path = finding["path"].as_str().expect("path");
        assert!(
            PATHS.contains(&path) || path == ".declint.yml",
            "finding on {path}"
        );
    }
    let (code, out) = run(
        root,
        &[
            &["declint"][..],
            &today,
            &["stats", "--history", "-f", "json"],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "stats --history exit {code}");
    let _: serde_json::Value = serde_json::from_slice(&out).expect("stats JSON parses");
});
