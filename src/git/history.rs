//! The walk behind the decision timeline ([`crate::timeline`]): every commit reachable
//! from the head, merge commits included, and what each did to each record, by record
//! identity (its id), not by file.
//!
//! Each commit is compared with its first parent, limited to the decision folders. A merge
//! commit's change to a file counts only when no other parent already had that version
//! (what a merge brings in from a branch was seen on the branch; a conflict resolution or
//! a record added in the merge itself was not). A commit whose decision folders hold the
//! same trees as its first parent's is skipped cheaply; otherwise the folder trees are
//! compared entry by entry, skipping equal ids. Renames need no similarity detection: a
//! record is paired across paths by its id, so `git mv adr decisions` or a rename plus a
//! rewrite keep the record. Besides the configured folders, the default ones (`adr/`,
//! `docs/adr/`, …) are walked too, so that a log moved from one to another keeps its past.
//!
//! The commits are split into chunks walked in parallel, one repository handle per chunk
//! (libgit2 handles are not shared across threads); a blob is read once per chunk, through
//! the same budgeted read and `Record::from_bytes` as every other record (never inflated
//! when larger than `max_file_bytes`). A version that does not read as text (too large,
//! not UTF-8, binary) is kept as an [`UnreadVersion`], each a DL005 finding.

use super::{git_error, open_repo};
use crate::change::{ChangeKind, ChangeSet, FileChange};
use crate::config::{Config, DEFAULT_FOLDERS};
use crate::error::{Error, Result};
use crate::record::{LoadProblem, Record};
use crate::timeline::{RecordChange, State, Step, Timeline, UnreadVersion, record_key};
use git2::{ObjectType, Oid, Repository, Sort, Tree, TreeEntry};
use globset::GlobSet;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// What to walk and how to tell decision files from the rest.
pub struct Walk<'a> {
    /// The decision folders, repository-relative, `/`-separated.
    pub folders: &'a [String],
    pub exclude: &'a GlobSet,
    pub config: &'a Config,
}

/// Walk the whole history reachable from `HEAD` of the repository at (or above)
/// `repo_root`.
pub fn walk(repo_root: &Path, request: &Walk<'_>) -> Result<Timeline> {
    let repo = open_repo(repo_root)?;
    if repo.is_shallow() {
        return Err(Error::Git {
            message: "the history of this clone is cut short (shallow clone): the commit that decided each record cannot be found".into(),
            help: Some("fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout".into()),
        });
    }
    let head = match repo.head() {
        Ok(head) => head,
        // An empty repository has no history.
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => return Ok(Timeline::default()),
        Err(e) => return Err(git_error("cannot read HEAD", e)),
    };
    let head = head
        .peel_to_commit()
        .map_err(|e| git_error("HEAD does not point at a commit", e))?
        .id();
    walk_range(&repo, head, &[], request)
}

/// Walk the commits reachable from `from` and not from any of `hide` (for `--base`: the
/// head's own commits since the merge base).
pub(crate) fn walk_range(
    repo: &Repository,
    from: Oid,
    hide: &[Oid],
    request: &Walk<'_>,
) -> Result<Timeline> {
    let mut revwalk = repo
        .revwalk()
        .map_err(|e| git_error("cannot walk the history", e))?;
    // Parents after children, so that a chunk mostly walks one line of history and keeps
    // each folder tree for the next commit.
    revwalk
        .set_sorting(Sort::TOPOLOGICAL)
        .map_err(|e| git_error("cannot walk the history", e))?;
    revwalk
        .push(from)
        .map_err(|e| git_error("cannot walk the history", e))?;
    for oid in hide {
        revwalk
            .hide(*oid)
            .map_err(|e| git_error("cannot walk the history", e))?;
    }
    let commits: Vec<Oid> = revwalk
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| git_error("cannot walk the history", e))?;
    // The default decision folders too: a log moved with `git mv adr decisions` keeps its
    // records' history, which lies under the old folder.
    let mut folders: Vec<String> = request
        .folders
        .iter()
        .map(|f| f.trim_end_matches('/').to_string())
        .filter(|f| !f.is_empty())
        .collect();
    for folder in DEFAULT_FOLDERS {
        if !folders.iter().any(|f| f == folder) {
            folders.push((*folder).to_string());
        }
    }
    let location = repo.path().to_path_buf();
    let threads = rayon::current_num_threads().max(1);
    let chunk = commits.len().div_ceil(threads * 4).max(64);
    let parts: Vec<(Vec<Step>, Vec<UnreadVersion>)> = commits
        .par_chunks(chunk)
        .map(|part| walk_chunk(&location, part, &folders, request))
        .collect::<Result<_>>()?;
    let (steps, unread): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
    let mut steps: Vec<Step> = steps.into_iter().flatten().collect();
    // Oldest first; equal times keep a stable order by commit id.
    steps.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.commit.cmp(&b.commit)));
    let mut unread: Vec<UnreadVersion> = unread.into_iter().flatten().collect();
    unread.sort_by(|a, b| (a.time, &a.commit, &a.path).cmp(&(b.time, &b.commit, &b.path)));
    Ok(Timeline {
        steps,
        commits_walked: commits.len(),
        unread,
    })
}

/// A changed decision file in one commit: path and blob id before (absent when added)
/// and after (absent when deleted).
struct Changed {
    old: Option<(String, Oid)>,
    new: Option<(String, Oid)>,
}

/// The commits of one chunk, on a repository handle of its own, and the versions they
/// bring in that do not read as text.
fn walk_chunk(
    location: &Path,
    commits: &[Oid],
    folders: &[String],
    request: &Walk<'_>,
) -> Result<(Vec<Step>, Vec<UnreadVersion>)> {
    let repo = Repository::open(location)
        .map_err(|e| git_error("cannot open the repository for the history walk", e))?;
    let mut states = StateCache::default();
    let mut kept: HashMap<Oid, Tree<'_>> = HashMap::new();
    let mut steps = Vec::new();
    let mut unread = Vec::new();
    for &oid in commits {
        let commit = repo
            .find_commit(oid)
            .map_err(|e| git_error("cannot read a commit", e))?;
        let tree = commit
            .tree()
            .map_err(|e| git_error("cannot read a commit's tree", e))?;
        let mut parents = Vec::new();
        for parent in commit.parents() {
            parents.push(
                parent
                    .tree()
                    .map_err(|e| git_error("cannot read a commit's tree", e))?,
            );
        }
        let first = parents.first();
        let others = parents.get(1..).unwrap_or(&[]);
        let mut changed = Vec::new();
        let mut keep = HashMap::new();
        for folder in folders {
            let new_id = subtree_id(Some(&tree), folder);
            let old_id = subtree_id(first, folder);
            if new_id == old_id || others.iter().any(|t| subtree_id(Some(t), folder) == new_id) {
                continue;
            }
            let new_tree = take_tree(&repo, new_id, &mut kept)?;
            let old_tree = take_tree(&repo, old_id, &mut kept)?;
            compare_trees(
                &repo,
                old_tree.as_ref(),
                new_tree.as_ref(),
                folder,
                &mut changed,
            )?;
            if let (Some(id), Some(old)) = (old_id, old_tree) {
                keep.insert(id, old);
            }
            if let (Some(id), Some(new)) = (new_id, new_tree) {
                keep.insert(id, new);
            }
        }
        kept = keep;
        if !others.is_empty() {
            changed.retain(|c| !taken_from_another_parent(c, others));
        }
        let is_decision =
            |path: &str| crate::discover::is_decision_path(path, folders, request.exclude);
        // Pair the two sides by record identity: a rename, a folder move or a rewrite of
        // the same id is one record; a file whose id changed is two.
        type Side = Option<(State, Oid)>;
        let mut sides: BTreeMap<String, (Side, Side)> = BTreeMap::new();
        for change in changed {
            if let Some((path, blob)) = change.old.filter(|(p, _)| is_decision(p)) {
                let (key, state, _) = states.read(&repo, blob, path, request.config)?;
                sides.entry(key).or_default().0 = Some((state, blob));
            }
            if let Some((path, blob)) = change.new.filter(|(p, _)| is_decision(p)) {
                let (key, state, problem) =
                    states.read(&repo, blob, path.clone(), request.config)?;
                // Reported in the commit that brings the version in, never skipped.
                if let Some(problem) = problem {
                    unread.push(UnreadVersion {
                        commit: oid.to_string(),
                        time: commit.time().seconds(),
                        author: commit.author().name().unwrap_or("unknown").to_string(),
                        path,
                        problem,
                    });
                }
                sides.entry(key).or_default().1 = Some((state, blob));
            }
        }
        let mut by_key: Vec<RecordChange> = sides
            .into_iter()
            // A record that only moved (the same blob) is not a change of the record.
            .filter(|(_, (before, after))| match (before, after) {
                (Some((_, a)), Some((_, b))) => a != b,
                _ => true,
            })
            .map(|(key, (before, after))| RecordChange {
                key,
                blobs: (
                    before.as_ref().map(|(_, b)| b.to_string()),
                    after.as_ref().map(|(_, b)| b.to_string()),
                ),
                before: before.map(|(s, _)| s),
                after: after.map(|(s, _)| s),
            })
            .collect();
        // A merge whose record reads as another parent's (its facts, even if the file
        // differs, say in the body) took that state from the branch: not its own change.
        if !others.is_empty() {
            let mut kept_changes = Vec::with_capacity(by_key.len());
            for change in by_key {
                let mut taken = false;
                if let Some(after) = &change.after {
                    for tree in others {
                        let Some(blob) = blob_at(tree, &after.path) else {
                            continue;
                        };
                        let (key, state, _) =
                            states.read(&repo, blob, after.path.clone(), request.config)?;
                        if key == change.key && state == *after {
                            taken = true;
                            break;
                        }
                    }
                }
                if !taken {
                    kept_changes.push(change);
                }
            }
            by_key = kept_changes;
        }
        if by_key.is_empty() {
            continue;
        }
        let author = commit.author();
        steps.push(Step {
            commit: oid.to_string(),
            time: commit.time().seconds(),
            author: author.name().unwrap_or("unknown").to_string(),
            changes: by_key,
        });
    }
    Ok((steps, unread))
}

/// The blob at `path` in `tree`, if there is one.
fn blob_at(tree: &Tree<'_>, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id())
}

/// Whether a merge commit's change to a file only takes the version another parent had.
fn taken_from_another_parent(change: &Changed, others: &[Tree<'_>]) -> bool {
    let id_in = blob_at;
    others.iter().any(|tree| {
        let new_matches = match &change.new {
            Some((path, id)) => id_in(tree, path) == Some(*id),
            None => change
                .old
                .as_ref()
                .is_some_and(|(path, _)| id_in(tree, path).is_none()),
        };
        let old_gone = match (&change.old, &change.new) {
            (Some((old_path, _)), Some((new_path, _))) if old_path != new_path => {
                id_in(tree, old_path).is_none()
            }
            _ => true,
        };
        new_matches && old_gone
    })
}

/// The facts of each (blob, path) read so far, the record key they belong to, and why
/// the blob does not read as text, if it does not.
#[derive(Default)]
struct StateCache {
    known: HashMap<(Oid, String), (String, State, Option<LoadProblem>)>,
}

impl StateCache {
    fn read(
        &mut self,
        repo: &Repository,
        blob: Oid,
        path: String,
        config: &Config,
    ) -> Result<(String, State, Option<LoadProblem>)> {
        let key = (blob, path);
        if let Some(known) = self.known.get(&key) {
            return Ok(known.clone());
        }
        // The one bytes → record path (the budgeted blob read, then `Record::from_bytes`),
        // as for every other record read from git or the working tree.
        let record = super::diff::read_blob(repo, blob, key.1.clone(), config)?.into_record(config);
        let found = (
            record_key(&record),
            State::of(&record, config),
            record.load_problem.clone(),
        );
        self.known.insert(key, found.clone());
        Ok(found)
    }
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
        let Some(name) = entry.map(|e| super::path_text(e.name_bytes())) else {
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
        let blob = |e: &Option<TreeEntry<'_>>| {
            e.as_ref()
                .filter(|e| e.kind() == Some(ObjectType::Blob))
                .map(|e| (path.clone(), e.id()))
        };
        out.push(Changed {
            old: blob(&old_entry),
            new: blob(&new_entry),
        });
    }
    Ok(())
}

/// One commit of the history audit: what it did to the log, as a change set the change
/// rules (DL501–DL510) read exactly as they read a pull request.
#[derive(Debug)]
pub struct AuditedCommit {
    pub commit: String,
    /// Committer time, unix seconds.
    pub time: i64,
    pub author: String,
    pub change: ChangeSet,
}

/// The history audit (SPEC §9): every commit of the walk that changed a decision, with the
/// records before and after read whole. `since` limits the walk: a date (`YYYY-MM-DD`,
/// commits from its start in the config's `timezone`) or a revision (commits not
/// reachable from it).
pub fn audit(
    repo_root: &Path,
    request: &Walk<'_>,
    since: Option<&str>,
) -> Result<Vec<AuditedCommit>> {
    let repo = open_repo(repo_root)?;
    let head = match repo.head() {
        Ok(head) => head,
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => return Ok(Vec::new()),
        Err(e) => return Err(git_error("cannot read HEAD", e)),
    };
    let head = head
        .peel_to_commit()
        .map_err(|e| git_error("HEAD does not point at a commit", e))?
        .id();
    let (hide, from_time) = match since.map(str::trim) {
        None => (Vec::new(), None),
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => (
                Vec::new(),
                Some(crate::timeline::start_of_day(day, request.config.timezone).timestamp()),
            ),
            Err(_) => {
                let commit = repo
                    .revparse_single(text)
                    .and_then(|o| o.peel_to_commit())
                    .map_err(|_| Error::Git {
                        message: format!(
                            "--since `{text}` is neither a date (YYYY-MM-DD) nor a commit of this repository"
                        ),
                        help: Some("give a date such as 2026-01-31, or a branch, tag or sha".into()),
                    })?;
                (vec![commit.id()], None)
            }
        },
    };
    let timeline = walk_range(&repo, head, &hide, request)?;
    let config = request.config;
    let read = |blob: &Option<String>, state: &Option<State>| -> Result<Option<Record>> {
        match (blob, state) {
            (Some(blob), Some(state)) => {
                let oid = Oid::from_str(blob)
                    .map_err(|e| git_error("cannot read a blob id of the walk", e))?;
                let read = super::diff::read_blob(&repo, oid, state.path.clone(), config)?;
                Ok(Some(read.into_record(config)))
            }
            _ => Ok(None),
        }
    };
    let mut audited = Vec::new();
    for step in timeline.steps {
        if from_time.is_some_and(|from| step.time < from) {
            continue;
        }
        let mut changes = Vec::new();
        for change in &step.changes {
            let base = read(&change.blobs.0, &change.before)?;
            let head = read(&change.blobs.1, &change.after)?;
            let kind = match (&base, &head) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Deleted,
                (Some(b), Some(h)) if b.path != h.path => ChangeKind::Renamed {
                    from: b.path.clone(),
                },
                _ => ChangeKind::Modified,
            };
            changes.push(FileChange { kind, base, head });
        }
        audited.push(AuditedCommit {
            commit: step.commit,
            time: step.time,
            author: step.author,
            change: ChangeSet {
                changes,
                ..ChangeSet::default()
            },
        });
    }
    Ok(audited)
}
