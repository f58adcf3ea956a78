//! The module layering of docs/architecture.md, read from the source: which crate modules
//! each module's code names (`crate::x`, in `use` lines and paths alike; comments and test
//! modules aside). A change that makes `config` reach up into the record model, the rules
//! or a command again fails here, naming the file and the line.

// Test code: a failed expect or an out-of-range slice is a failed test.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The foundation: plain types and text helpers every layer may use. They name no module
/// outside this list.
const FOUNDATION: &[&str] = &[
    "display_path",
    "error",
    "escape",
    "finding",
    "people",
    "source",
    "spelling",
    "yaml",
];

/// Modules `config` may name besides itself: the foundation only. The record fields and
/// the rule registry it checks names against are passed in by the layer that loads a
/// workspace (`config::KnownNames`).
fn config_may_name(module: &str) -> bool {
    FOUNDATION.contains(&module)
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under `src/` belongs to (`src/rules/time.rs` → `rules`).
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .expect("a path under src/")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

/// The crate modules a file's code names, with the line each is first named on. Comment
/// lines, a trailing `#[cfg(test)] mod tests` and `tests.rs` files are test or prose,
/// not layering.
fn named_modules(path: &Path, own: &str) -> Vec<(String, usize)> {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return Vec::new();
    }
    let text = std::fs::read_to_string(path).expect("a source file is UTF-8");
    let code = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    let mut named = Vec::new();
    for (index, line) in code.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for (at, _) in line.match_indices("crate::") {
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `declint_crate::`, not this crate
            }
            let module: String = line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !module.is_empty() && module != own && seen.insert(module.clone()) {
                named.push((module, index + 1));
            }
        }
    }
    named
}

/// Every (file, line, named module) of the modules in `src/` matching `which`.
fn references(which: impl Fn(&str) -> bool) -> Vec<(String, usize, String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).expect("under src/").to_path_buf();
        let module = module_of(&relative);
        if !which(&module) {
            continue;
        }
        for (named, line) in named_modules(&file, &module) {
            out.push((relative.display().to_string(), line, module.clone(), named));
        }
    }
    out
}

#[test]
fn config_is_a_lower_layer() {
    let up: Vec<String> = references(|m| m == "config")
        .into_iter()
        .filter(|(_, _, _, named)| !config_may_name(named))
        .map(|(file, line, _, named)| format!("src/{file}:{line} names crate::{named}"))
        .collect();
    assert!(
        up.is_empty(),
        "config may name only the foundation ({FOUNDATION:?}); it reaches up:\n{}",
        up.join("\n")
    );
}

#[test]
fn the_foundation_names_only_the_foundation() {
    let up: Vec<String> = references(|m| FOUNDATION.contains(&m))
        .into_iter()
        .filter(|(_, _, _, named)| !FOUNDATION.contains(&named.as_str()))
        .map(|(file, line, module, named)| {
            format!("src/{file}:{line} ({module}) names crate::{named}")
        })
        .collect();
    assert!(
        up.is_empty(),
        "the foundation reaches up:\n{}",
        up.join("\n")
    );
}

#[test]
fn the_reader_sees_what_config_names() {
    // The scan itself must work: `record` names `config` (it reads the profile), and a
    // comment naming a module does not count.
    let record = references(|m| m == "record");
    assert!(
        record.iter().any(|(_, _, _, named)| named == "config"),
        "{record:?}"
    );
    let config = references(|m| m == "config");
    assert!(
        !config.iter().any(|(_, _, _, named)| named == "timeline"),
        "config's docs mention crate::timeline; comments are not code: {config:?}"
    );
}
