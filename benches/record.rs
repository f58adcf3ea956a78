//! Micro-benchmark of the per-record hot path: parse one record into the model, then run
//! every rule on it. A regression here shows up long before it shows up on 10k files.
//!
//! `cargo bench --bench record`

use declint::Config;
use declint::Record;
use declint::internals::body;
use declint::rules::{self, Context, Emitter};

fn main() {
    divan::main();
}

/// A complete, valid record in the shape most logs use.
const VALID: &str = r#"---
id: "0042"
title: Use Postgres for billing
status: accepted
raised: 2026-03-01
date: 2026-03-02
decider: ana
recommend: [bruno]
agree: [chen, dara]
options:
  - name: Postgres
    pros: [team knows it, row-level security]
    cons: [one more cluster to run]
  - name: SQLite
    cons: [no concurrent writers]
  - DynamoDB
reversal:
  - if write load exceeds 10k/s for a week
  - if the managed offering costs more than 2x the current bill
review_by: 2027-03-01
priority: P1
deprioritized: [search re-index]
evidence:
  - date: 2026-02-20
    summary: load test at 4k writes/s held p99 under 20 ms
    link: https://wiki.example.com/billing/42
dissent:
  - who: eli
    note: prefers a managed key-value store
uncertainty: {market: 1, technical: 3, organizational: 2}
affects: ["src/billing/**"]
tags: [billing, storage]
---

# Use Postgres for billing

## Context

Billing needs transactions across invoices and ledger rows.

## Decision

Postgres, one cluster per region.

## Consequences

We run one more cluster.
"#;

/// The same record with mistakes: two deciders, a typo'd key, a wrong type, a bad date.
const WITH_FINDINGS: &str = r#"---
id: "0042"
title: Use Postgres for billing
status: acepted
date: 2026-13-02
decider: [ana, bruno]
options: Postgres
reveiw_by: 2027-03-01
---

# Use Postgres for billing
"#;

fn parse_and_check(text: &str, config: &Config) -> usize {
    let record = Record::parse("decisions/0042-use-postgres.md".into(), text.into(), config);
    let cx = Context::new(
        config,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
    );
    // Every rule at record scope, on this thread (`check::check_records` would hand one
    // record to the rayon pool, and the benchmark would measure the hand-off).
    let mut findings = Vec::new();
    for rule in rules::registry() {
        let meta = rule.meta();
        if cx.applies(meta.stage, &record) {
            let mut out = Emitter::new(meta, &cx, &mut findings);
            if out.enabled() {
                rule.check_record(&record, &cx, &mut out);
            }
        }
    }
    findings.len()
}

#[divan::bench]
fn parse_valid(bencher: divan::Bencher) {
    let config = Config::default();
    bencher.bench(|| {
        Record::parse(
            "decisions/0042-use-postgres.md".into(),
            divan::black_box(VALID).into(),
            &config,
        )
    });
}

#[divan::bench]
fn parse_and_rules_valid(bencher: divan::Bencher) {
    let config = Config::default();
    bencher.bench(|| parse_and_check(divan::black_box(VALID), &config));
}

#[divan::bench]
fn parse_and_rules_with_findings(bencher: divan::Bencher) {
    let config = Config::default();
    bencher.bench(|| parse_and_check(divan::black_box(WITH_FINDINGS), &config));
}

/// The Markdown body alone, shaped like the benchmark corpus: an H1 and a few sections
/// of prose, one with a list.
const BODY: &str = "
# Move to canary deploys for auth

## Context

Schema backlog schema capacity contract contract compliance storage users. Contract throughput
incident throughput cost team. Latency security latency customers incident traffic users
security backlog quarter quarter cost p99. Users incident team on-call p99 capacity cost.

## Decision

Security budget contract users capacity compliance.

## Options considered

- canary deploys
- blue-green deploys, *with* a `cut-over` window

## Consequences

Capacity risk migration traffic roadmap contract users vendor cost p99 incident migration.
Roadmap p99 budget capacity budget vendor vendor quarter. Backlog budget vendor on-call.
";

#[divan::bench]
fn body_parse(bencher: divan::Bencher) {
    bencher.bench(|| body::parse(divan::black_box(BODY), 100));
}
