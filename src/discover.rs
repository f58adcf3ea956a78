//! Finding the repository, the decision folders and the decision files, and reading each
//! file once — safely: symlinks leading outside the repository are reported, never
//! followed; FIFOs and devices are never opened; oversized files are never read whole.

use crate::config::{Config, DEFAULT_FOLDERS};
use crate::error::{Error, Result};
use crate::record::{LoadProblem, Record};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::slice::ParallelSliceMut;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// File names inside a decision folder that are index pages, not decisions — except a
/// README/index that is the page of a record kept as its own folder ([`is_index_page`]).
pub const NOT_DECISIONS: &[&str] = &["readme.md", "index.md", "template.md"];

/// The repository root: the nearest folder at or above `start` holding `.git`; `start`
/// itself when there is none (declint also works outside git).
pub fn find_root(start: &Path) -> PathBuf {
    let mut dir = Some(start);
    while let Some(current) = dir {
        if current.join(".git").exists() {
            return current.to_path_buf();
        }
        dir = current.parent();
    }
    start.to_path_buf()
}

/// A decision file to read: where it is, and how to name it in findings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub path: PathBuf,
    /// Relative to the repository root, `/`-separated.
    pub display: String,
    /// Whether the path itself is a symlink, as the walk saw it (from the directory entry,
    /// without a `stat`): only symlinks need resolving before they are opened.
    pub symlink: bool,
}

impl Candidate {
    /// A file named from elsewhere than the walk (a changed path from git): its type is
    /// looked up here, so that only a symlink gets resolved.
    pub fn at(path: PathBuf, display: String) -> Candidate {
        let symlink = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        Candidate {
            path,
            display,
            symlink,
        }
    }
}

/// Where decision files are looked for.
pub struct Layout<'a> {
    /// Canonical repository root.
    pub root: &'a Path,
    pub cwd: &'a Path,
    pub config: &'a Config,
}

impl Layout<'_> {
    /// The decision folders from the config, or the first default folder that exists.
    pub fn decision_folders(&self) -> Result<Vec<PathBuf>> {
        if !self.config.paths.is_empty() {
            let base = self.config_base();
            // A config inside the repository comes with the repository (and with a pull
            // request): its paths may not reach out of it.
            let confined = is_inside(&base, self.root);
            let mut folders = Vec::with_capacity(self.config.paths.len());
            for path in &self.config.paths {
                let matched = if is_glob(path) {
                    folders_matching(&base, path)?
                } else {
                    vec![base.join(path)]
                };
                for folder in matched {
                    if confined && !is_inside(&folder, self.root) {
                        return Err(Error::usage(
                            format!(
                                "`paths` entry `{path}` lies outside the repository or in `.git`"
                            ),
                            Some("decision folders in .declint.yml must be inside the repository"),
                        ));
                    }
                    if !folders.contains(&folder) {
                        folders.push(folder);
                    }
                }
            }
            return Ok(folders);
        }
        // The first default folder that exists, judged through every component: with no
        // `decisions/`, a pull request's `docs -> ../outside` must not make `docs/adr` a
        // decision folder.
        let found = DEFAULT_FOLDERS
            .iter()
            .map(|f| self.root.join(f))
            .find(|p| p.is_dir());
        if let Some(folder) = &found
            && !is_inside(folder, self.root)
        {
            return Err(Error::usage(
                format!(
                    "decision folder `{}` lies outside the repository (through a symlink) or in `.git`",
                    self.display(folder)
                ),
                Some("decision folders must be inside the repository; set `paths` in .declint.yml"),
            ));
        }
        found
            .map(|p| vec![p])
            .ok_or_else(|| {
                Error::usage(
                    format!(
                        "no decision folder found in {} (looked for {})",
                        self.root.display(),
                        DEFAULT_FOLDERS.join(", ")
                    ),
                    Some("create `decisions/` (or run `declint init`), set `paths` in .declint.yml, or pass the folder"),
                )
            })
    }

    /// Config paths are relative to the folder holding the config file.
    fn config_base(&self) -> PathBuf {
        self.config
            .file
            .as_ref()
            .and_then(|f| f.parent())
            .map_or_else(|| self.root.to_path_buf(), Path::to_path_buf)
    }

    /// The decision files under `paths` (files or folders, relative to the working
    /// directory), or under the decision folders when `paths` is empty. Sorted, no repeats.
    pub fn candidates(&self, paths: &[PathBuf]) -> Result<Vec<Candidate>> {
        let exclude = self.exclude_set()?;
        let roots = if paths.is_empty() {
            self.decision_folders()?
        } else {
            paths.iter().map(|p| self.cwd.join(p)).collect()
        };
        let mut out = Vec::new();
        let one_root = roots.len() == 1;
        for root in roots {
            let meta = std::fs::symlink_metadata(&root).map_err(|_| Error::PathNotFound {
                // Repository-relative, as the user is likely to have typed it.
                path: PathBuf::from(self.display(&root)),
            })?;
            if meta.is_dir() {
                self.walk(&root, &exclude, &mut out)?;
                if one_root {
                    return Ok(sort_walked(out));
                }
            } else {
                let display = self.display(&root);
                if !is_excluded(&display, &exclude) {
                    out.push(Candidate {
                        path: root,
                        display,
                        // Anything but a regular file (a symlink, a FIFO named on the
                        // command line) is resolved and checked before it is opened.
                        symlink: !meta.is_file(),
                    });
                }
            }
        }
        Ok(sorted(out))
    }

    /// The config's `exclude` globs, compiled.
    pub fn exclude_set(&self) -> Result<GlobSet> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &self.config.exclude {
            let glob = Glob::new(pattern).map_err(|e| {
                Error::usage(format!("invalid exclude glob `{pattern}`: {e}"), None)
            })?;
            builder.add(glob);
        }
        builder
            .build()
            .map_err(|e| Error::usage(format!("invalid exclude globs: {e}"), None))
    }

    fn walk(&self, dir: &Path, exclude: &GlobSet, out: &mut Vec<Candidate>) -> Result<()> {
        // Ignore files are not honoured: a pull request could add `decisions/.gitignore`
        // with `*.md` and have nothing checked. What is left out is the config's `exclude`
        // (decisions/0063).
        let walker = ignore::WalkBuilder::new(dir)
            .follow_links(false)
            .standard_filters(false)
            .hidden(true)
            .build();
        // The root's and the folder's text, once per walk rather than once per file.
        let root_text = self.root.to_str();
        let dir_text = dir.to_str();
        for entry in walker {
            let entry = entry
                .map_err(|e| Error::usage(format!("cannot walk {}: {e}", dir.display()), None))?;
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            // Regular files and symlinks only: FIFOs, sockets and devices are never opened.
            // (Hidden folders are not even entered: the walk skips them.)
            if !has_md_extension(entry.path()) || !(file_type.is_file() || file_type.is_symlink()) {
                continue;
            }
            // The path's text is worked out once here, for both of its forms.
            let path_text = entry.path().to_str();
            let display = self.display_of(entry.path(), path_text, root_text);
            let below = below_folder(entry.path(), path_text, dir, dir_text)
                .unwrap_or_else(|| display.clone().into());
            if !is_decision_file(&below, &display, exclude) {
                continue;
            }
            out.push(Candidate {
                display,
                symlink: file_type.is_symlink(),
                path: entry.into_path(),
            });
        }
        Ok(())
    }

    /// Repository-relative, `/`-separated; the path as given when it lies elsewhere.
    pub fn display(&self, path: &Path) -> String {
        self.display_of(path, path.to_str(), self.root.to_str())
    }

    /// [`Layout::display`], given the text of `path` and of the root (`to_str` of each),
    /// which the walk works out once rather than once per use.
    fn display_of(&self, path: &Path, path_text: Option<&str>, root_text: Option<&str>) -> String {
        // The common case, once per file of the walk: the root's text, a `/`, and a plain
        // relative path needs no component-by-component work at all.
        if let Some(text) = path_text
            .zip(root_text)
            .and_then(|(path, root)| path.strip_prefix(root)?.strip_prefix('/'))
            && is_plain_relative(text)
        {
            return text.to_string();
        }
        let rel = path.strip_prefix(self.root).unwrap_or(path);
        if let Some(text) = rel.to_str()
            && rel.is_relative()
            && is_plain_relative(text)
        {
            return text.to_string();
        }
        // The root of an absolute path outside the repository becomes the empty first
        // part, so `/tmp/x.md` joins back to `/tmp/x.md` (not `//tmp/x.md`).
        let parts: Vec<String> = rel
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| match c {
                std::path::Component::RootDir => String::new(),
                other => crate::display_path::from_os(other.as_os_str()).into_owned(),
            })
            .collect();
        match parts.as_slice() {
            [only] if only.is_empty() => "/".to_string(),
            _ => parts.join("/"),
        }
    }

    /// Read and parse one candidate. Never fails: problems become a DL005 record.
    pub fn load(&self, candidate: &Candidate) -> Record {
        let display = candidate.display.clone();
        // A regular file is opened as it is; a symlink is resolved and checked first. This
        // saves one `lstat` per file, which on a 10k-file log is a few percent of the run.
        let resolved;
        let path = if candidate.symlink {
            resolved = match resolve(&candidate.path, self.root) {
                Ok(path) => path,
                Err(problem) => return Record::unloaded(display, problem, String::new()),
            };
            &resolved
        } else {
            &candidate.path
        };
        match read_limited(path, self.config.max_file_bytes) {
            Ok(bytes) => Record::from_bytes(display, bytes, self.config),
            Err(problem) => Record::unloaded(display, problem, String::new()),
        }
    }
}

/// `path` relative to the folder `dir` it was walked from, as text. The walk joins names
/// onto `dir`, so `dir`'s text and a `/` begin every path it yields: stripping them is
/// what `Path::strip_prefix` gives, without its component-by-component comparison (about
/// 2,000 instructions a file, a third of the walk). Any other shape goes the general way.
/// `path_text` and `dir_text` are `to_str` of `path` and `dir`, worked out by the caller.
fn below_folder<'p>(
    path: &'p Path,
    path_text: Option<&'p str>,
    dir: &Path,
    dir_text: Option<&str>,
) -> Option<std::borrow::Cow<'p, str>> {
    if let Some((path_text, dir_text)) = path_text.zip(dir_text)
        && let Some(rest) = path_text.strip_prefix(dir_text)
        && let Some(rest) = rest.strip_prefix('/')
        && !dir_text.ends_with('/')
        && !rest.starts_with('/')
    {
        return Some(std::borrow::Cow::Borrowed(rest));
    }
    path.strip_prefix(dir).ok().map(Path::to_string_lossy)
}

/// Whether a `paths` entry is a glob (`teams/*/adr`) rather than one folder.
fn is_glob(path: &str) -> bool {
    path.contains(['*', '?', '[', '{'])
}

/// The folders under `base` that a `paths` glob matches, in path order. `*` and `?` stay
/// within one path component, `**` crosses them; the walk starts at the glob's literal
/// prefix, follows no symlink and skips hidden folders (`.git` among them). A glob that
/// matches no folder is an error, as a missing folder is.
fn folders_matching(base: &Path, pattern: &str) -> Result<Vec<PathBuf>> {
    let invalid =
        |e: globset::Error| Error::usage(format!("invalid `paths` glob `{pattern}`: {e}"), None);
    let matcher = globset::GlobBuilder::new(pattern.trim_end_matches('/'))
        .literal_separator(true)
        .build()
        .map_err(invalid)?
        .compile_matcher();
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let literal: Vec<&str> = parts.iter().take_while(|p| !is_glob(p)).copied().collect();
    let start = literal
        .iter()
        .fold(base.to_path_buf(), |dir, part| dir.join(part));
    let depth = (!pattern.contains("**")).then(|| parts.len() - literal.len());
    let mut walker = ignore::WalkBuilder::new(&start);
    walker
        .follow_links(false)
        .standard_filters(false)
        .hidden(true)
        .max_depth(depth);
    let mut found: Vec<PathBuf> = walker
        .build()
        .filter_map(std::result::Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_dir()))
        .filter(|entry| {
            entry
                .path()
                .strip_prefix(base)
                .is_ok_and(|relative| matcher.is_match(relative))
        })
        .map(ignore::DirEntry::into_path)
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(Error::usage(
            format!("`paths` glob `{pattern}` matches no folder"),
            Some("check the glob; `*` matches within one folder name, `**` across folders"),
        ));
    }
    Ok(found)
}

/// Whether `text` is a relative path already in the form [`Layout::display`] gives: `/`
/// between components, no `.` components, no doubled or trailing separators.
///
/// That is: no escape, and (unless it is empty) every `/`-separated component is neither
/// empty (a leading, doubled or trailing `/`) nor `.`. One pass over the components: the
/// walk asks this of every file, and four substring searches cost more than the rest of
/// the path's handling.
fn is_plain_relative(text: &str) -> bool {
    std::path::MAIN_SEPARATOR == '/'
        && crate::display_path::is_literal(text)
        && (text.is_empty() || text.split('/').all(|part| !part.is_empty() && part != "."))
}

/// Whether a walked path names a `.md` file (any case). The same as asking
/// `Path::extension`, for the names a walk that skips hidden files yields, without
/// splitting the path into components.
fn has_md_extension(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    bytes
        .len()
        .checked_sub(3)
        .and_then(|start| bytes.get(start..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(b".md"))
        && !bytes.ends_with(b"/.md")
        && bytes.len() > 3
}

/// One folder's walk in `Path` order (it holds no repeats). Every path starts with the same
/// folder and the walk joins names with single `/`, so comparing the bytes with `/`
/// ordered before every other byte (no file name holds a NUL) is comparing component by
/// component, without splitting every path on every comparison.
#[cfg(unix)]
fn sort_walked(mut walked: Vec<Candidate>) -> Vec<Candidate> {
    walked.par_sort_by_cached_key(|c| {
        let bytes = c.path.as_os_str().as_encoded_bytes();
        bytes
            .iter()
            .map(|&b| if b == b'/' { 0 } else { b })
            .collect::<Vec<u8>>()
    });
    walked
}

#[cfg(not(unix))]
fn sort_walked(walked: Vec<Candidate>) -> Vec<Candidate> {
    sorted(walked)
}

/// `candidates` in their `Ord` order, without repeats.
///
/// `Path`'s ordering splits both paths into components on every comparison, which made
/// sorting 10k candidates cost more than walking the folder. Each path is split once
/// here; comparing the component lists is `Path`'s own ordering, so the result is
/// exactly what `sort` + `dedup` on the candidates gives.
fn sorted(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut keyed: Vec<(Vec<Component<'_>>, &Candidate)> = candidates
        .iter()
        .map(|c| (c.path.components().collect(), c))
        .collect();
    keyed.par_sort_by(|(a_key, a), (b_key, b)| {
        a_key
            .cmp(b_key)
            .then_with(|| a.display.cmp(&b.display))
            .then_with(|| a.symlink.cmp(&b.symlink))
    });
    let mut out: Vec<Candidate> = Vec::with_capacity(keyed.len());
    for (_, candidate) in keyed {
        if out.last() != Some(candidate) {
            out.push(candidate.clone());
        }
    }
    out
}

/// What a decision file is, for the walk of the working tree and for git alike: a `.md`
/// file (any case) at `below_folder` inside a decision folder, with no hidden part in that
/// path (`.drafts/x.md`, `.x.md`), that is not an index page ([`is_index_page`]: the
/// folder's own README is one; `0007-use-x/README.md` is a record) and not excluded by
/// the config (`display` is its repository-relative path, which `exclude` matches).
pub fn is_decision_file(below_folder: &str, display: &str, exclude: &GlobSet) -> bool {
    has_md_extension(Path::new(below_folder))
        && !below_folder.split('/').any(|part| part.starts_with('.'))
        && !is_index_page(below_folder)
        && !is_excluded_by_config(display, exclude)
}

/// Whether a repository-relative path is a decision file of the log in `folders`
/// (repository-relative; an empty one is the repository root): see [`is_decision_file`].
pub fn is_decision_path(path: &str, folders: &[String], exclude: &GlobSet) -> bool {
    folders.iter().any(|folder| {
        let folder = folder.trim_end_matches('/');
        let below = if folder.is_empty() || folder == "." {
            Some(path)
        } else {
            path.strip_prefix(folder)
                .and_then(|rest| rest.strip_prefix('/'))
        };
        below.is_some_and(|below| is_decision_file(below, path, exclude))
    })
}

/// Whether a file named on the command line (`display`, repository-relative) is left
/// out: an index page, or excluded by config.
pub fn is_excluded(display: &str, exclude: &GlobSet) -> bool {
    is_index_page(display) || is_excluded_by_config(display, exclude)
}

/// Whether the file at `path` (below a decision folder, or repository-relative) is an
/// index page: a README/index/template — unless it is the README or index of a folder
/// named as a record is (`2024-03-04-use-x/README.md`, `0007-use-x/README.md`: the
/// folder-per-record layout, SPEC §10). A decision folder's own top-level README has no
/// folder above it in `path`, and stays an index.
pub fn is_index_page(path: &str) -> bool {
    // The file name is the text after the last `/`: one of the index names at the end of
    // `path`, at its start or after a `/`. Looking for those few tails, rather than
    // splitting every walked path from the end, keeps the common answer (no) cheap.
    let Some((start, name)) = NOT_DECISIONS.iter().find_map(|not| {
        let start = path.len().checked_sub(not.len())?;
        let name = path.get(start..)?;
        let whole = start == 0 || path.as_bytes().get(start - 1) == Some(&b'/');
        (whole && name.eq_ignore_ascii_case(not)).then_some((start, name))
    }) else {
        return false;
    };
    // The folder above the file, when `path` names one.
    let folder = start
        .checked_sub(1)
        .and_then(|end| path.get(..end))
        .and_then(|above| above.rsplit('/').next());
    let record_page = !name.eq_ignore_ascii_case("template.md")
        && folder.is_some_and(crate::record::is_record_folder);
    !record_page
}

fn is_excluded_by_config(display: &str, exclude: &GlobSet) -> bool {
    !exclude.is_empty() && exclude.is_match(display)
}

/// Follow a symlink only when its target is a regular file inside the repository.
fn resolve(path: &Path, root: &Path) -> std::result::Result<PathBuf, LoadProblem> {
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| LoadProblem::Unreadable(e.to_string()))?;
    if !meta.file_type().is_symlink() {
        if !meta.is_file() {
            return Err(LoadProblem::Unreadable(NOT_REGULAR.into()));
        }
        return Ok(path.to_path_buf());
    }
    let target = match std::fs::canonicalize(path) {
        Ok(target) => target,
        Err(e) if ELOOP.is_some() && e.raw_os_error() == ELOOP => {
            return Err(LoadProblem::SymlinkLoop);
        }
        Err(e) => return Err(LoadProblem::Unreadable(format!("broken symlink: {e}"))),
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !is_repository_content(&target, &root) {
        let shown = std::fs::read_link(path).unwrap_or(target);
        return Err(LoadProblem::SymlinkOutside {
            target: shown.display().to_string(),
        });
    }
    let meta = std::fs::metadata(&target).map_err(|e| LoadProblem::Unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(LoadProblem::Unreadable(format!(
            "symlink to a {NOT_REGULAR}"
        )));
    }
    Ok(target)
}

/// The errno of "too many levels of symbolic links": 40 on Linux, 62 on macOS and the
/// BSDs (not in `std::io::ErrorKind` on stable Rust).
const ELOOP: Option<i32> = if cfg!(any(target_os = "linux", target_os = "android")) {
    Some(40)
} else if cfg!(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)) {
    Some(62)
} else {
    None
};

/// Why a FIFO, socket or device is never opened: opening a FIFO blocks until a writer
/// comes, and a device can be endless.
const NOT_REGULAR: &str = "not a regular file (a FIFO, socket or device); it was not opened";

/// Read a file that a checked-out repository supplies to declint itself (a discovered
/// config, a roster file): it must resolve, through any symlinks and `..`, to a regular
/// file inside `root`, and be at most `limit` bytes. Used for files whose text could end
/// up in declint's output, so a pull request cannot make declint print a file of the
/// machine it runs on.
pub fn read_inside(path: &Path, root: &Path, limit: u64) -> Result<String> {
    let refuse = |why: String| {
        Error::usage(
            format!("refusing to read {}: {why}", path.display()),
            Some(
                "files declint reads for its own configuration must be regular files inside the repository",
            ),
        )
    };
    // A missing file, one outside the repository or in `.git`, and anything but a regular
    // file get the same answer, so that a pull request's config cannot probe which files
    // exist on the machine it runs on.
    let not_here = || refuse("no such regular file inside the repository".into());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let target = std::fs::canonicalize(path).map_err(|_| not_here())?;
    if !is_repository_content(&target, &root)
        || !std::fs::metadata(&target).is_ok_and(|m| m.is_file())
    {
        return Err(not_here());
    }
    read_text_limited(&target, limit).map_err(|problem| refuse(problem_text(problem)))
}

/// Read a file named by the user (an explicit `--config`), at most `limit` bytes of text.
pub fn read_file_limited(path: &Path, limit: u64) -> Result<String> {
    read_text_limited(path, limit).map_err(|problem| {
        Error::usage(
            format!("cannot read {}: {}", path.display(), problem_text(problem)),
            None,
        )
    })
}

/// Why a file declint reads for itself was not read, in a few words.
fn problem_text(problem: LoadProblem) -> String {
    match problem {
        LoadProblem::TooLarge { size, limit } => {
            format!("it is {size} bytes, over the limit of {limit}")
        }
        LoadProblem::NotUtf8 { offset } => format!("not UTF-8 (byte {offset})"),
        LoadProblem::Binary { offset } => format!("a NUL byte at {offset}"),
        LoadProblem::Unreadable(why) => why,
        LoadProblem::SymlinkOutside { .. } | LoadProblem::SymlinkLoop => {
            "a symlink that cannot be followed".into()
        }
    }
}

/// Whether `path`, resolved through symlinks and `..` in every component, lies inside
/// `root` and outside its `.git`. A path that does not exist yet is judged by its nearest
/// existing ancestor.
pub fn is_inside(path: &Path, root: &Path) -> bool {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut probe = Some(path);
    while let Some(current) = probe {
        if let Ok(resolved) = std::fs::canonicalize(current) {
            return is_repository_content(&resolved, &root);
        }
        probe = current.parent();
    }
    false
}

/// Whether a canonical `path` is part of the repository's files: under the canonical
/// `root` and not in its `.git` (git's own data is never read as a record, a config or a
/// roster).
fn is_repository_content(path: &Path, root: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|inside| {
        !inside
            .components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
    })
}

/// A file declint reads for itself (config, roster), as text: see [`read_limited`] and
/// [`crate::record::decode`].
fn read_text_limited(path: &Path, limit: u64) -> std::result::Result<String, LoadProblem> {
    read_limited(path, limit)
        .and_then(|bytes| crate::record::decode(bytes).map_err(|(problem, _)| problem))
}

/// Read at most `limit` bytes; refuse larger files (by their size, without reading them
/// whole). The bytes are copied out at their exact size, since they are kept for the whole
/// run (the buffer itself is reused for the thread's next file).
fn read_limited(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, LoadProblem> {
    let mut file = std::fs::File::open(path).map_err(|e| LoadProblem::Unreadable(e.to_string()))?;
    READ_BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        // No `fstat` up front (one syscall per file saved): read at most `limit + 1` bytes
        // and ask for the size only when it is too large.
        let read = (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(buffer)
            .map_err(|e| LoadProblem::Unreadable(e.to_string()));
        let bytes = read.and_then(|_| {
            if buffer.len() as u64 > limit {
                let size = file
                    .metadata()
                    .map_or(buffer.len() as u64, |m| m.len().max(buffer.len() as u64));
                return Err(LoadProblem::TooLarge { size, limit });
            }
            Ok(buffer.to_vec())
        });
        // A rare large file is not worth keeping a large buffer per thread for.
        if buffer.capacity() > MAX_KEPT_BUFFER {
            *buffer = Vec::with_capacity(READ_CAPACITY);
        }
        bytes
    })
}

/// The read buffer each thread starts with: a typical record is 1–4 KiB, so most files are
/// read into it without growing.
const READ_CAPACITY: usize = 8 * 1024;
/// A read buffer that grew past this for a large file is replaced by a fresh one.
const MAX_KEPT_BUFFER: usize = 256 * 1024;

thread_local! {
    /// Each thread reads its files into one buffer, reused from file to file: a fresh,
    /// oversized buffer per file would be shrunk (moved, with most allocators) afterwards.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(Vec::with_capacity(READ_CAPACITY));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass component check agrees with the form it replaced (no leading `/` or
    /// `./`, no `/./` or `//`, no trailing `/` or `/.`, not `.`) on the shapes that tell
    /// them apart.
    /// The tail-first index-page test agrees with the split-based form it replaced.
    #[test]
    fn index_pages_are_the_split_definition() {
        let index_by_split = |path: &str| {
            let mut parts = path.rsplit('/');
            let name = parts.next().unwrap_or(path);
            if !NOT_DECISIONS
                .iter()
                .any(|not| not.eq_ignore_ascii_case(name))
            {
                return false;
            }
            let record_page = !name.eq_ignore_ascii_case("template.md")
                && parts.next().is_some_and(crate::record::is_record_folder);
            !record_page
        };
        let cases = [
            "",
            "/",
            "README.md",
            "readme.MD",
            "xREADME.md",
            "a/README.md",
            "a/xreadme.md",
            "/README.md",
            "//README.md",
            "0007-use-x/README.md",
            "a/0007-use-x/index.md",
            "0007-use-x/template.md",
            "2024-03-04-use-x/Readme.md",
            "a//README.md",
            "0007-use-x//README.md",
            "index.md",
            "template.md",
            "templates.md",
            "é/README.md",
            "0001-a.md",
            ".md",
            "a/.hidden/README.md",
            "ÉREADME.md",
        ];
        for path in cases {
            assert_eq!(is_index_page(path), index_by_split(path), "{path:?}");
        }
    }

    #[test]
    fn plain_relative_is_the_substring_definition() {
        let by_substrings = |text: &str| {
            !text.contains('\\')
                && !text.starts_with('/')
                && !text.starts_with("./")
                && !text.contains("/./")
                && !text.contains("//")
                && !text.ends_with('/')
                && !text.ends_with("/.")
                && text != "."
        };
        let cases = [
            "", ".", "..", "a", "a.md", ".a", "a.", "a/b", "a/b.md", "/a", "./a", "a/./b", "a//b",
            "a/", "a/.", "a/..", "../a", "a/../b", "a/.b/c", "a/b./c", "/", "//", "./", "a\\b",
            "a/\\x41", "...", "a/.../b",
        ];
        for text in cases {
            assert_eq!(is_plain_relative(text), by_substrings(text), "{text:?}");
        }
    }

    fn display_in(root: &str, path: &str) -> String {
        let config = Config::default();
        let layout = Layout {
            root: Path::new(root),
            cwd: Path::new(root),
            config: &config,
        };
        layout.display(Path::new(path))
    }

    #[test]
    fn below_folder_is_what_strip_prefix_gives() {
        let cases = [
            ("/r/decisions/0001-a.md", "/r/decisions"),
            ("/r/decisions/sub/0001-a.md", "/r/decisions"),
            ("/r/decisions/0001-a.md", "/r/decisions/"),
            ("/r/./decisions/x.md", "/r/./decisions"),
            ("/r/decisions2/x.md", "/r/decisions"),
            ("decisions/x.md", "decisions"),
            ("/x.md", "/"),
        ];
        for (path, dir) in cases {
            let general = Path::new(path)
                .strip_prefix(dir)
                .ok()
                .map(Path::to_string_lossy);
            assert_eq!(
                below_folder(Path::new(path), Some(path), Path::new(dir), Some(dir)),
                general,
                "{path} in {dir}"
            );
        }
    }

    #[test]
    fn display_is_repository_relative_inside_the_root() {
        assert_eq!(
            display_in("/repo", "/repo/decisions/0001-a.md"),
            "decisions/0001-a.md"
        );
        assert_eq!(
            display_in("/repo", "/repo/./decisions/./0001-a.md"),
            "decisions/0001-a.md"
        );
        assert_eq!(
            display_in("/repo", "/repo/decisions//0001-a.md"),
            "decisions/0001-a.md"
        );
        assert_eq!(display_in("/repo", "/repo"), "");
        assert_eq!(display_in("/repo", "/repository/x.md"), "/repository/x.md");
    }

    #[test]
    fn sorted_is_sort_and_dedup_under_path_order() {
        let candidate = |path: &str, symlink: bool| Candidate {
            path: PathBuf::from(path),
            display: path.trim_start_matches("/r/").to_string(),
            symlink,
        };
        let given = vec![
            candidate("/r/d/a-b.md", false),
            candidate("/r/d/a/b.md", false),
            candidate("/r/d/a.md", true),
            candidate("/r/d/a.md", false),
            candidate("/r/d/./a.md", false),
            candidate("/r/d//a.md", false),
            candidate("/r/d/a/b.md", false),
            candidate("/r/d/A.md", false),
            candidate("/r/d/ab.md", false),
            candidate("/r/d/a", false),
        ];
        let mut expected = given.clone();
        expected.sort();
        expected.dedup();
        assert_eq!(sorted(given), expected);
    }

    #[test]
    fn a_walked_folder_sorts_as_paths_do() {
        let names = [
            "a-b.md",
            "a/b.md",
            "a.md",
            "A.md",
            "ab.md",
            "a/b/c.md",
            "a/b-c.md",
            "a/b/c/d.md",
            "b.md",
            "a b.md",
            "a~.md",
            "\u{e9}.md",
            "z/a.md",
            "a0.md",
        ];
        let walked: Vec<Candidate> = names
            .iter()
            .map(|n| Candidate {
                path: PathBuf::from(format!("/r/./d/{n}")),
                display: format!("d/{n}"),
                symlink: false,
            })
            .collect();
        assert_eq!(sort_walked(walked.clone()), sorted(walked));
    }

    #[test]
    fn md_extension_is_read_as_path_extension_reads_it() {
        for path in [
            "/d/a.md",
            "/d/a.MD",
            "/d/a.Md",
            "/d/a.mdx",
            "/d/amd",
            "/d/a.md.bak",
            "/d/..md",
            "/d/a..md",
            "/d/md",
            "/d/a.m",
            "/d/a/b.md",
            "md",
            "a.md",
        ] {
            let by_components = Path::new(path)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"));
            assert_eq!(has_md_extension(Path::new(path)), by_components, "{path}");
        }
    }

    #[test]
    fn a_record_folders_readme_is_a_decision_and_the_index_is_not() {
        let none = GlobSet::empty();
        let folders = ["decisions".to_string()];
        let is = |path: &str| is_decision_path(path, &folders, &none);
        assert!(is("decisions/0007-use-x/README.md"));
        assert!(is("decisions/2024-03-04-use-x/readme.md"));
        assert!(is("decisions/sub/adr-007-use-x/index.md"));
        assert!(!is("decisions/README.md"));
        assert!(!is("decisions/2024/README.md"));
        assert!(!is("decisions/0007-use-x/template.md"));
        // The decision folder's own README is an index even when the folder is named
        // like a record.
        let dated = ["docs/2024-03-04-adr".to_string()];
        assert!(!is_decision_path(
            "docs/2024-03-04-adr/README.md",
            &dated,
            &none
        ));
        // A README named on the command line is judged by its path alone.
        assert!(is_excluded("decisions/README.md", &none));
        assert!(!is_excluded("decisions/0007-use-x/README.md", &none));
    }

    #[test]
    fn display_keeps_a_path_outside_the_root_as_given() {
        assert_eq!(
            display_in("/repo", "/tmp/elsewhere/0001-a.md"),
            "/tmp/elsewhere/0001-a.md"
        );
        assert_eq!(display_in("/repo", "/tmp/./x.md"), "/tmp/x.md");
        assert_eq!(display_in("/repo", "/"), "/");
    }
}
