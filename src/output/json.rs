//! The JSON document: a versioned envelope around the findings (docs/json-output.md).
//! The finding shape here is the public contract, kept apart from the internal type.

use crate::finding::{Finding, Totals};
use crate::report::{Governing, Report};
use serde::Serialize;

/// Bumped on any incompatible change to the document's shape.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: Totals,
    /// With `--base`: decisions whose `affects` globs match the changed files.
    governing: &'a [Governing],
    /// With `--base`: the base the change was compared with; `null` otherwise.
    base: Option<Base<'a>>,
}

#[derive(Serialize)]
struct Base<'a> {
    /// How it was found, as the human output says it.
    description: &'a str,
    /// The merge base's commit id.
    merge_base: &'a str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    /// The display text of the file's name (crate::display_path).
    path: &'a str,
    /// The name's bytes, base64, when `path` holds an escape (a name that is not UTF-8,
    /// or holds a backslash): the name exactly. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<String>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    /// Byte offset and length of the span in the file.
    offset: usize,
    length: usize,
    message: &'a str,
    help: &'a str,
    /// The record field the finding is about; absent for a finding about the file, the
    /// record as a whole or the change.
    #[serde(skip_serializing_if = "str::is_empty")]
    field: &'a str,
    /// Held by the baseline; absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    baselined: bool,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            code: f.code,
            name: f.name,
            severity: f.severity.as_str(),
            path: &f.path,
            path_bytes: (!crate::display_path::is_literal(&f.path))
                .then(|| crate::display_path::base64(&crate::display_path::to_bytes(&f.path))),
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            offset: f.span.start,
            length: f.span.len(),
            message: &f.message,
            help: &f.help,
            field: &f.field,
            baselined: f.baselined,
        }
    }
}

pub fn render(report: &Report) -> String {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report.findings.iter().map(JsonFinding::from).collect(),
        summary: report.totals(),
        governing: &report.governing,
        base: report.compared.as_ref().map(|c| Base {
            description: &c.description,
            merge_base: &c.merge_base,
        }),
    };
    let mut text = crate::escape::json_pretty(&document);
    text.push('\n');
    text
}
