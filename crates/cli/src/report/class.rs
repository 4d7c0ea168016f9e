//! The class summary from a folder of learners' JSON reports: per exercise how many are green,
//! how many learners stopped there (their first exercise not green, among those they started),
//! the median hints used, the median minutes to green, and the most common failing invariant.

use super::LearnerReport;
use crate::state::Progress;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files that are not learners' reports: name and why.
pub type Skipped = Vec<(String, String)>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassSummary {
    pub learners: usize,
    pub exercises: Vec<ExerciseSummary>,
    /// The exercises that stopped the most learners, most first (only those that stopped any).
    pub stops_most: Vec<String>,
    /// The invariant most often seen broken across the class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub most_common_failing_invariant: Option<Frequent>,
    /// Files that were not learners' reports, with why.
    pub skipped_files: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseSummary {
    pub exercise: String,
    pub started: usize,
    pub green: usize,
    /// Learners whose first exercise not green is this one, and who had started it.
    pub stopped_here: usize,
    pub median_hints: Option<f64>,
    pub median_minutes_to_green: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub most_common_failing_invariant: Option<Frequent>,
}

/// An invariant and how many learners' last check saw it broken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frequent {
    pub invariant: String,
    pub learners: usize,
}

/// Read every `*.json` of `dir`, in name order; what is not a report is listed, not fatal.
pub fn read_dir(dir: &Path) -> std::io::Result<(Vec<LearnerReport>, Skipped)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut reports = Vec::new();
    let mut skipped = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match std::fs::read_to_string(&f)
            .map_err(|e| e.to_string())
            .and_then(|t| LearnerReport::parse(&t))
        {
            Ok(r) => reports.push(r),
            Err(why) => skipped.push((name, why)),
        }
    }
    Ok((reports, skipped))
}

pub fn summarize(reports: &[LearnerReport], skipped_files: Vec<(String, String)>) -> ClassSummary {
    // Exercise order: as the reports list them, first seen first.
    let mut order: Vec<String> = Vec::new();
    for r in reports {
        for e in &r.exercises {
            if !order.contains(&e.exercise) {
                order.push(e.exercise.clone());
            }
        }
    }
    let mut stopped: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reports {
        if let Some(e) = r.exercises.iter().find(|e| e.status != Progress::Green)
            && e.status != Progress::NotStarted
        {
            *stopped.entry(e.exercise.as_str()).or_default() += 1;
        }
    }
    let mut all_failing: BTreeMap<String, usize> = BTreeMap::new();
    let exercises: Vec<ExerciseSummary> = order
        .iter()
        .map(|slug| {
            let results: Vec<_> = reports
                .iter()
                .filter_map(|r| r.exercises.iter().find(|e| &e.exercise == slug))
                .collect();
            let started: Vec<_> = results
                .iter()
                .filter(|e| e.status != Progress::NotStarted)
                .collect();
            let mut failing: BTreeMap<String, usize> = BTreeMap::new();
            for e in &results {
                if let Some(inv) = &e.failing_invariant {
                    *failing.entry(inv.clone()).or_default() += 1;
                    *all_failing.entry(inv.clone()).or_default() += 1;
                }
            }
            ExerciseSummary {
                exercise: slug.clone(),
                started: started.len(),
                green: results
                    .iter()
                    .filter(|e| e.status == Progress::Green)
                    .count(),
                stopped_here: stopped.get(slug.as_str()).copied().unwrap_or(0),
                median_hints: median(started.iter().map(|e| f64::from(e.hints_used)).collect()),
                median_minutes_to_green: median(
                    results.iter().filter_map(|e| e.minutes_to_green).collect(),
                ),
                most_common_failing_invariant: most_common(&failing),
            }
        })
        .collect();
    let mut stops_most: Vec<&ExerciseSummary> =
        exercises.iter().filter(|e| e.stopped_here > 0).collect();
    stops_most.sort_by_key(|e| std::cmp::Reverse(e.stopped_here));
    ClassSummary {
        learners: reports.len(),
        stops_most: stops_most.iter().map(|e| e.exercise.clone()).collect(),
        most_common_failing_invariant: most_common(&all_failing),
        exercises,
        skipped_files,
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The most frequent invariant; ties go to the first in order.
fn most_common(counts: &BTreeMap<String, usize>) -> Option<Frequent> {
    let best = counts.values().copied().max()?;
    counts
        .iter()
        .find(|(_, n)| **n == best)
        .map(|(k, n)| Frequent {
            invariant: k.clone(),
            learners: *n,
        })
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

pub fn text(s: &ClassSummary) -> String {
    let mut out = format!("class summary: {} learners\n\n", s.learners);
    out.push_str(&format!(
        "{:<24} {:>7} {:>6} {:>8} {:>12} {:>12}  most common failing invariant\n",
        "exercise", "started", "green", "stopped", "median hints", "median min."
    ));
    for e in &s.exercises {
        let inv = e
            .most_common_failing_invariant
            .as_ref()
            .map(|f| format!("“{}” ({})", f.invariant, f.learners))
            .unwrap_or_else(|| "-".into());
        out.push_str(&format!(
            "{:<24} {:>7} {:>6} {:>8} {:>12} {:>12}  {inv}\n",
            e.exercise,
            e.started,
            e.green,
            e.stopped_here,
            show(e.median_hints),
            show(e.median_minutes_to_green)
        ));
    }
    out.push('\n');
    match s
        .stops_most
        .first()
        .and_then(|slug| s.exercises.iter().find(|e| &e.exercise == slug))
    {
        Some(e) => out.push_str(&format!(
            "stops most people: {} ({} of {} learners stopped there)\n",
            e.exercise, e.stopped_here, s.learners
        )),
        None => {
            out.push_str("nobody is stuck: every learner is green on everything they started\n")
        }
    }
    if let Some(f) = &s.most_common_failing_invariant {
        out.push_str(&format!(
            "most common failing invariant: “{}” ({} of {} learners)\n",
            f.invariant, f.learners, s.learners
        ));
    }
    for (file, why) in &s.skipped_files {
        out.push_str(&format!("skipped {file}: {why}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ExerciseResult, REPORT_FORMAT, REPORT_VERSION};

    fn result(slug: &str, status: Progress, hints: u32, inv: Option<&str>) -> ExerciseResult {
        ExerciseResult {
            exercise: slug.into(),
            title: String::new(),
            status,
            engines: vec![],
            schedules_explored: 0,
            hints_used: hints,
            checks: 1,
            failure_kind: None,
            failing_invariant: inv.map(str::to_string),
            minutes_to_green: (status == Progress::Green).then_some(f64::from(hints) * 10.0),
        }
    }

    fn learner(name: &str, exercises: Vec<ExerciseResult>) -> LearnerReport {
        LearnerReport {
            format: REPORT_FORMAT.into(),
            version: REPORT_VERSION,
            learner: name.into(),
            generated_at: String::new(),
            exercises,
        }
    }

    #[test]
    fn the_summary_counts_stops_medians_and_invariants() {
        use Progress::*;
        let reports = vec![
            learner(
                "a",
                vec![
                    result("01", Green, 0, None),
                    result("02", Red, 3, Some("once")),
                ],
            ),
            learner(
                "b",
                vec![
                    result("01", Green, 2, None),
                    result("02", Red, 1, Some("once")),
                ],
            ),
            learner(
                "c",
                vec![
                    result("01", Red, 1, Some("twice")),
                    result("02", NotStarted, 0, None),
                ],
            ),
        ];
        let s = summarize(&reports, vec![]);
        assert_eq!(s.learners, 3);
        let (one, two) = (&s.exercises[0], &s.exercises[1]);
        assert_eq!((one.started, one.green, one.stopped_here), (3, 2, 1));
        assert_eq!((two.started, two.green, two.stopped_here), (2, 0, 2));
        assert_eq!(one.median_hints, Some(1.0));
        assert_eq!(two.median_hints, Some(2.0));
        assert_eq!(one.median_minutes_to_green, Some(10.0));
        assert_eq!(s.stops_most, ["02", "01"]);
        let expected = Frequent {
            invariant: "once".into(),
            learners: 2,
        };
        assert_eq!(s.most_common_failing_invariant, Some(expected));
        assert!(text(&s).contains("stops most people: 02 (2 of 3 learners stopped there)"));
    }
}
