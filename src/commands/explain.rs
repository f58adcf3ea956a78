//! `declint explain RULE`: a rule's documentation, from the registry.

use crate::cli::{EXIT_OK, ExplainArgs, write_all};
use crate::error::{Error, Result};
use crate::rules::{self, RuleMeta};
use std::io::Write;

pub fn run(args: ExplainArgs, out: &mut dyn Write) -> Result<u8> {
    let text = if args.all {
        list_all()
    } else {
        let key = args.rule.unwrap_or_default();
        let rule = rules::find(&key).ok_or_else(|| {
            let names: Vec<&str> = rules::registry()
                .iter()
                .flat_map(|r| [r.meta().code, r.meta().name])
                .collect();
            let help = crate::record::fields::suggest(&key, &names)
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "`declint explain --all` lists the rules".into());
            Error::Usage {
                message: format!("unknown rule `{key}`"),
                help: Some(help),
            }
        })?;
        document(rule.meta())
    };
    write_all(out, &text)?;
    Ok(EXIT_OK)
}

/// A rule's documentation as `declint explain` prints it.
pub fn document(m: &RuleMeta) -> String {
    let indent = |text: &str| {
        text.lines()
            .map(|l| format!("    {l}\n"))
            .collect::<String>()
    };
    format!(
        "{code} {name} (default: {severity})\n\n{summary}\n\nWhat it checks\n    {what}\n\nWhy it matters\n    {why}\n\nExample that fires\n{bad}\nFixed\n{good}",
        code = m.code,
        name = m.name,
        severity = m.severity,
        summary = m.summary,
        what = m.what,
        why = m.why,
        bad = indent(m.bad),
        good = indent(m.good),
    )
}

/// One line per rule: code, name, default severity, summary.
pub fn list_all() -> String {
    rules::registry()
        .iter()
        .map(|r| {
            let m = r.meta();
            format!(
                "{:<6} {:<28} {:<8} {}\n",
                m.code,
                m.name,
                m.severity.as_str(),
                m.summary
            )
        })
        .collect()
}
