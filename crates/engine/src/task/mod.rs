//! The async facade's bookkeeping per execution, as the engine's reports and resets reach it:
//! which `select!` branch a future is polled in (`branch`, kept here), and the facade's clocks
//! and async locks through hooks the facade installs when async code first runs (`install`),
//! since the engine does not depend on the facade.

pub mod branch;

use crate::blocking::Tid;
use std::sync::OnceLock;

/// What the engine asks of the facade's async layer.
pub struct Hooks {
    /// Clear the facade's per-execution state (clocks, async locks).
    pub reset: fn(),
    /// When task `t` waits for lock `key` that one of its own futures holds: that, in words.
    pub own_future_words: fn(usize, Tid, &str) -> Option<String>,
}

static HOOKS: OnceLock<Hooks> = OnceLock::new();

/// Called by the facade before any async state exists (the first `block_on`, `spawn`, lock or
/// timer); later calls change nothing.
pub fn install(hooks: Hooks) {
    let _ = HOOKS.set(hooks);
}

/// A new execution: no timers, no choices of `select!`, no locks.
pub fn reset() {
    branch::reset();
    if let Some(h) = HOOKS.get() {
        (h.reset)();
    }
}

/// When task `t` waits for lock `key` that one of its own futures holds: that, in words.
pub fn own_future_words(key: usize, t: Tid, name: &str) -> Option<String> {
    HOOKS.get().and_then(|h| (h.own_future_words)(key, t, name))
}
