//! Everything declint reads from git, through git2 only (never the `git` program, never a
//! write). The rest of the program sees plain data: a [`ChangeSet`](crate::change::ChangeSet)
//! of base and head records, a map of when records were logged, a [`history::History`].
//!
//! - [`base`] resolves `--base REF|auto` and `--head` to commits, with errors that name
//!   their fix (shallow clones, missing refs, detached HEAD);
//! - [`diff`] compares the merge base with head (a commit or the working tree) and builds
//!   the change set, reading blobs only for changed decision files; [`diff::changed_paths`]
//!   lists the other changed files where `affects` globs can match;
//! - [`diff::index_records`] reads the log as it is staged (`check --staged`);
//! - [`history`] walks the history once for first-added times and priority changes.
//! - `tree_compare` compares two versions of a tree as git stores them, skipping what
//!   both share; the history walk and [`diff::changed_paths`] both read changes through it.

pub mod base;
pub mod diff;
pub mod history;
mod tree_compare;

use crate::error::Error;
use git2::{ErrorCode, Repository};
use std::path::Path;

pub use base::AutoEnv;
pub use diff::{Compare, DiffEnds, changed_paths, compare, index_records, tree_records};

/// Open the repository at or above `path`, refusing bare repositories and explaining
/// libgit2's ownership check.
pub fn open_repo(path: &Path) -> crate::Result<Repository> {
    // libgit2 re-hashes every object it reads; git itself does not (fsck does). On a
    // history walk that hashing is over half the time, and declint only reads.
    git2::opts::strict_hash_verification(false);
    let repo = Repository::open_ext(
        path,
        git2::RepositoryOpenFlags::empty(),
        std::iter::empty::<&std::ffi::OsStr>(),
    )
    .map_err(|e| match e.code() {
        ErrorCode::Owner => Error::Git {
            message: format!(
                "refusing to read the repository at {}: it is owned by another user (git's safe.directory check)",
                path.display()
            ),
            help: Some(format!(
                "if you trust it, mark it safe: `git config --global --add safe.directory {}` (in CI containers, the workspace is often owned by another user)",
                path.display()
            )),
        },
        ErrorCode::NotFound => Error::Git {
            message: format!("{} is not inside a git repository", path.display()),
            help: Some(
                "--base, --head, --history and --staged read git: run inside a clone, or drop them"
                    .into(),
            ),
        },
        _ => git_error(&format!("cannot open the repository at {}", path.display()), e),
    })?;
    if repo.is_bare() {
        return Err(Error::Git {
            message: format!(
                "{} is a bare repository: there is no working tree with a decision log to check",
                path.display()
            ),
            help: Some(
                "run declint in a clone with a working tree (`git clone`, or `git worktree add`)"
                    .into(),
            ),
        });
    }
    Ok(repo)
}

/// A git2 error, with what declint was doing.
pub(crate) fn git_error(doing: &str, e: git2::Error) -> Error {
    Error::Git {
        message: format!("{doing}: {}", e.message()),
        help: None,
    }
}

/// A path from git as its display text ([`crate::display_path`]): a name that is not
/// UTF-8 is never dropped from a comparison.
pub(crate) fn path_text(bytes: &[u8]) -> String {
    crate::display_path::from_bytes(bytes)
}
