//! The walk behind the decision timeline ([`crate::timeline`]): every commit reachable
//! from the head, merge commits included, and what each did to each record, by record
//! identity (its id), not by file.
//!
//! Each commit is compared with its first parent, limited to the decision folders. A merge
//! commit's change to a file counts only when no other parent already had that version
//! (what a merge brings in from a branch was seen on the branch; a conflict resolution or
//! a record added in the merge itself was not). A commit whose decision folders hold the
//! same trees as its first parent's is skipped cheaply; otherwise the two folder trees are
//! compared as git stores them: the bytes they share at the start and end are skipped by
//! memcmp and only the entries between are read (`tree_compare`; a folder of 10k records
//! changed in one file costs a memcmp, not 10k entries). Renames need no similarity detection: a
//! record is paired across paths by its id, so `git mv adr decisions` or a rename plus a
//! rewrite keep the record. Besides the configured folders, the default ones (`adr/`,
//! `docs/adr/`, …) are walked too, so that a log moved from one to another keeps its past.
//!
//! The commits are split into chunks walked in parallel, one repository handle per chunk
//! (libgit2 handles are not shared across threads); a blob is read once per chunk, through
//! the same budgeted read and `Record::from_bytes` as every other record (never inflated
//! when larger than `max_file_bytes`). A version that does not read as text (too large,
//! not UTF-8, binary) is kept as an [`UnreadVersion`], each a DL005 finding.
//!
//! The history audit ([`walk_and_audit`], decisions/0115) rides on the same walk: each
//! audited commit's records go to the caller's change rules as the chunk reads them, and
//! are dropped after the next commit (which mostly reads the same versions).

use super::tree_compare::{Changed, RawTree, compare_trees, subtree_id, tree_path};
use super::{git_error, open_repo};
use crate::change::{ChangeKind, ChangeSet, FileChange};
use crate::config::{Config, DEFAULT_FOLDERS};
use crate::error::{Error, Result};
use crate::record::{LoadProblem, Record};
use crate::timeline::{RecordChange, State, Step, Timeline, UnreadVersion, record_key};
use git2::{ObjectType, Odb, Oid, Repository, Sort, Tree};
use globset::GlobSet;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
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
    let Some(head) = head_commit(&repo)? else {
        return Ok(Timeline::default());
    };
    walk_range(&repo, head, &[], request)
}

/// The commit `HEAD` points at (`None` in an empty repository), refusing a shallow
/// clone: its history is cut short.
fn head_commit(repo: &Repository) -> Result<Option<Oid>> {
    if repo.is_shallow() {
        return Err(Error::Git {
            message: "the history of this clone is cut short (shallow clone): the commit that decided each record cannot be found".into(),
            help: Some("fetch the whole history: `git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout".into()),
        });
    }
    let head = match repo.head() {
        Ok(head) => head,
        // An empty repository has no history.
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => return Ok(None),
        Err(e) => return Err(git_error("cannot read HEAD", e)),
    };
    Ok(Some(
        head.peel_to_commit()
            .map_err(|e| git_error("HEAD does not point at a commit", e))?
            .id(),
    ))
}

/// Walk the commits reachable from `from` and not from any of `hide` (for `--base`: the
/// head's own commits since the merge base).
pub(crate) fn walk_range(
    repo: &Repository,
    from: Oid,
    hide: &[Oid],
    request: &Walk<'_>,
) -> Result<Timeline> {
    Ok(walk_commits::<()>(repo, from, hide, request, None)?.0)
}

/// The commits reachable from `from` and not from any of `hide`, children before parents.
fn commits_between(repo: &Repository, from: Oid, hide: &[Oid], sort: Sort) -> Result<Vec<Oid>> {
    let mut revwalk = repo
        .revwalk()
        .map_err(|e| git_error("cannot walk the history", e))?;
    revwalk
        .set_sorting(sort)
        .map_err(|e| git_error("cannot walk the history", e))?;
    revwalk
        .push(from)
        .map_err(|e| git_error("cannot walk the history", e))?;
    for oid in hide {
        revwalk
            .hide(*oid)
            .map_err(|e| git_error("cannot walk the history", e))?;
    }
    revwalk
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| git_error("cannot walk the history", e))
}

/// The history audit's share of a walk: which commits it covers, and what the caller
/// makes of each (the change rules: git knows no rules).
struct AuditScope<'a, T> {
    covers: Covers,
    check: &'a (dyn Fn(&AuditedCommit) -> Vec<T> + Sync),
}

/// The commits the history audit covers (`--since`).
enum Covers {
    All,
    /// Committed at or after this time, unix seconds (`--since DATE`).
    From(i64),
    /// These commits only (`--since REF`: those not reachable from it).
    Only(HashSet<Oid>),
}

impl Covers {
    fn covers(&self, commit: Oid, time: i64) -> bool {
        match self {
            Covers::All => true,
            Covers::From(from) => time >= *from,
            Covers::Only(commits) => commits.contains(&commit),
        }
    }
}

/// The walk, and with `audit` the audit of each covered commit, done as the walk reads
/// the commit's records (each version is read once, and a commit's records are dropped
/// once audited: memory stays bounded by a commit, not the history).
fn walk_commits<T: Send>(
    repo: &Repository,
    from: Oid,
    hide: &[Oid],
    request: &Walk<'_>,
    audit: Option<&AuditScope<'_, T>>,
) -> Result<(Timeline, Vec<T>)> {
    // Parents after children, so that a chunk mostly walks one line of history and keeps
    // each folder tree (and, for the audit, each record) for the next commit.
    let commits = commits_between(repo, from, hide, Sort::TOPOLOGICAL)?;
    // The default decision folders too: a log moved with `git mv adr decisions` keeps its
    // records' history, which lies under the old folder.
    // A log at the repository's root is the whole tree, which holds every other folder.
    let mut folders: Vec<String> = request
        .folders
        .iter()
        .map(|f| tree_path(f).to_string())
        .collect();
    if folders.iter().any(String::is_empty) {
        folders = vec![String::new()];
    } else {
        for folder in DEFAULT_FOLDERS {
            if !folders.iter().any(|f| f == folder) {
                folders.push((*folder).to_string());
            }
        }
    }
    let location = repo.path().to_path_buf();
    let threads = rayon::current_num_threads().max(1);
    let chunk = commits.len().div_ceil(threads * 4).max(64);
    let parts: Vec<Walked<T>> = commits
        .par_chunks(chunk)
        .map(|part| walk_chunk(&location, part, &folders, request, audit))
        .collect::<Result<_>>()?;
    let mut steps = Vec::new();
    let mut unread = Vec::new();
    let mut audited = Vec::new();
    for part in parts {
        steps.extend(part.steps);
        unread.extend(part.unread);
        audited.extend(part.audited);
    }
    // Oldest first; equal times keep a stable order by commit id.
    steps.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.commit.cmp(&b.commit)));
    unread.sort_by(|a, b| (a.time, &a.commit, &a.path).cmp(&(b.time, &b.commit, &b.path)));
    Ok((
        Timeline {
            steps,
            commits_walked: commits.len(),
            unread,
        },
        audited,
    ))
}

/// The blob ids of a record change's two sides (absent: not in the log there).
type SideBlobs = (Option<Oid>, Option<Oid>);

/// What one chunk of the walk found.
struct Walked<T> {
    steps: Vec<Step>,
    unread: Vec<UnreadVersion>,
    audited: Vec<T>,
}

/// The commits of one chunk, on a repository handle of its own: their record changes,
/// the versions they bring in that do not read as text, and the audit of each covered
/// commit.
fn walk_chunk<T>(
    location: &Path,
    commits: &[Oid],
    folders: &[String],
    request: &Walk<'_>,
    audit: Option<&AuditScope<'_, T>>,
) -> Result<Walked<T>> {
    let repo = Repository::open(location)
        .map_err(|e| git_error("cannot open the repository for the history walk", e))?;
    let mut versions = Versions::new(&repo, request.config, audit.is_some());
    let odb = repo
        .odb()
        .map_err(|e| git_error("cannot open the object store", e))?;
    let mut kept: HashMap<Oid, RawTree<'_>> = HashMap::new();
    let mut walked = Walked {
        steps: Vec::new(),
        unread: Vec::new(),
        audited: Vec::new(),
    };
    for &oid in commits {
        versions.next_commit();
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
            let (old_tree, new_tree) = take_trees(&odb, old_id, new_id, &mut kept)?;
            compare_trees(
                &odb,
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
        // A mode change keeps the blob: the record is the same.
        changed.retain(|c| c.old != c.new);
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
                let (key, state, _) = versions.facts(blob, path)?;
                sides.entry(key).or_default().0 = Some((state, blob));
            }
            if let Some((path, blob)) = change.new.filter(|(p, _)| is_decision(p)) {
                let (key, state, problem) = versions.facts(blob, path.clone())?;
                // Reported in the commit that brings the version in, never skipped.
                if let Some(problem) = problem {
                    walked.unread.push(UnreadVersion {
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
        // Each record change, with the blob ids of its two sides.
        let mut by_key: Vec<(RecordChange, SideBlobs)> = sides
            .into_iter()
            // A record that only moved (the same blob) is not a change of the record.
            .filter(|(_, (before, after))| match (before, after) {
                (Some((_, a)), Some((_, b))) => a != b,
                _ => true,
            })
            .map(|(key, (before, after))| {
                let blobs = (
                    before.as_ref().map(|(_, b)| *b),
                    after.as_ref().map(|(_, b)| *b),
                );
                let change = RecordChange {
                    key,
                    before: before.map(|(s, _)| s),
                    after: after.map(|(s, _)| s),
                };
                (change, blobs)
            })
            .collect();
        // A merge whose record reads as another parent's (its facts, even if the file
        // differs, say in the body) took that state from the branch: not its own change.
        if !others.is_empty() {
            let mut kept_changes = Vec::with_capacity(by_key.len());
            for (change, blobs) in by_key {
                let mut taken = false;
                if let Some(after) = &change.after {
                    for tree in others {
                        let Some(blob) = blob_at(tree, &after.path) else {
                            continue;
                        };
                        let (key, state, _) = versions.facts(blob, after.path.clone())?;
                        if key == change.key && state == *after {
                            taken = true;
                            break;
                        }
                    }
                }
                if !taken {
                    kept_changes.push((change, blobs));
                }
            }
            by_key = kept_changes;
        }
        if by_key.is_empty() {
            continue;
        }
        let time = commit.time().seconds();
        let author = commit.author().name().unwrap_or("unknown").to_string();
        if let Some(audit) = audit.filter(|a| a.covers.covers(oid, time)) {
            let audited = audited_commit(&mut versions, oid, time, &author, &by_key)?;
            walked.audited.extend((audit.check)(&audited));
            // The records go back for the next commit, whose versions they mostly are.
            for (change, (_, (old, new))) in audited.change.changes.into_iter().zip(&by_key) {
                versions.give_back(old.zip(change.base).into_iter().chain(new.zip(change.head)));
            }
        }
        walked.steps.push(Step {
            commit: oid.to_string(),
            time,
            author,
            changes: by_key.into_iter().map(|(change, _)| change).collect(),
        });
    }
    Ok(walked)
}

/// One commit's record changes as the change set a pull request would give the change
/// rules: each side's record read whole.
fn audited_commit(
    versions: &mut Versions<'_>,
    commit: Oid,
    time: i64,
    author: &str,
    changes: &[(RecordChange, SideBlobs)],
) -> Result<AuditedCommit> {
    let mut files = Vec::with_capacity(changes.len());
    for (change, (old, new)) in changes {
        let mut side = |blob: &Option<Oid>, state: &Option<State>| match (blob, state) {
            (Some(blob), Some(state)) => versions.record(*blob, &state.path).map(Some),
            _ => Ok(None),
        };
        let base = side(old, &change.before)?;
        let head = side(new, &change.after)?;
        let kind = match (&base, &head) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Deleted,
            (Some(b), Some(h)) if b.path != h.path => ChangeKind::Renamed {
                from: b.path.clone(),
            },
            _ => ChangeKind::Modified,
        };
        files.push(FileChange { kind, base, head });
    }
    Ok(AuditedCommit {
        commit: commit.to_string(),
        time,
        author: author.to_string(),
        change: ChangeSet {
            changes: files,
            ..ChangeSet::default()
        },
    })
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

/// What the walk knows of one version of a decision file: the record key it belongs to,
/// its facts, and why it does not read as text, if it does not.
type VersionFacts = (String, State, Option<LoadProblem>);

/// The versions of decision files one chunk of the walk has read. Each (blob, path) is
/// read and parsed once: its facts are kept for the whole chunk (they are small), and,
/// for the history audit, its whole record for the commit that read it and the next one
/// (children come before parents, so a commit's "before" is mostly the next commit's
/// "after"). A blob is immutable, so a version read again is the same record: reuse never
/// changes a finding (tests/it/timeline.rs holds the audit to a fresh read).
struct Versions<'r> {
    repo: &'r Repository,
    config: &'r Config,
    facts: HashMap<(Oid, String), VersionFacts>,
    /// Whether whole records are kept for the audit.
    keep_records: bool,
    /// Records read or given back in the commit being walked, and in the one before.
    records: HashMap<(Oid, String), Record>,
    previous: HashMap<(Oid, String), Record>,
}

impl<'r> Versions<'r> {
    fn new(repo: &'r Repository, config: &'r Config, keep_records: bool) -> Self {
        Versions {
            repo,
            config,
            facts: HashMap::new(),
            keep_records,
            records: HashMap::new(),
            previous: HashMap::new(),
        }
    }

    /// Moving on to the next commit: records older than the one before are dropped.
    fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.records);
    }

    /// The facts of `blob` at `path`.
    fn facts(&mut self, blob: Oid, path: String) -> Result<VersionFacts> {
        let key = (blob, path);
        if let Some(known) = self.facts.get(&key) {
            return Ok(known.clone());
        }
        let record = self.parse(blob, key.1.clone())?;
        let found = (
            record_key(&record),
            State::of(&record, self.config),
            record.load_problem.clone(),
        );
        self.facts.insert(key.clone(), found.clone());
        if self.keep_records {
            self.records.insert(key, record);
        }
        Ok(found)
    }

    /// The whole record of `blob` at `path`: the one kept, else read again.
    fn record(&mut self, blob: Oid, path: &str) -> Result<Record> {
        let key = (blob, path.to_string());
        match self
            .records
            .remove(&key)
            .or_else(|| self.previous.remove(&key))
        {
            Some(record) => Ok(record),
            None => self.parse(blob, key.1),
        }
    }

    /// Records the audit is done with, kept for the next commit. `blob` and the record's
    /// path are its key.
    fn give_back(&mut self, records: impl IntoIterator<Item = (Oid, Record)>) {
        for (blob, record) in records {
            self.records.insert((blob, record.path.clone()), record);
        }
    }

    /// The one bytes → record path (the budgeted blob read, then `Record::from_bytes`),
    /// as for every other record read from git or the working tree.
    fn parse(&self, blob: Oid, path: String) -> Result<Record> {
        Ok(super::diff::read_blob(self.repo, blob, path, self.config)?.into_record(self.config))
    }
}

/// The two sides of a folder in a commit, from the trees kept from the previous commit or
/// from the object store; a side read anew is read against the other (they share most
/// entries).
fn take_trees<'o>(
    odb: &'o Odb<'_>,
    old: Option<Oid>,
    new: Option<Oid>,
    kept: &mut HashMap<Oid, RawTree<'o>>,
) -> Result<(Option<RawTree<'o>>, Option<RawTree<'o>>)> {
    let mut old_tree = old.and_then(|id| kept.remove(&id));
    let mut new_tree = new.and_then(|id| kept.remove(&id));
    if let (Some(id), None) = (new, &new_tree) {
        new_tree = Some(RawTree::read(odb, id, old_tree.as_ref())?);
    }
    if let (Some(id), None) = (old, &old_tree) {
        old_tree = Some(RawTree::read(odb, id, new_tree.as_ref())?);
    }
    Ok((old_tree, new_tree))
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

/// The walk of [`walk`] and, in the same pass, the history audit (SPEC §9): every commit
/// of the walk that changed a decision, with the records before and after read whole,
/// handed to `check` (the change rules) as the walk reads it; what `check` returns is
/// collected. `since` limits the audit (the walk stays whole: "logged" needs it): a date
/// (`YYYY-MM-DD`, commits from its start in the config's `timezone`) or a revision
/// (commits not reachable from it).
pub fn walk_and_audit<T: Send>(
    repo_root: &Path,
    request: &Walk<'_>,
    since: Option<&str>,
    check: &(dyn Fn(&AuditedCommit) -> Vec<T> + Sync),
) -> Result<(Timeline, Vec<T>)> {
    let repo = open_repo(repo_root)?;
    let Some(head) = head_commit(&repo)? else {
        return Ok((Timeline::default(), Vec::new()));
    };
    let covers = match since.map(str::trim) {
        None => Covers::All,
        Some(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) => Covers::From(
                crate::timeline::start_of_day(day, request.config.timezone).timestamp(),
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
                Covers::Only(
                    commits_between(&repo, head, &[commit.id()], Sort::NONE)?
                        .into_iter()
                        .collect(),
                )
            }
        },
    };
    let audit = AuditScope { covers, check };
    walk_commits(&repo, head, &[], request, Some(&audit))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use git2::{Signature, Time};

    /// A repository in a temp dir, committed to with an explicit signature.
    struct Repo {
        dir: tempfile::TempDir,
        repo: Repository,
        time: i64,
    }

    impl Repo {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let repo = Repository::init(dir.path()).unwrap();
            Repo {
                dir,
                repo,
                time: 1_772_000_000,
            }
        }

        /// Write `files` (path, text; `None` removes it) and commit them all.
        fn commit(&mut self, files: &[(&str, Option<&str>)]) -> Oid {
            for (path, text) in files {
                let full = self.dir.path().join(path);
                match text {
                    Some(text) => {
                        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                        std::fs::write(full, text).unwrap();
                    }
                    None => std::fs::remove_file(full).unwrap(),
                }
            }
            let mut index = self.repo.index().unwrap();
            index
                .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
                .unwrap();
            index.update_all(["*"].iter(), None).unwrap();
            index.write().unwrap();
            let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
            self.time += 86_400;
            let sig = Signature::new("Test", "t@example.com", &Time::new(self.time, 0)).unwrap();
            let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
            let parents: Vec<_> = parent.iter().collect();
            self.repo
                .commit(Some("HEAD"), &sig, &sig, "c", &tree, &parents)
                .unwrap()
        }
    }

    fn record(status: &str, priority: &str) -> String {
        format!(
            "---\ntitle: Use Postgres\nstatus: {status}\ndecider: ana\ndate: 2026-01-05\npriority: {priority}\nreversal: [\"p99 over 200 ms\"]\n---\n\n# Use Postgres\n"
        )
    }

    /// The record of `path` as it is in `commit`'s tree, read afresh.
    fn fresh(repo: &Repository, commit: &git2::Commit<'_>, path: &str, config: &Config) -> String {
        let blob = commit
            .tree()
            .unwrap()
            .get_path(Path::new(path))
            .unwrap()
            .id();
        let bytes = repo.find_blob(blob).unwrap().content().to_vec();
        format!("{:?}", Record::from_bytes(path.to_string(), bytes, config))
    }

    /// Reusing a version read for the previous commit (a revert brings back an old blob,
    /// a copy puts one blob at two paths, a rename keeps it) gives the change rules the
    /// same records as reading each side afresh from the commit and its parent.
    #[test]
    fn the_audit_reads_the_same_records_as_a_fresh_read() {
        let mut repo = Repo::new();
        let (a, b) = (record("accepted", "P2"), record("accepted", "P1"));
        let other = record("proposed", "P3");
        let mut commits = vec![repo.commit(&[
            ("decisions/0001-db.md", Some(&a)),
            ("decisions/0002-q.md", Some(&other)),
        ])];
        for files in [
            vec![("decisions/0001-db.md", Some(b.as_str()))],
            // A revert: blob `a` again.
            vec![("decisions/0001-db.md", Some(a.as_str()))],
            // A copy: blob `a` at a second path (another record: its id is its number).
            vec![("decisions/0003-copy.md", Some(a.as_str()))],
            // A rename (same blob) and an edit of another record.
            vec![
                ("decisions/0002-q.md", None),
                ("decisions/0002-question.md", Some(other.as_str())),
                ("decisions/0001-db.md", Some(b.as_str())),
            ],
            vec![(
                "decisions/0002-question.md",
                Some(record("accepted", "P3").as_str()),
            )],
            vec![("decisions/0003-copy.md", None)],
        ] {
            commits.push(repo.commit(&files));
        }
        let config = Config::default();
        let folders = vec!["decisions".to_string()];
        let exclude = GlobSet::empty();
        let request = Walk {
            folders: &folders,
            exclude: &exclude,
            config: &config,
        };
        let location = repo.dir.path().to_path_buf();
        // git2's handles are not shared across threads: one for each commit checked.
        let check = |audited: &AuditedCommit| {
            let git = Repository::open(&location).unwrap();
            let commit = git
                .find_commit(Oid::from_str(&audited.commit).unwrap())
                .unwrap();
            let mut read = Vec::new();
            for change in &audited.change.changes {
                if let Some(head) = &change.head {
                    let expected = fresh(&git, &commit, &head.path, &config);
                    assert_eq!(format!("{head:?}"), expected, "{}", audited.commit);
                }
                if let Some(base) = &change.base {
                    let parent = commit.parent(0).unwrap();
                    let expected = fresh(&git, &parent, &base.path, &config);
                    assert_eq!(format!("{base:?}"), expected, "{}", audited.commit);
                }
                read.push((audited.commit.clone(), change.kind.clone()));
            }
            read
        };
        let (timeline, mut audited) =
            walk_and_audit(repo.dir.path(), &request, None, &check).unwrap();
        audited.sort_by_key(|(commit, _)| commits.iter().position(|c| c.to_string() == *commit));
        let kinds: Vec<(usize, ChangeKind)> = audited
            .into_iter()
            .map(|(commit, kind)| {
                let at = commits.iter().position(|c| c.to_string() == commit);
                (at.unwrap(), kind)
            })
            .collect();
        let renamed = ChangeKind::Renamed {
            from: "decisions/0002-q.md".into(),
        };
        assert_eq!(
            kinds,
            [
                (0, ChangeKind::Added),
                (0, ChangeKind::Added),
                (1, ChangeKind::Modified),
                (2, ChangeKind::Modified),
                (3, ChangeKind::Added),
                (4, ChangeKind::Modified),
                (5, ChangeKind::Modified),
                (6, ChangeKind::Deleted),
            ]
        );
        // The rename alone is no change of the record; the walk saw every commit.
        assert!(!kinds.contains(&(4, renamed)));
        assert_eq!(timeline.commits_walked, commits.len());
        assert_eq!(timeline.steps.len(), commits.len());
    }
}
