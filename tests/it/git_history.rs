//! `git::history::walk` (the timeline's walk) on throwaway repositories built with git2.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::repo;

use declint::Config;
use declint::internals as history;
use declint::internals::Timeline;
use repo::TestRepo;

fn walk(repo: &TestRepo) -> Timeline {
    let exclude = globset::GlobSet::empty();
    let config = Config::default();
    let request = history::Walk {
        folders: &["decisions".to_string()],
        exclude: &exclude,
        config: &config,
    };
    history::walk(repo.path(), &request).expect("walk")
}

fn decided(title: &str, date: &str, priority: &str) -> String {
    format!("---\ntitle: {title}\nstatus: accepted\ndate: {date}\npriority: {priority}\n---\n")
}

fn priority_changes(found: &Timeline) -> Vec<(String, i64, Option<String>, Option<String>)> {
    found
        .priority_changes()
        .into_iter()
        .map(|c| (c.path, c.time, c.from, c.to))
        .collect()
}

#[test]
fn logged_priority_changes_and_renames() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", &decided("A", "1970-01-01", "P2"));
    repo.write("README.md", "hello\n");
    repo.commit("add a", 1_000);
    repo.write(
        "decisions/0002-b.md",
        "---\ntitle: B\nstatus: proposed\n---\n",
    );
    repo.commit("add b", 2_000);
    repo.write("decisions/0001-a.md", &decided("A", "1970-01-01", "P1"));
    repo.write("README.md", "hello again\n");
    repo.commit("reprioritise a", 3_000);
    repo.write("README.md", "only the readme\n");
    repo.commit("unrelated", 4_000);
    repo.rename("decisions/0002-b.md", "decisions/0002-bee.md");
    repo.commit("rename b", 5_000);
    repo.write("decisions/0002-bee.md", &decided("B", "1970-01-01", "3"));
    repo.commit("decide and prioritise b", 6_000);
    repo.write("decisions/0001-a.md", &decided("A", "1970-01-01", "1"));
    repo.commit("respell a's priority", 7_000);

    let found = walk(&repo);
    assert_eq!(found.commits_walked, 7);
    let logged = found.logged();
    assert_eq!(logged.get("id:0001"), Some(&1_000));
    // Raised at 2 000, decided (under its new name) at 6 000.
    assert_eq!(logged.get("id:0002"), Some(&6_000));
    assert_eq!(logged.len(), 2);
    assert_eq!(
        priority_changes(&found),
        vec![
            (
                "decisions/0001-a.md".into(),
                3_000,
                Some("P2".into()),
                Some("P1".into())
            ),
            (
                "decisions/0002-bee.md".into(),
                6_000,
                None,
                Some("3".into())
            ),
        ]
    );
}

#[test]
fn a_branch_commit_not_the_merge_is_when_a_record_was_decided() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", "---\ntitle: A\n---\n");
    repo.commit("root", 1_000);
    repo.branch("feature");
    repo.write("decisions/0002-b.md", &decided("B", "1970-01-01", "P2"));
    repo.commit("add b on the branch", 2_000);
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    repo.commit("main moves", 3_000);
    repo.merge("feature", 4_000);

    let found = walk(&repo);
    assert_eq!(found.commits_walked, 4);
    assert_eq!(found.logged().get("id:0002"), Some(&2_000));
    // What the merge took from the branch is not a change of the merge.
    assert!(found.steps.iter().all(|s| s.time != 4_000), "{found:?}");
}

#[test]
fn a_merge_s_own_changes_are_its_changes() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", &decided("A", "1970-01-01", "P2"));
    repo.commit("root", 1_000);
    repo.branch("feature");
    repo.write("decisions/0001-a.md", &decided("A", "1970-01-01", "P1"));
    repo.commit("branch raises a", 2_000);
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    repo.commit("main moves", 3_000);
    // The merge resolves a's priority to P0 and adds c, which neither parent had.
    repo.merge_editing(
        "feature",
        4_000,
        &[
            ("decisions/0001-a.md", &decided("A", "1970-01-01", "P0")),
            ("decisions/0003-c.md", &decided("C", "1970-01-01", "P3")),
        ],
    );
    let found = walk(&repo);
    assert_eq!(found.logged().get("id:0003"), Some(&4_000));
    assert_eq!(
        priority_changes(&found),
        vec![
            (
                "decisions/0001-a.md".into(),
                2_000,
                Some("P2".into()),
                Some("P1".into())
            ),
            (
                "decisions/0001-a.md".into(),
                4_000,
                Some("P2".into()),
                Some("P0".into())
            ),
        ]
    );
}

#[test]
fn empty_repository_has_no_history() {
    let repo = TestRepo::new();
    let found = walk(&repo);
    assert_eq!(found.commits_walked, 0);
    assert!(found.steps.is_empty());
}

#[test]
fn nested_folders_moves_and_unrelated_deletions() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/archive/0001-a.md",
        &decided("A", "1970-01-01", "P2"),
    );
    repo.write(
        "decisions/0002-b.md",
        &"---\ntitle: B\n---\n\nAll about queues.\n".repeat(20),
    );
    repo.write("notes/x.md", "x\n");
    repo.commit("root", 1_000);
    repo.write(
        "decisions/archive/0001-a.md",
        &decided("A", "1970-01-01", "P3"),
    );
    repo.write(
        "decisions/archive/deeper/0003-c.md",
        &decided("C", "1970-01-01", "P1"),
    );
    repo.remove("notes/x.md");
    repo.commit("edit nested, add deeper, delete outside", 2_000);
    // Moved to another folder and rewritten beyond git's similarity threshold, with a
    // new priority: still record 0001.
    repo.remove("decisions/archive/0001-a.md");
    repo.write(
        "decisions/0001-moved.md",
        &format!(
            "{}\nSomething else entirely, with other words.\n",
            decided("A", "1970-01-01", "P0")
        )
        .repeat(1),
    );
    repo.commit("move and rewrite a", 3_000);

    let found = walk(&repo);
    let logged = found.logged();
    assert_eq!(logged.get("id:0001"), Some(&1_000));
    assert_eq!(logged.get("id:0003"), Some(&2_000));
    assert_eq!(logged.len(), 2);
    assert_eq!(
        priority_changes(&found),
        vec![
            (
                "decisions/archive/0001-a.md".into(),
                2_000,
                Some("P2".into()),
                Some("P3".into())
            ),
            (
                "decisions/0001-moved.md".into(),
                3_000,
                Some("P3".into()),
                Some("P0".into())
            ),
        ]
    );
}
