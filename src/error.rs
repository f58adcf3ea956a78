//! The one error type for tool failures: anything that is not a finding about a record.
//! Every variant ends the run with exit code 2.

use crate::escape::terminal;
use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    /// A bad key or value in `.declint.yml`, located in the file.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigError>),

    #[error("cannot read {}: {source}", path.display())]
    #[diagnostic(code(declint::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{}: no such file or directory", path.display())]
    #[diagnostic(
        code(declint::path),
        help("check the path, or run from inside the repository")
    )]
    PathNotFound { path: PathBuf },

    #[error("{message}")]
    #[diagnostic(code(declint::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },

    /// Anything git2 reports, with what declint was doing and how to fix it.
    #[error("{message}")]
    #[diagnostic(code(declint::git))]
    Git {
        message: String,
        #[help]
        help: Option<String>,
    },

    #[error("cannot write {}: {message}", path.display())]
    #[diagnostic(code(declint::write))]
    Write {
        path: PathBuf,
        message: String,
        #[help]
        help: Option<String>,
    },
}

impl Error {
    pub fn usage(message: impl Into<String>, help: Option<&str>) -> Self {
        Error::Usage {
            message: message.into(),
            help: help.map(str::to_string),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// A config error with the config's text, so miette can show the offending line.
/// The text is made terminal-safe ([`crate::escape::terminal_snippet`]) and left
/// out when the line is too long to show (then the message carries the location alone).
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(declint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub source_code: Option<NamedSource<String>>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error as it may reach a terminal or a CI log: its message, help and labels pass
/// through [`crate::escape::terminal`], since any of them can carry text from
/// the config, git or a file name (a config error's snippet is made safe when it is
/// built). Every error the binary prints goes through this.
pub struct ForTerminal<'a>(pub &'a Error);

impl std::fmt::Debug for ForTerminal<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::fmt::Display for ForTerminal<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&terminal(&self.0.to_string()))
    }
}

impl std::error::Error for ForTerminal<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(self.0)
    }
}

impl Diagnostic for ForTerminal<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.0.code()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let help = self.0.help()?;
        Some(Box::new(terminal(&help.to_string())))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let labels = self.0.labels()?;
        Some(Box::new(labels.map(|l| {
            miette::LabeledSpan::new(l.label().map(terminal), l.offset(), l.len())
        })))
    }
}
