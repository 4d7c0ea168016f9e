//! `racebook hint [EX] [--again]`: reveal the next hint level and remember how many were shown.

use crate::commands::check::number;
use crate::context::{Ctx, command};
use crate::hints;
use crate::manifest::Exercise;
use crate::state::State;
use anyhow::Result;

pub fn run(ctx: &Ctx, exercise: Option<&str>, again: bool) -> Result<()> {
    let ex = ctx.pick(exercise)?;
    print!("{}", reveal(ctx, ex, again, false)?);
    Ok(())
}

/// Reveal the next hint (or, with `again`, repeat those already shown) and return the text.
/// In `watch`, the next hint is a key away.
pub fn reveal(ctx: &Ctx, ex: &Exercise, again: bool, in_watch: bool) -> Result<String> {
    let path = ex.hints_file();
    if !path.is_file() {
        return Ok(format!(
            "{} has no hints yet ({} is missing)\n",
            ex.slug(),
            ctx.repo.shown(&path)
        ));
    }
    let levels = hints::read(&path)?;
    let total = levels.len();
    let shown = State::load(&ctx.repo).exercise(ex.slug()).hints_shown as usize;
    let n = number(ex);
    let mut out = String::new();
    if again {
        if shown == 0 {
            return Ok(format!(
                "no hint of {} shown yet: {}\n",
                ex.slug(),
                command(&format!("hint {n}"))
            ));
        }
        for (i, h) in levels.iter().take(shown).enumerate() {
            out.push_str(&format!(
                "── {} ({} of {total}) ──\n{}\n\n",
                h.heading,
                i + 1,
                h.body
            ));
        }
        return Ok(out);
    }
    if shown >= total {
        return Ok(format!(
            "all {total} hints of {} are shown ({} repeats them); the chapter tells the whole \
             story, and {} shows the reference fixes once you are green\n",
            ex.slug(),
            command(&format!("hint {n} --again")),
            command(&format!("solution {n}"))
        ));
    }
    let h = &levels[shown];
    State::update(&ctx.repo, |s| {
        s.exercise_mut(ex.slug()).hints_shown = shown as u32 + 1
    })?;
    out.push_str(&format!(
        "── {} of {}: {} ({} of {total}) ──\n{}\n",
        ex.slug(),
        ex.title(),
        h.heading,
        shown + 1,
        h.body
    ));
    if shown + 1 < total {
        let more = if in_watch {
            "press h".to_string()
        } else {
            command(&format!("hint {n}"))
        };
        out.push_str(&format!("(another hint: {more})\n"));
    }
    Ok(out)
}
