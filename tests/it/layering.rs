//! The module layering of docs/architecture.md, read from the source: which crate modules
//! each module's code names (`crate::x`, in `use` lines and paths alike, grouped imports
//! too; comments and test modules aside). A change that makes `config` reach up into the
//! record model, the rules or a command again fails here, naming the file and the line;
//! so does any import that closes a circle between two top-level modules of `src/`
//! (`no_cycles_between_modules` names one circle, each step with its file and line).

// Test code: a failed expect or an out-of-range slice is a failed test.
#![allow(clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
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

/// The crate modules a file's code names, with the line each is first named on: every
/// `crate::x` path, and each `x` of a grouped `crate::{x::A, y}`. Comment lines, a
/// trailing `#[cfg(test)] mod tests` and `tests.rs` files are test or prose, not layering.
fn named_modules(path: &Path, own: &str) -> Vec<(String, usize)> {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return Vec::new();
    }
    let text = std::fs::read_to_string(path).expect("a source file is UTF-8");
    let code: String = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default()
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut seen = BTreeSet::new();
    let mut named = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `declint_crate::`, not this crate
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at + "crate::".len()..];
        let modules = match rest.strip_prefix('{') {
            Some(group) => grouped_heads(group),
            None => vec![identifier(rest)],
        };
        for module in modules {
            if !module.is_empty()
                && module != own
                && module != "self"
                && seen.insert(module.clone())
            {
                named.push((module, line));
            }
        }
    }
    named
}

/// The identifier `text` starts with.
fn identifier(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// The first segment of each path in a `{…}` group (`text` starts after the `{`).
fn grouped_heads(text: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut item_start = true;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if c.is_whitespace() => {}
            _ if item_start && depth == 0 => {
                heads.push(identifier(&text[at..]));
                item_start = false;
            }
            _ => {}
        }
    }
    heads
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

/// Cycles between top-level modules that stay for now, each as the exact set of modules
/// it joins and the reason. Anything else that imports in a circle fails
/// `no_cycles_between_modules`, and so does an allowance whose cycle is gone or has
/// grown, so this list only shrinks.
const ALLOWED_CYCLES: &[(&[&str], &str)] = &[];

/// Module → module it names → the first place it does (`src/<file>:<line>`), over every
/// top-level module of `src/` (`lib.rs` only declares and re-exports them).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn module_graph() -> Graph {
    let reexported = root_reexports();
    let mut graph = Graph::new();
    for (file, line, module, named) in references(|m| m != "lib" && m != "main") {
        let named = reexported.get(&named).cloned().unwrap_or(named);
        if named == module {
            continue;
        }
        graph
            .entry(module)
            .or_default()
            .entry(named)
            .or_insert_with(|| format!("src/{file}:{line}"));
    }
    graph
}

/// The names `lib.rs` re-exports at the crate root (`pub use error::{Error, Result};`),
/// each with the module it comes from, so `crate::Result` counts as naming `error`.
fn root_reexports() -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs is readable");
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line.strip_prefix("pub use ") else {
            continue;
        };
        let module = identifier(path);
        let items = path.split_once('{').map_or_else(
            || path.rsplit("::").take(1).collect::<Vec<_>>(),
            |(_, group)| group.split(',').collect(),
        );
        for item in items {
            let name = identifier(item.trim().trim_end_matches(['}', ';']));
            if !name.is_empty() {
                names.insert(name, module.clone());
            }
        }
    }
    names
}

/// The modules reachable from `start` (itself included).
fn reachable(graph: &Graph, start: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut todo = vec![start.to_string()];
    while let Some(module) = todo.pop() {
        for next in graph.get(&module).into_iter().flat_map(|n| n.keys()) {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

/// The groups of two or more modules that import each other in a circle (the strongly
/// connected components), each sorted, in module order.
fn cycles(graph: &Graph) -> Vec<BTreeSet<String>> {
    let modules: BTreeSet<&String> = graph
        .iter()
        .flat_map(|(from, to)| std::iter::once(from).chain(to.keys()))
        .collect();
    let reach: BTreeMap<&String, BTreeSet<String>> =
        modules.iter().map(|m| (*m, reachable(graph, m))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for module in &modules {
        let group: BTreeSet<String> = reach[module]
            .iter()
            .filter(|other| reach.get(other).is_some_and(|r| r.contains(*module)))
            .cloned()
            .collect();
        if group.len() > 1 && !found.contains(&group) {
            found.push(group);
        }
    }
    found
}

/// One circle through `group`, each step with where it is named:
/// `a → b (src/a.rs:3) → a (src/b.rs:9)`.
fn one_circle(graph: &Graph, group: &BTreeSet<String>) -> String {
    let start = group.first().expect("a cycle has modules").clone();
    // Breadth-first inside the group from `start` back to `start`.
    let mut came_from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.clone()]);
    'search: while let Some(module) = queue.pop_front() {
        for next in graph.get(&module).into_iter().flat_map(|n| n.keys()) {
            if !group.contains(next) || came_from.contains_key(next) {
                continue;
            }
            came_from.insert(next.clone(), module.clone());
            if *next == start {
                break 'search;
            }
            queue.push_back(next.clone());
        }
    }
    let mut path = vec![start.clone()];
    let mut at = came_from[&start].clone();
    while at != start {
        path.push(at.clone());
        at = came_from[&at].clone();
    }
    path.push(start.clone());
    path.reverse();
    let mut text = path[0].clone();
    for step in path.windows(2) {
        text.push_str(&format!(" → {} ({})", step[1], graph[&step[0]][&step[1]]));
    }
    text
}

#[test]
fn no_cycles_between_modules() {
    let graph = module_graph();
    let found = cycles(&graph);
    let mut problems = Vec::new();
    for group in &found {
        let allowed = ALLOWED_CYCLES
            .iter()
            .any(|(modules, _)| modules.iter().copied().eq(group.iter().map(String::as_str)));
        if !allowed {
            problems.push(format!(
                "modules import each other in a circle: {}",
                one_circle(&graph, group)
            ));
        }
    }
    for (modules, why) in ALLOWED_CYCLES {
        if !found
            .iter()
            .any(|group| modules.iter().copied().eq(group.iter().map(String::as_str)))
        {
            problems.push(format!(
                "the allowed cycle {modules:?} ({why}) is gone or changed: update ALLOWED_CYCLES"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the module graph of src/ must have no cycles (docs/architecture.md, layers import \
         downwards); move the shared item to the lower module:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_cycle_finder_finds_and_names_a_cycle() {
    let edge = |from: &str, to: &str, at: &str| (from.to_string(), to.to_string(), at.to_string());
    let mut graph = Graph::new();
    for (from, to, at) in [
        edge("cli", "commands", "src/cli.rs:4"),
        edge("commands", "invocation", "src/commands/check.rs:4"),
        edge("commands", "report", "src/commands/check.rs:5"),
        edge("report", "baseline", "src/report.rs:20"),
        edge("baseline", "report", "src/baseline.rs:20"),
    ] {
        graph.entry(from).or_default().insert(to, at);
    }
    let found = cycles(&graph);
    assert_eq!(
        found,
        vec![BTreeSet::from([
            "baseline".to_string(),
            "report".to_string()
        ])]
    );
    assert_eq!(
        one_circle(&graph, &found[0]),
        "baseline → report (src/baseline.rs:20) → baseline (src/report.rs:20)"
    );
}

#[test]
fn root_reexports_count_as_their_module() {
    let names = root_reexports();
    assert_eq!(names.get("Result").map(String::as_str), Some("error"));
    assert_eq!(names.get("Config").map(String::as_str), Some("config"));
    assert_eq!(
        names.get("DIGEST_SCHEMA_VERSION").map(String::as_str),
        Some("commands")
    );
}

#[test]
fn grouped_imports_name_each_module() {
    assert_eq!(
        grouped_heads("self, error::{Error, Result}, report::Report};\nuse x::y;"),
        ["self", "error", "report"]
    );
}
