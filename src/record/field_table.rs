//! The one table of record fields: each field's canonical name, its shape, which profiles
//! know it, what it means, how its YAML value is typed into [`Fields`](super::Fields) and how a rule asks
//! whether a record has it.
//!
//! Adding a field is one row here plus its slot in [`Fields`](super::Fields). Typing (`type_fields`),
//! the required-field check (DL101), the unknown-key check (DL004) and its suggestions,
//! `required:` in the config, the JSON schema's descriptions and a language server's
//! hover text and completions all read this table, so they cannot drift apart.

use super::Record;
use super::fields::{
    Mismatch, Reading, date, dissent, evidence, ids, list, names, one_of, options, priority,
    scalar, string, uncertainty,
};
use crate::config::Profile;
use crate::yaml::Node;
use std::sync::LazyLock;

/// The shape of a field's value, which decides what `key:` with no value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One value; `key:` with nothing after it is "not filled in yet" (the field is
    /// missing, and the rule that needs it reports it at the key).
    Single,
    /// A list (of names, ids, texts or mappings); `key:` reads as `[]`.
    List,
    /// A mapping of named entries (`uncertainty`).
    Mapping,
}

/// One record field.
pub struct FieldDef {
    /// The canonical key (`review_by`; `review-by` is folded to it).
    pub name: &'static str,
    pub shape: Shape,
    /// The profiles under which the key is a field; under the others it is DL004.
    pub profiles: &'static [Profile],
    /// What the field means, in one or two sentences: the schema's description and the
    /// hover text of an editor.
    pub meaning: &'static str,
    /// Type the YAML value into its slot of [`Fields`](super::Fields).
    read: fn(Node<'_>, Reading<'_>) -> Result<(), Mismatch>,
    /// Whether a record has the field (for DL101 and `required:`).
    present: fn(&Record) -> bool,
}

impl FieldDef {
    /// Whether the field is known under `profile`.
    pub fn known_in(&self, profile: Profile) -> bool {
        self.profiles.contains(&profile)
    }

    /// Whether `record` has this field.
    pub fn is_present(&self, record: &Record) -> bool {
        (self.present)(record)
    }

    pub(super) fn read(&self, node: Node<'_>, reading: Reading<'_>) -> Result<(), Mismatch> {
        (self.read)(node, reading)
    }
}

/// Every profile: the fields of the declint record are read under all of them.
const EVERY: &[Profile] = &[
    Profile::Declint,
    Profile::Madr,
    Profile::Nygard,
    Profile::Auto,
];
/// MADR's own front-matter keys, known where MADR records are read.
const MADR: &[Profile] = &[Profile::Madr, Profile::Auto];

/// The record fields, in the order of SPEC §2 (the order the schema lists them).
pub const FIELD_TABLE: &[FieldDef] = &[
    FieldDef {
        name: "id",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "Unique id; defaults to the file name's leading number. Must match `id_pattern`.",
        read: |n, r| scalar(n).map(|v| r.fields.id = r.at.field(v)),
        present: |rec| rec.id().is_some(),
    },
    FieldDef {
        name: "title",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "One line; defaults to the first `# ` heading of the body.",
        read: |n, r| string(n).map(|v| r.fields.title = r.at.field(v)),
        present: |rec| rec.title().is_some_and(|t| !t.trim().is_empty()),
    },
    FieldDef {
        name: "kind",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "`exception` makes this an entry of the exception register.",
        read: |n, r| {
            one_of(n, &["decision", "exception"], "`decision` or `exception`")
                .map(|v| r.fields.kind = r.at.field(v))
        },
        present: |rec| rec.fields.kind.is_some(),
    },
    FieldDef {
        name: "status",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "One of the configured statuses (default: draft, proposed, accepted, rejected, deprecated, superseded, reversed).",
        read: |n, r| scalar(n).map(|v| r.fields.status = r.at.field(v)),
        present: |rec| rec.fields.status.is_some(),
    },
    FieldDef {
        name: "raised",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "When the question was raised.",
        read: |n, r| date(n).map(|v| r.fields.raised = r.at.field(v)),
        present: |rec| rec.fields.raised.is_some(),
    },
    FieldDef {
        name: "due",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "When it must be decided; default `raised` + `decision_sla_hours`.",
        read: |n, r| date(n).map(|v| r.fields.due = r.at.field(v)),
        present: |rec| rec.fields.due.is_some(),
    },
    FieldDef {
        name: "date",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "When it was decided; required once the decision is not open.",
        read: |n, r| date(n).map(|v| r.fields.date = r.at.field(v)),
        present: |rec| rec.fields.date.is_some(),
    },
    FieldDef {
        name: "decider",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "Exactly one named person or handle (RAPID \"Decide\").",
        read: |n, r| names(n, r.roster).map(|v| r.fields.decider = r.at.field(v)),
        present: has_decider,
    },
    FieldDef {
        name: "recommend",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "RAPID \"Recommend\".",
        read: |n, r| list(n).map(|v| r.fields.recommend = r.at.field(v)),
        present: |rec| rec.fields.recommend.is_some(),
    },
    FieldDef {
        name: "agree",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "RAPID \"Agree\": who must agree before it is final.",
        read: |n, r| list(n).map(|v| r.fields.agree = r.at.field(v)),
        present: |rec| rec.fields.agree.is_some(),
    },
    FieldDef {
        name: "perform",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "RAPID \"Perform\".",
        read: |n, r| list(n).map(|v| r.fields.perform = r.at.field(v)),
        present: |rec| rec.fields.perform.is_some(),
    },
    FieldDef {
        name: "input",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "RAPID \"Input\".",
        read: |n, r| list(n).map(|v| r.fields.input = r.at.field(v)),
        present: |rec| rec.fields.input.is_some(),
    },
    FieldDef {
        name: "options",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "The options considered (at least two): names, or mappings with `name` and optional `pros`/`cons`.",
        read: |n, r| options(n).map(|v| r.fields.options = r.at.field(v)),
        present: |rec| rec.fields.options.is_some(),
    },
    FieldDef {
        name: "reversal",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "Reversal criteria: what new evidence would change this decision.",
        read: |n, r| list(n).map(|v| r.fields.reversal = r.at.field(v)),
        present: |rec| rec.fields.reversal.is_some(),
    },
    FieldDef {
        name: "review_by",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "When the decision must be looked at again.",
        read: |n, r| date(n).map(|v| r.fields.review_by = r.at.field(v)),
        present: |rec| rec.fields.review_by.is_some(),
    },
    FieldDef {
        name: "priority",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "For decisions that set a priority: `P0`…`P4` or an integer.",
        read: |n, r| priority(n).map(|v| r.fields.priority = r.at.field(v)),
        present: |rec| rec.fields.priority.is_some(),
    },
    FieldDef {
        name: "deprioritized",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "What the team gives up for this priority.",
        read: |n, r| list(n).map(|v| r.fields.deprioritized = r.at.field(v)),
        present: |rec| rec.fields.deprioritized.is_some(),
    },
    FieldDef {
        name: "evidence",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "Evidence entries; a reversal or priority change needs a new one.",
        read: |n, r| evidence(n, r.issues).map(|v| r.fields.evidence = r.at.field(v)),
        present: |rec| rec.fields.evidence.is_some(),
    },
    FieldDef {
        name: "dissent",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "Who disagreed and why; an empty list says there was no dissent.",
        read: |n, r| dissent(n).map(|v| r.fields.dissent = r.at.field(v)),
        present: |rec| rec.fields.dissent.is_some(),
    },
    FieldDef {
        name: "supersedes",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "The id(s) of the decision(s) this one replaces.",
        read: |n, r| ids(n).map(|v| r.fields.supersedes = r.at.field(v)),
        present: |rec| rec.fields.supersedes.is_some(),
    },
    FieldDef {
        name: "superseded_by",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "The id(s) of the decision(s) that replace this one.",
        read: |n, r| ids(n).map(|v| r.fields.superseded_by = r.at.field(v)),
        present: |rec| rec.fields.superseded_by.is_some(),
    },
    FieldDef {
        name: "reversibility",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "A one-way door (hard to undo) gets stricter checks.",
        read: |n, r| {
            one_of(n, &["one-way", "two-way"], "`one-way` or `two-way`")
                .map(|v| r.fields.reversibility = r.at.field(v))
        },
        present: |rec| rec.fields.reversibility.is_some(),
    },
    FieldDef {
        name: "uncertainty",
        shape: Shape::Mapping,
        profiles: EVERY,
        meaning: "The uncertainty budget, each 0–5. A sum above 9 is \"lead\" mode, below 6 \"manage\".",
        read: |n, r| uncertainty(n, r.issues).map(|v| r.fields.uncertainty = r.at.field(v)),
        present: |rec| rec.fields.uncertainty.is_some(),
    },
    FieldDef {
        name: "expires",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "For `kind: exception`: when the exception ends.",
        read: |n, r| date(n).map(|v| r.fields.expires = r.at.field(v)),
        present: |rec| rec.fields.expires.is_some(),
    },
    FieldDef {
        name: "owner",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "For `kind: exception`: who owns it.",
        read: |n, r| string(n).map(|v| r.fields.owner = r.at.field(v)),
        present: |rec| rec.fields.owner.is_some(),
    },
    FieldDef {
        name: "risk",
        shape: Shape::Single,
        profiles: EVERY,
        meaning: "For `kind: exception`: the risk accepted.",
        read: |n, r| string(n).map(|v| r.fields.risk = r.at.field(v)),
        present: |rec| rec.fields.risk.is_some(),
    },
    FieldDef {
        name: "affects",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "Globs of the paths this decision governs.",
        read: |n, r| list(n).map(|v| r.fields.affects = r.at.field(v)),
        present: |rec| rec.fields.affects.is_some(),
    },
    FieldDef {
        name: "tags",
        shape: Shape::List,
        profiles: EVERY,
        meaning: "Free tags.",
        read: |n, r| list(n).map(|v| r.fields.tags = r.at.field(v)),
        present: |rec| rec.fields.tags.is_some(),
    },
    FieldDef {
        name: "decision_makers",
        shape: Shape::List,
        profiles: MADR,
        meaning: "MADR: who decided (read as `decider`).",
        read: |n, r| names(n, r.roster).map(|v| r.fields.decider = r.at.field(v)),
        present: has_decider,
    },
    FieldDef {
        name: "deciders",
        shape: Shape::List,
        profiles: MADR,
        meaning: "MADR 2/3: who decided (read as `decider`).",
        read: |n, r| names(n, r.roster).map(|v| r.fields.decider = r.at.field(v)),
        present: has_decider,
    },
    FieldDef {
        name: "consulted",
        shape: Shape::List,
        profiles: MADR,
        meaning: "MADR: who was consulted.",
        read: |n, r| list(n).map(|v| r.fields.consulted = r.at.field(v)),
        present: |rec| rec.fields.consulted.is_some(),
    },
    FieldDef {
        name: "informed",
        shape: Shape::List,
        profiles: MADR,
        meaning: "MADR: who was informed.",
        read: |n, r| list(n).map(|v| r.fields.informed = r.at.field(v)),
        present: |rec| rec.fields.informed.is_some(),
    },
];

fn has_decider(record: &Record) -> bool {
    record
        .fields
        .decider
        .as_ref()
        .is_some_and(|d| !d.value.names.is_empty())
}

/// The field whose canonical name is `name`, under any profile.
pub fn field_def(name: &str) -> Option<&'static FieldDef> {
    FIELD_TABLE.iter().find(|def| def.name == name)
}

/// The field a canonical key names under `profile`; `None` makes the key DL004. Called
/// for every key of every record: the key is compared with the few rows whose names start
/// with its letter ([`ROWS_BY_LETTER`]), not with the whole table.
pub(super) fn field_in(name: &str, profile: Profile) -> Option<&'static FieldDef> {
    let rows = letter_bucket(name).and_then(|bucket| ROWS_BY_LETTER.get(bucket))?;
    rows.iter()
        .copied()
        .find(|def| def.name == name && def.known_in(profile))
}

/// The table's rows by the first letter of their names, in table order. Every name starts
/// with a lowercase ASCII letter (a test says so), so a key that starts otherwise names no
/// field.
static ROWS_BY_LETTER: LazyLock<[Vec<&'static FieldDef>; 26]> = LazyLock::new(|| {
    let mut rows: [Vec<&'static FieldDef>; 26] = Default::default();
    for def in FIELD_TABLE {
        if let Some(row) = letter_bucket(def.name).and_then(|bucket| rows.get_mut(bucket)) {
            row.push(def);
        }
    }
    rows
});

/// `a` is 0, `z` 25; `None` for a name that does not start with a lowercase ASCII letter.
fn letter_bucket(name: &str) -> Option<usize> {
    let first = *name.as_bytes().first()?;
    first
        .is_ascii_lowercase()
        .then(|| usize::from(first - b'a'))
}

/// The canonical names of the fields `profile` knows, in table order.
pub fn field_names(profile: Profile) -> impl Iterator<Item = &'static str> {
    FIELD_TABLE
        .iter()
        .filter(move |def| def.known_in(profile))
        .map(|def| def.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn names_are_unique_and_canonical() {
        let mut seen = std::collections::HashSet::new();
        for def in FIELD_TABLE {
            assert!(seen.insert(def.name), "{} twice", def.name);
            assert!(!def.name.contains('-'), "{} is not canonical", def.name);
            assert!(
                letter_bucket(def.name).is_some(),
                "{} does not start with a lowercase letter, so `field_in` cannot find it",
                def.name
            );
            assert!(!def.meaning.is_empty(), "{} has no meaning", def.name);
            assert!(!def.profiles.is_empty(), "{} is known nowhere", def.name);
        }
    }

    /// A field the table has is absent from a bare record (so DL101 can see it missing)
    /// and unknown under the profiles that do not list it.
    #[test]
    fn every_field_is_absent_from_a_bare_record() {
        let config = Config::default();
        let record = Record::parse("notes.md".into(), "---\nx: 1\n---\n".into(), &config);
        for def in FIELD_TABLE {
            assert!(!def.is_present(&record), "{} counts as present", def.name);
        }
        assert!(field_in("deciders", Profile::Declint).is_none());
        assert!(field_in("deciders", Profile::Madr).is_some());
    }
}
