//! `declint completions SHELL` and `declint man`: both generated from the clap
//! definitions in [`crate::cli`], so flags, help and docs never drift apart.

use crate::error::{Error, Result};
use crate::invocation::{EXIT_OK, write_all};
use std::io::Write;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write declint.1 and one page per subcommand into this folder instead of printing.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

/// `command` is the whole command line's definition (`cli::Cli`), passed in by the layer
/// that owns it.
pub fn run(args: CompletionsArgs, mut command: clap::Command, out: &mut dyn Write) -> Result<u8> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "declint", &mut script);
    write_all(out, &String::from_utf8_lossy(&script))?;
    Ok(EXIT_OK)
}

/// The man page of `declint` (roff) on stdout, or with `--dir` the pages of `declint`
/// and of every subcommand (`declint-check.1`, …) written into that folder. Like every
/// writing command it never clobbers: a page that exists with other content (an edited
/// page) stops the run before anything is written; one that is already current is left
/// as it is.
pub fn man(args: ManArgs, command: clap::Command, out: &mut dyn Write) -> Result<u8> {
    match args.dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            let staging = tempfile::tempdir_in(&dir).map_err(|e| Error::io(&dir, e))?;
            clap_mangen::generate_to(command, staging.path()).map_err(|e| Error::io(&dir, e))?;
            let mut pages = Vec::new();
            for entry in std::fs::read_dir(staging.path()).map_err(|e| Error::io(&dir, e))? {
                let entry = entry.map_err(|e| Error::io(&dir, e))?;
                let page = std::fs::read(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                pages.push((dir.join(entry.file_name()), entry.path(), page));
            }
            pages.sort();
            let edited: Vec<String> = pages
                .iter()
                .filter(|(target, _, page)| std::fs::read(target).is_ok_and(|held| &held != page))
                .map(|(target, _, _)| target.display().to_string())
                .collect();
            if !edited.is_empty() {
                return Err(Error::Write {
                    path: dir.clone(),
                    message: format!(
                        "{} already {} with other content; nothing was written",
                        edited.join(", "),
                        if edited.len() == 1 { "exists" } else { "exist" }
                    ),
                    help: Some("declint never overwrites a file: remove those pages (or pick another --dir) to write fresh ones".into()),
                });
            }
            for (target, staged, _) in pages {
                if target.exists() {
                    continue;
                }
                // A hard link is an atomic create that fails when the name is taken.
                std::fs::hard_link(&staged, &target).map_err(|e| Error::io(&target, e))?;
            }
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .map_err(|e| Error::io("<man page>", e))?;
            write_all(out, &String::from_utf8_lossy(&page))?;
        }
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command, Env};
    use clap::{CommandFactory, Parser};

    fn test_env(cwd: std::path::PathBuf) -> Env {
        Env {
            cwd,
            color: false,
            width: 80,
            github_actions: false,
            step_summary: None,
            blob_url: None,
            exits_after: false,
        }
    }

    fn run_cli(args: &[&str]) -> String {
        let cli = Cli::try_parse_from(args).expect("valid arguments");
        let env = test_env(std::env::temp_dir());
        let mut out = Vec::new();
        let code = crate::cli::run(cli, &env, &mut out).expect("runs");
        assert_eq!(code, EXIT_OK);
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn completions_know_every_subcommand() {
        let bash = run_cli(&["declint", "completions", "bash"]);
        for sub in Cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
        {
            assert!(bash.contains(sub.get_name()), "{} missing", sub.get_name());
        }
        for shell in ["zsh", "fish", "elvish", "powershell"] {
            assert!(!run_cli(&["declint", "completions", shell]).is_empty());
        }
    }

    #[test]
    fn man_page_documents_the_commands() {
        let page = run_cli(&["declint", "man"]);
        assert!(
            page.starts_with(".ie") || page.contains(".TH declint"),
            "{page}"
        );
        assert!(page.contains("stats"));
        let dir = tempfile::tempdir().expect("tempdir");
        let cli =
            Cli::try_parse_from(["declint", "man", "--dir", &dir.path().display().to_string()])
                .expect("valid");
        assert!(matches!(cli.command, Command::Man(_)));
        let mut out = Vec::new();
        let env = test_env(dir.path().to_path_buf());
        crate::cli::run(cli, &env, &mut out).expect("runs");
        assert!(dir.path().join("declint.1").is_file());
        assert!(dir.path().join("declint-new.1").is_file());
    }
}
