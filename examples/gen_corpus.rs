//! Benchmark corpus generator: writes N realistic decision records in every shape of the
//! record format (decisions and exceptions; open, active and closed; options as strings,
//! as maps and as a body section; evidence, dissent, priorities, uncertainty, affects,
//! supersede links), optionally with a share of broken records, in adr-tools (Nygard)
//! form for `adrs doctor`, or as a git history of M commits built with `git fast-import`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR --count 10000 [--seed 7]
//!     [--findings 10] [--nygard] [--commits 20000 [--pr-changes 10]] [--today 2026-11-27]
//!     [--monorepo-files 200000]
//! ```
//!
//! Output: `DIR/decisions/NNNNN-slug.md` (declint's default folder), or with `--nygard`
//! `DIR/doc/adr/NNNN-slug.md`. With `--commits`, `DIR` becomes a git repository whose
//! `main` holds the whole history; the branch `bench-base` points at the end of that
//! history and `main` carries one more commit changing `--pr-changes` records, so that
//! `declint check --base bench-base` measures a pull request of that size.
//!
//! With `--monorepo-files F`, `DIR` becomes a git repository of F ordinary files in nested
//! folders (`src/<area>/…`, `services/<area>/…`, `web/…`, `libs/…`) beside the decision
//! folder: `bench-base` holds them all, and `main` adds one commit changing
//! `--pr-changes` records and a few code files, half of them under an `affects` glob
//! (`src/billing/…`) and half outside every glob (`libs/…`). It measures `check --base` in
//! a large repository, where the decision log is a small part of the tree.
//!
//! This is a benchmark tool, not product code: it shells out to `git fast-import`, which
//! writes a delta-compressed pack (tens of MB for 20k commits over a 10k-file folder,
//! where loose tree objects would take gigabytes).

// A benchmark tool indexing into its own generated tables, not into user input.
#![allow(clippy::indexing_slicing)]

use chrono::{Duration, NaiveDate};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DECIDERS: &[&str] = &[
    "ana", "bruno", "chen", "dara", "eli", "farah", "gus", "hana", "ivo", "jun", "kemal", "lena",
    "marco", "nia", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma", "vik", "wen",
    "xavier", "yara", "zoe", "abel", "bea", "cyrus", "dina", "emil", "fay", "goran", "hugo",
    "ines", "jonas", "kai", "luz", "mika", "noor",
];

const SUBJECTS: &[&str] = &[
    "Postgres",
    "SQLite",
    "Kafka",
    "NATS",
    "gRPC",
    "REST",
    "GraphQL",
    "Redis",
    "Memcached",
    "Kubernetes",
    "Nomad",
    "Terraform",
    "Pulumi",
    "OpenTelemetry",
    "Prometheus",
    "feature flags",
    "trunk-based development",
    "monorepo",
    "event sourcing",
    "CQRS",
    "server-side rendering",
    "a design system",
    "weekly releases",
    "canary deploys",
    "SSO via OIDC",
    "row-level security",
    "an outbox table",
    "blue-green deploys",
    "S3 for artefacts",
    "a read replica",
];

const AREAS: &[&str] = &[
    "billing",
    "search",
    "auth",
    "checkout",
    "reporting",
    "ingest",
    "mobile",
    "platform",
    "payments",
    "onboarding",
    "notifications",
    "analytics",
];

const VERBS: &[&str] = &[
    "Use",
    "Adopt",
    "Move to",
    "Standardise on",
    "Keep",
    "Introduce",
];

const WORDS: &[&str] = &[
    "latency",
    "throughput",
    "cost",
    "team",
    "on-call",
    "migration",
    "customers",
    "budget",
    "incident",
    "contract",
    "vendor",
    "schema",
    "traffic",
    "quarter",
    "roadmap",
    "risk",
    "security",
    "compliance",
    "backlog",
    "capacity",
    "error rate",
    "p99",
    "storage",
    "users",
];

/// The mistakes a record with findings carries, one each.
const DEFECTS: &[Defect] = &[
    Defect::NoDecider,
    Defect::TwoDeciders,
    Defect::UnknownField,
    Defect::WrongType,
    Defect::BadDate,
    Defect::YamlSyntax,
    Defect::NoFrontMatter,
    Defect::PlaceholderReversal,
    Defect::UnknownStatus,
    Defect::OneOption,
    Defect::FutureDate,
    Defect::RaisedAfterDate,
    Defect::ExceptionWithoutExpiry,
    Defect::PriorityWithoutTradeoff,
    Defect::NoReversal,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    NoDecider,
    TwoDeciders,
    UnknownField,
    WrongType,
    BadDate,
    YamlSyntax,
    NoFrontMatter,
    PlaceholderReversal,
    UnknownStatus,
    OneOption,
    FutureDate,
    RaisedAfterDate,
    ExceptionWithoutExpiry,
    PriorityWithoutTradeoff,
    NoReversal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OptionsShape {
    Strings,
    Maps,
    BodySection,
}

#[derive(Debug, Clone)]
struct Evidence {
    date: NaiveDate,
    summary: String,
    link: Option<String>,
    criterion: Option<usize>,
}

/// One record, kept in memory so history commits can re-render it after a change.
#[derive(Debug, Clone)]
struct Rec {
    number: usize,
    slug: String,
    title: String,
    exception: bool,
    status: &'static str,
    raised: NaiveDate,
    date: NaiveDate,
    decider: &'static str,
    recommend: Vec<&'static str>,
    agree: Vec<&'static str>,
    input: Vec<&'static str>,
    options: Vec<(String, Vec<String>, Vec<String>)>,
    options_shape: OptionsShape,
    reversal: Vec<String>,
    reversal_in_body: bool,
    review_by: Option<NaiveDate>,
    priority: Option<u8>,
    deprioritized: Vec<String>,
    evidence: Vec<Evidence>,
    dissent: Option<Vec<(&'static str, String)>>,
    supersedes: Option<usize>,
    superseded_by: Option<usize>,
    one_way: bool,
    uncertainty: Option<(u8, u8, u8)>,
    expires: Option<NaiveDate>,
    affects: Vec<String>,
    tags: Vec<&'static str>,
    context: String,
    decision: String,
    consequences: String,
    defect: Option<Defect>,
}

struct Args {
    out: PathBuf,
    count: usize,
    seed: u64,
    findings_percent: u32,
    nygard: bool,
    commits: usize,
    pr_changes: usize,
    today: NaiveDate,
    monorepo_files: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: gen_corpus --out DIR --count N [--seed S] [--findings PERCENT] [--nygard] \
         [--commits M [--pr-changes K]] [--today YYYY-MM-DD] [--monorepo-files F]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        out: PathBuf::new(),
        count: 1000,
        seed: 7,
        findings_percent: 0,
        nygard: false,
        commits: 0,
        pr_changes: 10,
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
        monorepo_files: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--out" => args.out = PathBuf::from(value()),
            "--count" => args.count = value().parse().unwrap_or_else(|_| usage()),
            "--seed" => args.seed = value().parse().unwrap_or_else(|_| usage()),
            "--findings" => args.findings_percent = value().parse().unwrap_or_else(|_| usage()),
            "--nygard" => args.nygard = true,
            "--commits" => args.commits = value().parse().unwrap_or_else(|_| usage()),
            "--pr-changes" => args.pr_changes = value().parse().unwrap_or_else(|_| usage()),
            "--monorepo-files" => args.monorepo_files = value().parse().unwrap_or_else(|_| usage()),
            "--today" => {
                args.today =
                    NaiveDate::parse_from_str(&value(), "%Y-%m-%d").unwrap_or_else(|_| usage())
            }
            _ => usage(),
        }
    }
    if args.out.as_os_str().is_empty() || args.count == 0 {
        usage();
    }
    args
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args();
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let started = std::time::Instant::now();
    // Decided dates spread over the years before `today`; with a history, one commit a
    // day-fraction so the last commit lands a little before `today`.
    let span_days = 6 * 365;
    let first_day = args.today - Duration::days(span_days);
    let mut recs: Vec<Rec> = (0..args.count)
        .map(|i| {
            let day = first_day + Duration::days((i as i64 * (span_days - 30)) / args.count as i64);
            make_record(&mut rng, &args, i + 1, day)
        })
        .collect();
    link_supersedes(&mut rng, &mut recs);
    open_a_few(&mut rng, &mut recs, &args);
    if args.findings_percent > 0 {
        for (i, rec) in recs.iter_mut().enumerate() {
            if rng.u32(0..100) < args.findings_percent {
                let defect = DEFECTS[i % DEFECTS.len()];
                apply_defect(rec, defect, args.today);
            }
        }
    }
    if args.monorepo_files > 0 {
        build_monorepo(&mut rng, &args, &mut recs)?;
    } else if args.commits > 0 {
        build_history(&mut rng, &args, &mut recs)?;
    } else {
        write_files(&args, &recs)?;
    }
    eprintln!(
        "gen_corpus: {} records{} in {} ({:.1}s)",
        recs.len(),
        if args.commits > 0 {
            format!(", {} commits", args.commits)
        } else {
            String::new()
        },
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(0..items.len())]
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(pick(rng, WORDS));
    }
    s
}

fn paragraph(rng: &mut fastrand::Rng, sentences: std::ops::Range<usize>) -> String {
    let sentences = rng.usize(sentences);
    let mut p = String::new();
    for i in 0..sentences {
        if i > 0 {
            p.push(' ');
        }
        let n = rng.usize(6..14);
        let mut s = sentence(rng, n);
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        p.push_str(&s);
        p.push('.');
    }
    p
}

fn people(rng: &mut fastrand::Rng, n: std::ops::Range<usize>, not: &str) -> Vec<&'static str> {
    let n = rng.usize(n);
    let mut out = Vec::new();
    while out.len() < n {
        let p = pick(rng, DECIDERS);
        if p != not && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

fn make_record(rng: &mut fastrand::Rng, args: &Args, number: usize, day: NaiveDate) -> Rec {
    let subject = pick(rng, SUBJECTS);
    let area = pick(rng, AREAS);
    let exception = rng.u32(0..100) < 5;
    let title = if exception {
        format!("Exception: {area} may skip {subject} until the migration ends")
    } else {
        format!("{} {subject} for {area}", pick(rng, VERBS))
    };
    let slug: String = title
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let decider = pick(rng, DECIDERS);
    let n_options = rng.usize(2..5);
    let options = (0..n_options)
        .map(|k| {
            let name = if k == 0 {
                subject.to_string()
            } else {
                pick(rng, SUBJECTS).to_string()
            };
            let pros = (0..rng.usize(0..3)).map(|_| sentence(rng, 3)).collect();
            let cons = (0..rng.usize(0..3)).map(|_| sentence(rng, 3)).collect();
            (name, pros, cons)
        })
        .collect();
    let options_shape = match rng.u32(0..10) {
        0..=4 => OptionsShape::Strings,
        5..=8 => OptionsShape::Maps,
        _ => OptionsShape::BodySection,
    };
    let reversal = (0..rng.usize(1..4))
        .map(|_| {
            format!(
                "if {} rises above {} for a {}",
                pick(rng, WORDS),
                rng.u32(2..99),
                pick(rng, WORDS)
            )
        })
        .collect();
    let raised = day - Duration::days(rng.i64(0..2));
    let priority = (rng.u32(0..100) < 15).then(|| rng.u8(0..5));
    let deprioritized = if priority.is_some() {
        (0..rng.usize(1..3))
            .map(|_| format!("{} work on {}", pick(rng, AREAS), pick(rng, SUBJECTS)))
            .collect()
    } else {
        Vec::new()
    };
    let evidence = (0..rng.usize(0..3))
        .map(|k| Evidence {
            date: raised - Duration::days(10 - k as i64),
            summary: paragraph(rng, 1..2),
            link: (rng.bool()).then(|| format!("https://wiki.example.com/{area}/{number}-{k}")),
            criterion: None,
        })
        .collect();
    let one_way = rng.u32(0..10) == 0;
    let dissent = if one_way || rng.u32(0..3) == 0 {
        Some(if rng.bool() {
            Vec::new()
        } else {
            vec![(pick(rng, DECIDERS), paragraph(rng, 1..2))]
        })
    } else {
        None
    };
    let uncertainty = (rng.u32(0..100) < 30).then(|| (rng.u8(0..6), rng.u8(0..6), rng.u8(0..6)));
    let needs_review = uncertainty.is_some_and(|(a, b, c)| a + b + c > 9);
    let review_by =
        (needs_review || rng.u32(0..4) == 0).then(|| args.today + Duration::days(rng.i64(30..400)));
    let affects = if rng.u32(0..10) < 3 {
        vec![
            format!("src/{area}/**"),
            format!("services/{}/**", pick(rng, AREAS)),
        ]
    } else {
        Vec::new()
    };
    let tags = (0..rng.usize(0..3)).map(|_| pick(rng, AREAS)).collect();
    Rec {
        number,
        slug,
        title,
        exception,
        status: "accepted",
        raised,
        date: day,
        decider,
        recommend: people(rng, 0..2, decider),
        agree: people(rng, if one_way { 2..3 } else { 0..3 }, decider),
        input: people(rng, 0..3, decider),
        options,
        options_shape,
        reversal,
        reversal_in_body: rng.u32(0..10) == 0,
        review_by,
        priority,
        deprioritized,
        evidence,
        dissent,
        supersedes: None,
        superseded_by: None,
        one_way,
        uncertainty,
        expires: exception.then(|| args.today + Duration::days(rng.i64(30..365))),
        affects,
        tags,
        context: paragraph(rng, 2..6),
        decision: paragraph(rng, 1..4),
        consequences: paragraph(rng, 1..4),
        defect: None,
    }
}

/// About 4% of decisions are superseded by a later one; some are rejected or deprecated.
fn link_supersedes(rng: &mut fastrand::Rng, recs: &mut [Rec]) {
    let n = recs.len();
    for i in 0..n {
        if recs[i].exception || recs[i].superseded_by.is_some() || recs[i].supersedes.is_some() {
            continue;
        }
        match rng.u32(0..100) {
            0..=3 if i + 7 < n => {
                let j = i + rng.usize(1..8);
                if recs[j].supersedes.is_none()
                    && recs[j].superseded_by.is_none()
                    && !recs[j].exception
                {
                    recs[i].status = "superseded";
                    recs[i].superseded_by = Some(recs[j].number);
                    recs[j].supersedes = Some(recs[i].number);
                }
            }
            4..=5 => recs[i].status = "rejected",
            6 => recs[i].status = "deprecated",
            _ => {}
        }
    }
}

/// The last few decisions are still open (at most 12: the open-decision limit), due soon.
fn open_a_few(rng: &mut fastrand::Rng, recs: &mut [Rec], args: &Args) {
    let n = recs.len();
    for rec in recs.iter_mut().skip(n.saturating_sub(20)) {
        if rec.status == "accepted" && !rec.exception && rec.supersedes.is_none() && rng.bool() {
            rec.status = if rng.bool() { "proposed" } else { "draft" };
            rec.raised = args.today - Duration::days(1);
        }
    }
}

fn apply_defect(rec: &mut Rec, defect: Defect, today: NaiveDate) {
    rec.defect = Some(defect);
    match defect {
        Defect::FutureDate => rec.date = today + Duration::days(40),
        Defect::RaisedAfterDate => rec.raised = rec.date + Duration::days(3),
        Defect::ExceptionWithoutExpiry => {
            rec.exception = true;
            rec.expires = None;
        }
        Defect::PriorityWithoutTradeoff => {
            rec.priority = Some(1);
            rec.deprioritized.clear();
        }
        Defect::OneOption => {
            rec.options.truncate(1);
            rec.options_shape = OptionsShape::Strings;
        }
        Defect::NoReversal => {
            rec.reversal.clear();
            rec.reversal_in_body = false;
        }
        _ => {}
    }
}

fn yaml_str(s: &str) -> String {
    if s.contains([
        '#', ':', '"', '\'', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`',
    ]) || s.starts_with(['-', '?', ' '])
    {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

fn list(out: &mut String, key: &str, items: &[String]) {
    let _ = writeln!(out, "{key}:");
    for item in items {
        let _ = writeln!(out, "  - {}", yaml_str(item));
    }
}

fn inline_list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

fn id_of(number: usize, width: usize) -> String {
    format!("{number:0width$}")
}

/// The record in declint's format.
fn render(rec: &Rec, width: usize) -> String {
    let mut out = String::with_capacity(2048);
    let defect = rec.defect;
    if defect != Some(Defect::NoFrontMatter) {
        out.push_str("---\n");
        let _ = writeln!(out, "id: \"{}\"", id_of(rec.number, width));
        let _ = writeln!(out, "title: {}", yaml_str(&rec.title));
        if rec.exception {
            out.push_str("kind: exception\n");
        }
        let status = if defect == Some(Defect::UnknownStatus) {
            "acepted"
        } else {
            rec.status
        };
        let _ = writeln!(out, "status: {status}");
        let _ = writeln!(out, "raised: {}", rec.raised);
        if !matches!(rec.status, "proposed" | "draft") {
            if defect == Some(Defect::BadDate) {
                out.push_str("date: 2026-13-45\n");
            } else {
                let _ = writeln!(out, "date: {}", rec.date);
            }
        } else {
            let _ = writeln!(out, "due: {}", rec.raised + Duration::days(3));
        }
        match defect {
            Some(Defect::NoDecider) => {}
            Some(Defect::TwoDeciders) => {
                let _ = writeln!(out, "decider: [{}, {}]", rec.decider, DECIDERS[0]);
            }
            _ => {
                let _ = writeln!(out, "decider: {}", rec.decider);
            }
        }
        if !rec.recommend.is_empty() {
            let _ = writeln!(out, "recommend: {}", inline_list(&rec.recommend));
        }
        if !rec.agree.is_empty() {
            let _ = writeln!(out, "agree: {}", inline_list(&rec.agree));
        }
        if !rec.input.is_empty() {
            let _ = writeln!(out, "input: {}", inline_list(&rec.input));
        }
        if defect == Some(Defect::WrongType) {
            out.push_str("options: we looked at a few things\n");
        } else {
            match rec.options_shape {
                OptionsShape::Strings => {
                    let names: Vec<String> = rec.options.iter().map(|o| o.0.clone()).collect();
                    list(&mut out, "options", &names);
                }
                OptionsShape::Maps => {
                    out.push_str("options:\n");
                    for (name, pros, cons) in &rec.options {
                        let _ = writeln!(out, "  - name: {}", yaml_str(name));
                        if !pros.is_empty() {
                            let _ = writeln!(out, "    pros: [{}]", pros.join(", "));
                        }
                        if !cons.is_empty() {
                            let _ = writeln!(out, "    cons: [{}]", cons.join(", "));
                        }
                    }
                }
                OptionsShape::BodySection => {}
            }
        }
        if defect == Some(Defect::PlaceholderReversal) {
            out.push_str("reversal:\n  - TBD\n");
        } else if !rec.reversal_in_body && !rec.reversal.is_empty() {
            list(&mut out, "reversal", &rec.reversal);
        }
        if let Some(review_by) = rec.review_by {
            let key = if defect == Some(Defect::UnknownField) {
                "reveiw_by"
            } else {
                "review_by"
            };
            let _ = writeln!(out, "{key}: {review_by}");
        } else if defect == Some(Defect::UnknownField) {
            let _ = writeln!(out, "reveiw_by: {}", rec.date + Duration::days(365));
        }
        if let Some(p) = rec.priority {
            let _ = writeln!(out, "priority: P{p}");
        }
        if !rec.deprioritized.is_empty() {
            list(&mut out, "deprioritized", &rec.deprioritized);
        }
        if !rec.evidence.is_empty() {
            out.push_str("evidence:\n");
            for e in &rec.evidence {
                let _ = writeln!(out, "  - date: {}", e.date);
                let _ = writeln!(out, "    summary: {}", yaml_str(&e.summary));
                if let Some(link) = &e.link {
                    let _ = writeln!(out, "    link: {}", yaml_str(link));
                }
                if let Some(c) = e.criterion {
                    let _ = writeln!(out, "    criterion: {c}");
                }
            }
        }
        if let Some(dissent) = &rec.dissent {
            if dissent.is_empty() {
                out.push_str("dissent: []\n");
            } else {
                out.push_str("dissent:\n");
                for (who, note) in dissent {
                    let _ = writeln!(out, "  - who: {who}\n    note: {}", yaml_str(note));
                }
            }
        }
        if let Some(s) = rec.supersedes {
            let _ = writeln!(out, "supersedes: \"{}\"", id_of(s, width));
        }
        if let Some(s) = rec.superseded_by {
            let _ = writeln!(out, "superseded_by: \"{}\"", id_of(s, width));
        }
        if rec.one_way {
            out.push_str("reversibility: one-way\n");
        } else if rec.number.is_multiple_of(3) {
            out.push_str("reversibility: two-way\n");
        }
        if let Some((m, t, o)) = rec.uncertainty {
            let _ = writeln!(
                out,
                "uncertainty: {{market: {m}, technical: {t}, organizational: {o}}}"
            );
        }
        if rec.exception {
            if let Some(expires) = rec.expires {
                let _ = writeln!(out, "expires: {expires}");
            }
            let _ = writeln!(
                out,
                "owner: {}\nrisk: {}",
                rec.decider,
                yaml_str(&sentence_fixed(rec))
            );
        }
        if !rec.affects.is_empty() {
            list(&mut out, "affects", &rec.affects);
        }
        if !rec.tags.is_empty() {
            let _ = writeln!(out, "tags: {}", inline_list(&rec.tags));
        }
        if defect == Some(Defect::YamlSyntax) {
            out.push_str("note: 'an unterminated quote\n");
        }
        out.push_str("---\n\n");
    }
    let _ = writeln!(out, "# {}\n", rec.title);
    let _ = writeln!(out, "## Context\n\n{}\n", rec.context);
    if rec.options_shape == OptionsShape::BodySection && defect != Some(Defect::WrongType) {
        out.push_str("## Options considered\n\n");
        for (name, _, _) in &rec.options {
            let _ = writeln!(out, "- {name}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Decision\n\n{}\n", rec.decision);
    let _ = writeln!(out, "## Consequences\n\n{}", rec.consequences);
    if rec.reversal_in_body && !rec.reversal.is_empty() {
        out.push_str("\n## Reversal criteria\n\n");
        for r in &rec.reversal {
            let _ = writeln!(out, "- {r}");
        }
    }
    out
}

fn sentence_fixed(rec: &Rec) -> String {
    format!(
        "{} degraded while the exception lasts",
        rec.slug.replace('-', " ")
    )
}

/// The record in adr-tools (Nygard) form, as `adrs` reads it.
fn render_nygard(rec: &Rec, width: usize, by_number: &[Rec]) -> String {
    let mut out = String::with_capacity(1536);
    let _ = writeln!(out, "# {}. {}\n", rec.number, rec.title);
    let _ = writeln!(out, "Date: {}\n", rec.date);
    out.push_str("## Status\n\n");
    let status = match rec.status {
        "proposed" | "draft" => "Proposed",
        "rejected" => "Rejected",
        "deprecated" => "Deprecated",
        "superseded" => "Superseded",
        _ => "Accepted",
    };
    let link = |n: usize| {
        by_number
            .get(n - 1)
            .map(|r| {
                format!(
                    "[{}. {}]({}-{}.md)",
                    r.number,
                    r.title,
                    id_of(r.number, width),
                    r.slug
                )
            })
            .unwrap_or_default()
    };
    match (rec.superseded_by, rec.supersedes) {
        (Some(by), _) => {
            let _ = writeln!(out, "{status}\n\nSuperseded by {}\n", link(by));
        }
        (None, Some(s)) => {
            let _ = writeln!(out, "{status}\n\nSupersedes {}\n", link(s));
        }
        (None, None) => {
            let _ = writeln!(out, "{status}\n");
        }
    }
    let _ = writeln!(out, "## Context\n\n{}\n", rec.context);
    let _ = writeln!(out, "## Decision\n\n{}\n", rec.decision);
    let _ = writeln!(out, "## Consequences\n\n{}", rec.consequences);
    out
}

fn width_for(count: usize) -> usize {
    count.to_string().len().max(4)
}

fn file_name(rec: &Rec, width: usize) -> String {
    format!("{}-{}.md", id_of(rec.number, width), rec.slug)
}

fn write_files(args: &Args, recs: &[Rec]) -> std::io::Result<()> {
    let width = width_for(recs.len());
    let dir = if args.nygard {
        args.out.join("doc/adr")
    } else {
        args.out.join("decisions")
    };
    std::fs::create_dir_all(&dir)?;
    if args.nygard {
        std::fs::write(args.out.join(".adr-dir"), "doc/adr\n")?;
    } else {
        std::fs::write(
            dir.join("README.md"),
            "# Decision log\n\nOne file per decision.\n",
        )?;
    }
    for rec in recs {
        let text = if args.nygard {
            render_nygard(rec, width, recs)
        } else {
            render(rec, width)
        };
        std::fs::write(dir.join(file_name(rec, width)), text)?;
    }
    Ok(())
}

/// A `git fast-import` stream writer.
struct FastImport {
    child: std::process::Child,
    out: std::io::BufWriter<std::process::ChildStdin>,
    mark: usize,
}

impl FastImport {
    fn start(dir: &Path) -> std::io::Result<FastImport> {
        run_git(dir, &["init", "-q", "-b", "main"])?;
        let mut child = Command::new("git")
            .args(["fast-import", "--quiet", "--done"])
            .current_dir(dir)
            .stdin(Stdio::piped())
            .spawn()?;
        let stdin = child
            .stdin
            .take()
            .ok_or_else(|| std::io::Error::other("no stdin"))?;
        Ok(FastImport {
            child,
            out: std::io::BufWriter::with_capacity(1 << 20, stdin),
            mark: 0,
        })
    }

    /// One commit on `main` writing `files` (path, content) with `message` at `time`.
    fn commit(
        &mut self,
        time: i64,
        message: &str,
        files: &[(String, String)],
    ) -> std::io::Result<usize> {
        self.mark += 1;
        let w = &mut self.out;
        writeln!(w, "commit refs/heads/main\nmark :{}", self.mark)?;
        let who = "Bench <bench@example.com>";
        writeln!(w, "author {who} {time} +0000\ncommitter {who} {time} +0000")?;
        writeln!(w, "data {}\n{message}", message.len())?;
        for (path, content) in files {
            writeln!(w, "M 100644 inline {path}\ndata {}", content.len())?;
            w.write_all(content.as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(self.mark)
    }

    fn branch(&mut self, name: &str, mark: usize) -> std::io::Result<()> {
        writeln!(self.out, "reset refs/heads/{name}\nfrom :{mark}\n")
    }

    fn finish(mut self) -> std::io::Result<()> {
        writeln!(self.out, "done")?;
        self.out.flush()?;
        drop(self.out);
        let status = self.child.wait()?;
        if status.success() {
            Ok(())
        } else {
            Err(std::io::Error::other("git fast-import failed"))
        }
    }
}

fn run_git(dir: &Path, args: &[&str]) -> std::io::Result<()> {
    let status = Command::new("git").args(args).current_dir(dir).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "git {} failed",
            args.join(" ")
        )))
    }
}

fn date_time(day: NaiveDate, seconds: i64) -> i64 {
    day.and_hms_opt(9, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
        + seconds
}

/// Records added over time (each committed on the day it was decided), and between the
/// additions, changes to records already in the log: evidence appended, priorities
/// changed with new evidence, review dates pushed out.
fn build_history(rng: &mut fastrand::Rng, args: &Args, recs: &mut [Rec]) -> std::io::Result<()> {
    std::fs::create_dir_all(&args.out)?;
    let width = width_for(recs.len());
    let folder = if args.nygard { "doc/adr" } else { "decisions" };
    let path_of = |rec: &Rec| format!("{folder}/{}", file_name(rec, width));
    let render_one = |rec: &Rec, all: &[Rec]| {
        if args.nygard {
            render_nygard(rec, width, all)
        } else {
            render(rec, width)
        }
    };
    let n = recs.len();
    let commits = args.commits.max(n);
    let mut fi = FastImport::start(&args.out)?;
    let readme = (
        format!("{folder}/README.md"),
        "# Decision log\n\nOne file per decision.\n".to_string(),
    );
    let mut added = 0usize;
    let mut last_mark = 0;
    for c in 0..commits {
        // Record k is added at commit floor(k * commits / n).
        let due_added = ((c + 1) * n).div_ceil(commits).min(n);
        let mut files = Vec::new();
        let message;
        let day;
        if c == 0 {
            files.push(readme.clone());
        }
        if added < due_added {
            let rec = &recs[added];
            day = rec.date;
            files.push((path_of(rec), render_one(rec, recs)));
            message = format!("Decision {}: {}", rec.number, rec.title);
            added += 1;
        } else {
            let k = rng.usize(0..added.max(1));
            day = recs[added.saturating_sub(1)].date;
            message = change_record(rng, &mut recs[k], day);
            files.push((path_of(&recs[k]), render_one(&recs[k], recs)));
        }
        last_mark = fi.commit(date_time(day, (c % 3600) as i64), &message, &files)?;
    }
    fi.branch("bench-base", last_mark)?;
    // The pull request: `pr_changes` records changed in one commit on top of the base.
    let mut files = Vec::new();
    let pr_day = args.today - Duration::days(1);
    for _ in 0..args.pr_changes.min(n) {
        let k = rng.usize(0..n);
        change_record(rng, &mut recs[k], pr_day);
        files.push((path_of(&recs[k]), render_one(&recs[k], recs)));
    }
    fi.commit(
        date_time(pr_day, 0),
        "Update decisions with new evidence",
        &files,
    )?;
    fi.finish()?;
    run_git(&args.out, &["reset", "-q", "--hard", "main"])
}

/// The top folders of the generated monorepo, each holding `<area>/m<k>/d<j>/` subfolders.
const MONOREPO_TOPS: &[&str] = &["src", "services", "web", "libs"];

/// One ordinary file of the monorepo: its path (about 40 files a folder, four levels
/// deep) and content.
fn monorepo_file(i: usize, revision: usize) -> (String, String) {
    let top = MONOREPO_TOPS[i % MONOREPO_TOPS.len()];
    let area = AREAS[(i / MONOREPO_TOPS.len()) % AREAS.len()];
    let rest = i / (MONOREPO_TOPS.len() * AREAS.len());
    let path = format!("{top}/{area}/m{}/d{}/f{i}.rs", rest / 400, (rest / 40) % 10);
    let content = format!(
        "// generated file {i}, revision {revision}\npub fn f{i}() -> usize {{\n    {i}\n}}\n"
    );
    (path, content)
}

/// The monorepo (see the module docs): `bench-base` with every file, `main` one commit on.
fn build_monorepo(rng: &mut fastrand::Rng, args: &Args, recs: &mut [Rec]) -> std::io::Result<()> {
    std::fs::create_dir_all(&args.out)?;
    let width = width_for(recs.len());
    let path_of = |rec: &Rec| format!("decisions/{}", file_name(rec, width));
    let mut fi = FastImport::start(&args.out)?;
    let mut files: Vec<(String, String)> = vec![(
        "decisions/README.md".to_string(),
        "# Decision log\n\nOne file per decision.\n".to_string(),
    )];
    files.extend(recs.iter().map(|rec| (path_of(rec), render(rec, width))));
    files.extend((0..args.monorepo_files).map(|i| monorepo_file(i, 0)));
    let base_day = args.today - Duration::days(2);
    let base = fi.commit(date_time(base_day, 0), "The monorepo", &files)?;
    fi.branch("bench-base", base)?;
    let mut files = Vec::new();
    let pr_day = args.today - Duration::days(1);
    for _ in 0..args.pr_changes.min(recs.len()) {
        let k = rng.usize(0..recs.len());
        change_record(rng, &mut recs[k], pr_day);
        files.push((path_of(&recs[k]), render(&recs[k], width)));
    }
    // Code changes: files of `src/billing/` (an `affects` glob of the records) and of
    // `libs/` (outside every glob).
    let billing = AREAS.iter().position(|a| *a == "billing").unwrap_or(0);
    let stride = MONOREPO_TOPS.len() * AREAS.len();
    for n in 0..args.pr_changes.max(2) {
        let i = if n % 2 == 0 {
            billing * MONOREPO_TOPS.len() + n * stride
        } else {
            3 + n * stride
        };
        if i < args.monorepo_files {
            files.push(monorepo_file(i, 1));
        }
    }
    fi.commit(
        date_time(pr_day, 0),
        "A change with decisions and code",
        &files,
    )?;
    fi.finish()?;
    run_git(&args.out, &["reset", "-q", "--hard", "main"])
}

/// One change to a record already in the log; returns the commit message.
fn change_record(rng: &mut fastrand::Rng, rec: &mut Rec, day: NaiveDate) -> String {
    let newest = rec
        .evidence
        .iter()
        .map(|e| e.date)
        .max()
        .unwrap_or(rec.date);
    let evidence_day = day.max(newest);
    let criterion = (!rec.reversal.is_empty()).then(|| rng.usize(1..=rec.reversal.len()));
    let evidence = Evidence {
        date: evidence_day,
        summary: paragraph(rng, 1..2),
        link: rng
            .bool()
            .then(|| format!("https://metrics.example.com/d/{}", rng.u32(..))),
        criterion,
    };
    match rng.u32(0..10) {
        0..=1 if rec.priority.is_some() => {
            rec.priority = Some(rng.u8(0..5));
            rec.evidence.push(evidence);
            format!("Reprioritise decision {}", rec.number)
        }
        2 if rec.review_by.is_some() => {
            rec.review_by = rec.review_by.map(|d| d + Duration::days(90));
            format!("Push review of decision {} by a quarter", rec.number)
        }
        _ => {
            rec.evidence.push(evidence);
            format!("Evidence for decision {}", rec.number)
        }
    }
}
