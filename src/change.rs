//! What a change did to the decision log, as plain data: the base and head record of
//! every decision file the change added, modified, renamed or deleted. The git module
//! builds it; the change rules (DL5xx) read it. Rules never see git, so each can be
//! tested on two inline records.

use crate::record::Record;

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
    /// Decision records added on the base branch since the branch point (for DL506).
    pub added_on_base: Vec<Record>,
    /// When the head's own commits (since the merge base) first hold each record decided,
    /// by [`record_key`](crate::timeline::record_key). A record decided only in the
    /// working tree is not logged yet and has no entry.
    pub head_logged: Logged,
}

pub use crate::timeline::Logged;

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

    /// The paths of the decision files the change added.
    pub fn added(&self) -> std::collections::HashSet<String> {
        self.changes
            .iter()
            .filter(|c| c.base.is_none())
            .filter_map(|c| c.head.as_ref())
            .map(|r| r.path.clone())
            .collect()
    }

    /// "Logged" times for the records this change decides (new, or open on the base and
    /// decided on head), from the head's commits (DL305): re-running CI later gives the
    /// same answer, and an uncommitted decision has none.
    pub fn logged(&self, config: &crate::config::Config) -> Logged {
        self.changes
            .iter()
            .filter(|c| {
                c.base
                    .as_ref()
                    .is_none_or(|b| !crate::timeline::State::of(b, config).decided)
            })
            .filter_map(|c| c.head.as_ref())
            .filter_map(|r| {
                let key = crate::timeline::record_key(r);
                let at = *self.head_logged.get(&key)?;
                Some((key, at))
            })
            .collect()
    }
}
