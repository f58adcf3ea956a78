//! `declint explain RULE`: a rule's documentation, from the registry.

use crate::error::{Error, Result};
use crate::invocation::{EXIT_OK, write_all};
use crate::rules;
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule code (DL101) or name (required-field).
    #[arg(value_name = "RULE", required_unless_present = "all")]
    pub rule: Option<String>,

    /// List every rule with its summary.
    #[arg(long)]
    pub all: bool,
}

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
            let help = crate::spelling::suggest(&key, &names)
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "`declint explain --all` lists the rules".into());
            Error::Usage {
                message: format!("unknown rule `{key}`"),
                help: Some(help),
            }
        })?;
        rule.meta().doc_text()
    };
    write_all(out, &text)?;
    Ok(EXIT_OK)
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
