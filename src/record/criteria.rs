//! A record's reversal criteria as the rules and the timeline compare them: the same
//! words whatever their case and spacing. One definition, so the change rules (DL503,
//! DL504), the evidence rule DL111 and the timeline's "criteria edited" agree.

use super::Record;
use super::fields::{Evidence, Text};

/// `text` with its words joined by one space and lower-cased: what two criteria or two
/// evidence summaries are compared on.
pub(crate) fn normalise(text: &str) -> String {
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
    }
    // ASCII text, nearly every criterion: the same words, lower-cased in one pass into one
    // string (`to_lowercase` of ASCII is `to_ascii_lowercase`).
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    }
    out
}

/// The record's reversal criteria, normalised for [`cites`].
pub(crate) fn criteria(record: &Record) -> Vec<String> {
    record
        .fields
        .reversal
        .as_ref()
        .map(|r| r.value.iter().map(|t| normalise(&t.text)).collect())
        .unwrap_or_default()
}

/// Whether an evidence item's `criterion` names one of `criteria` (its text, or its
/// 1-based index).
pub(crate) fn cites(item: &Evidence, criteria: &[String]) -> bool {
    let Some(Text { text, .. }) = &item.criterion else {
        return false;
    };
    let text = normalise(text);
    if let Ok(index) = text.trim_start_matches('#').parse::<usize>() {
        return index >= 1 && index <= criteria.len();
    }
    criteria.contains(&text)
}
