//! Untrusted pull requests (issue 12): each test builds what a hostile PR could commit and
//! asserts, through the binary, that it is escaped, confined, bounded or refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::repo::TestRepo;
use crate::util::declint_in;
use std::fs;
use std::path::Path;
use std::process::Output;

const RECORD: &str = "---\nid: \"0001\"\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\noptions: [Postgres, SQLite]\nreversal:\n  - p99 latency above 200 ms for a week\n---\n\n# Use Postgres\n";

/// `declint ARGS` in `dir` with extra environment variables.
fn declint_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = declint_in(dir);
    command.args(args).env_remove("DECLINT_YAML_FAST_PATH");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run declint")
}

fn declint(dir: &Path, args: &[&str]) -> Output {
    declint_env(dir, args, &[])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A plain folder with `.git/` and `decisions/`, for runs that need no history.
fn plain_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join(".git")).expect(".git");
    fs::create_dir(dir.path().join("decisions")).expect("decisions");
    dir
}

/// No byte a terminal or the Actions runner would act on: no ESC, BEL or C1 control, no
/// bidi mark, no CR at all, and no line that starts a workflow command.
fn assert_inert(what: &str, out: &str) {
    for c in out.chars() {
        let harmless = c == '\n' || c == '\t';
        assert!(
            harmless
                || !(c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "{what}: raw {c:?} in output:\n{out}"
        );
    }
    for line in out.lines() {
        assert!(
            !line.trim_start().starts_with("::warning") && !line.contains("\n::"),
            "{what}: a line starts a workflow command: {line}"
        );
    }
}

/// Markdown in which record text can start no HTML, link or autolink: every `<`, `(` and
/// `:` in a table row is backslash-escaped, and no `www.` is left.
fn assert_no_live_markup(what: &str, markdown: &str) {
    let separator = |l: &str| l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    for row in markdown
        .lines()
        .filter(|l| l.starts_with('|') && !separator(l))
    {
        let mut previous = ' ';
        for c in row.chars() {
            if c == '<' {
                assert_eq!(previous, '\\', "{what}: unescaped {c:?} in {row}");
            }
            previous = c;
        }
        assert!(!row.to_lowercase().contains("www."), "{what}: {row}");
        assert!(!row.contains("https://"), "{what}: {row}");
        assert!(
            !row.contains("\u{202e}") || row.contains("\\\\u{202e}"),
            "{what}: {row}"
        );
    }
}

#[test]
fn config_text_in_error_messages_is_escaped_in_every_format() {
    let hostile = [
        "rules: {\"DL1\\e]0;X\\a\\r::warning::forged\": off}\n",
        "profile: \"bad\\r::warning::forged\"\n",
        "required: [\"nope\\e[31m\\r::warning::forged\"]\n",
        "exclude: [\"[\\e\\r::warning::forged\"]\n",
        "id_pattern: \"(\\e\\r::warning::forged\"\n",
        "roster: \"people\\e\\r::warning::forged.txt\"\n",
        "paths: [\"docs\\e\\r::warning::forged\"]\n",
        // The raw bytes themselves in the file, for the snippet.
        "profile: bad\u{1b}]0;X\u{7}\r::warning::forged\n",
    ];
    for config in hostile {
        let dir = plain_repo();
        fs::write(dir.path().join("decisions/0001-a.md"), RECORD).expect("record");
        fs::write(dir.path().join(".declint.yml"), config).expect("config");
        for (format, env) in [
            ("human", vec![]),
            ("json", vec![]),
            ("github", vec![("GITHUB_ACTIONS", "true")]),
        ] {
            let out = declint_env(dir.path(), &["check", "-f", format], &env);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{config}: {}",
                text(&out.stderr)
            );
            assert_inert(config, &text(&out.stderr));
            assert_inert(config, &text(&out.stdout));
        }
    }
}

#[test]
fn git_errors_naming_a_ref_are_escaped() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-db.md", RECORD);
    repo.commit("initial", 1_768_003_200);
    let out = declint(
        repo.path(),
        &["check", "--base", "nope\u{1b}[2J\r::warning::forged"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_inert("--base", &text(&out.stderr));
}

#[test]
fn finding_past_column_65536_does_not_panic() {
    let padding = " ".repeat(65_536);
    let dir = plain_repo();
    fs::write(
        dir.path().join("decisions/0001-a.md"),
        format!("---\nstatus: {padding}bogus\n---\n# T\n"),
    )
    .expect("record");
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = declint(dir.path(), &["check", "-f", format]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("bogus"), "{format}");
    }
    let out = declint(dir.path(), &["check"]);
    assert!(text(&out.stdout).contains("(decisions/0001-a.md:2:"));

    fs::write(
        dir.path().join(".declint.yml"),
        format!("profile: {padding}bad\n"),
    )
    .expect("config");
    for (format, env) in [
        ("human", vec![]),
        ("github", vec![("GITHUB_ACTIONS", "true")]),
    ] {
        let out = declint_env(dir.path(), &["check", "-f", format], &env);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{format}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stderr).contains("65546"), "{}", text(&out.stderr));
    }
}

const HOSTILE_NAME: &str =
    "bo\u{1b}[31m\u{7}\r::warning::x <img src=x onerror=alert(1)> https://evil.example \u{202e}txt";

fn hostile_log() -> tempfile::TempDir {
    let dir = plain_repo();
    let record = format!(
        "---\nid: \"0001\"\ntitle: \"{t}\"\nstatus: accepted\ndecider: \"{t}\"\ndate: 2026-01-10\nreview_by: 2026-02-01\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms\n---\n# T\n",
        t = HOSTILE_NAME
            .replace('\u{1b}', "\\e")
            .replace('\u{7}', "\\a")
            .replace('\r', "\\r")
    );
    fs::write(dir.path().join("decisions/0001-a.md"), record).expect("record");
    dir
}

#[test]
fn digest_and_grouped_stats_escape_names_titles_and_links() {
    let repo = crate::repo::TestRepo::new();
    let t = HOSTILE_NAME
        .replace('\u{1b}', "\\e")
        .replace('\u{7}', "\\a")
        .replace('\r', "\\r");
    repo.write(
        "decisions/0001-a.md",
        &format!("---\nid: \"0001\"\ntitle: \"{t}\"\nstatus: proposed\ndecider: \"{t}\"\nraised: 2026-05-20\ntags: [\"{t}\"]\n---\n# T\n"),
    );
    repo.write(
        "decisions/0002-b.md",
        &format!(
            "---\nid: \"0002\"\ntitle: \"{t}\"\nstatus: proposed\ndecider: \"{t}\"\n---\n# T\n"
        ),
    );
    repo.commit("hostile", 1_780_000_000);
    let out = declint(repo.path(), &["digest", "--since", "30d"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let markdown = text(&out.stdout);
    assert!(markdown.contains("### Stuck questions (1)"), "{markdown}");
    assert!(markdown.contains("per person"), "{markdown}");
    assert_inert("digest", &markdown);
    assert_no_live_markup("digest", &markdown);
    let out = declint(repo.path(), &["digest", "-f", "json"]);
    assert!(text(&out.stdout).contains("onerror"), "JSON stays lossless");
    assert_inert("digest -f json", &text(&out.stdout));
    for by in ["tag", "decider"] {
        let out = declint(
            repo.path(),
            &["stats", "--history", "--by", by, "-f", "markdown"],
        );
        let markdown = text(&out.stdout);
        assert!(markdown.contains("### By "), "{markdown}");
        assert_inert("stats --by", &markdown);
        assert_no_live_markup("stats --by", &markdown);
    }
}

#[test]
fn stats_escapes_names_for_the_terminal_and_markdown() {
    let dir = hostile_log();
    let out = declint(dir.path(), &["stats"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let human = text(&out.stdout);
    assert_inert("stats", &human);
    assert!(
        human.contains("bo\\u{1b}[31m\\u{7}\\r::warning::x"),
        "{human}"
    );

    let out = declint(dir.path(), &["stats", "-f", "markdown"]);
    let markdown = text(&out.stdout);
    assert_inert("stats -f markdown", &markdown);
    assert_no_live_markup("stats -f markdown", &markdown);

    let out = declint(dir.path(), &["stats", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(json.to_string().contains("onerror"), "JSON stays lossless");
    assert_inert("stats -f json", &text(&out.stdout));
}

#[test]
fn index_writes_no_raw_control_characters_or_html_into_the_readme() {
    let dir = hostile_log();
    fs::write(
        dir.path().join("decisions/README.md"),
        "# Log\n\n<!-- declint:index:start -->\n<!-- declint:index:end -->\n",
    )
    .expect("readme");
    let out = declint(dir.path(), &["index"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let readme = fs::read_to_string(dir.path().join("decisions/README.md")).expect("readme");
    assert_inert("README", &readme);
    assert_no_live_markup("README", &readme);
}

#[test]
fn job_summary_shows_bidi_marks_and_links_no_bare_urls() {
    let dir = hostile_log();
    fs::write(
        dir.path().join("decisions/0002-b.md"),
        "---\nid: \"0002\"\ntitle: T\nstatus: \"x \u{2066}y https://evil.example www.evil.example\"\n---\n# T\n",
    )
    .expect("record");
    let summary = dir.path().join("summary.md");
    let summary_arg = summary.display().to_string();
    let out = declint(dir.path(), &["check", "--summary", &summary_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let markdown = fs::read_to_string(&summary).expect("summary");
    assert_inert("summary", &markdown);
    assert_no_live_markup("summary", &markdown);
    assert!(markdown.contains("\\\\u{2066}"), "{markdown}");
}

#[cfg(unix)]
#[test]
fn symlinked_parent_of_a_default_folder_is_not_walked() {
    let top = tempfile::tempdir().expect("temp dir");
    let repo = top.path().join("repo");
    fs::create_dir_all(repo.join(".git")).expect("repo");
    fs::create_dir_all(top.path().join("outside/adr")).expect("outside");
    fs::write(
        top.path().join("outside/adr/0001-x.md"),
        "---\ntitle: TOP-SECRET-CONTENT\n---\n# TOP-SECRET-CONTENT\n",
    )
    .expect("secret");
    std::os::unix::fs::symlink("../outside", repo.join("docs")).expect("symlink");
    for format in ["human", "json"] {
        let out = declint(&repo, &["check", "-f", format]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        assert!(
            !text(&out.stdout).contains("TOP-SECRET"),
            "{}",
            text(&out.stdout)
        );
        assert!(!text(&out.stderr).contains("TOP-SECRET"));
        assert!(
            text(&out.stderr).contains("outside the repository"),
            "{}",
            text(&out.stderr)
        );
    }
    let out = declint(&repo, &["list"]);
    assert!(!text(&out.stdout).contains("TOP-SECRET"));
}

#[cfg(unix)]
#[test]
fn nothing_under_dot_git_is_read_as_a_record() {
    let dir = plain_repo();
    fs::write(
        dir.path().join(".git/config"),
        "[core]\n\trepositoryformatversion = 0\n# GIT-CONFIG-CONTENT\n",
    )
    .expect("git config");
    fs::write(dir.path().join("decisions/0001-a.md"), RECORD).expect("record");
    std::os::unix::fs::symlink("../.git/config", dir.path().join("decisions/0008-x.md"))
        .expect("symlink");
    let out = declint(dir.path(), &["check", "-f", "json"]);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("GIT-CONFIG-CONTENT"), "{stdout}");
    assert!(!stdout.contains("repositoryformatversion"), "{stdout}");
    assert!(stdout.contains("into `.git`"), "{stdout}");
    let out = declint(dir.path(), &["check"]);
    assert!(!text(&out.stdout).contains("repositoryformatversion"));

    // Nor as a decision folder or a roster.
    fs::write(dir.path().join(".declint.yml"), "paths: [.git]\n").expect("config");
    let out = declint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    fs::write(dir.path().join(".declint.yml"), "roster: .git/config\n").expect("config");
    let out = declint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(!text(&out.stderr).contains("repositoryformatversion"));
}

#[test]
fn roster_outside_and_missing_roster_get_the_same_message() {
    let dir = plain_repo();
    fs::write(dir.path().join("decisions/0001-a.md"), RECORD).expect("record");
    let depth = dir.path().components().count();
    let up = "../".repeat(depth + 2);
    let message = |roster: &str| {
        fs::write(
            dir.path().join(".declint.yml"),
            format!("roster: \"{roster}\"\n"),
        )
        .expect("config");
        let out = declint(dir.path(), &["check"]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        // The path differs; what is said about it may not.
        let stderr = text(&out.stderr);
        stderr.replace(roster, "ROSTER")
    };
    let existing = message(&format!("{up}etc/passwd"));
    let missing = message(&format!("{up}etc/no-such-file-here"));
    let missing_inside = message("people-nowhere.txt");
    assert_eq!(existing, missing);
    assert!(
        existing.contains("no such regular file inside the repository"),
        "{existing}"
    );
    assert!(missing_inside.contains("no such regular file inside the repository"));
}

#[test]
fn config_lists_and_globs_are_bounded() {
    let dir = plain_repo();
    fs::write(dir.path().join("decisions/0001-a.md"), RECORD).expect("record");
    let globs: Vec<String> = (0..3_900).map(|i| format!("\"x{i}/**/*.md\"")).collect();
    let cases = [
        (format!("exclude: [{}]\n", globs.join(", ")), "3900 globs"),
        (
            format!("exclude: [\"{}\"]\n", "a".repeat(2_000)),
            "2000 bytes",
        ),
        (
            format!(
                "roster: [{}]\n",
                (0..10_001)
                    .map(|i| format!("p{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "10001 entries",
        ),
    ];
    for (config, said) in cases {
        fs::write(dir.path().join(".declint.yml"), &config).expect("config");
        let out = declint(dir.path(), &["check"]);
        assert_eq!(out.status.code(), Some(2), "{said}: {}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains(said),
            "{said}: {}",
            text(&out.stderr)
        );
    }
    let too_big = format!("# {}\n", "x".repeat(2 * 1024 * 1024));
    let config = dir.path().join("big.yml");
    fs::write(&config, too_big).expect("config");
    let config_arg = config.display().to_string();
    let out = declint(dir.path(), &["check", "--config", &config_arg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("over the limit"),
        "{}",
        text(&out.stderr)
    );
}

/// A record with `extra` front-matter lines after a complete, valid head.
fn record_with(extra: &str) -> String {
    format!(
        "---\nid: \"0001\"\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\noptions: [a, b]\nreversal:\n  - p99 latency above 200 ms\n{extra}---\n# T\n"
    )
}

/// `check -f json` on one record: every finding's code, and the `list -f json` title.
fn codes_and_title(front: &str, env: &[(&str, &str)]) -> (Vec<String>, serde_json::Value) {
    let dir = plain_repo();
    fs::write(dir.path().join("decisions/0001-a.md"), record_with(front)).expect("record");
    let out = declint_env(dir.path(), &["check", "-f", "json"], env);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{front}: {e}: {}", text(&out.stderr)));
    let codes = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["code"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let out = declint_env(dir.path(), &["list", "-f", "json"], env);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list json");
    (codes, list["decisions"][0]["title"].clone())
}

#[test]
fn records_are_read_as_yaml_1_2_core_schema() {
    for env in [vec![], vec![("DECLINT_YAML_FAST_PATH", "off")]] {
        // A string field keeps the text as written.
        for title in [
            "Yes",
            "No",
            "on",
            "0b1010",
            "1_000",
            "0xFF_FF",
            "0x1F",
            "1.50",
            "1e999",
            ".inf",
            "+7",
            "18446744073709551616",
        ] {
            let (codes, shown) = codes_and_title(&format!("title: {title}\n"), &env);
            assert_eq!(shown, serde_json::json!(title), "{title} {env:?}");
            assert!(
                !codes
                    .iter()
                    .any(|c| c.starts_with("DL003") || c.starts_with("DL002")),
                "{title}: {codes:?}"
            );
        }
        // `No` is a name, not `false`.
        let (codes, _) = codes_and_title("title: T\nagree: [No]\n", &env);
        assert!(!codes.iter().any(|c| c.contains("false")), "{codes:?}");
        // Non-finite numbers anywhere are numbers, not broken front-matter.
        for value in [".inf", ".nan", "-.inf", "1e999"] {
            let (codes, _) = codes_and_title(&format!("title: T\nweight: {value}\n"), &env);
            assert!(
                !codes.iter().any(|c| c.starts_with("DL002")),
                "{value}: {codes:?}"
            );
        }
        // An id past 64 bits is its digits, not a float.
        let dir = plain_repo();
        fs::write(
            dir.path().join("decisions/18446744073709551616-a.md"),
            record_with("title: T\n").replace("id: \"0001\"", "id: 18446744073709551616"),
        )
        .expect("record");
        let out = declint_env(dir.path(), &["check", "-f", "json"], &env);
        assert!(
            !text(&out.stdout).contains("DL109"),
            "{}",
            text(&out.stdout)
        );
        // Merge keys are not applied: `<<` is an ordinary (unknown) key.
        let (codes, _) = codes_and_title("title: T\n<<: {superseded_by: \"0009\"}\n", &env);
        assert!(
            !codes
                .iter()
                .any(|c| c.contains("0009") && !c.contains("<<")),
            "{codes:?}"
        );
        // An unknown tag is an error at the tag; `!!null` on text is an error, not null.
        for bad in ["title: !custom x\n", "title: !!null foo\n"] {
            let (codes, _) = codes_and_title(bad, &env);
            assert!(
                codes.iter().any(|c| c.starts_with("DL002")),
                "{bad}: {codes:?}"
            );
        }
    }
}

#[test]
fn config_is_read_as_yaml_1_2() {
    let dir = plain_repo();
    fs::write(dir.path().join("decisions/0001-a.md"), RECORD).expect("record");
    fs::write(dir.path().join(".declint.yml"), "roster: [ana, No]\n").expect("config");
    let out = declint(dir.path(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    fs::write(dir.path().join(".declint.yml"), "<<: {max_open: 1}\n").expect("config");
    let out = declint(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2), "merge key is an unknown key");
    assert!(text(&out.stderr).contains("<<"), "{}", text(&out.stderr));
}

#[test]
fn yaml_fast_path_can_be_turned_off_and_agrees() {
    let dir = plain_repo();
    fs::write(dir.path().join("decisions/0001-a.md"), RECORD).expect("record");
    fs::write(
        dir.path().join("decisions/0002-b.md"),
        record_with("title: \"B\"\npriority: 2\n").replace("0001", "0002"),
    )
    .expect("record");
    let on = declint(dir.path(), &["check", "-f", "json"]);
    let off = declint_env(
        dir.path(),
        &["check", "-f", "json"],
        &[("DECLINT_YAML_FAST_PATH", "off")],
    );
    assert_eq!(text(&on.stdout), text(&off.stdout));
    assert_eq!(on.status.code(), off.status.code());
}

#[cfg(unix)]
#[test]
fn deleting_a_decision_with_a_non_utf8_name_is_still_a_deletion() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    repo.write("decisions/0002-b.md", &RECORD.replace("0001", "0002"));
    let name = std::ffi::OsStr::from_bytes(b"0001-a\xff.md");
    let hostile = repo.path().join("decisions").join(name);
    fs::write(&hostile, RECORD).expect("non-UTF-8 name");
    repo.commit("log with a non-UTF-8 name", 1_768_003_200);
    repo.branch("feature");
    fs::remove_file(&hostile).expect("delete");
    repo.commit("delete it", 1_768_003_260);
    for head in [vec!["--head", "feature"], vec![]] {
        let mut args = vec!["check", "--base", "main", "-f", "json"];
        args.extend(head.iter().copied());
        let out = declint(repo.path(), &args);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {stdout}{}",
            text(&out.stderr)
        );
        assert!(stdout.contains("DL505"), "{stdout}");
        assert!(stdout.contains("0001-a\\\\xff.md"), "{stdout}");
        let out = declint(repo.path(), &args[..4]);
        assert_inert("human", &text(&out.stdout));
    }
}

/// The bytes `base64 -d` (coreutils, not our code) reads back from a JSON `path_bytes`.
#[cfg(unix)]
fn decode_base64(text: &str) -> Vec<u8> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("base64")
        .arg("-d")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("coreutils base64");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    child.wait_with_output().expect("base64 -d").stdout
}

/// Issue 12 item 5 (remainder): a non-UTF-8 name is one display text in every mode (the
/// working tree no longer shows it lossily as U+FFFD), JSON carries its bytes exactly,
/// SARIF percent-encodes them, and `--base` against the working tree reads such a file.
#[cfg(unix)]
#[test]
fn non_utf8_names_are_lossless_in_json_sarif_and_every_mode() {
    use std::os::unix::ffi::OsStrExt;
    let undecided = RECORD.replace("decider: ana\n", "");
    let repo = TestRepo::new();
    repo.write("decisions/0002-b.md", &RECORD.replace("0001", "0002"));
    let committed = repo
        .path()
        .join(std::ffi::OsStr::from_bytes(b"decisions/0001-a\xff.md"));
    fs::write(&committed, &undecided).expect("non-UTF-8 name");
    repo.commit("log with a non-UTF-8 name", 1_768_003_200);

    let findings_on = |args: &[&str]| -> Vec<serde_json::Value> {
        let out = declint(repo.path(), args);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
        json["findings"].as_array().expect("findings").clone()
    };
    for args in [
        &["check", "-f", "json"][..],
        &["check", "--base", "main", "--head", "HEAD", "-f", "json"][..],
        &["check", "--staged", "-f", "json"][..],
    ] {
        let found = findings_on(args);
        let dl201: Vec<&serde_json::Value> =
            found.iter().filter(|f| f["code"] == "DL201").collect();
        assert_eq!(dl201.len(), 1, "{args:?}: {found:?}");
        assert_eq!(dl201[0]["path"], "decisions/0001-a\\xff.md", "{args:?}");
        let bytes = decode_base64(dl201[0]["path_bytes"].as_str().expect("path_bytes"));
        assert_eq!(bytes, b"decisions/0001-a\xff.md", "{args:?}");
        // A plain name has no path_bytes.
        assert!(
            found
                .iter()
                .filter(|f| f["path"] == "decisions/0002-b.md")
                .all(|f| f.get("path_bytes").is_none())
        );
    }

    let out = declint(repo.path(), &["check", "-f", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"decisions/0001-a%FF.md"), "{uris:?}");

    // A PR adds another such record, not yet committed: `--base` reads it from the
    // working tree (it used to look for a file named with the `\xfe` text: DL005).
    repo.branch("feature");
    let added = repo
        .path()
        .join(std::ffi::OsStr::from_bytes(b"decisions/0003-c\xfe.md"));
    fs::write(&added, undecided.replace("0001", "0003")).expect("added");
    let found = findings_on(&["check", "--base", "main", "-f", "json"]);
    let on_added: Vec<&str> = found
        .iter()
        .filter(|f| f["path"] == "decisions/0003-c\\xfe.md")
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(on_added.contains(&"DL201"), "{found:?}");
    assert!(!on_added.contains(&"DL005"), "{found:?}");
}

#[test]
fn paths_globs_find_one_log_per_team() {
    let repo = TestRepo::new();
    repo.write("teams/a/adr/0001-a.md", RECORD);
    repo.write("teams/b/adr/0002-b.md", &RECORD.replace("0001", "0002"));
    repo.write("teams/b/notes/0003-c.md", "not a decision");
    repo.write(".declint.yml", "paths: [\"teams/*/adr\"]\n");
    let out = declint(repo.path(), &["check", "-f", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["summary"]["files_checked"],
        serde_json::json!(2),
        "{json}"
    );
    let out = declint(repo.path(), &["list", "-f", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("list");
    assert_eq!(
        list["decisions"].as_array().map(Vec::len),
        Some(2),
        "{list}"
    );

    repo.write(".declint.yml", "paths: [\"teams/**/adr\"]\n");
    let out = declint(repo.path(), &["check", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The PR path: a deleted record under a globbed folder is still DL505.
    repo.commit("two team logs", 1_768_003_200);
    repo.branch("feature");
    repo.remove("teams/b/adr/0002-b.md");
    repo.commit("drop b", 1_768_003_260);
    let out = declint(repo.path(), &["check", "--base", "main", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("DL505"), "{}", text(&out.stdout));

    repo.write(".declint.yml", "paths: [\"nowhere/*/adr\"]\n");
    let out = declint(repo.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("matches no folder"),
        "{}",
        text(&out.stderr)
    );
}

/// The one DL005 finding `check --history -f json` gives on a history whose working tree
/// is clean: a warning (history cannot be edited), so the exit code stays 0.
fn history_dl005(repo: &TestRepo) -> serde_json::Value {
    let out = declint(repo.path(), &["check", "-f", "json"]);
    assert!(
        !text(&out.stdout).contains("DL005"),
        "{}",
        text(&out.stdout)
    );
    let out = declint(repo.path(), &["check", "--history", "-f", "json"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    let found: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "DL005")
        .collect();
    assert_eq!(found.len(), 1, "{stdout}");
    assert_eq!(found[0]["severity"], "warning", "{stdout}");
    found[0].clone()
}

#[test]
fn history_version_that_is_not_utf8_is_dl005_naming_path_and_commit() {
    // One bytes → record path (issue 13): a past version in Latin-1 is DL005 in the
    // commit that brought it in, exactly as the working tree's file would be, never a
    // version that silently reads as empty.
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", RECORD);
    // "Use Café" with é as the single Latin-1 byte 0xE9.
    let latin1: Vec<u8> = RECORD
        .replace("0001", "0002")
        .replace("Use Postgres", "Use Caf\u{1}")
        .bytes()
        .map(|b| if b == 1 { 0xe9 } else { b })
        .collect();
    assert!(std::str::from_utf8(&latin1).is_err());
    repo.write_bytes("decisions/0002-b.md", &latin1);
    let commit = repo
        .commit("a record saved as Latin-1", 1_768_003_200)
        .to_string();
    repo.write("decisions/0002-b.md", &RECORD.replace("0001", "0002"));
    repo.commit("save it as UTF-8", 1_768_003_260);

    let found = history_dl005(&repo);
    assert_eq!(found["path"], "decisions/0002-b.md", "{found}");
    let message = found["message"].as_str().expect("message");
    assert!(message.contains(&commit[..10]), "{message}");
    assert!(message.contains("UTF-8"), "{message}");

    let out = declint(repo.path(), &["stats", "--history", "-f", "json"]);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(stats["unread"].as_array().map(Vec::len), Some(1), "{stats}");
}

#[test]
fn history_version_over_max_file_bytes_is_a_finding_naming_path_and_commit() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", RECORD);
    // A 2 MiB version of a record, in an older commit; the file is small again now.
    let big = RECORD.replace("0001", "0002") + &"padding line\n".repeat(2 * 1024 * 1024 / 13);
    assert!(big.len() > 2 * 1024 * 1024 - 64);
    repo.write("decisions/0002-big.md", &big);
    let commit = repo.commit("a huge record", 1_768_003_200).to_string();
    repo.write("decisions/0002-big.md", &RECORD.replace("0001", "0002"));
    repo.commit("shrink it", 1_768_003_260);

    let finding = history_dl005(&repo);
    assert_eq!(finding["path"], "decisions/0002-big.md", "{finding}");
    let message = finding["message"].as_str().expect("message");
    assert!(message.contains(&commit[..10]), "{message}");
    assert!(
        message.contains(&format!("{} bytes", big.len())),
        "{message}"
    );
    assert!(message.contains("over the limit of 1048576"), "{message}");

    // `rules:` raises it like any audit finding.
    repo.write(".declint.yml", "rules:\n  DL005: error\n");
    let out = declint(repo.path(), &["check", "--history"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    repo.remove(".declint.yml");

    // stats --history leaves it out of the figures and says so.
    let out = declint(repo.path(), &["stats", "--history", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let unread = stats["unread"].as_array().expect("unread");
    assert_eq!(unread.len(), 1, "{stats}");
    assert_eq!(unread[0]["code"], "DL005");
    assert_eq!(unread[0]["path"], "decisions/0002-big.md");
    assert!(
        unread[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&commit[..10])),
        "{stats}"
    );
    let out = declint(repo.path(), &["stats", "--history"]);
    let human = text(&out.stdout);
    assert!(
        human.contains("DL005 decisions/0002-big.md: in commit"),
        "{human}"
    );
    // Without --history there is no such list.
    let out = declint(repo.path(), &["stats", "-f", "json"]);
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(stats.get("unread").is_none(), "{stats}");
}
