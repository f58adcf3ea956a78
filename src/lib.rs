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
//! - [`check::check`] with [`check::CheckOptions`] (the whole `declint check`; `--base
//!   auto` reads [`AutoEnv`]), [`check::check_records`] (records already in memory) and
//!   [`check::check_change`] (records against a [`ChangeSet`] of [`FileChange`]s, keyed
//!   for "logged" by [`record_key`]), each returning a [`report::Report`];
//! - [`finding::Finding`], [`finding::Severity`], [`finding::Totals`]: the results;
//! - [`rules::registry`], [`rules::find`] and [`rules::RuleMeta`] (with
//!   [`rules::RuleMeta::doc_text`] / [`rules::RuleMeta::doc_markdown`]): rule docs;
//! - [`Config`] / [`Profile`], [`Record`] (with [`Record::from_bytes`]): the configuration
//!   and the record model;
//! - [`escape`]: the one escaping layer, one function per output kind, for text an
//!   embedder prints next to ours;
//! - [`output::render`]: any format over a report, and the JSON documents' schema
//!   versions ([`output::json::SCHEMA_VERSION`], [`LIST_SCHEMA_VERSION`],
//!   [`STATS_SCHEMA_VERSION`], [`DIGEST_SCHEMA_VERSION`]);
//! - [`cli::run`]: the command line, for the binary and its tests;
//! - [`Error`] / [`Result`]: the one error type.
//!
//! Everything else is crate-private — the modules `change`, `commands`, `config`, `git`,
//! `record` and `timeline` too, whose few public names above are re-exported here — so
//! rustc reports what nothing uses. The fuzz targets, benches and integration tests that
//! reach further (the history walk, the change set builder, the front-matter splitter,
//! the supersede editor) do so through the hidden [`internals`] module, which is not API.

pub(crate) mod baseline;
pub(crate) mod change;
pub mod check;
pub(crate) mod check_git;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod config;
pub(crate) mod discover;
pub(crate) mod display_path;
pub(crate) mod edit;
pub mod error;
pub mod escape;
pub mod finding;
pub(crate) mod git;
pub(crate) mod invocation;
pub(crate) mod lsp;
pub mod output;
pub(crate) mod people;
pub(crate) mod record;
pub mod report;
pub mod rules;
pub(crate) mod source;
pub(crate) mod spelling;
pub(crate) mod telemetry;
pub(crate) mod timeline;
pub mod workspace;
pub(crate) mod write;
pub(crate) mod yaml;

pub use change::{ChangeKind, ChangeSet, FileChange};
pub use commands::digest::DIGEST_SCHEMA_VERSION;
pub use commands::list::LIST_SCHEMA_VERSION;
pub use commands::stats::STATS_SCHEMA_VERSION;
pub use config::{Config, Profile};
pub use error::{Error, Result};
pub use git::AutoEnv;
pub use record::Record;
pub use timeline::record_key;

/// For the fuzz targets (fuzz/fuzz_targets/), the benches and the integration tests only,
/// not API: the pieces they drive directly.
#[doc(hidden)]
pub mod internals {
    pub use crate::edit::{EditError, append_to_list_verified};
    pub use crate::git::diff::Comparison;
    pub use crate::git::history::{Walk, walk};
    pub use crate::git::{Compare, DiffEnds, changed_paths, compare};
    pub use crate::record::body;
    pub use crate::record::frontmatter::{Split, split};
    pub use crate::timeline::Timeline;
}
