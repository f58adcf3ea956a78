//! The JSON outputs against the schemas shipped in `schemas/` (check, list, stats, digest), and the
//! GitLab Code Quality report against the fields GitLab documents as required. Each schema
//! pins `schema_version` to the constant the code writes, so the key and the version are
//! one fact in both places.

#![allow(clippy::unwrap_used)]

use crate::repo::TestRepo;
use crate::util::{declint, stdout};
use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.schema.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid(name: &str, document: &Value) {
    let schema = schema(name);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: {}\n{document:#}",
        errors.join("\n")
    );
}

/// A log with findings, an overdue decision and history: every optional part filled.
fn log() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "decisions/0001-db.md",
        "---\nid: \"0001\"\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\nraised: 2026-03-01\n\
         date: 2026-03-02\noptions: [Postgres, MySQL]\nreversal: [the weekly active users drop below one hundred for a quarter]\n\
         review_by: 2026-04-01\n---\n",
    );
    repo.write(
        "decisions/0002-queue.md",
        "---\nid: \"0002\"\ntitle: Pick a queue\nstatus: proposed\nraised: 2026-03-01\ndue: 2026-03-05\n---\n",
    );
    repo.commit("decisions", 1_772_400_000);
    repo
}

fn json(repo: &TestRepo, args: &[&str]) -> Value {
    let output = declint(repo.path(), args);
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn check_json_matches_its_schema() {
    let repo = log();
    let document = json(&repo, &["check", "-f", "json"]);
    assert!(!document["findings"].as_array().unwrap().is_empty());
    assert_valid("check", &document);
    // With a base, the document names it.
    let document = json(&repo, &["check", "-f", "json", "--base", "HEAD"]);
    assert!(document["base"]["merge_base"].is_string(), "{document}");
    assert_valid("check", &document);
    assert_eq!(
        schema("check")["properties"]["schema_version"]["const"],
        declint::output::json::SCHEMA_VERSION
    );
}

#[test]
fn list_json_matches_its_schema() {
    let repo = log();
    let document = json(&repo, &["list", "--format", "json"]);
    assert_eq!(document["decisions"].as_array().unwrap().len(), 2);
    assert_valid("list", &document);
    assert_eq!(
        schema("list")["properties"]["schema_version"]["const"],
        declint::LIST_SCHEMA_VERSION
    );
}

#[test]
fn stats_json_matches_its_schema_with_and_without_history() {
    let repo = log();
    let plain = json(&repo, &["stats", "-f", "json"]);
    assert!(plain["volatility"].is_null());
    assert!(plain.get("version").is_none(), "one versioning key");
    assert!(plain["overdue"]["total"].as_u64().unwrap() >= 1);
    assert_valid("stats", &plain);
    let history = json(&repo, &["stats", "--history", "-f", "json"]);
    assert!(history["volatility"].is_object());
    assert_valid("stats", &history);
    assert_eq!(
        schema("stats")["properties"]["schema_version"]["const"],
        declint::STATS_SCHEMA_VERSION
    );
}

#[test]
fn stats_with_groups_and_the_digest_match_their_schemas() {
    let telemetry = crate::telemetry::history(true);
    let grouped = json(
        &telemetry,
        &["stats", "--history", "--by", "decider", "-f", "json"],
    );
    assert!(grouped["series"].is_array() && grouped["groups"].is_object());
    assert_valid("stats", &grouped);
    let digest = json(&telemetry, &["digest", "-f", "json"]);
    assert!(digest["signal"].is_object());
    assert_valid("digest", &digest);
    let quiet = json(&log(), &["digest", "-f", "json"]);
    assert!(quiet["signal"].is_null());
    assert_valid("digest", &quiet);
    assert_eq!(
        schema("digest")["properties"]["schema_version"]["const"],
        declint::DIGEST_SCHEMA_VERSION
    );
}

#[test]
fn the_schemas_reject_a_renamed_version_key() {
    let repo = log();
    let mut document = json(&repo, &["stats", "-f", "json"]);
    let version = document["schema_version"].take();
    document.as_object_mut().unwrap().remove("schema_version");
    document["version"] = version;
    let schema = schema("stats");
    assert!(!jsonschema::is_valid(&schema, &document));
}

/// GitLab's Code Quality report: a JSON array of issues, each with `description`,
/// `check_name`, `fingerprint` (unique), `severity` (info, minor, major, critical, blocker)
/// and `location.path` with `location.lines.begin` (GitLab's documentation, "Code Quality
/// report format").
#[test]
fn gitlab_report_has_the_documented_fields() {
    let repo = log();
    let output = declint(repo.path(), &["check", "-f", "gitlab"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let issues = report.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut fingerprints = std::collections::HashSet::new();
    for issue in issues {
        for key in ["description", "check_name", "fingerprint"] {
            assert!(!issue[key].as_str().unwrap().is_empty(), "{key} in {issue}");
        }
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap()));
        let severity = issue["severity"].as_str().unwrap();
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&severity),
            "{severity}"
        );
        assert!(
            issue["location"]["path"]
                .as_str()
                .unwrap()
                .starts_with("decisions/")
        );
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    assert!(issues.iter().any(|i| i["severity"] == "major"));

    // The same fingerprints as the SARIF results: one identity per finding.
    let sarif =
        serde_json::from_str::<Value>(&stdout(&declint(repo.path(), &["check", "-f", "sarif"])))
            .unwrap();
    let from_sarif: std::collections::HashSet<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["declintFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(fingerprints, from_sarif);

    // A clean log is an empty array, which GitLab reads as "no issues".
    let clean = TestRepo::new();
    std::fs::create_dir_all(clean.path().join("decisions")).unwrap();
    assert_eq!(
        stdout(&declint(clean.path(), &["check", "-f", "gitlab"])),
        "[]\n"
    );
}
