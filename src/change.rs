//! What a change did to the decision log, as plain data: the base and head record of
//! every decision file the change added, modified, renamed or deleted. The git module
//! builds it; the change rules (DL5xx) read it. Rules never see git, so each can be
//! tested on two inline records.

use crate::record::Record;
use std::collections::HashMap;

/// How a decision file changed between the base and head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    /// Moved from `from` (repository-relative), perhaps edited too.
    Renamed {
        from: String,
    },
    Deleted,
}

/// One changed decision file: its record on the base (absent when added) and on head
/// (absent when deleted).
#[derive(Debug, Clone)]
pub struct FileChange {
    pub kind: ChangeKind,
    pub base: Option<Record>,
    pub head: Option<Record>,
}

/// Everything the change rules may know about a change.
#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    /// The changed decision files, in path order.
    pub changes: Vec<FileChange>,
    /// Every file the change touched, decision or not, repository-relative, sorted
    /// (head paths, plus the old paths of deleted and renamed files).
    pub changed_files: Vec<String>,
    /// Decision records added on the base branch since the branch point (for DL506).
    pub added_on_base: Vec<Record>,
    /// When the change was made: the head commit's time, or now for the working tree
    /// (unix seconds).
    pub head_time: i64,
}

/// When each decision file was logged (first committed), unix seconds, by path.
pub type Logged = HashMap<String, i64>;

impl ChangeSet {
    /// The head paths of the changed decision files, and the old paths of deleted ones:
    /// the files a finding may be on.
    pub fn touched(&self) -> std::collections::HashSet<String> {
        self.changes
            .iter()
            .filter_map(|c| c.head.as_ref().or(c.base.as_ref()))
            .map(|r| r.path.clone())
            .collect()
    }

    /// "Logged" times for the records this change adds: the head time (DL305).
    pub fn logged(&self) -> Logged {
        self.changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Added)
            .filter_map(|c| c.head.as_ref())
            .map(|r| (r.path.clone(), self.head_time))
            .collect()
    }
}
