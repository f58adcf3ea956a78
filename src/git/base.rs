//! Resolving `--base REF|auto` and `--head REF` to commits.
//!
//! `--base REF` compares against the merge base of REF and head, as a pull request does.
//! `--base auto` finds the pull request's base (see docs/git.md and decisions/0010):
//!
//! 1. in GitHub Actions, when HEAD is GitHub's merge commit (`GITHUB_SHA`, two parents),
//!    its first parent: the base branch as GitHub merged it (`fetch-depth: 2` suffices);
//! 2. else the merge base with `GITHUB_BASE_REF` (as `origin/<ref>` or `<ref>`);
//! 3. else the event's `pull_request.base.sha` from `GITHUB_EVENT_PATH`;
//! 4. outside Actions: the merge base with the default branch (`origin/HEAD`, else
//!    `origin/main`, `origin/master`, `main`, `master`), never the branch's own upstream.
//!
//! A merge queue's run (`merge_group` event) checks out the queue's commit, which may
//! stack several pull requests on the base branch: its base is the event's
//! `merge_group.base_sha`, read before anything else, so the whole group is judged.
//!
//! A base that cannot be found is an error naming the fix, never a silent pass.

use super::git_error;
use crate::error::{Error, Result};
use git2::{Commit, ErrorCode, Oid, Repository};
use std::path::PathBuf;

/// What `--base auto` reads from the environment (so tests can fake it).
#[derive(Debug, Clone, Default)]
pub struct AutoEnv {
    /// `GITHUB_ACTIONS=true`.
    pub github_actions: bool,
    /// `GITHUB_SHA`: for pull requests, GitHub's merge commit.
    pub github_sha: Option<String>,
    /// `GITHUB_BASE_REF`: the pull request's base branch name.
    pub github_base_ref: Option<String>,
    /// `GITHUB_EVENT_PATH`: the webhook event as JSON.
    pub github_event_path: Option<PathBuf>,
    /// `GITHUB_EVENT_NAME`: `pull_request`, `merge_group`, …
    pub github_event_name: Option<String>,
}

impl AutoEnv {
    /// Read the GitHub Actions variables from the process environment.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        AutoEnv {
            github_actions: var("GITHUB_ACTIONS").is_some_and(|v| v == "true"),
            github_sha: var("GITHUB_SHA"),
            github_base_ref: var("GITHUB_BASE_REF"),
            github_event_path: var("GITHUB_EVENT_PATH").map(PathBuf::from),
            github_event_name: var("GITHUB_EVENT_NAME"),
        }
    }
}

/// The commits a comparison runs between.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The commit the change is measured from (the merge base).
    pub merge_base: Oid,
    /// The tip of the base branch (for records added on it since the branch point).
    pub base_tip: Oid,
    /// The head commit; `None` with `--head` absent means the working tree on top of HEAD.
    pub head: Option<Oid>,
    /// HEAD's commit (the working tree's parent), or the `--head` commit.
    pub head_commit: Oid,
    /// How the base was found, for messages.
    pub description: String,
}

const FETCH_ALL: &str = "fetch the whole history: `fetch-depth: 0` with actions/checkout, or `git fetch --unshallow` (and fetch the base branch: `git fetch origin <branch>`)";

/// Resolve `base` (a revision or `auto`) and `head` (a revision; `None` = working tree).
pub fn resolve(
    repo: &Repository,
    base: &str,
    head: Option<&str>,
    env: &AutoEnv,
) -> Result<Resolved> {
    let (head_commit, head_oid) = match head {
        Some(spec) => {
            let commit = find_commit(repo, spec, "--head")?;
            let id = commit.id();
            (commit, Some(id))
        }
        None => (head_commit(repo)?, None),
    };
    if base == "auto" {
        return resolve_auto(repo, &head_commit, head_oid, env);
    }
    let base_commit = find_commit(repo, base, "--base")?;
    let merge_base = merge_base(repo, &base_commit, &head_commit, base)?;
    Ok(Resolved {
        merge_base,
        base_tip: base_commit.id(),
        head: head_oid,
        head_commit: head_commit.id(),
        description: format!("merge base of {base} ({})", short(merge_base)),
    })
}

fn resolve_auto(
    repo: &Repository,
    head: &Commit<'_>,
    head_oid: Option<Oid>,
    env: &AutoEnv,
) -> Result<Resolved> {
    let resolved = |base_tip: Oid, merge_base: Oid, how: String| Resolved {
        merge_base,
        base_tip,
        head: head_oid,
        head_commit: head.id(),
        description: how,
    };
    if env.github_actions && env.github_event_name.as_deref() == Some("merge_group") {
        let sha = event_sha(env, "/merge_group/base_sha")?.ok_or_else(|| Error::Git {
            message: "--base auto: this merge_group event names no merge_group.base_sha".into(),
            help: Some("pass the base explicitly: `--base origin/main`".into()),
        })?;
        return event_base(repo, head, &sha, "the merge queue's base")
            .map(|(tip, mb, how)| resolved(tip, mb, how));
    }
    if env.github_actions {
        // GitHub's merge commit: its first parent is the base branch as GitHub merged it.
        // Parents as written in the commit: a shallow clone hides them from parent_count().
        let parents = written_parents(head);
        let is_merge_commit = env
            .github_sha
            .as_deref()
            .is_some_and(|sha| sha.eq_ignore_ascii_case(&head.id().to_string()))
            && parents.len() == 2;
        if is_merge_commit && let Some(&parent) = parents.first() {
            if repo.find_commit(parent).is_err() {
                return Err(Error::Git {
                    message: format!(
                        "--base auto: HEAD is GitHub's merge commit, but its first parent {} was not fetched",
                        short(parent)
                    ),
                    help: Some("set `fetch-depth: 2` (or 0) on actions/checkout so the base side of the merge is present".into()),
                });
            }
            return Ok(resolved(
                parent,
                parent,
                format!("first parent of GitHub's merge commit ({})", short(parent)),
            ));
        }
        if let Some(branch) = &env.github_base_ref {
            // The label names the ref that was found: a local branch is not `origin/…`.
            let remote = format!("origin/{branch}");
            let (tip, label) = [
                (format!("refs/remotes/origin/{branch}"), remote.clone()),
                (remote.clone(), remote),
                (branch.clone(), branch.clone()),
            ]
            .into_iter()
            .find_map(|(spec, label)| {
                let tip = repo.revparse_single(&spec).ok()?.peel_to_commit().ok()?;
                Some((tip, label))
            })
            .ok_or_else(|| Error::Git {
                message: format!("--base auto: the pull request's base branch `{branch}` (GITHUB_BASE_REF) is not in this clone"),
                help: Some(format!("actions/checkout fetches only the pull request by default: set `fetch-depth: 0`, or fetch it with `git fetch origin {branch}`")),
            })?;
            let mb = merge_base(repo, &tip, head, &label)?;
            return Ok(resolved(
                tip.id(),
                mb,
                format!("merge base with {label} ({})", short(mb)),
            ));
        }
        if let Some(sha) = event_sha(env, "/pull_request/base/sha")? {
            return event_base(repo, head, &sha, "the pull request's base")
                .map(|(tip, mb, how)| resolved(tip, mb, how));
        }
        return Err(Error::Git {
            message: "--base auto: this GitHub Actions run is not for a pull request (no merge commit, GITHUB_BASE_REF or base sha in the event)".into(),
            help: Some("run on `pull_request` events, or pass the base explicitly: `--base origin/main`".into()),
        });
    }

    // Outside CI: the merge base with the default branch, never the current branch's own
    // upstream (comparing a branch with its own remote copy hides every commit already
    // pushed, and a change passes that its pull request would fail).
    let Some((tip, name)) = default_branch(repo) else {
        let help = if repo.is_shallow() {
            format!("this is a shallow clone: {FETCH_ALL}")
        } else {
            "pass the base explicitly (`--base origin/main`), or record the remote's default branch: `git remote set-head origin --auto`".to_string()
        };
        return Err(Error::Git {
            message: "--base auto: outside CI, `auto` compares with the default branch, and none was found (no origin/HEAD, origin/main, origin/master, main or master)".into(),
            help: Some(help),
        });
    };
    let mb = merge_base(repo, &tip, head, &name)?;
    Ok(resolved(
        tip.id(),
        mb,
        format!("merge base with {name}, the default branch ({})", short(mb)),
    ))
}

/// The default branch and its name: where `origin/HEAD` points, else the first of
/// `origin/main`, `origin/master`, `main`, `master` that exists.
fn default_branch(repo: &Repository) -> Option<(Commit<'_>, String)> {
    if let Ok(reference) = repo.find_reference("refs/remotes/origin/HEAD") {
        let name = reference
            .symbolic_target()
            .ok()
            .flatten()
            .and_then(|t| t.strip_prefix("refs/remotes/"))
            .unwrap_or("origin/HEAD")
            .to_string();
        if let Ok(tip) = reference.peel_to_commit() {
            return Some((tip, name));
        }
    }
    [
        ("refs/remotes/origin/main", "origin/main"),
        ("refs/remotes/origin/master", "origin/master"),
        ("refs/heads/main", "main"),
        ("refs/heads/master", "master"),
    ]
    .into_iter()
    .find_map(|(full, name)| {
        let tip = repo.find_reference(full).ok()?.peel_to_commit().ok()?;
        Some((tip, name.to_string()))
    })
}

/// The parent ids written in a commit's header, whether or not a shallow clone has them.
fn written_parents(commit: &Commit<'_>) -> Vec<Oid> {
    commit
        .raw_header()
        .unwrap_or("")
        .lines()
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.strip_prefix("parent "))
        .filter_map(|id| Oid::from_str(id.trim()).ok())
        .collect()
}

/// `pull_request.base.sha` from the event file, if there is one.
/// The base commit an event names (`sha`, read from the event file as `what`): its tip,
/// the merge base with head, and how it was found.
fn event_base(
    repo: &Repository,
    head: &Commit<'_>,
    sha: &str,
    what: &str,
) -> Result<(Oid, Oid, String)> {
    let tip = Oid::from_str(sha)
        .ok()
        .and_then(|oid| repo.find_commit(oid).ok())
        .ok_or_else(|| Error::Git {
            message: format!(
                "--base auto: {what} commit {sha} (from GITHUB_EVENT_PATH) is not in this clone"
            ),
            help: Some(FETCH_ALL.into()),
        })?;
    let mb = merge_base(repo, &tip, head, sha)?;
    let how = format!("merge base with {what} {} ({})", short(tip.id()), short(mb));
    Ok((tip.id(), mb, how))
}

/// The commit id at `pointer` in the event file, if the run has one.
fn event_sha(env: &AutoEnv, pointer: &str) -> Result<Option<String>> {
    let Some(path) = &env.github_event_path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let event: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Git {
        message: format!(
            "--base auto: cannot read the event file {}: {e}",
            path.display()
        ),
        help: Some("pass the base explicitly: `--base origin/main`".into()),
    })?;
    Ok(event
        .pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .map(str::to_string))
}

/// HEAD's commit; the working tree sits on top of it.
fn head_commit(repo: &Repository) -> Result<Commit<'_>> {
    let head = repo.head().map_err(|e| {
        if e.code() == ErrorCode::UnbornBranch {
            Error::Git {
                message: "the repository has no commits yet, so there is nothing to compare with"
                    .into(),
                help: Some("commit first, or drop --base".into()),
            }
        } else {
            git_error("cannot read HEAD", e)
        }
    })?;
    head.peel_to_commit()
        .map_err(|e| git_error("HEAD does not point at a commit", e))
}

/// A revision that must exist, with an error naming the fix when it does not.
fn find_commit<'r>(repo: &'r Repository, spec: &str, flag: &str) -> Result<Commit<'r>> {
    let object = repo.revparse_single(spec).map_err(|_| {
        let help = if repo.is_shallow() {
            format!("this is a shallow clone: {FETCH_ALL}")
        } else {
            format!(
                "check the name (a remote branch is spelled `origin/{spec}`), or fetch it: `git fetch origin {spec}`"
            )
        };
        Error::Git {
            message: format!("{flag} `{spec}` does not name a commit in this repository"),
            help: Some(help),
        }
    })?;
    object.peel_to_commit().map_err(|_| Error::Git {
        message: format!("{flag} `{spec}` does not point at a commit"),
        help: Some("pass a branch, tag or commit".into()),
    })
}

/// The merge base of `base` and `head`; a shallow clone that lacks it is an error.
fn merge_base(repo: &Repository, base: &Commit<'_>, head: &Commit<'_>, label: &str) -> Result<Oid> {
    let found = merge_base_of(repo, base, head, label)?;
    // In a shallow clone the commit found may only be where the fetched history stops,
    // not where head left the base: the comparison would then cover too little.
    if found != base.id()
        && repo.is_shallow()
        && repo.find_commit(found).is_ok_and(|c| {
            written_parents(&c)
                .iter()
                .any(|p| repo.find_commit(*p).is_err())
        })
    {
        return Err(Error::Git {
            message: format!(
                "this shallow clone stops at {}, which may be after head branched off {label}",
                short(found)
            ),
            help: Some(FETCH_ALL.into()),
        });
    }
    Ok(found)
}

fn merge_base_of(
    repo: &Repository,
    base: &Commit<'_>,
    head: &Commit<'_>,
    label: &str,
) -> Result<Oid> {
    repo.merge_base(base.id(), head.id()).map_err(|e| {
        if repo.is_shallow() {
            Error::Git {
                message: format!(
                    "this is a shallow clone and it does not reach the commit where head branched off {label}"
                ),
                help: Some(FETCH_ALL.into()),
            }
        } else if e.code() == ErrorCode::NotFound {
            Error::Git {
                message: format!("head and {label} have no common history"),
                help: Some("pass the branch this change was made from as --base".into()),
            }
        } else {
            git_error(&format!("cannot find the merge base with {label}"), e)
        }
    })
}

pub(crate) fn short(oid: Oid) -> String {
    oid.to_string().chars().take(10).collect()
}
