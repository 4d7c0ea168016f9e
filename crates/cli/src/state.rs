//! The learner's progress: one small JSON file, `.racebook/state.json`, written atomically (a
//! temporary file renamed over it) so an interrupted write never corrupts it. A file that cannot
//! be read, or that another version of racebook wrote, is set aside with a message and progress
//! starts fresh: never a crash, never silently lost.
//!
//! Every change loads, modifies and saves at once, so two racebook commands running side by
//! side (a `watch` and a `hint`) do not overwrite each other's progress.

use crate::clock;
use crate::repo::Repo;
use anyhow::{Context, Result};
use racebook_workbook::outcome::{Outcome, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const STATE_FORMAT: &str = "racebook-state";
pub const STATE_VERSION: u32 = 1;

/// Where an exercise stands after its last check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    #[default]
    NotStarted,
    DoesNotCompile,
    Red,
    NotProved,
    Serialized,
    Green,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::NotStarted => "not started",
            Progress::DoesNotCompile => "does not compile",
            Progress::Red => "red",
            Progress::NotProved => "not proved",
            Progress::Serialized => "serialized",
            Progress::Green => "green",
        }
    }

    pub fn from_status(status: Status) -> Progress {
        match status {
            Status::Green => Progress::Green,
            Status::Red => Progress::Red,
            Status::NotProved => Progress::NotProved,
            Status::Serialized => Progress::Serialized,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExerciseState {
    pub status: Progress,
    #[serde(default)]
    pub hints_shown: u32,
    #[serde(default)]
    pub checks: u32,
    /// Unix seconds of the first and the last check, and of the first green one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_check: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_green: Option<u64>,
    /// The harness's result of the last check that ran to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Outcome>,
}

impl ExerciseState {
    /// The solution unlocks once the exercise has been green, even after a later reset.
    pub fn solved(&self) -> bool {
        self.first_green.is_some()
    }

    pub fn record_check(&mut self, progress: Progress, outcome: Option<Outcome>, now: u64) {
        self.status = progress;
        self.checks += 1;
        self.first_check.get_or_insert(now);
        self.last_check = Some(now);
        if progress == Progress::Green {
            self.first_green.get_or_insert(now);
        }
        if outcome.is_some() {
            self.last = outcome;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub format: String,
    pub version: u32,
    /// The exercise `check` and `watch` work on when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseState>,
}

impl Default for State {
    fn default() -> Self {
        State {
            format: STATE_FORMAT.into(),
            version: STATE_VERSION,
            current: None,
            exercises: BTreeMap::new(),
        }
    }
}

impl State {
    pub fn path(repo: &Repo) -> PathBuf {
        repo.state_dir().join("state.json")
    }

    /// Load the state; a missing file is a fresh start, an unreadable one is set aside.
    pub fn load(repo: &Repo) -> State {
        let path = State::path(repo);
        match std::fs::read_to_string(&path) {
            Ok(text) => match parse(&text) {
                Ok(state) => state,
                Err(why) => {
                    set_aside(repo, &path, &why);
                    State::default()
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(e) => {
                set_aside(repo, &path, &format!("it cannot be read ({e})"));
                State::default()
            }
        }
    }

    pub fn save(&self, repo: &Repo) -> Result<()> {
        let path = State::path(repo);
        let text = serde_json::to_string_pretty(self).expect("the state serializes") + "\n";
        racebook_engine::write_atomic(&path, &text)
            .with_context(|| format!("cannot save progress to {}", path.display()))
    }

    /// Load, change and save in one go.
    pub fn update<T>(repo: &Repo, change: impl FnOnce(&mut State) -> T) -> Result<T> {
        let mut state = State::load(repo);
        let out = change(&mut state);
        state.save(repo)?;
        Ok(out)
    }

    pub fn exercise(&self, slug: &str) -> ExerciseState {
        self.exercises.get(slug).cloned().unwrap_or_default()
    }

    pub fn exercise_mut(&mut self, slug: &str) -> &mut ExerciseState {
        self.exercises.entry(slug.to_string()).or_default()
    }
}

fn parse(text: &str) -> Result<State, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("it is not valid JSON ({e})"))?;
    let format = value.get("format").and_then(|f| f.as_str());
    let version = value.get("version").and_then(|v| v.as_u64());
    if format != Some(STATE_FORMAT) {
        return Err(format!("it is not a {STATE_FORMAT} file"));
    }
    if version != Some(u64::from(STATE_VERSION)) {
        return Err(format!(
            "another racebook wrote it (format version {}; this one reads {STATE_VERSION})",
            version.map_or_else(|| "missing".to_string(), |v| v.to_string())
        ));
    }
    serde_json::from_value(value).map_err(|e| format!("its content is not understood ({e})"))
}

/// Rename an unreadable state file out of the way and say so; the progress starts fresh.
fn set_aside(repo: &Repo, path: &Path, why: &str) {
    let aside = free_path(
        path,
        &format!("unreadable-{}", clock::file_stamp(clock::now())),
    );
    match std::fs::rename(path, &aside) {
        Ok(()) => eprintln!(
            "note: your progress file {} could not be used: {why}. It was set aside as {} and \
             progress starts fresh.",
            repo.shown(path),
            repo.shown(&aside)
        ),
        Err(e) => eprintln!(
            "note: your progress file {} could not be used: {why}, and it could not be set aside \
             ({e}); progress starts fresh and the next save replaces it.",
            repo.shown(path)
        ),
    }
}

/// `path` with `.tag` appended, made unique with a counter if needed.
pub fn free_path(path: &Path, tag: &str) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let mut candidate = path.with_file_name(format!("{name}.{tag}"));
    let mut n = 1;
    while candidate.exists() {
        n += 1;
        candidate = path.with_file_name(format!("{name}.{tag}-{n}"));
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_round_trips() {
        let mut s = State {
            current: Some("01-counter-map".into()),
            ..State::default()
        };
        s.exercise_mut("01-counter-map")
            .record_check(Progress::Green, None, 10);
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(parse(&text).unwrap(), s);
        assert!(s.exercise("01-counter-map").solved());
    }

    #[test]
    fn garbage_and_other_versions_are_refused_with_a_reason() {
        assert!(parse("{not json").unwrap_err().contains("not valid JSON"));
        assert!(
            parse("{}")
                .unwrap_err()
                .contains("not a racebook-state file")
        );
        let newer = r#"{"format":"racebook-state","version":9}"#;
        assert!(parse(newer).unwrap_err().contains("format version 9"));
    }
}
