//! The `declint` binary: parse arguments, run, map the outcome to an exit code.
//! Everything else lives in the library.

use clap::Parser;
use declint::cli::{self, Cli, EXIT_FAILURE, Env};
use declint::error::ForTerminal;
use std::io::IsTerminal;
use std::process::ExitCode;

/// jemalloc instead of the system allocator: see `Cargo.toml` and decisions/0055. The
/// library leaves the choice of allocator to whoever links it.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The width human output wraps to: `COLUMNS` when it is set to a number (a user's or a
/// test's explicit choice), else the width of the terminal stdout is, else 100 (a pipe or
/// a file).
fn output_width(columns: Option<&str>, terminal: Option<u16>) -> usize {
    columns
        .and_then(|c| c.trim().parse().ok())
        .filter(|&c: &usize| c > 0)
        .or_else(|| terminal.filter(|&t| t > 0).map(usize::from))
        .unwrap_or(100)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let env = Env {
        cwd: std::env::current_dir().unwrap_or_else(|_| ".".into()),
        color: std::io::stdout().is_terminal() && !no_color,
        width: output_width(
            std::env::var("COLUMNS").ok().as_deref(),
            terminal_size::terminal_size_of(std::io::stdout()).map(|(width, _)| width.0),
        ),
        github_actions: false,
        step_summary: None,
        blob_url: None,
        exits_after: true,
    }
    .with_github(|name| std::env::var(name).ok());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli::run(cli, &env, &mut out) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            let color = std::io::stderr().is_terminal() && !no_color;
            let theme = if color {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            };
            let mut text = String::new();
            let handler = miette::GraphicalReportHandler::new_themed(theme);
            let shown = ForTerminal(&error);
            if handler.render_report(&mut text, &shown).is_err() {
                text = format!("error: {shown}\n");
            }
            eprint!("{text}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::output_width;

    #[test]
    fn width_comes_from_columns_then_the_terminal() {
        assert_eq!(output_width(Some("72"), Some(180)), 72);
        assert_eq!(output_width(None, Some(180)), 180);
        assert_eq!(output_width(Some("wide"), Some(180)), 180);
        assert_eq!(output_width(Some("0"), None), 100);
        assert_eq!(output_width(None, None), 100);
    }
}
