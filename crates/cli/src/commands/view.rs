//! `racebook view FILE`: open any trace file in the visualizer, such as the one a check in your
//! own crate wrote. The file is checked, copied under this checkout's `target/racebook/view/`
//! (which the served book answers under `/local/view/`), and opened like `racebook viz` opens a
//! learner's trace. It works from any folder: outside a checkout it uses the checkout this
//! command was built from.

use crate::commands::viz::serve_trace;
use crate::repo::Repo;
use anyhow::{Context, Result, bail};
use racebook_trace::Trace;
use std::path::Path;

/// The checkout around the current folder, else the one this program was built from.
fn repo() -> Result<Repo> {
    Repo::find().or_else(|here| {
        let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Repo::find_from(&built_from).map_err(|_| here)
    })
}

pub fn run(file: &Path, port: Option<u16>, open: bool, serve: bool) -> Result<bool> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the trace {}", file.display()))?;
    if let Err(e) = Trace::from_json(&text) {
        bail!(
            "cannot open {}: {e}; a failing check names its trace on the report's `trace` line",
            file.display()
        );
    }
    let repo = repo()?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "trace.json".into());
    let copy = repo.target_dir().join("racebook").join("view").join(&name);
    racebook_check::write_atomic(&copy, &text)
        .with_context(|| format!("cannot copy the trace to {}", copy.display()))?;
    let path = crate::book::local_path("view", &name);
    serve_trace(&repo, &path, text.as_bytes(), port, open, serve, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_trace_is_one_clear_error() {
        let file = std::env::temp_dir().join(format!("racebook-view-{}.json", std::process::id()));
        std::fs::write(&file, r#"{"format":"something else"}"#).unwrap();
        let err = run(&file, Some(3999), false, false)
            .unwrap_err()
            .to_string();
        let _ = std::fs::remove_file(&file);
        assert!(err.starts_with("cannot open "), "{err}");
        assert!(err.contains("the report's `trace` line"), "{err}");
    }

    #[test]
    fn a_trace_from_anywhere_is_served_under_local_view() {
        let demo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../web/fixtures/racebook/demo/broken.trace.json");
        let text = std::fs::read_to_string(demo).unwrap();
        let file =
            std::env::temp_dir().join(format!("racebook-view-{}.trace.json", std::process::id()));
        std::fs::write(&file, &text).unwrap();
        assert!(run(&file, Some(3999), false, false).unwrap());
        let copy = repo()
            .unwrap()
            .target_dir()
            .join("racebook/view")
            .join(file.file_name().unwrap());
        let _ = std::fs::remove_file(&file);
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), text);
        let _ = std::fs::remove_file(&copy);
    }
}
