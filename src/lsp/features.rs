//! Hover, completion and quick fixes over the model: the record parsed from the buffer,
//! the rest of the log, the rule registry and the config. Only finding *where* the
//! cursor is (which key, which list) reads the buffer's lines, since a record being typed
//! is often half-written YAML that does not parse yet.

use super::session::{Log, Open, path_uri};
use super::text;
use crate::edit;
use crate::escape::markdown_cell;
use crate::finding::Span;
use crate::record::field_table::{field_def, field_names};
use crate::record::fields::{self, Text};
use crate::record::{IssueKind, Record};
use crate::rules;
use crate::spelling::canonical_key;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, Hover, HoverContents, MarkupContent, MarkupKind, NumberOrString, Position,
    Uri, WorkspaceEdit,
};
use std::collections::{BTreeSet, HashMap};

/// What the cursor is on: a rule code anywhere (its `explain` text), a front-matter key
/// (what the field means), or an id in `supersedes`/`superseded_by` (that record's title
/// and status).
pub(crate) fn hover(log: Option<&Log>, open: &Open, position: Position) -> Option<Hover> {
    let at = text::offset(&open.text, position);
    let word = word_at(&open.text, at);
    let word_text = open.text.get(word.start..word.end).unwrap_or("");
    let markdown = if let Some(rule) = is_rule_code(word_text)
        .then(|| rules::find(word_text))
        .flatten()
    {
        let meta = rule.meta();
        format!(
            "{}\n[Rule documentation]({})",
            meta.doc_markdown(),
            crate::output::sarif::help_uri(meta)
        )
    } else {
        let log = log?;
        let record = log.live.record(open.path.as_deref()?)?;
        if let Some(target) = linked_id_at(record, at) {
            describe_record(log, &target.text)
        } else if let Some(key) = key_at(&open.text, at) {
            let meaning = field_def(&canonical_key(&key))?.meaning;
            format!("**{}**: {}", markdown_cell(&key), meaning)
        } else {
            return None;
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: None,
    })
}

fn is_rule_code(word: &str) -> bool {
    word.len() == 5
        && word.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("dl"))
        && word.bytes().skip(2).all(|b| b.is_ascii_digit())
}

/// The id item of `supersedes`/`superseded_by` under byte `at`.
fn linked_id_at(record: &Record, at: usize) -> Option<&Text> {
    [&record.fields.supersedes, &record.fields.superseded_by]
        .into_iter()
        .flatten()
        .flat_map(|field| &field.value)
        .find(|item| item.span.start <= at && at <= item.span.end)
}

fn find_by_id<'l>(log: &'l Log, id: &str) -> Option<&'l Record> {
    let id = id.trim();
    log.live.records().iter().find(|r| r.id() == Some(id))
}

fn describe_record(log: &Log, id: &str) -> String {
    match find_by_id(log, id) {
        Some(record) => format!(
            "**{}**: {}\n\nstatus `{}` · {}",
            markdown_cell(id),
            markdown_cell(record.title().unwrap_or("(no title)")),
            markdown_cell(record.status().unwrap_or("none")),
            markdown_cell(&record.path)
        ),
        None => format!("no record of the log has the id `{}`", markdown_cell(id)),
    }
}

/// The span of the word (letters, digits, `_`, `-`) around byte `at`.
fn word_at(text: &str, at: usize) -> Span {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let before = text.get(..at).unwrap_or("");
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(at, |(i, _)| i);
    let after = text.get(at..).unwrap_or("");
    let end = after
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| at + i);
    Span::new(start, end)
}

/// The line holding byte `at`: its start and its text.
fn line_at(text: &str, at: usize) -> (usize, &str) {
    let start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let line = text.get(start..).unwrap_or("");
    (
        start,
        line.split('\n').next().unwrap_or("").trim_end_matches('\r'),
    )
}

/// The lines of the front-matter before the line holding `at`, when `at` is inside it
/// (after the opening `---` and before any closing line).
fn front_matter_lines(text: &str, at: usize) -> Option<Vec<&str>> {
    let (line_start, _) = line_at(text, at);
    let mut lines = text.get(..line_start)?.lines();
    if lines.next()?.trim_start_matches('\u{feff}').trim_end() != "---" {
        return None;
    }
    let lines: Vec<&str> = lines.collect();
    (!lines.iter().any(|l| matches!(l.trim_end(), "---" | "..."))).then_some(lines)
}

/// The top-level key of the front-matter line holding `at`, when `at` is on the key.
fn key_at(text: &str, at: usize) -> Option<String> {
    front_matter_lines(text, at)?;
    let (start, line) = line_at(text, at);
    let (key, _) = line.split_once(':')?;
    let on_key = at <= start + key.len();
    (on_key && !key.is_empty() && !key.starts_with([' ', '\t', '-', '#']))
        .then(|| key.trim().to_string())
}

/// The top-level key whose value the line holding `at` is part of: the key on the line
/// itself, or the nearest top-level key above an indented or list line.
fn owning_key<'t>(lines: &[&'t str], line: &'t str) -> Option<&'t str> {
    let top = |l: &'t str| -> Option<&'t str> {
        if l.starts_with([' ', '\t', '-', '#']) {
            return None;
        }
        Some(l.split_once(':')?.0.trim())
    };
    top(line).or_else(|| lines.iter().rev().find_map(|l| top(l)))
}

/// Completions at `position`: field names at the start of a front-matter line (those the
/// record does not have yet, for the configured profile); after a key, its values —
/// statuses from the config, people from the roster and the log, ids of the log for
/// links, the record's own reversal criteria by number for `evidence[].criterion`.
pub(crate) fn completion(log: &Log, open: &Open, position: Position) -> Vec<CompletionItem> {
    let at = text::offset(&open.text, position);
    let Some(lines) = front_matter_lines(&open.text, at) else {
        return Vec::new();
    };
    let (line_start, line) = line_at(&open.text, at);
    let typed = open.text.get(line_start..at).unwrap_or("");
    let config = &log.workspace.config;
    if !typed.contains(':') && !typed.starts_with([' ', '\t', '-']) {
        let present: BTreeSet<String> = lines
            .iter()
            .filter_map(|l| owning_key(&[], l))
            .map(|k| canonical_key(k).into_owned())
            .collect();
        return field_names(config.profile)
            .filter(|name| !present.contains(*name))
            .map(|name| CompletionItem {
                label: name.to_string(),
                kind: Some(CompletionItemKind::FIELD),
                detail: field_def(name).map(|def| def.meaning.to_string()),
                insert_text: Some(format!("{name}: ")),
                ..CompletionItem::default()
            })
            .collect();
    }
    let Some(key) = owning_key(&lines, line) else {
        return Vec::new();
    };
    let value = |label: &str, detail: Option<String>, insert: Option<String>| CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::VALUE),
        detail,
        insert_text: insert,
        ..CompletionItem::default()
    };
    let record = open
        .parsed
        .as_ref()
        .or_else(|| log.live.record(open.path.as_deref()?));
    match canonical_key(key).as_ref() {
        "evidence"
            if typed
                .trim_start()
                .trim_start_matches("- ")
                .starts_with("criterion") =>
        {
            record
                .and_then(|r| r.fields.reversal.as_ref())
                .map(|reversal| {
                    reversal
                        .value
                        .iter()
                        .enumerate()
                        .map(|(i, c)| value(&(i + 1).to_string(), Some(c.text.clone()), None))
                        .collect()
                })
                .unwrap_or_default()
        }
        "status" => config
            .statuses
            .iter()
            .map(|(name, class)| value(name, Some(format!("{class:?}").to_lowercase()), None))
            .collect(),
        "kind" => ["decision", "exception"]
            .map(|v| value(v, None, None))
            .to_vec(),
        "reversibility" => ["one-way", "two-way"]
            .map(|v| value(v, None, None))
            .to_vec(),
        "priority" => ["P0", "P1", "P2", "P3", "P4"]
            .map(|v| value(v, None, None))
            .to_vec(),
        "supersedes" | "superseded_by" => {
            let own = record.and_then(Record::id);
            log.live
                .records()
                .iter()
                .filter_map(|r| Some((r.id()?, r)))
                .filter(|(id, _)| Some(*id) != own)
                .map(|(id, r)| value(id, r.title().map(str::to_string), Some(edit::quoted(id))))
                .collect()
        }
        "decider" | "recommend" | "agree" | "perform" | "input" | "owner" | "dissent"
        | "decision_makers" | "deciders" | "consulted" | "informed" => people(log)
            .into_iter()
            .map(|name| value(&name, Some("person".to_string()), None))
            .collect(),
        _ => Vec::new(),
    }
}

/// Everyone the roster and the log name in a decision role, once each.
fn people(log: &Log) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut names = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim();
        if !name.is_empty() && seen.insert(crate::people::person_key(name).into_owned()) {
            names.push(name.to_string());
        }
    };
    if let Some(roster) = &log.workspace.config.roster {
        roster.handles().for_each(&mut add);
    }
    for record in log.live.records() {
        let f = &record.fields;
        for decider in f.decider.iter().flat_map(|d| &d.value.names) {
            add(&decider.text);
        }
        for list in [&f.recommend, &f.agree, &f.perform, &f.input]
            .into_iter()
            .flatten()
        {
            list.value.iter().for_each(|t| add(&t.text));
        }
    }
    names
}

/// Quick fixes for what is under the range: rename a misspelt key to the known one it
/// resembles, quote an id YAML reads as a number, add an empty `reversal:` or
/// `dissent: []` where a diagnostic asks for one, and add a missing `superseded_by`
/// back-link (on the other record, or on this one).
pub(crate) fn code_actions(
    log: &Log,
    open_docs: &HashMap<String, Open>,
    uri: &str,
    open: &Open,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let Some(record) = open.path.as_deref().and_then(|p| log.live.record(p)) else {
        return Vec::new();
    };
    let text = open.text.as_str();
    let range = Span::new(
        text::offset(text, params.range.start),
        text::offset(text, params.range.end),
    );
    let touches = |span: Span| span.start <= range.end && range.start <= span.end;
    let mut actions = Vec::new();
    let mut fix = |title: String, target: &str, old: &str, new: String| {
        let Ok(target) = target.parse::<Uri>() else {
            return;
        };
        let edit = WorkspaceEdit {
            changes: Some(HashMap::from([(target, vec![text::edit(old, &new)])])),
            ..WorkspaceEdit::default()
        };
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            edit: Some(edit),
            ..CodeAction::default()
        }));
    };
    for issue in &record.issues {
        if let IssueKind::UnknownField {
            suggestion: Some(known),
        } = &issue.kind
            && touches(issue.key_span)
        {
            let mut new = text.to_string();
            new.replace_range(issue.key_span.start..issue.key_span.end, known);
            fix(
                format!("Rename `{}` to `{known}`", issue.key),
                uri,
                text,
                new,
            );
        }
    }
    let ids = record
        .fields
        .id
        .iter()
        .map(|id| (id.value.as_str(), id.span))
        .chain(
            [&record.fields.supersedes, &record.fields.superseded_by]
                .into_iter()
                .flatten()
                .flat_map(|f| &f.value)
                .map(|t| (t.text.as_str(), t.span)),
        );
    for (id, span) in ids {
        let written = text.get(span.start..span.end).unwrap_or("");
        if touches(span) && !written.is_empty() && written.bytes().all(|b| b.is_ascii_digit()) {
            let mut new = text.to_string();
            new.replace_range(span.start..span.end, &edit::quoted(id));
            fix(
                format!("Quote `{id}` so YAML reads the id as text"),
                uri,
                text,
                new,
            );
        }
    }
    let asked = |code: &str| {
        params
            .context
            .diagnostics
            .iter()
            .any(|d| d.code == Some(NumberOrString::String(code.to_string())))
    };
    if asked("DL106")
        && record.fields.reversal.is_none()
        && let Ok(new) = edit::set(text, "reversal", "")
    {
        fix("Add an empty `reversal:` list".into(), uri, text, new);
    }
    if asked("DL205")
        && record.fields.dissent.is_none()
        && let Ok(new) = edit::set(text, "dissent", "[]")
    {
        fix("Add `dissent: []` (no dissent)".into(), uri, text, new);
    }
    let Some(own_id) = record.id() else {
        return actions;
    };
    let names = |list: &Option<fields::Field<Vec<Text>>>, id: &str| {
        list.as_ref()
            .is_some_and(|l| l.value.iter().any(|t| t.text.trim() == id))
    };
    // This record supersedes one whose `superseded_by` does not name it back.
    for item in record.fields.supersedes.iter().flat_map(|f| &f.value) {
        let Some(old) = find_by_id(log, &item.text) else {
            continue;
        };
        if !touches(item.span)
            || old.path == record.path
            || names(&old.fields.superseded_by, own_id)
        {
            continue;
        }
        let other_uri = open_docs
            .iter()
            .find(|(_, o)| o.path.as_deref() == Some(old.path.as_str()))
            .map(|(u, _)| u.clone())
            .or_else(|| {
                path_uri(&log.workspace.root.join(&old.path)).map(|u| u.as_str().to_string())
            });
        let old_text = old.source.as_str();
        if let (Some(other_uri), Ok(new)) = (
            other_uri,
            edit::append_to_list(old_text, "superseded_by", &edit::quoted(own_id)),
        ) {
            fix(
                format!("Add `superseded_by: \"{own_id}\"` to {}", old.path),
                &other_uri,
                old_text,
                new,
            );
        }
    }
    // Records that supersede this one while its `superseded_by` does not name them.
    if asked("DL403") {
        for newer in log.live.records() {
            let Some(newer_id) = newer.id() else {
                continue;
            };
            if newer.path != record.path
                && names(&newer.fields.supersedes, own_id)
                && !names(&record.fields.superseded_by, newer_id)
                && let Ok(new) =
                    edit::append_to_list(text, "superseded_by", &edit::quoted(newer_id))
            {
                fix(
                    format!("Add `superseded_by: \"{newer_id}\"` ({})", newer.path),
                    uri,
                    text,
                    new,
                );
            }
        }
    }
    actions
}
