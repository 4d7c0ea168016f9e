//! `racebook solution EX [--force]`: the reference fix(es), once the exercise has been green.

use crate::commands::check::number;
use crate::context::{Ctx, command};
use crate::manifest::Exercise;
use crate::state::State;
use anyhow::{Context, Result, bail};

pub fn run(ctx: &Ctx, exercise: Option<&str>, force: bool) -> Result<()> {
    let ex = ctx.pick(exercise)?;
    print!("{}", show(ctx, ex, force)?);
    Ok(())
}

pub fn show(ctx: &Ctx, ex: &Exercise, force: bool) -> Result<String> {
    let state = State::load(&ctx.repo).exercise(ex.slug());
    let n = number(ex);
    if !state.solved() && !force {
        bail!(
            "{} is not green yet: the solution is shown once your fix passes ({}). Stuck? {} · \
             to see it anyway: {}",
            ex.slug(),
            command(&format!("check {n}")),
            command(&format!("hint {n}")),
            command(&format!("solution {n} --force"))
        );
    }
    let mut out = String::new();
    let files = ex.solution_files();
    for (i, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        out.push_str(&format!(
            "── reference fix {} of {}: {} ──\n{}\n",
            i + 1,
            files.len(),
            ctx.repo.shown(path),
            without_anchors(&text)
        ));
    }
    out.push_str(&format!(
        "The chapter explains why each fix works: {} in the book.\n",
        ex.chapter_page()
    ));
    Ok(out)
}

/// The book's `// ANCHOR:` markers are for the book, not for the reader of the fix.
fn without_anchors(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("// ANCHOR:") || t.starts_with("// ANCHOR_END:"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
