//! Comparing the merge base with head and building the [`ChangeSet`].
//!
//! One diff covers the decision folders (tree to tree, or tree to working tree with
//! untracked files), with rename detection; [`changed_paths`] lists the other files the
//! change touched, only where an `affects` glob could match them. Both diffs give libgit2
//! literal paths, so it walks only those folders of the trees, the index and the working
//! tree: in a 200k-file monorepo the cost follows the change and the log, not the
//! repository (decisions/0128). libgit2 skips identical subtrees by id, and blobs are read
//! only for changed decision files.

use super::base::{self, AutoEnv};
use super::{git_error, open_repo};
use crate::change::{ChangeKind, ChangeSet, FileChange};
use crate::config::Config;
use crate::discover::is_decision_path;
use crate::error::{Error, Result};
use crate::record::{LoadProblem, Record};
use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository, Tree};
use globset::GlobSet;
use rayon::prelude::*;
use std::path::Path;

/// What to compare, and how to tell decision files from the rest.
pub struct Compare<'a> {
    /// `--base`: a revision, or `auto`.
    pub base: &'a str,
    /// `--head`: a revision; `None` compares the working tree.
    pub head: Option<&'a str>,
    /// The decision folders, repository-relative, `/`-separated.
    pub folders: &'a [String],
    /// The config's `exclude` globs.
    pub exclude: &'a GlobSet,
    pub config: &'a Config,
    pub env: &'a AutoEnv,
}

/// The change set, and how its base was found.
#[derive(Debug)]
pub struct Comparison {
    pub change: ChangeSet,
    /// "merge base of origin/main (abc1234567)", for the report.
    pub description: String,
    /// The merge base's full commit id.
    pub merge_base: String,
    /// The two ends compared, for [`changed_paths`].
    pub ends: DiffEnds,
}

/// The commits a comparison diffed: the merge base, and head (`None`: the working tree),
/// with the repository they were read from, its index loaded: [`changed_paths`] reuses it,
/// so a 200k-entry index is read and hashed once.
pub struct DiffEnds {
    repo: Repository,
    merge_base: Oid,
    head: Option<Oid>,
}

impl std::fmt::Debug for DiffEnds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiffEnds")
            .field("merge_base", &self.merge_base)
            .field("head", &self.head)
            .finish_non_exhaustive()
    }
}

/// Compare the merge base with head. In working-tree mode, `load_worktree` reads a
/// changed decision file from disk (with the same safety rules as a plain check).
pub fn compare(
    repo_root: &Path,
    request: &Compare<'_>,
    load_worktree: &(dyn Fn(&str) -> Record + Sync),
) -> Result<Comparison> {
    let repo = open_repo(repo_root)?;
    let resolved = base::resolve(&repo, request.base, request.head, request.env)?;
    let base_tree = tree_of(&repo, resolved.merge_base)?;

    // Only the decision folders: a record moved in from elsewhere is an added record
    // (its old path is no decision), and one moved out a deleted one, with or without
    // the other side in the diff.
    let within = (!request.folders.iter().any(|f| is_whole_tree(f))).then_some(request.folders);
    let mut diff = diff_ends(&repo, &base_tree, resolved.head, within)?;
    diff.find_similar(Some(
        DiffFindOptions::new().renames(true).for_untracked(true),
    ))
    .map_err(|e| git_error("cannot detect renames", e))?;

    let is_decision = |path: &str| is_decision_path(path, request.folders, request.exclude);
    // (kind, base blob + path, head blob + path); blobs are read after the diff is done.
    let mut pending: Vec<(ChangeKind, Option<Side>, Option<Side>)> = Vec::new();
    for delta in diff.deltas() {
        let Some((old, new)) = sides(&delta) else {
            continue;
        };
        let old = old
            .filter(|p| is_decision(p))
            .map(|p| (delta.old_file().id(), p));
        let new = new
            .filter(|p| is_decision(p))
            .map(|p| (delta.new_file().id(), p));
        let kind = match (&old, &new) {
            (None, None) => continue,
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Deleted,
            (Some((_, from)), Some((_, to))) if from != to => {
                ChangeKind::Renamed { from: from.clone() }
            }
            (Some(_), Some(_)) => ChangeKind::Modified,
        };
        pending.push((kind, old, new));
    }

    let config = request.config;
    let worktree = resolved.head.is_none();
    let mut blobs = Vec::new();
    for (kind, old, new) in pending {
        let base = old
            .map(|(oid, path)| read_blob(&repo, oid, path, config))
            .transpose()?;
        let head = match new {
            Some((_, path)) if worktree => Some(Err(path)),
            Some((oid, path)) => Some(Ok(read_blob(&repo, oid, path, config)?)),
            None => None,
        };
        blobs.push((kind, base, head));
    }
    let changes: Vec<FileChange> = blobs
        .into_par_iter()
        .map(|(kind, base, head)| FileChange {
            kind,
            base: base.map(|b| b.into_record(config)),
            head: head.map(|h| match h {
                Ok(blob) => blob.into_record(config),
                Err(path) => load_worktree(&path),
            }),
        })
        .collect();
    let mut changes = pair_by_identity(changes);
    changes.sort_by(|a, b| change_path(a).cmp(change_path(b)));

    // The head's own commits give the "logged" times (SPEC §9): never the clock.
    let walk = super::history::Walk {
        folders: request.folders,
        exclude: request.exclude,
        config,
    };
    let head_logged =
        super::history::walk_range(&repo, resolved.head_commit, &[resolved.merge_base], &walk)?
            .logged();

    let added_on_base = if resolved.base_tip == resolved.merge_base {
        Vec::new()
    } else {
        added_between(&repo, &base_tree, resolved.base_tip, request)?
    };
    drop(diff);
    drop(base_tree);

    Ok(Comparison {
        change: ChangeSet {
            changes,
            added_on_base,
            head_logged,
        },
        description: resolved.description,
        merge_base: resolved.merge_base.to_string(),
        ends: DiffEnds {
            repo,
            merge_base: resolved.merge_base,
            head: resolved.head,
        },
    })
}

/// Every file a comparison's change touched under `within` (repository-relative folders
/// or files; `None`: the whole repository), decision or not: head paths, and the old
/// paths of deleted files, sorted. Without rename detection: a moved file is its old and
/// its new path either way.
pub fn changed_paths(ends: &DiffEnds, within: Option<&[String]>) -> Result<Vec<String>> {
    if within.is_some_and(<[String]>::is_empty) {
        return Ok(Vec::new());
    }
    let repo = &ends.repo;
    let base_tree = tree_of(repo, ends.merge_base)?;
    if let Some(head) = ends.head {
        let head_tree = tree_of(repo, head)?;
        return super::tree_compare::changed_paths_between(repo, &base_tree, &head_tree, within);
    }
    let diff = diff_ends(repo, &base_tree, None, within)?;
    let mut paths = Vec::new();
    for delta in diff.deltas() {
        let Some((old, new)) = sides(&delta) else {
            continue;
        };
        paths.extend(old);
        paths.extend(new);
    }
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// A delta's old and new path as the change sees them: an added file has no old side, a
/// deleted one no new side; `None` for a delta that changes nothing the change reads (unmodified, ignored,
/// unreadable). Names that are not UTF-8 stay in the comparison ([`super::path_text`]).
fn sides(delta: &git2::DiffDelta<'_>) -> Option<(Option<String>, Option<String>)> {
    let status = delta.status();
    if matches!(
        status,
        Delta::Unmodified | Delta::Ignored | Delta::Unreadable
    ) {
        return None;
    }
    let old = delta.old_file().path_bytes().map(super::path_text);
    let new = delta.new_file().path_bytes().map(super::path_text);
    Some(match status {
        Delta::Added | Delta::Untracked => (None, new),
        Delta::Deleted => (old, None),
        _ => (old, new),
    })
}

/// A decision folder that is the repository itself: no path limits it.
fn is_whole_tree(folder: &str) -> bool {
    super::tree_compare::tree_path(folder).is_empty()
}

/// The diff from the merge base's tree to the tree of commit `head`, or (`None`) to the
/// working tree with the index and untracked files, limited to `within` when given. The paths are handed to
/// libgit2 as literal paths (pathspec matching off): its iterators then skip every tree,
/// index range and working-tree folder outside them instead of visiting each of the
/// repository's files to match it, and never recurse into an untracked folder elsewhere.
fn diff_ends<'r>(
    repo: &'r Repository,
    base_tree: &Tree<'_>,
    head: Option<Oid>,
    within: Option<&[String]>,
) -> Result<git2::Diff<'r>> {
    let mut options = DiffOptions::new();
    options
        .skip_binary_check(true)
        .ignore_submodules(true)
        .include_typechange(true);
    if let Some(paths) = within {
        options.disable_pathspec_match(true);
        for path in paths {
            options.pathspec(path.trim_end_matches('/'));
        }
    }
    match head {
        Some(head) => {
            let head_tree = tree_of(repo, head)?;
            repo.diff_tree_to_tree(Some(base_tree), Some(&head_tree), Some(&mut options))
                .map_err(|e| git_error("cannot compare the base with head", e))
        }
        None => {
            options.include_untracked(true).recurse_untracked_dirs(true);
            repo.diff_tree_to_workdir_with_index(Some(base_tree), Some(&mut options))
                .map_err(|e| git_error("cannot compare the base with the working tree", e))
        }
    }
}

/// A deleted and an added file that hold the same record (its id) are one record moved:
/// git's similarity threshold misses a rename plus a rewrite, the record's identity does
/// not (SPEC §9). Deleting a record is only a deletion when its id is gone.
fn pair_by_identity(changes: Vec<FileChange>) -> Vec<FileChange> {
    let key = |r: &Option<Record>| r.as_ref().map(crate::timeline::record_key);
    let (mut deleted, rest): (Vec<FileChange>, Vec<FileChange>) = changes
        .into_iter()
        .partition(|c| c.kind == ChangeKind::Deleted);
    let mut paired: Vec<FileChange> = rest
        .into_iter()
        .map(|mut change| {
            if change.kind == ChangeKind::Added
                && let Some(added) = key(&change.head)
                && let Some(i) = deleted
                    .iter()
                    .position(|d| key(&d.base).as_ref() == Some(&added))
            {
                let gone = deleted.swap_remove(i);
                change.kind = ChangeKind::Renamed {
                    from: gone
                        .base
                        .as_ref()
                        .map(|r| r.path.clone())
                        .unwrap_or_default(),
                };
                change.base = gone.base;
            }
            change
        })
        .collect();
    paired.extend(deleted);
    paired
}

fn change_path(change: &FileChange) -> &str {
    change
        .head
        .as_ref()
        .or(change.base.as_ref())
        .map_or("", |r| r.path.as_str())
}

/// Decision records added between the merge base and the base branch's tip.
fn added_between(
    repo: &Repository,
    merge_base_tree: &Tree<'_>,
    base_tip: Oid,
    request: &Compare<'_>,
) -> Result<Vec<Record>> {
    let tip_tree = tree_of(repo, base_tip)?;
    let mut options = DiffOptions::new();
    options.skip_binary_check(true).ignore_submodules(true);
    for folder in request.folders {
        options.pathspec(format!("{}/", folder.trim_end_matches('/')));
    }
    let diff = repo
        .diff_tree_to_tree(Some(merge_base_tree), Some(&tip_tree), Some(&mut options))
        .map_err(|e| git_error("cannot compare the base branch with the branch point", e))?;
    let blobs: Vec<Blob> = diff
        .deltas()
        .filter(|d| d.status() == Delta::Added)
        .filter_map(|d| {
            let path = super::path_text(d.new_file().path_bytes()?);
            is_decision_path(&path, request.folders, request.exclude)
                .then(|| read_blob(repo, d.new_file().id(), path, request.config))
        })
        .collect::<Result<_>>()?;
    Ok(blobs
        .into_par_iter()
        .map(|b| b.into_record(request.config))
        .collect())
}

/// One side of a changed file: its blob id and path.
type Side = (Oid, String);

/// Every decision record in the tree of `rev` (for `--head REF`: the log as it is there).
pub fn tree_records(
    repo_root: &Path,
    rev: &str,
    folders: &[String],
    exclude: &GlobSet,
    config: &Config,
) -> Result<Vec<Record>> {
    let repo = open_repo(repo_root)?;
    let commit = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| Error::Git {
            message: format!("--head `{rev}` does not name a commit in this repository"),
            help: Some("check the name, or fetch it".into()),
        })?;
    let tree = commit
        .tree()
        .map_err(|e| git_error("cannot read the head tree", e))?;
    let mut blobs = Vec::new();
    for folder in folders {
        let folder = folder.trim_end_matches('/');
        let Ok(entry) = tree.get_path(Path::new(folder)) else {
            continue;
        };
        let Ok(subtree) = repo.find_tree(entry.id()) else {
            continue;
        };
        let mut found = Vec::new();
        subtree
            .walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
                if entry.kind() == Some(git2::ObjectType::Blob) {
                    let name = super::path_text(entry.name_bytes());
                    found.push((format!("{folder}/{dir}{name}"), entry.id()));
                }
                git2::TreeWalkResult::Ok
            })
            .map_err(|e| git_error("cannot walk the head tree", e))?;
        for (path, oid) in found {
            if is_decision_path(&path, &[folder.to_string()], exclude) {
                blobs.push(read_blob(&repo, oid, path, config)?);
            }
        }
    }
    let mut records: Vec<Record> = blobs
        .into_par_iter()
        .map(|b| b.into_record(config))
        .collect();
    records.sort_by(|a, b| a.path.cmp(&b.path));
    records.dedup_by(|a, b| a.path == b.path);
    Ok(records)
}

/// The log as it is staged (`check --staged`, the pre-commit hook): every decision file in
/// the index, read from its blob exactly as [`tree_records`] reads a commit's, so a hook
/// judges what the commit will hold — not untracked drafts, not unstaged edits. Entries
/// in conflict (stages 1–3), intent-to-add entries (`git add -N`, no content staged yet)
/// and submodules are not staged content and are left out.
pub fn index_records(
    repo_root: &Path,
    folders: &[String],
    exclude: &GlobSet,
    config: &Config,
) -> Result<Vec<Record>> {
    /// The index entry flag bits holding the merge stage, and the intent-to-add bit.
    const STAGE_MASK: u16 = 0x3000;
    const INTENT_TO_ADD: u16 = 1 << 13;
    const GITLINK_MODE: u32 = 0o160000;
    let repo = open_repo(repo_root)?;
    let index = repo
        .index()
        .map_err(|e| git_error("cannot read the index", e))?;
    let mut blobs = Vec::new();
    for entry in index.iter() {
        if entry.flags & STAGE_MASK != 0
            || entry.flags_extended & INTENT_TO_ADD != 0
            || entry.mode == GITLINK_MODE
        {
            continue;
        }
        let path = super::path_text(&entry.path);
        if is_decision_path(&path, folders, exclude) {
            blobs.push(read_blob(&repo, entry.id, path, config)?);
        }
    }
    let mut records: Vec<Record> = blobs
        .into_par_iter()
        .map(|b| b.into_record(config))
        .collect();
    records.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(records)
}

/// A blob's bytes, read (on the repository's thread) before parsing (in parallel).
pub(super) struct Blob {
    path: String,
    content: std::result::Result<Vec<u8>, LoadProblem>,
}

/// Read a blob, checking its size from the object header first so that an oversized
/// blob is never inflated whole. An object that cannot be read means the repository is
/// damaged: that is exit 2, never a silently skipped file.
pub(super) fn read_blob(
    repo: &Repository,
    oid: Oid,
    path: String,
    config: &Config,
) -> Result<Blob> {
    let content = blob_within_budget(repo, oid, &path, config)?.map(|b| b.content().to_vec());
    Ok(Blob { path, content })
}

/// The one budgeted blob read every git path uses: the size from the object header, the
/// blob only when it is within `max_file_bytes`, else the load problem; a read failure is
/// a damaged repository (exit 2).
fn blob_within_budget<'r>(
    repo: &'r Repository,
    oid: Oid,
    path: &str,
    config: &Config,
) -> Result<std::result::Result<git2::Blob<'r>, LoadProblem>> {
    let damaged = |e: git2::Error| Error::Git {
        message: format!(
            "cannot read {path} (object {oid}) from the repository: {}",
            e.message()
        ),
        help: Some(
            "the object store looks damaged: run `git fsck`, then fetch again or re-clone".into(),
        ),
    };
    let size = repo
        .odb()
        .and_then(|odb| odb.read_header(oid))
        .map_err(damaged)?
        .0 as u64;
    if size > config.max_file_bytes {
        return Ok(Err(LoadProblem::TooLarge {
            size,
            limit: config.max_file_bytes,
        }));
    }
    Ok(Ok(repo.find_blob(oid).map_err(damaged)?))
}

impl Blob {
    pub(super) fn into_record(self, config: &Config) -> Record {
        match self.content {
            Err(problem) => Record::unloaded(self.path, problem, String::new()),
            Ok(bytes) => Record::from_bytes(self.path, bytes, config),
        }
    }
}

fn tree_of(repo: &Repository, commit: Oid) -> Result<Tree<'_>> {
    repo.find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| git_error("cannot read a commit's tree", e))
}
