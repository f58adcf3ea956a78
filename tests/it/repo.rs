//! Throwaway git repositories for tests, built with git2 in a temp dir. Every commit has
//! an explicit signature and time (CI has no git identity).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use git2::{BranchType, IndexAddOption, Oid, Repository, RepositoryInitOptions, Signature, Time};
use std::path::Path;

pub struct TestRepo {
    pub dir: tempfile::TempDir,
    pub repo: Repository,
}

impl TestRepo {
    /// An empty repository whose first branch is `main`.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut options = RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = Repository::init_opts(dir.path(), &options).unwrap();
        TestRepo { dir, repo }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// Write raw bytes (text that is not UTF-8).
    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).unwrap();
    }

    pub fn rename(&self, from: &str, to: &str) {
        std::fs::rename(self.path().join(from), self.path().join(to)).unwrap();
    }

    fn signature(time: i64) -> Signature<'static> {
        Signature::new("Test", "test@example.com", &Time::new(time, 0)).unwrap()
    }

    /// Stage everything (additions, edits, deletions) and commit on HEAD at `time`.
    pub fn commit(&self, message: &str, time: i64) -> Oid {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"].iter(), None).unwrap();
        index.write().unwrap();
        self.commit_index(message, time)
    }

    /// Commit what is staged, as it is (`git commit` without `-a`), on HEAD at `time`.
    pub fn commit_index(&self, message: &str, time: i64) -> Oid {
        let mut index = self.repo.index().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let parents: Vec<_> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        let sig = Self::signature(time);
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    /// Stage `path` as it is in the working tree (`git add PATH`), without committing.
    pub fn stage(&self, path: &str) {
        let mut index = self.repo.index().unwrap();
        index.add_path(Path::new(path)).unwrap();
        index.write().unwrap();
    }

    /// Create `name` at HEAD and switch to it.
    pub fn branch(&self, name: &str) {
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        self.repo.branch(name, &head, false).unwrap();
        self.checkout(name);
    }

    /// Switch to branch `name`, updating the working tree.
    pub fn checkout(&self, name: &str) {
        self.repo.set_head(&format!("refs/heads/{name}")).unwrap();
        self.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .unwrap();
    }

    /// Merge branch `name` into the current branch with a merge commit (no conflicts).
    pub fn merge(&self, name: &str, time: i64) -> Oid {
        let ours = self.repo.head().unwrap().peel_to_commit().unwrap();
        let theirs = self
            .repo
            .find_branch(name, BranchType::Local)
            .unwrap()
            .get()
            .peel_to_commit()
            .unwrap();
        let mut index = self.repo.merge_commits(&ours, &theirs, None).unwrap();
        assert!(!index.has_conflicts());
        let tree = self
            .repo
            .find_tree(index.write_tree_to(&self.repo).unwrap())
            .unwrap();
        let sig = Self::signature(time);
        let oid = self
            .repo
            .commit(
                Some("HEAD"),
                &sig,
                &sig,
                &format!("merge {name}"),
                &tree,
                &[&ours, &theirs],
            )
            .unwrap();
        self.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .unwrap();
        oid
    }

    /// Point `refs/remotes/origin/<name>` at a commit.
    pub fn remote_branch(&self, name: &str, at: Oid) {
        self.repo
            .reference(&format!("refs/remotes/origin/{name}"), at, true, "test")
            .unwrap();
    }

    pub fn head(&self) -> Oid {
        self.repo.head().unwrap().peel_to_commit().unwrap().id()
    }
}

impl TestRepo {
    /// Merge branch `name` into the current branch with a merge commit whose tree also
    /// carries `edits` (a conflict resolution or an "evil merge").
    pub fn merge_editing(&self, name: &str, time: i64, edits: &[(&str, &str)]) -> Oid {
        let ours = self.repo.head().unwrap().peel_to_commit().unwrap();
        let theirs = self
            .repo
            .find_branch(name, BranchType::Local)
            .unwrap()
            .get()
            .peel_to_commit()
            .unwrap();
        let mut merged = self.repo.merge_commits(&ours, &theirs, None).unwrap();
        assert!(!merged.has_conflicts());
        let tree = merged.write_tree_to(&self.repo).unwrap();
        let tree = self.repo.find_tree(tree).unwrap();
        self.repo
            .checkout_tree(
                tree.as_object(),
                Some(git2::build::CheckoutBuilder::new().force()),
            )
            .unwrap();
        let mut index = self.repo.index().unwrap();
        index.read_tree(&tree).unwrap();
        index.write().unwrap();
        for (path, text) in edits {
            self.write(path, text);
        }
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"].iter(), IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = Self::signature(time);
        self.repo
            .commit(
                Some("HEAD"),
                &sig,
                &sig,
                &format!("merge {name}"),
                &tree,
                &[&ours, &theirs],
            )
            .unwrap()
    }
}

impl TestRepo {
    /// Write one file and commit it at `time`.
    pub fn commit_with(&self, path: &str, text: &str, time: i64) -> Oid {
        self.write(path, text);
        self.commit(&format!("edit {path}"), time)
    }
}
