//! `racebook list` (and `racebook` alone): every exercise with its status, chapter and last
//! result, the current one marked, and what to type next.

use crate::clock;
use crate::commands::check::number;
use crate::context::{Ctx, command};
use crate::state::{Progress, State};
use crate::summary;
use anyhow::Result;

pub fn run(ctx: &Ctx, welcome: bool) -> Result<()> {
    let state = State::load(&ctx.repo);
    print!("{}", table(ctx, &state));
    let current = ctx.current(&state);
    let green = ctx
        .catalog
        .exercises
        .iter()
        .filter(|e| state.exercise(e.slug()).status == Progress::Green)
        .count();
    println!(
        "\n{green} of {} green · current: {} “{}”",
        ctx.catalog.exercises.len(),
        current.slug(),
        current.title()
    );
    if welcome {
        let n = number(current);
        println!(
            "\nStart: {}  (re-checks {} on every save; keys: n next, h hint, l list, r reset, q quit)",
            command(&format!("watch {n}")),
            ctx.repo.shown(&current.learner_file())
        );
        println!(
            "Or once: {} · all commands: {}",
            command(&format!("check {n}")),
            command("--help")
        );
    }
    Ok(())
}

/// The exercise table, one line each; `>` marks the current exercise.
pub fn table(ctx: &Ctx, state: &State) -> String {
    let now = clock::now();
    let current = ctx.current(state).slug();
    let mut out = format!(
        "  {:<20} {:<17} {:<30} {}\n",
        "exercise", "status", "chapter", "last result"
    );
    for ex in &ctx.catalog.exercises {
        let s = state.exercise(ex.slug());
        let mark = if ex.slug() == current { '>' } else { ' ' };
        out.push_str(&format!(
            "{mark} {:<20} {:<17} {:<30} {}\n",
            ex.slug(),
            s.status.label(),
            ex.chapter_page(),
            summary::last_result(&s, now)
        ));
    }
    out
}
