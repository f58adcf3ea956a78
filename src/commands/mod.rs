//! One module per subcommand: each takes its clap arguments and writes its output.

pub mod check;
pub mod explain;
pub mod list;
