//! The exercises of a checkout, discovered from `exercises/*/racebook.toml` in folder order, and
//! how a name typed by a person is matched to one (full slug, number, name without the number,
//! or package name), with the closest match suggested when nothing fits.

use crate::manifest::{Exercise, MANIFEST};
use crate::repo::Repo;
use anyhow::{Result, bail};
use std::path::PathBuf;

pub struct Catalog {
    pub exercises: Vec<Exercise>,
    /// Folders whose manifest could not be read, with the reason: shown, never fatal.
    pub broken: Vec<(PathBuf, String)>,
}

impl Catalog {
    pub fn discover(repo: &Repo) -> Result<Catalog> {
        let dir = repo.exercises_dir();
        let mut folders: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join(MANIFEST).is_file())
            .collect();
        folders.sort();
        let mut catalog = Catalog {
            exercises: Vec::new(),
            broken: Vec::new(),
        };
        for folder in folders {
            match Exercise::load(&folder) {
                Ok(ex) => catalog.exercises.push(ex),
                Err(e) => catalog.broken.push((folder, format!("{e:#}"))),
            }
        }
        if catalog.exercises.is_empty() && catalog.broken.is_empty() {
            bail!(
                "no exercises found: no {} has a {MANIFEST}",
                repo.shown(&dir.join("*"))
            );
        }
        Ok(catalog)
    }

    /// Warn about folders whose manifest is broken (once per command).
    pub fn warn_broken(&self) {
        for (folder, why) in &self.broken {
            eprintln!("warning: skipping {}: {why}", folder.display());
        }
    }

    pub fn get(&self, slug: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.slug() == slug)
    }

    pub fn position(&self, slug: &str) -> Option<usize> {
        self.exercises.iter().position(|e| e.slug() == slug)
    }

    /// The exercise after `slug`, if any.
    pub fn after(&self, slug: &str) -> Option<&Exercise> {
        self.position(slug).and_then(|i| self.exercises.get(i + 1))
    }

    /// Match what a person typed: `01-counter-map`, `01`, `1`, `counter-map`, `ex01-counter-map`.
    pub fn resolve(&self, name: &str) -> Result<&Exercise> {
        let wanted = name.trim().trim_end_matches('/');
        let wanted = wanted.rsplit('/').next().unwrap_or(wanted);
        let number = wanted.parse::<u32>().ok();
        let found = self.exercises.iter().find(|e| {
            let slug = e.slug();
            let (num, rest) = slug.split_once('-').unwrap_or((slug, ""));
            slug == wanted
                || e.package == wanted
                || rest == wanted
                || (number.is_some() && num.parse::<u32>().ok() == number)
        });
        match found {
            Some(ex) => Ok(ex),
            None => bail!("{}", self.unknown(name)),
        }
    }

    fn unknown(&self, name: &str) -> String {
        let closest = self
            .exercises
            .iter()
            .map(|e| (strsim::jaro_winkler(name, e.slug()), e.slug()))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        match closest {
            Some((_, slug)) => format!(
                "no exercise `{name}`; did you mean `{slug}`? (`racebook list` shows them all)"
            ),
            None => format!("no exercise `{name}`"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here() -> Catalog {
        let repo = Repo::find_from(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        Catalog::discover(&repo).unwrap()
    }

    #[test]
    fn every_spelling_of_exercise_01_finds_it() {
        let c = here();
        for name in [
            "01-counter-map",
            "01",
            "1",
            "counter-map",
            "ex01-counter-map",
            "exercises/01-counter-map/",
        ] {
            assert_eq!(c.resolve(name).unwrap().slug(), "01-counter-map", "{name}");
        }
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let err = here().resolve("counter-mpa").unwrap_err().to_string();
        assert!(err.contains("did you mean `01-counter-map`"), "{err}");
    }
}
