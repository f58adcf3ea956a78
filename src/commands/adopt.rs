//! `declint init --adopt`: turn declint on for a repository that already has a decision
//! log, in one command that leaves `declint check` green (SPEC §10).
//!
//! It finds the decision folders (every folder below the root whose Markdown files are
//! decision records in a format declint reads, nested ones included), detects the format
//! (one profile when every record shares it, `auto` otherwise), maps the statuses the log
//! uses to classes by keyword, allows the site-generator keys it finds, writes
//! `.declint.yml` and the baseline, and prints what it found and what to do next.

use crate::check::CheckOptions;
use crate::config::{Config, Profile, StatusClass};
use crate::discover;
use crate::error::{Error, Result};
use crate::invocation::{EXIT_OK, Env, Global, write_all};
use crate::record::{Format, IssueKind, Record};
use crate::write::{CreateError, Writer};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// Front-matter keys site generators and documentation tools use (Jekyll's Just the Docs,
/// Docusaurus, Hugo, MkDocs): allowed when a record carries them.
const SITE_KEYS: &[&str] = &[
    "nav_order",
    "parent",
    "grand_parent",
    "has_children",
    "layout",
    "permalink",
    "nav_exclude",
    "sidebar_position",
    "sidebar_label",
    "slug",
    "description",
    "weight",
    "aliases",
    "author",
    "authors",
];

/// Folders never searched for decisions.
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules", "target", "vendor", ".venv"];

/// What adoption found.
struct Found {
    folders: Vec<String>,
    formats: BTreeMap<&'static str, usize>,
    profile: Profile,
    /// Statuses the log uses that the profile does not know, with the class given.
    mapped: Vec<(String, Option<StatusClass>)>,
    allowed: BTreeSet<String>,
    /// Whether some id does not fit the profile's default `id_pattern` (then the config
    /// widens it to the ids file names give: `007`, `20200925-use-x`).
    wider_ids: bool,
    records: usize,
}

pub fn run(global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let cwd = std::fs::canonicalize(&env.cwd).map_err(|e| Error::io(&env.cwd, e))?;
    let root = discover::find_root(&cwd);
    let config_path = root.join(".declint.yml");
    if std::fs::symlink_metadata(&config_path).is_ok() {
        return Err(Error::Write {
            path: config_path,
            message: "declint init --adopt never overwrites a config, and .declint.yml exists"
                .into(),
            help: Some("run `declint baseline` to baseline the log under that config".into()),
        });
    }
    let found = survey(&root)?;
    let writer = Writer::new(&root)?;
    match writer.create_new(&config_path, &config_text(&found)) {
        Ok(()) => {}
        Err(CreateError::Exists(path)) => {
            return Err(Error::Write {
                path,
                message: "it appeared while declint was surveying the log".into(),
                help: None,
            });
        }
        Err(CreateError::Failed(e)) => return Err(e),
    }
    let options = CheckOptions {
        config: global.config.clone(),
        today: global.today,
        cwd: root.clone(),
        ..CheckOptions::default()
    };
    let baselined = match super::baseline::record(options) {
        Ok((count, _)) => count,
        Err(e) => {
            writer.remove_created(&config_path);
            return Err(e);
        }
    };
    write_all(out, &summary(&found, baselined))?;
    Ok(EXIT_OK)
}

/// Walk the repository for decision folders and read their records under `auto`.
fn survey(root: &Path) -> Result<Found> {
    let auto = Config::for_profile(Profile::Auto);
    let mut by_folder: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    let walk = ignore::WalkBuilder::new(root)
        .hidden(true)
        .filter_entry(|e| {
            !SKIPPED_DIRS
                .iter()
                .any(|d| e.file_name() == std::ffi::OsStr::new(d))
        })
        .build();
    for entry in walk.flatten() {
        let path = entry.path();
        let is_md = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_md || !path.is_file() {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if discover::is_index_page(&rel) {
            continue;
        }
        let Some((mut folder, name)) = rel.rsplit_once('/') else {
            continue;
        };
        // A record kept as its own folder's README (`0007-use-x/README.md`) belongs to
        // the folder that holds that folder.
        if discover::NOT_DECISIONS
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
        {
            let Some((parent, _)) = folder.rsplit_once('/') else {
                continue;
            };
            folder = parent;
        }
        let folder = folder.to_string();
        if crate::record::file_id(&rel).is_none() {
            continue;
        }
        let Ok(text) = discover::read_file_limited(path, auto.max_file_bytes) else {
            continue;
        };
        let record = Record::parse(rel, text, &auto);
        if looks_like_a_decision(&record) {
            by_folder.entry(folder).or_default().push(record);
        }
    }
    // A folder is a decision folder when at least two of its numbered files are records
    // (one stray `0001-notes.md` does not make a log).
    by_folder.retain(|_, records| records.len() >= 2);
    if by_folder.is_empty() {
        return Err(Error::usage(
            "found no decision folder: no folder holds two or more numbered Markdown records in a format declint reads (front-matter, MADR, Nygard)",
            Some("`declint init` starts a new log instead"),
        ));
    }
    let records: Vec<&Record> = by_folder.values().flatten().collect();
    let mut formats: BTreeMap<&'static str, usize> = BTreeMap::new();
    for record in &records {
        *formats.entry(record.format.name()).or_default() += 1;
    }
    let profile = match formats.keys().copied().collect::<Vec<_>>().as_slice() {
        ["declint"] => Profile::Declint,
        ["madr"] => Profile::Madr,
        ["nygard"] => Profile::Nygard,
        _ => Profile::Auto,
    };
    let known = Config::for_profile(profile);
    let wider_ids = records
        .iter()
        .filter_map(|r| r.id())
        .any(|id| !known.id_pattern.is_match(id));
    let mut statuses: BTreeSet<String> = BTreeSet::new();
    for record in &records {
        if let Some(status) = record.status() {
            let status = status.trim().to_lowercase();
            if !status.is_empty() && known.status_class(&status).is_none() {
                statuses.insert(status);
            }
        }
    }
    let mapped = statuses
        .into_iter()
        .filter(|s| s.len() <= 40)
        .map(|s| {
            let class = class_by_keyword(&s);
            (s, class)
        })
        .collect();
    let mut key_counts: BTreeMap<String, usize> = BTreeMap::new();
    for record in &records {
        for issue in &record.issues {
            if matches!(issue.kind, IssueKind::UnknownField { .. }) {
                let key = crate::spelling::canonical_key(&issue.key).into_owned();
                *key_counts.entry(key).or_default() += 1;
            }
        }
    }
    let allowed = key_counts
        .into_iter()
        .filter(|(key, n)| SITE_KEYS.contains(&key.as_str()) || *n >= 3)
        .map(|(key, _)| key)
        .collect();
    Ok(Found {
        folders: by_folder.keys().cloned().collect(),
        records: records.len(),
        formats,
        profile,
        mapped,
        allowed,
        wider_ids,
    })
}

/// Whether a numbered Markdown file reads as a decision record: front-matter with a
/// status, or a format found by its metadata.
fn looks_like_a_decision(record: &Record) -> bool {
    match record.format {
        Format::Madr | Format::Nygard => true,
        Format::Declint => record.has_front_matter() && record.fields.status.is_some(),
        Format::Unrecognized => false,
    }
}

/// The class a status word implies (SPEC §10); `None` when no keyword matches (the
/// config then lists it for a person to decide, and DL102 keeps reporting it).
fn class_by_keyword(status: &str) -> Option<StatusClass> {
    const CLOSED: &[&str] = &[
        "supersede",
        "revert",
        "reject",
        "deprecate",
        "decline",
        "obsolete",
        "retire",
        "withdraw",
        "abandon",
    ];
    const OPEN: &[&str] = &["pending", "propos", "draft", "review", "discuss", "open"];
    const ACTIVE: &[&str] = &["accept", "approve", "implement", "adopt", "done", "agreed"];
    let has = |words: &[&str]| words.iter().any(|w| status.contains(w));
    if has(CLOSED) {
        Some(StatusClass::Closed)
    } else if has(OPEN) {
        Some(StatusClass::Open)
    } else if has(ACTIVE) {
        Some(StatusClass::Active)
    } else {
        None
    }
}

fn class_name(class: StatusClass) -> &'static str {
    match class {
        StatusClass::Open => "open",
        StatusClass::Active => "active",
        StatusClass::Closed => "closed",
    }
}

/// YAML for a string: quoted when it would not read back as the same plain string.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

/// The `.declint.yml` adoption writes: profile, paths, the statuses (defaults and the
/// ones found, mapped for review) and the allowed site keys.
fn config_text(found: &Found) -> String {
    let defaults = Config::for_profile(found.profile);
    let mut text = String::from(
        "# Written by `declint init --adopt`. Review the status mapping below; every other\n# key takes its default (`declint schema config` lists them).\n",
    );
    text.push_str(&format!("profile: {}\n\npaths:\n", found.profile.name()));
    for folder in &found.folders {
        text.push_str(&format!("  - {}\n", yaml_string(folder)));
    }
    if found.wider_ids {
        text.push_str(&format!(
            "\n# The log's ids are file-name numbers and dated names.\nid_pattern: '{}'\n",
            crate::config::ADOPTED_ID_PATTERN
        ));
    }
    text.push_str("\n# Status names and their class: open (not decided yet), active (in force), closed.\nstatuses:\n");
    for (name, class) in &defaults.statuses {
        text.push_str(&format!(
            "  {}: {}\n",
            yaml_string(name),
            class_name(*class)
        ));
    }
    for (name, class) in &found.mapped {
        match class {
            Some(class) => text.push_str(&format!(
                "  {}: {}  # found in the log, mapped by keyword\n",
                yaml_string(name),
                class_name(*class)
            )),
            None => text.push_str(&format!(
                "  # {}: found in the log; give it a class (open, active, closed)\n",
                yaml_string(name)
            )),
        }
    }
    if !found.allowed.is_empty() {
        text.push_str(
            "\n# Front-matter keys the log uses that are not record fields.\nfields:\n  allow:\n",
        );
        for key in &found.allowed {
            text.push_str(&format!("    - {}\n", yaml_string(key)));
        }
    }
    text
}

/// What `init --adopt` prints.
fn summary(found: &Found, baselined: usize) -> String {
    let formats: Vec<String> = found
        .formats
        .iter()
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    let mut text = format!(
        "found {} decision record{} in {}: {}\n",
        found.records,
        if found.records == 1 { "" } else { "s" },
        found.folders.join(", "),
        formats.join(", ")
    );
    text.push_str(&format!(
        "wrote .declint.yml (profile: {})\n",
        found.profile.name()
    ));
    for (name, class) in &found.mapped {
        match class {
            Some(class) => text.push_str(&format!(
                "  status `{name}` mapped to {}; review it in .declint.yml\n",
                class_name(*class)
            )),
            None => text.push_str(&format!(
                "  status `{name}` has no class yet: give it one in .declint.yml\n"
            )),
        }
    }
    if !found.allowed.is_empty() {
        let keys: Vec<&str> = found.allowed.iter().map(String::as_str).collect();
        text.push_str(&format!(
            "  allowed front-matter keys: {}\n",
            keys.join(", ")
        ));
    }
    text.push_str(&format!(
        "wrote {} with {baselined} finding{} the log has today\n",
        crate::baseline::BASELINE_FILE,
        if baselined == 1 { "" } else { "s" }
    ));
    text.push_str("next: commit both files; `declint check` passes now and fails on new findings; add `declint check --base auto` to CI\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_by_keyword() {
        let class = class_by_keyword;
        assert_eq!(class("implemented"), Some(StatusClass::Active));
        assert_eq!(class("approved"), Some(StatusClass::Active));
        assert_eq!(class("pending"), Some(StatusClass::Open));
        assert_eq!(class("in review"), Some(StatusClass::Open));
        assert_eq!(class("reverted"), Some(StatusClass::Closed));
        assert_eq!(class("declined"), Some(StatusClass::Closed));
        assert_eq!(class("wontfix"), None);
    }
}
