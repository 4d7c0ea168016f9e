//! `racebook reset EX [--all]`: copy the learner's file to a timestamped backup under
//! `.racebook/backups/<slug>/` first, then restore the broken starting point.

use crate::clock;
use crate::context::Ctx;
use crate::manifest::Exercise;
use crate::state::{Progress, State};
use anyhow::{Context, Result};
use std::path::PathBuf;

pub fn run(ctx: &Ctx, exercise: Option<&str>, all: bool) -> Result<()> {
    let targets: Vec<&Exercise> = if all {
        ctx.catalog.exercises.iter().collect()
    } else {
        vec![ctx.pick(exercise)?]
    };
    for ex in targets {
        println!("{}", reset(ctx, ex)?);
    }
    Ok(())
}

/// Back up and restore one exercise; returns what was done, in words.
pub fn reset(ctx: &Ctx, ex: &Exercise) -> Result<String> {
    let learner = ex.learner_file();
    let start = std::fs::read(ex.start_file()).with_context(|| {
        format!(
            "cannot read the starting point {}",
            ex.start_file().display()
        )
    })?;
    let shown = ctx.repo.shown(&learner);
    let backup = match std::fs::read(&learner) {
        Ok(current) if current == start => None,
        Ok(current) => Some(back_up(ctx, ex, &current)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", learner.display())),
    };
    racebook_engine::write_atomic(&learner, &String::from_utf8_lossy(&start))
        .with_context(|| format!("cannot restore {}", learner.display()))?;
    State::update(&ctx.repo, |s| {
        let e = s.exercise_mut(ex.slug());
        e.status = Progress::NotStarted;
        e.last = None;
    })?;
    Ok(match backup {
        Some(path) => format!(
            "{}: your {shown} is backed up as {}; {shown} is the broken starting point again",
            ex.slug(),
            ctx.repo.shown(&path)
        ),
        None => format!(
            "{}: {shown} was already the starting point; nothing to back up",
            ex.slug()
        ),
    })
}

/// `.racebook/backups/<slug>/<stamp>-<file name>`, never overwriting an earlier backup.
fn back_up(ctx: &Ctx, ex: &Exercise, contents: &[u8]) -> Result<PathBuf> {
    let dir = ctx.repo.state_dir().join("backups").join(ex.slug());
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = ex
        .learner_file()
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("exercise.rs")
        .to_string();
    let stamp = clock::file_stamp(clock::now());
    for n in 1.. {
        let file = if n == 1 {
            format!("{stamp}-{name}")
        } else {
            format!("{stamp}-{n}-{name}")
        };
        let path = dir.join(file);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(contents)?;
                f.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot write {}", path.display())),
        }
    }
    unreachable!("the loop returns")
}
