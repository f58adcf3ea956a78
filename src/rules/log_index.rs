//! Facts that several log-wide rules need, worked out once per run and shared by them:
//! which records take part in content rules and their status classes (DL206, DL403,
//! DL405), and the records by id with their supersede links (DL401–DL404).
//!
//! Each of those rules used to rebuild these on its own, normalising every id again for
//! each comparison; at 10k records that was most of the time spent on the whole log.

use super::integrity::{IdKey, id_key};
use super::{Context, Stage};
use crate::config::StatusClass;
use crate::finding::Span;
use crate::record::{Format, Record};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The records of one run and what the log-wide rules know about them.
pub struct LogIndex<'r> {
    records: &'r [Record],
    /// Per record (same index): the status class, when content rules apply to the
    /// record and its status is a configured one.
    classes: Vec<Option<StatusClass>>,
    /// Per record: whether content rules apply to it.
    content: Vec<bool>,
    /// Built on first use, so runs without the id rules (DL401–DL404) never pay for it.
    ids: OnceLock<IdIndex<'r>>,
}

impl<'r> LogIndex<'r> {
    pub fn new(records: &'r [Record], cx: &Context<'_>) -> Self {
        use rayon::prelude::*;
        let (content, classes): (Vec<bool>, Vec<Option<StatusClass>>) = records
            .par_iter()
            .map(|r| {
                let applies = cx.applies(Stage::Content, r);
                (
                    applies,
                    applies.then(|| r.status_class(cx.config)).flatten(),
                )
            })
            .unzip();
        LogIndex {
            records,
            classes,
            content,
            ids: OnceLock::new(),
        }
    }

    /// All records of the run, in the order they were given.
    pub fn records(&self) -> &'r [Record] {
        self.records
    }

    pub fn record(&self, i: usize) -> Option<&'r Record> {
        self.records.get(i)
    }

    /// The status class of record `i`; `None` when content rules do not apply to it or
    /// its status is not a configured one.
    pub fn class(&self, i: usize) -> Option<StatusClass> {
        self.classes.get(i).copied().flatten()
    }

    /// The records content rules apply to that have a status class, in the order given.
    pub fn classified(&self) -> impl Iterator<Item = (&'r Record, StatusClass)> + '_ {
        self.records
            .iter()
            .zip(&self.classes)
            .filter_map(|(r, class)| class.map(|c| (r, c)))
    }

    /// The records by id and their supersede links.
    pub fn ids(&self) -> &IdIndex<'r> {
        self.ids.get_or_init(|| IdIndex::new(self))
    }

    /// How to name a record in a message: its id, else its path.
    pub fn name(&self, i: usize) -> String {
        self.record(i).map_or_else(String::new, |r| {
            r.id().map_or_else(|| r.path.clone(), str::to_string)
        })
    }

    /// The path of record `i` (empty when there is none), for ordering by path.
    pub fn path(&self, i: usize) -> &'r str {
        self.record(i).map_or("", |r| r.path.as_str())
    }
}

/// Which side of a supersede link a reference was written on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `supersedes:` on the successor.
    Supersedes,
    /// `superseded_by:` on the predecessor.
    SupersededBy,
    /// MADR's `status: superseded by ADR-0005` on the predecessor, in front-matter, a
    /// MADR 2 / log4brains `- Status:` bullet or a `## Status` section (the record reader
    /// puts its target into `superseded_by`): MADR writes the link on this side only, so
    /// the successor is not asked to name it back. (Nygard writes both sides.)
    MadrStatus,
}

impl LinkKind {
    pub fn field(self) -> &'static str {
        match self {
            LinkKind::Supersedes => "supersedes",
            LinkKind::SupersededBy => "superseded_by",
            LinkKind::MadrStatus => "status",
        }
    }
}

/// One reference from a record to another by id.
pub struct Link<'r> {
    /// Index of the record that holds the reference.
    pub from: usize,
    /// The id as written.
    pub target: &'r str,
    /// The record the id refers to (the first by path when the id is duplicated);
    /// `None` when no record has it.
    pub resolved: Option<usize>,
    pub span: Span,
    pub kind: LinkKind,
}

/// The records that take part in log-wide rules, by id, and their links.
pub struct IdIndex<'r> {
    /// Indices of the records content rules apply to, in path order.
    pub members: Vec<usize>,
    /// Each record that reuses an id, with the first record (by path) that has it:
    /// `(first, later)`, in path order of the later one.
    pub duplicates: Vec<(usize, usize)>,
    /// Every supersede link, each target resolved once.
    pub links: Vec<Link<'r>>,
}

impl<'r> IdIndex<'r> {
    fn new(log: &LogIndex<'r>) -> Self {
        use rayon::prelude::*;
        let records = log.records;
        let mut members: Vec<usize> = (0..records.len())
            .filter(|&i| log.content.get(i).copied().unwrap_or(false))
            .collect();
        members.par_sort_by(|&a, &b| log.path(a).cmp(log.path(b)));
        // Each member's id key and links, worked out on the thread pool (reading every
        // record from memory is most of the cost); then put together in path order.
        let found: Vec<(Option<IdKey>, Vec<Link<'r>>)> = members
            .par_iter()
            .map(|&i| {
                records.get(i).map_or((None, Vec::new()), |record| {
                    (record.id().map(id_key), links_of(i, record))
                })
            })
            .collect();
        let mut first_by_id: HashMap<IdKey, usize> = HashMap::with_capacity(members.len());
        let mut duplicates = Vec::new();
        let mut links = Vec::new();
        for (&i, (key, record_links)) in members.iter().zip(found) {
            if let Some(key) = key {
                let first = *first_by_id.entry(key).or_insert(i);
                if first != i {
                    duplicates.push((first, i));
                }
            }
            links.extend(record_links);
        }
        for link in &mut links {
            link.resolved = first_by_id.get(&id_key(link.target)).copied();
        }
        IdIndex {
            members,
            duplicates,
            links,
        }
    }
}

/// The supersede links written in record `i`, unresolved.
fn links_of(i: usize, record: &Record) -> Vec<Link<'_>> {
    let f = &record.fields;
    let mut links = Vec::new();
    for (kind, field) in [
        (LinkKind::Supersedes, &f.supersedes),
        (LinkKind::SupersededBy, &f.superseded_by),
    ] {
        if let Some(field) = field {
            let kind = if kind == LinkKind::SupersededBy
                && field.from_body
                && record.format != Format::Nygard
            {
                LinkKind::MadrStatus
            } else {
                kind
            };
            links.extend(field.value.iter().map(|t| Link {
                from: i,
                target: t.text.as_str(),
                resolved: None,
                span: t.span,
                kind,
            }));
        }
    }
    links
}
