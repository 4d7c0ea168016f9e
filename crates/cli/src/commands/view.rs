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
            "{} is not a racebook trace ({e}); a failing check names its trace on the report's `trace` line",
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
