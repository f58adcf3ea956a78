//! The one escaping layer: every piece of text declint prints passes through the function
//! for its output kind here, whatever it came from (a record, `.declint.yml`, git, a file
//! name, an error). A pull request controls all of those, so none of them is trusted.
//!
//! | output kind | function | what it guarantees |
//! |---|---|---|
//! | terminal (human, concise, `list`, `stats`, every error) | [`terminal`] | no control character, escape sequence or bidirectional mark reaches the terminal; one line stays one line |
//! | terminal source snippet | [`terminal_snippet`], [`snippet_fits`] | the same, byte for byte the same length so spans still line up; no line miette cannot lay out |
//! | concise location | [`concise_path`] | the first unescaped `:` ends the path |
//! | GitHub workflow command | [`workflow_data`], [`workflow_property`] | a message can neither end its command nor start another (no raw CR or LF, ever) |
//! | Markdown table cell (job summary, `stats -f markdown`, README index) | [`markdown_cell`] | no HTML, link, image, autolink, emphasis or cell break; bidirectional marks shown, not applied |
//! | Mermaid label and title | [`mermaid_label`], [`mermaid_title`] | a quoted label that cannot end early, carry markup or start a `%%` comment |
//! | JSON and SARIF (`check`, `list`, `stats`) | [`json_pretty`] | every control character and bidirectional mark as a `\u` escape: lossless, and inert if printed |

use std::fmt::Write;

/// Characters a terminal would act on rather than show: C0 and C1 controls (ESC, CSI, BEL,
/// CR, …) and the bidirectional embedding, override and isolate marks that can make text
/// read differently from what it is ("Trojan Source").
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional embedding, override and isolate marks (U+202A–U+202E, U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for a terminal: control characters and bidirectional marks are written out as
/// `\n`, `\r`, `\t` or `\u{…}`, never sent raw.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(is_unsafe_for_terminal) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe_for_terminal(c) => push_code_point(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

fn push_code_point(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Source text for a snippet on a terminal: control characters (escape sequences, a lone
/// carriage return that would overwrite the line) and bidirectional marks become `?`, one
/// `?` per byte so that spans still line up. Line breaks, tabs and a `\r` ending a CRLF
/// line are kept.
pub fn terminal_snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        if c != '\n' && c != '\t' && !crlf && is_unsafe_for_terminal(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// The longest line, in bytes, that a snippet shows. miette pads labels with Rust's
/// formatting width, which panics past 65,535 columns; a line this long is unreadable on
/// a terminal anyway, so such a finding is shown without its snippet.
pub const SNIPPET_LINE_LIMIT: usize = 4096;

/// Whether the lines holding `start..end` of `text` are short enough to show as a snippet.
pub fn snippet_fits(text: &str, start: usize, end: usize) -> bool {
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let bytes = text.as_bytes();
    let line_start = bytes
        .get(..start)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1);
    let line_end = bytes
        .get(end..)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
        .map_or(text.len(), |i| end + i);
    bytes.get(line_start..line_end).is_none_or(|lines| {
        lines
            .split(|&c| c == b'\n')
            .all(|l| l.len() <= SNIPPET_LINE_LIMIT)
    })
}

/// A path as it appears before `:line:col:` in concise output: `\` as `\\`, `:` as `\:`,
/// and the rest as in [`terminal`], so the first unescaped `:` ends it.
pub fn concise_path(path: &str) -> String {
    if !path
        .chars()
        .any(|c| c == '\\' || c == ':' || is_unsafe_for_terminal(c))
    {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ':' => out.push_str("\\:"),
            c => out.push_str(&terminal(c.encode_utf8(&mut [0; 4]))),
        }
    }
    out
}

/// A GitHub workflow command's message (`@actions/core` `escapeData`), with any other
/// control character or bidirectional mark written as `\u{…}`.
pub fn workflow_data(text: &str) -> String {
    workflow(text, false)
}

/// A workflow command property value (`@actions/core` `escapeProperty`): as data, plus
/// `:` and `,`, which separate properties.
pub fn workflow_property(text: &str) -> String {
    workflow(text, true)
}

fn workflow(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if is_unsafe_for_terminal(c) => push_code_point(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// ASCII punctuation with a meaning in GitHub Markdown inside a table cell: emphasis,
/// code, links and images, HTML and entities, the cell separator, strikethrough, math,
/// and the `@` of an email autolink (`a@b.c`).
const MARKUP: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '(', ')', '!', '~', '&', '$', '@',
];

/// Text for a Markdown table cell: markup characters are backslash-escaped (CommonMark
/// allows that for any ASCII punctuation), so neither HTML nor a link, an image or a bare
/// URL turned into a link can come out of it: the `:` of `://` and the `.` of `www.` are
/// escaped for the same reason. Line breaks and other control characters become spaces, and bidirectional marks
/// are written out as `\u{…}`.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let url_colon = c == ':' && text.get(i + 1..).is_some_and(|rest| rest.starts_with("//"));
        let after_www = out
            .as_bytes()
            .last_chunk::<3>()
            .is_some_and(|end| end.eq_ignore_ascii_case(b"www"));
        if MARKUP.contains(&c) || url_colon || (c == '.' && after_www) {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else if is_bidi_control(c) {
            out.push_str("\\\\");
            let _ = write!(out, "u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// The most characters a Mermaid axis label keeps.
const MERMAID_LABEL_CHARS: usize = 20;

/// A name as a quoted Mermaid label: no quotes, brackets, markup, entities or line
/// breaks, at most 20 characters, `?` when nothing is left.
pub fn mermaid_label(name: &str) -> String {
    mermaid_quoted(name, MERMAID_LABEL_CHARS)
}

/// A chart title as a quoted Mermaid string: cleaned as [`mermaid_label`], not cut short.
pub fn mermaid_title(title: &str) -> String {
    mermaid_quoted(title, usize::MAX)
}

fn mermaid_quoted(text: &str, most: usize) -> String {
    let clean: String = text
        .chars()
        .filter(|&c| {
            !matches!(
                c,
                '"' | '[' | ']' | '#' | ';' | '`' | '<' | '>' | '&' | '\\' | '%'
            ) && !is_unsafe_for_terminal(c)
        })
        .take(most)
        .collect();
    let clean = clean.trim();
    format!("\"{}\"", if clean.is_empty() { "?" } else { clean })
}

/// A value as pretty-printed JSON. `serde_json` escapes control characters; the
/// bidirectional marks and the line and paragraph separators (U+2028, U+2029), which it
/// writes raw, are written as `\u` escapes too. They can only occur inside strings, so the
/// document still decodes to exactly the same values.
pub fn json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise: {e}\"}}"));
    if !text
        .chars()
        .any(|c| is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}') {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_writes_out_control_characters_and_bidi_marks() {
        assert_eq!(terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal("plain"), "plain");
        assert_eq!(terminal("a\rb\u{9b}c"), "a\\rb\\u{9b}c");
        assert_eq!(terminal("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
    }

    #[test]
    fn snippet_keeps_length_and_line_breaks() {
        let text = "a\u{1b}b\r\nc\u{202e}\rd\n";
        let shown = terminal_snippet(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a?b\r\nc????d\n");
    }

    #[test]
    fn long_lines_do_not_fit_a_snippet() {
        let long = format!("a: 1\nstatus: {}bogus\nc: 2\n", " ".repeat(70_000));
        let at = long.find("bogus").unwrap_or(0);
        assert!(!snippet_fits(&long, at, at + 5));
        assert!(snippet_fits(&long, 0, 4));
        assert!(snippet_fits(&long, long.len(), long.len()));
    }

    #[test]
    fn concise_paths_escape_colons_and_controls() {
        assert_eq!(concise_path("d/a:1:2.md"), "d/a\\:1\\:2.md");
        assert_eq!(concise_path("d/a\nb.md"), "d/a\\nb.md");
        assert_eq!(concise_path("d/a\\nb.md"), "d/a\\\\nb.md");
        assert_eq!(concise_path("d/\u{1b}[2J.md"), "d/\\u{1b}[2J.md");
        assert_eq!(
            concise_path("decisions/0001-a,b.md"),
            "decisions/0001-a,b.md"
        );
    }

    #[test]
    fn workflow_text_never_starts_a_command() {
        assert_eq!(workflow_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(
            workflow_data("x\r::warning::forged"),
            "x%0D::warning::forged"
        );
        assert_eq!(workflow_data("%0A"), "%250A");
        assert_eq!(workflow_data("a\u{1b}[2Jb\u{7}"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(workflow_property("d/a:b,c%\n.md"), "d/a%3Ab%2Cc%25%0A.md");
    }

    #[test]
    fn markdown_cells_carry_no_markup_links_or_bidi_marks() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(
            markdown_cell("<img src=x onerror=alert(1)>\nrow"),
            "\\<img src=x onerror=alert\\(1\\)\\> row"
        );
        assert_eq!(markdown_cell("see https://e.x"), "see https\\://e.x");
        assert_eq!(markdown_cell("www.e.x and WWW.f"), "www\\.e.x and WWW\\.f");
        assert_eq!(markdown_cell("a@b.c"), "a\\@b.c");
        assert_eq!(markdown_cell("x\u{202e}y"), "x\\\\u{202e}y");
        assert_eq!(markdown_cell("bo\u{1b}[31m\u{7}"), "bo \\[31m ");
    }

    #[test]
    fn json_writes_bidi_marks_as_escapes_and_stays_lossless() {
        let value = vec!["a\u{202e}b\u{2028}c\u{1b}".to_string()];
        let text = json_pretty(&value);
        assert!(text.contains("a\\u202eb\\u2028c\\u001b"), "{text}");
        let back: Vec<String> = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(back, value);
    }

    #[test]
    fn mermaid_labels_are_quoted_and_plain() {
        assert_eq!(mermaid_label("ana"), "\"ana\"");
        assert_eq!(mermaid_label("a\"]\n<b>&#1;"), "\"ab1\"");
        assert_eq!(mermaid_label("\u{202e}\u{1b}"), "\"?\"");
        assert_eq!(mermaid_label("50%% done"), "\"50 done\"");
        assert_eq!(
            mermaid_title("a title longer than twenty \"chars\" %%{init}"),
            "\"a title longer than twenty chars {init}\""
        );
    }
}
