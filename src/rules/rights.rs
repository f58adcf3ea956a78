//! DL2xx: decision rights — one named decider, roles that do not contradict each other,
//! and the extra care a one-way door needs.

use super::relax::relaxed;
use super::{Context, Emitter, Rule, RuleMeta, Stage};
use crate::finding::Severity;
use crate::people::identity;
use crate::record::Record;

/// DL201: no decider.
pub struct NoDecider;

impl Rule for NoDecider {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL201",
            name: "no-decider",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "The record names no decider.",
            what: "Checks that `decider` is present and names someone. This rule owns the missing decider (DL101 does not report it again). It applies when `decider` is in `required`, which it is by default; under `profile: madr` the decider is read from `decision-makers` or `deciders` and is only demanded when `required` lists it.",
            why: "The practice behind a decision log is that every decision has one person who decides (RAPID's D). A decision nobody owns is one nobody can be asked about, and nobody will revisit.",
            bad: "---\ntitle: Use Postgres\nstatus: accepted\ndecider:\n---\n",
            good: "---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if !cx.config.required.iter().any(|f| f == "decider")
            || record.mistyped("decider")
            || relaxed("DL201", record, cx.config)
        {
            return;
        }
        let help = "name the one person who makes this decision: `decider: <name or handle>`";
        match &record.fields.decider {
            Some(decider) if !decider.value.names.is_empty() => {}
            Some(decider) => out.emit_field(
                record,
                "decider",
                decider.key_span,
                "`decider` is empty: nobody is named as the decider",
                help,
            ),
            None => out.emit_field(record, "decider", record.head_span(), "no `decider`", help),
        }
    }
}

/// DL202: more than one decider.
pub struct MultipleDeciders;

impl Rule for MultipleDeciders {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL202",
            name: "multiple-deciders",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "More than one decider is named.",
            what: "Reports a `decider` that names two or more people: a list with several entries, or a string joined with `and`, `,`, `;`, `&` or `/` (`ana and bo`), and a decider that is a team handle (`@org/platform`), which names a group rather than a person. A name the roster knows is one person whatever its punctuation (`roster: [\"Lima, Ana\"]` makes `decider: Lima, Ana` one decider). A one-element list is accepted. Under `profile: madr`, where `decision-makers` is often a group, the rule runs only when `required` lists `decider`.",
            why: "Shared ownership of a decision is no ownership: when two people decide, each can wait for the other, and neither is asked when the reversal criteria are met. Name one decider; the others belong under `agree`, `recommend` or `input`.",
            bad: "---\ntitle: Use Postgres\ndecider: ana and bo\n---\n",
            good: "---\ntitle: Use Postgres\ndecider: ana\nagree: [bo]\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if relaxed(self.meta().code, record, cx.config) {
            return;
        }
        let Some(decider) = &record.fields.decider else {
            return;
        };
        let names = &decider.value.names;
        if let [only] = names.as_slice() {
            if crate::record::fields::is_team_handle(&only.text) {
                out.emit_field(
                    record,
                    "decider",
                    decider.span,
                    format!(
                        "`{}` is a team handle: a decision has one named person as its decider",
                        only.text
                    ),
                    "name the one person who decides; list the team under `agree` or `input`",
                );
            }
            return;
        }
        if names.len() < 2 {
            return;
        }
        let listed: Vec<String> = names.iter().map(|n| format!("`{}`", n.text)).collect();
        out.emit_field(
            record,
            "decider",
            decider.span,
            format!(
                "{} deciders named ({}): a decision has exactly one",
                names.len(),
                listed.join(", ")
            ),
            "keep one decider; list the others under `agree`, `recommend` or `input`",
        );
    }
}

/// DL204: the decider also holds another RAPID role.
pub struct DeciderInOtherRole;

impl Rule for DeciderInOtherRole {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL204",
            name: "decider-in-other-role",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "The decider is also listed under `agree` or `recommend`.",
            what: "Compares the decider with the people under `agree` and `recommend` (ignoring case and a leading `@`) and reports each overlap at the listed entry. A warning by default: the record is complete, but its roles contradict each other.",
            why: "In RAPID the recommender proposes, those who agree can block, and the decider commits. A decider who also recommends has nobody checking the proposal; a decider who must also agree has given themselves a veto over their own decision. Either way the roles stop telling readers who did what.",
            bad: "---\ntitle: Use Postgres\ndecider: ana\nrecommend: [ana]\nagree: [bo]\n---\n",
            good: "---\ntitle: Use Postgres\ndecider: ana\nrecommend: [cy]\nagree: [bo]\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        if relaxed(self.meta().code, record, cx.config) {
            return;
        }
        let f = &record.fields;
        let Some(decider) = &f.decider else {
            return;
        };
        let roster = cx.config.roster.as_ref();
        for name in &decider.value.names {
            let key = identity(roster, &name.text);
            for (role, list) in [("agree", &f.agree), ("recommend", &f.recommend)] {
                let Some(list) = list else { continue };
                for person in list
                    .value
                    .iter()
                    .filter(|p| identity(roster, &p.text) == key)
                {
                    out.emit_field(
                        record,
                        role,
                        person.span,
                        format!("the decider `{}` is also listed under `{role}`", name.text),
                        format!(
                            "remove `{}` from `{role}`, or name another decider",
                            person.text
                        ),
                    );
                }
            }
        }
    }
}

/// DL205: a one-way door decided without the extra care it needs.
pub struct OneWayDoor;

impl Rule for OneWayDoor {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL205",
            name: "one-way-door",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A one-way door (`reversibility: one-way`) lacks two options, an `agree` list or a `dissent` key.",
            what: "For a record with `reversibility: one-way`, checks that it lists at least two options, names at least one person under `agree`, and has a `dissent` key. `dissent: []` is an explicit \"nobody dissented\" and is accepted; a missing key is not, because it cannot be told apart from \"nobody asked\". Applies whatever the status, so a proposal is held to it before it is accepted.",
            why: "A decision that is expensive or impossible to undo deserves more than one option, sign-off from the people who can block it, and a record of who disagreed. These are cheap to write down before the door closes and impossible to recover after.",
            bad: "---\ntitle: Delete the legacy archive\nreversibility: one-way\noptions: [delete it]\n---\n",
            good: "---\ntitle: Delete the legacy archive\nreversibility: one-way\noptions: [delete it, move it to cold storage]\nagree: [legal, sre]\ndissent:\n  - who: bo\n    note: keep one year in cold storage first\n---\n",
        }
    }

    fn check_record(&self, record: &Record, _cx: &Context<'_>, out: &mut Emitter<'_>) {
        let f = &record.fields;
        let Some(reversibility) = &f.reversibility else {
            return;
        };
        if reversibility.value != "one-way" {
            return;
        }
        // A mistyped field is DL003's finding; it is not also reported as missing here.
        let mut missing = Vec::new();
        if !record.mistyped("options") && f.options.as_ref().is_none_or(|o| o.value.len() < 2) {
            missing.push("at least two `options`");
        }
        if !record.mistyped("agree") && f.agree.as_ref().is_none_or(|a| a.value.is_empty()) {
            missing.push("an `agree` list");
        }
        if !record.mistyped("dissent") && f.dissent.is_none() {
            missing.push("a `dissent` key (`dissent: []` if nobody disagreed)");
        }
        if missing.is_empty() {
            return;
        }
        out.emit_field(
            record,
            "reversibility",
            reversibility.span,
            format!("one-way door without {}", missing.join(", ")),
            "a decision that cannot be undone needs alternatives, sign-off and recorded dissent",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::config::Profile;
    use crate::rules::testing::{check_one, record_with, run_rule};

    #[test]
    fn dl201_fires_without_a_decider() {
        let f = check_one(&NoDecider, "---\ntitle: x\nstatus: proposed\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (1, 1));
        let f = check_one(&NoDecider, "---\ntitle: x\ndecider: \"\"\n---\n");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 1));
        assert!(check_one(&NoDecider, "---\ntitle: x\ndecider: ana\n---\n").is_empty());
    }

    #[test]
    fn dl201_is_silent_under_madr_unless_required() {
        let text = "---\nstatus: accepted\n---\n# T\n";
        let madr = Config::for_profile(Profile::Madr);
        let record = record_with(&madr, "docs/adr/0001-t.md", text);
        assert!(run_rule(&NoDecider, &madr, &[record]).is_empty());
        let mut strict = Config::for_profile(Profile::Madr);
        strict.required.push("decider".into());
        let record = record_with(&strict, "docs/adr/0001-t.md", text);
        assert_eq!(run_rule(&NoDecider, &strict, &[record]).len(), 1);
    }

    #[test]
    fn dl202_fires_on_lists_and_joined_names() {
        for decider in ["[ana, bo]", "ana and bo", "\"ana, bo\"", "ana & bo"] {
            let f = check_one(
                &MultipleDeciders,
                &format!("---\ntitle: x\ndecider: {decider}\n---\n"),
            );
            assert_eq!(f.len(), 1, "{decider}");
            assert_eq!((f[0].start.line, f[0].start.column), (3, 10), "{decider}");
        }
        assert!(check_one(&MultipleDeciders, "---\ndecider: ana\n---\n").is_empty());
        assert!(check_one(&MultipleDeciders, "---\ndecider: [ana]\n---\n").is_empty());
    }

    #[test]
    fn dl204_points_at_the_overlapping_entry() {
        let f = check_one(
            &DeciderInOtherRole,
            "---\ndecider: \"@ana\"\nagree: [bo, Ana]\nrecommend: [cy]\n---\n",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 13));
        assert!(
            check_one(
                &DeciderInOtherRole,
                "---\ndecider: ana\nagree: [bo]\nrecommend: [cy]\n---\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn dl205_lists_what_a_one_way_door_lacks() {
        let f = check_one(
            &OneWayDoor,
            "---\ntitle: x\nreversibility: one-way\noptions: [a]\n---\n",
        );
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("two `options`"), "{}", f[0].message);
        assert!(f[0].message.contains("`agree`"), "{}", f[0].message);
        assert!(f[0].message.contains("`dissent`"), "{}", f[0].message);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 16));
        let ok = "---\ntitle: x\nreversibility: one-way\noptions: [a, b]\nagree: [bo]\ndissent: []\n---\n";
        assert!(check_one(&OneWayDoor, ok).is_empty());
        assert!(check_one(&OneWayDoor, "---\nreversibility: two-way\n---\n").is_empty());
    }
}
