//! `declint check` with git facts: `--base` (change rules, softened time rules on
//! untouched files, governing decisions), `--head` (the log as it is in a commit) and
//! `--history` (when each record was first committed). The git module hands over plain
//! data; this module puts it into the rules' [`Context`] and the [`Report`].

use crate::change::{ChangeSet, Logged};
use crate::check::{CheckOptions, Compared, Governing, Report, Workspace, check_each};
use crate::config::StatusClass;
use crate::discover::Candidate;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::finding::sort_findings;
use crate::git::{self, Compare};
use crate::record::Record;
use crate::rules::{self, Context, EnabledRules};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

pub fn check_with_git(workspace: &Workspace, options: &CheckOptions) -> Result<Report> {
    let layout = workspace.layout();
    let root = &workspace.root;
    let folders: Vec<String> = layout
        .decision_folders()?
        .iter()
        .map(|f| layout.display(f))
        .collect();
    let exclude = layout.exclude_set()?;
    let config = &workspace.config;

    if options.head.is_some() && !options.paths.is_empty() {
        return Err(Error::usage(
            "--head checks the log as it is in a commit; it cannot be combined with PATHS",
            Some("drop the paths, or drop --head to check the working tree"),
        ));
    }
    let rules = EnabledRules::new(config);
    let (before_git, after_git) = rules.without_commit_times();
    let plain = Context::new(config, options.today);
    // The record rules that need no git facts check each record as it is loaded, as in a
    // plain check.
    let load_records = || -> Result<(Vec<Record>, Vec<Finding>)> {
        Ok(match &options.head {
            Some(head) => {
                let records = git::tree_records(root, head, &folders, &exclude, config)?;
                check_each(records.into_par_iter(), &before_git, &plain)
            }
            None => {
                let candidates = layout.candidates(&options.paths)?;
                let loaded = candidates.par_iter().map(|c| layout.load(c));
                check_each(loaded, &before_git, &plain)
            }
        })
    };
    let compare = || -> Result<Option<git::Comparison>> {
        let Some(base) = &options.base else {
            return Ok(None);
        };
        let request = Compare {
            base,
            head: options.head.as_deref(),
            folders: &folders,
            exclude: &exclude,
            config,
            env: &options.auto_env,
        };
        let load = |path: &str| layout.load(&Candidate::at(root.join(path), path.to_string()));
        Ok(Some(git::compare(root, &request, &load)?))
    };
    // The diff mostly waits on the file system, like the load: run them side by side.
    let (records, change) = rayon::join(load_records, compare);
    let ((records, mut findings), comparison) = (records?, change?);
    let (change, description) = match comparison {
        Some(c) => (Some(c.change), Some((c.description, c.merge_base))),
        None => (None, None),
    };
    // "Logged" comes from commits only (SPEC §9): the head's own commits with a base, the
    // whole walk with --history; an uncommitted decision has no logged time.
    let mut logged: Logged = change
        .as_ref()
        .map(|c| c.logged(config))
        .unwrap_or_default();
    if options.history {
        let walk = git::history::Walk {
            folders: &folders,
            exclude: &exclude,
            config,
        };
        logged.extend(git::history::walk(root, &walk)?.logged());
    }
    let touched: Option<HashSet<String>> = change.as_ref().map(ChangeSet::touched);
    let cx = Context {
        config,
        today: options.today,
        touched: touched.as_ref(),
        change: change.as_ref(),
        logged: Some(&logged),
    };
    rules::soften_untouched(&mut findings, cx.touched);
    let timed: Vec<Finding> = records
        .par_iter()
        .fold(Vec::new, |mut found, record| {
            after_git.check_record(record, &cx, &mut found);
            found
        })
        .flatten()
        .collect();
    findings.extend(timed);
    findings.extend(rules.check_log(&records, &cx));
    sort_findings(&mut findings);
    let governing = change
        .as_ref()
        .map(|c| governing(&records, &c.changed_files, config))
        .unwrap_or_default();
    let compared = description.map(|(description, merge_base)| Compared {
        description,
        merge_base,
        touched: touched.clone().unwrap_or_default(),
    });
    Ok(Report {
        root: root.clone(),
        records,
        findings,
        governing,
        compared,
    })
}

/// The open and active decisions whose `affects` globs match any of `changed_files`.
///
/// Logs name the same few areas again and again (`src/billing/**`), and compiling a glob
/// costs far more than matching one, so each distinct pattern is compiled and matched
/// against the changed files once, on the thread pool, and records look their patterns up.
pub fn governing(
    records: &[Record],
    changed_files: &[String],
    config: &crate::config::Config,
) -> Vec<Governing> {
    let open: Vec<(&Record, Vec<&str>)> = records
        .iter()
        .filter(|r| r.status_class(config) != Some(StatusClass::Closed))
        .filter_map(|record| {
            let affects = record.fields.affects.as_ref()?;
            Some((record, used_patterns(&affects.value)))
        })
        .collect();
    let distinct: HashSet<&str> = open
        .iter()
        .flat_map(|(_, patterns)| patterns.iter().copied())
        .collect();
    let matching: HashMap<&str, Vec<usize>> = distinct
        .into_par_iter()
        .filter_map(|pattern| {
            let globs = pattern_globs(pattern)?;
            let files = changed_files
                .iter()
                .enumerate()
                .filter(|(_, file)| globs.is_match(file.as_str()))
                .map(|(i, _)| i)
                .collect();
            Some((pattern, files))
        })
        .collect();
    open.into_iter()
        .filter_map(|(record, patterns)| {
            let mut hit = vec![false; changed_files.len()];
            for files in patterns.iter().filter_map(|p| matching.get(p)) {
                for &i in files {
                    if let Some(slot) = hit.get_mut(i) {
                        *slot = true;
                    }
                }
            }
            let matched_files: Vec<String> = changed_files
                .iter()
                .zip(&hit)
                .filter(|(_, hit)| **hit)
                .map(|(file, _)| file.clone())
                .collect();
            (!matched_files.is_empty()).then(|| Governing {
                path: record.path.clone(),
                id: record.id().map(str::to_string),
                title: record.title().map(str::to_string),
                status: record.status().map(str::to_string),
                matched_files,
            })
        })
        .collect()
}

/// How many `affects` patterns of one record are used (real records have a handful).
pub const MAX_AFFECTS_GLOBS: usize = 100;
/// The longest `affects` pattern used, in bytes.
pub const MAX_AFFECTS_GLOB_LEN: usize = 256;

/// The `affects` patterns of one record that count. Compiled globs cost memory in
/// proportion to their length and number; a record is pull-request input, so only the
/// first MAX_AFFECTS_GLOBS patterns of at most MAX_AFFECTS_GLOB_LEN bytes count
/// (docs/robustness.md).
fn used_patterns(affects: &[crate::record::fields::Text]) -> Vec<&str> {
    affects
        .iter()
        .map(|t| t.text.as_str())
        .filter(|p| p.len() <= MAX_AFFECTS_GLOB_LEN)
        .take(MAX_AFFECTS_GLOBS)
        .collect()
}

/// One `affects` pattern, repository-relative: `*` stays within a folder, `**` crosses
/// folders, a pattern without `/` matches at any depth (`*.sql`), a folder matches
/// everything under it (`src/db/`). `None` when it is empty or does not compile.
fn pattern_globs(pattern: &str) -> Option<GlobSet> {
    let pattern = pattern
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/');
    if pattern.is_empty() {
        return None;
    }
    let mut pattern = pattern.to_string();
    if !pattern.trim_end_matches('/').contains('/') {
        pattern = format!("**/{pattern}");
    }
    if pattern.ends_with('/') {
        pattern.push_str("**");
    }
    let mut builder = GlobSetBuilder::new();
    let mut any = false;
    for variant in [pattern.clone(), format!("{pattern}/**")] {
        if let Ok(glob) = GlobBuilder::new(&variant).literal_separator(true).build() {
            builder.add(glob);
            any = true;
        }
    }
    if !any {
        return None;
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn affects_globs_match_like_gitignore() {
        let config = Config::default();
        let record = Record::parse(
            "decisions/0001-db.md".into(),
            "---\ntitle: Use Postgres\nstatus: accepted\naffects: [\"src/db/\", \"*.sql\", \"migrations/*.rs\"]\n---\n".into(),
            &config,
        );
        let closed = Record::parse(
            "decisions/0002-old.md".into(),
            "---\ntitle: Old\nstatus: superseded\naffects: [\"src/**\"]\n---\n".into(),
            &config,
        );
        let changed = [
            "src/db/pool.rs",
            "schema/init.sql",
            "migrations/0001.rs",
            "migrations/deep/x.rs",
            "src/main.rs",
        ]
        .map(String::from);
        let found = governing(&[record, closed], &changed, &config);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found.first().map(|g| g.matched_files.clone()),
            Some(
                ["src/db/pool.rs", "schema/init.sql", "migrations/0001.rs"]
                    .map(String::from)
                    .to_vec()
            )
        );
    }
}
