//! `racebook report`: one learner's results as JSON or JUnit (`--format`), or the class summary
//! of a folder of JSON reports (`--merge DIR`, as text or JSON).

use crate::clock;
use crate::context::Ctx;
use crate::report::{Format, LearnerReport, class, junit};
use crate::state::State;
use anyhow::{Context, Result, bail};
use std::path::Path;

pub fn run(
    ctx: &Ctx,
    format: Option<Format>,
    out: Option<&Path>,
    learner: Option<String>,
) -> Result<()> {
    let learner = learner
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "learner".into());
    let report = LearnerReport::build(
        &ctx.catalog,
        &State::load(&ctx.repo),
        &learner,
        clock::now(),
    );
    let text = match format.unwrap_or(Format::Json) {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Junit => junit::render(&report),
        Format::Text => bail!("one learner's report is json or junit; text is for --merge"),
    };
    emit(&text, out)
}

pub fn merge(dir: &Path, format: Option<Format>, out: Option<&Path>) -> Result<()> {
    let (reports, skipped) = class::read_dir(dir)
        .with_context(|| format!("cannot read the reports in {}", dir.display()))?;
    if reports.is_empty() {
        bail!(
            "no learner's report in {} ({} other .json files); collect the files of `racebook report --format json` there",
            dir.display(),
            skipped.len()
        );
    }
    let summary = class::summarize(&reports, skipped);
    let text = match format.unwrap_or(Format::Text) {
        Format::Text => class::text(&summary),
        Format::Json => serde_json::to_string_pretty(&summary)? + "\n",
        Format::Junit => bail!("a class summary is text or json"),
    };
    emit(&text, out)
}

fn emit(text: &str, out: Option<&Path>) -> Result<()> {
    match out {
        Some(path) => {
            racebook_engine::write_atomic(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
