//! `git::history::walk` on throwaway repositories built with git2.

use crate::repo;

use declint::git::history;
use repo::TestRepo;

#[test]
fn first_added_priority_changes_and_renames() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", "---\ntitle: A\npriority: P2\n---\n");
    repo.write("README.md", "hello\n");
    repo.commit("add a", 1_000);
    repo.write("decisions/0002-b.md", "---\ntitle: B\n---\n");
    repo.commit("add b", 2_000);
    repo.write("decisions/0001-a.md", "---\ntitle: A\npriority: P1\n---\n");
    repo.write("README.md", "hello again\n");
    repo.commit("reprioritise a", 3_000);
    repo.write("README.md", "only the readme\n");
    repo.commit("unrelated", 4_000);
    repo.rename("decisions/0002-b.md", "decisions/0002-bee.md");
    repo.commit("rename b", 5_000);
    repo.write("decisions/0002-bee.md", "---\ntitle: B\npriority: 3\n---\n");
    repo.commit("prioritise b", 6_000);

    let found = history::walk(repo.path(), &["decisions".to_string()]).unwrap();
    assert_eq!(found.commits_walked, 6);
    assert_eq!(found.first_added.get("decisions/0001-a.md"), Some(&1_000));
    assert_eq!(found.first_added.get("decisions/0002-bee.md"), Some(&2_000));
    assert_eq!(found.first_added.get("decisions/0002-b.md"), None);
    assert!(!found.first_added.contains_key("README.md"));
    assert_eq!(
        found.priority_changes,
        vec![
            history::PriorityChange {
                path: "decisions/0001-a.md".into(),
                time: 3_000,
                from: Some("P2".into()),
                to: Some("P1".into()),
            },
            history::PriorityChange {
                path: "decisions/0002-bee.md".into(),
                time: 6_000,
                from: None,
                to: Some("3".into()),
            },
        ]
    );
}

#[test]
fn a_branch_commit_not_the_merge_is_when_a_record_was_added() {
    let repo = TestRepo::new();
    repo.write("decisions/0001-a.md", "---\ntitle: A\n---\n");
    repo.commit("root", 1_000);
    repo.branch("feature");
    repo.write("decisions/0002-b.md", "---\ntitle: B\n---\n");
    repo.commit("add b on the branch", 2_000);
    repo.checkout("main");
    repo.write("other.txt", "x\n");
    repo.commit("main moves", 3_000);
    repo.merge("feature", 4_000);

    let found = history::walk(repo.path(), &["decisions".to_string()]).unwrap();
    assert_eq!(found.commits_walked, 4);
    assert_eq!(found.first_added.get("decisions/0002-b.md"), Some(&2_000));
}

#[test]
fn empty_repository_has_no_history() {
    let repo = TestRepo::new();
    let found = history::walk(repo.path(), &["decisions".to_string()]).unwrap();
    assert_eq!(found.commits_walked, 0);
    assert!(found.first_added.is_empty());
}

#[test]
fn nested_folders_and_unrelated_deletions() {
    let repo = TestRepo::new();
    repo.write(
        "decisions/archive/0001-a.md",
        "---\ntitle: A\npriority: P2\n---\n",
    );
    repo.write(
        "decisions/0002-b.md",
        &"---\ntitle: B\n---\n\nAll about queues.\n".repeat(20),
    );
    repo.write("notes/x.md", "x\n");
    repo.commit("root", 1_000);
    repo.write(
        "decisions/archive/0001-a.md",
        "---\ntitle: A\npriority: P3\n---\n",
    );
    repo.write("decisions/archive/deeper/0003-c.md", "---\ntitle: C\n---\n");
    repo.remove("notes/x.md");
    repo.commit("edit nested, add deeper, delete outside", 2_000);
    repo.remove("decisions/0002-b.md");
    repo.write(
        "decisions/0004-d.md",
        &"---\ntitle: D\npriority: 1\n---\n\nSomething else entirely, with other words.\n"
            .repeat(20),
    );
    repo.commit("delete b, add d", 3_000);

    let found = history::walk(repo.path(), &["decisions".to_string()]).unwrap();
    assert_eq!(
        found.first_added.get("decisions/archive/0001-a.md"),
        Some(&1_000)
    );
    assert_eq!(
        found.first_added.get("decisions/archive/deeper/0003-c.md"),
        Some(&2_000)
    );
    assert_eq!(found.first_added.get("decisions/0004-d.md"), Some(&3_000));
    assert!(!found.first_added.contains_key("notes/x.md"));
    let changes: Vec<_> = found
        .priority_changes
        .iter()
        .map(|c| (c.path.as_str(), c.from.as_deref(), c.to.as_deref()))
        .collect();
    assert_eq!(
        changes,
        [("decisions/archive/0001-a.md", Some("P2"), Some("P3"))]
    );
}
