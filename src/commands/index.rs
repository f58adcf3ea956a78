//! `declint index [--check]`: a Markdown table of the decisions in the decision folder's
//! README, between two markers. Only the text between the markers is ever replaced; a
//! README whose markers are missing, repeated or out of order is left alone with a clear
//! error. `--check` writes nothing and exits 1 when the table is stale (for CI).

use crate::error::{Error, Result};
use crate::escape::markdown_cell;
use crate::invocation::{EXIT_FINDINGS, EXIT_OK, Env, Global, write_all};
use crate::output::sarif::uri_reference;
use crate::record::Record;
use crate::workspace::Workspace;
use crate::write::Writer;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// Do not write; exit 1 when the index is stale (for CI).
    #[arg(long)]
    pub check: bool,
}

/// The line that opens the generated table.
pub const START_MARKER: &str = "<!-- declint:index:start -->";
/// The line that closes it.
pub const END_MARKER: &str = "<!-- declint:index:end -->";

pub fn run(args: IndexArgs, global: &Global, env: &Env, out: &mut dyn Write) -> Result<u8> {
    let workspace = Workspace::open(&env.cwd, global.config.as_deref())?;
    let folder = workspace
        .layout()
        .decision_folders()?
        .into_iter()
        .find(|f| f.is_dir())
        .ok_or_else(|| {
            Error::usage(
                "the configured decision folder does not exist",
                Some("create it, or run `declint init`"),
            )
        })?;
    let Refresh {
        readme,
        current,
        wanted,
    } = refresh(&workspace, &folder)?;
    let shown = workspace.layout().display(&readme);
    let wanted = match &current {
        Some(_) => wanted.map_err(|e| marker_error(&readme, e))?,
        None => new_readme(&table(
            &workspace.load_records(&[])?,
            &workspace.root,
            &folder,
        )),
    };
    if current.as_deref() == Some(wanted.as_str()) {
        if !args.check {
            write_all(out, &format!("{shown} is up to date\n"))?;
        }
        return Ok(EXIT_OK);
    }
    if args.check {
        write_all(
            out,
            &format!(
                "{shown}: the decision index is stale; run `declint index` and commit the result\n"
            ),
        )?;
        return Ok(EXIT_FINDINGS);
    }
    let writer = Writer::new(&workspace.root)?;
    match &current {
        Some(text) => writer.replace(&readme, text, &wanted)?,
        None => writer.create_new(&readme, &wanted)?,
    }
    write_all(out, &format!("{shown} updated\n"))?;
    Ok(EXIT_OK)
}

/// The index README of a decision folder: what it holds now and what it should hold.
pub struct Refresh {
    pub readme: PathBuf,
    /// The README's text; `None` when there is no README.
    pub current: Option<String>,
    /// The README with a fresh table between its markers (for a missing README: an
    /// empty text with [`MarkerError::Missing`]).
    pub wanted: std::result::Result<String, MarkerError>,
}

/// Read `folder`'s README and splice the table of the whole log into it. Shared by
/// `index` and by `new`, which refreshes an index that has markers in the same step as
/// it creates the record, so `index --check` stays green after every `new`.
pub fn refresh(workspace: &Workspace, folder: &Path) -> Result<Refresh> {
    let readme = folder.join("README.md");
    let current = match std::fs::read_to_string(&readme) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&readme, e)),
    };
    let wanted = match &current {
        Some(text) => {
            let records = workspace.load_records(&[])?;
            splice(text, &table(&records, &workspace.root, folder))
        }
        None => Err(MarkerError::Missing),
    };
    Ok(Refresh {
        readme,
        current,
        wanted,
    })
}

/// What is wrong with the markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkerError {
    Missing,
    MissingStart,
    MissingEnd,
    Repeated(&'static str, usize),
    OutOfOrder,
}

pub(crate) fn marker_error(readme: &Path, e: MarkerError) -> Error {
    let message = match e {
        MarkerError::Missing => "it has no index markers".to_string(),
        MarkerError::MissingStart => format!("it has `{END_MARKER}` but no `{START_MARKER}`"),
        MarkerError::MissingEnd => format!("it has `{START_MARKER}` but no `{END_MARKER}`"),
        MarkerError::Repeated(marker, n) => format!("`{marker}` appears {n} times"),
        MarkerError::OutOfOrder => "the end marker comes before the start marker".to_string(),
    };
    Error::Write {
        path: readme.to_path_buf(),
        message: format!("{message}; the README was left as it is"),
        help: Some(format!(
            "put exactly one `{START_MARKER}` line and one `{END_MARKER}` line where the table should go"
        )),
    }
}

/// A README holding only a heading and the table, for a folder that has none.
pub fn new_readme(table: &str) -> String {
    format!(
        "# Decision log\n\nOne Markdown file per decision. `declint new \"Title\"` starts a record; \
         `declint index` refreshes this table.\n\n{START_MARKER}\n{table}{END_MARKER}\n"
    )
}

/// Put `table` between the markers of `text`, keeping every other byte.
pub fn splice(text: &str, table: &str) -> std::result::Result<String, MarkerError> {
    let starts = marker_lines(text, START_MARKER);
    let ends = marker_lines(text, END_MARKER);
    let (start, end) = match (starts.as_slice(), ends.as_slice()) {
        ([], []) => return Err(MarkerError::Missing),
        ([], _) => return Err(MarkerError::MissingStart),
        (_, []) => return Err(MarkerError::MissingEnd),
        ([s], [e]) => (*s, *e),
        ([_], many) => return Err(MarkerError::Repeated(END_MARKER, many.len())),
        (many, _) => return Err(MarkerError::Repeated(START_MARKER, many.len())),
    };
    if end.0 < start.1 {
        return Err(MarkerError::OutOfOrder);
    }
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let table = if eol == "\n" {
        table.to_string()
    } else {
        table.replace('\n', eol)
    };
    let mut out = String::with_capacity(text.len() + table.len());
    out.push_str(text.get(..start.1).unwrap_or(""));
    out.push_str(&table);
    out.push_str(text.get(end.0..).unwrap_or(""));
    Ok(out)
}

/// Lines that are exactly `marker` (blanks around it allowed): (line start, next line start).
fn marker_lines(text: &str, marker: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == marker {
            found.push((pos, pos + line.len()));
        }
        pos += line.len();
    }
    // A marker on the very last line without a newline still closes the table.
    found
}

/// The Markdown table: id, title (linked to the file), status, decider, date, review_by.
/// Sorted by id, numbers in numeric order. Depends on the records only, never on today.
pub fn table(records: &[Record], root: &Path, folder: &Path) -> String {
    let mut rows: Vec<(&Record, String)> = records
        .iter()
        .map(|r| (r, link_target(root, folder, &r.path)))
        .collect();
    rows.sort_by_key(|row| sort_key(row.0));
    let mut out = String::from("| id | title | status | decider | date | review_by |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for (record, target) in rows {
        let title = record.title().unwrap_or_else(|| file_name(&record.path));
        let decider = record
            .fields
            .decider
            .as_ref()
            .map(|d| {
                d.value
                    .names
                    .iter()
                    .map(|n| n.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        let date = |f: &Option<crate::record::Field<crate::record::DateValue>>| {
            f.as_ref().map(|d| d.value.raw.clone()).unwrap_or_default()
        };
        out.push_str(&format!(
            "| {} | [{}]({}) | {} | {} | {} | {} |\n",
            markdown_cell(record.id().unwrap_or("")),
            markdown_cell(title),
            uri_reference(&target),
            markdown_cell(record.status().unwrap_or("")),
            markdown_cell(&decider),
            markdown_cell(&date(&record.fields.date)),
            markdown_cell(&date(&record.fields.review_by)),
        ));
    }
    out
}

fn sort_key(record: &Record) -> (u64, String, String) {
    let id = record.id().unwrap_or("");
    let digits: String = id
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (
        digits.parse().unwrap_or(u64::MAX),
        id.to_string(),
        record.path.clone(),
    )
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The record's path relative to the README's folder (`../other/0001-x.md` for a record
/// in another decision folder).
fn link_target(root: &Path, folder: &Path, path: &str) -> String {
    let full: PathBuf = root.join(path);
    if let Ok(inside) = full.strip_prefix(folder) {
        return inside.to_string_lossy().replace('\\', "/");
    }
    let depth = folder
        .strip_prefix(root)
        .map_or(0, |rel| rel.components().count());
    format!("{}{path}", "../".repeat(depth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    const TABLE: &str = "| t |\n";

    #[test]
    fn splices_between_markers_only() {
        let text =
            format!("# Log\r\n\r\nintro\r\n{START_MARKER}\r\nold\r\n{END_MARKER}\r\nafter\r\n");
        let out = splice(&text, TABLE).expect("markers");
        assert_eq!(
            out,
            format!("# Log\r\n\r\nintro\r\n{START_MARKER}\r\n| t |\r\n{END_MARKER}\r\nafter\r\n")
        );
        assert_eq!(splice(&out, TABLE).expect("markers"), out);
    }

    #[test]
    fn bad_markers_are_errors() {
        assert_eq!(splice("# x\n", TABLE), Err(MarkerError::Missing));
        assert_eq!(
            splice(&format!("{START_MARKER}\n"), TABLE),
            Err(MarkerError::MissingEnd)
        );
        assert_eq!(
            splice(&format!("{END_MARKER}\n"), TABLE),
            Err(MarkerError::MissingStart)
        );
        assert_eq!(
            splice(
                &format!("{START_MARKER}\n{START_MARKER}\n{END_MARKER}\n"),
                TABLE
            ),
            Err(MarkerError::Repeated(START_MARKER, 2))
        );
        assert_eq!(
            splice(
                &format!("{START_MARKER}\n{END_MARKER}\n{END_MARKER}\n"),
                TABLE
            ),
            Err(MarkerError::Repeated(END_MARKER, 2))
        );
        assert_eq!(
            splice(&format!("{END_MARKER}\n{START_MARKER}\n"), TABLE),
            Err(MarkerError::OutOfOrder)
        );
    }

    #[test]
    fn table_rows_are_sorted_escaped_and_linked() {
        let config = Config::default();
        let records = vec![
            Record::parse(
                "decisions/0010-b.md".into(),
                "---\ntitle: \"Pipes | and [brackets]\"\nstatus: accepted\ndecider: ana\ndate: 2024-01-02\nreview_by: 2025-01-02\n---\n".into(),
                &config,
            ),
            Record::parse("decisions/0002-a.md".into(), "# From the heading\n".into(), &config),
        ];
        let root = Path::new("/repo");
        let out = table(&records, root, &root.join("decisions"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[2],
            "| 0002 | [From the heading](0002-a.md) |  |  |  |  |"
        );
        assert_eq!(
            lines[3],
            "| 0010 | [Pipes \\| and \\[brackets\\]](0010-b.md) | accepted | ana | 2024-01-02 | 2025-01-02 |"
        );
        assert_eq!(
            link_target(root, &root.join("docs/adr"), "decisions/0001-x.md"),
            "../../decisions/0001-x.md"
        );
    }
}
