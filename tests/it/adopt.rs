//! Adopting an existing log (issue 15, SPEC §10), through the binary: allowed extra
//! fields, the formats teams already have, and the commands that take a folder to green.
#![allow(clippy::expect_used)]

use crate::repo::TestRepo;
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

/// Copy `fixtures/adopt/<name>` into a fresh repository and commit it on `main`.
fn adopted_repo(name: &str) -> TestRepo {
    let repo = TestRepo::new();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/adopt")
        .join(name);
    copy_tree(&source, repo.path());
    repo.commit("the log as it was", 1_700_000_000);
    repo
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The failing findings of a concise run, as `path:line:col: CODE`, and its exit code.
fn failing(repo: &TestRepo, args: &[&str]) -> (Vec<String>, Option<i32>) {
    let mut all = vec!["check", "--format", "concise"];
    all.extend_from_slice(args);
    let output = declint(repo.path(), &all);
    let text = stdout(&output);
    let lines = text
        .lines()
        .filter(|l| l.contains(" error ") || l.contains(" warning "))
        .map(|l| {
            l.split(" error ")
                .next()
                .unwrap_or(l)
                .split(" warning ")
                .next()
                .unwrap_or(l)
                .to_string()
        })
        .collect();
    (lines, output.status.code())
}

/// Each fixture: `init --adopt` exits 0 and `check` is green right after it; one bad
/// record added fails with exactly its own findings, located at their lines, both in a
/// plain check and in a pull request against `main`.
fn adopt_then_one_bad_record(name: &str, bad_path: &str, bad: &str, want: &[&str]) {
    let repo = adopted_repo(name);
    let adopt = declint(repo.path(), &["init", "--adopt"]);
    assert_eq!(adopt.status.code(), Some(0), "{}", stdout(&adopt));
    assert!(repo.path().join(".declint.yml").is_file());
    assert!(repo.path().join(".declint-baseline.json").is_file());
    let (found, code) = failing(&repo, &[]);
    assert_eq!((found.as_slice(), code), (&[][..], Some(0)), "{name}");
    repo.commit("adopt declint", 1_700_000_100);

    repo.branch("bad");
    repo.write(bad_path, bad);
    repo.commit("a bad record", 1_700_000_200);
    let (found, code) = failing(&repo, &[]);
    assert_eq!(found, want, "{name}");
    assert_eq!(code, Some(1), "{name}");
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(found, want, "{name} in a pull request");
    assert_eq!(code, Some(1), "{name}");
}

#[test]
fn adr_tools_folder_adopts_and_a_bad_record_fails_alone() {
    adopt_then_one_bad_record(
        "adr-tools",
        "doc/adr/0004-bad.md",
        "# 4. Bad\n\nDate: September 20, 2024\n\n## Status\n\nAcepted\n\n## Context\n\nx\n",
        &[
            "doc/adr/0004-bad.md:3:1: DL103",
            "doc/adr/0004-bad.md:7:1: DL102",
        ],
    );
}

#[test]
fn log4brains_folder_adopts_and_a_bad_record_fails_alone() {
    adopt_then_one_bad_record(
        "log4brains",
        "docs/adr/20241217-bad.md",
        "# Bad\n\n- Status: accepted\n- Date: 2023-24-05\n\n## Context and Problem Statement\n\nx\n",
        &[
            "docs/adr/20241217-bad.md:3:1: DL108",
            "docs/adr/20241217-bad.md:4:1: DL103",
        ],
    );
}

#[test]
fn tendermint_folder_adopts_and_a_bad_record_fails_alone() {
    adopt_then_one_bad_record(
        "tendermint",
        "docs/architecture/adr-067-bad.md",
        "# ADR 67: Bad\n\n## Changelog\n\n- 2023-9-15: Initial draft\n\n## Status\n\n## Context\n\nx\n",
        &[
            "docs/architecture/adr-067-bad.md:5:1: DL103",
            "docs/architecture/adr-067-bad.md:7:1: DL101",
        ],
    );
}

/// MADR 4 front-matter under `YYYY-MM-DD-slug.md` names: `profile: madr` takes the
/// dated stems as ids by default (`init --adopt` writes no wider `id_pattern`), and the
/// front-matter `superseded by [slug](file)` resolves to the dated id, so the log is
/// green; a bad record added fails alone.
#[test]
fn dated_madr_folder_adopts_and_a_bad_record_fails_alone() {
    let repo = adopted_repo("madr-dated");
    repo.write(".declint.yml", "profile: madr\npaths: [docs/decisions]\n");
    let (found, code) = failing(&repo, &["--no-baseline"]);
    assert_eq!((found.as_slice(), code), (&[][..], Some(0)));
    fs::remove_file(repo.path().join(".declint.yml")).expect("rm");
    adopt_then_one_bad_record(
        "madr-dated",
        "docs/decisions/2024-06-01-bad.md",
        "---\nstatus: superseded by [2024-07-01-gone](2024-07-01-gone.md)\ndate: 2024-6-1\n---\n# Bad\n",
        &[
            "docs/decisions/2024-06-01-bad.md:2:9: DL108",
            "docs/decisions/2024-06-01-bad.md:2:9: DL402",
            "docs/decisions/2024-06-01-bad.md:3:7: DL103",
        ],
    );
    let repo = adopted_repo("madr-dated");
    let adopt = stdout(&declint(repo.path(), &["init", "--adopt"]));
    let config = fs::read_to_string(repo.path().join(".declint.yml")).expect("config");
    assert!(!config.contains("id_pattern"), "{adopt}\n{config}");
}

/// Nygard statuses and relations: a compound status is split, relation links resolve
/// to ids, so the supersede pair is consistent (no DL402/DL403), and dates come from
/// the `Date:` line or the changelog.
#[test]
fn nygard_relations_resolve_and_values_are_located() {
    let repo = adopted_repo("adr-tools");
    fs::write(repo.path().join(".declint.yml"), "profile: nygard\n").expect("config");
    let output = declint(repo.path(), &["list", "--format", "json"]);
    let text = stdout(&output);
    assert!(
        text.contains("\"superseded\"") || text.contains("\"Superseded\""),
        "{text}"
    );
    let (found, _) = failing(&repo, &[]);
    assert_eq!(found, ["doc/adr/0002-keep-dates-as-written.md:3:1: DL103"]);
    // A broken relation link is one located finding.
    repo.write(
        "doc/adr/0003-use-iso-8601-dates.md",
        "# 3. Use ISO 8601 dates\n\nDate: 2017-02-21\n\n## Status\n\nAccepted\n\nSupersedes [2. Keep dates](0002-keep-dates-as-written.md\n",
    );
    let (found, _) = failing(&repo, &[]);
    assert!(
        found.contains(&"doc/adr/0003-use-iso-8601-dates.md:9:1: DL003".to_string()),
        "{found:?}"
    );
}

/// MADR 2 / log4brains bullet blocks: a compound status is split into the status and
/// its link as in a Nygard Status section (`Superseded by [ADR-0002](./0002-use-y.md)`,
/// `accepted; supersedes ADR-0001`), so the pair is consistent, a link to no record is
/// DL402 and a malformed link DL003, each at the bullet's line.
#[test]
fn madr2_compound_status_bullets_split_into_status_and_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, ".declint.yml", "profile: madr\npaths: [docs/adr]\n");
    let record = |title: &str, status: &str, date: &str| {
        format!(
            "# {title}\n\n{status}\n- Deciders: Ana\n- Date: {date}\n\n## Considered Options\n\n* X\n* Y\n"
        )
    };
    write(
        root,
        "docs/adr/0001-use-x.md",
        &record(
            "Use X",
            "- Status: Superseded by [ADR-0002](./0002-use-y.md)",
            "2024-01-02",
        ),
    );
    write(
        root,
        "docs/adr/0002-use-y.md",
        &record(
            "Use Y",
            "- Status: accepted; supersedes ADR-0001",
            "2024-02-02",
        ),
    );
    write(
        root,
        "docs/adr/0003-use-z.md",
        &record(
            "Use Z",
            "* **Status:** accepted; supersedes [ADR-0009](0009-gone.md)",
            "2024-03-02",
        ),
    );
    let list = stdout(&declint(root, &["list", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&list).expect("json");
    let statuses: Vec<(&str, &str)> = json["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .map(|d| {
            (
                d["status"].as_str().unwrap_or_default(),
                d["class"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("Superseded", "closed"),
            ("accepted", "active"),
            ("accepted", "active")
        ],
        "{list}"
    );
    let output = declint(root, &["check", "--format", "concise"]);
    let text = stdout(&output);
    let findings: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(" error ") || l.contains(" warning "))
        .collect();
    assert_eq!(findings.len(), 1, "{text}");
    assert!(
        findings[0].starts_with("docs/adr/0003-use-z.md:3:1: DL402")
            && findings[0].contains("`0009`"),
        "{text}"
    );

    // A link never closed: one located DL003, and no link is guessed from it.
    write(
        root,
        "docs/adr/0001-use-x.md",
        &record(
            "Use X",
            "- Status: Superseded by [ADR-0002](./0002-use-y.md",
            "2024-01-02",
        ),
    );
    let text = stdout(&declint(root, &["check", "--format", "concise"]));
    assert!(text.contains("docs/adr/0001-use-x.md:3:1: DL003"), "{text}");
}

/// One reader of "superseded by X": the same compound status written as MADR 3/4
/// front-matter, in a MADR `## Status` section and as a Nygard Status line gives the same
/// status word and class, and the same target id (a link to no record is DL402 naming
/// `0009`, at the line the status is on).
#[test]
fn the_same_compound_status_reads_the_same_in_every_format() {
    let status = "Superseded by [ADR-0009](0009-gone.md)";
    let cases = [
        (
            "madr",
            format!(
                "---\nstatus: {status}\ndate: 2024-01-02\ndeciders: [Ana]\n---\n# Use X\n\n## Considered Options\n\n* X\n* Y\n"
            ),
            2,
        ),
        (
            "madr",
            format!("# Use X\n\n## Status\n\n{status}\n\n## Considered Options\n\n* X\n* Y\n"),
            5,
        ),
        (
            "nygard",
            format!("# 1. Use X\n\nDate: 2024-01-02\n\n## Status\n\n{status}\n"),
            7,
        ),
    ];
    for (profile, text, line) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(
            root,
            ".declint.yml",
            &format!("profile: {profile}\npaths: [docs/adr]\n"),
        );
        write(root, "docs/adr/0001-use-x.md", &text);
        let list = stdout(&declint(root, &["list", "--format", "json"]));
        let json: serde_json::Value = serde_json::from_str(&list).expect("json");
        let decision = &json["decisions"][0];
        assert_eq!(decision["status"], "Superseded", "{text}\n{list}");
        assert_eq!(decision["class"], "closed", "{text}\n{list}");
        let check = stdout(&declint(root, &["check", "--format", "concise"]));
        let broken: Vec<&str> = check.lines().filter(|l| l.contains("DL402")).collect();
        assert_eq!(broken.len(), 1, "{text}\n{check}");
        assert!(
            broken[0].starts_with(&format!("docs/adr/0001-use-x.md:{line}:"))
                && broken[0].contains("`0009`"),
            "{text}\n{check}"
        );
    }
}

/// The folder-per-record layout: `YYYY-MM-DD-slug/README.md` and `NNNN-slug/README.md`
/// inside the decision folder are records (ids from the folder names), while the
/// folder's own README, and the README of a folder named by a number alone, stay index
/// pages. Found in a plain check and in a pull request (`--base`).
#[test]
fn folder_per_record_readmes_are_records_and_the_index_is_not() {
    let repo = TestRepo::new();
    // Prose that would be DL001 if it were read as a record.
    let index = "# Decisions\n\nSee the folders below.\n";
    // Dated ids are not numbers: the id pattern `init --adopt` would widen.
    repo.write(
        ".declint.yml",
        "id_pattern: '^([0-9]{4,}|[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z-]+)$'\n",
    );
    repo.write("decisions/README.md", index);
    repo.write("decisions/2024/README.md", index);
    repo.write("decisions/2024-03-04-use-x/README.md", GOOD);
    repo.write(
        "decisions/0007-use-y/README.md",
        "---\ntitle: Use Y\nstatus: proposed\nraised: 2026-05-31\n---\n",
    );
    repo.commit("a folder-per-record log", 1_700_000_000);
    let list = stdout(&declint(repo.path(), &["list", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&list).expect("json");
    let ids: Vec<&str> = json["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, ["0007", "2024-03-04-use-x"], "{list}");
    let (found, code) = failing(&repo, &[]);
    assert_eq!(found, ["decisions/0007-use-y/README.md:1:1: DL201"]);
    assert_eq!(code, Some(1));

    repo.write(
        "decisions/0007-use-y/README.md",
        "---\ntitle: Use Y\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\n---\n",
    );
    repo.commit("the decider", 1_700_000_050);
    assert_eq!(failing(&repo, &[]), (vec![], Some(0)));

    // A pull request that adds a bad record in its own folder fails on it alone; one
    // that edits the index changes no record.
    repo.branch("change");
    repo.write("decisions/README.md", "# Decisions\n\nNew intro.\n");
    repo.write(
        "decisions/0008-use-z/README.md",
        "---\ntitle: Use Z\nstatus: proposed\nraised: 2026-05-31\n---\n",
    );
    repo.commit("a record without a decider", 1_700_000_100);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(found, ["decisions/0008-use-z/README.md:1:1: DL201"]);
    assert_eq!(code, Some(1));
}

/// `init --adopt` finds a folder-per-record log (the records are the READMEs of dated
/// folders; the folder's own README is its index), and a pull request adding a bad
/// record in its own folder fails on that record alone.
#[test]
fn init_adopt_finds_a_folder_per_record_log() {
    let repo = TestRepo::new();
    let record = |title: &str, status: &str, date: &str| {
        format!(
            "# {title}\n\n- Status: {status}\n- Deciders: Ana\n- Date: {date}\n\n## Considered Options\n\n* X\n* Y\n"
        )
    };
    repo.write("docs/decisions/README.md", "# Decisions\n\nThe index.\n");
    repo.write(
        "docs/decisions/2024-03-04-use-x/README.md",
        &record(
            "Use X",
            "superseded by [Use Y](../2024-05-06-use-y/README.md)",
            "2024-03-04",
        ),
    );
    repo.write(
        "docs/decisions/2024-05-06-use-y/README.md",
        &record("Use Y", "accepted", "2024-05-06"),
    );
    repo.commit("a folder-per-record log", 1_700_000_000);
    let adopt = declint(repo.path(), &["init", "--adopt"]);
    let text = stdout(&adopt);
    assert_eq!(adopt.status.code(), Some(0), "{text}");
    assert!(
        text.contains("2 decision records in docs/decisions"),
        "{text}"
    );
    // The pair is consistent and nothing else is wrong: an empty baseline, a green check.
    let (found, code) = failing(&repo, &[]);
    assert_eq!((found.as_slice(), code), (&[][..], Some(0)));
    repo.commit("adopt declint", 1_700_000_100);

    repo.branch("bad");
    repo.write(
        "docs/decisions/2024-07-08-use-z/README.md",
        &record("Use Z", "Acepted", "2024-07-08"),
    );
    repo.commit("a bad record", 1_700_000_200);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(
        found,
        ["docs/decisions/2024-07-08-use-z/README.md:3:1: DL102"]
    );
    assert_eq!(code, Some(1));
}

/// Under `auto` a folder may mix front-matter and Nygard records; a file in no format is
/// one DL001 that names the formats tried.
#[test]
fn auto_reads_mixed_folders_and_names_what_matches_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".declint.yml", "profile: auto\n");
    write(
        dir.path(),
        "decisions/0001-nygard.md",
        "# 1. Use X\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n",
    );
    write(
        dir.path(),
        "decisions/0002-front-matter.md",
        "---\ntitle: Use Y\nstatus: accepted\ndecider: ana\ndate: 2024-01-03\noptions: [Y, Z]\nreversal: [when Y costs twice as much as Z]\nsupersedes: \"0001\"\n---\n",
    );
    write(
        dir.path(),
        "decisions/0003-notes.md",
        "# Notes\n\nJust prose.\n",
    );
    let output = declint(dir.path(), &["check", "--format", "concise"]);
    let text = stdout(&output);
    let errors: Vec<&str> = text.lines().filter(|l| l.contains(" error ")).collect();
    assert_eq!(errors.len(), 2, "{text}");
    // The Nygard record names no decider and is not asked for one.
    assert!(!text.contains("DL201"), "{text}");
    assert!(
        errors[0].starts_with("decisions/0001-nygard.md") && errors[0].contains("DL403"),
        "{text}"
    );
    assert!(
        errors[1].starts_with("decisions/0003-notes.md:1:1: DL001")
            && errors[1].contains("matches no record format"),
        "{text}"
    );
    // A front-matter record under `auto` is still asked for its decider.
    write(
        dir.path(),
        "decisions/0004-no-decider.md",
        "---\ntitle: Use W\nstatus: proposed\nraised: 2026-05-30\n---\n",
    );
    let text = stdout(&declint(dir.path(), &["check", "--format", "concise"]));
    assert!(
        text.contains("decisions/0004-no-decider.md:1:1: DL201"),
        "{text}"
    );
}

/// The baseline: stable across an unrelated edit above the finding, shrinks with
/// `--prune`, never hides a parse error in a record the change edits.
#[test]
fn baseline_is_stable_across_edits_and_prunes() {
    let repo = adopted_repo("tendermint");
    assert_eq!(
        declint(repo.path(), &["init", "--adopt"]).status.code(),
        Some(0)
    );
    repo.commit("adopt", 1_700_000_100);
    let record = "docs/architecture/adr-001-logging.md";
    let text = fs::read_to_string(repo.path().join(record)).expect("read");
    // A paragraph above the finding moves its line; the entry still holds it.
    repo.write(
        record,
        &text.replace("## Context\n", "## Context\n\nMore context.\n"),
    );
    let (found, code) = failing(&repo, &[]);
    assert_eq!((found.len(), code), (0, Some(0)), "{found:?}");
    // Fixing the finding leaves a stale entry, which --prune drops.
    repo.write(
        record,
        &text.replace("## Status\n\nImplemented\n", "## Status\n\nProposed\n"),
    );
    let output = declint(repo.path(), &["check", "--format", "concise"]);
    assert!(
        stdout(&output).contains("1 baseline entry no longer matches"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        declint(repo.path(), &["baseline", "--prune"]).status.code(),
        Some(0)
    );
    let held = fs::read_to_string(repo.path().join(".declint-baseline.json")).expect("read");
    assert!(!held.contains("DL101"), "{held}");
    // --no-baseline shows everything.
    repo.write(record, &text);
    let (found, code) = failing(&repo, &["--no-baseline"]);
    assert_eq!((found.len(), code), (1, Some(1)), "{found:?}");
}

/// Baseline entries key on the field the rule names (`"field": "status"`), not on the
/// message's text; a version 1 file (field taken from the message's first backticked
/// word) keeps working, says it is old, and `baseline --prune` rewrites it as version 2.
#[test]
fn baseline_keys_on_the_findings_field_and_reads_version_1() {
    let repo = adopted_repo("adr-tools");
    assert_eq!(
        declint(repo.path(), &["init", "--adopt"]).status.code(),
        Some(0)
    );
    let file = repo.path().join(".declint-baseline.json");
    let written = fs::read_to_string(&file).expect("read");
    let v2: serde_json::Value = serde_json::from_str(&written).expect("json");
    assert_eq!(v2["version"], 2, "{written}");
    let entries = v2["entries"].as_array().expect("entries").clone();
    assert!(!entries.is_empty(), "{written}");
    // The adr-tools fixture's baselined finding: `Date: 12/02/2016` is DL103 on `date`.
    assert!(
        entries
            .iter()
            .any(|e| e["rule"] == "DL103" && e["field"] == "date"),
        "{written}"
    );

    // The same entries as version 1 wrote them.
    let mut v1 = v2.clone();
    v1["version"] = 1.into();
    for entry in v1["entries"].as_array_mut().expect("entries") {
        let message = entry["message"].as_str().unwrap_or_default().to_string();
        entry["field"] = message.split('`').nth(1).unwrap_or_default().into();
    }
    fs::write(&file, serde_json::to_string_pretty(&v1).expect("json")).expect("write");
    let output = declint(repo.path(), &["check", "--format", "concise"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("the baseline is version 1"), "{text}");
    assert!(!text.contains("no longer match"), "{text}");

    assert_eq!(
        declint(repo.path(), &["baseline", "--prune"]).status.code(),
        Some(0)
    );
    assert_eq!(fs::read_to_string(&file).expect("read"), written);
    let output = declint(repo.path(), &["check", "--format", "concise"]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(!text.contains("version 1"), "{text}");
}

/// A baseline may hold a parse error of a file that existed when it was written, but
/// never once a change edits that file, and never a finding of a record the change adds.
#[test]
fn baseline_never_hides_a_parse_error_in_an_edited_record() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-a.md",
        "---\ntitle: [unclosed\nstatus: accepted\n---\n# A\n",
    );
    repo.write(
        "decisions/0002-b.md",
        "---\ntitle: B\nstatus: proposed\ndecider: ana\nraised: 2026-05-30\n---\n",
    );
    repo.commit("a log", 1_700_000_000);
    assert_eq!(declint(repo.path(), &["baseline"]).status.code(), Some(0));
    repo.commit("baseline", 1_700_000_100);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!((found.len(), code), (0, Some(0)), "{found:?}");
    repo.branch("edit");
    repo.write(
        "decisions/0001-a.md",
        "---\ntitle: [unclosed\nstatus: accepted\n---\n# A\n\nMore.\n",
    );
    repo.commit("edit the broken record", 1_700_000_200);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(found, ["decisions/0001-a.md:3:7: DL002"], "{found:?}");
    assert_eq!(code, Some(1));
}

const GOOD: &str = "---\ntitle: Use Y\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\n---\n";

/// With `--base`, findings in records the change did not touch never fail it; a
/// duplicate id the change causes is on the record it adds; `pr_scope: all` opts out.
#[test]
fn pull_request_scope_fails_only_on_what_the_change_touched() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-old.md", "---\ntitle: Old\n---\n");
    repo.write("decisions/0005-b.md", GOOD);
    repo.commit("a log with debt", 1_700_000_000);
    repo.branch("change");
    repo.write("decisions/0006-new.md", GOOD);
    repo.commit("a good record", 1_700_000_100);
    let output = declint(
        repo.path(),
        &["check", "--base", "main", "--format", "concise"],
    );
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("decisions/0001-old.md:1:1: DL101 warning"),
        "{text}"
    );

    repo.write("decisions/0005-a.md", GOOD);
    repo.commit("a duplicate id", 1_700_000_200);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(code, Some(1));
    let errors: Vec<&String> = found.iter().filter(|f| !f.contains("0001-old")).collect();
    assert_eq!(errors, ["decisions/0005-a.md:1:1: DL401"], "{found:?}");

    repo.write(".declint.yml", "pr_scope: all\n");
    let output = declint(
        repo.path(),
        &["check", "--base", "main", "--format", "concise"],
    );
    let text = stdout(&output);
    assert!(
        text.contains("decisions/0001-old.md:1:1: DL101 error"),
        "{text}"
    );
}

/// With `--base`, a log-wide finding the change causes in an untouched record is put on
/// the record the change touched, so the pull request fails naming it: a one-sided
/// supersede link (DL403), a supersede cycle closed by the new record (DL404), the open
/// decision over `max_open` (DL405) when the new record is not the last by path. Each
/// of these was a warning on the untouched record before, and the change passed.
#[test]
fn pull_request_scope_puts_a_caused_log_finding_on_the_changed_record() {
    let repo = TestRepo::new();
    repo.write(".declint.yml", "max_open: 2\nrules:\n  DL405: error\n");
    repo.write("decisions/0005-b.md", GOOD);
    repo.write("decisions/0006-c.md", GOOD);
    repo.commit("a log", 1_700_000_000);
    let (found, code) = failing(&repo, &[]);
    assert_eq!((found.as_slice(), code), (&[][..], Some(0)));

    // A third open decision, first by path: the count is the change's.
    repo.branch("more-open");
    repo.write("decisions/0004-a.md", GOOD);
    repo.commit("one more open", 1_700_000_100);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(found, ["decisions/0004-a.md:3:9: DL405"], "{found:?}");
    assert_eq!(code, Some(1));

    // A successor that names an untouched predecessor which does not name it back.
    repo.checkout("main");
    repo.branch("one-sided");
    repo.write(
        "decisions/0007-d.md",
        "---\ntitle: Use Z\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\nsupersedes: [\"0005\"]\n---\n",
    );
    repo.write(".declint.yml", "max_open: 12\n");
    repo.commit("a one-sided successor", 1_700_000_200);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert_eq!(found, ["decisions/0007-d.md:6:14: DL403"], "{found:?}");
    assert_eq!(code, Some(1));

    // A link that closes a cycle with an untouched record.
    repo.checkout("main");
    repo.write(
        "decisions/0005-b.md",
        "---\ntitle: Use Y\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\nsupersedes: [\"0008\"]\n---\n",
    );
    repo.write(
        "decisions/0008-e.md",
        "---\ntitle: Use E\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\nsuperseded_by: [\"0005\"]\n---\n",
    );
    repo.commit("a pair", 1_700_000_400);
    repo.branch("cycle");
    repo.write(
        "decisions/0008-e.md",
        "---\ntitle: Use E\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\nsuperseded_by: [\"0005\"]\nsupersedes: [\"0005\"]\n---\n",
    );
    repo.commit("close a cycle", 1_700_000_500);
    let (found, code) = failing(&repo, &["--base", "main"]);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("decisions/0008-e.md:") && f.ends_with("DL404")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.starts_with("decisions/0005-b.md")),
        "{found:?}"
    );
    assert_eq!(code, Some(1));
}

/// `migrate --to declint`, for each format: the dry run changes nothing, `--write` keeps
/// every line that is not metadata, sets `profile: declint` once the whole log is
/// migrated, and the migrated log passes `check` under it except for what the old format
/// never had; a second run changes nothing.
#[test]
fn migrate_round_trip_keeps_the_body_and_is_idempotent() {
    // Metadata lines each format defines, which move into the front-matter.
    let is_metadata = |line: &str| {
        let l = line.trim_start_matches(['-', '*', ' ']).to_lowercase();
        l.starts_with("date:")
            || l.starts_with("status:")
            || l.starts_with("supersede")
            || ["accepted", "implemented", "superseded by"]
                .iter()
                .any(|w| l.starts_with(w))
    };
    for (name, folder) in [
        ("adr-tools", "doc/adr"),
        ("log4brains", "docs/adr"),
        ("tendermint", "docs/architecture"),
    ] {
        let repo = adopted_repo(name);
        assert_eq!(
            declint(repo.path(), &["init", "--adopt"]).status.code(),
            Some(0)
        );
        let dir = repo.path().join(folder);
        let read_all = || -> Vec<(String, String)> {
            let mut files: Vec<(String, String)> = fs::read_dir(&dir)
                .expect("folder")
                .map(|e| {
                    let path = e.expect("entry").path();
                    let text = fs::read_to_string(&path).expect("read");
                    (path.display().to_string(), text)
                })
                .collect();
            files.sort();
            files
        };
        let before = read_all();
        let dry = declint(repo.path(), &["migrate", "--to", "declint"]);
        assert_eq!(dry.status.code(), Some(0), "{name}");
        let diff = stdout(&dry);
        assert!(diff.contains("+++ b/"), "{name}: {diff}");
        // The lines the diff removes, and each is metadata of the format.
        let removed: Vec<&str> = diff
            .lines()
            .filter(|l| l.starts_with('-') && !l.starts_with("--- "))
            .map(|l| &l[1..])
            .collect();
        assert!(!removed.is_empty(), "{name}");
        for line in &removed {
            assert!(
                is_metadata(line),
                "{name}: moved a line that is not metadata: {line}"
            );
        }
        assert_eq!(read_all(), before, "{name}: the dry run wrote");

        let write = declint(repo.path(), &["migrate", "--to", "declint", "--write"]);
        assert_eq!(write.status.code(), Some(0), "{name}");
        let after = read_all();
        for ((path, old), (_, new)) in before.iter().zip(&after) {
            assert!(new.starts_with("---\n"), "{path}");
            // Every line but the moved ones, in order (a moved line is unique in its
            // file in these fixtures, so removing by text is removing by position).
            let kept: Vec<&str> = old.lines().filter(|l| !removed.contains(l)).collect();
            let body = new.splitn(3, "---\n").nth(2).expect("body");
            let body_lines: Vec<&str> = body.lines().collect();
            assert_eq!(body_lines, kept, "{path}: a non-metadata line changed");
        }
        let config = fs::read_to_string(repo.path().join(".declint.yml")).expect("config");
        assert!(config.contains("profile: declint"), "{name}: {config}");
        // Under `profile: declint`: no parse, type or link problem; only fields the old
        // format never had (and the adr-tools fixture's real dd/mm/yyyy date).
        let output = declint(
            repo.path(),
            &["check", "--no-baseline", "--format", "concise"],
        );
        let text = stdout(&output);
        for line in text.lines().filter(|l| l.contains(" error ")) {
            let allowed = [
                "DL101", "DL102", "DL103", "DL106", "DL108", "DL109", "DL201",
            ];
            assert!(allowed.iter().any(|c| line.contains(c)), "{name}: {line}");
        }
        let again = declint(repo.path(), &["migrate", "--to", "declint", "--write"]);
        assert!(stdout(&again).contains("0 records migrated"), "{name}");
        assert_eq!(
            read_all(),
            after,
            "{name}: the second run changed something"
        );
    }
}
