//! The integration tests, one binary (the ripgrep/rumdl layout): each former
//! `tests/*.rs` file is a module here, so libgit2 and the crate link once instead of
//! sixteen times. Run one family with `cargo test --test it hostile::` and the CLI
//! snapshots (tests/cmd) with `cargo test --test it cli::`. Shared helpers live in
//! `util` (the built binary, its output) and `repo` (throwaway git repositories).

mod repo;
mod util;

mod adopt;
mod authoring;
mod bad_input;
mod broken_pipe;
mod cli;
mod colour;
mod first_hour;
mod fixtures;
mod git_check;
mod git_history;
mod hardening;
mod hostile;
mod hostile_git;
mod hostile_write;
mod integrations_cli;
mod json_schemas;
mod layering;
mod lsp;
mod people;
mod pipeline;
mod readme;
mod robustness;
mod sarif_schema;
mod staged;
mod telemetry;
mod timeline;
mod today_utc;
