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
//! the same trees as its parent's is skipped; otherwise the two folder trees are compared
//! entry by entry, skipping equal ids, and each folder tree is read once (the parent's
//! tree is kept for the next commit). Only a commit that both adds and deletes decision
//! files goes through libgit2's diff, for rename detection. A front-matter blob is read
//! only when its id changed, once per blob id.

use super::{git_error, open_repo};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::record::Record;
use crate::record::frontmatter::{self, Split};
use git2::{Delta, DiffFindOptions, DiffOptions, ObjectType, Oid, Repository, Tree, TreeEntry};
use std::cmp::Ordering;
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

    let all_folders = folders;
    let no_exclude = globset::GlobSet::empty();
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

    // Decision subtrees kept from the previous commit: walking a linear history, a
    // commit's parent tree is the next commit's tree, so each big tree is read once.
    let mut kept: HashMap<Oid, Tree<'_>> = HashMap::new();
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
        let mut changed = Vec::new();
        let mut keep = HashMap::new();
        for folder in &folders {
            let new_id = subtree_id(Some(&tree), folder);
            let old_id = subtree_id(parent_tree.as_ref(), folder);
            if new_id == old_id {
                continue;
            }
            let new_tree = take_tree(repo, new_id, &mut kept)?;
            let old_tree = take_tree(repo, old_id, &mut kept)?;
            compare_trees(
                repo,
                old_tree.as_ref(),
                new_tree.as_ref(),
                folder,
                &mut changed,
            )?;
            if let (Some(id), Some(old)) = (old_id, old_tree) {
                keep.insert(id, old);
            }
        }
        kept = keep;
        let adds = changed.iter().any(|c| c.old.is_none());
        let deletes = changed.iter().any(|c| c.new.is_none());
        if adds && deletes {
            // Renames are rare; let libgit2's similarity detection pair them up.
            changed = diff_with_renames(repo, parent_tree.as_ref(), &tree, &mut options)?;
        }
        for change in changed {
            let Some((path, new_blob)) = change.new else {
                continue;
            };
            if !crate::discover::is_decision_path(&path, all_folders, &no_exclude) {
                continue;
            }
            match change.old {
                None => events.push((time, Event::Added { path })),
                Some((from, old_blob)) => {
                    if old_blob != new_blob {
                        let from_priority = priority_of(repo, old_blob, &config, &mut priorities);
                        let to_priority = priority_of(repo, new_blob, &config, &mut priorities);
                        if from_priority != to_priority {
                            history.priority_changes.push(PriorityChange {
                                path: path.clone(),
                                time,
                                from: from_priority,
                                to: to_priority,
                            });
                        }
                    }
                    if from != path {
                        events.push((time, Event::Renamed { from, to: path }));
                    }
                }
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

/// A changed file in one commit: path and blob id before (absent when added) and after
/// (absent when deleted).
struct Changed {
    old: Option<(String, Oid)>,
    new: Option<(String, Oid)>,
}

/// The id of the tree at `folder` in `tree`, if there is one.
fn subtree_id(tree: Option<&Tree<'_>>, folder: &str) -> Option<Oid> {
    let entry = tree?.get_path(Path::new(folder)).ok()?;
    (entry.kind() == Some(ObjectType::Tree)).then(|| entry.id())
}

/// The tree `id`, from the trees kept from the previous commit or from the repository.
fn take_tree<'r>(
    repo: &'r Repository,
    id: Option<Oid>,
    kept: &mut HashMap<Oid, Tree<'r>>,
) -> Result<Option<Tree<'r>>> {
    let Some(id) = id else {
        return Ok(None);
    };
    if let Some(tree) = kept.remove(&id) {
        return Ok(Some(tree));
    }
    repo.find_tree(id)
        .map(Some)
        .map_err(|e| git_error("cannot read a tree", e))
}

/// Git's tree order: names compared bytewise, a subtree as if its name ended in `/`.
fn entry_order(name: &[u8], is_tree: bool, other: &[u8], other_is_tree: bool) -> Ordering {
    let a = name.iter().chain(is_tree.then_some(&b'/'));
    let b = other.iter().chain(other_is_tree.then_some(&b'/'));
    a.cmp(b)
}

/// Compare two trees entry by entry (both sorted in git's order), skipping equal ids:
/// the files that differ, with `prefix/` before their paths. Cheaper than a libgit2 diff
/// because nothing is built for the (many) unchanged entries.
fn compare_trees(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    prefix: &str,
    out: &mut Vec<Changed>,
) -> Result<()> {
    let (old_len, new_len) = (old.map_or(0, Tree::len), new.map_or(0, Tree::len));
    let (mut i, mut j) = (0, 0);
    while i < old_len || j < new_len {
        let a = old.and_then(|t| t.get(i));
        let b = new.and_then(|t| t.get(j));
        let is_tree = |e: &TreeEntry<'_>| e.kind() == Some(ObjectType::Tree);
        let order = match (&a, &b) {
            (Some(a), Some(b)) => {
                entry_order(a.name_bytes(), is_tree(a), b.name_bytes(), is_tree(b))
            }
            (Some(_), None) => Ordering::Less,
            (None, _) => Ordering::Greater,
        };
        let (old_entry, new_entry) = match order {
            Ordering::Less => {
                i += 1;
                (a, None)
            }
            Ordering::Greater => {
                j += 1;
                (None, b)
            }
            Ordering::Equal => {
                i += 1;
                j += 1;
                if a.as_ref().map(TreeEntry::id) == b.as_ref().map(TreeEntry::id) {
                    continue;
                }
                (a, b)
            }
        };
        let entry = old_entry.as_ref().or(new_entry.as_ref());
        let Some(name) = entry.and_then(|e| std::str::from_utf8(e.name_bytes()).ok()) else {
            continue;
        };
        let path = format!("{prefix}/{name}");
        if entry.is_some_and(is_tree) {
            let sub = |e: &Option<TreeEntry<'_>>| -> Result<Option<Tree<'_>>> {
                match e {
                    Some(e) if is_tree(e) => repo
                        .find_tree(e.id())
                        .map(Some)
                        .map_err(|err| git_error("cannot read a tree", err)),
                    _ => Ok(None),
                }
            };
            compare_trees(
                repo,
                sub(&old_entry)?.as_ref(),
                sub(&new_entry)?.as_ref(),
                &path,
                out,
            )?;
            continue;
        }
        out.push(Changed {
            old: old_entry.map(|e| (path.clone(), e.id())),
            new: new_entry.map(|e| (path, e.id())),
        });
    }
    Ok(())
}

/// A libgit2 diff limited to the decision folders, with renames paired up.
fn diff_with_renames(
    repo: &Repository,
    parent: Option<&Tree<'_>>,
    tree: &Tree<'_>,
    options: &mut DiffOptions,
) -> Result<Vec<Changed>> {
    let mut diff = repo
        .diff_tree_to_tree(parent, Some(tree), Some(options))
        .map_err(|e| git_error("cannot compare a commit with its parent", e))?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))
        .map_err(|e| git_error("cannot detect renames", e))?;
    let side = |file: git2::DiffFile<'_>| {
        file.path()
            .and_then(Path::to_str)
            .map(|p| (p.to_string(), file.id()))
    };
    Ok(diff
        .deltas()
        .filter_map(|delta| match delta.status() {
            Delta::Added | Delta::Copied => Some(Changed {
                old: None,
                new: side(delta.new_file()),
            }),
            Delta::Deleted => Some(Changed {
                old: side(delta.old_file()),
                new: None,
            }),
            Delta::Modified | Delta::Renamed | Delta::Typechange => Some(Changed {
                old: side(delta.old_file()),
                new: side(delta.new_file()),
            }),
            _ => None,
        })
        .collect())
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
