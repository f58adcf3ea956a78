//! The outcome of a check: the records read, the findings on them, and with `--base` the
//! decisions that govern the change. Plain data; every printer reads the same report.

use crate::finding::{Finding, Totals};
use crate::record::Record;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

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
    /// Baseline entries no finding matched any more (`declint baseline --prune` drops them).
    pub stale_baseline: Vec<BaselineEntry>,
    /// The baseline is a version 1 file (keyed by the field its messages named).
    pub baseline_message_keyed: bool,
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
    /// The decision files the change added (a baseline never hides their findings).
    pub added: HashSet<String>,
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
    /// The counts every summary line prints. Files checked are the records read plus any
    /// file a finding names that is not among them (a decision the change deletes is
    /// checked against its base version), so "N of M files" never has N above M.
    pub fn totals(&self) -> Totals {
        // The files findings name, less those read: one pass over the records, and none
        // when there are no findings (hashing every path of a clean 10k-file log cost more
        // than printing its summary).
        let mut elsewhere: BTreeSet<&str> = self.findings.iter().map(|f| f.path.as_str()).collect();
        for record in &self.records {
            if elsewhere.is_empty() {
                break;
            }
            elsewhere.remove(record.path.as_str());
        }
        Totals::of(&self.findings, self.records.len() + elsewhere.len())
    }

    /// The line that says baseline entries no longer match, when some do not, or that
    /// the baseline is in the old format.
    pub fn stale_baseline_line(&self) -> Option<String> {
        let n = self.stale_baseline.len();
        let old = self
            .baseline_message_keyed
            .then_some("the baseline is version 1 (keyed by message text): `declint baseline --prune` rewrites it as version 2");
        let stale = (n > 0).then(|| {
            format!(
                "{n} baseline entr{} no longer match{}: `declint baseline --prune` drops {}",
                if n == 1 { "y" } else { "ies" },
                if n == 1 { "es" } else { "" },
                if n == 1 { "it" } else { "them" }
            )
        });
        match (stale, old) {
            (Some(stale), Some(old)) => Some(format!("{stale}; {old}")),
            (stale, old) => stale.or(old.map(str::to_string)),
        }
    }

    /// The paths of the files this report read on head. A finding on any other path is
    /// about a file that no longer exists there (a deleted decision, DL505): printers
    /// must not link to it as if it did.
    pub fn paths_on_head(&self) -> HashSet<&str> {
        self.records.iter().map(|r| r.path.as_str()).collect()
    }

    /// Keep only the findings and records of `paths` (after the whole log was checked).
    pub(crate) fn retain_paths(&mut self, paths: &HashSet<String>) {
        self.findings.retain(|f| paths.contains(&f.path));
        self.records.retain(|r| paths.contains(&r.path));
    }
}

/// One baselined finding: an entry of the baseline file (`crate::baseline` reads and
/// writes it), here because a report carries the entries nothing matched.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// The key: rule, record id, field, value hash.
    pub rule: String,
    pub record: String,
    pub field: String,
    pub value: String,
    /// For the reviewer only.
    pub path: String,
    pub message: String,
}

/// What an entry is matched by.
pub(crate) type Key = (String, String, String, String);

impl BaselineEntry {
    pub(crate) fn key(&self) -> Key {
        (
            self.rule.clone(),
            self.record.clone(),
            self.field.clone(),
            self.value.clone(),
        )
    }
}
