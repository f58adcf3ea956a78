//! Property tests over the whole pipeline (parse, every rule, every printer) on arbitrary
//! bytes and on arbitrary record-shaped text: nothing panics, every span lies inside its
//! file, JSON output always parses, and text output never carries a raw control character.

// Helpers outside `#[test]` functions index into JSON and slice escapes they just found.
#![allow(clippy::indexing_slicing, clippy::panic, clippy::expect_used)]

use chrono::NaiveDate;
use declint::Record;
use declint::check::{check_change, check_records};
use declint::output::{self, Format, Style};
use declint::report::Report;
use declint::{ChangeKind, ChangeSet, FileChange};
use declint::{Config, Profile};
use proptest::prelude::*;
use std::path::PathBuf;

/// Records built the way the loader builds them (`Record::from_bytes`).
fn load(index: usize, bytes: &[u8], config: &Config) -> Record {
    let path = format!("decisions/{:04}-prop.md", index + 1);
    Record::from_bytes(path, bytes.to_vec(), config)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
}

fn run(files: &[Vec<u8>], config: &Config) -> Report {
    let records = files
        .iter()
        .enumerate()
        .map(|(i, bytes)| load(i, bytes, config))
        .collect();
    check_records(records, config, today(), PathBuf::from("/repo"))
        .expect("records in memory always check")
}

/// Every invariant the printers and the CI annotations rely on.
fn assert_invariants(report: &Report) -> Result<(), TestCaseError> {
    assert_invariants_with(report, &[])
}

/// As [`assert_invariants`]; a finding on a file that is not among the checked records
/// (a deleted decision) must lie inside that file's base version, from `elsewhere`.
fn assert_invariants_with(report: &Report, elsewhere: &[Record]) -> Result<(), TestCaseError> {
    for finding in &report.findings {
        let record = report
            .records
            .iter()
            .chain(elsewhere)
            .find(|r| r.path == finding.path)
            .ok_or_else(|| TestCaseError::fail("finding names a file that was not checked"))?;
        let text = record.source.as_str();
        prop_assert!(finding.span.start <= finding.span.end);
        prop_assert!(
            finding.span.end <= text.len(),
            "{} span {:?} past the end of a {}-byte file",
            finding.code,
            finding.span,
            text.len()
        );
        prop_assert!(text.is_char_boundary(finding.span.start));
        prop_assert!(text.is_char_boundary(finding.span.end));
        prop_assert_eq!(finding.start, record.source.position(finding.span.start));
        prop_assert_eq!(finding.end, record.source.position(finding.span.end));
        prop_assert!(!finding.message.is_empty() && !finding.help.is_empty());
    }
    let style = Style {
        color: false,
        width: 80,
    };
    let json = output::render(Format::Json, report, style);
    let document: serde_json::Value = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("JSON output does not parse: {e}\n{json}")))?;
    let listed = document
        .get("findings")
        .and_then(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    prop_assert_eq!(listed, report.findings.len());

    let sarif = output::render(Format::Sarif, report, style);
    let document: serde_json::Value = serde_json::from_str(&sarif)
        .map_err(|e| TestCaseError::fail(format!("SARIF output does not parse: {e}")))?;
    let violations: Vec<String> = sarif_validator()
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    prop_assert!(
        violations.is_empty(),
        "SARIF schema violations:\n{}",
        violations.join("\n")
    );
    let results = document["runs"][0]["results"]
        .as_array()
        .map_or(0, Vec::len);
    prop_assert_eq!(results, report.findings.len());

    let github = output::render(Format::Github, report, style);
    // One workflow command per finding; every other line is a plain `declint:` log line,
    // so no text from a record can start a command of its own.
    let annotations = github.lines().filter(|l| l.starts_with("::")).count();
    prop_assert_eq!(annotations, report.findings.len());
    prop_assert!(!github.contains('\r'));
    prop_assert!(
        terminal_harmless(&github),
        "raw control character in github output"
    );
    for line in github.lines() {
        prop_assert!(
            line.starts_with("::") || line.starts_with("declint: "),
            "stray line in github output: {:?}",
            line
        );
    }

    let concise = output::render(Format::Concise, report, style);
    // One line per finding plus the summary: a newline in a path or message never splits one.
    prop_assert_eq!(concise.lines().count(), report.findings.len() + 1);
    let human = output::render(Format::Human, report, style);
    for (format, text) in [("concise", &concise), ("human", &human)] {
        prop_assert!(
            terminal_harmless(text),
            "raw control character in {} output",
            format
        );
    }
    Ok(())
}

/// The OASIS SARIF 2.1.0 schema vendored in tests/schemas/, compiled once.
fn sarif_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../schemas/sarif-schema-2.1.0.json"))
                .unwrap_or_else(|e| panic!("vendored SARIF schema: {e}"));
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|e| panic!("vendored SARIF schema: {e}"))
    })
}

/// No character a terminal would act on, except line breaks (a `\r` only before `\n`)
/// and tabs.
fn terminal_harmless(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if !allowed && declint::escape::is_unsafe_for_terminal(c) {
            return false;
        }
    }
    true
}

/// YAML-ish scalars, including the shapes that hurt: dates, escapes, quotes, anchors.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("".to_string()),
        Just("~".to_string()),
        Just("TBD".to_string()),
        Just("2026-05-01".to_string()),
        Just("2026-02-30".to_string()),
        Just("2026-05-01T10:00:00+02:00".to_string()),
        Just("P1".to_string()),
        Just("P3".to_string()),
        Just("accepted".to_string()),
        Just("proposed".to_string()),
        Just("reversed".to_string()),
        Just("superseded".to_string()),
        Just("\"0001\"".to_string()),
        Just("7".to_string()),
        Just("-3.5".to_string()),
        Just("true".to_string()),
        Just("\"\\e[31mred\\e[0m\"".to_string()),
        Just("\"a\\u0000b\\nc\"".to_string()),
        Just("'it''s'".to_string()),
        Just("&anchor x".to_string()),
        Just("*anchor".to_string()),
        Just("{a: 1, b: [2]}".to_string()),
        "[a-zA-Z0-9 ,.:#@é€-]{0,24}",
        any::<String>().prop_map(|s| s.chars().take(16).collect()),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => scalar().prop_map(|s| format!(" {s}")),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(|items| format!(" [{}]", items.join(", "))),
        1 => prop::collection::vec(scalar(), 0..4)
            .prop_map(|items| items.iter().map(|i| format!("\n  - {i}")).collect()),
        1 => prop::collection::vec((scalar(), scalar()), 0..3).prop_map(|pairs| pairs
            .iter()
            .map(|(k, v)| format!("\n  - date: {k}\n    summary: {v}"))
            .collect()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "id", "title", "kind", "status", "raised", "due", "date", "decider", "recommend",
            "agree", "perform", "input", "options", "reversal", "review_by", "review-by",
            "priority", "deprioritized", "evidence", "dissent", "supersedes", "superseded_by",
            "reversibility", "uncertainty", "expires", "owner", "risk", "affects", "tags",
            "decision-makers", "deciders", "consulted", "informed",
        ])
        .prop_map(str::to_string),
        1 => "[a-z_-]{1,12}",
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("# Title\n".to_string()),
            Just("## Options considered\n".to_string()),
            Just("## Considered Options\n".to_string()),
            Just("## Reversal criteria\n".to_string()),
            Just("- an item\n".to_string()),
            Just("* [link](http://x)\n".to_string()),
            Just("```\n---\n```\n".to_string()),
            "[ -~]{0,30}\n",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

/// Text shaped like a decision record, with the delimiters, BOM and line endings varied.
fn record_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((key(), value()), 0..12),
        body(),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec!["---", "...", ""]),
    )
        .prop_map(|(entries, body, bom, crlf, close)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str("---\n");
            for (k, v) in entries {
                text.push_str(&format!("{k}:{v}\n"));
            }
            if !close.is_empty() {
                text.push_str(close);
                text.push('\n');
            }
            text.push_str(&body);
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        })
}

fn change_kind() -> impl Strategy<Value = ChangeKind> {
    prop_oneof![
        Just(ChangeKind::Added),
        Just(ChangeKind::Modified),
        Just(ChangeKind::Deleted),
        Just(ChangeKind::Renamed {
            from: "decisions/0999-old.md".to_string()
        }),
    ]
}

/// Base and head versions of a few files run through every rule, the change rules
/// (DL5xx) included, the way `check --base` runs them.
fn run_change(
    pairs: &[(String, String, ChangeKind)],
    added_on_base: &[String],
    config: &Config,
) -> (Report, Vec<Record>) {
    let mut changes = Vec::new();
    let mut heads = Vec::new();
    let mut bases = Vec::new();
    for (i, (base, head, kind)) in pairs.iter().enumerate() {
        let path = format!("decisions/{:04}-change.md", i + 1);
        let base_path = match kind {
            ChangeKind::Renamed { from } => from.clone(),
            _ => path.clone(),
        };
        let base =
            (*kind != ChangeKind::Added).then(|| Record::parse(base_path, base.clone(), config));
        let head =
            (*kind != ChangeKind::Deleted).then(|| Record::parse(path, head.clone(), config));
        if let Some(head) = &head {
            heads.push(head.clone());
        }
        if let Some(base) = &base {
            bases.push(base.clone());
        }
        changes.push(FileChange {
            kind: kind.clone(),
            base,
            head,
        });
    }
    let change = ChangeSet {
        changes,
        added_on_base: added_on_base
            .iter()
            .enumerate()
            .map(|(i, text)| {
                Record::parse(
                    format!("decisions/{:04}-base.md", i + 1),
                    text.clone(),
                    config,
                )
            })
            .collect(),
        head_logged: heads
            .iter()
            .map(|r| (declint::record_key(r), 1_780_000_000))
            .collect(),
    };
    bases.extend(change.added_on_base.iter().cloned());
    // The same pipeline `check --base` runs once git has been read.
    let report = check_change(heads, change, config, today(), PathBuf::from("/repo"))
        .expect("records in memory always check");
    (report, bases)
}

fn any_config() -> impl Strategy<Value = Config> {
    prop_oneof![
        Just(Config::default()),
        Just(Config::for_profile(Profile::Madr))
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_break_the_pipeline(
        files in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..600), 1..4),
        config in any_config(),
    ) {
        assert_invariants(&run(&files, &config))?;
    }

    #[test]
    fn arbitrary_records_never_break_the_pipeline(
        texts in prop::collection::vec(record_text(), 1..5),
        config in any_config(),
    ) {
        let files: Vec<Vec<u8>> = texts.into_iter().map(String::into_bytes).collect();
        assert_invariants(&run(&files, &config))?;
    }

    #[test]
    fn arbitrary_changes_never_break_the_pipeline(
        pairs in prop::collection::vec((record_text(), record_text(), change_kind()), 1..4),
        added_on_base in prop::collection::vec(record_text(), 0..2),
        config in any_config(),
    ) {
        let (report, bases) = run_change(&pairs, &added_on_base, &config);
        assert_invariants_with(&report, &bases)?;
    }

    #[test]
    fn arbitrary_config_text_is_a_config_or_a_located_error(text in ".{0,200}") {
        if let Err(error) = Config::parse(&text, ".declint.yml") {
            prop_assert!(!error.to_string().is_empty());
        }
    }
}

/// Undo the github format's property escaping in one pass: `%XX` for `%`, CR, LF, `:`
/// and `,`, and `\u{…}` for other control characters.
fn unescape_property(escaped: &str) -> String {
    let mut out = String::new();
    let mut rest = escaped;
    while let Some(c) = rest.chars().next() {
        let percent = ["%25", "%0D", "%0A", "%3A", "%2C"]
            .iter()
            .zip(['%', '\r', '\n', ':', ','])
            .find(|(code, _)| rest.starts_with(**code));
        if let Some((code, decoded)) = percent {
            out.push(decoded);
            rest = &rest[code.len()..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("\\u{")
            && let Some(end) = after.find('}')
            && let Some(decoded) = u32::from_str_radix(&after[..end], 16)
                .ok()
                .and_then(char::from_u32)
        {
            out.push(decoded);
            rest = &after[end + 1..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Undo [`declint::escape::concise_path`] for the characters it escapes.
fn unescape_path(escaped: &str) -> String {
    let mut out = String::new();
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let code: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                if let Some(c) = u32::from_str_radix(&code, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

proptest! {
    #[test]
    fn concise_locations_parse_back_whatever_the_file_name(name in "\\PC{0,6}[:,\n\r\\\\\u{1b}]{1,4}\\PC{0,6}") {
        let path = format!("decisions/{name}.md");
        let record = Record::parse(path.clone(), "no front-matter here\n".to_string(), &Config::default());
        let report = check_records(vec![record], &Config::default(), today(), PathBuf::from("/repo"))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!report.findings.is_empty());
        let concise = output::render(Format::Concise, &report, Style { color: false, width: 80 });
        let location = regex::Regex::new(r"^((?:[^\\:]|\\.)*):(\d+):(\d+): DL\d{3} ")
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let lines: Vec<&str> = concise.lines().collect();
        prop_assert_eq!(lines.len(), report.findings.len() + 1);
        for line in &lines[..report.findings.len()] {
            let captures = location
                .captures(line)
                .ok_or_else(|| TestCaseError::fail(format!("unparseable line {line:?}")))?;
            let escaped = captures.get(1).map_or("", |m| m.as_str());
            prop_assert_eq!(unescape_path(escaped), path.clone());
        }
        // github: the `file=` property ends at the first `,` and decodes back to the path.
        let github = output::render(Format::Github, &report, Style { color: false, width: 80 });
        let file = regex::Regex::new(r"^::(?:error|warning|notice) title=[^,]*,file=([^,]*),line=\d+,")
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let annotations: Vec<&str> = github.lines().filter(|l| l.starts_with("::")).collect();
        prop_assert_eq!(annotations.len(), report.findings.len());
        for line in annotations {
            let captures = file
                .captures(line)
                .ok_or_else(|| TestCaseError::fail(format!("unparseable annotation {line:?}")))?;
            let escaped = captures.get(1).map_or("", |m| m.as_str());
            // A literal `\u{` in a name reads like an escape; @actions/core has no escape for
            // the backslash, so such a name is the one that does not round-trip.
            if !path.contains("\\u{") {
                prop_assert_eq!(unescape_property(escaped), path.clone());
            }
        }
    }
}
