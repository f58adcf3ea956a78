//! DL1xx: what a record says — required fields, statuses, dates, reversal criteria,
//! options, ids and placeholder text.

use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::config::StatusClass;
use crate::finding::Severity;
use crate::record::Record;

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
            what: "Checks that every field listed in `required` (by default `title`, `status` and `decider`) is present, and that `date` is present once the decision is no longer open. The title may come from the body's first `# ` heading.",
            why: "A decision without a status cannot be filtered, one without a date cannot be aged, and one without a decider has nobody to ask. These are the fields everything else is built on.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-03-02\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let span = record.head_span();
        for field in &cx.config.required {
            if !has_field(record, field) {
                out.emit(
                    record,
                    span,
                    format!("required field `{field}` is missing"),
                    format!("add `{field}:` to the front-matter"),
                );
            }
        }
        let decided = matches!(
            record.status_class(cx.config),
            Some(StatusClass::Active | StatusClass::Closed)
        );
        // MADR's `date` is optional; under that profile only `required: [date]` asks for it.
        if decided
            && cx.config.profile != crate::config::Profile::Madr
            && record.fields.date.is_none()
            && !cx.config.required.iter().any(|f| f == "date")
        {
            let span = record.fields.status.as_ref().map_or(span, |s| s.key_span);
            out.emit(
                record,
                span,
                format!(
                    "`date` is missing: a decision with status `{}` has been decided",
                    record.status().unwrap_or_default()
                ),
                "add `date: YYYY-MM-DD`, the day the decision was made",
            );
        }
    }
}

/// Whether `field` (a canonical field name) is set on the record.
fn has_field(record: &Record, field: &str) -> bool {
    let f = &record.fields;
    match field {
        "id" => record.id().is_some(),
        "title" => record.title().is_some_and(|t| !t.trim().is_empty()),
        "kind" => f.kind.is_some(),
        "status" => f.status.is_some(),
        "raised" => f.raised.is_some(),
        "due" => f.due.is_some(),
        "date" => f.date.is_some(),
        "decider" => f
            .decider
            .as_ref()
            .is_some_and(|d| !d.value.names.is_empty()),
        "recommend" => f.recommend.is_some(),
        "agree" => f.agree.is_some(),
        "perform" => f.perform.is_some(),
        "input" => f.input.is_some(),
        "options" => f.options.is_some(),
        "reversal" => f.reversal.is_some(),
        "review_by" => f.review_by.is_some(),
        "priority" => f.priority.is_some(),
        "deprioritized" => f.deprioritized.is_some(),
        "evidence" => f.evidence.is_some(),
        "dissent" => f.dissent.is_some(),
        "supersedes" => f.supersedes.is_some(),
        "superseded_by" => f.superseded_by.is_some(),
        "reversibility" => f.reversibility.is_some(),
        "uncertainty" => f.uncertainty.is_some(),
        "expires" => f.expires.is_some(),
        "owner" => f.owner.is_some(),
        "risk" => f.risk.is_some(),
        "affects" => f.affects.is_some(),
        "tags" => f.tags.is_some(),
        _ => true,
    }
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
        let help = match crate::record::fields::suggest(&lower, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of: {}", names.join(", ")),
        };
        out.emit(
            record,
            status.span,
            format!("unknown status `{}`", status.value),
            help,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check_one;

    #[test]
    fn dl101_fires_for_each_missing_field() {
        let f = check_one(&RequiredField, "---\ntitle: x\n---\n");
        let messages: Vec<_> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "required field `status` is missing",
                "required field `decider` is missing"
            ]
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
}
