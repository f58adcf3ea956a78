//! `declint migrate --to declint [--write]`: rewrite records of an adopted format (Nygard,
//! MADR 2 bullets) into declint front-matter (SPEC §10).
//!
//! The metadata lines the format defines move into the front-matter — Nygard: the `Date:`
//! line and the status and relation lines of the Status section; MADR 2: the bullet block
//! under the title — and every other byte of the file is kept, the H1 and any Changelog
//! included. The values are the ones the record model read, so what `check` saw before is
//! what the front-matter says after. A dry run (the default) prints a unified diff;
//! `--write` replaces each file atomically and never one that changed since it was read.
//! A record that already has front-matter is left alone, so a second run changes nothing.

use crate::error::Result;
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::record::{Format, FrontMatter, Record};
use crate::rules::integrity::{IdKey, id_key};
use crate::workspace::Workspace;
use crate::write::Writer;
use std::fmt::Write as _;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The format to rewrite records into.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub to: crate::commands::migrate::Target,

    /// Rewrite the files (default: print a unified diff of what would change).
    #[arg(long)]
    pub write: bool,

    /// Files or folders to migrate (default: the configured decision folders).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<std::path::PathBuf>,
}

/// The format `--to` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// YAML front-matter with the fields of the declint record.
    Declint,
}

pub fn run(args: MigrateArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let Target::Declint = args.to;
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let records = workspace.load_records(&args.paths)?;
    let writer = Writer::new(&workspace.root)?;
    let mut report = String::new();
    let mut migrated = 0usize;
    // Whether a record stays in another format than declint's.
    let mut left_behind = false;
    // MADR writes a supersede link on the predecessor only (`superseded by X`); declint
    // links both sides, so the successor gains `supersedes`.
    let mut predecessors: std::collections::HashMap<IdKey, Vec<&str>> =
        std::collections::HashMap::new();
    // The record reader put the link of a `superseded by X` status into `superseded_by`.
    for record in records.iter().filter(|r| r.format == Format::Madr) {
        let Some(id) = record.id() else { continue };
        let from_status = record
            .fields
            .superseded_by
            .as_ref()
            .filter(|f| f.from_body)
            .into_iter()
            .flat_map(|f| f.value.iter().map(|t| t.text.as_str()));
        for target in from_status {
            predecessors.entry(id_key(target)).or_default().push(id);
        }
    }
    for record in &records {
        let back = record
            .id()
            .and_then(|id| predecessors.get(&id_key(id)))
            .map_or(&[][..], Vec::as_slice);
        let Some(plan) = plan(record, back) else {
            left_behind |= record.format != Format::Declint;
            continue;
        };
        migrated += 1;
        if args.write {
            writer.replace(
                &workspace.root.join(&record.path),
                record.source.as_str(),
                &plan.text,
            )?;
            let _ = writeln!(report, "migrated {}", record.path);
        } else {
            report.push_str(&plan.diff);
        }
    }
    // The whole log in declint's format now: the config says so.
    let whole_log = args.paths.is_empty() && migrated > 0 && !left_behind;
    if args.write
        && whole_log
        && let Some(file) = &workspace.config.file
        && let Ok(config_text) = std::fs::read_to_string(file)
        && let Some(switched) = profile_declint(&config_text)
    {
        writer.replace(file, &config_text, &switched)?;
        let _ = writeln!(report, "set `profile: declint` in {}", file.display());
    }
    let _ = writeln!(
        report,
        "{migrated} record{} {}",
        if migrated == 1 { "" } else { "s" },
        if args.write {
            "migrated"
        } else {
            "to migrate (dry run: `--write` applies it)"
        }
    );
    write_all(out, &report)?;
    Ok(EXIT_OK)
}

/// A record's new text and the diff that gets there.
struct Plan {
    text: String,
    diff: String,
}

/// What migrating `record` writes, or `None` when it has nothing to migrate.
/// `predecessors` are the ids of records that name it as their successor.
fn plan(record: &Record, predecessors: &[&str]) -> Option<Plan> {
    if !matches!(record.format, Format::Nygard | Format::Madr)
        || record.front_matter != FrontMatter::Missing
    {
        return None;
    }
    let f = &record.fields;
    let text = record.source.as_str();
    let mut yaml = String::new();
    // The lines the values came from (byte offsets of their starts), to move.
    let mut moved: Vec<usize> = Vec::new();
    let mut take = |span: crate::finding::Span, movable: bool| {
        if movable {
            let start = line_start(text, span.start);
            if !moved.contains(&start) {
                moved.push(start);
            }
        }
    };
    // A compound status (`superseded by X`) was read as its word and its link.
    if let Some(status) = &f.status {
        let _ = writeln!(yaml, "status: {}", quoted(&status.value));
        take(status.span, true);
    }
    if let Some(date) = &f.date {
        let _ = writeln!(yaml, "date: {}", quoted(date.value.raw.trim()));
        // A `Date:` line moves; a Changelog entry the date was read from stays.
        let line = text
            .get(line_start(text, date.span.start)..)
            .unwrap_or_default();
        let line = line.trim_start().trim_start_matches(['-', '*', ' ']);
        let is_date_line = line
            .get(..4)
            .is_some_and(|w| w.eq_ignore_ascii_case("date"));
        take(date.span, is_date_line);
    }
    if f.supersedes.is_none() && !predecessors.is_empty() {
        let ids: Vec<String> = predecessors.iter().map(|id| quoted(id)).collect();
        let _ = writeln!(yaml, "supersedes: [{}]", ids.join(", "));
    }
    if let Some(decider) = &f.decider {
        let names: Vec<String> = decider
            .value
            .names
            .iter()
            .map(|n| quoted(&n.text))
            .collect();
        match names.as_slice() {
            [one] => {
                let _ = writeln!(yaml, "decider: {one}");
            }
            _ => {
                let _ = writeln!(yaml, "decider: [{}]", names.join(", "));
            }
        }
        take(decider.span, true);
    }
    for (key, field) in [
        ("supersedes", &f.supersedes),
        ("superseded_by", &f.superseded_by),
    ] {
        if let Some(field) = field {
            let ids: Vec<String> = field.value.iter().map(|t| quoted(&t.text)).collect();
            let _ = writeln!(yaml, "{key}: [{}]", ids.join(", "));
            for id in &field.value {
                take(id.span, true);
            }
        }
    }
    if yaml.is_empty() {
        return None;
    }
    moved.sort_unstable();
    let mut body = String::with_capacity(text.len());
    let mut removed: Vec<(usize, String)> = Vec::new();
    let mut line_no = 0usize;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        line_no += 1;
        if moved.binary_search(&offset).is_ok() {
            removed.push((line_no, line.to_string()));
        } else {
            body.push_str(line);
        }
        offset += line.len();
    }
    let front = format!("---\n{yaml}---\n");
    let new_text = format!("{front}{body}");
    Some(Plan {
        diff: unified_diff(&record.path, &front, &removed),
        text: new_text,
    })
}

/// The config text with its top-level `profile:` line set to `declint`; `None` when it
/// has none or says `declint` already.
fn profile_declint(config: &str) -> Option<String> {
    let mut changed = false;
    let text: String = config
        .split_inclusive('\n')
        .map(|line| {
            let value = line.strip_prefix("profile:").map(str::trim);
            match value {
                Some(v) if !v.starts_with("declint") => {
                    changed = true;
                    let ending = if line.ends_with('\n') { "\n" } else { "" };
                    format!("profile: declint{ending}")
                }
                _ => line.to_string(),
            }
        })
        .collect();
    changed.then_some(text)
}

/// The byte offset of the start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// A YAML scalar that reads back as `text`: JSON string syntax is valid YAML.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// The diff of a migration: the front-matter added before line 1, each moved line
/// removed, with no context lines (`patch` applies it as it is).
fn unified_diff(path: &str, front: &str, removed: &[(usize, String)]) -> String {
    let mut diff = format!("--- a/{path}\n+++ b/{path}\n");
    let added = front.lines().count();
    let _ = writeln!(diff, "@@ -0,0 +1,{added} @@");
    for line in front.lines() {
        let _ = writeln!(diff, "+{line}");
    }
    for (i, (line_no, line)) in removed.iter().enumerate() {
        // Lines before this one in the new file: the old line minus the ones removed
        // above it, plus the front-matter.
        let new_at = line_no - 1 - i + added;
        let _ = writeln!(diff, "@@ -{line_no},1 +{new_at},0 @@");
        let _ = write!(diff, "-{line}");
        if !line.ends_with('\n') {
            diff.push_str("\n\\ No newline at end of file\n");
        }
    }
    diff
}
