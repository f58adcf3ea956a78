//! The fast path against serde-saphyr: fixed cases, a folder of real records, and
//! generated documents from a grammar of the subset with random damage on top. Whenever
//! the fast path takes a document, its tree (values and spans) must be the full parser's.

use super::super::{RawNode, options};
use super::*;
use crate::source::SourceText;
use proptest::prelude::*;

/// Both paths over `yaml`: the fast one (if it takes the document) and the full one.
fn both(yaml: &str) -> (Option<Node<'_>>, Option<Node<'static>>) {
    let text = format!("---\n{yaml}---\n");
    let source = SourceText::new(text.clone());
    let placement = Placement {
        source: &source,
        offset: 4,
        first_line: 2,
        yaml_len: yaml.len(),
    };
    let fast = parse(&placement, yaml);
    let full = serde_saphyr::from_str_with_options::<RawNode>(yaml, options())
        .ok()
        .and_then(|raw| placement.node(raw).ok());
    (fast, full)
}

const TAKEN: &[&str] = &[
    "title: Use Postgres\nstatus: accepted\ndate: 2026-03-02\ndecider: ana\n",
    "id: \"0042\"\noptions:\n  - Postgres\n  - name: SQLite\n    pros: [small, embedded]\n    cons: []\n",
    "uncertainty: {market: 3, technical: 0, organizational: 5}\npriority: 2\n",
    "evidence:\n  - date: 2026-02-20\n    summary: 4k writes/s held p99 under 20 ms\n    link: https://wiki.example.com/x?a=1\n",
    "reversal:\n  - |\n    if load\n    doubles\n  - >\n    folded\n    text\n  - 'single'\n",
    "dissent: []\nagree: [bo, 'cy']\ndue: 2026-03-02T10:00:00Z\n",
    "# a comment\ntitle: x # trailing\nempty:\nquoted_empty: \"\"\ntilde: ~\nnothing: null\n",
    "title: \u{e9}t\u{e9} \u{2014} caf\u{e9}\nnote: \"line\\nbreak \\u00e9 \\\\ \\\" \\x41\"\n",
    "affects: [\"src/**\", docs/*.md]\ntags:\n- a\n- b\n",
    "a:\n  b:\n    c:\n      d: [1, 2]\n",
    "  a: 1\n  b:\n",
    "a:\n  -\n  - x\n  -   \n  - # c\n  -\nb: 1\n",
    "a: |\n  x\n# c\nb: 1\n",
    "a: |\n  x\n # c\nb: 1\n",
    "a: |\n  x\n\n\n",
    "a: |+\n  x\n\nb: >-\n  fo\n  ld\n\n  again  \n\nc: |-\n  x\n\n# c\nd: 1\n",
    "a: >\n  x\n  y\n\n  z\n",
    "a: |\n    lit\n      more\n    back\n",
    "a:\n- k: v\n  m:\n  - x\n",
    "a:\n- k: 1\n  j: 2\n- m\n-\n- |\n  x\n- [x]\n- 'q'\n",
    "a: x #c\nb: x#c\nc: b::c\nd: [http://x, at 09:00]\n",
    "a: 'x' # c\nb: \"x\"\n  # c\nc: 'it''s'\n",
    "a: [a, b] # c\nb: {a: 1, 'b': \"x\"}\nc: {a: , b: 2}\nd: [\"x\",'y']\ne: [a b , c, ]\nf: { }\n",
    "'a': 1\n\"b c\": 2\n",
    "a:\n  # comment\n  b: 1\n",
    "a:  # c\n  b: 1\n",
    "list:\n  - 'quoted': 1\n    next: 2\n",
];

const LEFT_TO_FULL_PARSER: &[&str] = &[
    "a: yes\n",
    "a: off\n",
    "a: true\n",
    "a: 1.5\n",
    "a: 0007\n",
    "a: 0x1F\n",
    "a: 1_000\n",
    "a: -3\n",
    "a: .inf\n",
    "a: NaN\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "<<: {a: 1}\n",
    "a: 1\na: 2\n",
    "? [a]\n: 1\n",
    "a: 'unterminated\n",
    "a: 99999999999999999999\n",
    "- 1\n- 2\n",
    "a: x\n  continued\n",
    "a: 'x\n  y'\n",
    "a: [x,\n  y]\n",
    "a: [[x]]\n",
    "a:\n\t- x\n",
    "a: 1\r\nb: 2\r\n",
    "a: |2\n   x\n",
    "a: |\n\n  x\n",
    "a: >\n  x\n    more\n  y\n",
    "a: {a:1}\n",
    "a :\n",
    "a:\n- - x\n",
    "a: \"\\q\"\n",
    "a: \"\\ud800\"\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\n...\n",
    "a: \u{2028}\n",
    "a: x: y\n",
    "a: [x:-y]\n",
];

#[test]
fn fast_path_matches_serde_saphyr() {
    let declined: Vec<&str> = TAKEN
        .iter()
        .copied()
        .filter(|yaml| {
            let (fast, full) = both(yaml);
            assert!(fast.is_none() || fast == full, "paths disagree on:\n{yaml}");
            fast.is_none()
        })
        .collect();
    assert!(declined.is_empty(), "fast path declined: {declined:#?}");
}

#[test]
fn rare_spellings_go_to_the_full_parser() {
    for yaml in LEFT_TO_FULL_PARSER {
        let (fast, _) = both(yaml);
        assert!(fast.is_none(), "fast path took:\n{yaml}");
    }
}

#[test]
fn scalars_are_typed_conservatively() {
    assert_eq!(plain("12"), Some(Value::Int(12)));
    assert_eq!(plain(""), Some(Value::Null));
    assert_eq!(plain("P1"), Some(Value::Str("P1".into())));
    assert_eq!(plain("2026-03-02"), Some(Value::Str("2026-03-02".into())));
    assert_eq!(plain("012"), None);
    assert_eq!(plain("True"), None);
    assert_eq!(plain("1e5"), None);
    let (fast, _) = both("a: \"yes\"\n");
    let Some(Node {
        value: Value::Map(entries),
        ..
    }) = fast
    else {
        panic!("quoted scalars are taken")
    };
    assert_eq!(entries[0].value.value, Value::Str("yes".into()));
}

/// Keys and scalars written as they read are slices of the YAML text; only an escape, a
/// doubled quote or a block scalar makes the scanner build the text.
#[test]
fn text_is_borrowed_unless_the_scanner_built_it() {
    let yaml = "title: Use x\nid: \"0042\"\n'k': 'it''s'\nnote: \"a\\tb\"\nlist: [a, 'b']\nblock: |\n  x\n";
    let (fast, full) = both(yaml);
    assert_eq!(fast, full);
    let Some(Node {
        value: Value::Map(entries),
        ..
    }) = fast
    else {
        panic!("the fast path takes it")
    };
    let borrowed = |text: &Cow<'_, str>| matches!(text, Cow::Borrowed(_));
    let text = |node: &Node<'_>| match &node.value {
        Value::Str(text) => borrowed(text),
        other => panic!("not a string: {other:?}"),
    };
    assert!(entries.iter().all(|e| borrowed(&e.key)));
    let values: Vec<bool> = entries.iter().take(4).map(|e| text(&e.value)).collect();
    assert_eq!(values, [true, true, false, false]);
    let Value::Seq(items) = &entries[4].value.value else {
        panic!("a list")
    };
    assert!(items.iter().all(text));
    assert!(!text(&entries[5].value));
}

#[test]
fn mappings_with_more_keys_than_any_record_take_the_full_path() {
    let small: String = (0..MAX_MAPPING_KEYS)
        .map(|i| format!("k{i}: 1\n"))
        .collect();
    let (fast, full) = both(&small);
    assert!(fast.is_some() && fast == full);
    let large: String = (0..=MAX_MAPPING_KEYS)
        .map(|i| format!("k{i}: 1\n"))
        .collect();
    let (fast, full) = both(&large);
    assert!(fast.is_none() && full.is_some());
}

/// Markdown files under `dir`, at any depth.
fn markdown_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Differential check over a folder of real records (searched recursively): every
/// front-matter the fast path takes must come out exactly as the full parser has it. Run
/// by hand on a corpus: `DECLINT_YAML_DIFF_DIR=/tmp/declint-bench-corpus/n10000-valid
/// cargo test --lib agrees_on_a_corpus -- --ignored --nocapture`.
#[test]
#[ignore = "needs a corpus: set DECLINT_YAML_DIFF_DIR"]
fn agrees_on_a_corpus() {
    use crate::record::frontmatter::{Split, split};
    let dir = std::env::var("DECLINT_YAML_DIFF_DIR").unwrap_or_else(|_| "decisions".into());
    let mut files = Vec::new();
    markdown_files(std::path::Path::new(&dir), &mut files);
    let (mut taken, mut total) = (0, 0);
    let mut declined = Vec::new();
    // DECLINT_YAML_MUTANTS=n also checks n randomly damaged copies of each front-matter.
    let mutants: usize = std::env::var("DECLINT_YAML_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut rng = fastrand::Rng::with_seed(3);
    let mut mutants_taken = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Split::Present {
            yaml, first_line, ..
        } = split(&text)
        else {
            continue;
        };
        let yaml_text = &text[yaml.start..yaml.end];
        let source = SourceText::new(text.clone());
        let placement = Placement {
            source: &source,
            offset: yaml.start,
            first_line,
            yaml_len: yaml_text.len(),
        };
        total += 1;
        let full = serde_saphyr::from_str_with_options::<RawNode>(yaml_text, options())
            .ok()
            .and_then(|raw| placement.node(raw).ok());
        match parse(&placement, yaml_text) {
            Some(fast) => {
                taken += 1;
                assert_eq!(Some(fast), full, "paths disagree on {}", path.display());
            }
            None if full.is_some() => declined.push(path.display().to_string()),
            None => {}
        }
        for _ in 0..mutants {
            let choices: Vec<u8> = (0..16).map(|_| rng.u8(..)).collect();
            let mut mutant = yaml_text.to_string();
            Grammar {
                choices: &choices,
                at: 0,
            }
            .damage(&mut mutant, 1 + rng.usize(..3));
            let (fast, full) = both(&mutant);
            mutants_taken += usize::from(fast.is_some());
            if fast.is_some() {
                assert_eq!(
                    fast,
                    full,
                    "paths disagree on a mutant of {}:\n{mutant:?}",
                    path.display()
                );
            }
        }
    }
    if mutants > 0 {
        eprintln!(
            "fast path took {mutants_taken} of {} damaged copies",
            total * mutants
        );
    }
    eprintln!(
        "fast path took {taken} of {total} front-matters in {dir}; declined {} that parse:",
        declined.len()
    );
    for path in declined.iter().take(40) {
        eprintln!("  {path}");
    }
    assert!(total > 0, "no records in {dir}");
}

/// Documents from a grammar of the subset, driven by a stream of choices (so that
/// proptest shrinks a failure towards choice 0, the simplest spelling everywhere).
struct Grammar<'c> {
    choices: &'c [u8],
    at: usize,
}

impl Grammar<'_> {
    fn pick(&mut self, n: usize) -> usize {
        let choice = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        usize::from(choice) % n
    }

    fn pick_large(&mut self, n: usize) -> usize {
        (self.pick(256) * 256 + self.pick(256)) % n.max(1)
    }

    fn one<'s>(&mut self, options: &[&'s str]) -> &'s str {
        options[self.pick(options.len())]
    }

    fn spaces(&mut self, at_least: usize) -> String {
        " ".repeat(at_least + [0, 0, 0, 1, 2][self.pick(5)])
    }

    /// Plain scalar text: mostly ordinary words, sometimes every kind of trouble.
    fn plain(&mut self) -> &'static str {
        const ORDINARY: &[&str] = &[
            "x",
            "Use Postgres for billing",
            "2026-03-02",
            "42",
            "accepted",
            "https://wiki.example.com/a?b=1#c",
            "src/**",
            "p99 under 20 ms",
            "caf\u{e9} \u{2014} na\u{ef}ve",
            "same at 09:00 and 17:00",
            "file://release",
        ];
        if self.pick(3) > 0 {
            return self.one(ORDINARY);
        }
        self.one(&[
            "0",
            "007",
            "1.5",
            "-3",
            "+3",
            "1e5",
            "0x1F",
            "yes",
            "No",
            "on",
            "true",
            "False",
            "null",
            "~",
            "NaN",
            ".inf",
            "y",
            "a:b",
            "a: b",
            "a:\"b\"",
            "a:'b'",
            "a:,",
            "a:]",
            "a:-b",
            "a #b",
            "a#b",
            "x,y",
            "[x]",
            "{x}",
            "x]",
            "it's",
            "say \"hi\"",
            "a\\b",
            "&a",
            "*a",
            "!t",
            "%x",
            "@x",
            "`x`",
            "? x",
            "- x",
            "-x",
            ":x",
            "|",
            ">",
            "<<",
            "2026-03-02T10:00:00Z",
            "2026-3-2",
            "12:30",
            "1_000",
            "99999999999999999999",
            "x:",
            "x :",
            "...",
            "---",
        ])
    }

    /// The key of the `index`th entry of a mapping: ordinary keys do not repeat.
    fn key(&mut self, index: usize) -> String {
        match self.pick(12) {
            0..=5 => {
                let name = self.one(&[
                    "title", "status", "date", "options", "name", "pros", "tags", "a", "b",
                ]);
                match index {
                    0 => name.to_string(),
                    _ => format!("{name}{index}"),
                }
            }
            6 => self.plain().to_string(),
            7 => format!("'{}'", self.plain().replace('\'', "''")),
            8 => format!("\"{}\"", self.plain()),
            9 => self
                .one(&["1", "true", "null", "<<", "", "a b", "a-b", "?"])
                .to_string(),
            _ => self
                .one(&["id", "decider", "agree", "reversal"])
                .to_string(),
        }
    }

    fn scalar(&mut self) -> String {
        match self.pick(8) {
            0..=3 => self.plain().to_string(),
            4 => format!("'{}'", self.plain().replace('\'', "''")),
            5 => format!("'{}'", self.plain()),
            6 => {
                let escape = self.one(&[
                    "",
                    "\\n",
                    "\\t",
                    "\\\\",
                    "\\\"",
                    "\\/",
                    "\\x41",
                    "\\u00e9",
                    "\\U0001F600",
                    "\\ud800",
                    "\\N",
                    "\\_",
                    "\\L",
                    "\\e",
                    "\\0",
                    "\\ ",
                    "\\q",
                    "\\x4",
                    "\\",
                ]);
                format!("\"{}{escape}{}\"", self.plain(), self.plain())
            }
            _ => format!("\"{}\"", self.plain()),
        }
    }

    fn comment(&mut self) -> &'static str {
        self.one(&["", "", "", "", " # note", " #n", "  #"])
    }

    fn flow_sequence(&mut self) -> String {
        let n = self.pick(4);
        let items: Vec<String> = (0..n).map(|_| self.scalar()).collect();
        let sep = self.one(&[", ", ",", " , ", ",  "]);
        let pad = self.one(&["", " "]);
        let trailing = self.one(&["", "", ",", ", "]);
        format!("[{pad}{}{trailing}{pad}]", items.join(sep))
    }

    fn flow_mapping(&mut self) -> String {
        let n = self.pick(4);
        let entries: Vec<String> = (0..n)
            .map(|index| {
                let key = self.key(index);
                let colon = self.one(&[": ", ": ", ":", " : ", ":  "]);
                let value = match self.pick(4) {
                    0 => String::new(),
                    _ => self.scalar(),
                };
                format!("{key}{colon}{value}")
            })
            .collect();
        let pad = self.one(&["", " "]);
        format!("{{{pad}{}{pad}}}", entries.join(", "))
    }

    fn block_scalar(&mut self, out: &mut String, col: usize) {
        out.push_str(self.one(&["|", ">", "|-", ">-", "|+", ">+", "|2", "| "]));
        out.push_str(self.comment());
        out.push('\n');
        let body = col + [1, 2, 2, 4, 0][self.pick(5)];
        for _ in 0..1 + self.pick(4) {
            match self.pick(8) {
                0 => out.push('\n'),
                1 => {
                    out.push_str(&" ".repeat(body + self.pick(2)));
                    out.push_str(self.plain());
                    out.push('\n');
                }
                2 => {
                    out.push_str(&" ".repeat(body));
                    out.push_str("  \n");
                }
                3 => out.push_str(&format!("{}#not a comment\n", " ".repeat(body))),
                _ => {
                    out.push_str(&" ".repeat(body));
                    out.push_str(self.plain());
                    out.push_str(self.one(&["", "", " ", "  "]));
                    out.push('\n');
                }
            }
        }
        for _ in 0..self.pick(3) {
            out.push_str(self.one(&["\n", "  \n", "# after\n", " # after\n"]));
        }
    }

    /// Blank and comment lines that may sit between entries.
    fn filler(&mut self, out: &mut String, col: usize) {
        for _ in 0..[0, 0, 0, 1, 2][self.pick(5)] {
            match self.pick(3) {
                0 => out.push('\n'),
                1 => out.push_str(&format!("{}# comment\n", " ".repeat(col + self.pick(3)))),
                _ => out.push_str("   \n"),
            }
        }
    }

    /// The rest of a `key:` line and whatever belongs to it below.
    fn value(&mut self, out: &mut String, col: usize, depth: usize) {
        let kinds = if depth > 3 { 6 } else { 10 };
        match self.pick(kinds) {
            0 | 1 => {
                out.push_str(&self.spaces(1));
                out.push_str(&self.scalar());
                out.push_str(self.comment());
                out.push('\n');
            }
            2 => {
                out.push_str(&self.spaces(1));
                out.push_str(&self.flow_sequence());
                out.push_str(self.comment());
                out.push('\n');
            }
            3 => {
                out.push_str(&self.spaces(1));
                out.push_str(&self.flow_mapping());
                out.push_str(self.comment());
                out.push('\n');
            }
            4 => {
                out.push_str(self.one(&["", " ", "  # empty"]));
                out.push('\n');
            }
            5 => {
                out.push(' ');
                self.block_scalar(out, col);
            }
            6 | 7 => {
                out.push_str(self.comment());
                out.push('\n');
                let inner = col + [2, 2, 1, 4, 0][self.pick(5)];
                self.sequence(out, inner, depth + 1);
            }
            _ => {
                out.push_str(self.comment());
                out.push('\n');
                let inner = col + [2, 2, 1, 4, 0][self.pick(5)];
                self.mapping(out, inner, depth + 1, false);
            }
        }
    }

    /// A block mapping at column `col`; with `inline_first`, its first key follows a `- `
    /// the caller has written.
    fn mapping(&mut self, out: &mut String, col: usize, depth: usize, inline_first: bool) {
        for i in 0..1 + self.pick(4) {
            if i > 0 || !inline_first {
                self.filler(out, col);
                out.push_str(&" ".repeat(col));
            }
            out.push_str(&self.key(i));
            out.push_str(self.one(&[":", ":", ":", ":", ":", ":", ":", " :"]));
            self.value(out, col, depth);
        }
    }

    fn sequence(&mut self, out: &mut String, col: usize, depth: usize) {
        for _ in 0..1 + self.pick(4) {
            self.filler(out, col);
            out.push_str(&" ".repeat(col));
            out.push('-');
            let gap = 1 + [0, 0, 0, 1, 2][self.pick(5)];
            let kinds = if depth > 3 { 5 } else { 8 };
            match self.pick(kinds) {
                0 | 1 => {
                    out.push_str(&" ".repeat(gap));
                    out.push_str(&self.scalar());
                    out.push_str(self.comment());
                    out.push('\n');
                }
                2 => {
                    out.push_str(&" ".repeat(gap));
                    out.push_str(&self.flow_sequence());
                    out.push('\n');
                }
                3 => {
                    out.push_str(self.one(&["", " ", "   ", " # empty"]));
                    out.push('\n');
                }
                4 => {
                    out.push_str(&" ".repeat(gap));
                    self.block_scalar(out, col);
                }
                5 => {
                    out.push_str(&" ".repeat(gap));
                    out.push_str(&self.flow_mapping());
                    out.push('\n');
                }
                6 => {
                    out.push_str(&" ".repeat(gap));
                    self.sequence_inline(out, col + 1 + gap, depth + 1);
                }
                _ => {
                    out.push_str(&" ".repeat(gap));
                    self.mapping(out, col + 1 + gap, depth + 1, true);
                }
            }
        }
    }

    /// `- - x`: a sequence whose first dash follows another.
    fn sequence_inline(&mut self, out: &mut String, col: usize, depth: usize) {
        out.push_str("- ");
        out.push_str(&self.scalar());
        out.push('\n');
        if self.pick(2) == 0 {
            out.push_str(&" ".repeat(col));
            self.sequence(out, col, depth);
        }
    }

    fn document(&mut self) -> String {
        let mut out = String::new();
        let col = [0, 0, 0, 0, 2][self.pick(5)];
        self.filler(&mut out, 0);
        self.mapping(&mut out, col, 0, false);
        self.filler(&mut out, 0);
        let edits = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3][self.pick(10)];
        self.damage(&mut out, edits);
        out
    }

    /// `edits` insertions, replacements or deletions anywhere in `out`, from the
    /// characters that matter to YAML.
    fn damage(&mut self, out: &mut String, edits: usize) {
        for _ in 0..edits {
            let mut at = self.pick_large(out.len() + 1);
            while !out.is_char_boundary(at) {
                at -= 1;
            }
            let edit = self.one(&[
                " ", "\n", ":", "- ", "#", "'", "\"", "[", "]", "{", "}", ",", "|", ">", "\\", "x",
                "\t", "&", "*", "!", "?", "0", "  ", "\r", "---\n", "\u{85}",
            ]);
            let end = out[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            match self.pick(3) {
                0 => out.insert_str(at, edit),
                1 => out.replace_range(at..end, edit),
                _ => out.replace_range(at..end, ""),
            }
        }
    }
}

fn generated(choices: &[u8]) -> String {
    Grammar { choices, at: 0 }.document()
}

/// Many generated documents at once, with how many the fast path took: the generator is
/// only useful if a good share of its output is inside the subset. For a long run:
/// `DECLINT_YAML_CASES=500000 DECLINT_YAML_SEED=1 cargo test --lib generated_documents_agree
/// -- --nocapture`.
#[test]
fn generated_documents_agree() {
    let cases: usize = std::env::var("DECLINT_YAML_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3_000);
    let seed: u64 = std::env::var("DECLINT_YAML_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut taken, mut parsed) = (0, 0);
    for _ in 0..cases {
        let choices: Vec<u8> = (0..rng.usize(0..400)).map(|_| rng.u8(..)).collect();
        let yaml = generated(&choices);
        let (fast, full) = both(&yaml);
        parsed += usize::from(full.is_some());
        if fast.is_some() {
            taken += 1;
            assert_eq!(fast, full, "paths disagree on:\n{yaml}\n{yaml:?}");
        }
    }
    eprintln!("fast path took {taken} of {cases} generated documents ({parsed} parse)");
    assert!(
        taken * 10 > cases,
        "the generator rarely stays inside the subset"
    );
}

/// A record in the shape most logs use (the one `benches/record.rs` times).
const RECORD: &str = "id: \"0042\"\ntitle: Use Postgres for billing\nstatus: accepted\nraised: 2026-03-01\ndate: 2026-03-02\ndecider: ana\nrecommend: [bruno]\nagree: [chen, dara]\noptions:\n  - name: Postgres\n    pros: [team knows it, row-level security]\n    cons: [one more cluster to run]\n  - name: SQLite\n    cons: [no concurrent writers]\n  - DynamoDB\nreversal:\n  - if write load exceeds 10k/s for a week\n  - if the managed offering costs more than 2x the current bill\nreview_by: 2027-03-01\npriority: P1\ndeprioritized: [search re-index]\nevidence:\n  - date: 2026-02-20\n    summary: load test at 4k writes/s held p99 under 20 ms\n    link: https://wiki.example.com/billing/42\ndissent:\n  - who: eli\n    note: prefers a managed key-value store\nuncertainty: {market: 1, technical: 3, organizational: 2}\naffects: [\"src/billing/**\"]\ntags: [billing, storage]\n";

/// Real-looking front-matter (the fixed cases and a full record) with one to three edits:
/// the documents closest to what the scanner takes, where a wrong `Some` would hide.
#[test]
fn damaged_records_agree() {
    let mut rng = fastrand::Rng::with_seed(11);
    let sources: Vec<&str> = TAKEN.iter().copied().chain([RECORD]).collect();
    let (mut taken, cases) = (0, 20_000);
    for _ in 0..cases {
        let choices: Vec<u8> = (0..16).map(|_| rng.u8(..)).collect();
        let mut yaml = sources[rng.usize(..sources.len())].to_string();
        Grammar {
            choices: &choices,
            at: 0,
        }
        .damage(&mut yaml, 1 + rng.usize(..3));
        let (fast, full) = both(&yaml);
        if fast.is_some() {
            taken += 1;
            assert_eq!(fast, full, "paths disagree on:\n{yaml}\n{yaml:?}");
        }
    }
    eprintln!("fast path took {taken} of {cases} damaged records");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Whenever the fast path takes a generated document, it agrees with serde-saphyr.
    #[test]
    fn fast_path_agrees_on_generated_documents(
        choices in prop::collection::vec(any::<u8>(), 0..400)
    ) {
        let yaml = generated(&choices);
        let (fast, full) = both(&yaml);
        if fast.is_some() {
            prop_assert_eq!(fast, full, "paths disagree on:\n{}\n{:?}", yaml, yaml);
        }
    }
}

#[test]
fn deep_nesting_agrees_or_goes_to_the_full_parser() {
    for levels in [20, 24, 25, 26, 31, 32, 33, 40] {
        let mut yaml = String::new();
        for level in 0..levels {
            yaml.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        yaml.push_str(&format!("{}leaf: [x]\n", " ".repeat(levels)));
        let (fast, full) = both(&yaml);
        assert!(
            fast.is_none() || fast == full,
            "paths disagree at {levels} levels"
        );
        assert!(
            levels < 30 || fast.is_none(),
            "fast path took {levels} levels"
        );
    }
}
