//! How names people write are matched to the names declint knows: a front-matter or
//! config key's spelling folded (`review-by` is `review_by`), and the closest known name
//! offered for a typo. Below `config` and `record`, which both match keys this way.

use std::borrow::Cow;

/// Fold a key: `Review-By` stays distinct (keys are lower-case), `review-by` → `review_by`.
/// Borrowed when there is nothing to fold, as for almost every key.
pub fn canonical_key(key: &str) -> Cow<'_, str> {
    // A byte test the compiler inlines; `contains('-')` is a call per key.
    if key.bytes().any(|b| b == b'-') {
        Cow::Owned(key.replace('-', "_"))
    } else {
        Cow::Borrowed(key)
    }
}

/// The closest candidate to `word`, if it is close enough to be what was meant.
pub fn suggest(word: &str, candidates: &[&str]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
