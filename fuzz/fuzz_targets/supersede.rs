//! The `new --supersedes` editor on arbitrary records: it either refuses, or returns a
//! record whose `superseded_by` gained exactly the new id while everything else reads the
//! same and the body is byte-identical. It never panics.
#![no_main]

use declint::Config;
use declint::internals::append_to_list_verified;
use declint::Record;
use declint::internals::{Split, split};
use libfuzzer_sys::fuzz_target;

fn body(text: &str) -> Option<&str> {
    match split(text) {
        Split::Present { body, .. } => text.get(body.start..body.end),
        _ => None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(edited) = append_to_list_verified(text, "superseded_by", "\"0002\"", "0002") else {
        return;
    };
    assert_eq!(body(text), body(&edited), "the body changed");
    let config = Config::default();
    let before = Record::parse("d/0001-a.md".into(), text.to_string(), &config);
    let after = Record::parse("d/0001-a.md".into(), edited, &config);
    assert_eq!(before.status(), after.status(), "the status changed");
    assert_eq!(before.id(), after.id(), "the id changed");
    assert_eq!(before.title(), after.title(), "the title changed");
    let successors: Vec<&str> = after
        .fields
        .superseded_by
        .iter()
        .flat_map(|f| &f.value)
        .map(|t| t.text.as_str())
        .collect();
    assert_eq!(successors.last(), Some(&"0002"), "the id was not added last");
});
