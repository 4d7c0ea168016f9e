//! The facts a question's answer can name, computed from an exercise's export (the same
//! `index.json`, traces and schedule trees the visualizer shows): so an answer follows the code.
//! A fact is `VARIANT.NAME`, the variant being `broken` or one of the fixes the export lists.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One computed fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Number(u64),
    Text(String),
    /// Step numbers as the reader sees them (1-based, like the visualizer's "Step 4 of 18").
    Steps(Vec<u64>),
}

impl Fact {
    /// How the fact reads in a prompt or an explanation.
    pub fn shown(&self) -> String {
        match self {
            Fact::Number(n) => n.to_string(),
            Fact::Text(t) => t.clone(),
            Fact::Steps(s) => {
                let s: Vec<String> = s.iter().map(u64::to_string).collect();
                match s.len() {
                    1 => format!("step {}", s[0]),
                    _ => format!("steps {}", s.join(" and ")),
                }
            }
        }
    }
}

/// The names a fact can have after `VARIANT.`, with what each means (for the error that lists them).
pub const NAMES: [(&str, &str); 10] = [
    (
        "schedules",
        "schedules the search explored within its bound",
    ),
    ("failing", "how many of them break the invariant"),
    ("bound", "the preemption bound of that search"),
    (
        "engine",
        "which checker found the stored failure (shuttle or loom)",
    ),
    (
        "preemptions",
        "preemptions the stored (fewest-preemption) failure needs",
    ),
    (
        "failure",
        "the kind of the stored failure (invariant, deadlock, data_race, ...)",
    ),
    ("conflict", "the kind of the conflict the harness diagnosed"),
    ("conflict_steps", "the two steps of that conflict"),
    ("failure_step", "the step at which the failure was seen"),
    ("steps", "how many steps the stored trace has"),
];

/// The part of a schedule tree the facts use.
#[derive(Debug, Default, serde::Deserialize)]
struct TreeHead {
    schedules: Option<u64>,
    failing: Option<u64>,
    preemption_bound: Option<u64>,
}

/// One exercise's facts, and its variants' traces (for the "click the step" questions).
#[derive(Debug, Default)]
pub struct Facts {
    pub facts: BTreeMap<String, Fact>,
    pub traces: BTreeMap<String, Value>,
}

impl Facts {
    /// Read the export of one exercise from `dir` (its `index.json` and the files it names).
    pub fn load(dir: &Path) -> Result<Facts, String> {
        let read = |name: &str| -> Result<String, String> {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {} ({e})", path.display()))
        };
        let json = |name: &str, text: &str| -> Result<Value, String> {
            serde_json::from_str(text)
                .map_err(|e| format!("{}: not JSON ({e})", dir.join(name).display()))
        };
        let index = json("index.json", &read("index.json")?)?;
        let mut facts = Facts::default();
        let files = |key: &str| -> Vec<(String, String)> {
            index
                .get(key)
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(v, f)| Some((v.clone(), f.as_str()?.to_string())))
                .collect()
        };
        for (variant, file) in files("trees") {
            // Only the root's counts: a tree's nodes are most of its bytes, so skip them.
            let head: TreeHead = serde_json::from_str(&read(&file)?)
                .map_err(|e| format!("{}: not a schedule tree ({e})", dir.join(&file).display()))?;
            facts.add_tree_head(&variant, &head);
        }
        for (variant, file) in files("traces") {
            let trace = json(&file, &read(&file)?)?;
            facts.add_trace(&variant, trace);
        }
        Ok(facts)
    }

    /// A whole tree in place of a variant's (the tests use it to change the code under a question).
    #[cfg(test)]
    pub fn add_tree(&mut self, variant: &str, tree: &Value) {
        let head: TreeHead = serde_json::from_value(tree.clone()).unwrap_or_default();
        self.add_tree_head(variant, &head);
    }

    fn add_tree_head(&mut self, variant: &str, head: &TreeHead) {
        for (name, n) in [
            ("schedules", head.schedules),
            ("failing", head.failing),
            ("bound", head.preemption_bound),
        ] {
            if let Some(n) = n {
                self.insert(variant, name, Fact::Number(n));
            }
        }
    }

    pub fn add_trace(&mut self, variant: &str, trace: Value) {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(|s| Fact::Text(s.into()));
        let step = |v: Option<&Value>| v.and_then(Value::as_u64).map(|i| i + 1);
        let schedule = trace.get("schedule");
        let failure = trace.get("failure");
        let conflict = trace.get("conflict");
        let found = [
            ("engine", text(schedule.and_then(|s| s.get("engine")))),
            (
                "preemptions",
                schedule
                    .and_then(|s| s.get("preemptions"))
                    .and_then(Value::as_u64)
                    .map(Fact::Number),
            ),
            ("failure", text(failure.and_then(|f| f.get("kind")))),
            ("conflict", text(conflict.and_then(|c| c.get("kind")))),
            (
                "conflict_steps",
                conflict.and_then(|c| {
                    let mut s = vec![step(c.get("first"))?, step(c.get("second"))?];
                    s.sort_unstable();
                    Some(Fact::Steps(s))
                }),
            ),
            (
                "failure_step",
                step(failure.and_then(|f| f.get("step"))).map(|s| Fact::Steps(vec![s])),
            ),
            (
                "steps",
                trace
                    .get("steps")
                    .and_then(Value::as_array)
                    .map(|s| Fact::Number(s.len() as u64)),
            ),
        ];
        for (name, fact) in found {
            if let Some(fact) = fact {
                self.insert(variant, name, fact);
            }
        }
        self.traces.insert(variant.to_string(), trace);
    }

    fn insert(&mut self, variant: &str, name: &str, fact: Fact) {
        self.facts.insert(format!("{variant}.{name}"), fact);
    }

    /// The fact `key`, or why there is none.
    pub fn get(&self, key: &str) -> Result<&Fact, String> {
        if let Some(fact) = self.facts.get(key) {
            return Ok(fact);
        }
        let (variant, name) = key.split_once('.').unwrap_or((key, ""));
        if !NAMES.iter().any(|(n, _)| *n == name) {
            let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "`{key}` is not a fact: after the variant comes one of {}",
                names.join(", ")
            ));
        }
        let variants: std::collections::BTreeSet<&str> = self
            .facts
            .keys()
            .filter_map(|k| k.split('.').next())
            .collect();
        if !variants.contains(variant) {
            return Err(format!(
                "`{key}`: the exercise has no variant `{variant}` (it has {})",
                variants.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        Err(format!(
            "`{key}`: the export of `{variant}` has no {name} (a passing variant has no failure, \
             and a variant checked only for its proof has no trace)"
        ))
    }
}
