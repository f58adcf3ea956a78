//! `--format sarif` output validated against the OASIS SARIF 2.1.0 errata01 JSON schema,
//! kept in `tests/schemas/` with its notice and provenance (no network: the schema is
//! self-contained).

// Test helpers outside #[test] functions: a failed setup step should stop the test loudly.
#![allow(clippy::unwrap_used)]

use clap::Parser;
use declint::cli::{Cli, Env};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// Run `declint <args>` in `dir` with a plain (non-GitHub) environment.
fn run(dir: &Path, args: &[&str]) -> (u8, String) {
    let cli = Cli::try_parse_from(
        ["declint", "--today", "2026-06-01"]
            .iter()
            .chain(args)
            .copied(),
    )
    .unwrap();
    let env = Env {
        cwd: dir.to_path_buf(),
        width: 100,
        ..Env::default()
    };
    let mut out = Vec::new();
    let code = declint::cli::run(cli, &env, &mut out).unwrap();
    (code, String::from_utf8(out).unwrap())
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/sarif-schema-2.1.0.json")).unwrap();
    // The errata01 schema declares draft-04, whose validators know no `uri-reference`
    // format (a draft-06 addition the schema uses for `artifactLocation.uri`). Validated
    // under draft-07 that format is checked too; no keyword in the schema means anything
    // different between the two drafts (it has no boolean exclusiveMinimum/Maximum).
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid(document: &serde_json::Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn sarif_output_is_valid_against_the_oasis_schema() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "decisions/0001-ok.md",
        "---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-03-02\n---\n",
    );
    write(
        dir.path(),
        "decisions/0002-broken.md",
        "---\ntitle: a: b\n---\n",
    );
    write(
        dir.path(),
        "decisions/0003-no front matter é.md",
        "# Just prose\n",
    );
    write(
        dir.path(),
        "decisions/0004-missing.md",
        "---\ntitle: x\nsurprise: 1\n---\n",
    );
    let (code, text) = run(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(code, 1);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&document);

    let run = &document["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), declint::rules::registry().len());
    for rule in rules {
        for key in ["id", "name"] {
            assert!(rule[key].is_string(), "{key} missing in {rule}");
        }
        assert!(rule["shortDescription"]["text"].is_string());
        assert!(rule["fullDescription"]["text"].is_string());
        assert!(rule["help"]["text"].is_string());
        assert!(rule["help"]["markdown"].is_string());
        assert!(rule["defaultConfiguration"]["level"].is_string());
        assert!(
            rule["helpUri"]
                .as_str()
                .unwrap()
                .contains("/docs/rules.md#dl"),
            "{rule}"
        );
    }
    assert!(run["tool"]["driver"]["informationUri"].is_string());
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 4, "{results:?}");
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"decisions/0002-broken.md"), "{uris:?}");
    assert!(
        uris.contains(&"decisions/0003-no%20front%20matter%20%C3%A9.md"),
        "{uris:?}"
    );
    let fingerprints: std::collections::HashSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["declintFinding/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(fingerprints.len(), results.len(), "fingerprints are unique");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
}

#[test]
fn clean_log_gives_valid_sarif_with_no_results() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "decisions/0001-ok.md",
        "---\nid: \"0001\"\ntitle: Use Postgres\nkind: decision\nstatus: accepted\n\
         raised: 2026-03-01\ndate: 2026-03-02\ndecider: ana\nagree: [ben]\n\
         options: [Use Postgres, keep what we have]\n\
         reversal: [the weekly active users drop below one hundred for a quarter]\n\
         reversibility: two-way\ndissent: []\nreview_by: 2027-03-01\n---\n\n# Use Postgres\n",
    );
    let (code, text) = run(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(code, 0, "{text}");
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_valid(&document);
    assert_eq!(document["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn the_schema_rejects_what_it_should() {
    // Guard against a validator that accepts anything: a result without a message fails.
    let document = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "declint"}}, "results": [{"ruleId": "DL101"}]}]
    });
    assert!(!validator().is_valid(&document));
    // Formats are checked too: a raw space is not a URI reference.
    let document = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "declint"}}, "results": [{
            "ruleId": "DL101", "message": {"text": "m"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b%zz.md"}}}]
        }]}]
    });
    assert!(!validator().is_valid(&document));
}
