//! declint: a git-native linter for decision logs.
//!
//! The pipeline is parse once, check many, and every way of checking runs the same path
//! ([`check`], see docs/architecture.md): the decision files are found (`discover`),
//! each is parsed once into a [`record::Record`] with spans, the [`rules`] read that model
//! (and git facts as plain data) and emit [`finding::Finding`]s, and [`output`] prints the
//! same [`report::Report`] in every format.
//!
//! # Public API
//!
//! What an embedder (or a language server) needs:
//! - [`workspace::Workspace`]: open a repository (root, config) and load its records;
//! - [`check::check`] with [`check::CheckOptions`] (the whole `declint check`),
//!   [`check::check_records`] (records already in memory) and [`check::check_change`]
//!   (records against a [`change::ChangeSet`]), each returning a [`report::Report`];
//! - [`finding::Finding`], [`finding::Severity`], [`finding::Totals`]: the results;
//! - [`rules::registry`], [`rules::find`] and [`rules::RuleMeta`] (with
//!   [`rules::RuleMeta::doc_text`] / [`rules::RuleMeta::doc_markdown`]): rule docs;
//! - [`config::Config`], [`record::Record`] (with [`record::Record::from_bytes`]): the
//!   configuration and the record model;
//! - [`output::render`]: any format over a report;
//! - [`cli::run`]: the command line, for the binary and its tests;
//! - [`Error`] / [`Result`]: the one error type.
//!
//! `git`, `timeline` and `change` are public for the integration tests and the fuzzer
//! (they build change sets and read the history model directly), and `commands` for the
//! JSON schema versions `list` and `stats` print. Everything else —
//! `discover`, `people`, `check_git`, `edit`, `write`, `source`, `telemetry` — is
//! crate-private, so rustc reports what nothing uses (the fuzzer reaches the supersede
//! editor through the hidden `fuzzing` re-export).

pub(crate) mod baseline;
pub mod change;
pub mod check;
pub(crate) mod check_git;
pub mod cli;
pub mod commands;
pub mod config;
pub(crate) mod discover;
pub(crate) mod display_path;
pub(crate) mod edit;
pub mod error;
pub mod finding;
pub mod git;
pub(crate) mod lsp;
pub mod output;
pub(crate) mod people;
pub mod record;
pub mod report;
pub mod rules;
pub(crate) mod source;
pub(crate) mod telemetry;
pub mod timeline;
pub mod workspace;
pub(crate) mod write;

pub use error::{Error, Result};

/// The `new --supersedes` editor, for its fuzz target (fuzz/fuzz_targets/supersede.rs)
/// only: the rest of `edit` stays crate-private.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::edit::{EditError, append_to_list_verified};
}
