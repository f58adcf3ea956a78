//! declint: a git-native linter for decision logs.
//!
//! The pipeline is parse once, check many: [`discover`] finds the decision files,
//! [`record`] parses each into a model with spans, [`rules`] read that model and emit
//! [`finding::Finding`]s, and [`output`] prints the same findings in every format.

pub mod change;
pub mod check;
pub mod check_git;
pub mod cli;
pub mod commands;
pub mod config;
pub mod discover;
pub mod error;
pub mod finding;
pub mod git;
pub mod output;
pub mod people;
pub mod record;
pub mod report;
pub mod rules;
pub mod source;
pub mod timeline;
pub mod workspace;

pub use error::{Error, Result};
pub mod edit;
pub mod write;
