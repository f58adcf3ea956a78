//! `declint check`: discover, parse each record once (in parallel), run the rules, sort.

use crate::config::Config;
use crate::discover::{self, Layout};
use crate::error::{Error, Result};
use crate::finding::{Finding, Totals, sort_findings};
use crate::record::Record;
use crate::rules::{self, Context};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What `check` needs to know besides the files.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Files or folders to check; empty means the configured decision folders.
    pub paths: Vec<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    pub today: NaiveDate,
    /// The working directory paths are relative to.
    pub cwd: PathBuf,
    /// `--base REF|auto`: compare with the merge base and run the change rules.
    pub base: Option<String>,
    /// `--head REF`: compare this commit instead of the working tree.
    pub head: Option<String>,
    /// `--history`: find when every record was first committed (DL305).
    pub history: bool,
    /// What `--base auto` reads from the environment.
    pub auto_env: crate::git::AutoEnv,
}

/// The outcome of a check, for the printers.
#[derive(Debug)]
pub struct Report {
    pub root: PathBuf,
    pub records: Vec<Record>,
    pub findings: Vec<Finding>,
    /// With `--base`: the decisions whose `affects` globs match files the change touches.
    pub governing: Vec<Governing>,
}

/// A decision that governs part of a change: its `affects` globs match changed files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Governing {
    pub path: String,
    pub id: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    /// The changed files its globs match, repository-relative.
    pub matched_files: Vec<String>,
}

impl Report {
    pub fn totals(&self) -> Totals {
        Totals::of(&self.findings, self.records.len())
    }
}

/// Freeing 10k parsed records one by one on the main thread is a serial tail of several
/// percent of the run; hand them to the thread pool instead.
impl Drop for Report {
    fn drop(&mut self) {
        std::mem::take(&mut self.records)
            .into_par_iter()
            .for_each(drop);
    }
}

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
}

/// Run the record and log rules over the given records.
pub fn check_records(
    records: Vec<Record>,
    config: &Config,
    today: NaiveDate,
    root: PathBuf,
) -> Report {
    let cx = Context {
        config,
        today,
        touched: None,
        change: None,
        logged: None,
    };
    let mut findings = rules::run(&records, &cx);
    sort_findings(&mut findings);
    Report {
        root,
        records,
        findings,
        governing: Vec::new(),
    }
}

/// The whole of `declint check`: discover, parse, check (with git facts when asked).
pub fn check(options: &CheckOptions) -> Result<Report> {
    let workspace = Workspace::open(&options.cwd, options.config.as_deref())?;
    if options.base.is_some() || options.head.is_some() || options.history {
        return crate::check_git::check_with_git(&workspace, options);
    }
    let records = workspace.load_records(&options.paths)?;
    Ok(check_records(
        records,
        &workspace.config,
        options.today,
        workspace.root.clone(),
    ))
}
