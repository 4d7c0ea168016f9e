//! The corpus covers every exercise: each folder under `exercises/` must be a dependency of
//! this crate, or its fixes would have no mutants and its schedules no cross product.

#[test]
fn every_exercise_is_in_the_corpus() {
    let root = racebook_check::record::workspace_root().join("exercises");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(manifest) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let name = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|l| l.split('"').next())
            .unwrap()
            .replace('-', "_");
        if !racebook_corpus::EXERCISES.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "add these exercises to crates/corpus/Cargo.toml's [dependencies]: {missing:?}"
    );
}
