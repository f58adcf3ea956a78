//! Rules that relax where a record's format has no place for the field they need
//! (SPEC §10): one table, read by the rules themselves and by `explain`, so what the
//! docs say relaxes is what does.
//!
//! A relaxation holds for a record of one of its formats unless the config raises the bar
//! ([`Config::demands`]): a team tightens without changing format by listing the field in
//! `required`. A record of that format that does carry the field (a `Decider:` line, a
//! "Considered Options" section) is read, and the rules about its value still run.

use crate::config::Config;
use crate::record::{Format, Record};

/// One rule that relaxes for some formats.
pub struct Relaxation {
    pub code: &'static str,
    /// The field the format has no place for; listing it in `required` restores the rule.
    pub field: &'static str,
    pub formats: &'static [Format],
    /// Why, in the words `explain` prints.
    pub why: &'static str,
}

pub const RELAXATIONS: &[Relaxation] = &[
    Relaxation {
        code: "DL101",
        field: "date",
        formats: &[Format::Madr],
        why: "MADR marks `date` as optional, so a decided MADR record is not asked for one",
    },
    Relaxation {
        code: "DL106",
        field: "reversal",
        formats: &[Format::Madr, Format::Nygard],
        why: "MADR and Nygard records have no reversal-criteria field (a \"Reversal criteria\" section is still read)",
    },
    Relaxation {
        code: "DL108",
        field: "options",
        formats: &[Format::Nygard],
        why: "Nygard records have no options section; one that has \"Considered Options\" is still checked",
    },
    Relaxation {
        code: "DL201",
        field: "decider",
        formats: &[Format::Madr, Format::Nygard],
        why: "MADR's `decision-makers` is optional and Nygard records name no decider",
    },
    Relaxation {
        code: "DL202",
        field: "decider",
        formats: &[Format::Madr, Format::Nygard],
        why: "MADR's `decision-makers` lists everyone involved in the decision, not one accountable person",
    },
    Relaxation {
        code: "DL204",
        field: "decider",
        formats: &[Format::Madr, Format::Nygard],
        why: "without a demanded decider there is no RAPID role to contradict",
    },
    Relaxation {
        code: "DL308",
        field: "raised",
        formats: &[Format::Madr, Format::Nygard],
        why: "MADR and Nygard records have neither `raised` nor `due`",
    },
];

/// Whether rule `code` relaxes for `record`: its format has no place for the field, and
/// the config does not demand it.
pub fn relaxed(code: &str, record: &Record, config: &Config) -> bool {
    RELAXATIONS
        .iter()
        .any(|r| r.code == code && r.formats.contains(&record.format) && !config.demands(r.field))
}

/// What `explain` says about where rule `code` relaxes; `None` when it never does.
pub fn explain(code: &str) -> Option<String> {
    let lines: Vec<String> = RELAXATIONS
        .iter()
        .filter(|r| r.code == code)
        .map(|r| {
            let formats: Vec<&str> = r.formats.iter().map(|f| f.name()).collect();
            format!(
                "Silent for records in the {} format ({}); `required: [..., {}]` restores it.",
                formats.join(" and "),
                r.why,
                r.field
            )
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join(" "))
}
