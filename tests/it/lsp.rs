//! `declint lsp` spoken to over its stdin/stdout as an editor would: initialize, open and
//! change a record, read the published diagnostics, hover, complete, ask for quick
//! fixes, shut down. Also the inputs that must not end the server (garbage frames,
//! requests out of order, files outside the log, a half-typed front-matter).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use crate::util::TODAY;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

const GOOD: &str = "---\nid: \"0001\"\ntitle: Use Postgres\nstatus: accepted\ndecider: ana\ndate: 2026-01-10\noptions: [Postgres, MySQL]\nreversal:\n  - p99 latency above 200 ms for a week\n  - licence cost above 10k a year\n---\n\n# Use Postgres\n";

/// A running server and the messages it has sent.
struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_declint"))
            .arg("lsp")
            .current_dir(dir)
            .env("DECLINT_TODAY", TODAY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("declint lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (send, inbox) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length:") {
                        length = n.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                stdout.read_exact(&mut body).unwrap();
                if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            inbox,
            next_id: 0,
        }
    }

    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(message.to_string().as_bytes());
    }

    /// Send a request and wait for its response (other messages meanwhile are kept).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(message.to_string().as_bytes());
        self.wait(|m| m["id"] == json!(id))
    }

    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .inbox
                .recv_timeout(Duration::from_secs(20))
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path) {
        let response = self.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": {}}),
        );
        assert_eq!(response["result"]["serverInfo"]["name"], "declint");
        self.notify("initialized", json!({}));
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; the exit code.
    fn finish(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null);
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap()
    }
}

/// The URI of `path`, which may not exist yet (its folder does).
fn uri(path: &Path) -> String {
    let folder = path.parent().unwrap().canonicalize().unwrap();
    format!(
        "file://{}",
        folder.join(path.file_name().unwrap()).display()
    )
}

/// `text` with one of the server's edits applied.
fn apply(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let (line, character) = (
            p["line"].as_u64().unwrap(),
            p["character"].as_u64().unwrap(),
        );
        let start: usize = text
            .split_inclusive('\n')
            .take(line as usize)
            .map(str::len)
            .sum();
        start + character as usize // ASCII test texts: units are bytes
    };
    let (start, end) = (
        offset(&edit["range"]["start"]),
        offset(&edit["range"]["end"]),
    );
    format!(
        "{}{}{}",
        &text[..start],
        edit["newText"].as_str().unwrap(),
        &text[end..]
    )
}

fn log_with(records: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("decisions")).unwrap();
    for (name, text) in records {
        std::fs::write(dir.path().join("decisions").join(name), text).unwrap();
    }
    dir
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn diagnostics_follow_the_buffer_with_the_whole_log_as_context() {
    let dir = log_with(&[("0001-db.md", GOOD)]);
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let path = dir.path().join("decisions/0002-cache.md");
    std::fs::write(&path, "").unwrap();
    let doc = uri(&path);
    // A new record that names a predecessor by id: 0001 is on disk only.
    let text = GOOD
        .replace("\"0001\"", "\"0002\"")
        .replace("Use Postgres", "Use Redis")
        .replace(
            "date: 2026-01-10\n",
            "date: 2026-01-10\nsupersedes: \"0001\"\n",
        );
    client.open(&doc, &text);
    assert_eq!(codes(&client.diagnostics(&doc)), Vec::<&str>::new());

    // Typing a wrong status: DL102 at the value, with the help line and the docs link.
    client.change(
        &doc,
        2,
        &text.replace("status: accepted", "status: acepted"),
    );
    let diagnostics = client.diagnostics(&doc);
    assert_eq!(codes(&diagnostics), ["DL102"]);
    let d = &diagnostics[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "declint");
    assert_eq!(d["range"]["start"], json!({"line": 3, "character": 8}));
    assert_eq!(d["range"]["end"], json!({"line": 3, "character": 15}));
    assert!(d["message"].as_str().unwrap().contains("\nhelp: "), "{d}");
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules.md#dl102-unknown-status"),
        "{d}"
    );

    // The same typo as an incremental change: only the range that changed is sent.
    client.change(&doc, 3, &text);
    assert_eq!(codes(&client.diagnostics(&doc)), Vec::<&str>::new());
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc, "version": 4}, "contentChanges": [
            {"range": {"start": {"line": 3, "character": 9}, "end": {"line": 3, "character": 10}}, "text": ""}
        ]}),
    );
    assert_eq!(codes(&client.diagnostics(&doc)), ["DL102"]);

    // An unknown supersedes target is a log-wide finding (DL402) on this buffer.
    client.change(
        &doc,
        3,
        &text.replace("supersedes: \"0001\"", "supersedes: \"0009\""),
    );
    assert_eq!(codes(&client.diagnostics(&doc)), ["DL402"]);

    // Half-typed front-matter: a finding, and the server carries on.
    client.change(&doc, 4, "---\nid: \"0002\"\ntitle: [unclosed\n");
    let half = client.diagnostics(&doc);
    assert!(!half.is_empty(), "{half:?}");
    client.change(&doc, 5, &text);
    assert_eq!(codes(&client.diagnostics(&doc)), Vec::<&str>::new());
    assert_eq!(client.finish(), 0);
}

#[test]
fn the_findings_equal_declint_check_on_the_same_files() {
    // Every invalid fixture, one per rule, in a log of its own.
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/invalid/decisions");
    std::fs::create_dir(dir.path().join("decisions")).unwrap();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(
                entry.path(),
                dir.path().join("decisions").join(entry.file_name()),
            )
            .unwrap();
        }
    }
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let folder = dir.path().join("decisions");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    let output = crate::util::declint(dir.path(), &["check", "-f", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut compared = 0;
    for name in &names {
        let path = folder.join(name);
        // A buffer is text: files that are not (DL005) stay on disk only.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.contains('\0') {
            continue;
        }
        compared += 1;
        let doc = uri(&path);
        client.open(&doc, &text);
        let mut got: Vec<(String, u64, String)> = client
            .diagnostics(&doc)
            .iter()
            .map(|d| {
                let message = d["message"].as_str().unwrap();
                let (message, _help) = message.split_once("\nhelp: ").unwrap();
                let (message, _name) = message.rsplit_once(" [").unwrap();
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["range"]["start"]["line"].as_u64().unwrap() + 1,
                    message.to_string(),
                )
            })
            .collect();
        let mut want: Vec<(String, u64, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == format!("decisions/{name}"))
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{name}");
    }
    assert!(compared > 20, "{compared} fixtures compared");
    assert_eq!(client.finish(), 0);
}

#[test]
fn hover_shows_rule_docs_field_meaning_and_the_linked_record() {
    let second = GOOD
        .replace("\"0001\"", "\"0002\"")
        .replace(
            "date: 2026-01-10\n",
            "date: 2026-01-10\nsupersedes: \"0001\"\n",
        )
        .replace("# Use Postgres", "# Use Postgres 17\n\nSee DL403.");
    let dir = log_with(&[("0001-db.md", GOOD), ("0002-db.md", &second)]);
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let doc = uri(&dir.path().join("decisions/0002-db.md"));
    client.open(&doc, &second);
    let hover = |client: &mut Client, line: u32, character: u32| -> String {
        let response = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": doc}, "position": {"line": line, "character": character}}),
        );
        response["result"]["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let lines: Vec<&str> = second.lines().collect();
    let line_of = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap() as u32;
    let rule = hover(&mut client, line_of("See DL403"), 6);
    assert!(
        rule.contains("DL403") && rule.contains("What it checks"),
        "{rule}"
    );
    let field = hover(&mut client, line_of("decider:"), 2);
    assert!(field.contains("named person"), "{field}");
    let linked = hover(&mut client, line_of("supersedes:"), 14);
    assert!(
        linked.contains("Use Postgres") && linked.contains("accepted"),
        "{linked}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn completion_offers_fields_statuses_people_ids_and_criteria() {
    let other = GOOD
        .replace("\"0001\"", "\"0002\"")
        .replace("decider: ana", "decider: bruno");
    let dir = log_with(&[("0001-db.md", GOOD), ("0002-x.md", &other)]);
    std::fs::write(
        dir.path().join(".declint.yml"),
        "roster:\n  - carla\n  - ana\n  - bruno\n",
    )
    .unwrap();
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let path = dir.path().join("decisions/0003-new.md");
    let doc = uri(&path);
    let text = "---\nid: \"0003\"\nstatus: \ndecider: \nsupersedes: \nevidence:\n  - date: 2026-02-01\n    criterion: \nreversal:\n  - latency above 200 ms for a week\n  - cost above 10k a year\nrev\n---\n";
    // Typing a new key makes the YAML invalid for a moment: the criteria still come from
    // the last text that parsed.
    client.open(&doc, &text.replace("rev\n", ""));
    client.change(&doc, 2, text);
    let labels = |client: &mut Client, line: u32, character: u32| -> Vec<String> {
        let response = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": doc}, "position": {"line": line, "character": character}}),
        );
        response["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let statuses = labels(&mut client, 2, 8);
    assert!(
        statuses.contains(&"accepted".to_string()) && statuses.contains(&"draft".to_string()),
        "{statuses:?}"
    );
    let people = labels(&mut client, 3, 9);
    for who in ["carla", "ana", "bruno"] {
        assert!(people.contains(&who.to_string()), "{people:?}");
    }
    let ids = labels(&mut client, 4, 12);
    assert_eq!(ids, ["0001", "0002"]);
    let criteria = labels(&mut client, 7, 15);
    assert_eq!(criteria, ["1", "2"]);
    let fields = labels(&mut client, 11, 3);
    assert!(fields.contains(&"review_by".to_string()), "{fields:?}");
    assert!(
        !fields.contains(&"status".to_string()),
        "present keys are not offered: {fields:?}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn code_actions_fix_what_is_mechanical() {
    let newer = GOOD
        .replace("id: \"0001\"", "id: 0002")
        .replace("date: 2026-01-10\n", "date: 2026-01-10\nsupersedes: [\"0001\"]\nstatuss: x\n")
        .replace("reversal:\n  - p99 latency above 200 ms for a week\n  - licence cost above 10k a year\n", "");
    let dir = log_with(&[("0001-db.md", GOOD), ("0002-db.md", &newer)]);
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let doc = uri(&dir.path().join("decisions/0002-db.md"));
    client.open(&doc, &newer);
    let diagnostics = client.diagnostics(&doc);
    let all = json!({"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}});
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc}, "range": all, "context": {"diagnostics": diagnostics}}),
    );
    let actions = response["result"].as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    let find = |needle: &str| {
        actions
            .iter()
            .find(|a| a["title"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no action with {needle:?} in {titles:?}"))
    };
    let fixed = |needle: &str, file: &str, text: &str| {
        apply(text, &find(needle)["edit"]["changes"][file][0])
    };
    let renamed = fixed("Rename `statuss`", &doc, &newer);
    assert!(renamed.contains("\nstatus: x\n"), "{renamed}");
    let quoted = fixed("Quote `0002`", &doc, &newer);
    assert!(quoted.starts_with("---\nid: \"0002\"\n"), "{quoted}");
    let skeleton = fixed("reversal:", &doc, &newer);
    assert!(
        skeleton.ends_with("reversal:\n---\n\n# Use Postgres\n"),
        "{skeleton}"
    );
    let other = uri(&dir.path().join("decisions/0001-db.md"));
    let linked = fixed("superseded_by", &other, GOOD);
    assert!(
        linked.contains("superseded_by: [\"0002\"]\n---\n")
            || linked.contains("superseded_by: \"0002\"\n---\n"),
        "{linked}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn bad_input_never_ends_the_server() {
    let dir = log_with(&[("0001-db.md", GOOD)]);
    std::fs::write(dir.path().join("README.md"), "# not a decision\n").unwrap();
    let mut client = Client::start(dir.path());
    // Out of order: a request before initialize gets ServerNotInitialized.
    let early = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(early["error"]["code"], -32002);
    client.initialize(dir.path());
    // Garbage frames: not UTF-8, not JSON, no header.
    client.send_raw(b"\xff\xfe\xfd");
    client.send_raw(b"{not json");
    // A change to a document never opened, holding a NUL (a binary file): DL005.
    let doc = uri(&dir.path().join("decisions/0001-db.md"));
    client.change(&doc, 1, "---\nid: \"0001\"\ntitle: \u{fffd}\u{0}\n---\n");
    assert_eq!(codes(&client.diagnostics(&doc)), ["DL005"]);
    // A file outside the decision folders: no diagnostics.
    let readme = uri(&dir.path().join("README.md"));
    client.open(&readme, "no front-matter here\n");
    assert_eq!(client.diagnostics(&readme), Vec::<Value>::new());
    // Unknown methods and bad params are errors, not crashes.
    assert_eq!(
        client.request("workspace/symbol", json!({}))["error"]["code"],
        -32601
    );
    assert_eq!(
        client.request("textDocument/hover", json!({"nope": 1}))["error"]["code"],
        -32602
    );
    // Still serving.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": doc}, "position": {"line": 1, "character": 1}}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Unique id"),
        "{hover}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let dir = log_with(&[("0001-db.md", GOOD)]);
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

#[test]
fn a_record_changed_on_disk_is_read_again_when_the_client_reports_it() {
    let dir = log_with(&[("0001-db.md", GOOD)]);
    let mut client = Client::start(dir.path());
    let response = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir.path()),
               "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    assert!(response["result"]["capabilities"].is_object());
    client.notify("initialized", json!({}));
    let register = client.wait(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        register["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    let second = GOOD.replace("\"0001\"", "\"0002\"");
    let doc = uri(&dir.path().join("decisions/0002-cache.md"));
    client.open(&doc, &second);
    assert_eq!(codes(&client.diagnostics(&doc)), Vec::<&str>::new());
    // Another tool gives the record on disk this buffer's id: DL401 on the buffer.
    let on_disk = dir.path().join("decisions/0001-db.md");
    std::fs::write(&on_disk, GOOD.replace("\"0001\"", "\"0002\"")).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&on_disk), "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&doc)), ["DL401"]);
    assert_eq!(client.finish(), 0);
}

#[test]
fn a_superseded_record_gets_its_missing_back_link_and_madr_fields_complete() {
    let newer = GOOD.replace("\"0001\"", "\"0002\"").replace(
        "date: 2026-01-10\n",
        "date: 2026-01-10\nsupersedes: [\"0001\"]\n",
    );
    let dir = log_with(&[("0001-db.md", GOOD), ("0002-db.md", &newer)]);
    std::fs::write(dir.path().join(".declint.yml"), "profile: madr\n").unwrap();
    let mut client = Client::start(dir.path());
    client.initialize(dir.path());
    let doc = uri(&dir.path().join("decisions/0001-db.md"));
    client.open(&doc, GOOD);
    let diagnostics = client.diagnostics(&doc);
    assert!(codes(&diagnostics).contains(&"DL403"), "{diagnostics:?}");
    let response = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": doc},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": diagnostics}}),
    );
    let action = response["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("superseded_by"))
        .unwrap_or_else(|| panic!("no back-link action in {response}"));
    let fixed = apply(GOOD, &action["edit"]["changes"][&doc][0]);
    assert!(fixed.contains("superseded_by: \"0002\"\n---\n"), "{fixed}");
    // Under `profile: madr` MADR's own keys are fields too.
    let fields = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": doc}, "position": {"line": 10, "character": 0}}),
    );
    let labels: Vec<&str> = fields["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"decision_makers"), "{labels:?}");
    assert_eq!(client.finish(), 0);
}
