//! Facts that several log-wide rules need, worked out once per record and shared by them:
//! which records take part in content rules and their status classes (DL206, DL403,
//! DL405), the records by id with their supersede links (DL401–DL404), the open
//! decisions (DL405) and who decides the open and active ones (DL206).
//!
//! Each of those rules used to rebuild these on its own, normalising every id again for
//! each comparison; at 10k records that was most of the time spent on the whole log.
//! And the language server rebuilt them over the whole log on every keystroke: now
//! [`LogFacts`] keeps each record's facts and the log-wide sets built from them, and
//! [`LogFacts::replace`] takes one record's old facts out of the sets and puts its new
//! ones in, so a rule reads only the records its finding can be about (those sharing an
//! id, holding a link, open, or named as decider), never a scan of the log.

use super::integrity::{IdKey, id_key};
use super::{Context, Stage};
use crate::config::StatusClass;
use crate::finding::Span;
use crate::record::{Format, Record};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The records of one run and what the log-wide rules know about them.
pub struct LogIndex<'r> {
    records: &'r [Record],
    facts: Cow<'r, LogFacts>,
}

impl<'r> LogIndex<'r> {
    /// Work out the facts of `records` (one pass on the thread pool).
    pub fn new(records: &'r [Record], cx: &Context<'_>) -> Self {
        LogIndex {
            records,
            facts: Cow::Owned(LogFacts::new(records, cx)),
        }
    }

    /// Read facts kept up to date elsewhere (the language server's log): they must be
    /// those of `records`.
    pub(crate) fn with_facts(records: &'r [Record], facts: &'r LogFacts) -> Self {
        LogIndex {
            records,
            facts: Cow::Borrowed(facts),
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
        self.facts.per.get(i).and_then(|f| f.class)
    }

    /// The open records (content rules apply, status class open), in path order.
    pub fn open(&self) -> impl Iterator<Item = &'r Record> + '_ {
        self.facts
            .open
            .iter()
            .filter_map(|&(_, i)| self.records.get(i))
    }

    /// Each record that reuses an id, with the first record (by path) that has it:
    /// `(first, later)`, ordered by the first's path, then the later one's.
    pub fn duplicates(&self) -> Vec<(usize, usize)> {
        let mut pairs: Vec<((usize, usize), (usize, usize))> = self
            .facts
            .duplicated
            .iter()
            .filter_map(|key| self.facts.by_id.get(key))
            .flat_map(|set| {
                let first = set.first().copied();
                set.iter()
                    .skip(1)
                    .filter_map(move |&later| first.map(|first| (first, later)))
            })
            .collect();
        pairs.sort_unstable();
        pairs
            .into_iter()
            .map(|((_, first), (_, later))| (first, later))
            .collect()
    }

    /// Every supersede link, each target resolved, in path order of the records that
    /// hold them (in the order written within a record).
    pub fn links(&self) -> Vec<Link<'_>> {
        self.facts
            .linking
            .iter()
            .filter_map(|&(_, i)| self.facts.per.get(i).map(|f| (i, f)))
            .flat_map(|(i, f)| {
                f.links.iter().map(move |l| Link {
                    from: i,
                    target: l.target.as_str(),
                    resolved: self
                        .facts
                        .by_id
                        .get(&l.key)
                        .and_then(|set| set.first())
                        .map(|&(_, first)| first),
                    span: l.span,
                    kind: l.kind,
                })
            })
            .collect()
    }

    /// The records whose supersede state DL403 judges on their own side: a non-empty
    /// `superseded_by`, or the status `superseded`; in path order.
    pub fn superseded_side(&self) -> impl Iterator<Item = usize> + '_ {
        self.facts.superseded_side.iter().map(|&(_, i)| i)
    }

    /// How the open and active decisions divide among their deciders (DL206).
    pub(crate) fn concentration(&self) -> super::governance::Concentration<'r> {
        let records = self.records;
        super::governance::Concentration {
            total: self.facts.in_flight,
            deciders: self
                .facts
                .people
                .values()
                .map(|person| {
                    let first_open = person.open.first_key_value();
                    let first_active = person.active.first_key_value();
                    let first = match (first_open, first_active) {
                        (Some(o), Some(a)) => Some(if o.0 < a.0 { o } else { a }),
                        (o, a) => o.or(a),
                    };
                    super::governance::DeciderCount {
                        name: first.map(|(_, name)| name.clone()).unwrap_or_default(),
                        count: person.open.len() + person.active.len(),
                        first_open: first_open.and_then(|(&i, _)| records.get(i)),
                        first_active: first_active.and_then(|(&i, _)| records.get(i)),
                    }
                })
                .collect(),
        }
    }

    /// The open (or active) records whose `decider` names the person with identity key
    /// `person`, in the order given.
    pub fn decided_by(
        &self,
        person: &str,
        class: StatusClass,
    ) -> impl Iterator<Item = &'r Record> + '_ {
        let records = self.records;
        self.facts
            .people
            .get(person)
            .map(|p| match class {
                StatusClass::Open => &p.open,
                _ => &p.active,
            })
            .into_iter()
            .flat_map(|side| side.keys())
            .filter_map(move |&i| records.get(i))
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

/// What the log-wide rules know about a log: each record's facts and the sets built from
/// them. Records are named by their index in the slice the facts were built from; sets
/// that are read in path order hold `(rank by path, index)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LogFacts {
    per: Vec<RecordFacts>,
    /// Each record's place among the records ordered by path.
    rank: Vec<usize>,
    /// The records by id, in path order (the first is the one a link resolves to); a
    /// sorted list, not a set: nearly every id has one record, and one small list per
    /// record costs far less to fill and to free than one tree per record.
    by_id: HashMap<IdKey, Vec<(usize, usize)>>,
    /// The ids more than one record has.
    duplicated: HashSet<IdKey>,
    /// The records that hold a supersede link.
    linking: BTreeSet<(usize, usize)>,
    /// See [`LogIndex::superseded_side`].
    superseded_side: BTreeSet<(usize, usize)>,
    /// The open records.
    open: BTreeSet<(usize, usize)>,
    /// Open and active records.
    in_flight: usize,
    /// Each person (by identity key) the `decider` of an open or active record names.
    people: BTreeMap<String, PersonFacts>,
}

/// One decider's open and active records: index → the name as that record writes it.
#[derive(Debug, Clone, Default, PartialEq)]
struct PersonFacts {
    open: BTreeMap<usize, String>,
    active: BTreeMap<usize, String>,
}

/// What one record brings to the log-wide sets.
#[derive(Debug, Clone, Default, PartialEq)]
struct RecordFacts {
    class: Option<StatusClass>,
    id: Option<IdKey>,
    links: Vec<LinkFact>,
    /// Open or active: each person its `decider` names, as (identity key, name shown).
    /// The name shown moves into [`LogFacts::people`] when the facts enter the sets (an
    /// empty string is left here, which allocates nothing): only the key is read again,
    /// to take the record out.
    deciders: Vec<(String, String)>,
    superseded_side: bool,
}

/// A supersede link as written, with its target's id key.
#[derive(Debug, Clone, PartialEq)]
struct LinkFact {
    target: String,
    key: IdKey,
    span: Span,
    kind: LinkKind,
}

impl RecordFacts {
    fn of(record: &Record, cx: &Context<'_>) -> RecordFacts {
        if !cx.applies(Stage::Content, record) {
            return RecordFacts::default();
        }
        let class = record.status_class(cx.config);
        let in_flight = matches!(class, Some(StatusClass::Open | StatusClass::Active));
        RecordFacts {
            class,
            id: record.id().map(id_key),
            links: links_of(0, record)
                .into_iter()
                .map(|l| LinkFact {
                    key: id_key(l.target),
                    target: l.target.to_string(),
                    span: l.span,
                    kind: l.kind,
                })
                .collect(),
            deciders: if in_flight {
                super::governance::deciders_of(record, cx.config.roster.as_ref())
            } else {
                Vec::new()
            },
            superseded_side: record
                .fields
                .superseded_by
                .as_ref()
                .is_some_and(|s| !s.value.is_empty())
                || record
                    .status()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("superseded")),
        }
    }
}

impl LogFacts {
    /// The facts of `records`, each record's worked out on the thread pool.
    pub(crate) fn new(records: &[Record], cx: &Context<'_>) -> LogFacts {
        use rayon::prelude::*;
        let mut per: Vec<RecordFacts> =
            records.par_iter().map(|r| RecordFacts::of(r, cx)).collect();
        let mut by_path: Vec<usize> = (0..records.len()).collect();
        by_path.par_sort_by(|&a, &b| {
            let path = |i: usize| records.get(i).map_or("", |r| r.path.as_str());
            path(a).cmp(path(b)).then(a.cmp(&b))
        });
        let mut rank = vec![0; records.len()];
        for (place, &i) in by_path.iter().enumerate() {
            if let Some(slot) = rank.get_mut(i) {
                *slot = place;
            }
        }
        let mut facts = LogFacts {
            per: Vec::new(),
            rank,
            by_id: HashMap::with_capacity(records.len()),
            duplicated: HashSet::new(),
            linking: BTreeSet::new(),
            superseded_side: BTreeSet::new(),
            open: BTreeSet::new(),
            in_flight: 0,
            people: BTreeMap::new(),
        };
        for (i, record) in per.iter_mut().enumerate() {
            facts.enter(i, record);
        }
        facts.per = per;
        facts
    }

    /// Record `i` now reads as `record` (same path, so same place in path order): its
    /// old facts leave the sets and its new ones enter them.
    pub(crate) fn replace(&mut self, i: usize, record: &Record, cx: &Context<'_>) {
        let mut new = RecordFacts::of(record, cx);
        let Some(old) = self.per.get_mut(i).map(std::mem::take) else {
            return;
        };
        self.leave(i, &old);
        self.enter(i, &mut new);
        if let Some(slot) = self.per.get_mut(i) {
            *slot = new;
        }
    }

    fn at(&self, i: usize) -> (usize, usize) {
        (self.rank.get(i).copied().unwrap_or(i), i)
    }

    /// Put record `i`'s facts into the sets (the deciders' names shown move into them).
    fn enter(&mut self, i: usize, facts: &mut RecordFacts) {
        let at = self.at(i);
        if let Some(key) = &facts.id {
            let set = self
                .by_id
                .entry(key.clone())
                .or_insert_with(|| Vec::with_capacity(1));
            if let Err(place) = set.binary_search(&at) {
                set.insert(place, at);
            }
            if set.len() > 1 {
                self.duplicated.insert(key.clone());
            }
        }
        if !facts.links.is_empty() {
            self.linking.insert(at);
        }
        if facts.superseded_side {
            self.superseded_side.insert(at);
        }
        let open = facts.class == Some(StatusClass::Open);
        if open {
            self.open.insert(at);
        }
        if matches!(facts.class, Some(StatusClass::Open | StatusClass::Active)) {
            self.in_flight += 1;
        }
        for (key, shown) in &mut facts.deciders {
            // Most deciders decide many records: their key is copied only the first time.
            let person = match self.people.get_mut(key.as_str()) {
                Some(person) => person,
                None => self.people.entry(key.clone()).or_default(),
            };
            let side = if open {
                &mut person.open
            } else {
                &mut person.active
            };
            side.insert(i, std::mem::take(shown));
        }
    }

    /// Take record `i`'s facts out of the sets (the inverse of [`LogFacts::enter`]).
    fn leave(&mut self, i: usize, facts: &RecordFacts) {
        let at = self.at(i);
        if let Some(key) = &facts.id
            && let Some(set) = self.by_id.get_mut(key)
        {
            if let Ok(place) = set.binary_search(&at) {
                set.remove(place);
            }
            if set.len() < 2 {
                self.duplicated.remove(key);
            }
            if set.is_empty() {
                self.by_id.remove(key);
            }
        }
        self.linking.remove(&at);
        self.superseded_side.remove(&at);
        self.open.remove(&at);
        if matches!(facts.class, Some(StatusClass::Open | StatusClass::Active)) {
            self.in_flight = self.in_flight.saturating_sub(1);
        }
        for (key, _) in &facts.deciders {
            if let Some(person) = self.people.get_mut(key) {
                person.open.remove(&i);
                person.active.remove(&i);
                if person.open.is_empty() && person.active.is_empty() {
                    self.people.remove(key);
                }
            }
        }
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
