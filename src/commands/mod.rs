//! One module per subcommand: each takes its clap arguments and writes its output.

pub mod adopt;
pub mod baseline;
pub mod check;
pub mod completions;
pub mod digest;
pub mod explain;
pub mod index;
pub mod init;
pub mod list;
pub mod migrate;
pub mod new;
pub mod schema;
pub mod stats;
