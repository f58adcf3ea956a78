//! DL1xx: what a record says — required fields, statuses, dates, reversal criteria,
//! options, ids and placeholder text.

use super::relax::relaxed;
use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::config::StatusClass;
use crate::finding::{Severity, Span};
use crate::record::Record;
use crate::record::field_table::field_def;
use crate::record::fields::{DateValue, Field, Text};
use regex::Regex;
use std::sync::LazyLock;

/// DL101: a required field is missing.
pub struct RequiredField;

impl Rule for RequiredField {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL101",
            name: "required-field",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A required field is missing.",
            what: "Checks that every field listed in `required` (by default `title` and `status`; `decider` is DL201's) is present, and that `date` is present once the decision is no longer open. The title may come from the body's first `# ` heading.",
            why: "A decision without a status cannot be filtered, one without a date cannot be aged, and one without a decider has nobody to ask. These are the fields everything else is built on.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-03-02\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let span = record.head_span();
        // A missing decider is DL201's finding (no-decider), so it is reported once.
        for field in cx.config.required.iter().filter(|f| *f != "decider") {
            if !has_field(record, field) && !record.mistyped(field) {
                match record.empty_key(field) {
                    Some(key) => out.emit_field(
                        record,
                        field.as_str(),
                        key,
                        format!("required field `{field}` is empty"),
                        format!("give `{field}:` a value"),
                    ),
                    None => out.emit_field(
                        record,
                        field.as_str(),
                        span,
                        format!("required field `{field}` is missing"),
                        format!("add `{field}:` to the front-matter"),
                    ),
                }
            }
        }
        let decided = matches!(
            record.status_class(cx.config),
            Some(StatusClass::Active | StatusClass::Closed)
        );
        // MADR's `date` is optional; under that profile only `required: [date]` asks for it.
        if decided
            && !relaxed("DL101", record, cx.config)
            && record.fields.date.is_none()
            && !cx.config.required.iter().any(|f| f == "date")
        {
            let empty = record.empty_key("date");
            let span = empty.or(record.fields.status.as_ref().map(|s| s.key_span));
            out.emit_field(
                record,
                "date",
                span.unwrap_or_else(|| record.head_span()),
                format!(
                    "`date` is {}: a decision with status `{}` has been decided",
                    if empty.is_some() { "empty" } else { "missing" },
                    record.status().unwrap_or_default()
                ),
                "add `date: YYYY-MM-DD`, the day the decision was made",
            );
        }
    }
}

/// Whether `field` (a canonical field name, checked against the table when the config
/// was read) is set on the record. A name the table does not know is not present.
fn has_field(record: &Record, field: &str) -> bool {
    field_def(field).is_some_and(|def| def.is_present(record))
}

/// DL102: a status that is not one of the configured statuses.
pub struct UnknownStatus;

impl Rule for UnknownStatus {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL102",
            name: "unknown-status",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "The status is not one of the configured statuses.",
            what: "Checks `status` against the configured set (by default `draft` and `proposed` are open, `accepted` is active, `rejected`, `deprecated`, `superseded` and `reversed` are closed), case-insensitively, and suggests the closest one.",
            why: "Every time-based and log-wide rule works on whether a decision is open, active or closed. A status outside the set (`acepted`, `done`) puts the record outside all of them.",
            bad: "---\ntitle: Use Postgres\nstatus: acepted\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(status) = &record.fields.status else {
            return;
        };
        if cx.config.status_class(&status.value).is_some() {
            return;
        }
        let names: Vec<&str> = cx.config.statuses.iter().map(|(n, _)| n.as_str()).collect();
        let lower = status.value.to_lowercase();
        let help = match crate::spelling::suggest(&lower, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        out.emit_field(
            record,
            "status",
            status.span,
            format!("unknown status `{}`", status.value),
            help,
        );
    }
}

/// Where a finding about a field that the status makes necessary points: the status
/// value, else the front-matter's opening line.
fn status_span(record: &Record) -> Span {
    record
        .fields
        .status
        .as_ref()
        .map_or_else(|| record.head_span(), |s| s.span)
}

/// The record's date fields with their names, for the date rules.
fn date_fields(record: &Record) -> impl Iterator<Item = (&'static str, &Field<DateValue>)> {
    let f = &record.fields;
    [
        ("raised", f.raised.as_ref()),
        ("due", f.due.as_ref()),
        ("date", f.date.as_ref()),
        ("review_by", f.review_by.as_ref()),
        ("expires", f.expires.as_ref()),
    ]
    .into_iter()
    .filter_map(|(name, field)| field.map(|field| (name, field)))
    .chain(f.evidence.iter().flat_map(|evidence| {
        evidence
            .value
            .iter()
            .filter_map(|e| e.date.as_ref().map(|d| ("evidence date", d)))
    }))
}

/// DL103: a date field that is not a date.
pub struct InvalidDate;

impl Rule for InvalidDate {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL103",
            name: "invalid-date",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A date field does not hold a valid date.",
            what: "Checks `raised`, `due`, `date`, `review_by`, `expires` and each evidence entry's `date`: each must be a calendar date written `YYYY-MM-DD`, or an RFC 3339 date-time (reduced to its day in the config's `timezone`, UTC by default). `2026-02-30`, `2026-3-1` and `next week` are reported.",
            why: "A date that does not parse is a date no rule can use: an overdue decision with an unreadable `due` is never reported as overdue, and an unreadable `review_by` is never reviewed.",
            bad: "---\ntitle: Use Postgres\ndate: 2026-02-30\nreview_by: next quarter\n---\n",
            good: "---\ntitle: Use Postgres\ndate: 2026-02-28\nreview_by: 2026-09-01\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        for (name, field) in date_fields(record) {
            if field.value.date.is_none() {
                out.emit_field(
                    record,
                    name.split(' ').next().unwrap_or(name),
                    field.span,
                    format!("`{name}` is not a valid date: `{}`", field.value.raw),
                    "write the date as YYYY-MM-DD (for example 2026-03-02)",
                );
            }
        }
    }
}

/// DL104: something that already happened is dated in the future.
pub struct FutureDate;

impl Rule for FutureDate {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL104",
            name: "future-date",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A decision, its raising or its evidence is dated in the future.",
            what: "Checks that `date` (when the decision was made), `raised` and each evidence entry's `date` are not later than today (in the config's `timezone`, UTC by default, or `--today`). One day of slack is allowed, so a team ahead of that zone can log a decision on its own calendar day. `due`, `review_by` and `expires` are deadlines and may lie ahead.",
            why: "These dates record events; a future one is a typo (`2062` for `2026`) or a decision logged before it was taken. Either way the log no longer says what happened when, and latency figures built on it are wrong. It is an error, not a warning, because it never comes right by itself in a way anyone checks: the record was wrong the day it was written.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\ndate: 2062-03-02\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\ndate: 2026-03-02\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let latest = cx.today + chrono::Days::new(1);
        for (name, field) in date_fields(record) {
            if !matches!(name, "date" | "raised" | "evidence date") {
                continue;
            }
            let day = crate::timeline::day_of(&field.value, cx.config.timezone);
            if let Some(date) = day.filter(|d| *d > latest) {
                out.emit_field(
                    record,
                    name.split(' ').next().unwrap_or(name),
                    field.span,
                    format!("`{name}` {date} is in the future (today is {})", cx.today),
                    "use the day it actually happened; a deadline belongs in `due` or `review_by`",
                );
            }
        }
    }
}

/// DL105: the question was raised after it was decided.
pub struct RaisedAfterDate;

impl Rule for RaisedAfterDate {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL105",
            name: "raised-after-date",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "`raised` is later than `date`: the decision was made before its question was raised.",
            what: "Compares `raised` with `date` when both are valid dates, and reports a `raised` that is later.",
            why: "Decision latency (raised → decided) is one of the numbers a team steers by. A swapped pair of dates makes it negative and hides the slow decisions the number is meant to show.",
            bad: "---\ntitle: Use Postgres\nraised: 2026-03-05\ndate: 2026-03-02\n---\n",
            good: "---\ntitle: Use Postgres\nraised: 2026-03-01\ndate: 2026-03-02\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let f = &record.fields;
        let (Some(raised), Some(date)) = (&f.raised, &f.date) else {
            return;
        };
        let day = |value| crate::timeline::day_of(value, cx.config.timezone);
        if let (Some(r), Some(d)) = (day(&raised.value), day(&date.value))
            && r > d
        {
            out.emit_field(
                record,
                "raised",
                raised.span,
                format!("`raised` ({r}) is after `date` ({d})"),
                "check both dates: the question is raised first, then decided",
            );
        }
    }
}

/// DL106: an active decision with no reversal criteria.
pub struct MissingReversal;

impl Rule for MissingReversal {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL106",
            name: "missing-reversal",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "An active decision has no reversal criteria.",
            what: "Checks that a decision whose status is active (by default `accepted`) lists at least one reversal criterion, in `reversal` or under a \"Reversal criteria\" heading in the body. An empty list or an empty section counts as missing. Exception records (`kind: exception`) are not checked: their `expires` date is their reversal. Under `profile: madr` the rule is silent unless `reversal` is listed in `required`, since MADR has no such field.",
            why: "A reversal criterion says in advance what new evidence would change the decision. Without one, every later challenge is a debate about opinions; with one, it is a check against evidence the team already agreed on.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\nreversal:\n  - write load exceeds 10k rows/s for a week\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if relaxed("DL106", record, cx.config) {
            return;
        }
        if record.is_exception()
            || record.mistyped("reversal")
            || record.status_class(cx.config) != Some(StatusClass::Active)
        {
            return;
        }
        let help =
            "add `reversal:` with what new evidence would make the team change this decision";
        match &record.fields.reversal {
            Some(reversal) if !reversal.value.is_empty() => {}
            Some(reversal) => out.emit_field(
                record,
                "reversal",
                reversal.key_span,
                "`reversal` is empty: an active decision needs at least one reversal criterion",
                help,
            ),
            None => out.emit_field(
                record,
                "reversal",
                status_span(record),
                format!(
                    "the decision is `{}` but has no reversal criteria",
                    record.status().unwrap_or_default()
                ),
                help,
            ),
        }
    }
}

/// Criteria that say nothing, compared after trimming and lower-casing.
const PLACEHOLDER_CRITERIA: &[&str] = &[
    "tbd", "tbc", "todo", "n/a", "na", "none", "nothing", "-", "--", "?", "??", "...", "…",
];

/// Whether a reversal criterion is a placeholder rather than a criterion (DL107).
pub fn is_placeholder_criterion(text: &str, min_chars: usize) -> bool {
    let trimmed = text.trim();
    // ASCII text compares without lower-casing into a new string; other text is
    // lower-cased as before (a few non-ASCII letters lower-case to ASCII ones).
    let placeholder = if trimmed.is_ascii() {
        PLACEHOLDER_CRITERIA
            .iter()
            .any(|p| trimmed.eq_ignore_ascii_case(p))
    } else {
        PLACEHOLDER_CRITERIA.contains(&trimmed.to_lowercase().as_str())
    };
    // A text that is wholly a template slot or marker starts like one: `{`, `<`,
    // `TBD`/`TBC`/`TODO`/any-case `tbd`, or `FIXME`. Most criteria do not.
    let may_be_slot = matches!(
        trimmed.as_bytes().first(),
        Some(b'{' | b'<' | b'T' | b't' | b'F')
    );
    placeholder
        || (may_be_slot && template_placeholder(trimmed) == Some(trimmed))
        || (trimmed.chars().count() < min_chars && !is_measurable(trimmed))
}

/// Whether a criterion names a measurable threshold: a number or a comparison
/// (`p99 > 200ms`, `≥ 5%`, `2 outages`). Such a criterion says what would change the
/// decision however short it is; only length without one makes it a placeholder. Digits
/// inside a word name something (`p99`, `v2`, `k8s`) and are no threshold.
fn is_measurable(text: &str) -> bool {
    let mut after_letter = false;
    for c in text.chars() {
        if matches!(c, '<' | '>' | '=' | '≤' | '≥' | '%') || (c.is_ascii_digit() && !after_letter)
        {
            return true;
        }
        after_letter = c.is_alphabetic() || (after_letter && c.is_ascii_digit());
    }
    false
}

/// DL107: a reversal criterion that is a placeholder.
pub struct PlaceholderCriterion;

impl Rule for PlaceholderCriterion {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL107",
            name: "placeholder-criterion",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A reversal criterion is a placeholder (`TBD`, `n/a`, `none`, `-`, `?`) or too short to mean anything.",
            what: "Checks each reversal criterion, from `reversal` or the \"Reversal criteria\" section. A criterion that is only `TBD`, `TBC`, `TODO`, `n/a`, `none`, `-` or `?`, only a template slot (`{what would change it}`, `<criterion>`), or shorter than `min_criterion_chars` (12 by default) without a measurable threshold, is reported. A number or a comparison makes a criterion measurable however short: `p99 > 200ms` and `2 outages` are criteria, while `p99` alone is a placeholder (digits inside a word name a metric, not a threshold).",
            why: "A placeholder criterion satisfies the letter of \"every decision has reversal criteria\" and none of its purpose: nobody can tell later whether new evidence meets `TBD`.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\nreversal: [TBD]\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\nreversal:\n  - p99 write latency above 50 ms for a week\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(reversal) = &record.fields.reversal else {
            return;
        };
        let min = cx.config.min_criterion_chars;
        for item in &reversal.value {
            if is_placeholder_criterion(&item.text, min) {
                out.emit_field(
                    record,
                    "reversal",
                    item.span,
                    format!(
                        "reversal criterion `{}` is a placeholder, not a criterion",
                        item.text.trim()
                    ),
                    format!(
                        "say what observable evidence would change the decision (at least {min} characters)"
                    ),
                );
            }
        }
    }
}

/// DL108: a decided record with fewer than two options.
pub struct TooFewOptions;

impl Rule for TooFewOptions {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL108",
            name: "too-few-options",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A decided record lists fewer than two options.",
            what: "Checks that a decision that has been made (status active or closed) lists at least two options considered, in `options` or under an \"Options considered\" / \"Considered options\" heading. Open decisions (`draft`, `proposed`) are still collecting options and are not checked; exception records are not decisions between options and are not checked either.",
            why: "A decision with one option was not a decision: nobody can later tell what was given up, or check whether a rejected alternative has become the better one.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\noptions: [Postgres]\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\noptions: [Postgres, SQLite]\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if record.is_exception()
            || record.mistyped("options")
            || !matches!(
                record.status_class(cx.config),
                Some(StatusClass::Active | StatusClass::Closed)
            )
        {
            return;
        }
        let help = "list the options considered (at least two), including the ones not taken";
        match &record.fields.options {
            Some(options) if options.value.len() >= 2 => {}
            Some(options) => out.emit_field(
                record,
                "options",
                options.key_span,
                format!(
                    "{} option{} listed: a decision needs at least two",
                    options.value.len(),
                    if options.value.len() == 1 { "" } else { "s" }
                ),
                help,
            ),
            None if relaxed("DL108", record, cx.config) => {}
            None => out.emit_field(
                record,
                "options",
                status_span(record),
                format!(
                    "the decision is `{}` but lists no options considered",
                    record.status().unwrap_or_default()
                ),
                help,
            ),
        }
    }
}

/// Whether the digits of an id (`ADR-0007` → `0007`) are the file name's number.
fn id_digits_are(id: &str, number: &str) -> bool {
    id.chars().filter(char::is_ascii_digit).eq(number.chars())
}

/// DL109: an id that does not match `id_pattern` or the file name's number.
pub struct IdMismatch;

impl Rule for IdMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL109",
            name: "id-mismatch",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "The id does not match `id_pattern`, or differs from the number in the file name.",
            what: "Checks the record's id (the `id` field, else the file name's leading number) against `id_pattern` (by default `^[0-9]{4,}$`; under `profile: madr` also a dated stem, `20200925-use-x` or `2024-03-04-use-x`; under `nygard` and `auto` any number or dated stem), and, when both an `id` field and a numbered file name exist, that the id's digits equal the file name's number. An unquoted `id: 0007` keeps its text as written, leading zeros included (decisions/0080).",
            why: "Links between decisions (`supersedes`, `superseded_by`) and every reference in reviews and chat use the id. An id that disagrees with the file name sends readers to the wrong record.",
            bad: "decisions/0007-use-postgres.md:\n---\nid: \"0008\"\ntitle: Use Postgres\n---\n",
            good: "decisions/0007-use-postgres.md:\n---\nid: \"0007\"\ntitle: Use Postgres\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let pattern = &cx.config.id_pattern;
        let Some(id) = &record.fields.id else {
            if let Some(number) = &record.file_id
                && !pattern.is_match(number)
            {
                out.emit_field(
                    record,
                    "id",
                    record.head_span(),
                    format!(
                        "the id `{number}` taken from the file name does not match `{}`",
                        pattern.as_str()
                    ),
                    "rename the file, or set `id_pattern` in .declint.yml to the scheme the log uses",
                );
            }
            return;
        };
        let value = id.value.trim();
        let number_in_yaml = value.parse::<u64>().ok();
        let leading_zeros_lost = |number: &str| {
            number_in_yaml.is_some_and(|n| number.parse::<u64>().ok() == Some(n) && number != value)
        };
        if !pattern.is_match(value) {
            let help = match &record.file_id {
                Some(number) if leading_zeros_lost(number) => {
                    format!("write the id with the file name's digits: `id: \"{number}\"`")
                }
                _ => format!(
                    "use an id that matches `{}`, or set `id_pattern` in .declint.yml",
                    pattern.as_str()
                ),
            };
            out.emit_field(
                record,
                "id",
                id.span,
                format!("id `{value}` does not match `{}`", pattern.as_str()),
                help,
            );
            return;
        }
        if let Some(number) = &record.file_id
            && !id_digits_are(value, number)
        {
            out.emit_field(
                record,
                "id",
                id.span,
                format!("id `{value}` differs from the file name's number `{number}`"),
                "make the id and the file name agree (ids are referenced by other decisions: rename the file if in doubt)",
            );
        }
    }
}

/// Template text: MADR's `{…}` slots and the markers people leave behind. Not every
/// match is template text: [`is_template_text`] keeps names such as `{fmt}` and
/// `TODO-tree` out.
static TEMPLATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[^{}]*\}\}|\{[^{}]*\}|\b(?:TBD|TBC|TODO|FIXME)\b|(?i:\btbd\b)")
        .unwrap_or_else(|_| unreachable!("the template-text pattern is a valid regex"))
});

/// `<…>` slots such as `<name>`: not right after a word (`Vec<T>` is code, not a slot),
/// no space just inside the brackets (`p99 < 50 ms or > 1%` is a comparison), and no
/// `@`, `/` or `:` (`<a@b.c>` and `<https://…>` are addresses).
static ANGLE_SLOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w<])(<[^\s<>@/:](?:[^<>@/:]*[^\s<>@/:])?>)")
        .unwrap_or_else(|_| unreachable!("the angle-slot pattern is a valid regex"))
});

/// Whether `text` can hold a [`TEMPLATE_TEXT`] match at all: a `{…}` slot needs `{`,
/// `TODO` an `O`, `FIXME` an `X`, and `TBD`, `TBC` and any-case `tbd` a `b` right after
/// a `t`. Almost no real text passes, so the regex runs on almost none: a few SIMD byte
/// searches per text instead of a regex over every field of every record.
fn may_hold_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'{', b'O', b'X', bytes).is_some()
        || memchr::memchr2_iter(b'b', b'B', bytes).any(|i| {
            i.checked_sub(1)
                .and_then(|before| bytes.get(before))
                .is_some_and(|c| c.eq_ignore_ascii_case(&b't'))
        })
}

/// Whether `start..end` of `text` stands inside a backtick code span: `` `<name>` `` or
/// `` `TBD` `` quotes a placeholder (a record discussing one), it does not leave one.
fn in_code_span(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).unwrap_or_default();
    let after = text.get(end..).unwrap_or_default();
    before.bytes().filter(|&b| b == b'`').count() % 2 == 1 && after.contains('`')
}

/// Whether a [`TEMPLATE_TEXT`] match at `start..end` of `text` is template text:
/// - inside a backtick code span it is quoted, not left ([`in_code_span`]);
/// - a `{…}` slot describes what to write, so it is several words (`{short title of
///   solved problem}`), an ellipsis, empty, or a doubled `{{name}}` — a single word in
///   braces is a name (`{fmt}`, the C++ library);
/// - a marker word hyphenated into a longer word (`TODO-tree`, `pre-TBD`) is a name.
fn is_template_text(text: &str, start: usize, end: usize) -> bool {
    if in_code_span(text, start, end) {
        return false;
    }
    let found = text.get(start..end).unwrap_or_default();
    if let Some(inner) = found.strip_prefix('{') {
        let inner = inner.strip_suffix('}').unwrap_or(inner).trim();
        return found.starts_with("{{")
            || inner.is_empty()
            || inner.contains(char::is_whitespace)
            || inner.chars().all(|c| c == '.' || c == '…');
    }
    let before = text.get(..start).unwrap_or_default();
    let after = text.get(end..).unwrap_or_default();
    let joined_before = before
        .strip_suffix('-')
        .is_some_and(|b| b.chars().next_back().is_some_and(char::is_alphanumeric));
    let joined_after = after
        .strip_prefix('-')
        .is_some_and(|a| a.chars().next().is_some_and(char::is_alphanumeric));
    !(joined_before || joined_after)
}

/// The first template placeholder in `text`, if any.
pub fn template_placeholder(text: &str) -> Option<&str> {
    let marker = if may_hold_marker(text) {
        TEMPLATE_TEXT
            .find_iter(text)
            .find(|m| is_template_text(text, m.start(), m.end()))
    } else {
        None
    };
    // An [`ANGLE_SLOT`] needs both brackets.
    let slot = if memchr::memchr(b'<', text.as_bytes()).is_some()
        && memchr::memchr(b'>', text.as_bytes()).is_some()
    {
        ANGLE_SLOT
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .find(|m| !in_code_span(text, m.start(), m.end()))
    } else {
        None
    };
    match (marker, slot) {
        (Some(m), Some(s)) if s.start() < m.start() => Some(s.as_str()),
        (Some(m), _) => Some(m.as_str()),
        (None, s) => s.map(|s| s.as_str()),
    }
}

/// DL111: an evidence entry whose `criterion` names no reversal criterion of its record.
pub struct UnknownCriterion;

impl Rule for UnknownCriterion {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL111",
            name: "unknown-criterion",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "An evidence entry cites a reversal criterion the decision does not have.",
            what: "Checks the `criterion` of each `evidence` entry: a 1-based index must be within the decision's reversal criteria (from `reversal` or the \"Reversal criteria\" section), and a text must be one of them (case and spacing ignored).",
            why: "Evidence counts because it meets a criterion written before the fact. `criterion: 7` on a decision with one criterion, or a criterion text that was never written, points at nothing: the change rules could not tell which promise the evidence keeps.",
            bad: "---\ntitle: Use Postgres\nreversal: [p99 latency above 200 ms for a week]\nevidence:\n  - date: 2026-05-30\n    summary: p99 was 340 ms all week\n    criterion: 7\n---\n",
            good: "---\ntitle: Use Postgres\nreversal: [p99 latency above 200 ms for a week]\nevidence:\n  - date: 2026-05-30\n    summary: p99 was 340 ms all week\n    criterion: 1\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(evidence) = &record.fields.evidence else {
            return;
        };
        // The criteria are normalised only for a record whose evidence cites one.
        let mut criteria: Option<Vec<String>> = None;
        for item in &evidence.value {
            let Some(cited) = item.criterion.as_ref() else {
                continue;
            };
            let criteria =
                criteria.get_or_insert_with(|| crate::record::criteria::criteria(record));
            if crate::record::criteria::cites(item, criteria) {
                continue;
            }
            let have = match criteria.len() {
                0 => "the decision has no reversal criteria".to_string(),
                1 => "the decision has 1 reversal criterion".to_string(),
                n => format!("the decision has {n} reversal criteria"),
            };
            out.emit_field(
                record,
                "evidence",
                cited.span,
                format!(
                    "evidence cites criterion `{}`, but {have}",
                    cited.text.trim()
                ),
                "cite a reversal criterion by its 1-based number or its exact text",
            );
        }
    }
}

/// DL110: template placeholder text left in a field.
pub struct TemplatePlaceholder;

impl Rule for TemplatePlaceholder {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL110",
            name: "template-placeholder",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "Template placeholder text (`{…}`, `<…>`, `TBD`, `TODO`) is left in a field.",
            what: "Looks for template slots and markers in the title (field or H1), the decider and the other RAPID roles, the options (field or body section), the reversal criteria, `deprioritized`, `owner`, `risk`, the evidence summaries and the dissent notes: `{…}` and `<…>` slots such as MADR's `{short title of solved problem}`, and the words `TBD`, `TBC`, `TODO` and `FIXME`. A `<…>` right after a word (`Vec<T>`), with a space just inside it (`< 50 ms or >`), or holding `@`, `/` or `:` (addresses) is not a slot, a single word in braces (`{fmt}`) is a name, a marker hyphenated into a word (`TODO-tree`) is a name, and anything inside backticks is quoted, not left. A reversal criterion that is nothing but a placeholder is DL107's finding instead. A warning by default because it matches text; raise it to an error with `rules: {DL110: error}`.",
            why: "Copying a template and filling in only some of it is the most common way a record ends up incomplete while looking complete: every field is present, and one of them still says `{decider}`.",
            bad: "---\ntitle: \"{short title of solved problem}\"\ndecider: TBD\n---\n",
            good: "---\ntitle: Use Postgres for the order store\ndecider: ana\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        // Each text is checked as it is reached, in a fixed order; nothing is collected
        // first, so a record without placeholders costs no allocation.
        let mut check = |name: &str, text: &str, span: Span| {
            if let Some(found) = template_placeholder(text) {
                out.emit_field(
                    record,
                    name.split(' ').next().unwrap_or(name),
                    span,
                    format!("`{name}` still holds template text `{found}`"),
                    "replace the placeholder with the real content",
                );
            }
        };
        let f = &record.fields;
        match (&f.title, &record.h1) {
            (Some(title), _) => check("title", &title.value, title.span),
            (None, Some(h1)) => check("title", &h1.text, h1.span),
            (None, None) => {}
        }
        if let Some(decider) = &f.decider {
            for n in &decider.value.names {
                check("decider", &n.text, n.span);
            }
        }
        let lists: [(&str, &Option<Field<Vec<Text>>>); 5] = [
            ("recommend", &f.recommend),
            ("agree", &f.agree),
            ("perform", &f.perform),
            ("input", &f.input),
            ("deprioritized", &f.deprioritized),
        ];
        for (name, list) in lists {
            for t in list.iter().flat_map(|l| &l.value) {
                check(name, &t.text, t.span);
            }
        }
        for o in f.options.iter().flat_map(|o| &o.value) {
            check("options", &o.name, o.span);
        }
        let min = cx.config.min_criterion_chars;
        for t in f.reversal.iter().flat_map(|r| &r.value) {
            if !is_placeholder_criterion(&t.text, min) {
                check("reversal", &t.text, t.span);
            }
        }
        for (name, field) in [("owner", &f.owner), ("risk", &f.risk)] {
            if let Some(field) = field {
                check(name, &field.value, field.span);
            }
        }
        for t in f
            .evidence
            .iter()
            .flat_map(|e| &e.value)
            .filter_map(|e| e.summary.as_ref())
        {
            check("evidence summary", &t.text, t.span);
        }
        for t in f
            .dissent
            .iter()
            .flat_map(|d| &d.value)
            .filter_map(|d| d.note.as_ref())
        {
            check("dissent note", &t.text, t.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Profile;
    use crate::rules::testing::check_one;

    /// [`template_placeholder`] with the regexes run on every text.
    fn placeholder_by_regex(text: &str) -> Option<&str> {
        let marker = TEMPLATE_TEXT
            .find_iter(text)
            .find(|m| is_template_text(text, m.start(), m.end()));
        let slot = ANGLE_SLOT.captures(text).and_then(|c| c.get(1));
        match (marker, slot) {
            (Some(m), Some(s)) if s.start() < m.start() => Some(s.as_str()),
            (Some(m), _) => Some(m.as_str()),
            (None, s) => s.map(|s| s.as_str()),
        }
    }

    #[test]
    fn each_marker_alone_is_found() {
        for marker in [
            "TBD", "TBC", "TODO", "FIXME", "tbd", "tBd", "{a b}", "{{x}}", "<name>",
        ] {
            assert_eq!(template_placeholder(marker), Some(marker));
            let text = format!("see {marker} later");
            assert_eq!(template_placeholder(&text), Some(marker), "{text}");
        }
    }

    proptest::proptest! {
        /// The byte pass that spares most texts the regexes never spares one that holds a
        /// placeholder: on texts made of the bytes it looks for, the answers are equal.
        #[test]
        fn the_byte_pass_never_hides_a_placeholder(
            text in "[{}<>OXxbBtTDdCcIMEF .é-]{0,24}|((TBD|tbd|TODO|FIXME|TBC|\\{[a-z ]*\\}|<[a-z]+>|x)( |-|))*"
        ) {
            proptest::prop_assert_eq!(template_placeholder(&text), placeholder_by_regex(&text));
        }

        /// DL107 looks for a whole-text slot only in texts that start like one; that
        /// misses none.
        #[test]
        fn a_criterion_that_is_wholly_a_slot_is_always_looked_at(
            text in " ?((TBD|tbd|tBd|TODO|FIXME|TBC|\\{[a-z ]*\\}|<[a-z]+>|x|é)( |-|)){1,3}",
            // Without a minimum length too, so that the length rule hides no slot.
            min_chars in proptest::sample::select(&[0usize, 12][..]),
        ) {
            let trimmed = text.trim();
            let by_regex = PLACEHOLDER_CRITERIA.contains(&trimmed.to_lowercase().as_str())
                || placeholder_by_regex(trimmed) == Some(trimmed)
                || (trimmed.chars().count() < min_chars && !is_measurable(trimmed));
            proptest::prop_assert_eq!(is_placeholder_criterion(&text, min_chars), by_regex);
        }
    }

    #[test]
    fn dl101_fires_for_each_missing_field() {
        let f = check_one(&RequiredField, "---\ntitle: x\n---\n");
        let messages: Vec<_> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            ["required field `status` is missing"],
            "a missing decider is DL201's, not DL101's"
        );
    }

    #[test]
    fn dl101_takes_the_title_from_the_body() {
        let f = check_one(
            &RequiredField,
            "---\nstatus: proposed\ndecider: ana\n---\n# Use Postgres\n",
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn dl101_wants_a_date_once_decided() {
        let f = check_one(
            &RequiredField,
            "---\ntitle: x\nstatus: accepted\ndecider: ana\n---\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 1));
        let f = check_one(
            &RequiredField,
            "---\ntitle: x\nstatus: accepted\ndecider: ana\ndate: 2026-01-01\n---\n",
        );
        assert!(f.is_empty());
    }

    #[test]
    fn dl102_suggests_a_status() {
        let f = check_one(&UnknownStatus, "---\nstatus: acepted\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].help, "did you mean `accepted`?");
        assert!(check_one(&UnknownStatus, "---\nstatus: Accepted\n---\n").is_empty());
    }

    fn at(f: &crate::finding::Finding) -> (usize, usize) {
        (f.start.line, f.start.column)
    }

    #[test]
    fn dl103_points_at_each_bad_date() {
        let f = check_one(
            &InvalidDate,
            "---\ndate: 2026-02-30\nraised: 2026-02-01\nreview_by: soon\nevidence:\n  - date: 2026-1-5\n    summary: x\n---\n",
        );
        let places: Vec<_> = f.iter().map(at).collect();
        assert_eq!(places, [(2, 7), (4, 12), (6, 11)]);
        assert!(
            check_one(
                &InvalidDate,
                "---\ndate: 2026-02-28\ndue: 2026-03-01T10:00:00Z\n---\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl104_allows_today_tomorrow_and_future_deadlines() {
        let f = check_one(
            &FutureDate,
            "---\ndate: 2026-06-03\nraised: 2026-06-02\nreview_by: 2027-01-01\n---\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(at(&f[0]), (2, 7));
        assert!(check_one(&FutureDate, "---\ndate: 2026-06-01\ndue: 2030-01-01\n---\n").is_empty());
    }

    #[test]
    fn dl105_fires_when_raised_is_later() {
        let f = check_one(
            &RaisedAfterDate,
            "---\nraised: 2026-03-05\ndate: 2026-03-02\n---\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (2, 9));
        assert!(
            check_one(
                &RaisedAfterDate,
                "---\nraised: 2026-03-02\ndate: 2026-03-02\n---\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl106_fires_on_active_decisions_only() {
        let f = check_one(&MissingReversal, "---\nstatus: accepted\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (2, 9));
        let f = check_one(
            &MissingReversal,
            "---\nstatus: accepted\nreversal: []\n---\n",
        );
        assert_eq!(at(&f[0]), (3, 1));
        assert!(check_one(&MissingReversal, "---\nstatus: proposed\n---\n").is_empty());
        let exception = "---\nkind: exception\nstatus: accepted\nexpires: 2026-07-01\n---\n";
        assert!(check_one(&MissingReversal, exception).is_empty());
        assert!(
            check_one(
                &MissingReversal,
                "---\nstatus: accepted\nreversal: [load above 10k rows/s]\n---\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl106_reads_the_body_section_but_not_an_empty_one() {
        let body =
            "---\nstatus: accepted\n---\n# T\n\n## Reversal criteria\n\n- load above 10k rows/s\n";
        assert!(check_one(&MissingReversal, body).is_empty());
        let empty = "---\nstatus: accepted\n---\n# T\n\n## Reversal criteria\n\n## Notes\n\ntext\n";
        assert_eq!(check_one(&MissingReversal, empty).len(), 1);
    }

    #[test]
    fn dl106_is_silent_under_madr_unless_required() {
        use crate::config::Config;
        use crate::rules::testing::{record_with, run_rule};
        let text = "---\nstatus: accepted\n---\n# T\n";
        let madr = Config::for_profile(Profile::Madr);
        let record = record_with(&madr, "docs/adr/0001-t.md", text);
        assert!(run_rule(&MissingReversal, &madr, &[record]).is_empty());
        let mut strict = Config::for_profile(Profile::Madr);
        strict.required.push("reversal".into());
        let record = record_with(&strict, "docs/adr/0001-t.md", text);
        assert_eq!(run_rule(&MissingReversal, &strict, &[record]).len(), 1);
    }

    #[test]
    fn dl107_fires_on_placeholders_and_short_criteria() {
        let f = check_one(
            &PlaceholderCriterion,
            "---\nreversal:\n  - TBD\n  - n/a\n  - too short\n  - p99 write latency above 50 ms\n  - p99 > 200ms\n  - error rate ≥ 5%\n  - '{what would change it}'\n---\n",
        );
        let places: Vec<_> = f.iter().map(at).collect();
        assert_eq!(places, [(3, 5), (4, 5), (5, 5), (9, 5)]);
        assert!(
            check_one(
                &PlaceholderCriterion,
                "---\nreversal: [p99 write latency above 50 ms]\n---\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl108_fires_on_decided_records_with_one_option() {
        let f = check_one(&TooFewOptions, "---\nstatus: accepted\noptions: [a]\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (3, 1));
        let f = check_one(&TooFewOptions, "---\nstatus: rejected\n---\n");
        assert_eq!(at(&f[0]), (2, 9));
        assert!(check_one(&TooFewOptions, "---\nstatus: proposed\n---\n").is_empty());
        assert!(
            check_one(
                &TooFewOptions,
                "---\nstatus: accepted\noptions: [a, b]\n---\n"
            )
            .is_empty()
        );
        let body = "---\nstatus: accepted\n---\n## Considered options\n\n- a\n- b\n";
        assert!(check_one(&TooFewOptions, body).is_empty());
    }

    #[test]
    fn dl109_checks_the_pattern_and_the_file_number() {
        let f = check_one(&IdMismatch, "---\nid: \"0002\"\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!(at(&f[0]), (2, 5));
        assert!(f[0].message.contains("`0001`"), "{}", f[0].message);
        // An unquoted id keeps its text as written (YAML 1.2, decisions/0080).
        assert!(check_one(&IdMismatch, "---\nid: 0001\n---\n").is_empty());
        let f = check_one(&IdMismatch, "---\nid: 1\n---\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].help.contains("\"0001\""), "{}", f[0].help);
        assert!(check_one(&IdMismatch, "---\nid: \"0001\"\n---\n").is_empty());
        assert!(check_one(&IdMismatch, "---\ntitle: x\n---\n").is_empty());
    }

    #[test]
    fn dl109_checks_a_file_name_id_against_the_pattern() {
        use crate::config::Config;
        use crate::rules::testing::{record_with, run_rule};
        let config = Config::default();
        let record = record_with(&config, "decisions/7-x.md", "---\ntitle: x\n---\n");
        assert_eq!(run_rule(&IdMismatch, &config, &[record]).len(), 1);
    }

    #[test]
    fn dl110_finds_template_text_in_fields_and_body() {
        let f = check_one(
            &TemplatePlaceholder,
            "---\ndecider: TBD\noptions: [\"{title of option 1}\", Postgres]\nreversal: [TBD]\n---\n# {short title of solved problem}\n",
        );
        let places: Vec<_> = f.iter().map(at).collect();
        assert_eq!(places, [(6, 1), (2, 10), (3, 11)], "{f:?}");
        assert!(
            check_one(
                &TemplatePlaceholder,
                "---\ntitle: Use Postgres for orders\ndecider: ana\noptions: [Postgres, SQLite]\nagree: [\"@bo\"]\n---\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl110_pattern() {
        for text in [
            "{{x}}",
            "{short title of solved problem}",
            "{…}",
            "<name>",
            "Use <tool> for builds",
            "TBD later",
            "tbd",
            "TODO: pick",
            "FIXME",
            "the tBd list",
            "TBC",
            "pick one {}",
            "a [FIXME] here",
        ] {
            assert!(template_placeholder(text).is_some(), "{text}");
        }
        for text in [
            "Use Postgres",
            "todo list app",
            "<https://x.org>",
            "mail <a@b.c>",
            "stdbd",
            "outbound TBDs",
            "a <b",
            "Tb and tB",
            "{fmt}",
            "Adopt {fmt} for formatting",
            "TODO-tree",
            "Use the TODO-tree extension",
        ] {
            assert!(template_placeholder(text).is_none(), "{text}");
        }
    }
}
