//! `declint init`: a commented `.declint.yml` spelling out the defaults, the decision
//! folder with its README index, a template and a first example record that passes
//! `declint check`. Nothing that exists is ever overwritten: if any file is already
//! there, nothing is written at all; if a write fails half-way, what was created is
//! removed again.

use crate::commands::{index, new};
use crate::config::{Config, Profile, StatusClass};
use crate::discover;
use crate::error::{Error, Result};
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::record::Record;
use crate::write::Writer;
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// How records are written: the full declint record, or MADR.
    #[arg(long, value_enum, default_value_t = crate::commands::init::InitProfile::Declint)]
    pub profile: crate::commands::init::InitProfile,

    /// Adopt the decision log the repository already has: find its folders and format,
    /// write .declint.yml and a baseline of today's findings, so `check` passes now and
    /// fails on every new finding.
    #[arg(long, conflicts_with = "profile")]
    pub adopt: bool,
}

/// The `--profile` choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InitProfile {
    /// The full declint record: decider, options, reversal criteria, evidence.
    Declint,
    /// MADR 4 records in docs/decisions.
    Madr,
}

impl From<InitProfile> for Profile {
    fn from(p: InitProfile) -> Profile {
        match p {
            InitProfile::Declint => Profile::Declint,
            InitProfile::Madr => Profile::Madr,
        }
    }
}

/// The files `init` writes, relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub folder: String,
    pub files: Vec<(String, String)>,
}

pub fn run(args: InitArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    if args.adopt {
        return super::adopt::run(global, env, out);
    }
    let cwd = std::fs::canonicalize(&env.cwd).map_err(|e| Error::io(&env.cwd, e))?;
    let root = discover::find_root(&cwd);
    // The config `init` writes has no `timezone`: today is the UTC day, as it will read.
    let today = crate::timeline::today(global.today, &crate::config::Config::default());
    let plan = plan(args.profile.into(), today);
    let writer = Writer::new(&root)?;
    let existing: Vec<&str> = plan
        .files
        .iter()
        .map(|(rel, _)| rel.as_str())
        .filter(|rel| std::fs::symlink_metadata(root.join(rel)).is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(Error::Write {
            path: root.join(existing.first().copied().unwrap_or_default()),
            message: format!(
                "declint init never overwrites anything, and these exist already: {}",
                existing.join(", ")
            ),
            help: Some("move them away first, or edit them by hand".into()),
        });
    }
    writer.create_dir_all(&root.join(&plan.folder))?;
    let mut created: Vec<PathBuf> = Vec::new();
    for (rel, text) in &plan.files {
        let path = root.join(rel);
        if let Err(e) = writer.create_new(&path, text) {
            for done in &created {
                writer.remove_created(done);
            }
            return Err(e.into());
        }
        created.push(path);
    }
    let mut report = String::new();
    for (rel, _) in &plan.files {
        report.push_str(&format!("created {rel}\n"));
    }
    report.push_str("next: `declint new \"Your first question\"`, then `declint check`\n");
    write_all(out, &report)?;
    Ok(EXIT_OK)
}

/// What `init` writes for a profile, dated `today`.
pub fn plan(profile: Profile, today: NaiveDate) -> Plan {
    let folder = match profile {
        Profile::Madr => "docs/decisions",
        Profile::Declint | Profile::Nygard | Profile::Auto => "decisions",
    };
    let template_path = format!("{folder}/template.md");
    let example_path = format!("{folder}/0001-record-decisions-in-a-checked-log.md");
    let example = example_record(profile, today);
    let config = Config::for_profile(profile);
    let record = Record::parse(example_path.clone(), example.clone(), &config);
    let table = index::table(
        std::slice::from_ref(&record),
        std::path::Path::new("/"),
        &std::path::Path::new("/").join(folder),
    );
    Plan {
        folder: folder.to_string(),
        files: vec![
            (
                ".declint.yml".to_string(),
                config_text(profile, folder, &template_path),
            ),
            (
                template_path.clone(),
                new::builtin_template(profile).to_string(),
            ),
            (example_path, example),
            (format!("{folder}/README.md"), index::new_readme(&table)),
        ],
    }
}

/// A `.declint.yml` that writes out every default, with a comment on each key.
pub fn config_text(profile: Profile, folder: &str, template: &str) -> String {
    let d = Config::for_profile(profile);
    let profile_name = profile.name();
    let statuses: String = d
        .statuses
        .iter()
        .map(|(name, class)| {
            let class = match class {
                StatusClass::Open => "open",
                StatusClass::Active => "active",
                StatusClass::Closed => "closed",
            };
            format!("  {name}: {class}\n")
        })
        .collect();
    format!(
        "# declint configuration. Every key is optional; the values written here are the
# defaults. `declint schema config` prints the JSON Schema of this file.

# How records are written: `declint` (the full record) or `madr` (MADR 2-4 files).
profile: {profile_name}

# Folders (or globs) holding the decision records, relative to this file.
paths:
  - {folder}

# Globs of files under those folders that are not decisions.
# (README.md, index.md and template.md never are.)
exclude: []

# Every id (the `id` field, else the file name's leading number) must match this.
id_pattern: '{id_pattern}'

# Status names and what each means: open (not decided yet), active (in force), closed.
statuses:
{statuses}
# Fields every record must have (`date` is required once a decision is not open).
required: [{required}]

# The people who may appear as decider and in the other RAPID roles: a list of names,
# or the path of a file with one handle a line (a CODEOWNERS file works).
# Without a roster, names are not checked.
# roster: [ana, bo]

# An open question is due this many hours after it was raised.
decision_sla_hours: {sla}
# A decision is logged late when committed as decided more than this many hours after its date.
log_within_hours: {log_within}
# At most this many decisions open at once.
max_open: {max_open}
# One decider holding more than this share of open and active decisions is a bottleneck...
bottleneck_share: {share}
# ...once there are at least this many of them.
bottleneck_min: {bottleneck_min}
# A reversal criterion shorter than this is a placeholder.
min_criterion_chars: {min_chars}
# Files larger than this are not read.
max_file_bytes: {max_bytes}

# Severity overrides by rule code or name: error, warning, info or off.
# `declint explain --all` lists the rules.
rules: {{}}
# rules:
#   DL406: warning

# The template `declint new` fills in; {{{{id}}}}, {{{{title}}}}, {{{{date}}}} and {{{{decider}}}}
# are replaced. Without it, the built-in template is used.
template: {template}
",
        id_pattern = d.id_pattern.as_str(),
        required = d.required.join(", "),
        sla = d.decision_sla_hours,
        log_within = d.log_within_hours,
        max_open = d.max_open,
        share = d.bottleneck_share,
        bottleneck_min = d.bottleneck_min,
        min_chars = d.min_criterion_chars,
        max_bytes = d.max_file_bytes,
    )
}

/// A complete first record that passes `declint check`: it documents adopting the log.
pub fn example_record(profile: Profile, today: NaiveDate) -> String {
    let date = today.format("%Y-%m-%d");
    let review = (today + chrono::Days::new(365)).format("%Y-%m-%d");
    match profile {
        Profile::Declint | Profile::Nygard | Profile::Auto => format!(
            "---
id: \"0001\"
title: Record decisions in a decision log checked by declint
kind: decision
status: accepted
raised: {date}
date: {date}
# Replace with the one person who made this call.
decider: team-lead
agree: [team]
options:
  - name: A decision log in git, checked by declint on every pull request
    pros: [reviewed like code, history for free, checks need no meeting]
  - name: Decisions in meeting notes and chat
    cons: [hard to find later, no named decider, no reversal criteria]
reversal:
  - after three months, fewer than half of our significant decisions have a record
  - the checks block more than one pull request a month without catching a real gap
review_by: {review}
reversibility: two-way
dissent: []
evidence: []
tags: [process]
---

# Record decisions in a decision log checked by declint

## Context

Decisions get made in meetings and chats and are hard to find, question or revisit
later. Nobody can say who decided, what else was considered, or what would change
our mind.

## Decision

Every significant decision gets a record in this folder: one named decider, the options
considered, and reversal criteria. `declint check` runs on every pull request.

## Consequences

- `declint new \"Title\"` starts a record; `declint index` keeps the table in README.md.
- A reversal or a priority change must cite new evidence.
"
        ),
        Profile::Madr => format!(
            "---
status: accepted
date: {date}
raised: {date}
decision-makers: team-lead
consulted: [team]
informed: []
---

# Record architecture decisions in MADR files checked by declint

## Context and Problem Statement

Decisions get made in meetings and chats and are hard to find later. We want a record of
each significant decision, in the repository, checked on every pull request.

## Considered Options

- MADR files in docs/decisions, checked by declint
- Meeting notes and chat history

## Decision Outcome

Chosen option: MADR files in docs/decisions, checked by declint, because they are
reviewed like code and the checks need no meeting.

### Consequences

- Good, because every decision names who made it and what else was considered.
- Bad, because writing a record takes a few minutes.
"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    #[test]
    fn the_config_written_is_the_defaults() {
        for profile in [Profile::Declint, Profile::Madr] {
            let plan = plan(profile, today());
            let text = &plan.files[0].1;
            let config = Config::parse(text, ".declint.yml").expect("init's config parses");
            let d = Config::for_profile(profile);
            assert_eq!(config.profile, d.profile);
            assert_eq!(config.id_pattern.as_str(), d.id_pattern.as_str());
            let mut want = d.statuses.clone();
            want.sort();
            let mut got = config.statuses.clone();
            got.sort();
            assert_eq!(got, want);
            assert_eq!(config.required, d.required);
            assert_eq!(config.decision_sla_hours, d.decision_sla_hours);
            assert_eq!(config.log_within_hours, d.log_within_hours);
            assert_eq!(config.max_open, d.max_open);
            assert_eq!(config.bottleneck_share, d.bottleneck_share);
            assert_eq!(config.bottleneck_min, d.bottleneck_min);
            assert_eq!(config.min_criterion_chars, d.min_criterion_chars);
            assert_eq!(config.max_file_bytes, d.max_file_bytes);
            assert_eq!(config.paths, std::slice::from_ref(&plan.folder));
            assert_eq!(
                config.template.as_deref(),
                Some(format!("{}/template.md", plan.folder).as_str())
            );
        }
    }

    #[test]
    fn the_example_record_passes_check() {
        for profile in [Profile::Declint, Profile::Madr] {
            let config = Config::for_profile(profile);
            let record = Record::parse(
                "decisions/0001-record-decisions-in-a-checked-log.md".into(),
                example_record(profile, today()),
                &config,
            );
            let report =
                crate::check::check_records(vec![record], &config, today(), PathBuf::from("/repo"))
                    .expect("records in memory always check");
            assert!(report.findings.is_empty(), "{:#?}", report.findings);
        }
    }
}
