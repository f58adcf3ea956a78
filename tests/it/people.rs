//! One definition of a person (src/people.rs), through the binary: `check` (DL203, DL204,
//! DL206), `stats` and `list --decider` agree on who is who — case, a leading `@`,
//! surrounding space and roster aliases never split or merge people differently.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::util::{declint, stdout};
use std::path::Path;

/// A log of accepted decisions, one per decider given.
fn log(deciders: &[&str], config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join(".declint.yml"), config).unwrap();
    let folder = dir.path().join("decisions");
    std::fs::create_dir(&folder).unwrap();
    for (i, decider) in deciders.iter().enumerate() {
        let n = i + 1;
        std::fs::write(
            folder.join(format!("{n:04}-d{n}.md")),
            format!(
                "---\nid: \"{n:04}\"\ntitle: Decision {n}\nstatus: accepted\ndecider: \"{decider}\"\ndate: 2026-05-01\noptions: [this, that]\nreversal:\n  - p99 latency above 200 ms for a week\n---\n\n# Decision {n}\n"
            ),
        )
        .unwrap();
    }
    dir
}

fn stats_json(dir: &Path) -> serde_json::Value {
    let output = declint(dir, &["stats", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn check_and_stats_count_a_person_the_same_whatever_the_spelling() {
    // ana decides 4 of 10 (40% > 38.6%): written `ana` three times and `Ana` once.
    let dir = log(
        &[
            "ana", "ana", "ana", " Ana", "bo", "cy", "dee", "ed", "fay", "gus",
        ],
        "",
    );
    let check = declint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&check);
    assert!(
        text.contains("`ana` decides 4 of 10 open and active decisions (40.0%)"),
        "{text}"
    );
    let stats = stats_json(dir.path());
    let concentration = &stats["concentration"];
    assert_eq!(concentration["bottleneck"], true, "{concentration}");
    let top = &concentration["deciders"][0];
    assert_eq!(
        (top["name"].as_str(), top["decisions"].as_u64()),
        (Some("ana"), Some(4))
    );
    assert_eq!(concentration["deciders"].as_array().unwrap().len(), 7);
}

#[test]
fn roster_aliases_are_one_person_everywhere() {
    let config = "roster:\n  - [ana, \"@ana-lima\", Ana Lima]\n  - bo\n  - cy\n  - dee\n  - ed\n  - fay\n  - gus\n";
    let dir = log(
        &[
            "ana",
            "Ana Lima",
            "@ana-lima",
            "ana",
            "bo",
            "cy",
            "dee",
            "ed",
            "fay",
            "gus",
        ],
        config,
    );
    let check = declint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&check);
    assert!(!text.contains("DL203"), "aliases are on the roster: {text}");
    assert!(
        text.contains("`ana` decides 4 of 10 open and active decisions"),
        "{text}"
    );
    let stats = stats_json(dir.path());
    let top = &stats["concentration"]["deciders"][0];
    assert_eq!(
        (top["name"].as_str(), top["decisions"].as_u64()),
        (Some("ana"), Some(4))
    );

    let list = declint(
        dir.path(),
        &["list", "--decider", "ANA", "--format", "json"],
    );
    let listed: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let text = listed.to_string();
    for id in ["0001", "0002", "0003", "0004"] {
        assert!(text.contains(&format!("\"{id}\"")), "{id} missing: {text}");
    }
    assert!(!text.contains("\"0005\""), "{text}");
}
