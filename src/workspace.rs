//! The repository a command works in: its root, the working directory, the config, and
//! the decision files under them (resolved once per run, shared by every command).

use crate::config::Config;
use crate::discover::{self, Candidate, Layout};
use crate::error::{Error, Result};
use crate::record::Record;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The repository, its config and where its files are, resolved once per run.
pub struct Workspace {
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub config: Config,
}

impl Workspace {
    pub fn open(cwd: &Path, config: Option<&Path>) -> Result<Workspace> {
        let cwd = std::fs::canonicalize(cwd).map_err(|e| Error::io(cwd, e))?;
        let root = discover::find_root(&cwd);
        let config = Config::discover(config.map(|c| cwd.join(c)).as_deref(), &cwd, &root)?;
        Ok(Workspace { root, cwd, config })
    }

    pub fn layout(&self) -> Layout<'_> {
        Layout {
            root: &self.root,
            cwd: &self.cwd,
            config: &self.config,
        }
    }

    /// Read and parse every decision file under `paths` (or the decision folders).
    pub fn load_records(&self, paths: &[PathBuf]) -> Result<Vec<Record>> {
        let layout = self.layout();
        let candidates = layout.candidates(paths)?;
        Ok(candidates.par_iter().map(|c| layout.load(c)).collect())
    }

    /// The files to check for `paths`: when some of them belong to the decision log
    /// (pre-commit passes only the files a commit touches), the whole log is checked too so
    /// that log-wide rules (duplicate ids, links, counts, bottleneck) see every record; the
    /// returned set then names the files to report on (decisions/0031).
    pub fn candidates_in_context(
        &self,
        paths: &[PathBuf],
    ) -> Result<(Vec<Candidate>, Option<HashSet<String>>)> {
        let layout = self.layout();
        let given = layout.candidates(paths)?;
        if paths.is_empty() || self.names_the_log(paths) {
            return Ok((given, None));
        }
        // No decision folder (files checked outside any log): the given files are all.
        let log = layout.candidates(&[]).unwrap_or_default();
        let in_log: HashSet<&str> = log.iter().map(|c| c.display.as_str()).collect();
        if !given.iter().any(|c| in_log.contains(c.display.as_str())) {
            return Ok((given, None));
        }
        let report_on: HashSet<String> = given.iter().map(|c| c.display.clone()).collect();
        let mut all = log;
        all.extend(given);
        all.sort_by(|a, b| a.display.cmp(&b.display));
        all.dedup_by(|a, b| a.display == b.display);
        Ok((all, Some(report_on)))
    }

    /// The files to report on when the log itself is read from git (`check --staged`):
    /// `paths` as the working-tree check would name them, or `None` (the whole log) when no
    /// path is given or the paths are the decision folders.
    pub fn files_to_report_on(&self, paths: &[PathBuf]) -> Result<Option<HashSet<String>>> {
        if paths.is_empty() || self.names_the_log(paths) {
            return Ok(None);
        }
        let given = self.layout().candidates(paths)?;
        Ok(Some(given.into_iter().map(|c| c.display).collect()))
    }

    /// Whether `paths` are exactly the decision folders (`declint check decisions/`), so
    /// the log need not be walked a second time.
    fn names_the_log(&self, paths: &[PathBuf]) -> bool {
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        let Ok(folders) = self.layout().decision_folders() else {
            return false;
        };
        let folders: HashSet<PathBuf> = folders.iter().filter_map(|f| canonical(f)).collect();
        let given: HashSet<PathBuf> = paths
            .iter()
            .filter_map(|p| canonical(&self.cwd.join(p)))
            .collect();
        !folders.is_empty() && given == folders
    }
}
