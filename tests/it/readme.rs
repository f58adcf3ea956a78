//! The README's rule table lists exactly the registry's rules, with their names and
//! default severities, and its config example is a valid config.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use declint::Config;
use declint::finding::Severity;
use declint::rules::registry;
use std::collections::BTreeMap;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README.md")
}

/// `| DL101 | `required-field` | error | … |` rows: code → (name, severity, summary).
fn rule_table(text: &str) -> BTreeMap<String, (String, String, String)> {
    text.lines()
        .filter(|l| l.starts_with("| DL"))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let code = cells.get(1)?;
            let name = cells.get(2)?.trim_matches('`');
            let severity = cells.get(3)?;
            let summary = cells.get(4)?;
            Some((
                code.to_string(),
                (name.to_string(), severity.to_string(), summary.to_string()),
            ))
        })
        .collect()
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let table = rule_table(&readme());
    let mut problems = Vec::new();
    for rule in registry() {
        let m = rule.meta();
        match table.get(m.code) {
            None => problems.push(format!(
                "missing from README: | {} | `{}` | {} | {} |",
                m.code, m.name, m.severity, m.summary
            )),
            Some((name, severity, _)) if name != m.name || *severity != m.severity.as_str() => {
                problems.push(format!(
                    "{}: README says `{name}` {severity}, the registry says `{}` {}",
                    m.code, m.name, m.severity
                ))
            }
            // What a rule reports is said once, in the registry (issue 19 item 9: the
            // README once gave DL002's duplicate key to DL003).
            Some((_, _, summary)) if *summary != m.summary => problems.push(format!(
                "{}: README says \"{summary}\", the registry says \"{}\"",
                m.code, m.summary
            )),
            Some(_) => {}
        }
    }
    for code in table.keys() {
        if !registry().iter().any(|r| r.meta().code == code) {
            problems.push(format!("in README but not in the registry: {code}"));
        }
    }
    assert!(
        problems.is_empty(),
        "README rule table is out of date:\n{}",
        problems.join("\n")
    );
}

#[test]
fn readme_config_example_is_valid() {
    let text = readme();
    let start = text
        .find("```yaml\n# .declint.yml\n")
        .expect("a config example");
    let body = &text[start + "```yaml\n".len()..];
    let example = &body[..body.find("```").expect("the example ends")];
    let config = Config::parse(example, "README.md").expect("the README's config is valid");
    assert_eq!(config.rules.get("DL110"), Some(&Severity::Error));
    assert_eq!(config.rules.get("DL204"), Some(&Severity::Off));
}

#[test]
fn readme_starts_with_the_two_commands() {
    let text = readme();
    let top: String = text.lines().take(8).collect::<Vec<_>>().join("\n");
    assert!(top.contains("check decisions/"), "{top}");
    assert!(top.contains("cargo test --locked"), "{top}");
}
