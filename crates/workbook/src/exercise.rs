//! How an exercise describes itself to the harness: its scenario's invariant, what must stay
//! concurrent, and its variants (the broken version, the fixes, the learner's file, wrong fixes).

use racebook_check::Budgets;
use racebook_engine::concurrency::Concurrency;
use racebook_engine::scenario::{Body, Shape};
use racebook_trace::EngineKind;
use std::sync::Arc;

/// The example target of an exercise's tool, run as `cargo run -p ex01-counter-map --example
/// ex01-tool -- ...`: each has its own name, as the examples of all workspace members share one
/// output folder.
pub fn tool_example(slug: &str) -> String {
    format!("ex{}-tool", slug.split('-').next().unwrap_or(slug))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The documented bug, frozen.
    Broken,
    /// A reference fix.
    Fix,
    /// The learner's file.
    Learner,
    /// A plausible wrong fix from the catalogue.
    Wrong,
}

#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// The file's stem: `broken`, `fixed_lock`, `exercise`, ...
    pub name: &'static str,
    pub role: Role,
    /// Runs the scenario with this variant; builds every shared object inside.
    pub body: fn(),
    /// The engines expected to catch a broken or wrong variant. Empty for fixes.
    pub caught_by: &'static [EngineKind],
}

impl Variant {
    /// A broken version, and the engines expected to catch it.
    pub const fn broken(name: &'static str, body: fn(), caught_by: &'static [EngineKind]) -> Self {
        Variant {
            name,
            role: Role::Broken,
            body,
            caught_by,
        }
    }

    /// A reference fix.
    pub const fn fix(name: &'static str, body: fn()) -> Self {
        Variant {
            name,
            role: Role::Fix,
            body,
            caught_by: &[],
        }
    }

    /// The learner's file, `exercise.rs`.
    pub const fn learner(body: fn()) -> Self {
        Variant {
            name: crate::learner::LEARNER,
            role: Role::Learner,
            body,
            caught_by: &[],
        }
    }

    /// The body as the harness's engines take it.
    pub fn scenario(&self) -> Body {
        Arc::new(self.body)
    }

    /// A wrong fix from the catalogue in `wrong/`.
    pub const fn wrong(name: &'static str, body: fn()) -> Self {
        Variant {
            name,
            role: Role::Wrong,
            body,
            caught_by: &[],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Exercise {
    /// The directory name, e.g. `01-counter-map`.
    pub slug: &'static str,
    pub title: &'static str,
    /// The invariant in words, as the report and the visualizer show it.
    pub invariant: &'static str,
    pub shape: Shape,
    pub concurrency: Option<Concurrency>,
    pub variants: Vec<Variant>,
    pub budgets: Budgets,
}

impl Exercise {
    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }

    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.role == role)
    }

    /// The engines that can run this exercise's code at all.
    pub fn engines(&self) -> &'static [EngineKind] {
        self.shape.engines()
    }
}
