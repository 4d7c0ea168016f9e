//! What every command starts from: the checkout, its exercises, and how to spell a racebook
//! command so the person can copy it (`racebook ...`, or `cargo run -p racebook -- ...` when
//! that is how they started us).

use crate::catalog::Catalog;
use crate::manifest::Exercise;
use crate::repo::Repo;
use crate::state::{Progress, State};
use anyhow::Result;

pub struct Ctx {
    pub repo: Repo,
    pub catalog: Catalog,
}

impl Ctx {
    pub fn new() -> Result<Ctx> {
        let repo = Repo::find()?;
        let catalog = Catalog::discover(&repo)?;
        catalog.warn_broken();
        Ok(Ctx { repo, catalog })
    }

    /// The named exercise, or the current one: the one last picked, else the first that is
    /// not green yet, else the last.
    pub fn pick(&self, name: Option<&str>) -> Result<&Exercise> {
        if let Some(name) = name {
            return self.catalog.resolve(name);
        }
        let state = State::load(&self.repo);
        Ok(self.current(&state))
    }

    pub fn current(&self, state: &State) -> &Exercise {
        let all = &self.catalog.exercises;
        state
            .current
            .as_deref()
            .and_then(|slug| self.catalog.get(slug))
            .or_else(|| {
                all.iter()
                    .find(|e| state.exercise(e.slug()).status != Progress::Green)
            })
            .or(all.last())
            .expect("a catalog has at least one exercise")
    }

    /// Make `slug` the current exercise.
    pub fn set_current(&self, slug: &str) -> Result<()> {
        State::update(&self.repo, |s| s.current = Some(slug.to_string()))
    }
}

/// How to spell a racebook command for the person: `racebook check 01`, or under `cargo run`
/// (which sets `CARGO_PKG_NAME` for the program it runs) `cargo run -p racebook -- check 01`.
pub fn command(args: &str) -> String {
    let under_cargo_run = std::env::var("CARGO_PKG_NAME").is_ok_and(|n| n == "racebook")
        && std::env::var_os("CARGO_MANIFEST_DIR").is_some();
    let program = if under_cargo_run {
        "cargo run -q -p racebook --"
    } else {
        "racebook"
    };
    if args.is_empty() {
        program.trim_end_matches(" --").to_string()
    } else {
        format!("{program} {args}")
    }
}
