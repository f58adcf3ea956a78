//! The protocol's framing: `Content-Length` headers and a JSON body, read from stdin and
//! written to stdout.
//!
//! `lsp-server` has a reader, but it ends the connection on the first malformed message
//! (a body that is not UTF-8 or not JSON-RPC). This one reports such a frame as
//! [`Frame::Garbage`] and carries on: the server logs it and keeps serving. Only the end
//! of the input or a header that cannot be resynchronised past ends the loop.

use lsp_server::Message;
use std::io::{self, BufRead, Read, Write};

/// The largest body read into memory; a larger one is skipped (and logged). Ten times the
/// ceiling of `max_file_bytes` (4 MiB), so any buffer declint would check fits.
const MAX_BODY_BYTES: usize = 40 * 1024 * 1024;

/// One frame read from the client.
#[derive(Debug)]
pub(crate) enum Frame {
    Message(Message),
    /// A frame that is not a JSON-RPC message; why, for the log.
    Garbage(String),
}

/// Read the next frame; `Ok(None)` at the end of the input.
pub(crate) fn read(input: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length: Option<usize> = None;
    let mut saw_header = false;
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    let Some(length) = length else {
        return Ok(Some(Frame::Garbage(
            "a header without a valid Content-Length".into(),
        )));
    };
    if length > MAX_BODY_BYTES {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Some(Frame::Garbage(format!(
            "a message of {length} bytes, more than the {MAX_BODY_BYTES} read"
        ))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    let text = String::from_utf8_lossy(&body);
    Ok(Some(match serde_json::from_str::<Message>(&text) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Garbage(format!("a body that is not a JSON-RPC message: {e}")),
    }))
}

/// Write one message and flush it.
pub(crate) fn write(output: &mut impl Write, message: Message) -> io::Result<()> {
    message.write(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn garbage_between_messages_is_reported_and_the_next_message_still_read() {
        let mut input = Vec::new();
        input.extend(frame(b"\xff\xfe not json"));
        input.extend(b"X-Nonsense: 1\r\n\r\n");
        input.extend(frame(
            br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        let mut reader = io::Cursor::new(input);
        assert!(matches!(read(&mut reader), Ok(Some(Frame::Garbage(_)))));
        assert!(matches!(read(&mut reader), Ok(Some(Frame::Garbage(_)))));
        match read(&mut reader) {
            Ok(Some(Frame::Message(Message::Notification(n)))) => {
                assert_eq!(n.method, "initialized");
            }
            other => panic!("expected the notification, got {other:?}"),
        }
        assert!(matches!(read(&mut reader), Ok(None)));
    }
}
