//! The rule catalogue: every rule is a small type with its code, name, default severity,
//! docs and check functions, listed once in [`registry`].
//!
//! Rules read the parsed [`Record`] model only; they never look at raw text or at git.
//! Findings go through an [`Emitter`], which stamps the rule's code, name and effective
//! severity and resolves line/column positions.

pub mod change;
pub mod content;
pub mod file;
pub mod governance;
pub mod integrity;
pub mod log_index;
pub mod logged;
pub mod relax;
pub mod rights;
pub mod time;

use crate::change::{ChangeSet, Logged};
use crate::config::{Config, PrScope};
use crate::finding::{Finding, Severity, Span};
use crate::record::{Format, FrontMatter, Record};
use chrono::NaiveDate;
pub(crate) use log_index::LogFacts;
pub use log_index::LogIndex;
use std::collections::HashSet;

/// When a rule can run on a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// On every file, whatever state it is in (DL0xx).
    File,
    /// Only on files whose front-matter parsed (or, under the MADR profile, that have
    /// none): checking the content of a broken file would only add noise.
    Content,
}

/// A rule's identity and documentation: the data behind `declint explain`, SARIF rule
/// descriptors and the README's rule table.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `DL` and three digits.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    /// Depends on today's date: in `--base` mode, findings on files the change did not
    /// touch are at most warnings (the calendar moving must not block a pull request).
    pub time_based: bool,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// What it checks, in a few sentences.
    pub what: &'static str,
    /// Why it matters to a team running a decision log.
    pub why: &'static str,
    /// A record (or part of one) that triggers the rule.
    pub bad: &'static str,
    /// The same record, fixed.
    pub good: &'static str,
}

impl RuleMeta {
    /// The severity the rule runs at under `config`: its `rules:` override, else its
    /// default.
    pub fn severity_in(&self, config: &Config) -> Severity {
        config
            .rules
            .get(self.code)
            .copied()
            .unwrap_or(self.severity)
    }

    /// The rule's documentation as `declint explain` prints it (and SARIF's plain help).
    pub fn doc_text(&self) -> String {
        let RuleMeta {
            code,
            name,
            severity,
            summary,
            what,
            why,
            ..
        } = self;
        let indent = |text: &str| {
            text.lines()
                .map(|l| format!("    {l}\n"))
                .collect::<String>()
        };
        let (bad, good) = (indent(self.bad), indent(self.good));
        let relaxed = relax::explain(code)
            .map(|text| format!("Where the format has no place for the field\n    {text}\n\n"))
            .unwrap_or_default();
        format!(
            "{code} {name} (default: {severity})\n\n{summary}\n\nWhat it checks\n    {what}\n\nWhy it matters\n    {why}\n\n{relaxed}Example that fires\n{bad}\nFixed\n{good}"
        )
    }

    /// The rule's documentation as Markdown, the same sections as [`RuleMeta::doc_text`]
    /// (SARIF's help, docs/rules.md).
    pub fn doc_markdown(&self) -> String {
        let RuleMeta {
            code,
            name,
            summary,
            what,
            why,
            ..
        } = self;
        let with_newline = |text: &str| {
            if text.ends_with('\n') {
                text.to_string()
            } else {
                format!("{text}\n")
            }
        };
        let (bad, good) = (with_newline(self.bad), with_newline(self.good));
        let relaxed = relax::explain(code)
            .map(|text| format!("### Where the format has no place for the field\n\n{text}\n\n"))
            .unwrap_or_default();
        format!(
            "**{code} {name}**: {summary}\n\n### What it checks\n\n{what}\n\n### Why it matters\n\n{why}\n\n{relaxed}### Example that fires\n\n```markdown\n{bad}```\n\n### Fixed\n\n```markdown\n{good}```\n"
        )
    }
}

/// What rules may know besides the records.
pub struct Context<'a> {
    pub config: &'a Config,
    /// The day it is in the config's `timezone`, or `--today` / `DECLINT_TODAY`.
    pub today: NaiveDate,
    /// In `--base` mode, the repository paths the change touched.
    pub touched: Option<&'a HashSet<String>>,
    /// In `--base` mode, what the change did to the log (DL5xx run only then).
    pub change: Option<&'a ChangeSet>,
    /// When records were logged (first committed decided), by record key, where known
    /// (records the change decides; every record with `--history`): DL305.
    pub logged: Option<&'a Logged>,
    /// `--history`: the whole log's timeline was read, so the time rules that judge how
    /// a decision was made (DL307) look at every record, not only the change's.
    pub history: bool,
}

impl<'a> Context<'a> {
    /// A context without git: no change set, nothing touched, no commit times.
    pub fn new(config: &'a Config, today: NaiveDate) -> Self {
        Context {
            config,
            today,
            touched: None,
            change: None,
            logged: None,
            history: false,
        }
    }

    /// In `--base` mode, whether the change touched `record`. A log-wide rule whose
    /// finding involves several records reports it on a touched one when there is one, so
    /// a finding the change causes fails the change (SPEC §10 "pull-request scope").
    pub fn is_touched(&self, record: &Record) -> bool {
        self.touched.is_some_and(|t| t.contains(&record.path))
    }

    /// Whether content rules apply to this record.
    pub fn applies(&self, stage: Stage, record: &Record) -> bool {
        match stage {
            Stage::File => true,
            Stage::Content => match record.front_matter {
                FrontMatter::Parsed { .. } => true,
                FrontMatter::Missing => {
                    matches!(record.format, Format::Madr | Format::Nygard)
                }
                _ => false,
            },
        }
    }
}

/// A check. Implement the scope(s) a rule needs; the others do nothing.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Look at one record on its own.
    fn check_record(&self, _record: &Record, _cx: &Context<'_>, _out: &mut Emitter<'_>) {}

    /// Whether [`Rule::check_record`] reads commit times from the context (`logged`). The
    /// other record rules can check a record while git is still being read
    /// ([`EnabledRules::without_commit_times`]).
    fn reads_commit_times(&self) -> bool {
        false
    }

    /// Look across the whole log (duplicate ids, links, counts). `log` holds the records
    /// and the facts several log-wide rules share.
    fn check_log(&self, _log: &LogIndex<'_>, _cx: &Context<'_>, _out: &mut Emitter<'_>) {}

    /// Look at what a change did to the log: base and head record of each changed file.
    /// Called only in `--base` mode.
    fn check_change(&self, _change: &ChangeSet, _cx: &Context<'_>, _out: &mut Emitter<'_>) {}
}

/// Collects one rule's findings at its effective severity.
pub struct Emitter<'a> {
    meta: &'static RuleMeta,
    severity: Severity,
    touched: Option<&'a HashSet<String>>,
    scope: PrScope,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Emitter<'a> {
    pub fn new(meta: &'static RuleMeta, cx: &Context<'a>, findings: &'a mut Vec<Finding>) -> Self {
        Self::with_severity(meta, meta.severity_in(cx.config), cx, findings)
    }

    /// An emitter at a severity already looked up with [`RuleMeta::severity_in`].
    fn with_severity(
        meta: &'static RuleMeta,
        severity: Severity,
        cx: &Context<'a>,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        Emitter {
            meta,
            severity,
            touched: cx.touched,
            scope: cx.config.pr_scope,
            findings,
        }
    }

    /// Whether the rule is switched on at all.
    pub fn enabled(&self) -> bool {
        self.severity != Severity::Off
    }

    /// Report a finding about `record` as a whole (or about the change) at `span`.
    pub fn emit(
        &mut self,
        record: &Record,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.emit_field(record, String::new(), span, message, help);
    }

    /// Report a finding about `field` of `record` (its canonical name: `status`,
    /// `review_by`; a DL004 finding's unknown key) at `span`. The baseline keys on the
    /// field, so a finding keeps its entry whatever its message says.
    pub fn emit_field(
        &mut self,
        record: &Record,
        field: impl Into<String>,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        if !self.enabled() {
            return;
        }
        let severity = softened(
            self.meta,
            self.severity,
            self.touched,
            self.scope,
            &record.path,
        );
        let span = record.source.clamp(span);
        self.findings.push(Finding {
            code: self.meta.code,
            name: self.meta.name,
            severity,
            path: record.path.clone(),
            span,
            start: record.source.position(span.start),
            end: record.source.position(span.end),
            message: message.into(),
            help: help.into(),
            field: field.into(),
            baselined: false,
        });
    }
}

/// In `--base` mode an error on a file the change did not touch is a warning: the pull
/// request did not make it (SPEC §10 "pull-request scope"). A time-based finding is always
/// softened there (the calendar moved, not the change); the others unless `pr_scope: all`.
/// Change rules (DL5xx) are about the change itself and are never softened.
fn softened(
    meta: &RuleMeta,
    severity: Severity,
    touched: Option<&HashSet<String>>,
    scope: PrScope,
    path: &str,
) -> Severity {
    let untouched = touched.is_some_and(|t| !t.contains(path));
    let in_scope = meta.time_based || (scope == PrScope::Touched && !meta.code.starts_with("DL5"));
    if untouched && severity == Severity::Error && in_scope {
        Severity::Warning
    } else {
        severity
    }
}

/// Apply the `--base` softening to findings emitted before `touched` was known (with a
/// context that had none): afterwards they are what an emitter with `touched` gives.
pub fn soften_untouched(
    findings: &mut [Finding],
    touched: Option<&HashSet<String>>,
    scope: PrScope,
) {
    if touched.is_none() {
        return;
    }
    for finding in findings {
        if let Some(rule) = find(finding.code) {
            finding.severity =
                softened(rule.meta(), finding.severity, touched, scope, &finding.path);
        }
    }
}

/// Every rule, in code order. Adding a rule means adding it here.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &file::NoFrontMatter,
        &file::YamlSyntax,
        &file::WrongType,
        &file::UnknownField,
        &file::Unreadable,
        &content::RequiredField,
        &content::UnknownStatus,
        &content::InvalidDate,
        &content::FutureDate,
        &content::RaisedAfterDate,
        &content::MissingReversal,
        &content::PlaceholderCriterion,
        &content::TooFewOptions,
        &content::IdMismatch,
        &content::TemplatePlaceholder,
        &content::UnknownCriterion,
        &rights::NoDecider,
        &rights::MultipleDeciders,
        &governance::NotOnRoster,
        &rights::DeciderInOtherRole,
        &rights::OneWayDoor,
        &governance::Bottleneck,
        &time::OverdueDecision,
        &time::ReviewOverdue,
        &time::ExpiredException,
        &time::ExceptionWithoutExpiry,
        &logged::LoggedLate,
        &time::UncertainWithoutReview,
        &logged::DecidedLate,
        &time::OpenWithoutClock,
        &integrity::DuplicateId,
        &integrity::UnknownLink,
        &integrity::SupersedeMismatch,
        &integrity::SupersedeCycle,
        &governance::TooManyOpen,
        &integrity::PriorityWithoutTradeoff,
        &change::PriorityWithoutEvidence,
        &change::ReversalWithoutEvidence,
        &change::EvidenceCitesNoCriterion,
        &change::MovedGoalposts,
        &change::DeletedDecision,
        &change::IdCollidesWithBase,
        &change::StatusBackwards,
        &change::AcceptedFieldEdited,
        &change::AcceptedBodyRewritten,
        &change::EvidenceRewritten,
    ]
}

/// A rule by code (`DL101`, any case) or name (`required-field`).
pub fn find(key: &str) -> Option<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(key) || r.meta().name == key)
}

/// The rules a run checks: each enabled rule with its effective severity, looked up once
/// per run rather than once per record.
///
/// The pipeline ([`crate::check`]) calls [`EnabledRules::check_record`] on each record
/// right after parsing it, while the record is still in the CPU cache (on a record in
/// cache the record rules take under 1 µs; on 10k records parsed earlier, about three
/// times that per record), then [`EnabledRules::check_log`] once.
pub struct EnabledRules {
    rules: Vec<(&'static dyn Rule, Severity)>,
}

impl EnabledRules {
    pub fn new(config: &Config) -> Self {
        let rules = registry()
            .iter()
            .map(|&rule| (rule, rule.meta().severity_in(config)))
            .filter(|&(_, severity)| severity != Severity::Off)
            .collect();
        EnabledRules { rules }
    }

    /// Split into the rules that can check a record before git has been read, and those
    /// whose record check reads commit times (DL305). The two sets' findings, the first's
    /// passed through [`soften_untouched`], are the whole set's: the same findings, in
    /// another order before [`crate::finding::sort_findings`] (the rules' codes differ).
    pub fn without_commit_times(&self) -> (EnabledRules, EnabledRules) {
        let (reading, rest): (Vec<_>, Vec<_>) = self
            .rules
            .iter()
            .partition(|(rule, _)| rule.reads_commit_times());
        (
            EnabledRules { rules: rest },
            EnabledRules { rules: reading },
        )
    }

    /// Append the record rules' findings on `record` to `found`.
    pub fn check_record(&self, record: &Record, cx: &Context<'_>, found: &mut Vec<Finding>) {
        let content = cx.applies(Stage::Content, record);
        for &(rule, severity) in &self.rules {
            let meta = rule.meta();
            if meta.stage == Stage::File || content {
                let mut out = Emitter::with_severity(meta, severity, cx, found);
                rule.check_record(record, cx, &mut out);
            }
        }
    }

    /// The history audit of one commit (SPEC §9): the change rules over what the commit
    /// did, each at its configured severity if `rules:` sets one, else as a warning
    /// (history cannot be edited, so it informs rather than blocks).
    pub fn check_audit(&self, change: &ChangeSet, cx: &Context<'_>) -> Vec<Finding> {
        let mut findings = Vec::new();
        for &(rule, _) in &self.rules {
            let meta = rule.meta();
            if !meta.code.starts_with("DL5") {
                continue;
            }
            let severity = cx
                .config
                .rules
                .get(meta.code)
                .copied()
                .unwrap_or(Severity::Warning);
            let mut out = Emitter::with_severity(meta, severity, cx, &mut findings);
            rule.check_change(change, cx, &mut out);
        }
        findings
    }

    /// The file check (DL005) of one past version of a file from the history walk, at
    /// its configured severity if `rules:` sets one, else as a warning, like the audit.
    pub fn check_history_version(&self, record: &Record, config: &Config) -> Vec<Finding> {
        let mut findings = Vec::new();
        let cx = Context::new(config, chrono::NaiveDate::MIN);
        for &(rule, _) in &self.rules {
            let meta = rule.meta();
            if meta.code != "DL005" {
                continue;
            }
            let severity = config
                .rules
                .get(meta.code)
                .copied()
                .unwrap_or(Severity::Warning);
            let mut out = Emitter::with_severity(meta, severity, &cx, &mut findings);
            rule.check_record(record, &cx, &mut out);
        }
        findings
    }

    /// The log-wide findings, each rule's in registry order, then in `--base` mode the
    /// change findings. The log-wide rules run in parallel, each into a vector of its own.
    pub fn check_log(&self, records: &[Record], cx: &Context<'_>) -> Vec<Finding> {
        self.check_log_on(&LogIndex::new(records, cx), cx)
    }

    /// [`EnabledRules::check_log`] on facts already worked out (the language server
    /// keeps them up to date per record).
    pub(crate) fn check_log_on(&self, log: &LogIndex<'_>, cx: &Context<'_>) -> Vec<Finding> {
        use rayon::prelude::*;
        let per_rule: Vec<Vec<Finding>> = self
            .rules
            .par_iter()
            .map(|&(rule, severity)| {
                let mut found = Vec::new();
                let mut out = Emitter::with_severity(rule.meta(), severity, cx, &mut found);
                rule.check_log(log, cx, &mut out);
                found
            })
            .collect();
        let mut findings: Vec<Finding> = per_rule.into_iter().flatten().collect();
        if let Some(change) = cx.change {
            for &(rule, severity) in &self.rules {
                let mut out = Emitter::with_severity(rule.meta(), severity, cx, &mut findings);
                rule.check_change(change, cx, &mut out);
            }
        }
        findings
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for rule unit tests: parse an inline record and run one rule on it.
    use super::*;

    pub fn record_with(config: &Config, path: &str, text: &str) -> Record {
        Record::parse(path.to_string(), text.to_string(), config)
    }

    pub fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    /// Run `rule` over `records` (record and log scope) with `config`, at [`today`].
    pub fn run_rule(rule: &dyn Rule, config: &Config, records: &[Record]) -> Vec<Finding> {
        let cx = Context::new(config, today());
        let mut findings = Vec::new();
        for record in records {
            if cx.applies(rule.meta().stage, record) {
                let mut out = Emitter::new(rule.meta(), &cx, &mut findings);
                rule.check_record(record, &cx, &mut out);
            }
        }
        let mut out = Emitter::new(rule.meta(), &cx, &mut findings);
        rule.check_log(&LogIndex::new(records, &cx), &cx, &mut out);
        findings
    }

    /// Run `rule`'s change scope on one changed file (`base` → `head`, either may be
    /// absent), with `added_on_base` records added on the base branch, at [`today`].
    pub fn run_change(
        rule: &dyn Rule,
        base: Option<&str>,
        head: Option<&str>,
        added_on_base: &[&str],
    ) -> Vec<Finding> {
        use crate::change::{ChangeKind, FileChange};
        let config = Config::default();
        let parse = |text: &str| record_with(&config, "decisions/0001-test.md", text);
        let kind = match (base, head) {
            (None, _) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Deleted,
            (Some(_), Some(_)) => ChangeKind::Modified,
        };
        let change = ChangeSet {
            changes: vec![FileChange {
                kind,
                base: base.map(parse),
                head: head.map(parse),
            }],
            added_on_base: added_on_base
                .iter()
                .enumerate()
                .map(|(i, text)| record_with(&config, &format!("decisions/base-{i}.md"), text))
                .collect(),
            head_logged: Default::default(),
        };
        let cx = Context {
            config: &config,
            today: today(),
            touched: None,
            change: Some(&change),
            logged: None,
            history: false,
        };
        let mut findings = Vec::new();
        let mut out = Emitter::new(rule.meta(), &cx, &mut findings);
        rule.check_change(&change, &cx, &mut out);
        findings
    }

    /// Run `rule` on one inline record under the default config.
    pub fn check_one(rule: &dyn Rule, text: &str) -> Vec<Finding> {
        let config = Config::default();
        let record = record_with(&config, "decisions/0001-test.md", text);
        run_rule(rule, &config, &[record])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every enabled rule with every fact known, one record after another: the oracle
    /// the pipeline's split (record rules as records parse, commit-time rules once git is
    /// read, see `crate::check`) must agree with.
    fn run(records: &[Record], cx: &Context<'_>) -> Vec<Finding> {
        let rules = EnabledRules::new(cx.config);
        let mut findings = Vec::new();
        for record in records {
            rules.check_record(record, cx, &mut findings);
        }
        findings.extend(rules.check_log(records, cx));
        findings
    }

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for rule in registry() {
            let meta = rule.meta();
            assert!(seen.insert(meta.code), "duplicate code {}", meta.code);
            assert!(seen.insert(meta.name), "duplicate name {}", meta.name);
            assert!(
                meta.code.len() == 5
                    && meta.code.starts_with("DL")
                    && meta.code[2..].chars().all(|c| c.is_ascii_digit()),
                "bad code {}",
                meta.code
            );
            assert!(
                meta.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "bad name {}",
                meta.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for rule in registry() {
            let m = rule.meta();
            for (part, text) in [
                ("summary", m.summary),
                ("what", m.what),
                ("why", m.why),
                ("bad", m.bad),
                ("good", m.good),
            ] {
                assert!(!text.trim().is_empty(), "{} has no {part}", m.code);
            }
            assert_ne!(
                m.bad, m.good,
                "{}: the bad and good examples are the same",
                m.code
            );
        }
    }

    #[test]
    fn record_examples_fire_and_fixed_examples_do_not() {
        // Examples written as one whole record are checked against the rule itself, so
        // `declint explain` never shows an example that does not do what it says.
        for rule in registry() {
            let m = rule.meta();
            if m.code.starts_with("DL5") || !m.bad.starts_with("---\n") {
                continue;
            }
            assert!(
                !testing::check_one(*rule, m.bad).is_empty(),
                "{}: the bad example does not fire",
                m.code
            );
            let fixed = testing::check_one(*rule, m.good);
            assert!(
                fixed.is_empty(),
                "{}: the fixed example still fires: {fixed:?}",
                m.code
            );
        }
    }

    #[test]
    fn run_finds_what_one_rule_at_a_time_finds_in_the_same_order() {
        // Record and log rules run in parallel; the findings must still come back in
        // the serial order: records in order, each through the registry, then each
        // rule's log-wide findings.
        let config = Config::default();
        let records: Vec<Record> = (1..=60)
            .map(|i| {
                testing::record_with(
                    &config,
                    &format!("d/{i:04}-x.md"),
                    &format!(
                        "---\nid: \"{:04}\"\ntitle: TBD\nstatus: {}\ndecider: ana\nsupersedes: [\"{:04}\"]\n---\n",
                        i % 9,
                        if i % 2 == 0 { "superseded" } else { "accepted" },
                        i + 1
                    ),
                )
            })
            .collect();
        let cx = Context::new(&config, testing::today());
        let mut serial = Vec::new();
        for record in &records {
            for rule in registry() {
                if cx.applies(rule.meta().stage, record) {
                    let mut out = Emitter::new(rule.meta(), &cx, &mut serial);
                    if out.enabled() {
                        rule.check_record(record, &cx, &mut out);
                    }
                }
            }
        }
        let log = LogIndex::new(&records, &cx);
        for rule in registry() {
            let mut out = Emitter::new(rule.meta(), &cx, &mut serial);
            if out.enabled() {
                rule.check_log(&log, &cx, &mut out);
            }
        }
        let codes: HashSet<&str> = serial.iter().map(|f| f.code).collect();
        for code in ["DL110", "DL206", "DL401", "DL402", "DL403"] {
            assert!(codes.contains(code), "{code} should fire: {codes:?}");
        }
        assert_eq!(run(&records, &cx), serial);
    }

    #[test]
    fn record_rules_split_around_git_find_what_run_finds() {
        // `check --base` runs the record rules that need no git facts before git is read
        // (without `touched`), softens their findings afterwards, then runs DL305: once
        // sorted, that must be exactly what `run` finds with every fact known.
        let config = Config::default();
        let records: Vec<Record> = (1..=12)
            .map(|i| {
                testing::record_with(
                    &config,
                    &format!("d/{i:04}-x.md"),
                    &format!(
                        "---\nid: \"{i:04}\"\ntitle: T\nstatus: accepted\ndate: 2026-01-0{}\ndecider: ana\nreview_by: 2026-0{}-01\noptions: [a]\n---\n",
                        i % 9 + 1,
                        i % 9 + 1,
                    ),
                )
            })
            .collect();
        let touched: HashSet<String> = records.iter().step_by(3).map(|r| r.path.clone()).collect();
        let logged: crate::change::Logged = records
            .iter()
            .step_by(2)
            .map(|r| (crate::timeline::record_key(r), 1_800_000_000))
            .collect();
        let cx = Context {
            touched: Some(&touched),
            logged: Some(&logged),
            ..Context::new(&config, testing::today())
        };
        let mut whole = run(&records, &cx);
        crate::finding::sort_findings(&mut whole);

        let enabled = EnabledRules::new(&config);
        let (before_git, after_git) = enabled.without_commit_times();
        let plain = Context::new(&config, testing::today());
        let mut split = Vec::new();
        for record in &records {
            before_git.check_record(record, &plain, &mut split);
        }
        soften_untouched(&mut split, cx.touched, config.pr_scope);
        for record in &records {
            after_git.check_record(record, &cx, &mut split);
        }
        split.extend(enabled.check_log(&records, &cx));
        crate::finding::sort_findings(&mut split);

        let codes: HashSet<&str> = whole.iter().map(|f| f.code).collect();
        assert!(
            codes.contains("DL305") && codes.contains("DL302"),
            "{codes:?}"
        );
        assert!(
            whole
                .iter()
                .any(|f| f.code == "DL302" && f.severity == Severity::Warning)
                && whole
                    .iter()
                    .any(|f| f.code == "DL302" && f.severity == Severity::Error),
            "both softened and unsoftened review findings: {whole:?}"
        );
        assert_eq!(split, whole);
    }

    #[test]
    fn registry_is_in_code_order() {
        let codes: Vec<_> = registry().iter().map(|r| r.meta().code).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn find_by_code_or_name() {
        assert_eq!(find("dl101").map(|r| r.meta().code), Some("DL101"));
        assert_eq!(find("required-field").map(|r| r.meta().code), Some("DL101"));
        assert!(find("DL999").is_none());
    }
}
