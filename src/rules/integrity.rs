//! DL4xx: the log as a whole — ids unique, supersede links that resolve, agree and do
//! not loop, and priorities that say what they cost.
//!
//! Ids are compared the way people write them: `0007`, `7` (an unquoted YAML number),
//! `ADR-0007` and `adr-7` are the same id; ids without a number compare as text,
//! ignoring case.

use super::log_index::LinkKind;
use super::{Context, Emitter, LogIndex, Rule, RuleMeta, Stage};
use crate::config::StatusClass;
use crate::finding::{Severity, Span};
use crate::record::Record;
use std::collections::{HashMap, HashSet, VecDeque};

/// An id reduced to what makes two spellings the same id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum IdKey {
    Number(u64),
    Text(String),
}

pub(crate) fn id_key(id: &str) -> IdKey {
    let trimmed = id.trim();
    let digits = trimmed
        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
        .trim_start_matches(['-', '_', '#', ' ']);
    if !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && let Ok(number) = digits.parse::<u64>()
    {
        return IdKey::Number(number);
    }
    IdKey::Text(trimmed.to_lowercase())
}

/// Where a finding about a record's status points.
fn status_span(record: &Record) -> Span {
    record
        .fields
        .status
        .as_ref()
        .map_or_else(|| record.head_span(), |s| s.span)
}

/// DL401: two records with the same id.
pub struct DuplicateId;

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL401",
            name: "duplicate-id",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "Two records have the same id.",
            what: "Compares the ids of all records in the log (the `id` field, else the file name's number). `0007`, `7` and `ADR-0007` count as the same id. Every record after the first (in path order) that reuses an id is reported, naming the first.",
            why: "Ids are how decisions refer to each other and how people cite them. Two records with one id make every `supersedes` link and every \"see 0007\" ambiguous; it usually happens when two branches each add \"the next\" decision.",
            bad: "decisions/0007-use-postgres.md and decisions/0007-use-kafka.md, both without an `id` field",
            good: "decisions/0007-use-postgres.md and decisions/0008-use-kafka.md",
        }
    }

    fn check_log(&self, log: &LogIndex<'_>, cx: &Context<'_>, out: &mut Emitter<'_>) {
        // Grouped by the first record with the id, groups in its path order; within a
        // group, the later records in path order.
        let duplicates = log.duplicates();
        let touched = |i: usize| cx.touched.is_some_and(|t| t.contains(log.path(i)));
        for (first, later) in duplicates {
            // In a pull request the duplicate is the record the change brings: when the
            // change touches the first and not the later one, the finding is on the first
            // (and its untouched twin gets none).
            let (first, later) = if touched(first) && !touched(later) {
                (later, first)
            } else {
                (first, later)
            };
            let (Some(first), Some(record)) = (log.record(first), log.record(later)) else {
                continue;
            };
            let span = record
                .fields
                .id
                .as_ref()
                .map_or_else(|| record.head_span(), |id| id.span);
            out.emit_field(
                record,
                "id",
                span,
                format!(
                    "id `{}` is already used by {}",
                    record.id().unwrap_or_default(),
                    first.path
                ),
                "give this record the next free id (and rename the file to match)",
            );
        }
    }
}

/// DL402: a supersede link to an id that is not in the log.
pub struct UnknownLink;

impl Rule for UnknownLink {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL402",
            name: "unknown-link",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "`supersedes` or `superseded_by` names an id that is not in the log.",
            what: "Resolves every id in `supersedes` and `superseded_by` (which is also where a `superseded by ADR-0005` status puts its target, under every profile but `declint`) against the records checked in the same run, and reports those that match no record.",
            why: "A link to nowhere means the chain of decisions is broken: readers of the old decision cannot find what replaced it, or the new one claims to replace something that does not exist (often a typo, or a record deleted instead of superseded).",
            bad: "0008: supersedes: [\"0070\"]   (the log has no 0070: a typo for 0007)\n",
            good: "0008: supersedes: [\"0007\"]   (decisions/0007-use-kafka.md exists)\n",
        }
    }

    fn check_log(&self, log: &LogIndex<'_>, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for link in &log.links() {
            if link.resolved.is_some() {
                continue;
            }
            let Some(record) = log.record(link.from) else {
                continue;
            };
            out.emit_field(
                record,
                link.kind.field(),
                link.span,
                format!(
                    "`{}` names `{}`, which is not the id of any decision in the log",
                    link.kind.field(),
                    link.target
                ),
                "check the id (quote ids with leading zeros: \"0007\"), or check the whole log so the record is found",
            );
        }
    }
}

/// DL403: the two sides of a supersede link disagree, or a superseded decision has no
/// successor.
pub struct SupersedeMismatch;

impl Rule for SupersedeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL403",
            name: "supersede-mismatch",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "The two sides of a supersede link disagree, or a superseded decision names no successor.",
            what: "When B `supersedes` A, A must name B in `superseded_by`, and the other way round (a MADR `superseded by B` status stands for A's side, and B is not asked to name A back). A decision that names a successor stays in force while the successor is open (`declint new --supersedes` links the two that way: a proposal does not close the decision it would replace); once the successor is decided, the old decision must have a closed status (`superseded`), and this rule says so on the old record. And a decision whose status is `superseded` must have a successor: a `superseded_by`, or another record that `supersedes` it. The finding is on the record that needs editing; with `--base`, when the change wrote the link into one record and left the other alone, it is on the link the change wrote, so the pull request that made the pair one-sided fails; and when the change decides the successor and leaves the old decision in force, it is on the successor's status.",
            why: "Readers arrive at the old decision from a search or a link. If it still reads `accepted`, or does not point at its replacement, they act on a decision the team has already replaced.",
            bad: "0007: status: accepted (no superseded_by)\n0008: supersedes: [\"0007\"]\n",
            good: "0007: status: superseded, superseded_by: [\"0008\"]\n0008: supersedes: [\"0007\"]\n",
        }
    }

    fn check_log(&self, log: &LogIndex<'_>, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let links = log.links();
        // Who names whom as successor, from the predecessor's side (explicit or MADR
        // status): (predecessor, successor) pairs, sorted for binary search.
        let mut successors_named: Vec<(usize, usize)> = Vec::new();
        // Who names whom as predecessor, from the successor's side: (successor,
        // predecessor) pairs.
        let mut predecessors_named: Vec<(usize, usize)> = Vec::new();
        for link in &links {
            let Some(target) = link.resolved else {
                continue;
            };
            if target == link.from {
                continue;
            }
            match link.kind {
                LinkKind::Supersedes => predecessors_named.push((link.from, target)),
                LinkKind::SupersededBy | LinkKind::MadrStatus => {
                    successors_named.push((link.from, target));
                }
            }
        }
        successors_named.sort_unstable();
        predecessors_named.sort_unstable();
        let names =
            |pairs: &[(usize, usize)], a: usize, b: usize| pairs.binary_search(&(a, b)).is_ok();
        for link in &links {
            let Some(target) = link.resolved else {
                continue;
            };
            let (Some(from), Some(to)) = (log.record(link.from), log.record(target)) else {
                continue;
            };
            if target == link.from {
                continue;
            }
            // In a pull request that writes the link into `from` and leaves `to` alone,
            // the change made the pair one-sided: the finding is on the link it wrote.
            let caused = !cx.is_touched(to) && cx.is_touched(from);
            match link.kind {
                LinkKind::Supersedes if !names(&successors_named, target, link.from) && caused => {
                    out.emit_field(
                        from,
                        "supersedes",
                        link.span,
                        format!(
                            "this decision supersedes `{}`, but {} does not name `{}` in `superseded_by`",
                            log.name(target),
                            to.path,
                            log.name(link.from)
                        ),
                        format!(
                            "in the same change, add `superseded_by: [\"{}\"]` to {} and set its status to `superseded`",
                            log.name(link.from),
                            to.path
                        ),
                    );
                }
                LinkKind::SupersededBy
                    if !names(&predecessors_named, target, link.from) && caused =>
                {
                    out.emit_field(
                        from,
                        "superseded_by",
                        link.span,
                        format!(
                            "this decision names `{}` in `superseded_by`, but {} does not name `{}` in `supersedes`",
                            log.name(target),
                            to.path,
                            log.name(link.from)
                        ),
                        format!(
                            "in the same change, add `supersedes: [\"{}\"]` to {}",
                            log.name(link.from),
                            to.path
                        ),
                    );
                }
                LinkKind::Supersedes if !names(&successors_named, target, link.from) => {
                    let span = to
                        .fields
                        .superseded_by
                        .as_ref()
                        .map_or_else(|| status_span(to), |s| s.key_span);
                    out.emit_field(
                        to,
                        "superseded_by",
                        span,
                        format!(
                            "{} supersedes this decision, but `superseded_by` does not name `{}`",
                            from.path,
                            log.name(link.from)
                        ),
                        format!(
                            "add `superseded_by: [\"{}\"]` and set the status to `superseded`",
                            log.name(link.from)
                        ),
                    );
                }
                LinkKind::SupersededBy if !names(&predecessors_named, target, link.from) => {
                    let span = to
                        .fields
                        .supersedes
                        .as_ref()
                        .map_or_else(|| to.head_span(), |s| s.key_span);
                    out.emit_field(
                        to,
                        "supersedes",
                        span,
                        format!(
                            "{} names this decision in `superseded_by`, but `supersedes` does not name `{}`",
                            from.path,
                            log.name(link.from)
                        ),
                        format!("add `supersedes: [\"{}\"]`", log.name(link.from)),
                    );
                }
                _ => {}
            }
        }
        let has_successor: HashSet<usize> = successors_named
            .iter()
            .map(|(predecessor, _)| *predecessor)
            .chain(
                predecessors_named
                    .iter()
                    .map(|(_, predecessor)| *predecessor),
            )
            .collect();
        // Only a record with a `superseded_by` or the status `superseded` can be out of
        // step on its own side.
        for i in log.superseded_side() {
            let Some(record) = log.record(i) else {
                continue;
            };
            let class = log.class(i);
            let has_successor = has_successor.contains(&i);
            // The successors this record names that exist; while none of them is decided
            // the link is pending and the record stays in force.
            let named: Vec<usize> = successors_named
                .iter()
                .filter(|(predecessor, _)| *predecessor == i)
                .map(|(_, successor)| *successor)
                .collect();
            let decided = named.iter().copied().find(|&s| {
                matches!(
                    log.class(s),
                    Some(StatusClass::Active | StatusClass::Closed)
                )
            });
            let pending = !named.is_empty() && decided.is_none();
            if let Some(superseded_by) = &record.fields.superseded_by
                && !superseded_by.value.is_empty()
                && matches!(class, Some(StatusClass::Open | StatusClass::Active))
                && !pending
            {
                let decided_successor = decided.and_then(|s| log.record(s).map(|r| (s, r)));
                // In a pull request that decides the successor and leaves this record
                // alone, the change put two decisions in force: the finding is on the
                // status it set (decisions/0126).
                if let Some((_, successor)) = decided_successor
                    && cx.is_touched(successor)
                    && !cx.is_touched(record)
                {
                    out.emit_field(
                        successor,
                        "status",
                        status_span(successor),
                        format!(
                            "this decision supersedes `{}` and is now `{}`, but {} is still `{}`",
                            log.name(i),
                            successor.status().unwrap_or_default(),
                            record.path,
                            record.status().unwrap_or_default()
                        ),
                        format!(
                            "in the same change, set the status of {} to `superseded`, with a new evidence entry citing its reversal criteria (a supersede reverses it, DL502): the two cannot both be in force",
                            record.path
                        ),
                    );
                    continue;
                }
                let message = match decided_successor {
                    Some((s, successor)) => format!(
                        "`{}` supersedes this decision and is decided (`{}`), but this one is still `{}`",
                        log.name(s),
                        successor.status().unwrap_or_default(),
                        record.status().unwrap_or_default()
                    ),
                    None => format!(
                        "the decision is superseded but its status is still `{}`",
                        record.status().unwrap_or_default()
                    ),
                };
                out.emit_field(
                    record,
                    "status",
                    status_span(record),
                    message,
                    "set the status to `superseded`: the successor is in force now",
                );
            } else if class == Some(StatusClass::Closed)
                && record
                    .status()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("superseded"))
                && !has_successor
                && record
                    .fields
                    .superseded_by
                    .as_ref()
                    .is_none_or(|s| s.value.is_empty())
            {
                out.emit_field(
                    record,
                    "status",
                    status_span(record),
                    "the status is `superseded` but no decision replaces it",
                    "add `superseded_by:` with the successor's id (and `supersedes:` on the successor), or use another status",
                );
            }
        }
    }
}

/// One edge of the supersede graph: successor → predecessor, and where it is written.
#[derive(Debug, Clone, Copy)]
struct Edge {
    to: usize,
    /// The record whose field states the link, and the span there.
    written_in: usize,
    span: Span,
}

/// DL404: a cycle of supersede links.
pub struct SupersedeCycle;

impl Rule for SupersedeCycle {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL404",
            name: "supersede-cycle",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "Supersede links form a cycle.",
            what: "Builds the graph of who supersedes whom from `supersedes`, `superseded_by` (and MADR `superseded by` statuses) and reports each cycle once, on the first record of the cycle by path (with `--base`, the first the change touched), listing the ids around it. A decision that supersedes itself is a cycle of one.",
            why: "In a cycle every decision is replaced by another, so none of them is in force, and a reader following the links never arrives at the current decision.",
            bad: "0007: supersedes: [\"0008\"]\n0008: supersedes: [\"0007\"]\n",
            good: "0007: superseded_by: [\"0008\"]\n0008: supersedes: [\"0007\"]\n",
        }
    }

    fn check_log(&self, log: &LogIndex<'_>, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let path_of = |i: usize| log.path(i);
        let touched = |i: usize| log.record(i).is_some_and(|r| cx.is_touched(r));
        let mut edges: HashMap<usize, Vec<Edge>> = HashMap::new();
        let mut seen = HashSet::new();
        for link in &log.links() {
            let Some(target) = link.resolved else {
                continue;
            };
            let (from, to) = match link.kind {
                LinkKind::Supersedes => (link.from, target),
                LinkKind::SupersededBy | LinkKind::MadrStatus => (target, link.from),
            };
            if seen.insert((from, to)) {
                edges.entry(from).or_default().push(Edge {
                    to,
                    written_in: link.from,
                    span: link.span,
                });
            }
        }
        for list in edges.values_mut() {
            list.sort_by(|a, b| path_of(a.to).cmp(path_of(b.to)));
        }
        let on_cycles = nodes_on_cycles(&edges);
        let mut reported: HashSet<usize> = HashSet::new();
        let mut starts: Vec<usize> = on_cycles.iter().copied().collect();
        starts.sort_by(|&a, &b| path_of(a).cmp(path_of(b)));
        for start in starts {
            let Some(cycle) = find_cycle(start, &edges, &on_cycles, &reported) else {
                continue;
            };
            reported.extend(cycle.iter().map(|(node, _)| *node));
            // On the first link by path; in a pull request, the first the change touched.
            let Some((_, edge)) = cycle
                .iter()
                .min_by_key(|(_, edge)| (!touched(edge.written_in), path_of(edge.written_in)))
            else {
                continue;
            };
            let Some(record) = log.record(edge.written_in) else {
                continue;
            };
            let mut ring: Vec<String> = cycle.iter().map(|(node, _)| log.name(*node)).collect();
            if let Some(first) = ring.first().cloned() {
                ring.push(first);
            }
            out.emit_field(
                record,
                "supersedes",
                edge.span,
                format!("supersede cycle: {}", ring.join(" → ")),
                "a successor supersedes its predecessors, never the other way round: remove the link that points back",
            );
        }
    }
}

/// The nodes that lie on a cycle or between cycles: what remains after repeatedly
/// removing nodes with no incoming or no outgoing edge.
fn nodes_on_cycles(edges: &HashMap<usize, Vec<Edge>>) -> HashSet<usize> {
    let mut out_degree: HashMap<usize, usize> = HashMap::new();
    let mut in_degree: HashMap<usize, usize> = HashMap::new();
    let mut incoming: HashMap<usize, Vec<usize>> = HashMap::new();
    for (&from, list) in edges {
        for edge in list {
            *out_degree.entry(from).or_default() += 1;
            *in_degree.entry(edge.to).or_default() += 1;
            out_degree.entry(edge.to).or_default();
            in_degree.entry(from).or_default();
            incoming.entry(edge.to).or_default().push(from);
        }
    }
    let mut alive: HashSet<usize> = out_degree.keys().copied().collect();
    let mut queue: VecDeque<usize> = alive
        .iter()
        .copied()
        .filter(|n| out_degree.get(n) == Some(&0) || in_degree.get(n) == Some(&0))
        .collect();
    while let Some(node) = queue.pop_front() {
        if !alive.remove(&node) {
            continue;
        }
        for edge in edges.get(&node).into_iter().flatten() {
            if let Some(d) = in_degree.get_mut(&edge.to) {
                *d = d.saturating_sub(1);
                if *d == 0 && alive.contains(&edge.to) {
                    queue.push_back(edge.to);
                }
            }
        }
        for &from in incoming.get(&node).into_iter().flatten() {
            if let Some(d) = out_degree.get_mut(&from) {
                *d = d.saturating_sub(1);
                if *d == 0 && alive.contains(&from) {
                    queue.push_back(from);
                }
            }
        }
    }
    alive
}

/// Walk from `start` along edges that stay on cycles until a node repeats; the repeat
/// closes a cycle, returned as (node, edge leaving it). `None` when the walk runs into
/// a cycle already reported.
fn find_cycle(
    start: usize,
    edges: &HashMap<usize, Vec<Edge>>,
    on_cycles: &HashSet<usize>,
    reported: &HashSet<usize>,
) -> Option<Vec<(usize, Edge)>> {
    let mut walk: Vec<(usize, Edge)> = Vec::new();
    let mut position: HashMap<usize, usize> = HashMap::new();
    let mut node = start;
    loop {
        if reported.contains(&node) {
            return None;
        }
        if let Some(&at) = position.get(&node) {
            return Some(walk.split_off(at));
        }
        let edge = *edges
            .get(&node)?
            .iter()
            .find(|e| on_cycles.contains(&e.to))?;
        position.insert(node, walk.len());
        walk.push((node, edge));
        node = edge.to;
    }
}

/// DL406: a priority without what it costs.
pub struct PriorityWithoutTradeoff;

impl Rule for PriorityWithoutTradeoff {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL406",
            name: "priority-without-tradeoff",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A decision sets a `priority` but `deprioritized` does not say what is given up for it.",
            what: "Checks that a record with a `priority` also has a non-empty `deprioritized` list: the work, features or goals that now come second.",
            why: "A priority is only a decision if it costs something. Writing down what was deprioritized gives the team the quotable trade-off (\"we chose X over Y\"), and makes a later priority change visible as the reversal it is.",
            bad: "---\ntitle: Make checkout fast\npriority: P1\n---\n",
            good: "---\ntitle: Make checkout fast\npriority: P1\ndeprioritized: [the loyalty programme]\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        let f = &record.fields;
        let Some(priority) = &f.priority else {
            return;
        };
        if f.deprioritized
            .as_ref()
            .is_some_and(|d| !d.value.is_empty())
        {
            return;
        }
        out.emit_field(
            record,
            "deprioritized",
            priority.key_span,
            format!(
                "priority `{}` is set, but `deprioritized` does not say what it costs",
                priority.value.raw
            ),
            "add `deprioritized:` with what the team gives up or postpones for this priority",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Profile};
    use crate::finding::Finding;
    use crate::rules::testing::{record_with, run_rule};

    fn run_log(rule: &dyn Rule, files: &[(&str, &str)]) -> Vec<Finding> {
        run_log_with(rule, &Config::default(), files)
    }

    fn run_log_with(rule: &dyn Rule, config: &Config, files: &[(&str, &str)]) -> Vec<Finding> {
        let records: Vec<Record> = files
            .iter()
            .map(|(path, text)| record_with(config, path, text))
            .collect();
        run_rule(rule, config, &records)
    }

    fn at(f: &Finding) -> (&str, usize, usize) {
        (f.path.as_str(), f.start.line, f.start.column)
    }

    #[test]
    fn id_spellings_compare_equal() {
        assert_eq!(id_key("0007"), id_key("7"));
        assert_eq!(id_key("ADR-0007"), id_key("0007"));
        assert_ne!(id_key("0007"), id_key("0008"));
        assert_eq!(id_key("Alpha"), id_key("alpha"));
    }

    #[test]
    fn dl401_reports_the_later_duplicates() {
        let f = run_log(
            &DuplicateId,
            &[
                ("d/0007-a.md", "---\ntitle: a\n---\n"),
                ("d/0007-b.md", "---\ntitle: b\n---\n"),
                ("d/0009-c.md", "---\nid: \"7\"\ntitle: c\n---\n"),
            ],
        );
        let places: Vec<_> = f.iter().map(at).collect();
        assert_eq!(places, [("d/0007-b.md", 1, 1), ("d/0009-c.md", 2, 5)]);
        assert!(f[0].message.contains("d/0007-a.md"));
        let f = run_log(
            &DuplicateId,
            &[
                ("d/0007-a.md", "---\ntitle: a\n---\n"),
                ("d/0008-b.md", "---\ntitle: b\n---\n"),
            ],
        );
        assert!(f.is_empty());
    }

    #[test]
    fn dl402_points_at_the_unknown_id() {
        let files = [
            ("d/0001-a.md", "---\ntitle: a\n---\n"),
            (
                "d/0002-b.md",
                "---\ntitle: b\nsupersedes: [\"0001\", \"0070\"]\n---\n",
            ),
        ];
        let f = run_log(&UnknownLink, &files);
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), ("d/0002-b.md", 3, 22));
        let f = run_log(&UnknownLink, &files[..1]);
        assert!(f.is_empty());
    }

    #[test]
    fn dl402_reads_madr_status_links() {
        let madr = Config::for_profile(Profile::Madr);
        let f = run_log_with(
            &UnknownLink,
            &madr,
            &[(
                "adr/0001-a.md",
                "---\nstatus: superseded by ADR-0005\n---\n# A\n",
            )],
        );
        assert_eq!(f.len(), 1);
        let f = run_log_with(
            &UnknownLink,
            &madr,
            &[
                (
                    "adr/0001-a.md",
                    "---\nstatus: superseded by ADR-0005\n---\n# A\n",
                ),
                ("adr/0005-b.md", "---\nstatus: accepted\n---\n# B\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn dl403_wants_both_sides_of_a_link() {
        let f = run_log(
            &SupersedeMismatch,
            &[
                ("d/0001-a.md", "---\ntitle: a\nstatus: superseded\n---\n"),
                (
                    "d/0002-b.md",
                    "---\ntitle: b\nsupersedes: [\"0001\"]\n---\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(at(&f[0]), ("d/0001-a.md", 3, 9));
        let f = run_log(
            &SupersedeMismatch,
            &[
                (
                    "d/0001-a.md",
                    "---\ntitle: a\nstatus: superseded\nsuperseded_by: [\"0002\"]\n---\n",
                ),
                ("d/0002-b.md", "---\ntitle: b\nstatus: accepted\n---\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(at(&f[0]), ("d/0002-b.md", 1, 1));
    }

    #[test]
    fn dl403_wants_a_successor_and_a_closed_status() {
        let f = run_log(
            &SupersedeMismatch,
            &[("d/0001-a.md", "---\ntitle: a\nstatus: superseded\n---\n")],
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("no decision replaces it"));
        let f = run_log(
            &SupersedeMismatch,
            &[
                (
                    "d/0001-a.md",
                    "---\ntitle: a\nstatus: accepted\nsuperseded_by: [\"0002\"]\n---\n",
                ),
                (
                    "d/0002-b.md",
                    "---\ntitle: b\nstatus: accepted\nsupersedes: [\"0001\"]\n---\n",
                ),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].message,
            "`0002` supersedes this decision and is decided (`accepted`), but this one is still `accepted`"
        );
        // While the successor is only proposed, the old decision stays in force.
        let f = run_log(
            &SupersedeMismatch,
            &[
                (
                    "d/0001-a.md",
                    "---\ntitle: a\nstatus: accepted\nsuperseded_by: [\"0002\"]\n---\n",
                ),
                (
                    "d/0002-b.md",
                    "---\ntitle: b\nstatus: proposed\nsupersedes: [\"0001\"]\n---\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn dl403_is_silent_on_a_consistent_pair() {
        let f = run_log(
            &SupersedeMismatch,
            &[
                (
                    "d/0001-a.md",
                    "---\ntitle: a\nstatus: superseded\nsuperseded_by: [\"0002\"]\n---\n",
                ),
                (
                    "d/0002-b.md",
                    "---\ntitle: b\nstatus: accepted\nsupersedes: [1]\n---\n",
                ),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
        let madr = Config::for_profile(Profile::Madr);
        let f = run_log_with(
            &SupersedeMismatch,
            &madr,
            &[
                (
                    "adr/0001-a.md",
                    "---\nstatus: superseded by ADR-0002\n---\n# A\n",
                ),
                ("adr/0002-b.md", "---\nstatus: accepted\n---\n# B\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn dl404_reports_each_cycle_once() {
        let f = run_log(
            &SupersedeCycle,
            &[
                ("d/0001-a.md", "---\nsupersedes: [\"0002\"]\n---\n"),
                ("d/0002-b.md", "---\nsupersedes: [\"0001\"]\n---\n"),
                ("d/0003-c.md", "---\nsupersedes: [\"0002\"]\n---\n"),
                ("d/0004-d.md", "---\nsupersedes: [\"0004\"]\n---\n"),
            ],
        );
        let messages: Vec<_> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "supersede cycle: 0001 → 0002 → 0001",
                "supersede cycle: 0004 → 0004"
            ]
        );
        assert_eq!(at(&f[0]), ("d/0001-a.md", 2, 14));
    }

    #[test]
    fn dl404_is_silent_on_a_chain() {
        let f = run_log(
            &SupersedeCycle,
            &[
                ("d/0001-a.md", "---\nsuperseded_by: [\"0002\"]\n---\n"),
                (
                    "d/0002-b.md",
                    "---\nsupersedes: [\"0001\"]\nsuperseded_by: [\"0003\"]\n---\n",
                ),
                ("d/0003-c.md", "---\nsupersedes: [\"0002\"]\n---\n"),
            ],
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn dl404_finds_a_cycle_stated_from_both_sides() {
        let f = run_log(
            &SupersedeCycle,
            &[
                ("d/0001-a.md", "---\nsuperseded_by: [\"0002\"]\n---\n"),
                ("d/0002-b.md", "---\nsuperseded_by: [\"0001\"]\n---\n"),
            ],
        );
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn dl406_wants_the_tradeoff() {
        let f = run_log(
            &PriorityWithoutTradeoff,
            &[("d/0001-a.md", "---\ntitle: a\npriority: P1\n---\n")],
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), ("d/0001-a.md", 3, 1));
        let f = run_log(
            &PriorityWithoutTradeoff,
            &[(
                "d/0001-a.md",
                "---\ntitle: a\npriority: P1\ndeprioritized: [search]\n---\n",
            )],
        );
        assert!(f.is_empty());
    }
}
