//! Two versions of a tree compared as git stores them, so that what a change did costs
//! what it touched, not what the repository weighs. Both the history walk (a commit
//! against its parent, limited to the decision folders) and `check --base --head` (the
//! merge base against head, limited to the folders of in-force `affects` globs) read
//! changes here: a subtree whose id is the same on both sides is skipped unread, and
//! within a tree the entries the two sides share at the start and the end are skipped by
//! memcmp ([`RawTree`]), so only the entries between are parsed. libgit2's tree diff
//! reads every tree below its paths instead.

use super::git_error;
use crate::error::{Error, Result};
use git2::{ObjectType, Odb, Oid, Repository, Tree};
use std::cmp::Ordering;
use std::path::Path;

/// A changed decision file in one commit: path and blob id before (absent when added)
/// and after (absent when deleted).
#[derive(PartialEq)]
pub(super) struct Changed {
    pub(super) old: Option<(String, Oid)>,
    pub(super) new: Option<(String, Oid)>,
}

/// The id of the tree at `folder` in `tree`, if there is one.
pub(super) fn subtree_id(tree: Option<&Tree<'_>>, folder: &str) -> Option<Oid> {
    let tree = tree?;
    let folder = tree_path(folder);
    if folder.is_empty() {
        return Some(tree.id());
    }
    let entry = tree.get_path(Path::new(folder)).ok()?;
    (entry.kind() == Some(ObjectType::Tree)).then(|| entry.id())
}

/// A folder (a decision folder, an `affects` folder) as a path inside a commit's tree:
/// the repository itself, however it is written (`""`, `.`, `/`), is the empty path, the
/// root tree.
pub(super) fn tree_path(folder: &str) -> &str {
    match folder.trim_matches('/') {
        "." => "",
        folder => folder,
    }
}

/// The length of an object id in a tree entry (SHA-1: git2 reads SHA-1 repositories).
pub(super) const ID_LEN: usize = 20;

/// A tree as git stores it (entries `<mode> <name>\0<id>`, in git's order) and where each
/// entry ends. A decision folder holds thousands of records and a commit changes a few:
/// two sides of a commit are compared by memcmp, and only the entries where they differ
/// are read. Where an entry ends is known from the tree it is most like (its prefix and
/// suffix are the same bytes), so only the differing middle is scanned.
pub(super) struct RawTree<'o> {
    object: git2::OdbObject<'o>,
    /// The end of each entry (the next one's start), in bytes.
    ends: Vec<usize>,
}

/// One entry of a [`RawTree`].
pub(super) struct RawEntry<'a> {
    name: &'a [u8],
    is_tree: bool,
    /// A file (regular, executable or symlink); neither a tree nor a submodule.
    is_blob: bool,
    /// The file mode as git reads it: an executable bit or a file turned symlink with
    /// the same content is a change (`git diff` lists it), though the blob is the same.
    mode: u32,
    id: &'a [u8],
}

impl<'o> RawTree<'o> {
    pub(super) fn read(odb: &'o Odb<'_>, id: Oid, like: Option<&RawTree<'_>>) -> Result<Self> {
        let object = odb
            .read(id)
            .map_err(|e| git_error("cannot read a tree", e))?;
        let like = like.map(|t| (t.data(), t.ends.as_slice()));
        let ends = entry_ends(object.data(), like).ok_or_else(|| Error::Git {
            message: format!("cannot read the tree {id}: it is damaged"),
            help: Some(
                "the object store looks damaged: run `git fsck`, then fetch again or re-clone"
                    .into(),
            ),
        })?;
        Ok(RawTree { object, ends })
    }

    fn data(&self) -> &[u8] {
        self.object.data()
    }

    fn start(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        }
    }

    fn entry(&self, i: usize) -> Option<RawEntry<'_>> {
        let bytes = self.data().get(self.start(i)..*self.ends.get(i)?)?;
        let space = bytes.iter().position(|&b| b == b' ')?;
        let nul = bytes.iter().position(|&b| b == 0)?;
        // The mode as git reads it (octal; old tools wrote trees as `040000`).
        let mode = std::str::from_utf8(bytes.get(..space)?)
            .ok()
            .and_then(|m| u32::from_str_radix(m, 8).ok())?;
        let kind = mode & 0o170_000;
        Some(RawEntry {
            name: bytes.get(space + 1..nul)?,
            is_tree: kind == 0o040_000,
            is_blob: kind != 0o040_000 && kind != 0o160_000,
            mode,
            id: bytes.get(nul + 1..)?,
        })
    }
}

/// Entry `at` of `tree` when `at` is before `len` (else `Some(None)`); `None` when the
/// entry is damaged.
pub(super) fn entry_before<'t>(
    tree: Option<&'t RawTree<'_>>,
    at: usize,
    len: usize,
) -> Option<Option<RawEntry<'t>>> {
    match tree {
        Some(tree) if at < len => tree.entry(at).map(Some),
        _ => Some(None),
    }
}

/// How many leading bytes two buffers share.
pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let whole = a
        .chunks_exact(CHUNK)
        .zip(b.chunks_exact(CHUNK))
        .take_while(|(x, y)| x == y)
        .count()
        * CHUNK;
    let rest = a
        .get(whole..)
        .unwrap_or_default()
        .iter()
        .zip(b.get(whole..).unwrap_or_default())
        .take_while(|(x, y)| x == y)
        .count();
    whole + rest
}

/// How many trailing bytes two buffers share.
pub(super) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 64;
    let whole = a
        .rchunks_exact(CHUNK)
        .zip(b.rchunks_exact(CHUNK))
        .take_while(|(x, y)| x == y)
        .count()
        * CHUNK;
    let (a_rest, b_rest) = (
        a.get(..a.len() - whole).unwrap_or_default(),
        b.get(..b.len() - whole).unwrap_or_default(),
    );
    let rest = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    whole + rest
}

/// The end of each entry of the raw tree `data`; `None` if it is malformed. `like` is a
/// tree (bytes and entry ends) that probably shares most of its bytes: entries inside the
/// bytes the two share at the start, and from an entry start the two share at the end,
/// are the same entries, so only the bytes between are scanned.
pub(super) fn entry_ends(data: &[u8], like: Option<(&[u8], &[usize])>) -> Option<Vec<usize>> {
    let mut ends = Vec::with_capacity(like.map_or(data.len() / 64, |(_, e)| e.len() + 1));
    let mut at = 0;
    let mut tail = None;
    if let Some((other, other_ends)) = like {
        let prefix = common_prefix(data, other);
        let same = other_ends.partition_point(|&end| end <= prefix);
        ends.extend_from_slice(other_ends.get(..same)?);
        at = ends.last().copied().unwrap_or(0);
        let suffix = common_suffix(data, other)
            .min(data.len() - at)
            .min(other.len() - at);
        tail = Some((data.len() - suffix, other, other_ends));
    }
    while at < data.len() {
        if let Some((shared_from, other, other_ends)) = tail
            && at >= shared_from
        {
            // The same bytes from here to the end: if `at` starts an entry of the other
            // tree too, the rest of the entries are the other tree's, shifted.
            let other_at = at + other.len() - data.len();
            let from = if other_at == 0 {
                Some(0)
            } else {
                other_ends.binary_search(&other_at).ok().map(|i| i + 1)
            };
            if let Some(from) = from {
                ends.extend(
                    other_ends
                        .get(from..)?
                        .iter()
                        .map(|&end| end - other_at + at),
                );
                return Some(ends);
            }
        }
        let nul = data.get(at..)?.iter().position(|&b| b == 0)?;
        at += nul + 1 + ID_LEN;
        ends.push(at);
    }
    (at == data.len()).then_some(ends)
}

/// Git's tree order: names compared bytewise, a subtree as if its name ended in `/`.
/// Called for every entry of both trees of every commit, so the common part is one slice
/// comparison (memcmp), not a byte-by-byte iterator.
pub(super) fn entry_order(
    name: &[u8],
    is_tree: bool,
    other: &[u8],
    other_is_tree: bool,
) -> Ordering {
    let common = name.len().min(other.len());
    let order = name.get(..common).cmp(&other.get(..common));
    if order != Ordering::Equal {
        return order;
    }
    // One name is the other's prefix (or they are equal): the next byte decides, `/` for
    // a subtree, none (first) for a name that has ended.
    let next = |name: &[u8], is_tree: bool| name.get(common).copied().or(is_tree.then_some(b'/'));
    next(name, is_tree).cmp(&next(other, other_is_tree))
}

/// Compare two trees (both sorted in git's order), skipping the entries they share at
/// the start and the end by memcmp and equal ids between: the files that differ, with
/// `prefix/` before their paths.
pub(super) fn compare_trees(
    odb: &Odb<'_>,
    old: Option<&RawTree<'_>>,
    new: Option<&RawTree<'_>>,
    prefix: &str,
    out: &mut Vec<Changed>,
) -> Result<()> {
    let (mut i, mut j) = (0, 0);
    let (mut old_len, mut new_len) = (
        old.map_or(0, |t| t.ends.len()),
        new.map_or(0, |t| t.ends.len()),
    );
    if let (Some(old), Some(new)) = (old, new) {
        let shared = common_prefix(old.data(), new.data());
        i = old.ends.partition_point(|&end| end <= shared);
        j = new.ends.partition_point(|&end| end <= shared);
        // From the first entry of `old` in the shared end bytes that starts an entry of
        // `new` at the same distance from the end, both hold the same entries.
        let suffix = common_suffix(old.data(), new.data());
        let shared_from = old.data().len() - suffix;
        let mut k = old.ends.partition_point(|&end| end <= shared_from);
        while k < old_len {
            let start = old.start(k);
            if start >= shared_from && start >= old.start(i) {
                let new_start = start + new.data().len() - old.data().len();
                let at = if new_start == 0 {
                    Some(0)
                } else {
                    new.ends.binary_search(&new_start).ok().map(|n| n + 1)
                };
                if let Some(at) = at.filter(|&at| at >= j) {
                    old_len = k;
                    new_len = at;
                    break;
                }
            }
            k += 1;
        }
    }
    let damaged = || Error::Git {
        message: format!(
            "cannot read the tree of {}: an entry is damaged",
            if prefix.is_empty() {
                "the repository root"
            } else {
                prefix
            }
        ),
        help: Some(
            "the object store looks damaged: run `git fsck`, then fetch again or re-clone".into(),
        ),
    };
    while i < old_len || j < new_len {
        let a = entry_before(old, i, old_len).ok_or_else(damaged)?;
        let b = entry_before(new, j, new_len).ok_or_else(damaged)?;
        let order = match (&a, &b) {
            (Some(a), Some(b)) => entry_order(a.name, a.is_tree, b.name, b.is_tree),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
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
                if a.as_ref().map(|e| (e.id, e.mode)) == b.as_ref().map(|e| (e.id, e.mode)) {
                    continue;
                }
                (a, b)
            }
        };
        let Some(entry) = old_entry.as_ref().or(new_entry.as_ref()) else {
            continue;
        };
        let name = super::path_text(entry.name);
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        let id = |e: &RawEntry<'_>| {
            Oid::from_bytes(e.id).map_err(|err| git_error("cannot read a tree entry", err))
        };
        if entry.is_tree {
            let sub = |e: &Option<RawEntry<'_>>| -> Result<Option<RawTree<'_>>> {
                match e {
                    Some(e) if e.is_tree => RawTree::read(odb, id(e)?, None).map(Some),
                    _ => Ok(None),
                }
            };
            compare_trees(
                odb,
                sub(&old_entry)?.as_ref(),
                sub(&new_entry)?.as_ref(),
                &path,
                out,
            )?;
            continue;
        }
        let blob = |e: &Option<RawEntry<'_>>| -> Result<Option<(String, Oid)>> {
            match e {
                Some(e) if e.is_blob => Ok(Some((path.clone(), id(e)?))),
                _ => Ok(None),
            }
        };
        out.push(Changed {
            old: blob(&old_entry)?,
            new: blob(&new_entry)?,
        });
    }
    Ok(())
}

/// The files that differ between two commits' trees under `within` (repository-relative
/// folders or files; `None` or `.`: the whole tree), as `git diff --name-only
/// --no-renames` lists them: head paths and the old paths of deleted files, sorted.
/// A file turned folder is both the file and the folder's files; submodules are skipped.
pub(super) fn changed_paths_between(
    repo: &Repository,
    base: &Tree<'_>,
    head: &Tree<'_>,
    within: Option<&[String]>,
) -> Result<Vec<String>> {
    let odb = repo
        .odb()
        .map_err(|e| git_error("cannot open the object store", e))?;
    let whole = [String::new()];
    let mut changed = Vec::new();
    for scope in within.unwrap_or(&whole) {
        let scope = tree_path(scope);
        let (old, new) = (scope_entry(base, scope)?, scope_entry(head, scope)?);
        if old == new {
            continue;
        }
        let file = |side: Option<ScopeEntry>| match side {
            Some((id, ObjectType::Blob, _)) => Some((scope.to_string(), id)),
            _ => None,
        };
        if file(old).is_some() || file(new).is_some() {
            changed.push(Changed {
                old: file(old),
                new: file(new),
            });
        }
        let tree = |side: Option<ScopeEntry>| match side {
            Some((id, ObjectType::Tree, _)) => RawTree::read(&odb, id, None).map(Some),
            _ => Ok(None),
        };
        let old_tree = tree(old)?;
        let new_tree = match new {
            Some((id, ObjectType::Tree, _)) => Some(RawTree::read(&odb, id, old_tree.as_ref())?),
            _ => None,
        };
        if old_tree.is_some() || new_tree.is_some() {
            compare_trees(
                &odb,
                old_tree.as_ref(),
                new_tree.as_ref(),
                scope,
                &mut changed,
            )?;
        }
    }
    let mut paths: Vec<String> = changed
        .into_iter()
        .flat_map(|c| c.old.into_iter().chain(c.new).map(|(path, _)| path))
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// What a tree holds at one path: its id, kind and file mode.
type ScopeEntry = (Oid, ObjectType, i32);

/// The entry at `path` in `tree` (the tree itself for the empty path), `None` when the
/// path is absent or a submodule.
fn scope_entry(tree: &Tree<'_>, path: &str) -> Result<Option<ScopeEntry>> {
    if path.is_empty() {
        return Ok(Some((tree.id(), ObjectType::Tree, 0o040_000)));
    }
    match tree.get_path(Path::new(path)) {
        Ok(entry) => Ok(entry
            .kind()
            .filter(|kind| matches!(kind, ObjectType::Blob | ObjectType::Tree))
            .map(|kind| (entry.id(), kind, entry.filemode()))),
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
        Err(e) => Err(git_error("cannot read a tree", e)),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A raw tree of `(mode, name, id byte)` entries, ids filled with the byte.
    fn raw_tree(entries: &[(&str, String, u8)]) -> Vec<u8> {
        let mut data = Vec::new();
        for (mode, name, id) in entries {
            data.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            data.extend_from_slice(&[*id; ID_LEN]);
        }
        data
    }

    /// Entry ends read against a similar tree equal a full scan, whatever the two share:
    /// one entry edited, added or removed at the start, middle or end, and ids and names
    /// that look like entry headers (NUL bytes in ids, a name that holds `100644 `).
    #[test]
    fn entry_ends_read_against_a_similar_tree_equal_a_full_scan() {
        let base: Vec<(&str, String, u8)> = (0..40u8)
            .map(|i| {
                let name = match i % 4 {
                    0 => format!("{i:04}-x.md"),
                    1 => format!("{i:04}-100644 y\u{1}.md"),
                    2 => format!("{i:04}"),
                    _ => format!("{i:04}-a-much-longer-name-for-a-record.md"),
                };
                let mode = if i % 9 == 0 { "40000" } else { "100644" };
                (mode, name, [0u8, b' ', b'1', 0xff][usize::from(i % 4)])
            })
            .collect();
        let old = raw_tree(&base);
        let old_ends = entry_ends(&old, None).unwrap();
        assert_eq!(old_ends.len(), base.len());
        for at in [0, 1, 17, 38, 39] {
            let mut edited = base.clone();
            edited[at].2 ^= 0x5a;
            let mut added = base.clone();
            added.insert(at, ("100644", format!("{at:04}-0 new"), 0));
            let mut removed = base.clone();
            removed.remove(at);
            let mut renamed = base.clone();
            renamed[at].1.push('z');
            for new in [edited, added, removed, renamed] {
                let data = raw_tree(&new);
                let scanned = entry_ends(&data, None).unwrap();
                assert_eq!(scanned.len(), new.len());
                assert_eq!(
                    entry_ends(&data, Some((&old, &old_ends))),
                    Some(scanned.clone())
                );
                assert_eq!(
                    entry_ends(&old, Some((&data, &scanned))),
                    Some(old_ends.clone())
                );
            }
        }
        // A tree cut short is damaged, not read as fewer entries.
        assert_eq!(entry_ends(&old[..old.len() - 3], None), None);
        assert_eq!(
            entry_ends(&old[..old.len() - 3], Some((&old, &old_ends))),
            None
        );
    }

    /// Modes as git reads them: a tree written `040000` by an old tool is a tree, a
    /// submodule is neither a tree nor a file, a symlink is a file.
    #[test]
    fn raw_entries_read_modes_as_git_does() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let odb = repo.odb().unwrap();
        let data = raw_tree(&[
            ("040000", "a".into(), 1),
            ("100644", "b.md".into(), 2),
            ("160000", "c".into(), 3),
            ("120000", "d".into(), 4),
            ("40000", "e".into(), 5),
        ]);
        let id = odb.write(ObjectType::Tree, &data).unwrap();
        let tree = RawTree::read(&odb, id, None).unwrap();
        let kinds: Vec<(&[u8], bool, bool)> = (0..5)
            .map(|i| {
                let e = tree.entry(i).unwrap();
                (e.name, e.is_tree, e.is_blob)
            })
            .collect();
        assert_eq!(
            kinds,
            [
                (&b"a"[..], true, false),
                (&b"b.md"[..], false, true),
                (&b"c"[..], false, false),
                (&b"d"[..], false, true),
                (&b"e"[..], true, false),
            ]
        );
        assert_eq!(tree.entry(1).unwrap().id, &[2u8; ID_LEN][..]);
        assert!(tree.entry(5).is_none());
    }

    /// The slice comparison orders entries as git does (the name, then `/` for a tree).
    #[test]
    fn entry_order_is_git_tree_order() {
        let chained = |a: &[u8], at: bool, b: &[u8], bt: bool| {
            let x = a.iter().chain(at.then_some(&b'/'));
            let y = b.iter().chain(bt.then_some(&b'/'));
            x.cmp(y)
        };
        let names: [&[u8]; 7] = [b"a", b"a.md", b"a-b", b"a0", b"ab", b"b", b""];
        for a in names {
            for b in names {
                for (at, bt) in [(false, false), (false, true), (true, false), (true, true)] {
                    assert_eq!(
                        entry_order(a, at, b, bt),
                        chained(a, at, b, bt),
                        "{a:?} {at} {b:?} {bt}"
                    );
                }
            }
        }
    }
}
