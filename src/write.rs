//! Safe writes for every command that writes (`init`, `new`, `new --supersedes`, `index`).
//!
//! A file is either written whole or not at all: the text goes to a temporary file in the
//! target's own folder, is flushed to disk, and is then moved into place in one step.
//! New files are moved with a no-clobber primitive (`link`/`renameat2(RENAME_NOREPLACE)`
//! through `tempfile`'s `persist_noclobber`), so an existing file is never replaced, even by
//! a second `declint new` racing this one. Replacing a file in place (`--supersedes`,
//! `index`) is a rename over it, after checking it was not changed since it was read.
//!
//! Writes never follow a symlink at the target and never land outside the repository
//! root: the target's folder is canonicalised and must lie under the canonical root.

use crate::error::{Error, Result};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a no-clobber create did not happen.
#[derive(Debug)]
pub enum CreateError {
    /// Something already exists at the target path (a file, a folder, a symlink).
    Exists(PathBuf),
    /// Any other failure; nothing was left behind.
    Failed(Error),
}

impl From<CreateError> for Error {
    fn from(e: CreateError) -> Error {
        match e {
            CreateError::Exists(path) => Error::Write {
                message: "it already exists; declint never overwrites a file".into(),
                path,
                help: Some("choose another name, or move the existing file away first".into()),
            },
            CreateError::Failed(e) => e,
        }
    }
}

/// Where writes may go: inside one repository root.
#[derive(Debug, Clone)]
pub struct Writer {
    root: PathBuf,
}

impl Writer {
    /// A writer confined to `root` (canonicalised here).
    pub fn new(root: &Path) -> Result<Writer> {
        let root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
        Ok(Writer { root })
    }

    /// Create the folder `dir` (and missing parents) inside the root.
    pub fn create_dir_all(&self, dir: &Path) -> Result<()> {
        let mut existing = dir;
        while !existing.exists() {
            match existing.parent() {
                Some(parent) => existing = parent,
                None => break,
            }
        }
        self.check_inside(existing, dir)?;
        std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))
    }

    /// Create `path` with `contents`, atomically and only if nothing exists there.
    pub fn create_new(&self, path: &Path, contents: &str) -> std::result::Result<(), CreateError> {
        let dir = self.target_dir(path).map_err(CreateError::Failed)?;
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(CreateError::Exists(path.to_path_buf()));
        }
        let temp = self
            .temp_with(&dir, path, contents)
            .map_err(CreateError::Failed)?;
        match temp.persist_noclobber(path) {
            Ok(_) => {
                sync_dir(&dir);
                Ok(())
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(CreateError::Exists(path.to_path_buf()))
            }
            Err(e) => Err(CreateError::Failed(write_error(path, &e.error))),
        }
    }

    /// Replace the regular file `path` with `contents`, atomically, provided it still holds
    /// `expected` (what the caller read and edited). Its permissions are kept.
    pub fn replace(&self, path: &Path, expected: &str, contents: &str) -> Result<()> {
        let dir = self.target_dir(path)?;
        let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.file_type().is_symlink() {
            return Err(Error::Write {
                path: path.to_path_buf(),
                message: "it is a symlink; declint does not write through symlinks".into(),
                help: Some("edit the file the link points to by hand".into()),
            });
        }
        if !meta.is_file() {
            return Err(Error::Write {
                path: path.to_path_buf(),
                message: "it is not a regular file".into(),
                help: None,
            });
        }
        let temp = self.temp_with(&dir, path, contents)?;
        std::fs::set_permissions(temp.path(), meta.permissions())
            .map_err(|e| write_error(path, &e))?;
        let current = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        if current != expected {
            return Err(Error::Write {
                path: path.to_path_buf(),
                message: "it changed while declint was editing it".into(),
                help: Some("run the command again".into()),
            });
        }
        temp.persist(path)
            .map_err(|e| write_error(path, &e.error))?;
        sync_dir(&dir);
        Ok(())
    }

    /// Remove a file this run created (to undo a multi-file write that failed half-way).
    pub fn remove_created(&self, path: &Path) {
        // Best effort: the caller is already reporting the error that made it roll back.
        let _ = std::fs::remove_file(path);
    }

    /// The canonical folder of `path`, which must exist and lie inside the root.
    fn target_dir(&self, path: &Path) -> Result<PathBuf> {
        let parent = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.check_inside(parent, path)
    }

    fn check_inside(&self, dir: &Path, target: &Path) -> Result<PathBuf> {
        let canonical = std::fs::canonicalize(dir).map_err(|e| write_error(target, &e))?;
        if !canonical.is_dir() {
            return Err(Error::Write {
                path: target.to_path_buf(),
                message: format!("{} is not a folder", dir.display()),
                help: None,
            });
        }
        if !canonical.starts_with(&self.root) {
            return Err(Error::Write {
                path: target.to_path_buf(),
                message: format!(
                    "it lies outside the repository ({} resolves to {})",
                    dir.display(),
                    canonical.display()
                ),
                help: Some(
                    "declint only writes inside the repository; check for a symlinked folder"
                        .into(),
                ),
            });
        }
        Ok(canonical)
    }

    /// A flushed, synced temporary file in `dir` holding `contents`. Dropped (deleted)
    /// unless persisted, so a failure leaves nothing behind.
    fn temp_with(
        &self,
        dir: &Path,
        target: &Path,
        contents: &str,
    ) -> Result<tempfile::NamedTempFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".declint-").suffix(".tmp");
        // New files get the usual mode (0666 less the umask), not a temp file's 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut temp = builder
            .tempfile_in(dir)
            .map_err(|e| write_error(target, &e))?;
        temp.write_all(contents.as_bytes())
            .and_then(|()| temp.flush())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| write_error(target, &e))?;
        Ok(temp)
    }
}

/// An exclusive advisory lock on a folder, held while a `declint new` picks its id and
/// creates its file, so that two runs at the same moment take different ids. Released
/// on drop. Where folders cannot be locked, the no-clobber create still keeps files apart.
#[derive(Debug)]
pub struct FolderLock {
    _file: Option<File>,
}

impl FolderLock {
    pub fn acquire(dir: &Path) -> FolderLock {
        let file = File::open(dir).ok().filter(|f| f.lock().is_ok());
        FolderLock { _file: file }
    }
}

fn write_error(path: &Path, e: &std::io::Error) -> Error {
    let help = match e.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            Some("check the folder's permissions".to_string())
        }
        std::io::ErrorKind::NotFound => Some("check that the folder exists".to_string()),
        _ => None,
    };
    Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
        help,
    }
}

/// Make the new directory entry durable. Best effort: not every platform can open a
/// folder for syncing, and the data itself is already synced.
fn sync_dir(dir: &Path) {
    if let Ok(f) = File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("readable")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".declint-"))
            .collect()
    }

    #[test]
    fn create_new_never_clobbers() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let writer = Writer::new(tmp.path()).expect("root");
        let path = tmp.path().join("a.md");
        writer.create_new(&path, "one").expect("created");
        let again = writer.create_new(&path, "two");
        assert!(matches!(again, Err(CreateError::Exists(_))));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one");
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn create_new_refuses_a_dangling_symlink() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let writer = Writer::new(tmp.path()).expect("root");
        let outside = tempfile::tempdir().expect("tempdir");
        let link = tmp.path().join("a.md");
        std::os::unix::fs::symlink(outside.path().join("victim.md"), &link).expect("symlink");
        assert!(matches!(
            writer.create_new(&link, "x"),
            Err(CreateError::Exists(_))
        ));
        assert!(!outside.path().join("victim.md").exists());
    }

    #[test]
    fn writes_outside_the_root_are_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(outside.path(), tmp.path().join("escape")).expect("symlink");
        let writer = Writer::new(tmp.path()).expect("root");
        let result = writer.create_new(&tmp.path().join("escape/x.md"), "x");
        assert!(matches!(
            result,
            Err(CreateError::Failed(Error::Write { .. }))
        ));
        assert!(!outside.path().join("x.md").exists());
    }

    #[test]
    fn replace_keeps_permissions_and_refuses_symlinks_and_races() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let writer = Writer::new(tmp.path()).expect("root");
        let path = tmp.path().join("a.md");
        std::fs::write(&path, "old").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        writer.replace(&path, "old", "new").expect("replaced");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);

        assert!(writer.replace(&path, "stale", "newer").is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");

        let link = tmp.path().join("b.md");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        assert!(writer.replace(&link, "new", "x").is_err());
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        assert!(leftovers(tmp.path()).is_empty());
    }

    #[test]
    fn a_folder_that_is_a_file_fails_cleanly() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let writer = Writer::new(tmp.path()).expect("root");
        std::fs::write(tmp.path().join("decisions"), "not a folder").expect("write");
        let result = writer.create_new(&tmp.path().join("decisions/0001-x.md"), "x");
        assert!(matches!(result, Err(CreateError::Failed(_))));
    }
}
