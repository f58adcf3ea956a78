//! One walk over the repository's history: when each decision file was first committed
//! (DL305 with `--history`, logging latency in `stats`) and every change of a decision's
//! `priority` (plan volatility in `stats`).
//!
//! The walk visits every commit reachable from `HEAD` once (all parents, not only the
//! first: the commit that first added a record is usually on a feature branch, and its
//! time, not the merge's, is when the decision was logged). Each non-merge commit is
//! compared with its parent, limited to the decision folders; merge commits are skipped,
//! because what they bring in was already seen on the branch that made it (a squash or
//! rebase merge is an ordinary commit and is seen). A commit whose decision folders hold
//! the same trees as its parent's is skipped without diffing, and a front-matter blob is
//! read only when its id changed, once per blob id.

use super::{git_error, open_repo};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::record::Record;
use crate::record::frontmatter::{self, Split};
use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository, Tree};
use std::collections::HashMap;
use std::path::Path;

/// What the history walk found.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Repository-relative path → committer time (unix seconds) of the commit that first
    /// added the file. A rename carries the original time over to the new path.
    pub first_added: HashMap<String, i64>,
    /// Every change of a decision's `priority` in an existing file, oldest first.
    /// Adding a file with a priority is not a change; setting one later is (`from: None`).
    pub priority_changes: Vec<PriorityChange>,
    /// How many commits the walk visited (merges included).
    pub commits_walked: usize,
}

/// One edit of a decision's `priority`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityChange {
    /// Repository-relative path of the file after the change.
    pub path: String,
    /// Committer time of the commit, unix seconds.
    pub time: i64,
    /// The priority as written before and after (`None`: no priority).
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Something that happened to a decision file in one commit.
enum Event {
    Added { path: String },
    Renamed { from: String, to: String },
}

/// Walk the history reachable from `HEAD` of the repository at (or above) `repo_root`,
/// looking at files under `folders` (repository-relative, `/`-separated).
pub fn walk(repo_root: &Path, folders: &[String]) -> Result<History> {
    let repo = open_repo(repo_root)?;
    if repo.is_shallow() {
        return Err(Error::Git {
            message: "the history of this clone is cut short (shallow clone): the commit that first added each decision cannot be found".into(),
            help: Some("fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout".into()),
        });
    }
    walk_repo(&repo, folders)
}

pub(crate) fn walk_repo(repo: &Repository, folders: &[String]) -> Result<History> {
    let mut history = History::default();
    let head = match repo.head() {
        Ok(head) => head,
        // An empty repository has no history: nothing was ever added.
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => return Ok(history),
        Err(e) => return Err(git_error("cannot read HEAD", e)),
    };
    let head_oid = head
        .peel_to_commit()
        .map_err(|e| git_error("HEAD does not point at a commit", e))?
        .id();
    let mut revwalk = repo
        .revwalk()
        .map_err(|e| git_error("cannot walk the history", e))?;
    revwalk
        .push(head_oid)
        .map_err(|e| git_error("cannot walk the history", e))?;

    let folders: Vec<&str> = folders
        .iter()
        .map(|f| f.trim_end_matches('/'))
        .filter(|f| !f.is_empty())
        .collect();
    let mut options = DiffOptions::new();
    options.skip_binary_check(true);
    for folder in &folders {
        options.pathspec(format!("{folder}/"));
    }
    let config = Config::default();
    let mut priorities: HashMap<Oid, Option<String>> = HashMap::new();
    let mut events: Vec<(i64, Event)> = Vec::new();

    for oid in revwalk {
        let oid = oid.map_err(|e| git_error("cannot walk the history", e))?;
        history.commits_walked += 1;
        let commit = repo
            .find_commit(oid)
            .map_err(|e| git_error("cannot read a commit", e))?;
        if commit.parent_count() > 1 {
            continue;
        }
        let time = commit.time().seconds();
        let tree = commit
            .tree()
            .map_err(|e| git_error("cannot read a commit's tree", e))?;
        let parent_tree = match commit.parent(0) {
            Ok(parent) => Some(
                parent
                    .tree()
                    .map_err(|e| git_error("cannot read a commit's tree", e))?,
            ),
            Err(_) => None,
        };
        if parent_tree
            .as_ref()
            .is_some_and(|p| same_folders(&tree, p, &folders))
        {
            continue;
        }
        let mut diff = repo
            .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
            .map_err(|e| git_error("cannot compare a commit with its parent", e))?;
        let (mut adds, mut deletes) = (false, false);
        for delta in diff.deltas() {
            adds |= delta.status() == Delta::Added;
            deletes |= delta.status() == Delta::Deleted;
        }
        if adds && deletes {
            diff.find_similar(Some(DiffFindOptions::new().renames(true)))
                .map_err(|e| git_error("cannot detect renames", e))?;
        }
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path().and_then(Path::to_str) else {
                continue;
            };
            if !path.ends_with(".md") {
                continue;
            }
            match delta.status() {
                Delta::Added | Delta::Copied => {
                    events.push((
                        time,
                        Event::Added {
                            path: path.to_string(),
                        },
                    ));
                }
                Delta::Renamed => {
                    if let Some(from) = delta.old_file().path().and_then(Path::to_str) {
                        events.push((
                            time,
                            Event::Renamed {
                                from: from.to_string(),
                                to: path.to_string(),
                            },
                        ));
                    }
                    record_priority_change(
                        repo,
                        &delta,
                        path,
                        time,
                        &config,
                        &mut priorities,
                        &mut history,
                    );
                }
                Delta::Modified => {
                    record_priority_change(
                        repo,
                        &delta,
                        path,
                        time,
                        &config,
                        &mut priorities,
                        &mut history,
                    );
                }
                _ => {}
            }
        }
    }

    // Oldest first, so that a rename carries over the time its source was first added.
    events.sort_by_key(|(time, _)| *time);
    for (time, event) in events {
        match event {
            Event::Added { path } => {
                history
                    .first_added
                    .entry(path)
                    .and_modify(|t| *t = (*t).min(time))
                    .or_insert(time);
            }
            Event::Renamed { from, to } => {
                let original = history.first_added.remove(&from).unwrap_or(time);
                history
                    .first_added
                    .entry(to)
                    .and_modify(|t| *t = (*t).min(original))
                    .or_insert(original);
            }
        }
    }
    history
        .priority_changes
        .sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.path.cmp(&b.path)));
    Ok(history)
}

/// Whether every decision folder holds the same tree (or is absent) in both commits.
fn same_folders(tree: &Tree<'_>, parent: &Tree<'_>, folders: &[&str]) -> bool {
    folders.iter().all(|folder| {
        let id = |t: &Tree<'_>| t.get_path(Path::new(folder)).ok().map(|e| e.id());
        id(tree) == id(parent)
    })
}

fn record_priority_change(
    repo: &Repository,
    delta: &git2::DiffDelta<'_>,
    path: &str,
    time: i64,
    config: &Config,
    cache: &mut HashMap<Oid, Option<String>>,
    history: &mut History,
) {
    let old = delta.old_file().id();
    let new = delta.new_file().id();
    if old == new {
        return;
    }
    let from = priority_of(repo, old, config, cache);
    let to = priority_of(repo, new, config, cache);
    if from != to {
        history.priority_changes.push(PriorityChange {
            path: path.to_string(),
            time,
            from,
            to,
        });
    }
}

/// The `priority` written in a blob's front-matter, parsed once per blob id.
fn priority_of(
    repo: &Repository,
    blob: Oid,
    config: &Config,
    cache: &mut HashMap<Oid, Option<String>>,
) -> Option<String> {
    if let Some(known) = cache.get(&blob) {
        return known.clone();
    }
    let priority = repo.find_blob(blob).ok().and_then(|blob| {
        let text = std::str::from_utf8(blob.content()).ok()?;
        let record = Record::parse(String::new(), front_matter_only(text).to_string(), config);
        record
            .fields
            .priority
            .map(|p| p.value.raw.trim().to_string())
    });
    cache.insert(blob, priority.clone());
    priority
}

/// The file up to the end of its front-matter: the body is not needed to read a field.
fn front_matter_only(text: &str) -> &str {
    match frontmatter::split(text) {
        Split::Present { body, .. } => text.get(..body.start).unwrap_or(text),
        _ => "",
    }
}
