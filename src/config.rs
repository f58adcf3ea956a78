//! `.declint.yml`: where the log lives, what its statuses mean, thresholds, and per-rule
//! severities. Absent config means defaults; a present config is validated strictly, and
//! every error points at its line and column (exit 2).

use crate::error::{ConfigError, Error, Result};
use crate::escape;
use crate::finding::Severity;
use crate::people::Roster;
use crate::spelling::{canonical_key, suggest};
use miette::{NamedSource, SourceSpan};
use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The file names looked for, in order, in each folder from the working directory up to
/// the repository root.
pub const CONFIG_NAMES: &[&str] = &[".declint.yml", "declint.yml"];

/// The largest `max_file_bytes` a config may set: it bounds what one file can cost.
pub const MAX_FILE_BYTES_CEILING: u64 = 4 * 1024 * 1024;

/// The largest config or roster file read.
pub(crate) const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Bounds on what a config may ask for. A config comes with the repository, so with a pull
/// request: 3,900 `exclude` globs once cost 314 MB to compile. Each bound is far above any
/// real log's needs, and going over it is an error that names the key and the bound.
pub const MAX_GLOBS: usize = 256;
/// The longest glob, in bytes.
pub const MAX_GLOB_BYTES: usize = 1024;
/// The most entries in `required`, `statuses`, `rules` or the roster.
pub const MAX_LIST_ENTRIES: usize = 10_000;

/// The default `id_pattern` of the adoption profiles: a number (`007`), a dated stem
/// (`20200925-use-x`, log4brains) or a dated folder (`2024-03-04-use-x`).
pub const ADOPTED_ID_PATTERN: &str =
    r"^(?:[0-9]+|[0-9]{8}-[A-Za-z0-9._-]+|[0-9]{4}-[0-9]{2}-[0-9]{2}-[A-Za-z0-9._-]+)$";

/// The default `id_pattern` of `profile: madr`: MADR's four-digit numbers, or a dated
/// stem (log4brains writes MADR as `20200925-use-x.md`; other MADR logs as
/// `2024-03-04-use-x.md`). A dated name gives the whole stem as its id ([`crate::record::file_id`]).
pub const MADR_ID_PATTERN: &str =
    r"^(?:[0-9]{4,}|[0-9]{8}-[A-Za-z0-9._-]+|[0-9]{4}-[0-9]{2}-[0-9]{2}-[A-Za-z0-9._-]+)$";

/// Decision folders tried in order when the config names none.
pub const DEFAULT_FOLDERS: &[&str] = &["decisions", "docs/decisions", "docs/adr", "doc/adr", "adr"];

/// How a team writes its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The full declint record of SPEC §2.
    #[default]
    Declint,
    /// MADR 2–4 records as found in existing ADR folders.
    Madr,
    /// adr-tools (Michael Nygard's format) and its descendants, Tendermint's included.
    Nygard,
    /// Each record read by the format it is written in (a folder mid-migration, or one
    /// that mixes front-matter and Nygard records).
    Auto,
}

impl Profile {
    /// The name `profile:` takes.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Declint => "declint",
            Profile::Madr => "madr",
            Profile::Nygard => "nygard",
            Profile::Auto => "auto",
        }
    }
}

/// `pr_scope`: which findings fail a `--base` run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrScope {
    /// Findings on the records the change touched (others are warnings).
    #[default]
    Touched,
    /// Every finding in the log, as a plain `check`.
    All,
}

/// What a status means for the rules. Rules work on classes, never on status names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum StatusClass {
    /// Not decided yet (`draft`, `proposed`).
    Open,
    /// Decided and in force (`accepted`).
    Active,
    /// No longer in force (`rejected`, `deprecated`, `superseded`, `reversed`).
    Closed,
}

/// The names `.declint.yml` may use that layers above this one define: the record fields
/// (the field table) and the rules (the registry). `config` imports neither — it is plain
/// data and its own parse — so the layer that loads a workspace passes them in
/// (`workspace::Registries`, decisions/0075).
pub(crate) trait KnownNames {
    /// The canonical names of the declint record fields (what `required` and
    /// `fields.allow` are checked against).
    fn fields(&self) -> Vec<&'static str>;
    /// The code of the rule `key` names (its code in any case, or its name).
    fn rule_code(&self, key: &str) -> Option<&'static str>;
    /// Every rule code and name, for a "did you mean".
    fn rule_names(&self) -> Vec<&'static str>;
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub profile: Profile,
    /// Decision folders or globs, relative to the config's folder (the repository root).
    pub paths: Vec<String>,
    pub exclude: Vec<String>,
    pub id_pattern: Regex,
    /// Status name → class, in the order written.
    pub statuses: Vec<(String, StatusClass)>,
    pub required: Vec<String>,
    /// Whether `required` was written in the config file: a field it lists is demanded
    /// of every record, also of formats that have no place for it (SPEC §10).
    pub required_in_file: bool,
    /// Front-matter keys that are not record fields but are allowed (a site generator's
    /// `nav_order`, `parent`, `layout`), canonical (`-` folded to `_`). Any other unknown
    /// key is still DL004.
    pub allowed_fields: Vec<String>,
    /// With `--base`: whether findings on records the change did not touch fail it.
    pub pr_scope: PrScope,
    /// Known people and their aliases; `None` when no roster is configured (DL203 is
    /// then silent). Compare names through `people`.
    pub roster: Option<Roster>,
    pub decision_sla_hours: u32,
    pub log_within_hours: u32,
    /// The IANA zone a bare date is a day in (`timezone:`, default UTC): where the day of
    /// `date`, `raised`, `due` and "today" begins and ends (crate::timeline).
    pub timezone: chrono_tz::Tz,
    pub max_open: usize,
    pub bottleneck_share: f64,
    pub bottleneck_min: usize,
    pub min_criterion_chars: usize,
    pub max_file_bytes: u64,
    /// The length of a `stats` period (plan volatility, every `--history` series), in
    /// days: a sprint.
    pub period_days: u32,
    /// How many of the last periods the mode-error signal reads: latency and volatility
    /// rising together across them, or active exceptions piling up.
    pub signal_periods: u32,
    /// Rule code → severity overrides.
    pub rules: BTreeMap<&'static str, Severity>,
    pub template: Option<String>,
    /// The file the config came from, if any.
    pub file: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config::for_profile(Profile::Declint)
    }
}

fn default_statuses(profile: Profile) -> Vec<(String, StatusClass)> {
    let pairs: &[(&str, StatusClass)] = match profile {
        Profile::Declint => &[
            ("draft", StatusClass::Open),
            ("proposed", StatusClass::Open),
            ("accepted", StatusClass::Active),
            ("rejected", StatusClass::Closed),
            ("deprecated", StatusClass::Closed),
            ("superseded", StatusClass::Closed),
            ("reversed", StatusClass::Closed),
        ],
        Profile::Madr | Profile::Nygard => &[
            ("draft", StatusClass::Open),
            ("proposed", StatusClass::Open),
            ("accepted", StatusClass::Active),
            ("rejected", StatusClass::Closed),
            ("deprecated", StatusClass::Closed),
            ("superseded", StatusClass::Closed),
        ],
        Profile::Auto => &[
            ("draft", StatusClass::Open),
            ("proposed", StatusClass::Open),
            ("accepted", StatusClass::Active),
            ("rejected", StatusClass::Closed),
            ("deprecated", StatusClass::Closed),
            ("superseded", StatusClass::Closed),
            ("reversed", StatusClass::Closed),
        ],
    };
    pairs.iter().map(|(n, c)| ((*n).to_string(), *c)).collect()
}

impl Config {
    /// Defaults for a profile.
    pub fn for_profile(profile: Profile) -> Self {
        Config {
            profile,
            paths: Vec::new(),
            exclude: Vec::new(),
            id_pattern: Regex::new(match profile {
                Profile::Declint => "^[0-9]{4,}$",
                Profile::Madr => MADR_ID_PATTERN,
                // adr-007, dated log4brains stems, dated folders.
                Profile::Nygard | Profile::Auto => ADOPTED_ID_PATTERN,
            })
            .unwrap_or_else(|_| unreachable!()),
            statuses: default_statuses(profile),
            required: match profile {
                // Under `auto` the decider is demanded of declint records only (see
                // `Config::demands`).
                Profile::Declint | Profile::Auto => {
                    vec!["title".into(), "status".into(), "decider".into()]
                }
                Profile::Madr | Profile::Nygard => vec!["title".into(), "status".into()],
            },
            required_in_file: false,
            allowed_fields: Vec::new(),
            pr_scope: PrScope::Touched,
            roster: None,
            decision_sla_hours: 36,
            log_within_hours: 24,
            timezone: chrono_tz::Tz::UTC,
            max_open: 12,
            bottleneck_share: 0.386,
            bottleneck_min: 10,
            min_criterion_chars: 12,
            max_file_bytes: 1024 * 1024,
            period_days: 14,
            signal_periods: 3,
            rules: BTreeMap::new(),
            template: None,
            file: None,
        }
    }

    /// The class of a status word (case-insensitive). A compound status (`superseded by
    /// ADR-0123`) was split into its word and its link when the record was read
    /// ([`crate::record::status`]).
    pub fn status_class(&self, status: &str) -> Option<StatusClass> {
        // Asked several times per record; a status is nearly always written without
        // surrounding space, which two byte tests show without a trim.
        let padded =
            |b: Option<&u8>| b.is_none_or(|&b| !b.is_ascii() || (b as char).is_whitespace());
        let bytes = status.as_bytes();
        let status = if padded(bytes.first()) || padded(bytes.last()) {
            status.trim()
        } else {
            status
        };
        self.statuses
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(status))
            .map(|(_, c)| *c)
    }

    /// Whether `field` is demanded of every record, whatever its format (SPEC §10): it is
    /// in `required`, and either `required` was written in the config file or the profile
    /// reads one format (under `auto` the default `decider` is for declint records only).
    pub fn demands(&self, field: &str) -> bool {
        self.required.iter().any(|f| f == field)
            && (self.required_in_file || self.profile != Profile::Auto)
    }

    /// Parse config text, checking the names it uses against `known`; `name` is used in
    /// error messages. Returns the roster file path (if any) for the caller to read.
    pub(crate) fn parse_text(
        text: &str,
        name: &str,
        known: &dyn KnownNames,
    ) -> Result<(Config, Option<String>)> {
        let error_at = |message: String, offset: usize, len: usize, help: Option<String>| {
            let offset = offset.min(text.len());
            let shown = escape::snippet_fits(text, offset, offset.saturating_add(len));
            Error::Config(Box::new(ConfigError {
                message: format!("{name}: {message}"),
                source_code: shown.then(|| NamedSource::new(name, escape::terminal_snippet(text))),
                span: shown.then(|| SourceSpan::from((offset, len))),
                help,
            }))
        };
        let file: ConfigFile = if text.trim().is_empty() {
            ConfigFile::default()
        } else {
            serde_saphyr::from_str_with_options(text, crate::yaml::options()).map_err(
                |e| {
                    let (offset, line, column) = e.location().map_or((0, 0, 0), |loc| {
                        let offset = offset_of(text, loc.line(), loc.column());
                        (offset, loc.line(), loc.column())
                    });
                    let message = e.without_snippet().to_string();
                    let message = message.trim().trim_start_matches("error:").trim();
                    // The location is appended below, once; drop serde-saphyr's own copy.
                    let message = match message.rfind(" at line ") {
                        Some(i) if message.get(i..).is_some_and(|rest| rest.contains("column")) => {
                            message.get(..i).unwrap_or(message)
                        }
                        _ => message,
                    };
                    let key = key_at(text, offset);
                    let (message, did_you_mean) = plain_config_message(message, key);
                    let help = did_you_mean.map_or_else(
                        || "`declint schema config` prints the keys and values .declint.yml accepts".to_string(),
                        |s| format!("did you mean `{s}`? (`declint schema config` prints every key and value)"),
                    );
                    error_at(
                        format!("{message} (line {line}, column {column})"),
                        offset,
                        1,
                        Some(help),
                    )
                },
            )?
        };
        let spanned_error =
            |loc: &serde_saphyr::Location, message: String, help: Option<String>| {
                let offset = offset_of(text, loc.line(), loc.column());
                error_at(
                    format!("{message} (line {}, column {})", loc.line(), loc.column()),
                    offset,
                    usize::try_from(loc.span().byte_len().unwrap_or(1)).unwrap_or(1),
                    help,
                )
            };

        let profile = file.profile.unwrap_or_default();
        let mut config = Config::for_profile(profile);
        if let Some(paths) = file.paths {
            config.paths = paths;
        }
        if let Some(exclude) = file.exclude {
            config.exclude = exclude;
        }
        let globs = config.paths.len() + config.exclude.len();
        if globs > MAX_GLOBS {
            return Err(error_at(
                format!(
                    "`paths` and `exclude` list {globs} globs; at most {MAX_GLOBS} are allowed"
                ),
                0,
                0,
                Some("a few folder globs (`teams/*/adr`) cover a monorepo".into()),
            ));
        }
        if let Some(long) = config
            .paths
            .iter()
            .chain(&config.exclude)
            .find(|g| g.len() > MAX_GLOB_BYTES)
        {
            return Err(error_at(
                format!(
                    "a glob in `paths` or `exclude` is {} bytes long; at most {MAX_GLOB_BYTES} are allowed",
                    long.len()
                ),
                0,
                0,
                None,
            ));
        }
        let lists = [
            ("required", file.required.as_ref().map_or(0, Vec::len)),
            (
                "fields.allow",
                file.fields.as_ref().map_or(0, |f| f.allow.len()),
            ),
            ("statuses", file.statuses.as_ref().map_or(0, BTreeMap::len)),
            ("rules", file.rules.as_ref().map_or(0, |r| r.0.len())),
            (
                "roster",
                match &file.roster {
                    Some(RosterSpec::List(list)) => list.len(),
                    _ => 0,
                },
            ),
        ];
        if let Some((key, n)) = lists.iter().find(|(_, n)| *n > MAX_LIST_ENTRIES) {
            return Err(error_at(
                format!("`{key}` has {n} entries; at most {MAX_LIST_ENTRIES} are allowed"),
                0,
                0,
                None,
            ));
        }
        for glob in config.paths.iter().chain(&config.exclude) {
            if let Err(e) = globset::Glob::new(glob) {
                return Err(error_at(format!("invalid glob `{glob}`: {e}"), 0, 0, None));
            }
        }
        if let Some(pattern) = file.id_pattern {
            config.id_pattern = Regex::new(&pattern.value).map_err(|e| {
                spanned_error(
                    &pattern.referenced,
                    format!(
                        "`id_pattern` is not a valid regular expression: {}",
                        regex_problem(&e)
                    ),
                    Some(
                        "write the pattern as a Rust regular expression, such as `^[0-9]{4,}$`"
                            .into(),
                    ),
                )
            })?;
        }
        if let Some(statuses) = file.statuses {
            config.statuses = statuses.into_iter().collect();
        }
        if let Some(required) = file.required {
            let known = known.fields();
            for field in &required {
                let canonical = canonical_key(&field.value);
                if !known.contains(&canonical.as_ref()) {
                    return Err(spanned_error(
                        &field.referenced,
                        format!("`required` names an unknown field `{}`", field.value),
                        suggest(&canonical, &known).map(|s| format!("did you mean `{s}`?")),
                    ));
                }
            }
            config.required_in_file = true;
            config.required = required
                .into_iter()
                .map(|f| canonical_key(&f.value).into_owned())
                .collect();
        }
        if let Some(fields) = file.fields {
            for key in &fields.allow {
                let canonical = canonical_key(&key.value);
                if known.fields().contains(&canonical.as_ref()) {
                    return Err(spanned_error(
                        &key.referenced,
                        format!(
                            "`fields.allow` names `{}`, which is already a record field",
                            key.value
                        ),
                        Some("only keys that are not record fields need allowing".into()),
                    ));
                }
            }
            config.allowed_fields = fields
                .allow
                .into_iter()
                .map(|key| canonical_key(&key.value).into_owned())
                .collect();
        }
        if let Some(scope) = file.pr_scope {
            config.pr_scope = scope;
        }
        let roster_file = match file.roster {
            Some(RosterSpec::List(list)) => {
                config.roster = Some(Roster::new(list.into_iter().map(|entry| match entry {
                    RosterEntry::Handle(handle) => vec![handle],
                    RosterEntry::Aliases(names) => names,
                })));
                None
            }
            Some(RosterSpec::File(path)) => Some(path),
            None => None,
        };
        if let Some(v) = file.decision_sla_hours {
            config.decision_sla_hours = v;
        }
        if let Some(v) = file.log_within_hours {
            config.log_within_hours = v;
        }
        if let Some(zone) = file.timezone {
            config.timezone = zone.value.trim().parse().map_err(|_| {
                spanned_error(
                    &zone.referenced,
                    format!(
                        "`timezone` must be an IANA time zone name, got `{}`",
                        zone.value
                    ),
                    Some(suggest_zone(&zone.value).map_or_else(
                        || {
                            "write a name such as `UTC`, `Europe/Berlin` or `America/New_York`"
                                .into()
                        },
                        |name| format!("did you mean `{name}`?"),
                    )),
                )
            })?;
        }
        if let Some(v) = file.max_open {
            config.max_open = v;
        }
        if let Some(share) = file.bottleneck_share {
            if !(share.value > 0.0 && share.value <= 1.0) {
                return Err(spanned_error(
                    &share.referenced,
                    format!("`bottleneck_share` must be in (0, 1], got {}", share.value),
                    Some("a share such as 0.386 means 38.6% of open and active decisions".into()),
                ));
            }
            config.bottleneck_share = share.value;
        }
        if let Some(v) = file.bottleneck_min {
            config.bottleneck_min = v;
        }
        if let Some(v) = file.min_criterion_chars {
            config.min_criterion_chars = v;
        }
        if let Some(v) = file.max_file_bytes {
            if v.value > MAX_FILE_BYTES_CEILING {
                return Err(spanned_error(
                    &v.referenced,
                    format!(
                        "`max_file_bytes` must be at most {MAX_FILE_BYTES_CEILING} (4 MiB), got {}",
                        v.value
                    ),
                    Some("decision records are small; the ceiling bounds what one file can cost (docs/robustness.md)".into()),
                ));
            }
            config.max_file_bytes = v.value;
        }
        if let Some(v) = file.period {
            if v.value == 0 {
                return Err(spanned_error(
                    &v.referenced,
                    "`period` must be at least 1 day".to_string(),
                    Some(
                        "the length of a stats period in days, such as 14 for a two-week sprint"
                            .into(),
                    ),
                ));
            }
            config.period_days = v.value;
        }
        if let Some(v) = file.signal_periods {
            if v.value < 2 {
                return Err(spanned_error(
                    &v.referenced,
                    format!("`signal_periods` must be at least 2, got {}", v.value),
                    Some("a rise needs two periods at least; 3 is the default".into()),
                ));
            }
            config.signal_periods = v.value;
        }
        if let Some(rules) = file.rules {
            for (key, severity) in rules.0 {
                let Some(code) = known.rule_code(&key.value) else {
                    let names = known.rule_names();
                    return Err(spanned_error(
                        &key.referenced,
                        format!("`rules` names an unknown rule `{}`", key.value),
                        suggest(&key.value, &names)
                            .map(|s| format!("did you mean `{s}`?"))
                            .or(Some("`declint explain --all` lists the rules".into())),
                    ));
                };
                config.rules.insert(code, severity);
            }
        }
        config.template = file.template;
        Ok((config, roster_file))
    }
}

/// A roster file, as people (each a list of names, handle first): one handle a line;
/// a line of names joined by ` = ` is one person with aliases (`ana = @ana-lima = Ana
/// Lima`); CODEOWNERS lines give one person per `@handle`.
pub fn parse_roster_file(text: &str) -> Vec<Vec<String>> {
    let mut people: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.contains(" = ") {
            people.push(line.split(" = ").map(|n| n.trim().to_string()).collect());
            continue;
        }
        let ats: Vec<&str> = line
            .split_whitespace()
            .filter(|t| t.starts_with('@'))
            .collect();
        if ats.is_empty() {
            people.push(vec![line.to_string()]);
        } else {
            people.extend(ats.iter().map(|t| vec![t.to_string()]));
        }
    }
    people.sort();
    people.dedup();
    people
}

/// What is wrong with a regular expression, in one line: the regex library reports a
/// syntax error over several lines (the pattern, a caret, then `error: …`).
fn regex_problem(error: &regex::Error) -> String {
    let text = error.to_string();
    text.lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or_else(|| text.lines().last().unwrap_or_default())
        .trim()
        .to_string()
}

/// The top-level key of the config line holding `offset` (`max_open` for `max_open: -1`).
fn key_at(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    // The nearest line at or above the error that starts with a key, as the error may sit
    // inside the key's block value.
    let lines = before
        .lines()
        .rev()
        .chain(text.get(offset..)?.lines().take(1));
    let mut candidates = lines.filter(|l| !l.starts_with([' ', '\t', '-', '#']) && l.contains(':'));
    let line = candidates.next()?;
    let key = line.split(':').next()?.trim().trim_matches(['"', '\'']);
    (!key.is_empty()).then_some(key)
}

/// What the YAML library said, in declint's words: the config key and the values it
/// takes, never the library's type names (`u64`, `Option<String>`, `RosterSpec`) or its
/// settings (`DuplicateKeyPolicy`). The second value is a "did you mean" suggestion.
fn plain_config_message(message: &str, key: Option<&str>) -> (String, Option<String>) {
    let quoted = |m: &str, after: &str| -> Option<String> {
        let rest = m.split_once(after)?.1;
        let rest = rest.strip_prefix('`')?;
        Some(rest.split('`').next()?.to_string())
    };
    let key_text = key.map_or_else(|| "this value".to_string(), |k| format!("`{k}`"));
    if message.starts_with("unknown field") {
        let unknown = quoted(message, "unknown field ").unwrap_or_default();
        let suggestion = match key {
            Some("fields") => suggest(&unknown, FIELDS_KEYS),
            _ => suggest(&unknown, CONFIG_KEYS),
        };
        return (format!("unknown key `{unknown}`"), suggestion);
    }
    if message.starts_with("unknown variant") {
        let unknown = quoted(message, "unknown variant ").unwrap_or_default();
        let allowed: Vec<&str> = message
            .split_once("expected one of ")
            .map(|(_, list)| {
                list.split(',')
                    .map(|s| s.trim().trim_matches('`'))
                    .collect()
            })
            .or_else(|| {
                message
                    .split_once("expected ")
                    .map(|(_, one)| vec![one.trim().trim_matches('`')])
            })
            .unwrap_or_default();
        let suggestion = suggest(&unknown, &allowed);
        if matches!(unknown.as_str(), "~" | "" | "null") {
            return (
                format!(
                    "{key_text} holds an empty value: use one of {}",
                    allowed.join(", ")
                ),
                None,
            );
        }
        return (
            format!(
                "{key_text} cannot be `{unknown}`: use one of {}",
                allowed.join(", ")
            ),
            suggestion,
        );
    }
    if let Some(duplicate) = message
        .strip_prefix("duplicate mapping key: ")
        .and_then(|rest| rest.split(',').next())
    {
        return (format!("`{}` is given twice", duplicate.trim()), None);
    }
    let plain = match key.and_then(|k| shape_of(k).map(|shape| (k, shape))) {
        _ if message.contains("null") => {
            format!("{key_text} holds an empty value (nothing, or `~`, after a `:` or `-`)")
        }
        Some((k, shape)) => format!("`{k}` must be {shape}"),
        _ if ["u64", "u32", "usize", "i64"]
            .iter()
            .any(|t| message.contains(t)) =>
        {
            format!("{key_text} must be a whole number, 0 or more")
        }
        _ if message.contains("f64") || message.contains("floating") => {
            format!("{key_text} must be a number")
        }
        _ if message.contains("sequence") => format!("{key_text} must be a list"),
        _ if message.contains("mapping") || message.contains("map") => {
            format!("{key_text} must be a mapping of `name: value` pairs")
        }
        _ if message.contains("string") => format!("{key_text} must be text"),
        _ => return (crate::yaml::plain_message(message), None),
    };
    (plain, None)
}

fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let source = crate::source::SourceText::new(text.to_string());
    source.offset_of(
        usize::try_from(line).unwrap_or(1).max(1),
        usize::try_from(column).unwrap_or(1).max(1),
    )
}

/// The IANA zone a mistyped `timezone` most likely meant: the same name in another case
/// (`europe/berlin`), or with spaces for underscores (`America/New York`).
fn suggest_zone(written: &str) -> Option<&'static str> {
    let wanted = written.trim().replace(' ', "_");
    chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .find(|name| name.eq_ignore_ascii_case(&wanted))
}

/// What the value of each config key must be, in the words of a type error (`max_open: []`
/// must be a whole number, whatever the YAML library expected at that point). A test
/// keeps it covering [`CONFIG_KEYS`].
fn shape_of(key: &str) -> Option<&'static str> {
    Some(match key {
        "profile" => "one of declint, madr, nygard, auto",
        "paths" => "a list of folders or globs",
        "exclude" => "a list of globs",
        "id_pattern" => "a regular expression, as text",
        "statuses" => "a mapping of status names to open, active or closed",
        "required" => "a list of field names",
        "fields" => "a mapping with `allow:`, a list of front-matter keys",
        "pr_scope" => "one of touched, all",
        "roster" => {
            "a list of people (each a name, or a list of names for one person) or the path of a roster file"
        }
        "timezone" => "an IANA time zone name, as text (`Europe/Berlin`)",
        "template" => "the path of a template file, as text",
        "rules" => "a mapping of rule codes or names to off, info, warning or error",
        "bottleneck_share" => "a number in (0, 1]",
        "decision_sla_hours"
        | "log_within_hours"
        | "max_open"
        | "bottleneck_min"
        | "min_criterion_chars"
        | "max_file_bytes"
        | "period"
        | "signal_periods" => "a whole number, 0 or more",
        _ => return None,
    })
}

/// Every key `.declint.yml` accepts, in the order the docs and the schema list them.
/// A test keeps it equal to the fields of the file's serde type.
pub const CONFIG_KEYS: &[&str] = &[
    "profile",
    "paths",
    "exclude",
    "id_pattern",
    "statuses",
    "required",
    "fields",
    "pr_scope",
    "roster",
    "decision_sla_hours",
    "log_within_hours",
    "timezone",
    "max_open",
    "bottleneck_share",
    "bottleneck_min",
    "min_criterion_chars",
    "max_file_bytes",
    "period",
    "signal_periods",
    "rules",
    "template",
];

/// `.declint.yml` as written. Unknown keys are an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    profile: Option<Profile>,
    paths: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    id_pattern: Option<Spanned<String>>,
    statuses: Option<BTreeMap<String, StatusClass>>,
    required: Option<Vec<Spanned<String>>>,
    fields: Option<FieldsSection>,
    pr_scope: Option<PrScope>,
    roster: Option<RosterSpec>,
    decision_sla_hours: Option<u32>,
    log_within_hours: Option<u32>,
    timezone: Option<Spanned<String>>,
    max_open: Option<usize>,
    bottleneck_share: Option<Spanned<f64>>,
    bottleneck_min: Option<usize>,
    min_criterion_chars: Option<usize>,
    max_file_bytes: Option<Spanned<u64>>,
    period: Option<Spanned<u32>>,
    signal_periods: Option<Spanned<u32>>,
    rules: Option<Pairs<Spanned<String>, Severity>>,
    template: Option<String>,
}

/// The keys `fields:` takes, for a "did you mean".
const FIELDS_KEYS: &[&str] = &["allow"];

/// `fields:`: front-matter keys beyond the record fields.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldsSection {
    /// Keys allowed in front-matter and otherwise ignored.
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

/// A mapping kept as ordered pairs, so keys can keep their spans.
#[derive(Debug)]
struct Pairs<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Pairs<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct PairsVisitor<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> serde::de::Visitor<'de> for PairsVisitor<K, V> {
            type Value = Pairs<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Pairs(pairs))
            }
        }
        d.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

/// `roster:` is a list of people or a path to a file of them.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RosterSpec {
    List(Vec<RosterEntry>),
    File(String),
}

/// One person on a `roster:` list: a handle, or a list of names for the same person
/// (handle first): `[ana, "@ana-lima", Ana Lima]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RosterEntry {
    Handle(String),
    Aliases(Vec<String>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_are_the_fields_the_parser_accepts() {
        // The library's own list of fields, from its unknown-field error (users see
        // declint's wording instead; see `plain_config_message`).
        let err = serde_saphyr::from_str_with_options::<ConfigFile>(
            "no_such_key: 1\n",
            crate::yaml::options(),
        )
        .expect_err("unknown key");
        let message = err.to_string();
        let list = message
            .split_once("expected one of ")
            .map_or("", |(_, rest)| rest);
        // The location suffix ("at line 1, column 1") is not a key.
        let list = list.split(" at line ").next().unwrap_or(list);
        let accepted: std::collections::BTreeSet<String> = list
            .split(',')
            .map(|k| {
                k.trim()
                    .trim_start_matches('`')
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect()
            })
            .collect();
        let want: std::collections::BTreeSet<String> =
            CONFIG_KEYS.iter().map(|s| s.to_string()).collect();
        assert_eq!(accepted, want, "{message}");
        for key in CONFIG_KEYS {
            assert!(
                shape_of(key).is_some(),
                "`{key}` has no shape for its type errors"
            );
        }
        // The keys `fields:` suggests from are the ones it accepts.
        let err = serde_saphyr::from_str_with_options::<FieldsSection>(
            "no_such_key: 1\n",
            crate::yaml::options(),
        )
        .expect_err("unknown key");
        let message = err.to_string();
        let expected = message.split_once("expected").map_or("", |(_, rest)| rest);
        for key in FIELDS_KEYS {
            assert!(expected.contains(key), "{message}");
        }
    }

    #[test]
    fn empty_config_is_defaults() {
        let config = Config::parse("", "x").expect("valid");
        assert_eq!(config.max_open, 12);
        assert_eq!(config.status_class("Accepted"), Some(StatusClass::Active));
    }

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse("max_open: 3\nmax_opn: 4\n", ".declint.yml").expect_err("invalid");
        let text = err.to_string();
        assert_eq!(text.matches("line 2").count(), 1, "{text}");
    }

    #[test]
    fn bad_values_are_errors() {
        assert!(Config::parse("bottleneck_share: 2\n", "x").is_err());
        assert!(Config::parse("id_pattern: '('\n", "x").is_err());
        assert!(Config::parse("rules:\n  DL999: off\n", "x").is_err());
        assert!(Config::parse("rules:\n  DL101: loud\n", "x").is_err());
    }

    #[test]
    fn rule_overrides_by_code_or_name() {
        let config = Config::parse("rules:\n  DL101: warning\n", "x").expect("valid");
        assert_eq!(config.rules.get("DL101"), Some(&Severity::Warning));
    }

    #[test]
    fn roster_files_take_handles() {
        let people = parse_roster_file("# team\nana\n* @bo @cy\n/docs @ana\n");
        assert_eq!(people, [["@ana"], ["@bo"], ["@cy"], ["ana"]]);
        let people = parse_roster_file("bo = @bo-gh = Bo Svensson  # aliases\n");
        assert_eq!(people, [["bo", "@bo-gh", "Bo Svensson"]]);
    }

    #[test]
    fn roster_from_a_list_or_a_file_next_to_the_config() {
        let config = Config::parse("roster: [ana, '@bo']\n", "x").expect("valid");
        assert_eq!(config.roster, Some(Roster::of_handles(["ana", "@bo"])));
        let config = Config::parse("roster: [[ana, Ana Lima], bo]\n", "x").expect("valid");
        let roster = config.roster.expect("a roster");
        assert_eq!(roster.handle_of("ana lima"), Some("ana"));
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("team.txt"), "ana\n# gone: zed\n\nbo\n").expect("write");
        std::fs::write(dir.path().join(".declint.yml"), "roster: team.txt\n").expect("write");
        let config = Config::load(&dir.path().join(".declint.yml")).expect("valid");
        assert_eq!(config.roster, Some(Roster::of_handles(["ana", "bo"])));
        std::fs::write(dir.path().join(".declint.yml"), "roster: missing.txt\n").expect("write");
        assert!(Config::load(&dir.path().join(".declint.yml")).is_err());
    }

    #[test]
    fn allowed_fields_are_canonical_and_not_record_fields() {
        let config =
            Config::parse("fields:\n  allow: [nav_order, has-children]\n", "x").expect("valid");
        assert_eq!(config.allowed_fields, ["nav_order", "has_children"]);
        let err = Config::parse("fields:\n  allow: [status]\n", "x").expect_err("a field");
        assert!(err.to_string().contains("already a record field"), "{err}");
        assert!(Config::parse("fields:\n  permit: [x]\n", "x").is_err());
    }

    #[test]
    fn custom_statuses_map_to_classes() {
        let config = Config::parse(
            "statuses:\n  idea: open\n  live: active\n  dropped: closed\n",
            "x",
        )
        .expect("valid");
        assert_eq!(config.status_class("Idea"), Some(StatusClass::Open));
        assert_eq!(config.status_class("live"), Some(StatusClass::Active));
        // The configured set replaces the default one.
        assert_eq!(config.status_class("accepted"), None);
        assert!(Config::parse("statuses:\n  idea: pending\n", "x").is_err());
    }

    /// `profile: madr` accepts MADR's numbers and dated names (log4brains' `20200925-x`,
    /// `2024-03-04-x`) by default; `profile: declint` keeps to numbers.
    #[test]
    fn madr_default_ids_include_dated_names() {
        let madr = Config::for_profile(Profile::Madr);
        for id in ["0007", "20200925-use-x", "2024-03-04-use-x"] {
            assert!(madr.id_pattern.is_match(id), "{id}");
        }
        for id in ["7", "use-x", "2024-03-04"] {
            assert!(!madr.id_pattern.is_match(id), "{id}");
        }
        let declint = Config::for_profile(Profile::Declint);
        assert!(!declint.id_pattern.is_match("2024-03-04-use-x"));
    }
}
