//! `declint schema [record|config]`: JSON Schema (draft-07) of the record front-matter and
//! of `.declint.yml`, for editors (yaml-language-server, VS Code, IntelliJ).
//!
//! The schemas are written out by hand with `serde_json::json!` (see decisions/0041):
//! the record is typed from a YAML tree, not derived from a serde struct, so there is no
//! type to derive a schema from. Tests keep them in step with the code: the record
//! schema's properties are exactly the fields the record model knows, the config schema's
//! are exactly the keys the config parser accepts, and every property's example parses
//! without a finding.

use crate::cli::{EXIT_OK, SchemaArgs, write_all};
use crate::config::Config;
use crate::error::Result;
use crate::record::fields::DECLINT_FIELDS;
use serde_json::{Map, Value, json};
use std::io::Write;

/// Which schema to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// The YAML front-matter of a decision record.
    Record,
    /// The `.declint.yml` configuration file.
    Config,
}

pub fn run(args: SchemaArgs, out: &mut dyn Write) -> Result<u8> {
    let schema = match args.which {
        Which::Record => record_schema(),
        Which::Config => config_schema(),
    };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    write_all(out, &format!("{text}\n"))?;
    Ok(EXIT_OK)
}

const DATE_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?$";

fn date(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "pattern": DATE_PATTERN,
        "examples": ["2026-06-01"],
    })
}

fn text(description: &str, example: &str) -> Value {
    json!({"description": description, "type": "string", "examples": [example]})
}

fn names(description: &str, example: &str) -> Value {
    json!({
        "description": description,
        "type": ["array", "string"],
        "items": {"type": "string"},
        "examples": [[example]],
    })
}

fn ids(description: &str) -> Value {
    json!({
        "description": description,
        "type": ["string", "integer", "array"],
        "items": {"type": ["string", "integer"]},
        "examples": [["0003"]],
    })
}

/// The property schema of each record field, by canonical (`_`) name.
fn record_properties() -> Vec<(&'static str, Value)> {
    vec![
        (
            "id",
            json!({
                "description": "Unique id; defaults to the file name's leading number. Must match `id_pattern`.",
                "type": ["string", "integer"],
                "examples": ["0007"],
            }),
        ),
        (
            "title",
            text(
                "One line; defaults to the first `# ` heading of the body.",
                "Use Postgres for the ledger",
            ),
        ),
        (
            "kind",
            json!({
                "description": "`exception` makes this an entry of the exception register.",
                "enum": ["decision", "exception"],
                "examples": ["decision"],
            }),
        ),
        (
            "status",
            json!({
                "description": "One of the configured statuses (default: draft, proposed, accepted, rejected, deprecated, superseded, reversed).",
                "type": "string",
                "examples": ["accepted"],
            }),
        ),
        ("raised", date("When the question was raised.")),
        (
            "due",
            date("When it must be decided; default `raised` + `decision_sla_hours`."),
        ),
        (
            "date",
            date("When it was decided; required once the decision is not open."),
        ),
        (
            "decider",
            json!({
                "description": "Exactly one named person or handle (RAPID \"Decide\").",
                "type": "string",
                "examples": ["ana"],
            }),
        ),
        ("recommend", names("RAPID \"Recommend\".", "bo")),
        (
            "agree",
            names("RAPID \"Agree\": who must agree before it is final.", "cy"),
        ),
        ("perform", names("RAPID \"Perform\".", "dee")),
        ("input", names("RAPID \"Input\".", "eli")),
        (
            "options",
            json!({
                "description": "The options considered (at least two): names, or mappings with `name` and optional `pros`/`cons`.",
                "type": "array",
                "minItems": 2,
                "items": {
                    "anyOf": [
                        {"type": "string"},
                        {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string"},
                                "pros": {"type": "array", "items": {"type": "string"}},
                                "cons": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    ],
                },
                "examples": [["Postgres", {"name": "SQLite", "cons": ["one writer"]}]],
            }),
        ),
        (
            "reversal",
            names(
                "Reversal criteria: what new evidence would change this decision.",
                "p99 write latency above 50 ms for a week",
            ),
        ),
        (
            "review_by",
            date("When the decision must be looked at again."),
        ),
        (
            "priority",
            json!({
                "description": "For decisions that set a priority: `P0`…`P4` or an integer.",
                "type": ["string", "integer"],
                "pattern": "^[Pp]?[0-9]+$",
                "examples": ["P1"],
            }),
        ),
        (
            "deprioritized",
            names(
                "What the team gives up for this priority.",
                "the mobile app",
            ),
        ),
        (
            "evidence",
            json!({
                "description": "Evidence entries; a reversal or priority change needs a new one.",
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "summary"],
                    "additionalProperties": false,
                    "properties": {
                        "date": {"type": "string", "pattern": DATE_PATTERN},
                        "summary": {"type": "string"},
                        "link": {"type": "string"},
                        "criterion": {
                            "description": "The reversal criterion it meets: its text or its 1-based index.",
                            "type": ["string", "integer"],
                        },
                    },
                },
                "examples": [[{"date": "2026-06-01", "summary": "load test at 3x traffic", "criterion": 1}]],
            }),
        ),
        (
            "dissent",
            json!({
                "description": "Who disagreed and why; an empty list says there was no dissent.",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"who": {"type": "string"}, "note": {"type": "string"}},
                },
                "examples": [[{"who": "bo", "note": "prefers SQLite for now"}]],
            }),
        ),
        (
            "supersedes",
            ids("The id(s) of the decision(s) this one replaces."),
        ),
        (
            "superseded_by",
            ids("The id(s) of the decision(s) that replace this one."),
        ),
        (
            "reversibility",
            json!({
                "description": "A one-way door (hard to undo) gets stricter checks.",
                "enum": ["one-way", "two-way"],
                "examples": ["two-way"],
            }),
        ),
        (
            "uncertainty",
            json!({
                "description": "The uncertainty budget, each 0–5. A sum above 9 is \"lead\" mode, below 6 \"manage\".",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "market": {"type": "integer", "minimum": 0, "maximum": 5},
                    "technical": {"type": "integer", "minimum": 0, "maximum": 5},
                    "organizational": {"type": "integer", "minimum": 0, "maximum": 5},
                    "organisational": {"type": "integer", "minimum": 0, "maximum": 5},
                },
                "examples": [{"market": 2, "technical": 4, "organizational": 1}],
            }),
        ),
        (
            "expires",
            date("For `kind: exception`: when the exception ends."),
        ),
        ("owner", text("For `kind: exception`: who owns it.", "ana")),
        (
            "risk",
            text(
                "For `kind: exception`: the risk accepted.",
                "unpatched CVE in a test-only dependency",
            ),
        ),
        (
            "affects",
            names("Globs of the paths this decision governs.", "src/ledger/**"),
        ),
        ("tags", names("Free tags.", "storage")),
        (
            "decision_makers",
            names("MADR: who decided (read as `decider`).", "ana"),
        ),
        (
            "deciders",
            names("MADR 2/3: who decided (read as `decider`).", "ana"),
        ),
        ("consulted", names("MADR: who was consulted.", "bo")),
        ("informed", names("MADR: who was informed.", "cy")),
    ]
}

/// What a record field (canonical name) means, as the record schema describes it: the
/// language server's hover reads the same words editors get from `declint schema`.
pub(crate) fn field_meaning(name: &str) -> Option<String> {
    record_properties()
        .into_iter()
        .find(|(field, _)| *field == name)
        .and_then(|(_, schema)| Some(schema.get("description")?.as_str()?.to_string()))
}

/// The record front-matter schema. Keys may be written with `-` or `_`; both spellings
/// are listed.
pub fn record_schema() -> Value {
    let mut properties = Map::new();
    for (name, schema) in record_properties() {
        if name.contains('_') {
            properties.insert(name.replace('_', "-"), schema.clone());
        }
        properties.insert(name.to_string(), schema);
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://declint.dev/schema/record.json",
        "title": "declint decision record front-matter",
        "description": "The YAML front-matter of a decision record checked by declint.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

/// The `.declint.yml` schema, with the defaults.
pub fn config_schema() -> Value {
    let d = Config::default();
    let severity = json!({"enum": ["error", "warning", "info", "off"]});
    let statuses: Map<String, Value> = d
        .statuses
        .iter()
        .map(|(name, class)| {
            let class = serde_json::to_value(class).unwrap_or(Value::Null);
            (name.clone(), class)
        })
        .collect();
    let count = |description: &str, default: Value| json!({"description": description, "type": "integer", "minimum": 0, "default": default});
    let properties: Vec<(&str, Value)> = vec![
        (
            "profile",
            json!({
                "description": "How records are written: the full declint record, or MADR 2–4 files.",
                "enum": ["declint", "madr"],
                "default": "declint",
            }),
        ),
        (
            "paths",
            json!({
                "description": "Decision folders or globs, relative to this file. Default: the first of decisions/, docs/decisions/, docs/adr/, doc/adr/, adr/ that exists.",
                "type": "array",
                "items": {"type": "string"},
                "examples": [["decisions"]],
            }),
        ),
        (
            "exclude",
            json!({
                "description": "Globs of files under the decision folders that are not decisions.",
                "type": "array",
                "items": {"type": "string"},
                "default": [],
            }),
        ),
        (
            "id_pattern",
            json!({
                "description": "A regular expression every id must match.",
                "type": "string",
                "default": d.id_pattern.as_str(),
            }),
        ),
        (
            "statuses",
            json!({
                "description": "Status names and their class: open (not decided), active (in force), closed.",
                "type": "object",
                "additionalProperties": {"enum": ["open", "active", "closed"]},
                "default": statuses,
            }),
        ),
        (
            "required",
            json!({
                "description": "Fields every record must have.",
                "type": "array",
                "items": {"enum": DECLINT_FIELDS},
                "default": d.required,
            }),
        ),
        (
            "roster",
            json!({
                "description": "The people who may appear in RAPID roles: a list, or the path of a file with one handle a line (CODEOWNERS works).",
                "type": ["array", "string"],
                "items": {"type": "string"},
                "examples": [["ana", "bo"]],
            }),
        ),
        (
            "decision_sla_hours",
            count(
                "Hours after `raised` by which an open question is due.",
                json!(d.decision_sla_hours),
            ),
        ),
        (
            "log_within_hours",
            count(
                "Hours after its date by which a decision must be committed.",
                json!(d.log_within_hours),
            ),
        ),
        (
            "max_open",
            count("The most decisions open at once.", json!(d.max_open)),
        ),
        (
            "bottleneck_share",
            json!({
                "description": "The share of open and active decisions one decider may hold.",
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": 1,
                "default": d.bottleneck_share,
            }),
        ),
        (
            "bottleneck_min",
            count(
                "The bottleneck check starts at this many open and active decisions.",
                json!(d.bottleneck_min),
            ),
        ),
        (
            "min_criterion_chars",
            count(
                "A reversal criterion shorter than this is a placeholder.",
                json!(d.min_criterion_chars),
            ),
        ),
        (
            "max_file_bytes",
            count(
                "Files larger than this are not read.",
                json!(d.max_file_bytes),
            ),
        ),
        (
            "rules",
            json!({
                "description": "Severity overrides, by rule code (DL101) or name (required-field).",
                "type": "object",
                "additionalProperties": severity,
                "default": {},
                "examples": [{"DL406": "warning"}],
            }),
        ),
        (
            "template",
            json!({
                "description": "The template `declint new` fills in, relative to this file.",
                "type": "string",
                "examples": ["decisions/template.md"],
            }),
        ),
    ];
    let properties: Map<String, Value> = properties
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://declint.dev/schema/config.json",
        "title": "declint configuration (.declint.yml)",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::CONFIG_KEYS;
    use crate::record::Record;
    use crate::record::fields::MADR_FIELDS;
    use crate::record::fields::canonical_key;
    use std::collections::BTreeSet;

    fn keys(schema: &Value) -> BTreeSet<String> {
        schema["properties"]
            .as_object()
            .map(|m| m.keys().map(|k| canonical_key(k).into_owned()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn record_schema_lists_exactly_the_model_fields() {
        let want: BTreeSet<String> = DECLINT_FIELDS
            .iter()
            .chain(MADR_FIELDS)
            .map(|s| s.to_string())
            .collect();
        assert_eq!(keys(&record_schema()), want);
        assert_eq!(
            record_schema()["$schema"],
            "http://json-schema.org/draft-07/schema#"
        );
    }

    #[test]
    fn record_schema_examples_parse_as_fields() {
        let config = Config::default();
        let mut yaml = String::new();
        for (name, schema) in record_properties() {
            if MADR_FIELDS.contains(&name) {
                continue;
            }
            let example = &schema["examples"][0];
            assert!(!example.is_null(), "{name} has no example");
            yaml.push_str(&format!("{name}: {example}\n"));
        }
        let record = Record::parse(
            "decisions/0007-x.md".into(),
            format!("---\n{yaml}---\n"),
            &config,
        );
        assert!(record.issues.is_empty(), "{:#?}", record.issues);
        let f = &record.fields;
        let set = [
            f.id.is_some(),
            f.title.is_some(),
            f.kind.is_some(),
            f.status.is_some(),
            f.raised.is_some(),
            f.due.is_some(),
            f.date.is_some(),
            f.decider.is_some(),
            f.recommend.is_some(),
            f.agree.is_some(),
            f.perform.is_some(),
            f.input.is_some(),
            f.options.is_some(),
            f.reversal.is_some(),
            f.review_by.is_some(),
            f.priority.is_some(),
            f.deprioritized.is_some(),
            f.evidence.is_some(),
            f.dissent.is_some(),
            f.supersedes.is_some(),
            f.superseded_by.is_some(),
            f.reversibility.is_some(),
            f.uncertainty.is_some(),
            f.expires.is_some(),
            f.owner.is_some(),
            f.risk.is_some(),
            f.affects.is_some(),
            f.tags.is_some(),
        ];
        assert_eq!(set.len(), DECLINT_FIELDS.len());
        assert!(set.iter().all(|s| *s), "{set:?}");

        let madr = Config::for_profile(crate::config::Profile::Madr);
        let yaml: String = record_properties()
            .iter()
            .filter(|(n, _)| ["decision_makers", "consulted", "informed"].contains(n))
            .map(|(n, s)| format!("{}: {}\n", n.replace('_', "-"), s["examples"][0]))
            .collect();
        let record = Record::parse("d/0001-x.md".into(), format!("---\n{yaml}---\n"), &madr);
        assert!(record.issues.is_empty(), "{:#?}", record.issues);
    }

    #[test]
    fn config_schema_lists_exactly_the_config_keys() {
        let want: BTreeSet<String> = CONFIG_KEYS.iter().map(|s| s.to_string()).collect();
        assert_eq!(keys(&config_schema()), want);
        // That the parser accepts exactly these keys is tested next to it, in config.rs
        // (config_keys_are_the_fields_the_parser_accepts).
    }

    #[test]
    fn config_schema_defaults_and_examples_parse() {
        let schema = config_schema();
        let mut yaml = String::new();
        for key in CONFIG_KEYS {
            let p = &schema["properties"][key];
            let value = if p["default"].is_null() {
                &p["examples"][0]
            } else {
                &p["default"]
            };
            assert!(!value.is_null(), "{key} has neither default nor example");
            yaml.push_str(&format!("{key}: {value}\n"));
        }
        let config = Config::parse(&yaml, "x").expect("schema values are valid config");
        assert_eq!(config.max_open, Config::default().max_open);
    }
}
