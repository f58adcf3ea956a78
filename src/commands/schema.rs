//! `declint schema [record|config]`: JSON Schema (draft-07) of the record front-matter and
//! of `.declint.yml`, for editors (yaml-language-server, VS Code, IntelliJ).
//!
//! The schemas are written out by hand with `serde_json::json!` (see decisions/0041):
//! the record is typed from a YAML tree, not derived from a serde struct, so there is no
//! type to derive a schema from. Tests keep them in step with the code: the record
//! schema's properties are exactly the fields the record model knows, the config schema's
//! are exactly the keys the config parser accepts, and every property's example parses
//! without a finding.

use crate::config::Config;
use crate::config::Profile;
use crate::error::Result;
use crate::invocation::{EXIT_OK, write_all};
use crate::record::field_table::{field_def, field_names};
use serde_json::{Map, Value, json};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum, default_value_t = crate::commands::schema::Which::Record)]
    pub which: crate::commands::schema::Which,
}

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

fn date() -> Value {
    json!({
        "type": "string",
        "pattern": DATE_PATTERN,
        "examples": ["2026-06-01"],
    })
}

fn text(example: &str) -> Value {
    json!({"type": "string", "examples": [example]})
}

fn names(example: &str) -> Value {
    json!({
        "type": ["array", "string"],
        "items": {"type": "string"},
        "examples": [[example]],
    })
}

fn ids() -> Value {
    json!({
        "type": ["string", "integer", "array"],
        "items": {"type": ["string", "integer"]},
        "examples": [["0003"]],
    })
}

/// The property schema of each record field, by canonical (`_`) name, described by the
/// field's meaning in the [`FIELD_TABLE`](crate::record::field_table::FIELD_TABLE).
fn record_properties() -> Vec<(&'static str, Value)> {
    let mut properties = value_schemas();
    for (name, schema) in &mut properties {
        if let (Some(def), Value::Object(map)) = (field_def(name), schema) {
            map.insert("description".into(), def.meaning.into());
        }
    }
    properties
}

/// The shape of each record field's value, with an example.
fn value_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "id",
            json!({
                "type": ["string", "integer"],
                "examples": ["0007"],
            }),
        ),
        ("title", text("Use Postgres for the ledger")),
        (
            "kind",
            json!({
                "enum": ["decision", "exception"],
                "examples": ["decision"],
            }),
        ),
        (
            "status",
            json!({
                "type": "string",
                "examples": ["accepted"],
            }),
        ),
        ("raised", date()),
        ("due", date()),
        ("date", date()),
        (
            "decider",
            json!({
                "type": "string",
                "examples": ["ana"],
            }),
        ),
        ("recommend", names("bo")),
        ("agree", names("cy")),
        ("perform", names("dee")),
        ("input", names("eli")),
        (
            "options",
            json!({
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
            names("p99 write latency above 50 ms for a week"),
        ),
        ("review_by", date()),
        (
            "priority",
            json!({
                "type": ["string", "integer"],
                "pattern": "^[Pp]?[0-9]+$",
                "examples": ["P1"],
            }),
        ),
        ("deprioritized", names("the mobile app")),
        (
            "evidence",
            json!({
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
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"who": {"type": "string"}, "note": {"type": "string"}},
                },
                "examples": [[{"who": "bo", "note": "prefers SQLite for now"}]],
            }),
        ),
        ("supersedes", ids()),
        ("superseded_by", ids()),
        (
            "reversibility",
            json!({
                "enum": ["one-way", "two-way"],
                "examples": ["two-way"],
            }),
        ),
        (
            "uncertainty",
            json!({
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
        ("expires", date()),
        ("owner", text("ana")),
        ("risk", text("unpatched CVE in a test-only dependency")),
        ("affects", names("src/ledger/**")),
        ("tags", names("storage")),
        ("decision_makers", names("ana")),
        ("deciders", names("ana")),
        ("consulted", names("bo")),
        ("informed", names("cy")),
    ]
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
                "description": "How records are written: the full declint record, MADR 2–4 files, Nygard/adr-tools files, or `auto` (each record by the format it is written in).",
                "enum": ["declint", "madr", "nygard", "auto"],
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
                "items": {"enum": field_names(Profile::Declint).collect::<Vec<_>>()},
                "default": d.required,
            }),
        ),
        (
            "pr_scope",
            json!({
                "description": "With `--base`: `touched` (default) fails a pull request only on findings in the records it touched (the others are warnings, a log-wide finding it causes is put on its record); `all` fails it on every finding in the log.",
                "enum": ["touched", "all"],
                "default": "touched",
            }),
        ),
        (
            "fields",
            json!({
                "description": "Front-matter keys beyond the record fields: `allow` lists keys a site generator or other tool needs (`nav_order`, `parent`, `layout`); every other unknown key is still DL004.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "allow": {"type": "array", "items": {"type": "string"}, "default": []},
                },
                "examples": [{"allow": ["nav_order", "parent"]}],
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
            "timezone",
            json!({
                "description": "The IANA time zone a bare date is a day in: where the days of `date`, `raised`, `due` and today begin and end (docs/timeline.md).",
                "type": "string",
                "default": "UTC",
                "examples": ["UTC", "Europe/Berlin", "America/New_York"],
            }),
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
            "period",
            json!({
                "description": "The length of a `stats` period in days (plan volatility and every `--history` series).",
                "type": "integer",
                "minimum": 1,
                "default": d.period_days,
            }),
        ),
        (
            "signal_periods",
            json!({
                "description": "How many of the last periods the mode-error signal reads.",
                "type": "integer",
                "minimum": 2,
                "default": d.signal_periods,
            }),
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
    use crate::record::field_table::FIELD_TABLE;
    use crate::spelling::canonical_key;
    use std::collections::BTreeSet;

    fn keys(schema: &Value) -> BTreeSet<String> {
        schema["properties"]
            .as_object()
            .map(|m| m.keys().map(|k| canonical_key(k).into_owned()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn record_schema_lists_exactly_the_model_fields() {
        let want: BTreeSet<String> = FIELD_TABLE.iter().map(|d| d.name.to_string()).collect();
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
            if !field_def(name).is_some_and(|d| d.known_in(Profile::Declint)) {
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
        assert_eq!(set.len(), field_names(Profile::Declint).count());
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
