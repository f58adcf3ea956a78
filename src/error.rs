//! The one error type for tool failures: anything that is not a finding about a record.
//! Every variant ends the run with exit code 2.

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
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(declint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
