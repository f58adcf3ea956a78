//! `declint check`: discover, parse each record once (in parallel), run the rules, sort.

use crate::config::Config;
use crate::discover::{self, Candidate, Layout};
use crate::error::{Error, Result};
use crate::finding::{Finding, Totals, sort_findings};
use crate::record::Record;
use crate::rules::{Context, EnabledRules};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::HashSet;
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
    /// With `--base`: what the change was compared with, and the files it touched.
    pub compared: Option<Compared>,
}

/// The base a `--base` run compared with: every such run says which one it used (a base
/// found by `auto` is otherwise invisible), and the printers put the change's own
/// findings before those on files it did not touch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared {
    /// How the base was found: "merge base with origin/main (abc1234567)".
    pub description: String,
    /// The merge base's full commit id.
    pub merge_base: String,
    /// The decision files the change added, edited, renamed or deleted.
    pub touched: HashSet<String>,
}

impl Compared {
    /// The one line that says which base was used.
    pub fn line(&self) -> String {
        format!("compared with the {}", self.description)
    }
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

    /// The paths of the files this report read on head. A finding on any other path is
    /// about a file that no longer exists there (a deleted decision, DL505): printers
    /// must not link to it as if it did.
    pub fn paths_on_head(&self) -> HashSet<&str> {
        self.records.iter().map(|r| r.path.as_str()).collect()
    }

    /// Keep only the findings and records of `paths` (after the whole log was checked).
    pub fn retain_paths(&mut self, paths: &HashSet<String>) {
        self.findings.retain(|f| paths.contains(&f.path));
        self.records.retain(|r| paths.contains(&r.path));
    }
}

/// Freeing 10k parsed records is a tail of several percent of a run, after the output is
/// written. They are freed on a thread of their own: the command line exits without waiting
/// for it (the system takes the memory back at once), a library caller still gets its
/// memory back. If no thread can be started, they are freed here.
impl Drop for Report {
    fn drop(&mut self) {
        let records = std::mem::take(&mut self.records);
        if records.is_empty() {
            return;
        }
        let freeing = std::thread::Builder::new().name("declint-free".into());
        // On failure the closure, and the records in it, are dropped right here.
        drop(freeing.spawn(move || drop(records)));
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

/// Run the record and log rules over the given records.
pub fn check_records(
    records: Vec<Record>,
    config: &Config,
    today: NaiveDate,
    root: PathBuf,
) -> Report {
    check_loaded(records.into_par_iter(), config, today, root)
}

/// The report on the records `loaded` yields: each record's rules right after it (see
/// [`check_each`]), then the log-wide rules, findings sorted.
fn check_loaded(
    loaded: impl IndexedParallelIterator<Item = Record>,
    config: &Config,
    today: NaiveDate,
    root: PathBuf,
) -> Report {
    let cx = Context::new(config, today);
    let rules = EnabledRules::new(config);
    let (records, mut findings) = check_each(loaded, &rules, &cx);
    findings.extend(rules.check_log(&records, &cx));
    sort_findings(&mut findings);
    Report {
        root,
        records,
        findings,
        governing: Vec::new(),
        compared: None,
    }
}

/// The records `loaded` yields, in order, and the findings of `rules`' record checks on
/// them in that order ([`crate::rules::run`]'s order). Each record is checked right after it is
/// parsed, on the same thread, while it is still in the CPU cache: on 10k records that is
/// a third of the record rules' cost.
pub(crate) fn check_each(
    loaded: impl IndexedParallelIterator<Item = Record>,
    rules: &EnabledRules,
    cx: &Context<'_>,
) -> (Vec<Record>, Vec<Finding>) {
    let mut records: Vec<Record> = Vec::new();
    let mut found: Vec<Vec<Finding>> = Vec::new();
    loaded
        .map(|record| {
            let mut found = Vec::new();
            rules.check_record(&record, cx, &mut found);
            (record, found)
        })
        .unzip_into_vecs(&mut records, &mut found);
    (records, found.into_iter().flatten().collect())
}

/// The whole of `declint check`: discover, parse, check (with git facts when asked).
pub fn check(options: &CheckOptions) -> Result<Report> {
    let workspace = Workspace::open(&options.cwd, options.config.as_deref())?;
    if options.base.is_some() || options.head.is_some() || options.history {
        return crate::check_git::check_with_git(&workspace, options);
    }
    let (candidates, report_on) = workspace.candidates_in_context(&options.paths)?;
    let layout = workspace.layout();
    let loaded = candidates.par_iter().map(|c| layout.load(c));
    let mut report = check_loaded(
        loaded,
        &workspace.config,
        options.today,
        workspace.root.clone(),
    );
    if let Some(paths) = &report_on {
        report.retain_paths(paths);
    }
    Ok(report)
}
