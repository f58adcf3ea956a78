//! The git facts a check reads: with `--base`, what the change did to the log (compared
//! against the merge base, working tree or `--head`); when records were committed (the
//! change's own commits, and every record's with `--history`); and the decisions whose
//! `affects` globs govern the change. The git module hands over plain data; this module
//! shapes it for the rules' context (see the pipeline in [`crate::check`]). With
//! `--history` it also makes the history audit's findings (the change rules over each
//! commit, named by commit, date and author) as the walk reads each commit
//! (decisions/0115).

use crate::change::{ChangeSet, Logged};
use crate::config::{Config, StatusClass};
use crate::discover::{Candidate, Layout};
use crate::error::Result;
use crate::finding::Finding;
use crate::git::{self, Compare};
use crate::record::Record;
use crate::report::Governing;
use crate::rules::{Context, EnabledRules};
use crate::workspace::Workspace;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What git tells a check: the change against the base (with `--base`) and when records
/// were first committed.
pub(crate) struct GitFacts {
    pub change: Option<ChangeSet>,
    pub logged: Logged,
    /// With `--base`: how the base was found and the merge base's commit id.
    pub base: Option<(String, String)>,
    /// With `--base`: the two ends compared, for the files outside the log that the
    /// change touched ([`governing_change`]).
    pub diff_ends: Option<git::DiffEnds>,
    /// `--history`: the whole timeline was read (DL307 then judges every record).
    pub history: bool,
    /// `--history`: the audit's findings (DL501–DL510 over every commit that changed a
    /// decision), made as the walk reads each commit.
    pub audit: Vec<Finding>,
    /// `--history`: the versions of decision files that do not read as text (DL005).
    pub unread: Vec<crate::timeline::UnreadVersion>,
}

/// The decision folders, repository-relative, as git names paths.
pub(crate) fn folder_names(layout: &Layout<'_>) -> Result<Vec<String>> {
    Ok(layout
        .decision_folders()?
        .iter()
        .map(|f| layout.display(f))
        .collect())
}

/// What a check asks of git.
pub(crate) struct FactsWanted<'a> {
    /// `--base REF|auto`.
    pub base: Option<&'a str>,
    /// `--head REF`; the working tree when `None`.
    pub head: Option<&'a str>,
    /// `--history`: when every record was first committed, and the history audit.
    pub history: bool,
    /// `--since DATE|REF`: limits the history audit.
    pub since: Option<&'a str>,
    /// What `--base auto` reads from the environment.
    pub auto_env: &'a git::AutoEnv,
}

/// Read the facts a check asks for (`--base`, `--head`, `--history`).
pub(crate) fn facts(workspace: &Workspace, options: &FactsWanted<'_>) -> Result<GitFacts> {
    let layout = workspace.layout();
    let root = &workspace.root;
    let folders = folder_names(&layout)?;
    let exclude: GlobSet = layout.exclude_set()?;
    let (change, base, diff_ends) = match options.base {
        None => (None, None, None),
        Some(base) => {
            let request = Compare {
                base,
                head: options.head,
                folders: &folders,
                exclude: &exclude,
                config: &workspace.config,
                env: options.auto_env,
            };
            let load = |path: &str| {
                let file = crate::display_path::to_path(root, path);
                layout.load(&Candidate::at(file, path.to_string()))
            };
            let comparison = git::compare(root, &request, &load)?;
            (
                Some(comparison.change),
                Some((comparison.description, comparison.merge_base)),
                Some(comparison.ends),
            )
        }
    };
    // "Logged" comes from commits only (SPEC §9): the head's own commits with a base, the
    // whole walk with --history; an uncommitted decision has no logged time.
    let mut logged: Logged = change
        .as_ref()
        .map(|c| c.logged(&workspace.config))
        .unwrap_or_default();
    let mut audit = Vec::new();
    let mut unread = Vec::new();
    if options.history {
        let walk = git::history::Walk {
            folders: &folders,
            exclude: &exclude,
            config: &workspace.config,
        };
        // One walk gives both "logged" and the audit; each commit's records are checked
        // and dropped as it goes, so memory does not grow with the history.
        let rules = EnabledRules::new(&workspace.config);
        let check = |audited: &git::history::AuditedCommit| {
            audit_findings(&rules, audited, &workspace.config)
        };
        let (timeline, found) = git::history::walk_and_audit(root, &walk, options.since, &check)?;
        logged.extend(timeline.logged());
        unread = timeline.unread;
        audit = found;
    }
    Ok(GitFacts {
        change,
        logged,
        base,
        diff_ends,
        history: options.history,
        audit,
        unread,
    })
}

/// The change rules over one commit of the history, each finding naming the commit, its
/// date and author, pointing at the start of the file (its lines then are not the file's
/// lines now).
fn audit_findings(
    rules: &EnabledRules,
    audited: &crate::git::history::AuditedCommit,
    config: &Config,
) -> Vec<Finding> {
    let when = chrono::DateTime::from_timestamp(audited.time, 0).unwrap_or_default();
    let cx = Context {
        config,
        // "Not after today" for new evidence means not after the commit's day.
        today: crate::timeline::day_at(when, config.timezone),
        touched: None,
        change: Some(&audited.change),
        logged: None,
        history: false,
    };
    rules
        .check_audit(&audited.change, &cx)
        .into_iter()
        .map(|finding| {
            in_commit(
                finding,
                &audited.commit,
                audited.time,
                &audited.author,
                config,
            )
        })
        .collect()
}

/// A finding about a past version of a file: its message names the commit, its date and
/// author, and it points at the start of the file (its lines then are not the file's
/// lines now).
fn in_commit(
    mut finding: Finding,
    commit: &str,
    time: i64,
    author: &str,
    config: &Config,
) -> Finding {
    let short = commit.get(..10).unwrap_or(commit);
    finding.message = format!(
        "in commit {short} ({}, by {author}): {}",
        crate::timeline::describe_time(time, config.timezone),
        finding.message
    );
    finding.span = crate::finding::Span::new(0, 0);
    finding.start = crate::finding::Position { line: 1, column: 1 };
    finding.end = crate::finding::Position { line: 1, column: 1 };
    finding
}

/// DL005 for each version in the history that does not read as text (`--history`): the
/// same finding as for such a file in the working tree, in the commit that brought it in.
pub(crate) fn unread_version_findings<'a>(
    rules: &EnabledRules,
    versions: impl IntoIterator<Item = &'a crate::timeline::UnreadVersion>,
    config: &Config,
) -> Vec<Finding> {
    versions
        .into_iter()
        .flat_map(|v| {
            let record = Record::unloaded(v.path.clone(), v.problem.clone(), String::new());
            rules
                .check_history_version(&record, config)
                .into_iter()
                .map(|finding| in_commit(finding, &v.commit, v.time, &v.author, config))
        })
        .collect()
}

/// The decisions governing a change (see [`governing`]), reading from git only the changed
/// files their `affects` globs can match: the diff is limited to the globs' literal
/// prefixes ([`literal_prefix`]), and covers the whole repository only when some glob has
/// none (`*.sql`). A change in a monorepo then costs what it touches, not what the
/// repository holds (decisions/0128).
pub(crate) fn governing_change(
    ends: &git::DiffEnds,
    records: &[Record],
    config: &crate::config::Config,
) -> Result<Vec<Governing>> {
    let in_force = in_force_patterns(records, config);
    let prefixes: Option<Vec<String>> = in_force
        .iter()
        .flat_map(|(_, patterns)| patterns.iter())
        // An empty pattern matches nothing ([`pattern_globs`]): it needs no path.
        .filter(|p| !normalized(p).is_empty())
        .map(|p| literal_prefix(p))
        .collect();
    let mut prefixes = prefixes;
    if let Some(prefixes) = &mut prefixes {
        prefixes.sort();
        prefixes.dedup();
    }
    let changed_files = git::changed_paths(ends, prefixes.as_deref())?;
    Ok(governing(records, &changed_files, config))
}

/// The repository-relative folder or file every path an `affects` pattern matches lies
/// under (`src/db/**` → `src/db`, `migrations/*.rs` → `migrations`, `src/db/` →
/// `src/db`); `None` when it has none: a pattern without `/` matches at any depth
/// (`*.sql`, as [`pattern_globs`] reads it), or its first component is a glob.
fn literal_prefix(pattern: &str) -> Option<String> {
    let pattern = normalized(pattern);
    if !pattern.trim_end_matches('/').contains('/') {
        return None;
    }
    let literal: Vec<&str> = pattern
        .trim_end_matches('/')
        .split('/')
        .take_while(|part| !part.is_empty() && !part.contains(['*', '?', '[', ']', '{', '}', '\\']))
        .collect();
    (!literal.is_empty()).then(|| literal.join("/"))
}

/// An `affects` pattern without surrounding space and leading `./` or `/`.
fn normalized(pattern: &str) -> &str {
    pattern
        .trim()
        .trim_start_matches("./")
        .trim_start_matches('/')
}

/// The decisions in force (open or active, never closed or of a status the config does
/// not know) that have `affects` patterns, with the patterns that count.
fn in_force_patterns<'r>(
    records: &'r [Record],
    config: &crate::config::Config,
) -> Vec<(&'r Record, Vec<&'r str>)> {
    records
        .iter()
        .filter(|r| {
            matches!(
                r.status_class(config),
                Some(StatusClass::Open | StatusClass::Active)
            )
        })
        .filter_map(|record| {
            let affects = record.fields.affects.as_ref()?;
            Some((record, used_patterns(&affects.value)))
        })
        .collect()
}

/// The open and active decisions whose `affects` globs match any of `changed_files`.
///
/// Logs name the same few areas again and again (`src/billing/**`), and compiling a glob
/// costs far more than matching one, so each distinct pattern is compiled and matched
/// against the changed files once, on the thread pool, and records look their patterns up.
pub(crate) fn governing(
    records: &[Record],
    changed_files: &[String],
    config: &crate::config::Config,
) -> Vec<Governing> {
    let open = in_force_patterns(records, config);
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
    let pattern = normalized(pattern);
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
    fn affects_patterns_give_the_folder_they_lie_under() {
        let cases = [
            ("src/db/", Some("src/db")),
            ("./src/db/**", Some("src/db")),
            ("/migrations/*.rs", Some("migrations")),
            ("src/db", Some("src/db")),
            ("src/a*/x.rs", Some("src")),
            ("services/{a,b}/**", Some("services")),
            ("*.sql", None),
            ("db/", None),
            ("**/x/y", None),
            ("[ab]/x", None),
        ];
        for (pattern, prefix) in cases {
            assert_eq!(literal_prefix(pattern).as_deref(), prefix, "{pattern}");
        }
    }

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
