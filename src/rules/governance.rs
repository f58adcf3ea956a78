//! DL203, DL206, DL405: who decides, and how much is in flight. A roster keeps names
//! honest; the bottleneck and open-decision limits keep the log from piling up on one
//! person or one backlog. All counts work on status classes, never on status names.

use super::{Context, Emitter, LogIndex, Rule, RuleMeta, Stage};
use crate::config::{Config, StatusClass};
use crate::finding::Severity;
use crate::people::{Roster, identity, person_key};
use crate::record::Record;
use crate::record::fields::Text;
use crate::spelling::suggest;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Every person a record names in a role, with the role: the decider, the other RAPID
/// roles, and MADR's `consulted` and `informed`.
fn people(record: &Record) -> Vec<(&'static str, &Text)> {
    let f = &record.fields;
    let mut found: Vec<(&'static str, &Text)> = Vec::new();
    if let Some(decider) = &f.decider {
        found.extend(decider.value.names.iter().map(|n| ("decider", n)));
    }
    for (role, list) in [
        ("recommend", &f.recommend),
        ("agree", &f.agree),
        ("perform", &f.perform),
        ("input", &f.input),
        ("consulted", &f.consulted),
        ("informed", &f.informed),
    ] {
        if let Some(list) = list {
            found.extend(list.value.iter().map(|n| (role, n)));
        }
    }
    found
}

/// DL203: a person not on the roster.
pub struct NotOnRoster;

impl Rule for NotOnRoster {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL203",
            name: "not-on-roster",
            severity: Severity::Error,
            stage: Stage::Content,
            time_based: false,
            summary: "A decider or other named person is not on the roster.",
            what: "When `roster:` is configured (a list of handles, or a file of them: one a line, or CODEOWNERS-style `@handles`), checks the decider and everyone under `recommend`, `agree`, `perform`, `input` (and MADR's `consulted`, `informed`) against it. A leading `@`, letter case and surrounding space are ignored, and a roster entry may list several names for one person (`[ana, \"@ana-lima\", Ana Lima]`). Without a roster the rule is silent.",
            why: "A misspelt or departed decider is nobody: the decision has no one to ask and the bottleneck count splits one person into two. The roster catches both, and suggests the name that was probably meant.",
            bad: "# .declint.yml: roster: [ana, bo]\n---\ntitle: Use Postgres\nstatus: accepted\ndecider: anna\n---\n",
            good: "# .declint.yml: roster: [ana, bo]\n---\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\n---\n",
        }
    }

    fn check_record(&self, record: &Record, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let Some(roster) = &cx.config.roster else {
            return;
        };
        for (role, person) in people(record) {
            let key = person_key(&person.text);
            if key.is_empty() || roster.knows(&person.text) {
                continue;
            }
            // Only a finding needs the roster's keys, for the suggestion.
            let handles: Vec<&str> = roster.handles().collect();
            let keys: Vec<String> = handles.iter().map(|h| person_key(h).into_owned()).collect();
            let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            let help = match suggest(&key, &key_refs)
                .and_then(|s| keys.iter().position(|k| *k == s))
                .and_then(|i| handles.get(i))
            {
                Some(handle) => format!("did you mean `{handle}`?"),
                None => "fix the name, or add the person to the roster (`roster:` in .declint.yml)"
                    .into(),
            };
            out.emit_field(
                record,
                role,
                person.span,
                format!("`{}` ({role}) is not on the roster", person.text),
                help,
            );
        }
    }
}

/// DL206: one decider holds too large a share of the open and active decisions.
pub struct Bottleneck;

impl Rule for Bottleneck {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL206",
            name: "decider-bottleneck",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "One person decides too large a share of the open and active decisions.",
            what: "Counts open and active decisions per decider (a leading `@`, letter case and roster aliases ignored, as in `stats`; a record naming several deciders counts for each). Once there are at least `bottleneck_min` (10) such decisions, reports anyone holding more than `bottleneck_share` (0.386) of them. Exactly the share does not fire. The finding is reported once per person, on their first open decision (else their first active one); with `--base`, on one of theirs the change touched, when there is one.",
            why: "When one person decides most things, every decision waits on their calendar and the team stops owning its choices. The share is a prompt to delegate before it becomes the way things are.",
            bad: "# 5 of 10 open and active decisions have `decider: ana` (50% > 38.6%)\n",
            good: "# ana decides 3 of 10; the other 7 are spread across bo, cy and dee\n",
        }
    }

    fn check_log(&self, log: &LogIndex<'_>, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let concentration = log.concentration();
        let total = concentration.total;
        for decider in &concentration.deciders {
            if !concentration.is_bottleneck(decider, cx.config) {
                continue;
            }
            let (name, count) = (&decider.name, decider.count);
            let share = concentration.share(decider);
            // In a pull request, a decision of theirs the change touched (open first).
            let key = identity(cx.config.roster.as_ref(), name);
            let touched_one =
                |wanted: StatusClass| log.decided_by(&key, wanted).find(|r| cx.is_touched(r));
            let touched = cx.touched.and_then(|_| {
                touched_one(StatusClass::Open).or_else(|| touched_one(StatusClass::Active))
            });
            let Some(record) = touched.or(decider.first_open).or(decider.first_active) else {
                continue;
            };
            let span = record
                .fields
                .decider
                .as_ref()
                .map_or_else(|| record.head_span(), |d| d.span);
            out.emit_field(
                record,
                "decider",
                span,
                format!(
                    "`{name}` decides {count} of {total} open and active decisions ({:.1}%), above the bottleneck share of {:.1}%",
                    share * 100.0,
                    cx.config.bottleneck_share * 100.0
                ),
                format!(
                    "hand some of {name}'s open decisions to another decider; the limit is `bottleneck_share` in .declint.yml"
                ),
            );
        }
    }
}

/// How the open and active decisions divide among their deciders: the one count DL206
/// and `stats` both read.
pub(crate) struct Concentration<'a> {
    /// Open and active decisions (the base of every share).
    pub total: usize,
    /// One entry per person (see [`crate::people`]), ordered by identity key.
    pub deciders: Vec<DeciderCount<'a>>,
}

impl Concentration<'_> {
    /// `decider`'s share of the open and active decisions (0 when there are none).
    pub fn share(&self, decider: &DeciderCount<'_>) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        #[allow(clippy::cast_precision_loss)] // counts of files are far below 2^52
        let share = decider.count as f64 / self.total as f64;
        share
    }

    /// Whether `decider` holds more than `bottleneck_share`, counted only once the log has
    /// `bottleneck_min` open and active decisions (DL206, and `stats`' bottleneck flag).
    pub fn is_bottleneck(&self, decider: &DeciderCount<'_>, config: &Config) -> bool {
        self.total > 0
            && self.total >= config.bottleneck_min
            && self.share(decider) > config.bottleneck_share
    }
}

/// Count the open and active records among `records` (`class` gives record `i`'s status
/// class) for each person their `decider` names; a record naming several people counts
/// for each, a person named twice in one record counts once.
pub(crate) fn concentration<'a>(
    records: &'a [Record],
    class: impl Fn(usize) -> Option<StatusClass> + Sync,
    roster: Option<&Roster>,
) -> Concentration<'a> {
    let in_flight =
        |i: usize| class(i).filter(|c| matches!(c, StatusClass::Open | StatusClass::Active));
    let total = (0..records.len())
        .filter(|&i| in_flight(i).is_some())
        .count();
    // Counted on the thread pool: most of the time goes on bringing each record's
    // decider in from memory. Partial tallies are merged in record order, so "first"
    // still means first in the order the records were given.
    let tally = records
        .par_iter()
        .enumerate()
        .filter_map(|(i, record)| in_flight(i).map(|class| (record, class)))
        .fold(BTreeMap::new, |mut tally, (record, class)| {
            count_deciders(&mut tally, record, class, roster);
            tally
        })
        .reduce(BTreeMap::new, |mut earlier, later| {
            for (key, entry) in later {
                match earlier.get_mut(&key) {
                    Some(first) => first.absorb(entry),
                    None => {
                        earlier.insert(key, entry);
                    }
                }
            }
            earlier
        });
    Concentration {
        total,
        deciders: tally.into_values().collect(),
    }
}

/// Count `record` (open or active) for each person its `decider` names.
fn count_deciders<'a>(
    tally: &mut BTreeMap<String, DeciderCount<'a>>,
    record: &'a Record,
    class: StatusClass,
    roster: Option<&Roster>,
) {
    for (key, shown) in each_decider(record, roster) {
        // Look up by the borrowed key: only a new decider costs an allocation.
        if let Some(entry) = tally.get_mut(key.as_ref()) {
            entry.count(record, class);
        } else {
            let mut entry = DeciderCount {
                name: shown.to_string(),
                count: 0,
                first_open: None,
                first_active: None,
            };
            entry.count(record, class);
            tally.insert(key.into_owned(), entry);
        }
    }
}

/// Each person `record`'s `decider` names, once: their identity key (see
/// [`crate::people`]) and the name to show (the roster handle, else as written).
fn each_decider<'a>(
    record: &'a Record,
    roster: Option<&'a Roster>,
) -> impl Iterator<Item = (std::borrow::Cow<'a, str>, &'a str)> {
    let names = record
        .fields
        .decider
        .as_ref()
        .map_or(&[][..], |d| d.value.names.as_slice());
    names.iter().enumerate().filter_map(move |(n, name)| {
        let key = identity(roster, &name.text);
        // A record naming one person twice counts for them once.
        if key.is_empty()
            || names
                .iter()
                .take(n)
                .any(|earlier| identity(roster, &earlier.text) == key)
        {
            return None;
        }
        let shown = roster
            .and_then(|r| r.handle_of(&name.text))
            .unwrap_or(&name.text)
            .trim();
        Some((key, shown))
    })
}

/// [`each_decider`] owned: what the log's facts keep for DL206.
pub(crate) fn deciders_of(record: &Record, roster: Option<&Roster>) -> Vec<(String, String)> {
    each_decider(record, roster)
        .map(|(key, shown)| (key.into_owned(), shown.to_string()))
        .collect()
}

/// One decider's part of the open and active decisions.
pub(crate) struct DeciderCount<'a> {
    /// The roster handle, else the name as first written.
    pub name: String,
    pub count: usize,
    /// Where to report: their first open decision, else their first active one.
    pub first_open: Option<&'a Record>,
    pub first_active: Option<&'a Record>,
}

impl<'a> DeciderCount<'a> {
    /// Count one open or active decision of this decider.
    fn count(&mut self, record: &'a Record, class: StatusClass) {
        self.count += 1;
        let first = if class == StatusClass::Open {
            &mut self.first_open
        } else {
            &mut self.first_active
        };
        first.get_or_insert(record);
    }

    /// Add the tally of records that come after this one's.
    fn absorb(&mut self, later: DeciderCount<'a>) {
        self.count += later.count;
        self.first_open = self.first_open.or(later.first_open);
        self.first_active = self.first_active.or(later.first_active);
    }
}

/// DL405: more open decisions than `max_open`.
pub struct TooManyOpen;

impl Rule for TooManyOpen {
    fn meta(&self) -> &'static RuleMeta {
        &RuleMeta {
            code: "DL405",
            name: "too-many-open",
            severity: Severity::Warning,
            stage: Stage::Content,
            time_based: false,
            summary: "More decisions are open than the team's limit.",
            what: "Counts records whose status class is `open` (drafts and proposals by default) and reports when there are more than `max_open` (12). Exactly `max_open` does not fire. The finding is reported once, on the last open record by path (usually the newest; with `--base`, the last open one the change touched, when there is one), and names the oldest open ones.",
            why: "Open decisions are work in progress for the whole team. A long queue means each waits longer and people stop believing the log reflects what is decided.",
            bad: "# 13 records with status draft or proposed (max_open: 12)\n",
            good: "# 12 or fewer open; the rest decided, rejected or withdrawn\n",
        }
    }

    fn check_log(&self, log: &LogIndex<'_>, cx: &Context<'_>, out: &mut Emitter<'_>) {
        let open: Vec<&Record> = log.open().collect();
        if open.len() <= cx.config.max_open {
            return;
        }
        // In a pull request, the open record the change touched: it brought the count over.
        let by_path = |a: &&&Record, b: &&&Record| a.path.cmp(&b.path);
        let Some(last) = open
            .iter()
            .filter(|r| cx.is_touched(r))
            .max_by(by_path)
            .or_else(|| open.iter().max_by(by_path))
        else {
            return;
        };
        let mut oldest: Vec<&&Record> = open.iter().collect();
        oldest.sort_by(|a, b| {
            let raised = |r: &Record| r.fields.raised.as_ref().and_then(|f| f.value.date);
            // Undated records sort last; ties by path.
            (raised(a).is_none(), raised(a), &a.path).cmp(&(
                raised(b).is_none(),
                raised(b),
                &b.path,
            ))
        });
        let names: Vec<String> = oldest
            .iter()
            .take(3)
            .map(|r| r.id().map_or_else(|| r.path.clone(), str::to_string))
            .collect();
        let span = last
            .fields
            .status
            .as_ref()
            .map_or_else(|| last.head_span(), |s| s.span);
        out.emit_field(
            last,
            "status",
            span,
            format!(
                "{} decisions are open, above the limit of {} (`max_open`)",
                open.len(),
                cx.config.max_open
            ),
            format!(
                "decide or withdraw open decisions before raising more; the oldest open: {}",
                names.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::config::Config;
    use crate::rules::testing::{record_with, run_rule};

    fn log(config: &Config, records: &[(&str, &str)]) -> Vec<Record> {
        records
            .iter()
            .enumerate()
            .map(|(i, (status, decider))| {
                record_with(
                    config,
                    &format!("decisions/{:04}-x.md", i + 1),
                    &format!("---\ntitle: X\nstatus: {status}\ndecider: \"{decider}\"\n---\n"),
                )
            })
            .collect()
    }

    fn roster(list: &str) -> Config {
        Config::parse(&format!("roster: [{list}]\n"), "x").expect("valid config")
    }

    #[test]
    fn dl203_silent_without_a_roster() {
        let config = Config::default();
        let records = log(&config, &[("accepted", "anyone")]);
        assert!(run_rule(&NotOnRoster, &config, &records).is_empty());
    }

    #[test]
    fn dl203_suggests_the_closest_handle() {
        let config = roster("'@ana', bo");
        let record = record_with(
            &config,
            "decisions/0001-x.md",
            "---\nstatus: accepted\ndecider: anna\nagree: [bo, Ana, '@BO', zed]\n---\n",
        );
        let f = run_rule(&NotOnRoster, &config, &[record]);
        let messages: Vec<_> = f
            .iter()
            .map(|f| (f.message.as_str(), f.help.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "`anna` (decider) is not on the roster",
                    "did you mean `@ana`?"
                ),
                (
                    "`zed` (agree) is not on the roster",
                    "fix the name, or add the person to the roster (`roster:` in .declint.yml)"
                ),
            ]
        );
        assert_eq!((f[1].start.line, f[1].start.column), (4, 25));
    }

    #[test]
    fn dl203_checks_madr_roles() {
        let mut config = roster("ana");
        config.profile = crate::config::Profile::Madr;
        let record = record_with(
            &config,
            "docs/adr/0001-x.md",
            "---\nstatus: accepted\ndecision-makers: [ana]\nconsulted: [bo]\ninformed: [ana]\n---\n",
        );
        let f = run_rule(&NotOnRoster, &config, &[record]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "`bo` (consulted) is not on the roster");
    }

    #[test]
    fn dl206_fires_above_the_share_once_the_minimum_is_reached() {
        let config = Config::default();
        // 4 of 10 = 40% > 38.6%.
        let mut rows = vec![("accepted", "ana"); 3];
        rows.push(("proposed", "@Ana"));
        rows.extend([("accepted", "bo"); 3]);
        rows.extend([("accepted", "cy"); 3]);
        let f = run_rule(&Bottleneck, &config, &log(&config, &rows));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "`ana` decides 4 of 10 open and active decisions (40.0%), above the bottleneck share of 38.6%"
        );
        // Reported on ana's first open decision.
        assert_eq!(f[0].path, "decisions/0004-x.md");
        // 3 of 10 = 30%: no finding.
        let mut rows = vec![("accepted", "ana"); 3];
        rows.extend([("accepted", "bo"); 3]);
        rows.extend([("accepted", "cy"); 4]);
        rows[9] = ("accepted", "dee");
        assert!(run_rule(&Bottleneck, &config, &log(&config, &rows)).is_empty());
    }

    /// With `--base`, the bottleneck is reported on a decision of that person's the change
    /// touched (open first), so the change that tipped the share fails.
    #[test]
    fn dl206_in_a_pull_request_is_on_the_touched_decision() {
        use std::collections::HashSet;
        let config = Config::default();
        let mut rows = vec![("accepted", "ana"); 3];
        rows.push(("proposed", "@Ana"));
        rows.extend([("accepted", "bo"); 3]);
        rows.extend([("accepted", "cy"); 3]);
        let records = log(&config, &rows);
        let touched: HashSet<String> = ["decisions/0002-x.md".to_string()].into();
        let cx = Context {
            touched: Some(&touched),
            ..Context::new(&config, crate::rules::testing::today())
        };
        let mut findings = Vec::new();
        let mut out = Emitter::new(Bottleneck.meta(), &cx, &mut findings);
        Bottleneck.check_log(&LogIndex::new(&records, &cx), &cx, &mut out);
        let paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["decisions/0002-x.md"]);
    }

    #[test]
    fn dl206_exact_share_and_minimum_are_boundaries() {
        let config = Config::parse("bottleneck_share: 0.4\n", "x").expect("valid config");
        let mut rows = vec![("accepted", "ana"); 4];
        rows.extend([("accepted", "bo"); 3]);
        rows.extend([("accepted", "cy"); 3]);
        assert!(run_rule(&Bottleneck, &config, &log(&config, &rows)).is_empty());
        // Below the minimum: 9 decisions, all ana's.
        let config = Config::default();
        let rows = vec![("accepted", "ana"); 9];
        assert!(run_rule(&Bottleneck, &config, &log(&config, &rows)).is_empty());
        let rows = vec![("accepted", "ana"); 10];
        assert_eq!(
            run_rule(&Bottleneck, &config, &log(&config, &rows)).len(),
            1
        );
        let config = Config::parse("bottleneck_min: 11\n", "x").expect("valid config");
        assert!(run_rule(&Bottleneck, &config, &log(&config, &rows)).is_empty());
    }

    #[test]
    fn dl206_counts_a_large_log_in_parallel_with_the_serial_result() {
        // Enough records for the tally to be split across threads: the name as first
        // written and the first open decision must still be the first in record order.
        let config = Config::default();
        let mut rows = vec![("accepted", "bo"); 900];
        for (i, row) in rows.iter_mut().enumerate() {
            if i % 2 == 0 {
                *row = ("accepted", if i < 300 { "@Ana" } else { "ana" });
            }
        }
        rows[701] = ("proposed", "ana");
        rows[803] = ("proposed", "ANA");
        let f = run_rule(&Bottleneck, &config, &log(&config, &rows));
        let messages: Vec<_> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`@Ana` decides 452 of 900 open and active decisions (50.2%), above the bottleneck share of 38.6%",
                "`bo` decides 448 of 900 open and active decisions (49.8%), above the bottleneck share of 38.6%",
            ]
        );
        assert_eq!(f[0].path, "decisions/0702-x.md");
        assert_eq!(f[1].path, "decisions/0002-x.md");
    }

    #[test]
    fn dl206_ignores_closed_decisions() {
        let config = Config::default();
        let mut rows = vec![("superseded", "ana"); 20];
        rows.extend([("accepted", "bo"); 4]);
        rows.extend([("accepted", "cy"); 3]);
        rows.extend([("accepted", "dee"); 3]);
        let f = run_rule(&Bottleneck, &config, &log(&config, &rows));
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with("`bo` decides 4 of 10"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn dl405_fires_above_max_open_only() {
        let config = Config::default();
        let mut rows = vec![("proposed", "ana"); 12];
        rows.extend([("accepted", "bo"); 5]);
        assert!(run_rule(&TooManyOpen, &config, &log(&config, &rows)).is_empty());
        rows.push(("draft", "cy"));
        let f = run_rule(&TooManyOpen, &config, &log(&config, &rows));
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].message,
            "13 decisions are open, above the limit of 12 (`max_open`)"
        );
        assert_eq!(f[0].path, "decisions/0018-x.md");
        assert!(
            f[0].help.ends_with("the oldest open: 0001, 0002, 0003"),
            "{}",
            f[0].help
        );
        let config = Config::parse("max_open: 13\n", "x").expect("valid config");
        assert!(run_rule(&TooManyOpen, &config, &log(&config, &rows)).is_empty());
    }

    #[test]
    fn dl405_counts_custom_open_statuses() {
        let config = Config::parse(
            "max_open: 1\nstatuses:\n  idea: open\n  in-review: open\n  done: active\n",
            "x",
        )
        .expect("valid config");
        let rows = [("idea", "ana"), ("IN-REVIEW", "bo"), ("done", "cy")];
        let f = run_rule(&TooManyOpen, &config, &log(&config, &rows));
        assert_eq!(f.len(), 1);
        assert!(f[0].message.starts_with("2 decisions are open"));
    }
}
