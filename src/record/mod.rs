//! The decision record model: each file is read and parsed once into a [`Record`], and
//! every rule reads only this model.

pub mod body;
pub mod criteria;
pub mod field_table;
pub mod fields;
pub mod frontmatter;
pub mod nygard;
pub mod status;

use crate::config::{Config, Profile, StatusClass};
use crate::finding::Span;
use crate::source::SourceText;
pub use crate::yaml::{Node, Value};
pub use body::{Body, Heading};
pub use fields::{DateValue, Field, FieldIssue, Fields, IssueKind};
use frontmatter::Split;

/// A file's bytes as text. A NUL byte (a binary file) or invalid UTF-8 is the problem,
/// returned with the lossy text so a message can show where it is.
pub fn decode(bytes: Vec<u8>) -> Result<String, (LoadProblem, String)> {
    if let Some(offset) = memchr::memchr(0, &bytes) {
        let text = String::from_utf8_lossy(&bytes).replace('\0', " ");
        return Err((LoadProblem::Binary { offset }, text));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        (LoadProblem::NotUtf8 { offset }, text)
    })
}

/// Why a file could not be read as text (DL005).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadProblem {
    Unreadable(String),
    TooLarge { size: u64, limit: u64 },
    NotUtf8 { offset: usize },
    Binary { offset: usize },
    SymlinkOutside { target: String },
    SymlinkLoop,
}

/// The state of the front-matter block.
#[derive(Debug, Clone, PartialEq)]
pub enum FrontMatter {
    /// No `---` on the first line.
    Missing,
    /// An opening `---` and no closing line.
    Unterminated { opening: Span },
    /// The delimiters are there but hold nothing.
    Empty { span: Span },
    /// YAML that does not parse (or breaks the parser's budgets).
    Invalid { message: String, span: Span },
    /// YAML whose top level is not a mapping.
    NotAMapping { found: &'static str, span: Span },
    /// A parsed mapping; the typed fields are in [`Record::fields`].
    Parsed { span: Span },
    /// The file could not be read at all.
    Unloaded,
}

/// The format a record is written in (SPEC §10): where its fields are read from, and
/// which rules relax because the format has no place for a field. The profile decides it,
/// except under `profile: auto`, where each record is read by the format it is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML front-matter with the fields of SPEC §2.
    Declint,
    /// MADR 2–4: front-matter with MADR's keys, or the bullet block under the title.
    Madr,
    /// adr-tools and its descendants: a `Date:` line and a `## Status` section.
    Nygard,
    /// Under `profile: auto`, a file that matches none of the formats (DL001 says which
    /// were tried).
    Unrecognized,
}

impl Format {
    /// The name `profile:` and messages use.
    pub fn name(self) -> &'static str {
        match self {
            Format::Declint => "declint",
            Format::Madr => "madr",
            Format::Nygard => "nygard",
            Format::Unrecognized => "none",
        }
    }
}

/// One decision file, parsed.
#[derive(Debug, Clone)]
pub struct Record {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    pub source: SourceText,
    pub load_problem: Option<LoadProblem>,
    pub front_matter: FrontMatter,
    /// The format the record was read in.
    pub format: Format,
    /// Boxed: the typed fields are two kilobytes, most of them empty, and a record is
    /// moved several times between its file and the run's list of records.
    pub fields: Box<Fields>,
    /// The body's first level-1 heading, the title of a record without a `title` field.
    /// The body's sections are read once, into `fields` (options, reversal criteria, MADR
    /// metadata), and not kept: held for every record of a large log they would double
    /// the memory of a run. A body the fields do not need is not read at all (see
    /// [`Record::parse`]), and then `h1` is `None`.
    pub h1: Option<Heading>,
    /// Wrong types, unknown keys and other field-level problems found while typing.
    pub issues: Vec<FieldIssue>,
    /// The leading number of the file name (`0007-foo.md` → `0007`).
    pub file_id: Option<String>,
}

impl Record {
    /// A file's bytes as a record: the one way contents become a [`Record`], whether they
    /// come from the working tree, a git blob, the fuzzer or a test. Text is parsed; a NUL
    /// byte (a binary file) or invalid UTF-8 is a DL005 problem that keeps the lossy text,
    /// so the finding can show where it is. Size budgets are the reader's: it knows the
    /// size before reading.
    pub fn from_bytes(path: String, bytes: Vec<u8>, config: &Config) -> Self {
        match decode(bytes) {
            Ok(text) => Record::parse(path, text, config),
            Err((problem, text)) => Record::unloaded(path, problem, text),
        }
    }

    /// A record for a file that could not be read.
    pub fn unloaded(path: String, problem: LoadProblem, text: String) -> Self {
        let file_id = file_id(&path);
        Record {
            path,
            source: SourceText::new(text),
            load_problem: Some(problem),
            front_matter: FrontMatter::Unloaded,
            format: Format::Declint,
            fields: Box::default(),
            h1: None,
            issues: Vec::new(),
            file_id,
        }
    }

    /// Parse a file's text once into the model.
    pub fn parse(path: String, text: String, config: &Config) -> Self {
        Record::parse_reading_body_if(path, text, config, reads_body)
    }

    /// [`Record::parse`], with `reads_body` deciding whether the body is read (the tests
    /// read every body, to show that skipping one changes nothing but `h1`).
    fn parse_reading_body_if(
        path: String,
        text: String,
        config: &Config,
        reads_body: fn(Profile, &Record) -> bool,
    ) -> Self {
        let source = SourceText::new(text);
        let file_id = file_id(&path);
        let mut record = Record {
            path,
            source,
            load_problem: None,
            front_matter: FrontMatter::Missing,
            format: Format::Declint,
            fields: Box::default(),
            h1: None,
            issues: Vec::new(),
            file_id,
        };
        let text = record.source.as_str();
        let body_span = match frontmatter::split(text) {
            Split::Missing { body } => body,
            Split::Unterminated { opening } => {
                record.front_matter = FrontMatter::Unterminated { opening };
                Span::new(text.len(), text.len())
            }
            Split::Present {
                yaml,
                first_line,
                body,
            } => {
                let yaml_text = text.get(yaml.start..yaml.end).unwrap_or("");
                record.front_matter = if yaml_text.trim().is_empty() {
                    FrontMatter::Empty { span: yaml }
                } else {
                    match crate::yaml::parse(&record.source, yaml.start, first_line, yaml_text) {
                        Err(err) => FrontMatter::Invalid {
                            message: err.message,
                            span: err.span,
                        },
                        Ok(Node {
                            value: Value::Map(entries),
                            ..
                        }) => {
                            fields::type_fields(
                                entries,
                                config,
                                &mut record.fields,
                                &mut record.issues,
                            );
                            FrontMatter::Parsed { span: yaml }
                        }
                        Ok(Node {
                            value: Value::Null, ..
                        }) => FrontMatter::Empty { span: yaml },
                        Ok(node) => FrontMatter::NotAMapping {
                            found: node.value.type_name(),
                            span: node.span,
                        },
                    }
                };
                body
            }
        };
        // A declint record whose front-matter gives its title, options and reversal
        // criteria takes nothing from its body: the Markdown pass (a quarter of a plain
        // check's work on such a log) is skipped. Every other record reads it whole.
        let body = if reads_body(config.profile, &record) {
            let body_text = record
                .source
                .as_str()
                .get(body_span.start..body_span.end)
                .unwrap_or("");
            body::parse(body_text, body_span.start)
        } else {
            Body::default()
        };
        fields::fill_from_body(&mut record.fields, &body);
        record.format = format_of(config.profile, &record, &body);
        if config.profile != Profile::Declint {
            // MADR 3/4 write `status: superseded by ADR-0005`; read as any status line.
            status::split_front_matter(&mut record.fields, &mut record.issues);
        }
        let roster = config.roster.as_ref();
        match record.format {
            Format::Madr => fields::fill_from_madr(
                &mut record.fields,
                &body,
                record.source.as_str(),
                roster,
                &mut record.issues,
            ),
            Format::Nygard => nygard::fill(
                &mut record.fields,
                &body,
                record.source.as_str(),
                roster,
                &mut record.issues,
            ),
            Format::Declint | Format::Unrecognized => {}
        }
        record.h1 = body.h1;
        record
    }

    /// The effective id: the `id` field, else the file name's leading number.
    pub fn id(&self) -> Option<&str> {
        self.fields
            .id
            .as_ref()
            .map(|f| f.value.as_str())
            .or(self.file_id.as_deref())
    }

    /// The effective title: the `title` field, else the first H1 of the body.
    pub fn title(&self) -> Option<&str> {
        self.fields
            .title
            .as_ref()
            .map(|f| f.value.as_str())
            .or(self.h1.as_ref().map(|h| h.text.as_str()))
    }

    /// The status text as written, if any.
    pub fn status(&self) -> Option<&str> {
        self.fields.status.as_ref().map(|f| f.value.as_str())
    }

    /// The class of the record's status under `config`; `None` when there is no status
    /// or it is not a configured one.
    pub fn status_class(&self, config: &Config) -> Option<StatusClass> {
        self.status().and_then(|s| config.status_class(s))
    }

    /// Whether the file parsed far enough for content rules to mean anything.
    pub fn has_front_matter(&self) -> bool {
        matches!(self.front_matter, FrontMatter::Parsed { .. })
    }

    /// Whether this record is an entry of the exception register.
    pub fn is_exception(&self) -> bool {
        self.fields
            .kind
            .as_ref()
            .is_some_and(|k| k.value == "exception")
    }

    /// Whether `field` (a canonical field name) is present but of the wrong type. Its DL003
    /// finding says so; rules about missing fields stay silent rather than report it twice.
    pub fn mistyped(&self, field: &str) -> bool {
        self.issues.iter().any(|issue| {
            matches!(issue.kind, IssueKind::WrongType { .. })
                && crate::spelling::canonical_key(&issue.key) == field
        })
    }

    /// The key span of `field` (a canonical name) when it is written with no value.
    pub fn empty_key(&self, field: &str) -> Option<Span> {
        self.fields
            .empty
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, span)| *span)
    }

    /// Where a finding about the record as a whole points: the front-matter's opening line.
    pub fn head_span(&self) -> Span {
        let text = self.source.as_str();
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let end = text
            .get(start..)
            .and_then(|rest| rest.find(['\r', '\n']))
            .map_or(text.len(), |i| start + i);
        Span::new(start, end.min(start + 3).max(start))
    }
}

/// Whether `record`, its front-matter typed, needs its body: for the title (no `title`
/// field: the H1), for the options or reversal criteria (no such field: the sections),
/// or for what MADR keeps in the body. [`format_of`] reads the body only in the cases
/// this lets through.
fn reads_body(profile: Profile, record: &Record) -> bool {
    let f = &record.fields;
    if f.title.is_none() || f.options.is_none() || f.reversal.is_none() {
        return true;
    }
    // The fields came from front-matter, so a `nygard` record is read as declint, and
    // `auto` tells MADR from declint by its keys alone.
    match profile {
        Profile::Declint | Profile::Nygard => false,
        Profile::Madr => true,
        Profile::Auto => format_of(profile, record, &Body::default()) == Format::Madr,
    }
}

/// The format `record` (front-matter typed, body parsed) is read in under `profile`.
/// Front-matter is declint's unless it uses MADR's keys (or the profile is `madr`); a
/// file without front-matter is MADR 2 when a `Status:` line stands under its title,
/// Nygard when it has a `## Status` section.
fn format_of(profile: Profile, record: &Record, body: &Body) -> Format {
    let front_matter = !matches!(record.front_matter, FrontMatter::Missing);
    match profile {
        Profile::Declint => Format::Declint,
        Profile::Madr => Format::Madr,
        Profile::Nygard if front_matter => Format::Declint,
        Profile::Nygard => Format::Nygard,
        Profile::Auto if front_matter => {
            let f = &record.fields;
            let madr_keys = f.consulted.is_some()
                || f.informed.is_some()
                || f.decider.as_ref().is_some_and(|d| {
                    record.source.as_str().get(d.key_span.start..d.key_span.end) != Some("decider")
                });
            if madr_keys {
                Format::Madr
            } else {
                Format::Declint
            }
        }
        Profile::Auto if body.meta(&["status"]).is_some() => Format::Madr,
        Profile::Auto if body.section(body::STATUS_SECTION).is_some() => Format::Nygard,
        Profile::Auto => Format::Unrecognized,
    }
}

/// The id a file name gives (SPEC §10): the leading number (`0007-use-x.md` → `0007`,
/// `adr-007-use-x.md` → `007`); the whole stem of a dated name (`20200925-use-x.md`,
/// `2024-03-04-use-x.md`: its number is a day, not an id); for a record kept as its own
/// folder's `README.md` ([`is_record_folder`]), the id that folder's name gives
/// (`2024-03-04-use-x/README.md` → `2024-03-04-use-x`, `0007-use-x/README.md` → `0007`).
pub fn file_id(path: &str) -> Option<String> {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index") {
        let folder = parts.next()?;
        return is_record_folder(folder).then(|| stem_id(folder)).flatten();
    }
    stem_id(stem)
}

/// Whether a folder's name is a record's, as the folder-per-record layout names it
/// (`2024-03-04-use-x/README.md`, `0007-use-x/README.md`, `adr-007-use-x/README.md`): a
/// day, or a number followed by a slug. A folder named by a number alone (`2024/`)
/// groups records; its README is an index.
pub fn is_record_folder(name: &str) -> bool {
    if starts_with_day(name) {
        return true;
    }
    let numbered = without_adr_prefix(name);
    let digits = numbered.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && numbered
            .get(digits..)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|slug| !slug.is_empty())
}

/// The id a file stem (or a record folder's name) gives: the whole of a dated one, else
/// its leading number (after an `adr-` prefix).
fn stem_id(stem: &str) -> Option<String> {
    if starts_with_day(stem) {
        return Some(stem.to_string());
    }
    let digits: String = without_adr_prefix(stem)
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// `adr-007-use-x` → `007-use-x`; any other name as it is.
fn without_adr_prefix(name: &str) -> &str {
    match name.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("adr-") => name.get(4..).unwrap_or_default(),
        _ => name,
    }
}

/// Whether `name` starts with a day (`20200925` or `2020-09-25`) followed by `-` or its end.
fn starts_with_day(name: &str) -> bool {
    let day = |len: usize, read: fn(&str) -> Option<chrono::NaiveDate>| {
        name.get(..len).and_then(read).is_some()
            && matches!(name.as_bytes().get(len), None | Some(b'-'))
    };
    day(10, fields::plain_date) || day(8, fields::compact_date)
}

#[cfg(test)]
mod tests {
    use super::{Record, file_id, is_record_folder};
    use crate::config::{Config, Profile};

    /// A MADR record whose front-matter names its consulted people (MADR's key) but
    /// keeps its status relations in a `## Status` section.
    const MADR_WITH_FRONT_MATTER: &str = "---\ntitle: Use X\nconsulted: [ana]\ndecider: bo\noptions: [x, y]\nreversal: [p99 above 200 ms]\n---\n\n# Use X\n\n## Status\n\nSuperseded by [ADR-0002](0002-use-y.md)\n";

    /// A declint record with its options and criteria both as fields and as sections.
    const SECTIONS_AND_FIELDS: &str = "---\ntitle: Use Y\nstatus: accepted\ndecider: bo\noptions: [y, z]\nreversal: [p99 above 200 ms]\n---\n\n# Use Y\n\n## Options considered\n\n- y\n- w\n\n## Reversal criteria\n\n- error rate above 1%\n";

    /// The Markdown files of the fixtures (declint, MADR 2–4, Nygard, adr-tools,
    /// log4brains, Tendermint, hostile input), and a few shapes they lack.
    fn documents() -> Vec<(String, String)> {
        let mut found = vec![
            (
                "0001-use-x.md".to_string(),
                MADR_WITH_FRONT_MATTER.to_string(),
            ),
            ("0002-use-y.md".to_string(), SECTIONS_AND_FIELDS.to_string()),
        ];
        let mut folders =
            vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "md")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    found.push((path.display().to_string(), text));
                }
            }
        }
        found
    }

    /// Skipping a body the fields do not need changes nothing but `h1`: every document,
    /// read under every profile and with each of `title`, `options` and `reversal`
    /// dropped in turn, gives the same record whether its body is read or not.
    #[test]
    fn a_body_is_skipped_only_when_the_fields_do_not_need_it() {
        let documents = documents();
        assert!(documents.len() > 50, "{} documents", documents.len());
        let mut skipped = 0;
        for (name, text) in &documents {
            let variants = [
                text.clone(),
                text.replacen("\ntitle:", "\nx-title:", 1),
                text.replacen("\noptions:", "\nx-options:", 1),
                text.replacen("\nreversal:", "\nx-reversal:", 1),
            ];
            for profile in [
                Profile::Declint,
                Profile::Madr,
                Profile::Nygard,
                Profile::Auto,
            ] {
                let config = Config {
                    profile,
                    ..Config::default()
                };
                for text in &variants {
                    let read = Record::parse_reading_body_if(
                        name.clone(),
                        text.clone(),
                        &config,
                        |_, _| true,
                    );
                    let mut maybe = Record::parse(name.clone(), text.clone(), &config);
                    // `h1` is the title only where there is no `title` field.
                    if maybe.h1.is_none() && read.h1.is_some() && read.fields.title.is_some() {
                        skipped += 1;
                        maybe.h1.clone_from(&read.h1);
                    }
                    assert_eq!(
                        format!("{maybe:#?}"),
                        format!("{read:#?}"),
                        "{name} under {profile:?}"
                    );
                }
            }
        }
        assert!(skipped > 0, "no document exercised the skip");
    }

    #[test]
    fn ids_from_file_names() {
        let id = |p: &str| file_id(p);
        assert_eq!(id("doc/adr/0007-use-x.md").as_deref(), Some("0007"));
        assert_eq!(id("docs/adr/adr-007-use-x.md").as_deref(), Some("007"));
        assert_eq!(id("ADR-12-x.md").as_deref(), Some("12"));
        assert_eq!(
            id("docs/adr/20200925-use-x.md").as_deref(),
            Some("20200925-use-x")
        );
        assert_eq!(
            id("d/2024-03-04-use-x.md").as_deref(),
            Some("2024-03-04-use-x")
        );
        assert_eq!(
            id("d/2024-03-04-use-x/README.md").as_deref(),
            Some("2024-03-04-use-x")
        );
        assert_eq!(id("d/0007-use-x/README.md").as_deref(), Some("0007"));
        assert_eq!(id("d/adr-007-use-x/index.md").as_deref(), Some("007"));
        assert_eq!(id("decisions/README.md"), None);
        // A folder named by a number alone groups records: its README is an index.
        assert_eq!(id("decisions/2024/README.md"), None);
        assert!(is_record_folder("0007-use-x") && is_record_folder("20240304"));
        assert!(
            !is_record_folder("2024") && !is_record_folder("0007-") && !is_record_folder("adr")
        );
        assert_eq!(id("d/use-x.md"), None);
        // Eight digits that are not a day are a number.
        assert_eq!(id("d/12345678-x.md").as_deref(), Some("12345678"));
        // A day is a real one: a leap day only in a leap year, no month 13.
        assert_eq!(id("d/20240229-x.md").as_deref(), Some("20240229-x"));
        assert_eq!(id("d/20230229-x.md").as_deref(), Some("20230229"));
        assert_eq!(id("d/2023-02-29-x.md").as_deref(), Some("2023"));
        assert_eq!(id("d/2024-13-01-x.md").as_deref(), Some("2024"));
        // The day is followed by `-` or the end of the name, nothing else.
        assert_eq!(id("d/2024-03-04.md").as_deref(), Some("2024-03-04"));
        assert_eq!(id("d/2024-03-04x.md").as_deref(), Some("2024"));
        assert_eq!(id("d/20240304x.md").as_deref(), Some("20240304"));
        assert_eq!(id("d/00001-x.md").as_deref(), Some("00001"));
    }
}
