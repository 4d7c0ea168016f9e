//! The captured outputs the book shows still match what their commands print.

use std::path::Path;

#[test]
fn captured_outputs_have_not_drifted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().expect("the repository root exists");
    match racebook_booktest::captured::check_drift(&root) {
        Ok(count) => assert!(count > 0, "src/captured/captures.toml lists no capture"),
        Err(e) => panic!("{e:#}"),
    }
}
