//! The server's state between messages: the phase of the protocol, the log (a
//! [`LiveLog`] over the repository's decision files, open buffers in place of their
//! files), the open documents and the diagnostics last published for each.

use super::{LiveLog, buffer_record, features, log, text};
use crate::config::Config;
use crate::discover::{self, Candidate};
use crate::finding::{Finding, Severity};
use crate::invocation::Global;
use crate::record::Record;
use crate::workspace::Workspace;
use chrono::NaiveDate;
use globset::GlobSet;
use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, PublishDiagnosticsParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What the loop does after a message.
pub(crate) enum Flow {
    Continue,
    /// The client said `exit`; clean when it had asked for `shutdown` first.
    Exit {
        clean: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: requests get `ServerNotInitialized`.
    Waiting,
    Running,
    /// After `shutdown`: only `exit` is expected.
    ShutDown,
}

/// The decision log as the editor sees it.
pub(crate) struct Log {
    pub workspace: Workspace,
    /// The decision folders, repository-relative, and the excluded files: what a decision
    /// file is ([`discover::is_decision_path`]), for a buffer that is not on disk yet too.
    folders: Vec<String>,
    exclude: GlobSet,
    pub live: LiveLog,
}

impl Log {
    /// The repository-relative path of `path` when it is a decision file of this log.
    fn decision_path(&self, path: &Path) -> Option<String> {
        let layout = self.workspace.layout();
        let display = layout.display(&canonical(path));
        let inside = !Path::new(&display).is_absolute() && !display.starts_with("../");
        (inside && discover::is_decision_path(&display, &self.folders, &self.exclude))
            .then_some(display)
    }

    /// Read `display` from disk again (a buffer closed, a file changed outside the editor).
    fn reload(&mut self, display: &str) {
        let path = self.workspace.root.join(display);
        if path.exists() {
            let layout = self.workspace.layout();
            let record = layout.load(&Candidate::at(path, display.to_string()));
            self.live.put(record, &self.workspace.config);
        } else {
            self.live.remove(display, &self.workspace.config);
        }
    }
}

/// An open document: the buffer's text and, when it is a decision file, its path in the log.
pub(crate) struct Open {
    pub text: String,
    pub path: Option<String>,
    /// The buffer's record as of its last text whose front-matter parsed: completion's
    /// context (the reversal criteria) while a new line makes the YAML invalid.
    pub parsed: Option<Record>,
}

pub(crate) struct Session {
    phase: Phase,
    config: Option<PathBuf>,
    /// `--today` / `DECLINT_TODAY` when given; else today is read at each check, in the
    /// config's time zone ([`crate::timeline::today`]).
    today: Option<NaiveDate>,
    log: Option<Log>,
    open: HashMap<String, Open>,
    published: HashMap<String, Vec<Diagnostic>>,
    /// Whether the client lets the server ask to hear of files changed on disk (a
    /// checkout, a record edited elsewhere), so the log stays the one on disk.
    watch_files: bool,
}

impl Session {
    pub(crate) fn new(global: &Global) -> Self {
        Session {
            phase: Phase::Waiting,
            config: global.config.clone(),
            today: global.today,
            log: None,
            open: HashMap::new(),
            published: HashMap::new(),
            watch_files: false,
        }
    }

    fn today(&self, config: &Config) -> NaiveDate {
        crate::timeline::today(self.today, config)
    }

    /// Handle one message, appending what to send back to `replies`.
    pub(crate) fn handle(&mut self, message: Message, replies: &mut Vec<Message>) -> Flow {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let response = match self.request(request, replies) {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => {
                        log(&message);
                        Response::new_err(id, code as i32, message)
                    }
                };
                replies.push(response.into());
                Flow::Continue
            }
            Message::Notification(notification) if notification.method == "exit" => Flow::Exit {
                clean: self.phase == Phase::ShutDown,
            },
            Message::Notification(notification) => {
                if self.phase == Phase::Running {
                    self.notification(notification, replies);
                }
                Flow::Continue
            }
            Message::Response(_) => Flow::Continue,
        }
    }

    fn request(
        &mut self,
        request: Request,
        replies: &mut Vec<Message>,
    ) -> Result<Value, (ErrorCode, String)> {
        let Request { method, params, .. } = request;
        match (self.phase, method.as_str()) {
            (Phase::Waiting, "initialize") => {
                let params: lsp_types::InitializeParams = parse(params)?;
                self.watch_files = params
                    .capabilities
                    .workspace
                    .as_ref()
                    .and_then(|w| w.did_change_watched_files.as_ref())
                    .and_then(|w| w.dynamic_registration)
                    .unwrap_or(false);
                self.initialize(&params, replies);
                self.phase = Phase::Running;
                Ok(capabilities())
            }
            (Phase::Waiting, _) => Err((
                ErrorCode::ServerNotInitialized,
                format!("`{method}` before `initialize`"),
            )),
            (Phase::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                format!("`{method}` after `shutdown`"),
            )),
            (Phase::Running, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "`initialize` sent twice".to_string(),
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Ok(Value::Null)
            }
            (Phase::Running, "textDocument/hover") => {
                let params: lsp_types::HoverParams = parse(params)?;
                let at = params.text_document_position_params;
                let hover = self
                    .open
                    .get(at.text_document.uri.as_str())
                    .and_then(|open| features::hover(self.log.as_ref(), open, at.position));
                Ok(serde_json::to_value(hover).unwrap_or(Value::Null))
            }
            (Phase::Running, "textDocument/completion") => {
                let params: lsp_types::CompletionParams = parse(params)?;
                let at = params.text_document_position;
                let items = match (
                    self.log.as_ref(),
                    self.open.get(at.text_document.uri.as_str()),
                ) {
                    (Some(log), Some(open)) => features::completion(log, open, at.position),
                    _ => Vec::new(),
                };
                Ok(serde_json::to_value(items).unwrap_or(Value::Null))
            }
            (Phase::Running, "textDocument/codeAction") => {
                let params: lsp_types::CodeActionParams = parse(params)?;
                let uri = params.text_document.uri.as_str();
                let actions = match (self.log.as_ref(), self.open.get(uri)) {
                    (Some(log), Some(open)) => {
                        features::code_actions(log, &self.open, uri, open, &params)
                    }
                    _ => Vec::new(),
                };
                Ok(serde_json::to_value(actions).unwrap_or(Value::Null))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("`{method}` is not served"),
            )),
        }
    }

    fn initialize(&mut self, params: &lsp_types::InitializeParams, replies: &mut Vec<Message>) {
        #[allow(deprecated)] // `root_uri`: older clients send only this.
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|folders| folders.first())
            .map(|folder| &folder.uri)
            .or(params.root_uri.as_ref())
            .and_then(|uri| uri_path(uri.as_str()))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let started = std::time::Instant::now();
        let workspace = match Workspace::open(&root, self.config.as_deref()) {
            Ok(workspace) => workspace,
            Err(e) => {
                let message = format!("declint: {e}; checking with the default config");
                log(&message);
                replies.push(show_message(&message));
                let cwd = canonical(&root);
                Workspace {
                    root: discover::find_root(&cwd),
                    cwd,
                    config: Config::default(),
                }
            }
        };
        let layout = workspace.layout();
        let folders = crate::check_git::folder_names(&layout).unwrap_or_default();
        let exclude = layout.exclude_set().unwrap_or_else(|_| GlobSet::empty());
        let records = workspace.load_records(&[]).unwrap_or_default();
        let live = LiveLog::new(records, &workspace.config, self.today(&workspace.config));
        log(&format!(
            "read {} records under {} in {} ms",
            live.records().len(),
            workspace.root.display(),
            started.elapsed().as_millis()
        ));
        self.log = Some(Log {
            workspace,
            folders,
            exclude,
            live,
        });
    }

    fn notification(&mut self, notification: Notification, replies: &mut Vec<Message>) {
        use lsp_types::notification::{
            DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
            DidOpenTextDocument, DidSaveTextDocument, Notification as _,
        };
        let Notification { method, params } = notification;
        let changed = match method.as_str() {
            DidOpenTextDocument::METHOD => parse::<lsp_types::DidOpenTextDocumentParams>(params)
                .map(|p| self.set_text(p.text_document.uri.as_str(), p.text_document.text)),
            DidChangeTextDocument::METHOD => {
                parse::<lsp_types::DidChangeTextDocumentParams>(params).map(|p| {
                    let uri = p.text_document.uri.as_str();
                    let mut text = self
                        .open
                        .get(uri)
                        .map(|open| open.text.clone())
                        .unwrap_or_default();
                    for change in p.content_changes {
                        match change.range {
                            Some(range) => {
                                let start = text::offset(&text, range.start);
                                let end = text::offset(&text, range.end).max(start);
                                text.replace_range(start..end, &change.text);
                            }
                            None => text = change.text,
                        }
                    }
                    self.set_text(uri, text);
                })
            }
            DidSaveTextDocument::METHOD => parse::<lsp_types::DidSaveTextDocumentParams>(params)
                .map(|p| {
                    if let Some(text) = p.text {
                        self.set_text(p.text_document.uri.as_str(), text);
                    }
                }),
            DidCloseTextDocument::METHOD => parse::<lsp_types::DidCloseTextDocumentParams>(params)
                .map(|p| {
                    let uri = p.text_document.uri.as_str();
                    if let Some(Open {
                        path: Some(path), ..
                    }) = self.open.remove(uri)
                        && let Some(log) = &mut self.log
                    {
                        log.reload(&path);
                    }
                    if self.published.remove(uri).is_some_and(|d| !d.is_empty()) {
                        replies.push(diagnostics(uri, Vec::new()));
                    }
                }),
            DidChangeWatchedFiles::METHOD => {
                parse::<lsp_types::DidChangeWatchedFilesParams>(params).map(|p| {
                    let open: Vec<&str> = self
                        .open
                        .values()
                        .filter_map(|o| o.path.as_deref())
                        .collect();
                    let Some(log) = &mut self.log else {
                        return;
                    };
                    for change in p.changes {
                        let display =
                            uri_path(change.uri.as_str()).and_then(|path| log.decision_path(&path));
                        if let Some(display) = display
                            && !open.contains(&display.as_str())
                        {
                            log.reload(&display);
                        }
                    }
                })
            }
            "initialized" => {
                if self.watch_files {
                    replies.push(watch_decision_files());
                }
                return;
            }
            _ => return,
        };
        match changed {
            Ok(()) => self.publish(replies),
            Err((_, message)) => log(&message),
        }
    }

    /// A buffer's new text: parsed and checked in place of its file.
    fn set_text(&mut self, uri: &str, text: String) {
        let path = self
            .log
            .as_ref()
            .and_then(|log| uri_path(uri).and_then(|path| log.decision_path(&path)));
        let before = self.open.remove(uri);
        let was_open = before.is_some();
        let mut parsed = before.and_then(|open| open.parsed);
        if let (Some(log), Some(path)) = (&mut self.log, &path) {
            let config = &log.workspace.config;
            let record = buffer_record(path.clone(), text.clone(), config);
            if record.has_front_matter() {
                parsed = Some(record.clone());
            }
            log.live.put(record, config);
        } else if !was_open {
            log(&format!(
                "{uri} is not in a decision folder: no diagnostics"
            ));
        }
        self.open
            .insert(uri.to_string(), Open { text, path, parsed });
    }

    /// Publish the diagnostics of every open document whose diagnostics changed.
    fn publish(&mut self, replies: &mut Vec<Message>) {
        let Some(log) = &mut self.log else {
            return;
        };
        let today = crate::timeline::today(self.today, &log.workspace.config);
        let wanted: HashMap<&str, &str> = self
            .open
            .iter()
            .filter_map(|(uri, open)| Some((open.path.as_deref()?, uri.as_str())))
            .collect();
        let findings = log.live.findings(&log.workspace.config, today, |path| {
            wanted.contains_key(path)
        });
        let mut by_uri: HashMap<&str, Vec<Diagnostic>> = self
            .open
            .keys()
            .map(|uri| (uri.as_str(), Vec::new()))
            .collect();
        for finding in &findings {
            let Some(uri) = wanted.get(finding.path.as_str()) else {
                continue;
            };
            let text = log
                .live
                .record(&finding.path)
                .map_or("", |record| record.source.as_str());
            by_uri
                .entry(uri)
                .or_default()
                .push(diagnostic(text, finding));
        }
        for (uri, diagnostics) in by_uri {
            if self.published.get(uri) != Some(&diagnostics) {
                self.published.insert(uri.to_string(), diagnostics.clone());
                replies.push(self::diagnostics(uri, diagnostics));
            }
        }
    }
}

/// A finding as a diagnostic: the finding's own code, severity, span and words, the help
/// line under the message, and the rule's docs as the code's link.
pub(crate) fn diagnostic(text: &str, finding: &Finding) -> Diagnostic {
    let severity = match finding.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info | Severity::Off => DiagnosticSeverity::INFORMATION,
    };
    let href = crate::rules::find(finding.code)
        .and_then(|rule| Uri::from_str(&crate::output::sarif::help_uri(rule.meta())).ok());
    // Editors draw diagnostics in terminals too (Neovim, Helix): the message gets the
    // terminal's escaping, like every other human-facing output.
    let escape = crate::escape::terminal;
    Diagnostic {
        range: text::range(text, finding.span),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.code.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("declint".to_string()),
        message: format!(
            "{} [{}]\nhelp: {}",
            escape(&finding.message),
            finding.name,
            escape(&finding.help)
        ),
        related_information: None,
        tags: None,
        data: None,
    }
}

fn diagnostics(uri: &str, diagnostics: Vec<Diagnostic>) -> Message {
    let params = match Uri::from_str(uri) {
        Ok(uri) => serde_json::to_value(PublishDiagnosticsParams::new(uri, diagnostics, None))
            .unwrap_or(Value::Null),
        Err(_) => json!({ "uri": uri, "diagnostics": diagnostics }),
    };
    Notification::new("textDocument/publishDiagnostics".to_string(), params).into()
}

/// Ask the client to report changes to Markdown files on disk
/// (`workspace/didChangeWatchedFiles`); the answer needs no handling.
fn watch_decision_files() -> Message {
    Request::new(
        lsp_server::RequestId::from("declint/watch".to_string()),
        "client/registerCapability".to_string(),
        json!({ "registrations": [{
            "id": "declint/watch",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": { "watchers": [{ "globPattern": "**/*.md" }] }
        }]}),
    )
    .into()
}

fn show_message(message: &str) -> Message {
    Notification::new(
        "window/showMessage".to_string(),
        json!({ "type": 1, "message": message }),
    )
    .into()
}

/// What the server offers: incremental sync (a change is applied to the buffer kept here;
/// a full text is taken as well), hover, completion and quick fixes.
fn capabilities() -> Value {
    json!({
        "capabilities": {
            "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
            "hoverProvider": true,
            "completionProvider": { "triggerCharacters": [":", " ", "-", "\"", "'"] },
            "codeActionProvider": { "codeActionKinds": ["quickfix"] }
        },
        "serverInfo": { "name": "declint", "version": env!("CARGO_PKG_VERSION") }
    })
}

fn parse<P: DeserializeOwned>(params: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

/// The file a `file:` URI names.
pub(crate) fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let mut bytes = Vec::with_capacity(rest.len());
    let mut iter = rest.bytes();
    while let Some(b) = iter.next() {
        if b == b'%' {
            let hex = [iter.next()?, iter.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    Some(PathBuf::from(String::from_utf8(bytes).ok()?))
}

/// The `file:` URI of `path`.
pub(crate) fn path_uri(path: &Path) -> Option<Uri> {
    let mut uri = String::from("file://");
    for b in path.to_str()?.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Uri::from_str(&uri).ok()
}

/// `path` with symlinks resolved, for a file that may not exist yet (a new buffer): its
/// folder resolved and its name kept.
fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        match (path.parent().map(std::fs::canonicalize), path.file_name()) {
            (Some(Ok(folder)), Some(name)) => folder.join(name),
            _ => path.to_path_buf(),
        }
    })
}
