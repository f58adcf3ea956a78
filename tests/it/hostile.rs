//! Hostile input for `declint check`, end to end through the binary: each case builds a
//! throwaway repository, runs `check`, and asserts the documented outcome (see
//! docs/robustness.md and fixtures/hostile/README.md). A run that does not finish within a
//! minute counts as a hang and fails; budgets are asserted structurally (which finding, what
//! was read), not by wall time.

// Test scaffolding outside `#[test]` functions: a failed setup step should stop the test.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A temporary repository with a `decisions/` folder.
struct Repo {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    raw_stdout: Vec<u8>,
}

impl Repo {
    fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join(".git")).expect(".git");
        fs::create_dir(dir.path().join("decisions")).expect("decisions/");
        Repo { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn decisions(&self) -> PathBuf {
        self.root().join("decisions")
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.decisions().join(name);
        fs::write(&path, bytes).expect("write fixture");
        path
    }

    /// `declint check` with extra arguments; panics if it runs longer than a minute.
    fn check(&self, args: &[&str]) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_declint"))
            .arg("check")
            .args(args)
            .current_dir(self.root())
            .env("DECLINT_TODAY", "2026-06-01")
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run declint");
        let started = Instant::now();
        let stdout_pipe = child.stdout.take().expect("stdout");
        let stderr_pipe = child.stderr.take().expect("stderr");
        let out = std::thread::spawn(move || read_all(stdout_pipe));
        let err = std::thread::spawn(move || read_all(stderr_pipe));
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("declint check {args:?} hung (killed after 60 s)");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let raw_stdout = out.join().expect("stdout thread");
        let stderr = err.join().expect("stderr thread");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&raw_stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            raw_stdout,
        }
    }

    /// `check --format json`, parsed.
    fn check_json(&self, extra: &[&str]) -> (i32, serde_json::Value) {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let run = self.check(&args);
        let json = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
            panic!(
                "JSON output does not parse: {e}\nstdout: {}\nstderr: {}",
                run.stdout, run.stderr
            )
        });
        (run.code, json)
    }
}

fn read_all(mut pipe: impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    bytes
}

/// `(code, message)` of every finding on files whose path ends with `suffix`.
fn findings_for(json: &serde_json::Value, suffix: &str) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn has_code(findings: &[(String, String)], code: &str) -> bool {
    findings.iter().any(|(c, _)| c == code)
}

const VALID: &str =
    "---\ntitle: Fine\nstatus: proposed\ndecider: ana\nraised: 2026-05-31\n---\n# Fine\n";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/hostile")
        .join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn alias_bomb_is_a_yaml_finding() {
    let repo = Repo::new();
    repo.write("0001-bomb.md", fixture("0001-alias-bomb.md"));
    repo.write("0002-ok.md", VALID);
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let bomb = findings_for(&json, "0001-bomb.md");
    assert!(has_code(&bomb, "DL002"), "{bomb:?}");
    // The other file is still checked.
    assert_eq!(json["summary"]["files_checked"], 2);
}

#[test]
fn nesting_ten_thousand_deep_is_a_yaml_finding() {
    let repo = Repo::new();
    let flow = format!(
        "---\ntitle: Deep\nx: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    // Block style, compact: `- - - … x` is a sequence nested 10,000 deep in 20 kB.
    let block = format!("---\ntitle: Deep\nx:\n  {}x\n---\n", "- ".repeat(10_000));
    repo.write("0001-flow.md", flow);
    repo.write("0002-block.md", block);
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    for name in ["0001-flow.md", "0002-block.md"] {
        let found = findings_for(&json, name);
        assert!(has_code(&found, "DL002"), "{name}: {found:?}");
    }
}

#[test]
fn markdown_body_nested_ten_thousand_deep_is_parsed() {
    let repo = Repo::new();
    let quotes = format!("{VALID}{}deep\n", ">".repeat(10_000));
    let lists = format!("{VALID}{}item\n", "- ".repeat(10_000));
    repo.write("0001-quotes.md", quotes);
    repo.write("0002-lists.md", lists);
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["files_checked"], 2);
}

#[test]
fn hundred_megabyte_file_is_refused_unread() {
    let repo = Repo::new();
    let path = repo.decisions().join("0001-huge.md");
    let file = fs::File::create(&path).expect("create");
    file.set_len(100 * 1024 * 1024).expect("sparse 100 MB");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let found = findings_for(&json, "0001-huge.md");
    assert!(has_code(&found, "DL005"), "{found:?}");
    assert!(
        found.iter().any(|(_, m)| m.contains("104857600")),
        "{found:?}"
    );
}

#[test]
fn million_line_front_matter_is_refused() {
    let repo = Repo::new();
    let mut text = String::from("---\n");
    for i in 0..1_000_000 {
        text.push_str(&format!("k{i}: v\n"));
    }
    text.push_str("---\n");
    repo.write("0001-long.md", &text);
    // Over the default 1 MiB limit: refused without parsing.
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    assert!(has_code(&findings_for(&json, "0001-long.md"), "DL005"));
    // With the limit raised to its ceiling, the YAML budget refuses it instead: a list of
    // a million items is far past the node budget.
    let mut items = String::from("---\n");
    for _ in 0..1_000_000 {
        items.push_str("- x\n");
    }
    items.push_str("---\n");
    repo.write("0001-long.md", &items);
    fs::write(
        repo.root().join(".declint.yml"),
        "max_file_bytes: 4194304\n",
    )
    .expect("config");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let found = findings_for(&json, "0001-long.md");
    assert!(has_code(&found, "DL002"), "{found:?}");
}

#[test]
fn nul_bytes_and_invalid_utf8_are_located_findings() {
    let repo = Repo::new();
    repo.write("0001-nul.md", fixture("0001-nul-byte.md"));
    repo.write("0002-utf8.md", fixture("0002-invalid-utf8-key.md"));
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let nul = findings_for(&json, "0001-nul.md");
    assert!(has_code(&nul, "DL005"), "{nul:?}");
    let utf8 = findings_for(&json, "0002-utf8.md");
    assert!(has_code(&utf8, "DL005"), "{utf8:?}");
    let line = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("0002-utf8.md"))
        })
        .map(|f| f["line"].as_u64());
    assert_eq!(
        line,
        Some(Some(3)),
        "the finding points at the bad key's line"
    );
}

#[test]
fn terminal_escapes_are_harmless_in_text_and_escaped_in_json() {
    let repo = Repo::new();
    repo.write("0001-escapes.md", fixture("0001-terminal-escapes.md"));
    repo.write("0002-raw.md", fixture("0002-raw-escape-in-yaml.md"));
    for format in ["human", "concise", "github"] {
        let run = repo.check(&["--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(
            !run.raw_stdout.contains(&0x1b) && !run.raw_stdout.contains(&0x07),
            "{format} output carries a raw escape: {:?}",
            run.stdout
        );
        assert!(
            !run.stdout.contains('\u{9b}') && !run.stdout.contains('\u{202e}'),
            "{format} output carries a C1 control or a bidi override"
        );
    }
    let run = repo.check(&["--format", "sarif"]);
    assert!(
        !run.raw_stdout.contains(&0x1b),
        "SARIF escapes as JSON does"
    );
    let run = repo.check(&["--format", "json"]);
    assert!(!run.raw_stdout.contains(&0x1b));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON parses");
    // The escape is still there in the data, escaped by JSON, for tools to see.
    assert!(run.stdout.contains("\\u001b"), "{}", run.stdout);
    assert!(json["findings"].as_array().is_some_and(|f| !f.is_empty()));
}

#[cfg(unix)]
#[test]
fn symlink_outside_the_repository_is_not_followed() {
    let outside = tempfile::tempdir().expect("outside dir");
    let secret = outside.path().join("secret.md");
    fs::write(&secret, "---\ntitle: TOP-SECRET-CONTENT\n---\n").expect("secret");
    let repo = Repo::new();
    std::os::unix::fs::symlink(&secret, repo.decisions().join("0001-out.md")).expect("symlink");
    std::os::unix::fs::symlink("/etc/passwd", repo.decisions().join("0002-passwd.md"))
        .expect("symlink");
    std::os::unix::fs::symlink("/dev/zero", repo.decisions().join("0003-zero.md"))
        .expect("symlink");
    for format in ["json", "human", "concise"] {
        let run = repo.check(&["--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(!run.stdout.contains("TOP-SECRET"), "{}", run.stdout);
        assert!(!run.stdout.contains("root:"), "{}", run.stdout);
    }
    let (_, json) = repo.check_json(&[]);
    for name in ["0001-out.md", "0002-passwd.md", "0003-zero.md"] {
        let found = findings_for(&json, name);
        assert!(
            found
                .iter()
                .any(|(c, m)| c == "DL005" && m.contains("outside")),
            "{name}: {found:?}"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinked_folder_outside_the_repository_is_not_walked() {
    let outside = tempfile::tempdir().expect("outside dir");
    fs::write(outside.path().join("0009-x.md"), "TOP-SECRET-CONTENT").expect("secret");
    let repo = Repo::new();
    repo.write("0001-ok.md", VALID);
    std::os::unix::fs::symlink(outside.path(), repo.decisions().join("linked")).expect("symlink");
    let run = repo.check(&["--format", "concise"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("0009"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_findings() {
    let repo = Repo::new();
    let a = repo.decisions().join("0001-a.md");
    let b = repo.decisions().join("0002-b.md");
    std::os::unix::fs::symlink(&b, &a).expect("symlink");
    std::os::unix::fs::symlink(&a, &b).expect("symlink");
    std::os::unix::fs::symlink("0003-self.md", repo.decisions().join("0003-self.md"))
        .expect("symlink");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    for name in ["0001-a.md", "0002-b.md", "0003-self.md"] {
        assert!(has_code(&findings_for(&json, name), "DL005"), "{name}");
    }
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_in_the_folder_are_skipped_without_blocking() {
    let repo = Repo::new();
    repo.write("0001-ok.md", VALID);
    let fifo = repo.decisions().join("0002-fifo.md");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    // A device node needs root; when we are not, the FIFO alone still proves the point.
    let device = repo.decisions().join("0003-null.md");
    let _ = Command::new("mknod")
        .args([device.as_os_str(), "c".as_ref(), "1".as_ref(), "3".as_ref()])
        .stderr(Stdio::null())
        .status();
    // Also name the FIFO explicitly: an explicit path must not block either.
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["summary"]["files_checked"], 1);
    let run = repo.check(&["--format", "json", "decisions/0002-fifo.md"]);
    assert_ne!(run.code, 0, "an explicit FIFO is reported, not read");
    let run = repo.check(&["--format", "json", "decisions/0001-ok.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A symlink to the FIFO, inside the repository, is not opened either.
    std::os::unix::fs::symlink(&fifo, repo.decisions().join("0004-link.md")).expect("symlink");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1, "{json}");
    let link = findings_for(&json, "0004-link.md");
    assert!(
        link.iter()
            .any(|(c, m)| c == "DL005" && m.contains("not a regular file")),
        "{link:?}"
    );
}

#[test]
fn file_names_with_newlines_colons_and_commas_stay_one_line() {
    let repo = Repo::new();
    let names = [
        "0001-a:1:2: DL999 x.md",
        "0002-new\nline.md",
        "0003-a,b=c.md",
    ];
    for name in names {
        repo.write(name, "no front-matter\n");
    }
    let run = repo.check(&["--format", "concise"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), names.len() + 1, "{}", run.stdout);
    assert!(lines.contains(&"decisions/0001-a\\:1\\:2\\: DL999 x.md:1:1: DL001 error no front-matter: the file does not start with a `---` line"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("decisions/0002-new\\nline.md:1:1: DL001")
    );
    assert!(run.stdout.contains("decisions/0003-a,b=c.md:1:1: DL001"));
    let run = repo.check(&["--format", "github"]);
    assert_eq!(run.code, 1);
    let annotations: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), names.len(), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("file=decisions/0001-a%3A1%3A2%3A DL999 x.md,line=1,")
    );
    assert!(
        run.stdout
            .contains("file=decisions/0002-new%0Aline.md,line=1,")
    );
    assert!(
        run.stdout
            .contains("file=decisions/0003-a%2Cb=c.md,line=1,")
    );
    let run = repo.check(&["--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("SARIF parses");
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"decisions/0002-new%0Aline.md"), "{uris:?}");
    assert!(
        uris.contains(&"decisions/0001-a%3A1%3A2%3A%20DL999%20x.md"),
        "{uris:?}"
    );
    let (_, json) = repo.check_json(&[]);
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(paths.contains(&"decisions/0002-new\nline.md"), "{paths:?}");
}

#[cfg(unix)]
#[test]
fn config_symlinked_outside_the_repository_is_refused() {
    let repo = Repo::new();
    repo.write("0001-ok.md", VALID);
    let outside = tempfile::tempdir().expect("outside dir");
    let secret = outside.path().join("secret.yml");
    fs::write(&secret, "TOP-SECRET-CONTENT: [\n").expect("secret");
    std::os::unix::fs::symlink(&secret, repo.root().join(".declint.yml")).expect("symlink");
    let run = repo.check(&["--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("TOP-SECRET"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no such regular file inside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn config_paths_and_roster_outside_the_repository_are_refused() {
    let outside = tempfile::tempdir().expect("outside dir");
    fs::write(outside.path().join("0001-x.md"), "TOP-SECRET-CONTENT").expect("secret");
    fs::write(outside.path().join("people.txt"), "TOP-SECRET-NAME\n").expect("roster");
    let repo = Repo::new();
    repo.write("0001-ok.md", VALID);
    let relative = |p: &Path| {
        let depth = repo.root().components().count();
        let up = "../".repeat(depth);
        format!("{up}{}", p.display().to_string().trim_start_matches('/'))
    };
    fs::write(
        repo.root().join(".declint.yml"),
        format!("paths: [{}]\n", relative(outside.path())),
    )
    .expect("config");
    let run = repo.check(&["--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("TOP-SECRET"));
    assert!(
        run.stderr.contains("outside the repository"),
        "{}",
        run.stderr
    );

    fs::write(
        repo.root().join(".declint.yml"),
        format!("roster: {}\n", relative(&outside.path().join("people.txt"))),
    )
    .expect("config");
    let run = repo.check(&["--format", "json"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("TOP-SECRET") && !run.stderr.contains("TOP-SECRET"));
    assert!(
        run.stderr
            .contains("no such regular file inside the repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn max_file_bytes_has_a_ceiling() {
    let repo = Repo::new();
    repo.write("0001-ok.md", VALID);
    fs::write(
        repo.root().join(".declint.yml"),
        "max_file_bytes: 1000000000\n",
    )
    .expect("config");
    let run = repo.check(&[]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("max_file_bytes"), "{}", run.stderr);
}

/// Every path under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&current)
            .expect("read_dir")
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(fs::DirEntry::path);
        for entry in entries {
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path.clone());
                out.push((path, Vec::new(), meta.modified().ok()));
            } else if meta.is_file() {
                out.push((
                    path.clone(),
                    fs::read(&path).expect("read"),
                    meta.modified().ok(),
                ));
            } else {
                out.push((path, Vec::new(), None));
            }
        }
    }
    out
}

#[test]
fn check_never_writes_to_the_repository() {
    let repo = Repo::new();
    fs::remove_dir(repo.root().join(".git")).expect("plain .git dir");
    let git = git2::Repository::init(repo.root()).expect("git init");
    repo.write("0001-ok.md", VALID);
    repo.write("0002-bad.md", "no front-matter\n");
    let mut index = git.index().expect("index");
    index
        .add_all(["decisions"], git2::IndexAddOption::DEFAULT, None)
        .expect("add");
    index.write().expect("write index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let signature = git2::Signature::now("Test", "test@example.com").expect("signature");
    git.commit(Some("HEAD"), &signature, &signature, "log", &tree, &[])
        .expect("commit");
    let before = snapshot(repo.root());
    for format in ["human", "concise", "json"] {
        let run = repo.check(&["--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
    }
    assert!(
        snapshot(repo.root()) == before,
        "check changed the repository"
    );
}

#[test]
fn ignore_files_in_the_decision_folder_cannot_hide_records() {
    let repo = Repo::new();
    repo.write("0001-bad.md", "no front-matter\n");
    repo.write(".gitignore", "*.md\n");
    repo.write(".ignore", "*.md\n");
    fs::write(repo.root().join(".gitignore"), "decisions/\n").expect("root .gitignore");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1, "{json}");
    assert!(has_code(&findings_for(&json, "0001-bad.md"), "DL001"));
}
