//! DL5xx: what a pull request may do to the log. A priority or a reversal needs new
//! evidence that meets a reversal criterion written before the change; the log is
//! append-only; an accepted decision is superseded, not quietly rewritten.
//!
//! These rules read a [`ChangeSet`]: the base and head [`Record`] of each changed file,
//! as plain data. They run only with `--base`.

use super::integrity::id_key;
use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::change::{ChangeKind, ChangeSet, FileChange};
use crate::config::StatusClass;
use crate::finding::{Severity, Span};
use crate::record::Record;
use crate::record::criteria::{cites, criteria, normalise};
use crate::record::fields::Evidence;
use crate::record::frontmatter::{self, Split};
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// The base and head record of a file that exists on both sides with front-matter.
fn both_sides(change: &FileChange) -> Option<(&Record, &Record)> {
    match (&change.base, &change.head) {
        (Some(base), Some(head)) if base.has_front_matter() && head.has_front_matter() => {
            Some((base, head))
        }
        _ => None,
    }
}

fn edited(change: &ChangeSet) -> impl Iterator<Item = (&Record, &Record)> {
    change.changes.iter().filter_map(both_sides)
}

/// The priority as compared: its rank when it reads as one (`P1` = `1`), else its text.
fn priority_key(record: &Record) -> Option<String> {
    record.fields.priority.as_ref().map(|p| {
        p.value.rank.map_or_else(
            || p.value.raw.trim().to_ascii_lowercase(),
            |r| r.to_string(),
        )
    })
}

fn priority_text(record: &Record) -> String {
    record.fields.priority.as_ref().map_or_else(
        || "none".to_string(),
        |p| format!("`{}`", p.value.raw.trim()),
    )
}

fn reprioritises(base: &Record, head: &Record) -> bool {
    priority_key(base) != priority_key(head)
}

/// Whether the status change reverses the decision: a move between the active and closed
/// classes, in either direction (timeline::is_reversal: by class, never by name).
fn reverses(base: &Record, head: &Record, cx: &Context<'_>) -> bool {
    crate::timeline::is_reversal(base.status_class(cx.config), head.status_class(cx.config))
}

/// Whether the record was decided on the base (status class active or closed): only a
/// decided record's priority is guarded; an open question's may move until it is decided.
fn decided_on_base(base: &Record, cx: &Context<'_>) -> bool {
    matches!(
        base.status_class(cx.config),
        Some(StatusClass::Active | StatusClass::Closed)
    )
}

/// A decided record's priority changed (DL501, DL503, DL504).
fn reprioritises_decided(base: &Record, head: &Record, cx: &Context<'_>) -> bool {
    decided_on_base(base, cx) && reprioritises(base, head)
}

fn evidence_of(record: &Record) -> &[Evidence] {
    record
        .fields
        .evidence
        .as_ref()
        .map_or(&[][..], |e| e.value.as_slice())
}

/// The day an evidence entry is dated, in the config's `timezone`.
fn evidence_date(item: &Evidence, zone: chrono_tz::Tz) -> Option<NaiveDate> {
    crate::timeline::day_of(&item.date.as_ref()?.value, zone)
}

/// Indices of the base's evidence entries that head no longer has by value (edited or
/// removed: DL510).
fn rewritten_entries(base: &Record, head: &Record) -> Vec<usize> {
    let now = evidence_of(head);
    evidence_of(base)
        .iter()
        .enumerate()
        .filter(|(_, old)| !now.iter().any(|item| item.same_value(old)))
        .map(|(i, _)| i)
        .collect()
}

/// The entries head adds: not on the base by value, not an old entry restated, and not an
/// entry written in place of one the base had (an edit of old evidence is not new).
fn added_entries<'h>(base: &Record, head: &'h Record) -> Vec<(usize, &'h Evidence)> {
    let old = evidence_of(base);
    let replaced = rewritten_entries(base, head);
    evidence_of(head)
        .iter()
        .enumerate()
        .filter(|(_, item)| !old.iter().any(|o| o.same_value(item) || restates(o, item)))
        .filter(|(i, _)| !replaced.contains(i))
        .collect()
}

/// The earliest date new evidence may have: the decision's `date` and the newest evidence
/// on the base, whichever is later.
fn earliest_new(base: &Record, head: &Record, zone: chrono_tz::Tz) -> Option<NaiveDate> {
    let newest_old = evidence_of(base)
        .iter()
        .filter_map(|e| evidence_date(e, zone))
        .max();
    let decided = head
        .fields
        .date
        .as_ref()
        .or(base.fields.date.as_ref())
        .and_then(|d| crate::timeline::day_of(&d.value, zone));
    newest_old.max(decided)
}

/// SPEC §9 (tightened from §3): an evidence item on head and not on base (by value, and
/// not an old entry restated or edited in place), with a `summary` (an entry that says
/// nothing is no evidence, DL003), dated no earlier than the decision's `date` and than
/// the newest evidence on base, and not after today.
pub fn new_evidence<'h>(base: &Record, head: &'h Record, cx: &Context<'_>) -> Vec<&'h Evidence> {
    let (today, zone) = (cx.today, cx.config.timezone);
    let earliest = earliest_new(base, head, zone);
    added_entries(base, head)
        .into_iter()
        .map(|(_, item)| item)
        .filter(|item| {
            item.summary.is_some()
                && evidence_date(item, zone)
                    .is_some_and(|d| d <= today && earliest.is_none_or(|e| d >= e))
        })
        .collect()
}

/// Why the entries that head adds do not count as new evidence, when it adds some that
/// [`new_evidence`] left out: a message must not say "without a new evidence entry"
/// over an entry the author just wrote without saying what is wrong with it.
fn why_not_new(base: &Record, head: &Record, cx: &Context<'_>) -> String {
    let (today, zone) = (cx.today, cx.config.timezone);
    let line = |item: &Evidence| head.source.position(item.span.start).line;
    let Some((_, added)) = added_entries(base, head).into_iter().next() else {
        let replaced = rewritten_entries(base, head);
        return evidence_of(head)
            .iter()
            .enumerate()
            .find(|(i, _)| replaced.contains(i))
            .map(|(_, item)| {
                format!(
                    ": the entry on line {} edits one that was on the base, and old evidence edited in place is not new evidence",
                    line(item)
                )
            })
            .unwrap_or_default();
    };
    let newest_old = evidence_of(base)
        .iter()
        .filter_map(|e| evidence_date(e, zone))
        .max();
    let decided = earliest_new(base, head, zone);
    let reason = match (evidence_date(added, zone), newest_old, decided) {
        (None, _, _) => "has no valid `date`".to_string(),
        _ if added.summary.is_none() => "has no `summary`".to_string(),
        (Some(d), _, _) if d > today => format!("is dated {d}, after today ({today})"),
        (Some(d), Some(newest), _) if d < newest => {
            format!("is dated {d}, before the newest evidence on the base ({newest})")
        }
        (Some(d), _, Some(earliest)) if d < earliest => {
            format!("is dated {d}, before the decision was made ({earliest}): it was known then")
        }
        _ => return String::new(),
    };
    format!(
        ": the entry added on line {} {reason}, so it does not count",
        line(added)
    )
}

/// Whether `item` is an old entry re-dated or re-linked: the same summary is the same
/// evidence. SPEC §3 compares entries by value, which would let a change count an old
/// entry as new by moving its date; the summary is what the evidence says, so it decides.
fn restates(old: &Evidence, item: &Evidence) -> bool {
    match (&old.summary, &item.summary) {
        (Some(a), Some(b)) => normalise(&a.text) == normalise(&b.text),
        _ => false,
    }
}

fn field_span<T>(field: Option<&crate::record::Field<T>>, record: &Record) -> Span {
    field.map_or_else(|| record.head_span(), |f| f.span)
}

fn status_span(record: &Record) -> Span {
    field_span(record.fields.status.as_ref(), record)
}

const EVIDENCE_HELP: &str = "add an `evidence` entry (date, summary, criterion) for what changed, dated today or later than the newest evidence already there";

/// The path when the base has no reversal criteria to cite (issue 19 item 3): evidence
/// must meet a criterion written before the change (DL503), and adding the first ones is
/// not moving the goalposts (DL504), so they come first, in a change of their own.
const CRITERIA_FIRST: &str = "add the reversal criteria in a change of their own (adding the first ones is not moving the goalposts), then reprioritise or reverse in a later change whose evidence cites them";

/// DL501's and DL502's help: what evidence to add, or, when the base had no criteria
/// for that evidence to cite, the two-step path.
fn evidence_help(base: &Record) -> String {
    if criteria(base).is_empty() {
        format!("this decision has no reversal criteria yet: {CRITERIA_FIRST}")
    } else {
        EVIDENCE_HELP.to_string()
    }
}

/// DL501: `priority` changed without a new evidence entry.
pub struct PriorityWithoutEvidence;

impl Rule for PriorityWithoutEvidence {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL501",
            name: "priority-without-evidence",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: a decided record's priority changed without a new evidence entry (an open question's may move).",
            what: "With `--base`, compares the `priority` rank of each changed decision that was decided (active or closed) on the base with head (`P3` and `3` are the same). A change (including setting or removing it) needs a new `evidence` entry: one not on the base (an old entry edited in place does not count), with a `summary`, dated no earlier than the decision's `date` and than the newest evidence there, and not after today. An open question's priority may move freely until it is decided. Definitions: docs/timeline.md.",
            why: "Priorities that move without new information are plan churn: every reshuffle costs the team focus. Asking for the evidence keeps reprioritisation a decision, not a mood.",
            bad: "# base\npriority: P2\n# head\npriority: P0\n",
            good: "# head\npriority: P0\nevidence:\n  - date: 2026-05-30\n    summary: three enterprise customers blocked on SSO\n    criterion: 1\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            if reprioritises_decided(base, head, cx) && new_evidence(base, head, cx).is_empty() {
                out.emit_field(
                    head,
                    "priority",
                    field_span(head.fields.priority.as_ref(), head),
                    format!(
                        "priority changed from {} to {} without a new evidence entry{}",
                        priority_text(base),
                        priority_text(head),
                        why_not_new(base, head, cx)
                    ),
                    evidence_help(base),
                );
            }
        }
    }
}

/// DL502: a reversal without a new evidence entry.
pub struct ReversalWithoutEvidence;

impl Rule for ReversalWithoutEvidence {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL502",
            name: "reversal-without-evidence",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: a decision was reversed (active to closed, or back, by status class) without a new evidence entry.",
            what: "With `--base`, reports a reversal — a status change from the active class to the closed class (`rejected`, `deprecated`, `superseded`, MADR's `superseded by …`, `reversed`, or any custom closed status) or back — when head has no new `evidence` entry (not on the base, dated no earlier than the decision's `date` and the newest evidence there, not after today). Reversals are classified by status class, never by name. Definitions: docs/timeline.md.",
            why: "A decision is worth logging because it holds until something new is learnt. Reversing it without saying what was learnt teaches the team that decisions do not hold.",
            bad: "# base\nstatus: accepted\n# head\nstatus: reversed\n",
            good: "# head\nstatus: reversed\nevidence:\n  - date: 2026-05-30\n    summary: p99 latency doubled after the migration\n    criterion: 1\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            if reverses(base, head, cx) && new_evidence(base, head, cx).is_empty() {
                out.emit_field(
                    head,
                    "status",
                    status_span(head),
                    format!(
                        "status changed from `{}` to `{}` without a new evidence entry{}",
                        base.status().unwrap_or_default(),
                        head.status().unwrap_or_default(),
                        why_not_new(base, head, cx)
                    ),
                    evidence_help(base),
                );
            }
        }
    }
}

/// DL503: the new evidence for a reversal or reprioritisation cites no reversal criterion.
pub struct EvidenceCitesNoCriterion;

impl Rule for EvidenceCitesNoCriterion {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL503",
            name: "evidence-cites-no-criterion",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: the new evidence behind a reversal or priority change cites none of the base's reversal criteria (with none on the base, it says how to add them first).",
            what: "With `--base`, when a change reverses or reprioritises a decided record and adds new evidence, at least one new entry must name, in `criterion`, one of the decision's reversal criteria as they were on the base: by its text or its 1-based index. Criteria must exist before the change that uses them: when the base had none, the finding says so, and the path is to add the criteria in a change of their own (DL504 does not count adding the first ones as an edit), then reprioritise citing them.",
            why: "Reversal criteria are written before the fact so that a later change is judged against them. Evidence that meets no criterion is a new argument, not the evidence the decision said would change it.",
            bad: "# base\nreversal: [p99 latency above 200 ms for a week]\n# head\nstatus: reversed\nevidence:\n  - date: 2026-05-30\n    summary: the team prefers MySQL\n",
            good: "evidence:\n  - date: 2026-05-30\n    summary: p99 latency was 340 ms all week\n    criterion: 1\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            if !(reverses(base, head, cx) || reprioritises_decided(base, head, cx)) {
                continue;
            }
            let fresh = new_evidence(base, head, cx);
            let Some(first) = fresh.first() else {
                continue;
            };
            let criteria = criteria(base);
            if fresh.iter().any(|item| cites(item, &criteria)) {
                continue;
            }
            let (message, help) = if criteria.is_empty() {
                (
                    "the decision had no reversal criteria on the base, so the new evidence cannot meet one: criteria must exist before the change that uses them".to_string(),
                    CRITERIA_FIRST.to_string(),
                )
            } else {
                (
                    "the new evidence cites none of the decision's reversal criteria (as they stood on the base)".to_string(),
                    format!(
                        "set `criterion:` on the new evidence to the criterion it meets, by text or number (1-{})",
                        criteria.len()
                    ),
                )
            };
            let span = first.criterion.as_ref().map_or(first.span, |c| c.span);
            out.emit_field(head, "evidence", span, message, help);
        }
    }
}

/// DL504: reversal criteria of a decision edited without new evidence, or in the change
/// that reverses or reprioritises it.
pub struct MovedGoalposts;

/// Whether head changed or removed a criterion the base had: the timeline's one
/// definition ([`crate::timeline::criteria_edited`]).
fn criteria_edited(base: &Record, head: &Record) -> bool {
    crate::timeline::criteria_edited(&criteria(base), &criteria(head))
}

impl Rule for MovedGoalposts {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL504",
            name: "moved-goalposts",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: reversal criteria reworded or removed without new evidence, or edited in the change that reverses or reprioritises (adding the first ones is not an edit).",
            what: "With `--base`, reports a change to the `reversal` criteria of a decision that was active on the base — a criterion reworded or removed — when the change adds no new evidence entry; and any change of the criteria of a decided record (added ones too) in the change that reverses or reprioritises it. Adding the first criteria to a decision that had none is never an edit: it is the way to make a decision reversible on evidence. Definitions: docs/timeline.md.",
            why: "Rewriting the criteria while invoking them is moving the goalposts: the evidence is then judged against a bar written to fit it. Loosening them quietly in one change and invoking them in the next is the same move in two steps, so an edit needs evidence of its own.",
            bad: "# base\nreversal: [p99 above 200 ms]\n# head\nstatus: reversed\nreversal: [p99 above 100 ms]\n",
            good: "# one change edits the criteria, with evidence for why; a later one reverses, citing them\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            let had_criteria = !criteria(base).is_empty();
            let invoked = reverses(base, head, cx) || reprioritises_decided(base, head, cx);
            let span = field_span(head.fields.reversal.as_ref(), head);
            if invoked && had_criteria && criteria(base) != criteria(head) {
                out.emit_field(
                    head,
                    "reversal",
                    span,
                    "reversal criteria edited in the same change that reverses or reprioritises the decision",
                    "keep the criteria as they were in this change; edit them in a separate pull request if they need to change",
                );
            } else if base.status_class(cx.config) == Some(StatusClass::Active)
                && criteria_edited(base, head)
                && new_evidence(base, head, cx).is_empty()
            {
                out.emit_field(
                    head,
                    "reversal",
                    span,
                    "reversal criteria of an accepted decision reworded or removed without a new evidence entry",
                    "add an `evidence` entry that says why the criteria change; or supersede the decision with a new one",
                );
            }
        }
    }
}

/// DL505: a decision file deleted.
pub struct DeletedDecision;

impl Rule for DeletedDecision {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL505",
            name: "deleted-decision",
            severity: Severity::Error,
            stage: Stage::File,
            time_based: false,
            summary: "With `--base`: a decision file was deleted; the log is append-only.",
            what: "With `--base`, reports every decision file present on the base and absent on head (a rename is not a deletion). The finding points at the file as it stood on the base.",
            why: "A log that loses entries cannot be trusted as a record: the reasons behind today's state disappear with them. Closing a decision keeps its history.",
            bad: "# the change deletes decisions/0007-use-kafka.md\n",
            good: "# decisions/0007-use-kafka.md stays, with\nstatus: superseded\nsuperseded_by: \"0012\"\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for file in &change.changes {
            if let (ChangeKind::Deleted, Some(base)) = (&file.kind, &file.base) {
                out.emit(
                    base,
                    base.head_span(),
                    format!("{} was deleted: the decision log is append-only (this points at the file as it stood on the base)", base.path),
                    "restore the file and mark the decision `superseded`, `reversed` or `deprecated` instead",
                );
            }
        }
    }
}

/// DL506: an added decision's id collides with one added on the base branch.
pub struct IdCollidesWithBase;

impl Rule for IdCollidesWithBase {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL506",
            name: "id-collides-with-base",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: an added decision's id was also taken on the base branch since the branch point.",
            what: "With `--base`, compares the ids of decisions added in the change with those of decisions added on the base branch between the merge base and its tip.",
            why: "Two branches that each take the next free number both pass on their own and collide once merged; catching it before the merge keeps ids unique and links unambiguous.",
            bad: "# main added decisions/0012-cache.md since this branch started\n# this change adds decisions/0012-queue.md\n",
            good: "# renumber the new decision to the next free id: decisions/0013-queue.md\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for file in &change.changes {
            let (ChangeKind::Added, Some(head)) = (&file.kind, &file.head) else {
                continue;
            };
            let Some(id) = head.id() else {
                continue;
            };
            let key = id_key(id);
            let clash = change.added_on_base.iter().find(|other| {
                other.id().map(id_key) == Some(key.clone())
                    && !(other.path == head.path && other.source.as_str() == head.source.as_str())
            });
            if let Some(other) = clash {
                out.emit_field(
                    head,
                    "id",
                    field_span(head.fields.id.as_ref(), head),
                    format!(
                        "id `{id}` was also taken by {}, added on the base branch since this change branched off",
                        other.path
                    ),
                    "merge the base branch and give this decision the next free id (file name and `id`)",
                );
            }
        }
    }
}

/// DL507: status moved backwards.
pub struct StatusBackwards;

impl Rule for StatusBackwards {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL507",
            name: "status-backwards",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: a status moved back to open.",
            what: "With `--base`, reports a status that was active (`accepted`) or closed on the base and is open (`draft`, `proposed`) on head.",
            why: "Re-opening a decided question in place erases the decision that was made. If it needs deciding again, that is a new decision that supersedes the old one.",
            bad: "# base\nstatus: accepted\n# head\nstatus: proposed\n",
            good: "# a new record with status: proposed and supersedes: \"0007\"\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            let before = base.status_class(cx.config);
            let after = head.status_class(cx.config);
            if matches!(before, Some(StatusClass::Active | StatusClass::Closed))
                && after == Some(StatusClass::Open)
            {
                out.emit_field(
                    head,
                    "status",
                    status_span(head),
                    format!(
                        "status moved backwards from `{}` to `{}`",
                        base.status().unwrap_or_default(),
                        head.status().unwrap_or_default()
                    ),
                    "keep the status; to reopen the question, write a new decision that supersedes this one",
                );
            }
        }
    }
}

/// DL508: `decider`, `date` or title of an accepted decision edited.
pub struct AcceptedFieldEdited;

fn decider_names(record: &Record) -> Vec<String> {
    record
        .fields
        .decider
        .as_ref()
        .map(|d| d.value.names.iter().map(|n| normalise(&n.text)).collect())
        .unwrap_or_default()
}

fn decided_on(record: &Record) -> Option<String> {
    record.fields.date.as_ref().map(|d| {
        d.value
            .date
            .map_or_else(|| d.value.raw.trim().to_string(), |date| date.to_string())
    })
}

impl Rule for AcceptedFieldEdited {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL508",
            name: "accepted-field-edited",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: the decider, date or title of an accepted decision was edited.",
            what: "With `--base`, reports a change to `decider`, `date` or the title (the `title` field, else the first heading; case and spacing ignored) of a decision whose status on the base was active (`accepted`).",
            why: "Who decided and when are facts of the past. Editing them after the fact rewrites history; if someone else now owns the question, that is a new decision.",
            bad: "# base\nstatus: accepted\ndecider: ana\n# head\nstatus: accepted\ndecider: ben\n",
            good: "# a new decision by ben that supersedes this one\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            if base.status_class(cx.config) != Some(StatusClass::Active) {
                continue;
            }
            if decider_names(base) != decider_names(head) {
                out.emit_field(
                    head,
                    "decider",
                    field_span(head.fields.decider.as_ref(), head),
                    "the decider of an accepted decision was edited",
                    "keep the original decider; if the decision changes hands, supersede it with a new one",
                );
            }
            let title = |r: &Record| r.title().map(normalise);
            if title(base) != title(head) {
                out.emit_field(
                    head,
                    "title",
                    field_span(head.fields.title.as_ref(), head),
                    "the title of an accepted decision was edited: a new title is a new decision",
                    "keep the title; if the decision itself changes, supersede it with a new one",
                );
            }
            if decided_on(base) != decided_on(head) {
                out.emit_field(
                    head,
                    "date",
                    field_span(head.fields.date.as_ref(), head),
                    format!(
                        "the date of an accepted decision was edited (was {})",
                        decided_on(base).unwrap_or_else(|| "unset".into())
                    ),
                    "keep the date the decision was made; a new decision gets its own date",
                );
            }
        }
    }
}

/// DL509: body of an accepted decision rewritten.
pub struct AcceptedBodyRewritten;

/// Link targets: `](…)`, `]: …`, `<scheme:…>` and bare URLs. A constant pattern
/// (`link_target_pattern_compiles` tests it): were it ever to fail, DL509 would silently
/// start reporting link fixes as rewrites, so it fails loudly instead.
#[allow(clippy::expect_used)]
static LINK_TARGET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\]\([^)]*\)|\]:\s*\S+|<[a-z][a-z0-9+.-]*:[^>\s]*>|https?://[^\s)>\]]+")
        .expect("the link-target pattern is a valid regex")
});

/// The body with whitespace and link targets left out: what a rewrite would change.
fn body_words(record: &Record) -> String {
    let text = record.source.as_str();
    let body = match frontmatter::split(text) {
        Split::Present { body, .. } | Split::Missing { body } => text.get(body.start..body.end),
        Split::Unterminated { .. } => None,
    }
    .unwrap_or("");
    LINK_TARGET
        .replace_all(body, "]")
        .split_whitespace()
        .collect()
}

fn body_span(record: &Record) -> Span {
    match frontmatter::split(record.source.as_str()) {
        Split::Present { body, .. } | Split::Missing { body } if !body.is_empty() => {
            let line_end = record
                .source
                .as_str()
                .get(body.start..body.end)
                .and_then(|b| b.find(['\r', '\n']))
                .map_or(body.end, |i| body.start + i);
            Span::new(body.start, line_end)
        }
        _ => record.head_span(),
    }
}

impl Rule for AcceptedBodyRewritten {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL509",
            name: "accepted-body-rewritten",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: the body of an accepted decision was rewritten (beyond whitespace and links).",
            what: "With `--base`, reports an edit to the Markdown body of a decision that is accepted on both the base and head, unless the edit only changes whitespace or link targets.",
            why: "The body is the reasoning the team agreed to. Rewriting it after acceptance changes what was decided without a decision; superseding keeps both versions readable.",
            bad: "# base\n## Decision\nWe use Postgres.\n# head\n## Decision\nWe use Postgres and Redis.\n",
            good: "# head: only a link target fixed\nSee [the benchmark](https://example.com/new-location).\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            let active = |r: &Record| r.status_class(cx.config) == Some(StatusClass::Active);
            if active(base) && active(head) && body_words(base) != body_words(head) {
                out.emit(
                    head,
                    body_span(head),
                    "the body of an accepted decision was rewritten",
                    "revert the body and write a new decision that supersedes this one (whitespace and link fixes are fine)",
                );
            }
        }
    }
}

/// DL510: evidence present on the base edited or removed.
pub struct EvidenceRewritten;

impl Rule for EvidenceRewritten {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL510",
            name: "evidence-rewritten",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "With `--base`: an evidence entry present on the base was edited or removed; evidence is append-only.",
            what: "With `--base`, reports each `evidence` entry of the base (compared by value: date, summary, link, criterion) that head no longer has. Evidence is append-only: what was known then stays as it was written, and new findings are new entries. An entry edited in place does not count as new evidence for DL501-DL503 either.",
            why: "Evidence is the record of what the team knew when it changed course. Rewording an old entry to fit a new change rewrites that record, and lets a reprioritisation pass without anything new being learnt.",
            bad: "# base\nevidence:\n  - date: 2026-05-01\n    summary: two customers asked for SSO\n# head\nevidence:\n  - date: 2026-05-01\n    summary: ten customers blocked on SSO\n",
            good: "# head keeps the old entry and adds one\nevidence:\n  - date: 2026-05-01\n    summary: two customers asked for SSO\n  - date: 2026-05-30\n    summary: ten customers blocked on SSO\n",
        }
    }

    fn check_change(&self, change: &ChangeSet, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (base, head) in edited(change) {
            let old = evidence_of(base);
            let now = evidence_of(head);
            for i in rewritten_entries(base, head) {
                let Some(entry) = old.get(i) else {
                    continue;
                };
                // Point at the entry written in its place when there is one.
                let span = now.get(i).map_or_else(
                    || field_span(head.fields.evidence.as_ref(), head),
                    |e| e.span,
                );
                let date = entry
                    .date
                    .as_ref()
                    .map_or_else(|| "undated".to_string(), |d| d.value.raw.trim().to_string());
                let what = if now
                    .get(i)
                    .is_some_and(|e| !old.iter().any(|o| o.same_value(e)))
                {
                    "edited"
                } else {
                    "removed"
                };
                out.emit_field(
                    head,
                    "evidence",
                    span,
                    format!(
                        "evidence entry {} of the base (dated {date}) was {what}: evidence is append-only",
                        i + 1
                    ),
                    "restore the entry as it was on the base, and add what is new as a new entry",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run_change;

    fn codes(rule: &dyn Rule, base: Option<&str>, head: Option<&str>) -> Vec<&'static str> {
        run_change(rule, base, head, &[])
            .iter()
            .map(|f| f.code)
            .collect()
    }

    const ACCEPTED: &str = "---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\npriority: P2\nreversal:\n  - p99 latency above 200 ms for a week\n  - licence cost above 10k a year\nevidence:\n  - date: 2026-01-05\n    summary: benchmark\n---\n\n# Use Postgres\n\nWe use Postgres. See [bench](https://a.example/x).\n";

    fn with(find: &str, replace: &str) -> String {
        assert!(ACCEPTED.contains(find), "{find}");
        ACCEPTED.replacen(find, replace, 1)
    }

    const NEW_EVIDENCE: &str = "evidence:\n  - date: 2026-01-05\n    summary: benchmark\n  - date: 2026-05-30\n    summary: p99 was 340 ms all week\n    criterion: 1\n";
    const OLD_EVIDENCE: &str = "evidence:\n  - date: 2026-01-05\n    summary: benchmark\n";

    #[test]
    fn dl501_priority_change_needs_new_evidence() {
        let head = with("priority: P2", "priority: P0");
        assert_eq!(
            codes(&PriorityWithoutEvidence, Some(ACCEPTED), Some(&head)),
            ["DL501"]
        );
        let removed = with("priority: P2\n", "");
        assert_eq!(
            codes(&PriorityWithoutEvidence, Some(ACCEPTED), Some(&removed)),
            ["DL501"]
        );
        let with_evidence = head.replace(OLD_EVIDENCE, NEW_EVIDENCE);
        assert!(
            codes(
                &PriorityWithoutEvidence,
                Some(ACCEPTED),
                Some(&with_evidence)
            )
            .is_empty()
        );
        // P2 and 2 are the same priority.
        let same = with("priority: P2", "priority: 2");
        assert!(codes(&PriorityWithoutEvidence, Some(ACCEPTED), Some(&same)).is_empty());
        // An added file has no priority to change.
        assert!(codes(&PriorityWithoutEvidence, None, Some(&head)).is_empty());
    }

    #[test]
    fn new_evidence_follows_the_spec_definition() {
        let reprioritised = with("priority: P2", "priority: P0");
        let entry = |date: &str| {
            reprioritised.replace(
                OLD_EVIDENCE,
                &format!("{OLD_EVIDENCE}  - date: {date}\n    summary: new\n    criterion: 1\n"),
            )
        };
        // Dated before the newest evidence on base: not new.
        assert_eq!(
            codes(
                &PriorityWithoutEvidence,
                Some(ACCEPTED),
                Some(&entry("2026-01-04"))
            ),
            ["DL501"]
        );
        // After today (2026-06-01): not new.
        assert_eq!(
            codes(
                &PriorityWithoutEvidence,
                Some(ACCEPTED),
                Some(&entry("2026-06-02"))
            ),
            ["DL501"]
        );
        // After the newest on base but before the decision's date (2026-01-10): it was
        // known when the decision was made, so it is not new (SPEC §9).
        assert_eq!(
            codes(
                &PriorityWithoutEvidence,
                Some(ACCEPTED),
                Some(&entry("2026-01-07"))
            ),
            ["DL501"]
        );
        // On the decision's day, and today: new.
        assert!(
            codes(
                &PriorityWithoutEvidence,
                Some(ACCEPTED),
                Some(&entry("2026-01-10"))
            )
            .is_empty()
        );
        assert!(
            codes(
                &PriorityWithoutEvidence,
                Some(ACCEPTED),
                Some(&entry("2026-06-01"))
            )
            .is_empty()
        );
        let undated = entry("someday");
        assert_eq!(
            codes(&PriorityWithoutEvidence, Some(ACCEPTED), Some(&undated)),
            ["DL501"]
        );
    }

    #[test]
    fn re_dating_old_evidence_does_not_make_it_new() {
        let redated = with("priority: P2", "priority: P0").replace(
            OLD_EVIDENCE,
            "evidence:\n  - date: 2026-05-30\n    summary: Benchmark\n    criterion: 1\n",
        );
        assert_eq!(
            codes(&PriorityWithoutEvidence, Some(ACCEPTED), Some(&redated)),
            ["DL501"]
        );
    }

    #[test]
    fn dl502_reversal_needs_new_evidence() {
        for status in ["reversed", "superseded", "deprecated"] {
            let head = with("status: accepted", &format!("status: {status}"));
            assert_eq!(
                codes(&ReversalWithoutEvidence, Some(ACCEPTED), Some(&head)),
                ["DL502"],
                "{status}"
            );
            let justified = head.replace(OLD_EVIDENCE, NEW_EVIDENCE);
            assert!(codes(&ReversalWithoutEvidence, Some(ACCEPTED), Some(&justified)).is_empty());
        }
        let rejected = with("status: accepted", "status: rejected");
        assert_eq!(
            codes(&ReversalWithoutEvidence, Some(&rejected), Some(ACCEPTED)),
            ["DL502"]
        );
        // Accepting a proposal is not a reversal.
        let proposed = with("status: accepted", "status: proposed");
        assert!(codes(&ReversalWithoutEvidence, Some(&proposed), Some(ACCEPTED)).is_empty());
        assert!(codes(&ReversalWithoutEvidence, Some(ACCEPTED), Some(ACCEPTED)).is_empty());
    }

    #[test]
    fn dl503_new_evidence_must_cite_a_base_criterion() {
        let reversed = with("status: accepted", "status: reversed");
        let cite = |criterion: &str| {
            reversed.replace(
                OLD_EVIDENCE,
                &format!("{OLD_EVIDENCE}  - date: 2026-05-30\n    summary: new\n    criterion: {criterion}\n"),
            )
        };
        assert_eq!(
            codes(
                &EvidenceCitesNoCriterion,
                Some(ACCEPTED),
                Some(&cite("the team changed its mind"))
            ),
            ["DL503"]
        );
        assert_eq!(
            codes(&EvidenceCitesNoCriterion, Some(ACCEPTED), Some(&cite("3"))),
            ["DL503"]
        );
        assert!(codes(&EvidenceCitesNoCriterion, Some(ACCEPTED), Some(&cite("2"))).is_empty());
        assert!(
            codes(
                &EvidenceCitesNoCriterion,
                Some(ACCEPTED),
                Some(&cite("Licence cost  above 10k a year"))
            )
            .is_empty()
        );
        let uncited = reversed.replace(
            OLD_EVIDENCE,
            &format!("{OLD_EVIDENCE}  - date: 2026-05-30\n    summary: new\n"),
        );
        assert_eq!(
            codes(&EvidenceCitesNoCriterion, Some(ACCEPTED), Some(&uncited)),
            ["DL503"]
        );
        // No reversal or reprioritisation: evidence may be added freely.
        let informative = ACCEPTED.replace(
            OLD_EVIDENCE,
            &format!("{OLD_EVIDENCE}  - date: 2026-05-30\n    summary: new\n"),
        );
        assert!(
            codes(
                &EvidenceCitesNoCriterion,
                Some(ACCEPTED),
                Some(&informative)
            )
            .is_empty()
        );
    }

    #[test]
    fn dl504_criteria_edited_while_reversing() {
        let moved = with("status: accepted", "status: reversed").replace("200 ms", "100 ms");
        assert_eq!(
            codes(&MovedGoalposts, Some(ACCEPTED), Some(&moved)),
            ["DL504"]
        );
        // Loosening a criterion without evidence is moving the goalposts too (the next
        // change would invoke it); with new evidence for the edit, it is not.
        let reworded_only = with("200 ms", "100 ms");
        assert_eq!(
            codes(&MovedGoalposts, Some(ACCEPTED), Some(&reworded_only)),
            ["DL504"]
        );
        let reworded_with_evidence = reworded_only.replace(OLD_EVIDENCE, NEW_EVIDENCE);
        assert!(
            codes(
                &MovedGoalposts,
                Some(ACCEPTED),
                Some(&reworded_with_evidence)
            )
            .is_empty()
        );
        let reversed = with("status: accepted", "status: reversed");
        assert!(codes(&MovedGoalposts, Some(ACCEPTED), Some(&reversed)).is_empty());
    }

    #[test]
    fn dl505_deleted_decision_points_at_the_base_file() {
        let found = run_change(&DeletedDecision, Some(ACCEPTED), None, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found.first().map(|f| f.path.as_str()),
            Some("decisions/0001-test.md")
        );
        assert!(codes(&DeletedDecision, Some(ACCEPTED), Some(ACCEPTED)).is_empty());
        assert!(codes(&DeletedDecision, None, Some(ACCEPTED)).is_empty());
    }

    #[test]
    fn dl506_added_id_collides_with_base() {
        let other = "---\nid: \"0001\"\ntitle: Other\n---\n";
        let found = run_change(&IdCollidesWithBase, None, Some(ACCEPTED), &[other]);
        assert_eq!(found.iter().map(|f| f.code).collect::<Vec<_>>(), ["DL506"]);
        // The same id spelled differently (decisions/0006) still collides.
        let unpadded = "---\nid: 1\ntitle: Other\n---\n";
        assert_eq!(
            run_change(&IdCollidesWithBase, None, Some(ACCEPTED), &[unpadded]).len(),
            1
        );
        let different = "---\nid: \"0002\"\ntitle: Other\n---\n";
        assert!(run_change(&IdCollidesWithBase, None, Some(ACCEPTED), &[different]).is_empty());
        // A modified file is not an addition.
        assert!(
            run_change(
                &IdCollidesWithBase,
                Some(ACCEPTED),
                Some(ACCEPTED),
                &[other]
            )
            .is_empty()
        );
    }

    #[test]
    fn dl507_status_backwards() {
        let proposed = with("status: accepted", "status: proposed");
        assert_eq!(
            codes(&StatusBackwards, Some(ACCEPTED), Some(&proposed)),
            ["DL507"]
        );
        let rejected = with("status: accepted", "status: rejected");
        assert_eq!(
            codes(&StatusBackwards, Some(&rejected), Some(&proposed)),
            ["DL507"]
        );
        assert!(codes(&StatusBackwards, Some(&proposed), Some(ACCEPTED)).is_empty());
        let draft = with("status: accepted", "status: draft");
        assert!(codes(&StatusBackwards, Some(&draft), Some(&proposed)).is_empty());
    }

    #[test]
    fn dl508_decider_or_date_of_accepted_decision() {
        let decider = with("decider: ana", "decider: ben");
        assert_eq!(
            codes(&AcceptedFieldEdited, Some(ACCEPTED), Some(&decider)),
            ["DL508"]
        );
        let date = with("date: 2026-01-10", "date: 2026-01-11");
        assert_eq!(
            codes(&AcceptedFieldEdited, Some(ACCEPTED), Some(&date)),
            ["DL508"]
        );
        // Each finding names the field the rule found edited.
        let fields = |head: &str| -> Vec<String> {
            run_change(&AcceptedFieldEdited, Some(ACCEPTED), Some(head), &[])
                .into_iter()
                .map(|f| f.field)
                .collect()
        };
        assert_eq!(fields(&decider), ["decider"]);
        assert_eq!(fields(&date), ["date"]);
        // The same date written as a date-time is the same date.
        let same = with("date: 2026-01-10", "date: 2026-01-10T09:00:00Z");
        assert!(codes(&AcceptedFieldEdited, Some(ACCEPTED), Some(&same)).is_empty());
        // A proposal's decider may change.
        let proposed = with("status: accepted", "status: proposed");
        let proposed_ben = proposed.replace("decider: ana", "decider: ben");
        assert!(codes(&AcceptedFieldEdited, Some(&proposed), Some(&proposed_ben)).is_empty());
    }

    #[test]
    fn link_target_pattern_compiles() {
        assert!(LINK_TARGET.is_match("see [x](https://example.com/a)"));
    }

    #[test]
    fn dl509_body_rewrite_but_not_whitespace_or_links() {
        let rewritten = with("We use Postgres.", "We use Postgres and Redis.");
        assert_eq!(
            codes(&AcceptedBodyRewritten, Some(ACCEPTED), Some(&rewritten)),
            ["DL509"]
        );
        let link = with("https://a.example/x", "https://b.example/moved");
        assert!(codes(&AcceptedBodyRewritten, Some(ACCEPTED), Some(&link)).is_empty());
        let whitespace = with("We use Postgres. See", "We use\nPostgres.   See");
        assert!(codes(&AcceptedBodyRewritten, Some(ACCEPTED), Some(&whitespace)).is_empty());
        // Superseding may add a note to the body.
        let superseded = rewritten.replace("status: accepted", "status: superseded");
        assert!(codes(&AcceptedBodyRewritten, Some(ACCEPTED), Some(&superseded)).is_empty());
    }

    #[test]
    fn change_rules_are_silent_on_unchanged_records() {
        for rule in crate::rules::registry() {
            assert!(
                run_change(*rule, Some(ACCEPTED), Some(ACCEPTED), &[]).is_empty(),
                "{}",
                rule.meta().code
            );
        }
    }
}
