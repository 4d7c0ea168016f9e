//! The web fixtures against the real parser and the trace model: every fixture file parses,
//! every index.json names files that exist and are what it says, the demo files are exactly
//! what the demo generator produces (`RACEBOOK_BLESS=1 cargo test -p racebook-viz --test
//! fixtures` rewrites them), and their counts and conflicts are the ones the model computes.

mod demo;

use racebook_trace::{ScheduleTree, Trace, find_conflict};
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/fixtures")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_fixture_parses_with_the_real_parser() {
    let mut files = Vec::new();
    json_files(&fixtures_dir(), &mut files);
    assert!(files.len() >= 5, "fixtures missing: {files:?}");
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".trace.json") {
            Trace::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else if name.ends_with(".tree.json") {
            ScheduleTree::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        } else if name == "index.json" {
            check_index(&path, &text);
        } else {
            panic!("{}: unexpected fixture name", path.display());
        }
    }
}

/// The asset contract: `{"exercise", "title", "broken", "fixes", "traces", "trees"}`, with
/// every named file next to index.json and of the variant it is filed under.
fn check_index(path: &Path, text: &str) {
    let index: serde_json::Value = serde_json::from_str(text).unwrap();
    let dir = path.parent().unwrap();
    let exercise = index["exercise"].as_str().expect("exercise");
    assert_eq!(dir.file_name().unwrap().to_string_lossy(), exercise);
    assert!(index["title"].is_string());
    let broken = index["broken"].as_str().expect("broken");
    let fixes: Vec<&str> = index["fixes"]
        .as_array()
        .expect("fixes")
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for (kind, is_trace) in [("traces", true), ("trees", false)] {
        let files = index[kind].as_object().expect(kind);
        assert!(files.contains_key(broken), "{kind} has no {broken}");
        for (variant, file) in files {
            assert!(variant == broken || fixes.contains(&variant.as_str()));
            let text = fs::read_to_string(dir.join(file.as_str().unwrap())).unwrap();
            let (found_exercise, found_variant) = if is_trace {
                let t = Trace::from_json(&text).unwrap();
                (t.exercise, t.variant)
            } else {
                let t = ScheduleTree::from_json(&text).unwrap();
                (t.exercise, t.variant)
            };
            assert_eq!(
                (found_exercise.as_str(), found_variant.as_str()),
                (exercise, variant.as_str())
            );
        }
    }
}

#[test]
fn demo_fixtures_are_what_the_generator_makes() {
    let dir = fixtures_dir().join("racebook").join(demo::EXERCISE);
    let bless = std::env::var_os("RACEBOOK_BLESS").is_some();
    let mut files = vec![(
        "index.json".to_string(),
        serde_json::to_string_pretty(&serde_json::json!({
            "exercise": demo::EXERCISE,
            "title": "Demo: a lost update in a counter map",
            "broken": "broken",
            "fixes": ["fixed_lock"],
            "traces": {"broken": "broken.trace.json", "fixed_lock": "fixed_lock.trace.json"},
            "trees": {"broken": "broken.tree.json", "fixed_lock": "fixed_lock.tree.json"},
        }))
        .unwrap(),
    )];
    for variant in ["broken", "fixed_lock"] {
        files.push((
            format!("{variant}.trace.json"),
            demo::trace(variant).to_json_pretty(),
        ));
        files.push((
            format!("{variant}.tree.json"),
            serde_json::to_string_pretty(&demo::tree(variant)).unwrap(),
        ));
    }
    for (name, mut want) in files {
        want.push('\n');
        let path = dir.join(&name);
        if bless {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &want).unwrap();
        }
        let got = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "{} differs from the generator; rerun with RACEBOOK_BLESS=1",
            path.display()
        );
    }
}

#[test]
fn the_broken_trace_is_the_lost_update_the_brief_describes() {
    let t = demo::trace("broken");
    let names: Vec<&str> = t.threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["main", "worker-0", "worker-1"]);
    let f = t.failure.as_ref().unwrap();
    assert_eq!(f.invariant, "every item is counted once");
    assert_eq!(f.expected.as_deref(), Some(r#"{"a": 2}"#));
    assert_eq!(f.observed.as_deref(), Some(r#"{"a": 1}"#));
    assert_eq!(t.conflict, find_conflict(&t));
    let c = t.conflict.as_ref().unwrap();
    assert_eq!(c.kind, racebook_trace::ConflictKind::StaleRead);
    assert_eq!((c.first, c.second, c.completes), (3, 9, Some(12)));
    assert!(matches!(
        c.claims.first(),
        Some(racebook_trace::Claim::TwoUpdatesCountOnce { .. })
    ));
    assert_eq!(t.schedule.preemptions, 1);
    let fixed = demo::trace("fixed_lock");
    assert!(fixed.failure.is_none() && fixed.conflict.is_none());
}

#[test]
fn tree_counts_add_up() {
    for variant in ["broken", "fixed_lock"] {
        let tree = demo::tree(variant);
        for (i, n) in tree.nodes.iter().enumerate() {
            if let Some(o) = &n.outcome {
                assert!(n.edges.is_empty());
                assert_eq!((n.schedules, n.failing), (1, !o.passed as u64), "node {i}");
                continue;
            }
            let kids: Vec<_> = n
                .edges
                .iter()
                .map(|e| &tree.nodes[e.child as usize])
                .collect();
            assert_eq!(n.schedules, kids.iter().map(|k| k.schedules).sum::<u64>());
            assert_eq!(n.failing, kids.iter().map(|k| k.failing).sum::<u64>());
        }
        assert_eq!(
            variant == "broken",
            tree.failing > 0,
            "{variant}: {}",
            tree.failing
        );
    }
}
