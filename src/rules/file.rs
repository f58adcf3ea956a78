//! DL0xx: the file itself — can it be read, does it have front-matter, does the YAML
//! parse, are the fields of the right type and known.

use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::finding::Severity;
use crate::record::{Format, FrontMatter, IssueKind, LoadProblem, Record};

/// DL001: a decision file without front-matter.
pub struct NoFrontMatter;

impl Rule for NoFrontMatter {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL001",
            name: "no-front-matter",
            severity: Severity::Error,
            stage: Stage::File,
            time_based: false,
            summary: "The file has no YAML front-matter, or it is empty or never closed.",
            what: "Checks that a decision file starts with a `---` line, that a closing `---` or `...` line follows, and that there is something between them. Under `profile: madr`, a file with no front-matter at all is accepted (MADR's minimal templates have none).",
            why: "The front-matter is where declint, and the people reading the log, find the decider, the status and the dates. Without it none of the other checks can run, and an unclosed block silently swallows the whole body.",
            bad: "# Use Postgres\n\nWe will use Postgres.\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-03-02\n---\n# Use Postgres\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        let head = record.head_span();
        match &record.front_matter {
            FrontMatter::Missing if record.format == Format::Declint => out.emit(
                record,
                head,
                "no front-matter: the file does not start with a `---` line",
                "start the file with `---`, the record's fields in YAML, then a closing `---`",
            ),
            FrontMatter::Missing if record.format == Format::Unrecognized => out.emit(
                record,
                head,
                "the file matches no record format: tried declint and MADR 3/4 (no `---` front-matter), MADR 2 (no `Status:` line under the title) and Nygard (no `## Status` section)",
                "add front-matter (`declint migrate --to declint` writes it), or a `## Status` section, or exclude the file in `exclude:`",
            ),
            FrontMatter::Unterminated { opening } => out.emit(
                record,
                *opening,
                "front-matter is never closed",
                "add a `---` (or `...`) line after the last front-matter field",
            ),
            FrontMatter::Empty { .. } => out.emit(
                record,
                head,
                "front-matter is empty",
                "add the record's fields (at least title, status and decider) between the `---` lines",
            ),
            _ => {}
        }
    }
}

/// DL002: front-matter that is not valid YAML (or not a mapping).
pub struct YamlSyntax;

impl Rule for YamlSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL002",
            name: "yaml-syntax",
            severity: Severity::Error,
            stage: Stage::File,
            time_based: false,
            summary: "The front-matter is not valid YAML, or not a mapping of fields.",
            what: "Parses the front-matter as YAML and reports the first syntax error at its line and column. Duplicate keys, anchors that expand past the parser's budget and nesting deeper than 32 levels are errors too, as is front-matter whose top level is a list or a single value.",
            why: "A record whose front-matter does not parse is invisible to every other check, and often to the site generator that renders the log.",
            bad: "---\ntitle: Use Postgres\noptions: [Postgres, SQLite\n---\n",
            good: "---\ntitle: Use Postgres\noptions: [Postgres, SQLite]\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        match &record.front_matter {
            FrontMatter::Invalid { message, span } => out.emit(
                record,
                *span,
                format!("invalid YAML: {message}"),
                "fix the YAML syntax at this position (quote values that contain `: ` or `#`)",
            ),
            FrontMatter::NotAMapping { found, span } => out.emit(
                record,
                *span,
                format!("front-matter is {found}, not a mapping of fields"),
                "write the front-matter as `key: value` lines",
            ),
            _ => {}
        }
    }
}

/// DL003: a field whose value has the wrong type or shape.
pub struct WrongType;

impl Rule for WrongType {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL003",
            name: "wrong-type",
            severity: Severity::Error,
            stage: Stage::File,
            time_based: false,
            summary: "A field's value has the wrong type, or a field is given under both its spellings (`review-by` and `review_by`).",
            what: "Checks each known field against its type in the record format: dates are strings in `YYYY-MM-DD` form, `options` and `reversal` are lists, `kind` is `decision` or `exception`, `uncertainty` holds three scores from 0 to 5, and so on. A key written twice under its two spellings (`review-by` and `review_by`) is reported too, and so is an `evidence` entry without its `date` or `summary` (`{}` included; a key with no value or only spaces is missing too).",
            why: "A value of the wrong shape is ignored by the other checks, so a record can look complete while the field that matters is not read at all.",
            bad: "---\ntitle: Use Postgres\noptions: Postgres or SQLite\nreview_by: [2026-09-01]\n---\n",
            good: "---\ntitle: Use Postgres\noptions: [Postgres, SQLite]\nreview_by: 2026-09-01\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for issue in &record.issues {
            match &issue.kind {
                IssueKind::WrongType { expected, found } => out.emit_field(
                    record,
                    crate::spelling::canonical_key(&issue.key),
                    issue.span,
                    format!("`{}` should be {expected}, found {found}", issue.key),
                    format!("write `{}` as {expected}", issue.key),
                ),
                IssueKind::DuplicateField { first } => {
                    let line = record.source.position(first.start).line;
                    out.emit_field(
                        record,
                        crate::spelling::canonical_key(&issue.key),
                        issue.key_span,
                        format!("`{}` is given twice (first on line {line})", issue.key),
                        "keep one of the two: `-` and `_` in a key are the same",
                    );
                }
                IssueKind::IncompleteEntry { missing } => out.emit_field(
                    record,
                    crate::spelling::canonical_key(&issue.key),
                    issue.span,
                    format!("this `{}` entry has no {missing}", issue.key),
                    "give every evidence entry a `date` (YYYY-MM-DD) and a `summary`; an entry without them counts as no evidence",
                ),
                IssueKind::UnknownField { .. } => {}
            }
        }
    }
}

/// DL004: a key declint does not know.
pub struct UnknownField;

impl Rule for UnknownField {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL004",
            name: "unknown-field",
            severity: Severity::Warning,
            stage: Stage::File,
            time_based: false,
            summary: "The front-matter has a field declint does not know.",
            what: "Reports front-matter keys that are not part of the record format (or of the MADR profile's extra keys), with the closest known field as a suggestion. Keys are lower-case, and `-` and `_` are the same.",
            why: "A misspelt key (`reveiw_by`, `Decider`) is silently ignored: the record looks complete, the check it was meant for never runs.",
            bad: "---\ntitle: Use Postgres\nreveiw_by: 2026-09-01\n---\n",
            good: "---\ntitle: Use Postgres\nreview_by: 2026-09-01\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for issue in &record.issues {
            if let IssueKind::UnknownField { suggestion } = &issue.kind {
                let help = match suggestion {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "remove the field, or see `declint schema` for the known fields".into(),
                };
                out.emit_field(
                    record,
                    issue.key.as_str(),
                    issue.key_span,
                    format!("unknown field `{}`", issue.key),
                    help,
                );
            }
        }
    }
}

/// DL005: a file that cannot be read as a text record.
pub struct Unreadable;

impl Rule for Unreadable {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL005",
            name: "unreadable",
            severity: Severity::Error,
            stage: Stage::File,
            time_based: false,
            summary: "The file cannot be read, is not UTF-8 text, is too large, or is a symlink leading outside the repository.",
            what: "Reports decision files that cannot be opened, that hold bytes that are not UTF-8 or a NUL byte (binary), that are larger than `max_file_bytes` (1 MiB by default), or that are symlinks whose target lies outside the repository or loops. Such a file is not parsed; every other file is still checked.",
            why: "A log is only trustworthy if every record in it is read. A file skipped in silence is a decision nobody checks; a symlink out of the repository is a way for a pull request to make CI read files it should not.",
            bad: "decisions/0009-notes.md: a UTF-16 export from a word processor",
            good: "decisions/0009-notes.md: the same record saved as UTF-8 text",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(problem) = &record.load_problem else {
            return;
        };
        let head = record.head_span();
        let (message, help, span) = match problem {
            LoadProblem::Unreadable(reason) => (
                format!("cannot read the file: {reason}"),
                "check the file's permissions".to_string(),
                head,
            ),
            LoadProblem::TooLarge { size, limit } => (
                format!("the file is {size} bytes, over the limit of {limit}"),
                "split the record, or raise `max_file_bytes` in .declint.yml".to_string(),
                head,
            ),
            LoadProblem::NotUtf8 { offset } => (
                format!("the file is not valid UTF-8 (first bad byte at offset {offset})"),
                "save the file as UTF-8".to_string(),
                crate::finding::Span::new(*offset, *offset + 1),
            ),
            LoadProblem::Binary { offset } => (
                format!("the file looks binary (NUL byte at offset {offset})"),
                "decision records are Markdown text; move binary files out of the decision folder"
                    .to_string(),
                crate::finding::Span::new(*offset, *offset + 1),
            ),
            LoadProblem::SymlinkOutside { target } => (
                format!(
                    "symlink to `{target}`, outside the repository or into `.git`: not followed"
                ),
                "keep decision records inside the repository; replace the link with the file"
                    .to_string(),
                head,
            ),
            LoadProblem::SymlinkLoop => (
                "symlink loop: not followed".to_string(),
                "remove the symlink or point it at a real file".to_string(),
                head,
            ),
        };
        out.emit(record, span, message, help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config::Profile;
    use crate::rules::testing::{check_one, record_with, run_rule};

    #[test]
    fn dl001_fires_on_missing_empty_and_unterminated() {
        assert_eq!(check_one(&NoFrontMatter, "# Title\n").len(), 1);
        assert_eq!(check_one(&NoFrontMatter, "---\n---\n# T\n").len(), 1);
        let f = check_one(&NoFrontMatter, "---\ntitle: x\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "front-matter is never closed");
        assert!(check_one(&NoFrontMatter, "---\ntitle: x\n---\n").is_empty());
    }

    #[test]
    fn dl001_is_silent_under_madr_without_front_matter() {
        let config = crate::config::Config::for_profile(Profile::Madr);
        let record = record_with(
            &config,
            "docs/adr/0001-x.md",
            "# Title\n\n## Status\n\nAccepted\n",
        );
        assert!(run_rule(&NoFrontMatter, &config, &[record]).is_empty());
    }

    #[test]
    fn dl002_points_at_the_error() {
        let f = check_one(&YamlSyntax, "---\ntitle: ok\noptions: [a, b\n---\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].start.line >= 3, "{:?}", f[0]);
        assert!(check_one(&YamlSyntax, "---\ntitle: ok\n---\n").is_empty());
        assert_eq!(check_one(&YamlSyntax, "---\n- a\n- b\n---\n").len(), 1);
    }

    #[test]
    fn dl003_points_at_the_value() {
        let f = check_one(&WrongType, "---\ntitle: ok\noptions: 3\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 10));
        assert!(check_one(&WrongType, "---\noptions: [a, b]\n---\n").is_empty());
    }

    #[test]
    fn dl004_suggests_the_known_field() {
        let f = check_one(
            &UnknownField,
            "---\ntitle: ok\nreveiw_by: 2026-01-01\n---\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].help, "did you mean `review_by`?");
        assert_eq!((f[0].start.line, f[0].start.column), (3, 1));
        assert!(check_one(&UnknownField, "---\nreview-by: 2026-01-01\n---\n").is_empty());
    }

    #[test]
    fn dl005_reports_load_problems() {
        let config = Config::default();
        let record = Record::unloaded(
            "decisions/0001-x.md".into(),
            LoadProblem::TooLarge { size: 10, limit: 5 },
            String::new(),
        );
        let f = run_rule(&Unreadable, &config, &[record]);
        assert_eq!(f.len(), 1);
        assert!(check_one(&Unreadable, "---\ntitle: x\n---\n").is_empty());
    }
}
