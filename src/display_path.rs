//! One definition of a display path: how a file name — from a walk of the working tree or
//! from git — becomes the text every finding, comparison and printer uses, without losing
//! it when it is not UTF-8 (decisions/0114).
//!
//! The text is the name's UTF-8 as it is, with each byte that is not UTF-8 written `\xNN`
//! and a backslash written `\\`, so the text is a lossless, reversible encoding
//! ([`to_bytes`]): `decisions/0001-a\xff.md` is the name with byte 0xFF, and a name that
//! really holds the four characters `\xff` reads `\\xff`. Git and the working tree give
//! the same text for the same name, so a non-UTF-8 name is never dropped from, or doubled
//! in, a comparison. Printers escape the text further for their output kind
//! ([`crate::escape`]); JSON adds the bytes (base64) and SARIF percent-encodes
//! them, so both carry the name exactly.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::PathBuf;

/// The display text of a name given as bytes (a git path, or a file name's bytes).
pub(crate) fn from_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        if valid.contains('\\') {
            out.push_str(&valid.replace('\\', "\\\\"));
        } else {
            out.push_str(valid);
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// The display text of one name from the file system (on Unix its bytes; on Windows its
/// WTF-8 form, which is UTF-8 for every name Windows can spell in Unicode).
pub(crate) fn from_os(name: &OsStr) -> Cow<'_, str> {
    match name.to_str() {
        Some(text) if !text.contains('\\') => Cow::Borrowed(text),
        _ => Cow::Owned(from_bytes(name.as_encoded_bytes())),
    }
}

/// Whether a display text stands for itself: it holds no escape, so its UTF-8 is the name.
pub(crate) fn is_literal(display: &str) -> bool {
    !display.contains('\\')
}

/// The name's bytes, back from its display text ([`from_bytes`] reversed).
pub(crate) fn to_bytes(display: &str) -> Cow<'_, [u8]> {
    if is_literal(display) {
        return Cow::Borrowed(display.as_bytes());
    }
    let bytes = display.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escape = (byte == b'\\').then(|| bytes.get(i + 1)).flatten();
        match escape {
            Some(b'\\') => {
                out.push(b'\\');
                i += 2;
            }
            Some(b'x') => match bytes
                .get(i + 2..i + 4)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                Some(value) => {
                    out.push(value);
                    i += 4;
                }
                None => {
                    out.push(byte);
                    i += 1;
                }
            },
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

/// The file a repository-relative display text names, below `root`.
pub(crate) fn to_path(root: &std::path::Path, display: &str) -> PathBuf {
    if is_literal(display) {
        return root.join(display);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        root.join(OsStr::from_bytes(&to_bytes(display)))
    }
    #[cfg(not(unix))]
    {
        // Git for Windows keeps names in UTF-8, so the text is the name.
        root.join(display)
    }
}

/// Standard base64 (RFC 4648 §4, with padding) of a name's bytes, for the JSON output's
/// `path_bytes`.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |index: u32| {
        ALPHABET
            .get((index & 63) as usize)
            .copied()
            .map_or('=', char::from)
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|i| group.get(i).copied().map_or(0, u32::from));
        let word = (a << 16) | (b << 8) | c;
        out.push(symbol(word >> 18));
        out.push(symbol(word >> 12));
        out.push(if group.len() > 1 {
            symbol(word >> 6)
        } else {
            '='
        });
        out.push(if group.len() > 2 { symbol(word) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_bytes_and_backslashes_are_written_out_and_read_back() {
        let cases: [&[u8]; 5] = [
            b"d/0001-a.md",
            b"d/0001-a\xff.md",
            "d/é.md".as_bytes(),
            b"d/0001-a\\xff.md",
            b"d/\\\\\xfe\\",
        ];
        for name in cases {
            let shown = from_bytes(name);
            assert_eq!(to_bytes(&shown).as_ref(), name, "{shown}");
        }
        assert_eq!(from_bytes(b"d/0001-a\xff.md"), "d/0001-a\\xff.md");
        assert_eq!(from_bytes(b"d/0001-a\\xff.md"), "d/0001-a\\\\xff.md");
        assert_eq!(from_bytes("d/é.md".as_bytes()), "d/é.md");
        assert!(is_literal("d/é.md"));
        assert!(!is_literal("d/0001-a\\xff.md"));
    }

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        for (input, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
