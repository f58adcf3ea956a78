//! `declint lsp`: a language server over stdio, so an editor shows the findings `declint
//! check` would while a record is being written (decisions/0130).
//!
//! It runs the one pipeline, held in memory: when the client initializes, the log is read
//! once into a [`LiveLog`] (bytes → record through [`Record::from_bytes`], the record
//! rules on each); an open buffer then replaces its file, so one keystroke parses and
//! checks that one record again and runs the log-wide rules over the whole log. Findings
//! become diagnostics unchanged (code, severity, the span of the key or value, the help
//! line, a link to the rule's docs).
//!
//! Bad input never ends the server: a malformed frame is logged and skipped
//! ([`transport`]), a request before `initialize` or after `shutdown` gets the protocol's
//! error, a change to a document never opened is taken as its opening, a file outside the
//! decision folders gets no diagnostics, and a handler that panics anyway is caught and
//! logged. The log goes to stderr, which editors keep in their LSP log.

mod features;
mod session;
mod text;
mod transport;

use crate::invocation::{EXIT_FAILURE, EXIT_OK, Global};

/// The exit code when the client ends the server without `shutdown` first (or the input
/// just ends): 1, as the protocol prescribes for `exit`.
const EXIT_WITHOUT_SHUTDOWN: u8 = 1;
use crate::check::LiveLog;
use crate::error::{Error, Result};
use crate::record::Record;
use session::{Flow, Session};
use std::io::{BufReader, Write};

/// Serve the protocol on stdin/stdout until the client says `exit` or the input ends.
pub(crate) fn run(global: &Global) -> Result<u8> {
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = std::io::stdout().lock();
    let mut session = Session::new(global);
    serve(&mut input, &mut output, &mut session)
}

fn serve(
    input: &mut impl std::io::BufRead,
    output: &mut impl Write,
    session: &mut Session,
) -> Result<u8> {
    loop {
        let frame = match transport::read(input) {
            Ok(Some(frame)) => frame,
            Ok(None) => {
                log("the input ended without `exit`");
                return Ok(EXIT_WITHOUT_SHUTDOWN);
            }
            Err(e) => {
                log(&format!("reading the input failed: {e}"));
                return Ok(EXIT_FAILURE);
            }
        };
        let message = match frame {
            transport::Frame::Message(message) => message,
            transport::Frame::Garbage(why) => {
                log(&format!("skipped {why}"));
                continue;
            }
        };
        let mut replies = Vec::new();
        let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.handle(message, &mut replies)
        }));
        let flow = handled.unwrap_or_else(|_| {
            log("a handler failed; the message was dropped");
            Flow::Continue
        });
        for reply in replies {
            transport::write(output, reply)
                .map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))?;
        }
        if let Flow::Exit { clean } = flow {
            return Ok(if clean {
                EXIT_OK
            } else {
                EXIT_WITHOUT_SHUTDOWN
            });
        }
    }
}

/// A line for the editor's LSP log.
fn log(line: &str) {
    eprintln!("declint lsp: {}", crate::escape::terminal(line));
}

/// The record of a buffer: the same bytes → record step as a file read from disk, with
/// the same size limit.
fn buffer_record(path: String, text: String, config: &crate::config::Config) -> Record {
    let size = text.len() as u64;
    if size > config.max_file_bytes {
        let problem = crate::record::LoadProblem::TooLarge {
            size,
            limit: config.max_file_bytes,
        };
        return Record::unloaded(path, problem, String::new());
    }
    Record::from_bytes(path, text.into_bytes(), config)
}
