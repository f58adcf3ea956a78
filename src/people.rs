//! Who is who: the one place that decides whether two names are the same person.
//!
//! Records name people in free text (`ana`, `@ana`, ` Ana `), and a roster may give one
//! person several names (`[ana, "@ana-lima", Ana Lima]`). DL203, DL204, DL206,
//! `list --decider` and `stats` all compare people through [`Roster::identity`] (or
//! [`same_person`]), so a count, a filter and a finding can never disagree on who someone
//! is. How a `decider` string splits into several people is the record layer's business;
//! this module only compares the names that come out of it.

use std::borrow::Cow;
use std::collections::HashMap;

/// A name reduced to what identifies a person: surrounding space, a leading `@` and
/// letter case do not matter. Borrowed when the name is already its own key (ASCII with
/// no capital letters, the usual handle), so comparing every name of a log stays cheap.
pub fn person_key(name: &str) -> Cow<'_, str> {
    let key = name.trim().trim_start_matches('@').trim_start();
    if key.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        Cow::Owned(key.to_lowercase())
    } else {
        Cow::Borrowed(key)
    }
}

/// Whether `a` and `b` name the same person, under `roster`'s aliases when there is one.
pub fn same_person(roster: Option<&Roster>, a: &str, b: &str) -> bool {
    identity(roster, a) == identity(roster, b)
}

/// The key that stands for the person `name` names: the roster handle's key when the
/// roster knows the name (by any of its aliases), else the name's own [`person_key`].
pub fn identity<'a>(roster: Option<&'a Roster>, name: &'a str) -> Cow<'a, str> {
    match roster {
        Some(roster) => roster.identity(name),
        None => person_key(name),
    }
}

/// The configured people: each is a handle and, optionally, more names for the same
/// person. Built from `roster:` in `.declint.yml` or a roster file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Roster {
    /// Each person's names as written; the first is the handle findings suggest.
    people: Vec<Vec<String>>,
    /// Every name's key → the person (index into `people`).
    index: HashMap<String, usize>,
}

impl Roster {
    /// A roster of `people`, each given as its names (handle first). Empty names are
    /// dropped; a name listed for two people belongs to the first.
    pub fn new(people: impl IntoIterator<Item = Vec<String>>) -> Self {
        let mut roster = Roster::default();
        for names in people {
            let names: Vec<String> = names
                .into_iter()
                .filter(|n| !person_key(n).is_empty())
                .collect();
            if names.is_empty() {
                continue;
            }
            let at = roster.people.len();
            for name in &names {
                roster
                    .index
                    .entry(person_key(name).into_owned())
                    .or_insert(at);
            }
            roster.people.push(names);
        }
        roster
    }

    /// A roster where every handle is its own person, with no aliases.
    pub fn of_handles<S: Into<String>>(handles: impl IntoIterator<Item = S>) -> Self {
        Roster::new(handles.into_iter().map(|h| vec![h.into()]))
    }

    /// Each person's handle (first name), in roster order.
    pub fn handles(&self) -> impl Iterator<Item = &str> {
        self.people
            .iter()
            .filter_map(|names| names.first().map(String::as_str))
    }

    /// The handle of the person `name` names, if the roster knows them.
    pub fn handle_of(&self, name: &str) -> Option<&str> {
        let person = *self.index.get(person_key(name).as_ref())?;
        self.people
            .get(person)
            .and_then(|names| names.first())
            .map(String::as_str)
    }

    /// Whether the roster knows `name` (by its handle or any alias).
    pub fn knows(&self, name: &str) -> bool {
        self.index.contains_key(person_key(name).as_ref())
    }

    /// See [`identity`].
    pub fn identity<'a>(&'a self, name: &'a str) -> Cow<'a, str> {
        match self.handle_of(name) {
            Some(handle) => person_key(handle),
            None => person_key(name),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_at_and_space_do_not_matter() {
        for (a, b) in [
            ("ana", "Ana"),
            ("ana", "@ana"),
            (" ana ", "ana"),
            ("@ANA", " ana"),
            ("Åsa", "åsa"),
        ] {
            assert!(same_person(None, a, b), "{a} / {b}");
        }
        assert!(!same_person(None, "ana", "anna"));
        assert!(!same_person(None, "ana", "bo"));
        assert!(matches!(person_key(" @ana "), Cow::Borrowed("ana")));
        assert_eq!(person_key("ÉMILE"), "émile");
    }

    #[test]
    fn roster_aliases_are_one_person() {
        let roster = Roster::new([
            vec!["ana".to_string(), "@ana-lima".into(), "Ana Lima".into()],
            vec!["bo".to_string()],
        ]);
        assert!(same_person(Some(&roster), "ANA LIMA", "@ana"));
        assert!(same_person(Some(&roster), "ana-lima", "ana"));
        assert!(!same_person(Some(&roster), "ana", "bo"));
        assert!(!same_person(None, "Ana Lima", "ana"));
        assert_eq!(roster.handle_of("@Ana-Lima"), Some("ana"));
        assert!(roster.knows(" BO "));
        assert!(!roster.knows("cy"));
        // Names the roster does not know keep their own key.
        assert_eq!(identity(Some(&roster), "@Cy"), "cy");
        assert_eq!(roster.handles().collect::<Vec<_>>(), ["ana", "bo"]);
    }

    #[test]
    fn a_name_claimed_twice_belongs_to_the_first_person() {
        let roster = Roster::new([
            vec!["ana".to_string(), "al".into()],
            vec!["al".to_string(), String::new()],
        ]);
        assert_eq!(roster.handle_of("al"), Some("ana"));
        assert_eq!(roster.handles().count(), 2);
    }
}
