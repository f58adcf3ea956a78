//! `declint new TITLE`: the next id, a slug from the title, the template filled in, the
//! file created atomically without clobbering anything; with `--supersedes`, the old
//! record names its successor in place, byte for byte otherwise (it stays in force until
//! the successor is decided).

use crate::config::{Config, Profile, StatusClass};
use crate::edit;
use crate::error::{Error, Result};
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::record::Record;
use crate::workspace::Workspace;
use crate::write::{CreateError, FolderLock, Writer};
use chrono::NaiveDate;
use regex::Regex;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The decision's title (one line); the file name's slug is made from it.
    #[arg(value_name = "TITLE")]
    pub title: String,

    /// The one person who decides.
    #[arg(long, value_name = "NAME")]
    pub decider: Option<String>,

    /// The id of a decision this one would replace; that record names it as its successor
    /// and stays in force until this one is decided.
    #[arg(long, value_name = "ID")]
    pub supersedes: Option<String>,

    /// The priority this decision sets (P0…P4 or an integer).
    #[arg(long, value_name = "P")]
    pub priority: Option<String>,

    /// `exception` starts an entry of the exception register.
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<crate::commands::new::Kind>,
}

/// What kind of record to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Decision,
    Exception,
}

/// The built-in template of the declint profile. `{{…}}` placeholders are filled in:
/// inside the front-matter as YAML scalars, in the body as plain text.
pub const DECLINT_TEMPLATE: &str = "---
id: {{id}}
title: {{title}}
kind: decision
status: proposed
raised: {{date}}
# The one person who decides (RAPID \"Decide\").
decider: {{decider}}
# The other RAPID roles, as lists of names.
recommend: []
agree: []
# one-way doors (hard to undo) get stricter checks.
reversibility: two-way
# Who disagreed and why; an empty list says \"no dissent\" explicitly.
dissent: []
# New evidence, each with date and summary (and the criterion it meets).
evidence: []
tags: []
---

# {{title}}

## Context

<!-- What question needs deciding, why now, and what constrains the answer? -->

## Options considered

<!-- At least two, as a list: each option with its pros and cons. -->

## Decision

<!-- What was decided, and why this option over the others. -->

## Reversal criteria

<!-- As a list: what new evidence would change this decision? -->

## Consequences

<!-- What becomes easier, what becomes harder, what the team gives up. -->
";

/// The built-in template of the MADR profile (MADR 4 layout).
pub const MADR_TEMPLATE: &str = "---
status: proposed
date: {{date}}
raised: {{date}}
decision-makers: {{decider}}
consulted: []
informed: []
---

# {{title}}

## Context and Problem Statement

<!-- Describe the context and the problem in two or three sentences. -->

## Considered Options

<!-- As a list: the options, at least two. -->

## Decision Outcome

<!-- Chosen option: \"…\", because … -->

### Consequences

<!-- Good, because …; bad, because … -->
";

pub fn run(args: NewArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let today = crate::timeline::today(global.today, &workspace.config);
    let created = create(&workspace, &args, today)?;
    // Relative to the working directory, so `$EDITOR "$(declint new …)"` works anywhere.
    let shown = created.path.strip_prefix(&workspace.cwd).map_or_else(
        |_| created.path.display().to_string(),
        |p| p.display().to_string(),
    );
    write_all(out, &format!("{shown}\n"))?;
    Ok(EXIT_OK)
}

/// What `new` made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub id: String,
    pub path: PathBuf,
    /// The record marked superseded, if any.
    pub superseded: Option<PathBuf>,
}

/// Create the record described by `args` in the workspace's first decision folder.
pub fn create(workspace: &Workspace, args: &NewArgs, today: NaiveDate) -> Result<Created> {
    let config = &workspace.config;
    let title = clean_title(&args.title);
    let slug = slug(&title);
    if let Some(p) = &args.priority {
        check_priority(p)?;
    }
    let folder = target_folder(workspace)?;
    let writer = Writer::new(&workspace.root)?;
    let template = load_template(workspace)?;

    let _lock = FolderLock::acquire(&folder);
    let records = workspace.load_records(&[])?;
    let old = match &args.supersedes {
        Some(id) => Some(find_record(&records, id)?),
        None => None,
    };
    if let Some(old) = old {
        refuse_second_successor(&records, old)?;
    }
    let mut next = NextId::after(&records, &config.id_pattern)?;
    for _attempt in 0..1000 {
        let id = next.id();
        let path = folder.join(format!("{}-{slug}.md", next.digits()));
        let text = fill(
            &template,
            &Fill {
                id: &id,
                title: &title,
                today,
                args,
                supersedes: old.and_then(Record::id),
                config,
            },
        )
        .map_err(|e| {
            Error::usage(
                format!("the template cannot be filled in: {e}"),
                Some("a template needs a front-matter block that parses as YAML"),
            )
        })?;
        match writer.create_new(&path, &text) {
            Ok(()) => {
                let superseded = match old {
                    Some(old) => {
                        let old_path = workspace.root.join(&old.path);
                        match link_successor(&writer, &old_path, old, &id) {
                            Ok(edited) => Some((old_path, old.source.as_str(), edited)),
                            Err(e) => {
                                writer.remove_created(&path);
                                return Err(e);
                            }
                        }
                    }
                    None => None,
                };
                if let Err(e) = refresh_index(workspace, &writer, &folder) {
                    // One step: without its index row the record is not created either.
                    writer.remove_created(&path);
                    if let Some((old_path, original, edited)) = &superseded {
                        // Best effort: the error that made it roll back is what is reported.
                        let _ = writer.replace(old_path, edited, original);
                    }
                    return Err(e);
                }
                let superseded = superseded.map(|(old_path, _, _)| old_path);
                return Ok(Created {
                    id,
                    path,
                    superseded,
                });
            }
            Err(CreateError::Exists(_)) => next.bump()?,
            Err(CreateError::Failed(e)) => return Err(e),
        }
    }
    Err(Error::usage(
        "no free id found after 1000 tries",
        Some("check the decision folder for runaway files"),
    ))
}

/// Bring the index table in the folder's README up to date, when the README has index
/// markers (`declint index` reports a README without them; `new` leaves it alone). Broken
/// markers are an error: the record would leave `index --check` failing, so neither is
/// written.
fn refresh_index(workspace: &Workspace, writer: &Writer, folder: &Path) -> Result<()> {
    use crate::commands::index::{MarkerError, marker_error};
    let refresh = crate::commands::index::refresh(workspace, folder)?;
    match (&refresh.current, &refresh.wanted) {
        (Some(current), Ok(wanted)) if current != wanted => {
            writer.replace(&refresh.readme, current, wanted)
        }
        (Some(_), Err(e)) if *e != MarkerError::Missing => {
            Err(marker_error(&refresh.readme, e.clone()))
        }
        _ => Ok(()),
    }
}

/// The folder new records go to: the first configured (or default) decision folder.
fn target_folder(workspace: &Workspace) -> Result<PathBuf> {
    let folders = workspace.layout().decision_folders()?;
    let folder = folders.into_iter().find(|f| f.is_dir()).ok_or_else(|| {
        Error::usage(
            "the configured decision folder does not exist",
            Some("create it, or run `declint init`"),
        )
    })?;
    Ok(folder)
}

/// The largest template file read from a repository.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The configured template (relative to the config file's folder), else the built-in one.
fn load_template(workspace: &Workspace) -> Result<String> {
    let config = &workspace.config;
    match &config.template {
        Some(rel) => {
            let base = config
                .file
                .as_ref()
                .and_then(|f| f.parent())
                .unwrap_or(&workspace.root);
            let path = base.join(rel);
            // A config that lives in the repository is repository input: its template
            // must be a regular file inside it, or a branch could have `new` copy any file
            // of the machine into a decision record (decisions/0060).
            if crate::discover::is_inside(base, &workspace.root) {
                crate::discover::read_inside(&path, &workspace.root, MAX_TEMPLATE_BYTES)
            } else {
                std::fs::read_to_string(&path).map_err(|e| Error::io(path, e))
            }
        }
        None => Ok(builtin_template(config.profile).to_string()),
    }
}

pub fn builtin_template(profile: Profile) -> &'static str {
    match profile {
        Profile::Madr => MADR_TEMPLATE,
        // A new record in an adopted log is written in declint's format.
        Profile::Declint | Profile::Nygard | Profile::Auto => DECLINT_TEMPLATE,
    }
}

/// Everything a template is filled with.
pub struct Fill<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub today: NaiveDate,
    pub args: &'a NewArgs,
    /// The id of the record being superseded, as that record gives it.
    pub supersedes: Option<&'a str>,
    pub config: &'a Config,
}

/// Fill the placeholders, then set the fields `new` always sets (status, raised, and the
/// id where the template has one) and those given as flags.
pub fn fill(template: &str, fill: &Fill<'_>) -> std::result::Result<String, edit::EditError> {
    let date = fill.today.format("%Y-%m-%d").to_string();
    let decider = fill.args.decider.as_deref().map(clean_title);
    let yaml_values = [
        ("id", edit::quoted(fill.id)),
        ("title", edit::scalar(fill.title)),
        ("date", date.clone()),
        (
            "decider",
            decider.as_deref().map(edit::scalar).unwrap_or_default(),
        ),
    ];
    let body_values = [
        ("id", fill.id.to_string()),
        ("title", fill.title.to_string()),
        ("date", date.clone()),
        ("decider", decider.clone().unwrap_or_default()),
    ];
    let split_at = match crate::record::frontmatter::split(template) {
        crate::record::frontmatter::Split::Present { body, .. } => body.start,
        _ => 0,
    };
    let (head, body) = template.split_at(split_at.min(template.len()));
    let mut text = substitute(head, &yaml_values);
    text.push_str(&substitute(body, &body_values));

    let mut text = if has_key(&text, "id") {
        edit::set(&text, "id", &edit::quoted(fill.id))?
    } else {
        text
    };
    if fill.config.profile == Profile::Declint && !has_key(&text, "title") {
        text = edit::set(&text, "title", &edit::scalar(fill.title))?;
    }
    text = edit::set(&text, "status", &open_status(fill.config))?;
    text = edit::set(&text, "raised", &date)?;
    if let Some(decider) = decider
        .as_deref()
        .filter(|_| !template.contains("{{decider}}"))
    {
        let key = if has_key(&text, "decision_makers") {
            "decision_makers"
        } else {
            "decider"
        };
        text = edit::set(&text, key, &edit::scalar(decider))?;
    }
    if let Some(priority) = &fill.args.priority {
        text = edit::set(&text, "priority", &edit::scalar(priority.trim()))?;
        if !has_key(&text, "deprioritized") {
            text = edit::set(&text, "deprioritized", "[]")?;
        }
    }
    if fill.args.kind == Some(Kind::Exception) {
        text = edit::set(&text, "kind", "exception")?;
        for key in ["expires", "owner", "risk"] {
            if !has_key(&text, key) {
                text = edit::set(&text, key, "")?;
            }
        }
    }
    if let Some(old) = fill.supersedes {
        text = edit::set(&text, "supersedes", &edit::quoted(old))?;
    }
    Ok(text)
}

/// Replace `{{name}}`; an empty value also swallows the space before it (`key: {{x}}`
/// becomes `key:`, not `key: `).
fn substitute(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        let placeholder = format!("{{{{{name}}}}}");
        if value.is_empty() {
            out = out.replace(&format!(" {placeholder}"), "");
        }
        out = out.replace(&placeholder, value);
    }
    out
}

/// Whether the front-matter has top-level `key` (in either spelling).
fn has_key(text: &str, key: &str) -> bool {
    let crate::record::frontmatter::Split::Present { yaml, .. } =
        crate::record::frontmatter::split(text)
    else {
        return false;
    };
    let dashed = key.replace('_', "-");
    text.get(yaml.start..yaml.end)
        .unwrap_or("")
        .lines()
        .filter(|l| !l.starts_with([' ', '\t', '#', '-']))
        .filter_map(|l| l.split_once(':'))
        .any(|(k, _)| k.trim_end() == key || k.trim_end() == dashed)
}

/// The status a new record starts in: `proposed` when that is an open status, else the
/// first open status configured.
pub fn open_status(config: &Config) -> String {
    let open = |n: &&(String, StatusClass)| n.1 == StatusClass::Open;
    config
        .statuses
        .iter()
        .filter(open)
        .find(|(n, _)| n == "proposed")
        .or_else(|| config.statuses.iter().find(open))
        .map_or_else(|| "proposed".to_string(), |(n, _)| n.clone())
}

/// A decision has at most one successor: superseding one that already names a
/// successor, or that another record already supersedes, is refused (exit 2) rather than
/// silently giving it a second one.
fn refuse_second_successor(records: &[Record], old: &Record) -> Result<()> {
    let Some(old_id) = old.id() else {
        return Ok(());
    };
    let named = old
        .fields
        .superseded_by
        .iter()
        .flat_map(|f| &f.value)
        .map(|t| t.text.trim().to_string())
        .filter(|t| !t.is_empty());
    let claimed = records
        .iter()
        .filter(|r| !std::ptr::eq(*r, old))
        .filter(|r| {
            r.fields
                .supersedes
                .iter()
                .flat_map(|f| &f.value)
                .any(|t| t.text.trim() == old_id)
        })
        .filter_map(|r| r.id().map(str::to_string));
    let mut successors: Vec<String> = named.chain(claimed).collect();
    successors.sort();
    successors.dedup();
    if successors.is_empty() {
        return Ok(());
    }
    Err(Error::usage(
        format!(
            "decision `{old_id}` already has a successor ({}): a decision is superseded by one decision",
            successors
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(
            "supersede the successor instead, or edit the links by hand if the first successor was abandoned",
        ),
    ))
}

fn check_priority(p: &str) -> Result<()> {
    let p = p.trim();
    let digits = p.strip_prefix(['P', 'p']).unwrap_or(p);
    if digits.parse::<i64>().is_ok() {
        Ok(())
    } else {
        Err(Error::usage(
            format!("invalid priority `{p}`"),
            Some("write P0…P4, or an integer"),
        ))
    }
}

/// The record with id `id`; `7` finds `0007`.
fn find_record<'a>(records: &'a [Record], id: &str) -> Result<&'a Record> {
    let id = id.trim();
    let number = |s: &str| s.parse::<u64>().ok();
    records
        .iter()
        .find(|r| r.id() == Some(id))
        .or_else(|| {
            records.iter().find(|r| {
                number(id).is_some()
                    && (r.id().and_then(number) == number(id)
                        || r.file_id.as_deref().and_then(number) == number(id))
            })
        })
        .ok_or_else(|| {
            Error::usage(
                format!("no decision with id `{id}` to supersede"),
                Some("`declint index` or `declint list` shows the ids"),
            )
        })
}

/// Name `new_id` as `old`'s successor in its `superseded_by`, edited in place with every
/// other byte of the file kept. Its status is left alone: the old decision stays in force
/// until the successor is decided, and DL403 says when to set `status: superseded`.
fn link_successor(writer: &Writer, path: &Path, old: &Record, new_id: &str) -> Result<String> {
    let original = old.source.as_str();
    let text = edit::append_to_list_verified(
        original,
        "superseded_by",
        &edit::quoted(new_id),
        new_id,
    )
    .map_err(|e| Error::Write {
        path: path.to_path_buf(),
        message: format!("cannot name its successor: {e}; nothing was written"),
        help: Some(format!(
            "add `superseded_by: [\"{new_id}\"]` to that record by hand, then run `declint new` again without `--supersedes` and add `supersedes:` to the new record"
        )),
    })?;
    writer.replace(path, original, &text)?;
    Ok(text)
}

/// One line of plain text: control and bidi-override characters dropped, runs of
/// whitespace collapsed.
pub fn clean_title(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// The longest slug kept, in bytes (cut at a word boundary).
const SLUG_MAX: usize = 60;

/// A file-name slug: the title transliterated to ASCII, lower-case letters and digits
/// joined by single dashes. Never empty, never a path: `untitled` when nothing is left.
pub fn slug(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_ascii_lowercase();
    let mut out = String::new();
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let extra = if out.is_empty() { 0 } else { 1 } + word.len();
        if out.len() + extra > SLUG_MAX {
            if out.is_empty() {
                out.push_str(word.get(..SLUG_MAX).unwrap_or(word));
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        "untitled".to_string()
    } else {
        out
    }
}

/// The next id: one above the highest number among the ids and file names, padded (and
/// prefixed, like the highest id) so that it matches `id_pattern`.
#[derive(Debug, Clone)]
pub struct NextId {
    number: u64,
    prefix: String,
    width: usize,
    pattern: Regex,
}

impl NextId {
    pub fn after(records: &[Record], pattern: &Regex) -> Result<NextId> {
        let mut best: Option<(u64, String, usize)> = None;
        for record in records {
            for id in [record.id(), record.file_id.as_deref()]
                .into_iter()
                .flatten()
            {
                let digits_at = id
                    .char_indices()
                    .rev()
                    .take_while(|(_, c)| c.is_ascii_digit())
                    .last()
                    .map(|(i, _)| i);
                let Some(at) = digits_at else { continue };
                let (prefix, digits) = id.split_at(at);
                let Ok(n) = digits.parse::<u64>() else {
                    continue;
                };
                if best.as_ref().is_none_or(|(b, _, _)| n > *b) {
                    best = Some((n, prefix.to_string(), digits.len()));
                }
            }
        }
        let (highest, prefix, width) = best.unwrap_or((0, String::new(), 1));
        let mut next = NextId {
            number: next_number(highest)?,
            prefix,
            width,
            pattern: pattern.clone(),
        };
        next.fit()?;
        Ok(next)
    }

    /// Find the narrowest padding (at least the current width) that matches the pattern,
    /// with the prefix, or failing that without it.
    fn fit(&mut self) -> Result<()> {
        for prefix in [self.prefix.clone(), String::new()] {
            for width in self.width..=20 {
                let candidate = format!("{prefix}{:0width$}", self.number);
                if self.pattern.is_match(&candidate) {
                    self.prefix = prefix;
                    self.width = width;
                    return Ok(());
                }
            }
        }
        Err(Error::usage(
            format!(
                "no id for decision number {} matches id_pattern `{}`",
                self.number,
                self.pattern.as_str()
            ),
            Some("`declint new` numbers records; use an id_pattern that accepts a padded number"),
        ))
    }

    pub fn id(&self) -> String {
        format!("{}{}", self.prefix, self.digits())
    }

    /// The zero-padded number, which starts the file name.
    pub fn digits(&self) -> String {
        format!("{:0width$}", self.number, width = self.width)
    }

    fn bump(&mut self) -> Result<()> {
        self.number = next_number(self.number)?;
        if self.fit().is_err() {
            self.width += 1;
        }
        Ok(())
    }
}

/// The number after `n`; past the largest number an id can hold is a clear error, never a
/// wrap-around to `0` (which would start the log again at `00000000000000000000`).
fn next_number(n: u64) -> Result<u64> {
    n.checked_add(1).ok_or_else(|| {
        Error::usage(
            format!("no number follows the highest decision number {n}: ids cannot grow past it"),
            Some("renumber the record holding that id, or create the next record by hand with an `id:` of your choice"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_readable() {
        assert_eq!(
            slug("Use Postgres for the ledger"),
            "use-postgres-for-the-ledger"
        );
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("v1.2 / v2.0: which?"), "v1-2-v2-0-which");
        assert_eq!(slug("Café déjà vu"), "cafe-deja-vu");
        assert_eq!(slug(""), "untitled");
        assert_eq!(slug("   "), "untitled");
        assert_eq!(slug("..."), "untitled");
        assert_eq!(slug("/"), "untitled");
        let rtl = slug("החלטה על מסד נתונים");
        assert!(!rtl.is_empty() && rtl != "untitled", "{rtl}");
        let emoji = slug("🚀 Launch");
        assert!(emoji.ends_with("launch"), "{emoji}");
        for s in [rtl, emoji, slug(&"long words ".repeat(40))] {
            assert!(s.len() <= SLUG_MAX, "{s}");
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            );
            assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
        }
    }

    #[test]
    fn titles_lose_control_and_bidi_characters() {
        assert_eq!(clean_title("  a\n\tb \u{202e}c\u{0007} "), "a b c");
    }

    fn records(names: &[(&str, &str)]) -> Vec<Record> {
        let config = Config::default();
        names
            .iter()
            .map(|(path, text)| Record::parse((*path).to_string(), (*text).to_string(), &config))
            .collect()
    }

    fn pattern(p: &str) -> Regex {
        Regex::new(p).expect("regex")
    }

    #[test]
    fn next_id_is_highest_plus_one_padded_to_the_pattern() {
        let rs = records(&[("d/0002-a.md", "# a\n"), ("d/0010-b.md", "# b\n")]);
        let next = NextId::after(&rs, &pattern("^[0-9]{4,}$")).expect("id");
        assert_eq!((next.id(), next.digits()), ("0011".into(), "0011".into()));
        let next = NextId::after(&[], &pattern("^[0-9]{4,}$")).expect("id");
        assert_eq!(next.id(), "0001");
        let next = NextId::after(&[], &pattern("^[0-9]+$")).expect("id");
        assert_eq!(next.id(), "1");
        let rs = records(&[("d/0007-a.md", "---\nid: ADR-007\n---\n")]);
        let next = NextId::after(&rs, &pattern("^ADR-[0-9]{3}$")).expect("id");
        assert_eq!((next.id(), next.digits()), ("ADR-008".into(), "008".into()));
        assert!(NextId::after(&[], &pattern("^[a-z]+$")).is_err());
    }

    #[test]
    fn a_bump_keeps_the_pattern() {
        let rs = records(&[("d/9999-a.md", "# a\n")]);
        let mut next = NextId::after(&rs, &pattern("^[0-9]{4,}$")).expect("id");
        assert_eq!(next.id(), "10000");
        next.bump().expect("room");
        assert_eq!(next.id(), "10001");
    }

    #[test]
    fn the_largest_number_has_no_successor() {
        let rs = records(&[("d/18446744073709551615-a.md", "# a\n")]);
        let err = NextId::after(&rs, &pattern("^[0-9]{4,}$")).expect_err("no next id");
        assert!(err.to_string().contains("18446744073709551615"), "{err}");
        let rs = records(&[("d/18446744073709551614-a.md", "# a\n")]);
        let mut next = NextId::after(&rs, &pattern("^[0-9]{4,}$")).expect("one left");
        assert_eq!(next.id(), "18446744073709551615");
        assert!(next.bump().is_err());
    }
}
