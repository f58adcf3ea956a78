//! The repository a command works in: its root, the working directory, the config, and
//! the decision files under them (resolved once per run, shared by every command).

use crate::config::{
    CONFIG_NAMES, Config, KnownNames, MAX_CONFIG_BYTES, MAX_LIST_ENTRIES, Profile,
    parse_roster_file,
};
use crate::discover::{self, Candidate, Layout};
use crate::error::{Error, Result};
use crate::people::Roster;
use crate::record::Record;
use crate::record::field_table::field_names;
use crate::rules;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The repository, its config and where its files are, resolved once per run.
pub struct Workspace {
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub config: Config,
}

impl Workspace {
    pub fn open(cwd: &Path, config: Option<&Path>) -> Result<Workspace> {
        let cwd = std::fs::canonicalize(cwd).map_err(|e| Error::io(cwd, e))?;
        let root = discover::find_root(&cwd);
        let config = Config::discover(config.map(|c| cwd.join(c)).as_deref(), &cwd, &root)?;
        Ok(Workspace { root, cwd, config })
    }

    pub fn layout(&self) -> Layout<'_> {
        Layout {
            root: &self.root,
            cwd: &self.cwd,
            config: &self.config,
        }
    }

    /// Read and parse every decision file under `paths` (or the decision folders).
    pub fn load_records(&self, paths: &[PathBuf]) -> Result<Vec<Record>> {
        let layout = self.layout();
        let candidates = layout.candidates(paths)?;
        Ok(candidates.par_iter().map(|c| layout.load(c)).collect())
    }

    /// The files to check for `paths`: when some of them belong to the decision log
    /// (pre-commit passes only the files a commit touches), the whole log is checked too so
    /// that log-wide rules (duplicate ids, links, counts, bottleneck) see every record; the
    /// returned set then names the files to report on (decisions/0031).
    pub fn candidates_in_context(
        &self,
        paths: &[PathBuf],
    ) -> Result<(Vec<Candidate>, Option<HashSet<String>>)> {
        let layout = self.layout();
        let given = layout.candidates(paths)?;
        if paths.is_empty() || self.names_the_log(paths) {
            return Ok((given, None));
        }
        // No decision folder (files checked outside any log): the given files are all.
        let log = layout.candidates(&[]).unwrap_or_default();
        let in_log: HashSet<&str> = log.iter().map(|c| c.display.as_str()).collect();
        if !given.iter().any(|c| in_log.contains(c.display.as_str())) {
            return Ok((given, None));
        }
        let report_on: HashSet<String> = given.iter().map(|c| c.display.clone()).collect();
        let mut all = log;
        all.extend(given);
        all.sort_by(|a, b| a.display.cmp(&b.display));
        all.dedup_by(|a, b| a.display == b.display);
        Ok((all, Some(report_on)))
    }

    /// The files to report on when the log itself is read from git (`check --staged`):
    /// `paths` as the working-tree check would name them, or `None` (the whole log) when no
    /// path is given or the paths are the decision folders.
    pub fn files_to_report_on(&self, paths: &[PathBuf]) -> Result<Option<HashSet<String>>> {
        if paths.is_empty() || self.names_the_log(paths) {
            return Ok(None);
        }
        let given = self.layout().candidates(paths)?;
        Ok(Some(given.into_iter().map(|c| c.display).collect()))
    }

    /// Whether `paths` are exactly the decision folders (`declint check decisions/`), so
    /// the log need not be walked a second time.
    fn names_the_log(&self, paths: &[PathBuf]) -> bool {
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        let Ok(folders) = self.layout().decision_folders() else {
            return false;
        };
        let folders: HashSet<PathBuf> = folders.iter().filter_map(|f| canonical(f)).collect();
        let given: HashSet<PathBuf> = paths
            .iter()
            .filter_map(|p| canonical(&self.cwd.join(p)))
            .collect();
        !folders.is_empty() && given == folders
    }
}

/// Finding, reading and checking `.declint.yml`. Its names are checked against the record
/// fields and the rules, which live above `config`, so loading a config lives here, in the
/// layer that loads a workspace (decisions/0075); `config` itself is plain data and its
/// own parse.
impl Config {
    /// Find and load the config: `explicit` if given, else the first config file found from
    /// `start` up to `root`. No file at all gives the defaults.
    pub fn discover(explicit: Option<&Path>, start: &Path, root: &Path) -> Result<Config> {
        if let Some(path) = explicit {
            return Config::load_confined(path, None, start);
        }
        let mut dir = Some(start);
        while let Some(current) = dir {
            for name in CONFIG_NAMES {
                let candidate = current.join(name);
                // Anything by that name counts (a dangling symlink or a FIFO is an error,
                // not a silent fallback to defaults), and it is read only if it is a
                // regular file inside the repository.
                if candidate.symlink_metadata().is_ok() {
                    return Config::load_confined(&candidate, Some(root), start);
                }
            }
            if current == root {
                break;
            }
            dir = current.parent();
        }
        Ok(Config::default())
    }

    /// Load and validate one config file.
    pub fn load(path: &Path) -> Result<Config> {
        Config::load_confined(path, None, Path::new(""))
    }

    /// Load a config; with `root`, the config and its roster file must be regular files
    /// inside that repository (a config that came with the repository is untrusted input).
    /// Messages name the file relative to `cwd` when it lies below it, as findings do.
    fn load_confined(path: &Path, root: Option<&Path>, cwd: &Path) -> Result<Config> {
        let read = |file: &Path| match root {
            Some(root) => discover::read_inside(file, root, MAX_CONFIG_BYTES),
            None => discover::read_file_limited(file, MAX_CONFIG_BYTES),
        };
        let text = read(path)?;
        let shown = path.strip_prefix(cwd).unwrap_or(path);
        let (mut config, roster_file) =
            Config::parse_text(&text, &shown.display().to_string(), &Registries)?;
        config.file = Some(path.to_path_buf());
        if let Some(file) = roster_file {
            let base = path.parent().unwrap_or(Path::new("."));
            // The reason stays what `read` says (the same for a missing file and one
            // outside the repository); the message names the key that asked for it.
            let roster_text = read(&base.join(&file)).map_err(|e| {
                Error::usage(
                    format!("{}: `roster` names the file `{file}`: {e}", shown.display()),
                    Some("`roster` is a list of people, or the path of a roster file relative to the config file's folder (a CODEOWNERS file works)"),
                )
            })?;
            let roster = parse_roster_file(&roster_text);
            if roster.len() > MAX_LIST_ENTRIES {
                return Err(Error::usage(
                    format!(
                        "roster file `{file}` names {} people; at most {MAX_LIST_ENTRIES} are allowed",
                        roster.len()
                    ),
                    None,
                ));
            }
            config.roster = Some(Roster::new(roster));
        }
        Ok(config)
    }

    /// Parse config text; `name` is used in error messages. A roster given as a file path
    /// is left unresolved (see [`Config::load`]).
    pub fn parse(text: &str, name: &str) -> Result<Config> {
        Config::parse_text(text, name, &Registries).map(|(config, _)| config)
    }
}

/// The names a config may use, from where they are defined: the record fields from the
/// field table, the rules from the registry.
struct Registries;

impl KnownNames for Registries {
    fn fields(&self) -> Vec<&'static str> {
        field_names(Profile::Declint).collect()
    }

    fn rule_code(&self, key: &str) -> Option<&'static str> {
        rules::find(key).map(|rule| rule.meta().code)
    }

    fn rule_names(&self) -> Vec<&'static str> {
        rules::registry()
            .iter()
            .flat_map(|r| [r.meta().code, r.meta().name])
            .collect()
    }
}
