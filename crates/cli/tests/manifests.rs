//! Every exercise folder has a valid `racebook.toml`: the one test that validates the manifests
//! (the command skips a broken one with a warning; this test makes it fail the suite).

use racebook::catalog::Catalog;
use racebook::manifest::{Exercise, MANIFEST};
use racebook::repo::Repo;
use std::path::Path;

fn repo() -> Repo {
    Repo::find_from(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn every_exercise_folder_has_a_valid_manifest() {
    let repo = repo();
    let mut folders: Vec<_> = std::fs::read_dir(repo.exercises_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    folders.sort();
    assert!(!folders.is_empty());
    let mut problems = Vec::new();
    for folder in &folders {
        if !folder.join(MANIFEST).is_file() {
            problems.push(format!("{}: no {MANIFEST}", folder.display()));
            continue;
        }
        match Exercise::load(folder) {
            Ok(ex) => problems.extend(
                ex.problems(&repo.root.join("src"))
                    .into_iter()
                    .map(|p| format!("{}: {p}", ex.slug())),
            ),
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    assert!(
        problems.is_empty(),
        "manifest problems:\n{}",
        problems.join("\n")
    );
    let catalog = Catalog::discover(&repo).unwrap();
    assert_eq!(catalog.exercises.len(), folders.len());
    assert!(catalog.broken.is_empty());
}

#[test]
fn the_validation_catches_a_broken_manifest() {
    let repo = repo();
    let mut ex = Exercise::load(&repo.exercises_dir().join("01-counter-map")).unwrap();
    ex.manifest.hints = "no-such-hints.md".into();
    ex.manifest.solutions.clear();
    let problems = ex.problems(&repo.root.join("src"));
    assert!(
        problems.iter().any(|p| p.contains("no-such-hints.md")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p == "solutions is empty"),
        "{problems:?}"
    );
}
